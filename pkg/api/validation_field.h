// Internal building blocks for defaulting and validation (not part of the public API):
// field paths, the upstream field-error constructors (field.Required, field.Invalid, ...) and
// tolerant accessors over the boost::json DOM that never throw on unexpected types.
//
// Thread-safety: pure functions and value types; safe from any thread.
#pragma once

#include <boost/json/array.hpp>
#include <boost/json/object.hpp>
#include <boost/json/value.hpp>
#include <cstdint>
#include <initializer_list>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "pkg/api/quantity.h"
#include "pkg/api/status.h"

namespace kc::api::validation {

using ErrorList = std::vector<StatusCause>;

// A field path as upstream prints it: "spec.containers[0].resources.limits[cpu]".
class Path {
 public:
  Path() = default;
  explicit Path(std::string_view root) : s_(root) {}
  Path Child(std::string_view name) const;
  Path Child(std::string_view a, std::string_view b) const { return Child(a).Child(b); }
  Path Child(std::string_view a, std::string_view b, std::string_view c) const {
    return Child(a).Child(b).Child(c);
  }
  Path Index(size_t i) const;
  Path Key(std::string_view key) const;
  const std::string& str() const { return s_; }

 private:
  std::string s_;
};

// ---- value rendering (Go fmt semantics that upstream messages use) ----
std::string GoQuote(std::string_view s);
// int → 5, bool → true, string → "x", null → "null", object of strings → map[string]string{...},
// array of strings → []string{...}, anything else → compact JSON.
std::string RenderValue(const boost::json::value& v);
std::string RenderStringMap(const boost::json::object* m);  // nil → map[string]string(nil)
std::string RenderLabelSelector(const boost::json::value* selector);

// ---- error constructors (StatusCause reason/message/field) ----
StatusCause Required(const Path& p, std::string_view detail = {});
StatusCause Forbidden(const Path& p, std::string_view detail);
StatusCause TooLong(const Path& p, size_t max_bytes);
StatusCause TooMany(const Path& p, size_t actual, size_t max_items);
StatusCause InvalidRendered(const Path& p, std::string_view rendered, std::string_view detail);
StatusCause Invalid(const Path& p, const boost::json::value& v, std::string_view detail);
StatusCause InvalidStr(const Path& p, std::string_view v, std::string_view detail);
StatusCause InvalidInt(const Path& p, int64_t v, std::string_view detail);
StatusCause NotSupportedRendered(const Path& p, std::string_view rendered,
                                 std::initializer_list<std::string_view> supported);
StatusCause NotSupported(const Path& p, std::string_view v,
                         std::initializer_list<std::string_view> supported);
StatusCause DuplicateRendered(const Path& p, std::string_view rendered);
StatusCause Duplicate(const Path& p, std::string_view v);
StatusCause NotFound(const Path& p, std::string_view v);

inline void Append(ErrorList& to, ErrorList from) {
  for (auto& e : from) to.push_back(std::move(e));
}

// ---- tolerant JSON accessors ----
const boost::json::value* Get(const boost::json::object& o, std::string_view key);
const boost::json::object* GetObj(const boost::json::object& o, std::string_view key);
const boost::json::object* GetObj(const boost::json::object* o, std::string_view key);
const boost::json::array* GetArr(const boost::json::object& o, std::string_view key);
const boost::json::array* GetArr(const boost::json::object* o, std::string_view key);
// The string at key, or "" when absent or not a string.
std::string_view GetStr(const boost::json::object& o, std::string_view key);
std::string_view GetStr(const boost::json::object* o, std::string_view key);
bool HasStr(const boost::json::object& o, std::string_view key);  // a non-empty string
// An integral number at key (int64, uint64 or integral double).
std::optional<int64_t> GetInt(const boost::json::object& o, std::string_view key);
std::optional<int64_t> GetInt(const boost::json::object* o, std::string_view key);
std::optional<int64_t> AsInt(const boost::json::value& v);
std::optional<bool> GetBool(const boost::json::object& o, std::string_view key);
bool IsTrue(const boost::json::object* o, std::string_view key);
// Present and not null.
bool Has(const boost::json::object& o, std::string_view key);
bool Has(const boost::json::object* o, std::string_view key);
// Number of entries of an array/object field (0 when absent or another type).
size_t Len(const boost::json::object* o, std::string_view key);

// Mutable helpers for defaulting: the object at key, created when absent or null. Returns
// nullptr when the key holds another type (user data is never overwritten).
boost::json::object* EnsureObj(boost::json::object& o, std::string_view key);
boost::json::object* MutObj(boost::json::object& o, std::string_view key);
boost::json::array* MutArr(boost::json::object& o, std::string_view key);
// Sets key to v when it is absent or null (or, for strings, empty).
void SetDefault(boost::json::object& o, std::string_view key, boost::json::value v);
void SetDefaultStr(boost::json::object& o, std::string_view key, std::string_view v);

// Semantic equality as apimachinery's DeepEqual: null, absent, [] and {} are equal.
bool SemanticEqual(const boost::json::value* a, const boost::json::value* b);
bool SemanticEqual(const boost::json::value& a, const boost::json::value& b);

// A resource quantity from a JSON string or number; nullopt when malformed, with upstream's
// parse message in *error.
std::optional<Quantity> ParseQuantity(const boost::json::value& v, std::string* error = nullptr);

// IntOrString helpers (maxSurge, targetPort, ...): renders as 5 or "25%".
std::string RenderIntOrString(const boost::json::value* v);

// Label selector (metav1.LabelSelector) evaluation. `ok` false when an operator is invalid.
struct SelectorEval {
  bool ok = true;
  bool empty = true;  // matches everything
};
SelectorEval InspectSelector(const boost::json::object* selector);
bool SelectorMatches(const boost::json::object* selector, const boost::json::object* labels);

}  // namespace kc::api::validation
