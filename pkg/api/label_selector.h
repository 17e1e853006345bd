// LabelSelector: a parsed Kubernetes label selector, built either from the string syntax of the
// `labelSelector` query parameter / `kubectl -l` ("app=web,tier in (a,b),!canary") or from a
// metav1.LabelSelector object (matchLabels + matchExpressions), and matched against an object's
// metadata.labels.
//
// Semantics follow apimachinery's labels.Selector: requirements are ANDed and kept sorted by key,
// an empty selector matches everything, Nothing() matches no object.
//
// Thread-safety: an immutable value after construction; const methods may be called from any
// thread.
#pragma once

#include <boost/json/object.hpp>
#include <string>
#include <string_view>
#include <vector>

#include "pkg/api/status.h"

namespace kc::api {

enum class SelectorOp {
  kEquals,        // a=b
  kDoubleEquals,  // a==b
  kNotEquals,     // a!=b
  kIn,            // a in (x,y)
  kNotIn,         // a notin (x,y)
  kExists,        // a
  kDoesNotExist,  // !a
  kGreaterThan,   // a>5 (integer label values only)
  kLessThan,      // a<5
};

// One ANDed term of a selector. `values` is sorted and de-duplicated.
struct LabelRequirement {
  std::string key;
  SelectorOp op = SelectorOp::kExists;
  std::vector<std::string> values;

  bool Matches(const boost::json::object* labels) const;
  std::string ToString() const;  // "a in (x,y)", "!a", "a=b"
};

class LabelSelector {
 public:
  LabelSelector() = default;  // matches everything

  // The string syntax. Invalid syntax, keys or values give BadRequest with apimachinery's
  // message, e.g. "unable to parse requirement: found '', expected: in, notin, =, ==, !=, gt, lt".
  static Result<LabelSelector> Parse(std::string_view selector);
  // A metav1.LabelSelector object; problems give Invalid. An empty object matches everything.
  static Result<LabelSelector> FromJson(const boost::json::object& label_selector);
  // The selector for a nil metav1.LabelSelector: matches nothing.
  static LabelSelector Nothing();

  bool Matches(const boost::json::object* labels) const;  // labels may be null (no labels)
  bool Empty() const { return !nothing_ && requirements_.empty(); }
  // Canonical form, requirements sorted by key: "app=web,tier in (a,b)". "" when empty.
  std::string ToString() const;
  const std::vector<LabelRequirement>& requirements() const { return requirements_; }

 private:
  std::vector<LabelRequirement> requirements_;  // sorted by key
  bool nothing_ = false;
};

// True when every key=value of `match_labels` (a plain map selector, as in Service.spec.selector
// or ReplicationController.spec.selector) is present in `labels`. An empty map matches everything.
bool LabelsMatch(const boost::json::object* labels, const boost::json::object& match_labels);

}  // namespace kc::api
