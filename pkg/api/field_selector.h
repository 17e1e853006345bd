// FieldSelector: a parsed `fieldSelector` query parameter
// ("metadata.name=web,status.phase!=Running") matched against a whole object by looking the dotted
// field paths up in it.
//
// Grammar as in apimachinery's fields.ParseSelector: terms separated by unescaped commas, each
// `<field>=<value>`, `<field>==<value>` or `<field>!=<value>`; in values `\,` `\=` `\\` are
// escapes. Which fields a resource supports is the API server's business: it checks Fields() and
// rejects the rest with 400 "field label not supported: <field>".
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

struct FieldRequirement {
  std::string field;   // "spec.nodeName"
  bool equals = true;  // false for !=
  std::string value;   // unescaped
};

class FieldSelector {
 public:
  FieldSelector() = default;  // matches everything

  // Malformed selectors give BadRequest with apimachinery's message.
  static Result<FieldSelector> Parse(std::string_view selector);

  // The field paths used, in term order (sorted like upstream), possibly repeated.
  std::vector<std::string> Fields() const;
  // Looks each field up in `obj`: a missing field reads as "", a bool as "true"/"false", a number
  // as its decimal form.
  bool Matches(const boost::json::object& obj) const;
  bool Empty() const { return terms_.empty(); }
  // When the selector pins `field` with `=` (as the kubelet's spec.nodeName=<node>), stores the
  // value and returns true.
  bool RequiresExactMatch(std::string_view field, std::string* value) const;
  std::string ToString() const;  // terms re-escaped, joined by ","
  const std::vector<FieldRequirement>& requirements() const { return terms_; }

 private:
  std::vector<FieldRequirement> terms_;
};

// The string a field selector compares for `path` in `obj` (see Matches).
std::string FieldValueAsString(const boost::json::object& obj, std::string_view path);

}  // namespace kc::api
