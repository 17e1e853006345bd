#include "pkg/api/validation_field.h"

#include <algorithm>
#include <boost/json/serialize.hpp>
#include <cmath>
#include <cstdio>

namespace kc::api::validation {

namespace json = boost::json;

// ---------------------------------------------------------------------------------------------
// Path

Path Path::Child(std::string_view name) const {
  Path p;
  p.s_ = s_.empty() ? std::string(name) : s_ + "." + std::string(name);
  return p;
}

Path Path::Index(size_t i) const {
  Path p;
  p.s_ = s_ + "[" + std::to_string(i) + "]";
  return p;
}

Path Path::Key(std::string_view key) const {
  Path p;
  p.s_ = s_ + "[" + std::string(key) + "]";
  return p;
}

// ---------------------------------------------------------------------------------------------
// Rendering

std::string GoQuote(std::string_view s) {
  std::string out = "\"";
  for (char ch : s) {
    auto c = static_cast<unsigned char>(ch);
    switch (c) {
      case '"':
        out += "\\\"";
        break;
      case '\\':
        out += "\\\\";
        break;
      case '\a':
        out += "\\a";
        break;
      case '\b':
        out += "\\b";
        break;
      case '\f':
        out += "\\f";
        break;
      case '\n':
        out += "\\n";
        break;
      case '\r':
        out += "\\r";
        break;
      case '\t':
        out += "\\t";
        break;
      case '\v':
        out += "\\v";
        break;
      default:
        if (c < 0x20 || c == 0x7f) {
          char buf[8];
          std::snprintf(buf, sizeof buf, "\\x%02x", c);
          out += buf;
        } else {
          out.push_back(ch);
        }
    }
  }
  out += "\"";
  return out;
}

namespace {

std::string RenderNumber(const json::value& v) {
  if (v.is_int64()) return std::to_string(v.get_int64());
  if (v.is_uint64()) return std::to_string(v.get_uint64());
  double d = v.get_double();
  if (std::isfinite(d) && d == std::floor(d) && std::fabs(d) < 1e15) {
    return std::to_string(static_cast<long long>(d));
  }
  char buf[64];
  std::snprintf(buf, sizeof buf, "%g", d);
  return buf;
}

bool AllStrings(const json::object& o) {
  return std::all_of(o.begin(), o.end(), [](const auto& kv) { return kv.value().is_string(); });
}

bool AllStrings(const json::array& a) {
  return std::all_of(a.begin(), a.end(), [](const json::value& v) { return v.is_string(); });
}

std::string RenderStringSlice(const json::array* a, std::string_view type = "[]string") {
  if (a == nullptr) return std::string(type) + "(nil)";
  std::string s(type);
  s += "{";
  for (size_t i = 0; i < a->size(); ++i) {
    if (i) s += ", ";
    const auto& v = (*a)[i];
    s += v.is_string() ? GoQuote(v.get_string()) : RenderValue(v);
  }
  s += "}";
  return s;
}

}  // namespace

std::string RenderStringMap(const json::object* m) {
  if (m == nullptr) return "map[string]string(nil)";
  std::vector<std::pair<std::string, std::string>> kv;
  for (const auto& e : *m) {
    kv.emplace_back(std::string(e.key()),
                    e.value().is_string() ? std::string(e.value().get_string()) : "");
  }
  std::sort(kv.begin(), kv.end());
  std::string s = "map[string]string{";
  for (size_t i = 0; i < kv.size(); ++i) {
    if (i) s += ", ";
    s += GoQuote(kv[i].first) + ":" + GoQuote(kv[i].second);
  }
  s += "}";
  return s;
}

std::string RenderLabelSelector(const json::value* selector) {
  const json::object* o = selector ? selector->if_object() : nullptr;
  if (o == nullptr) return "null";
  std::string s = "v1.LabelSelector{MatchLabels:";
  s += RenderStringMap(GetObj(*o, "matchLabels"));
  s += ", MatchExpressions:";
  const json::array* exprs = GetArr(*o, "matchExpressions");
  if (exprs == nullptr) {
    s += "[]v1.LabelSelectorRequirement(nil)";
  } else {
    s += "[]v1.LabelSelectorRequirement{";
    for (size_t i = 0; i < exprs->size(); ++i) {
      if (i) s += ", ";
      const json::object* e = (*exprs)[i].if_object();
      s += "v1.LabelSelectorRequirement{Key:" + GoQuote(GetStr(e, "key")) +
           ", Operator:" + GoQuote(GetStr(e, "operator")) +
           ", Values:" + RenderStringSlice(GetArr(e, "values")) + "}";
    }
    s += "}";
  }
  s += "}";
  return s;
}

std::string RenderValue(const json::value& v) {
  switch (v.kind()) {
    case json::kind::null:
      return "\"null\"";
    case json::kind::bool_:
      return v.get_bool() ? "true" : "false";
    case json::kind::int64:
    case json::kind::uint64:
    case json::kind::double_:
      return RenderNumber(v);
    case json::kind::string:
      return GoQuote(v.get_string());
    case json::kind::object:
      if (AllStrings(v.get_object())) return RenderStringMap(&v.get_object());
      return json::serialize(v);
    case json::kind::array:
      if (AllStrings(v.get_array())) return RenderStringSlice(&v.get_array());
      return json::serialize(v);
  }
  return json::serialize(v);
}

std::optional<Quantity> ParseQuantity(const json::value& v, std::string* error) {
  Result<Quantity> q = Quantity::FromJson(v);
  if (!q.ok()) {
    if (error) *error = q.status().message();
    return std::nullopt;
  }
  return *q;
}

std::string RenderIntOrString(const json::value* v) {
  if (v == nullptr || v->is_null()) return "0";
  return RenderValue(*v);
}

// ---------------------------------------------------------------------------------------------
// Errors

namespace {

StatusCause Make(const char* reason, const Path& p, std::string message) {
  StatusCause c;
  c.reason = reason;
  c.message = std::move(message);
  c.field = p.str();
  return c;
}

std::string WithDetail(std::string body, std::string_view detail) {
  if (!detail.empty()) {
    body += ": ";
    body += detail;
  }
  return body;
}

std::string SupportedList(std::initializer_list<std::string_view> supported) {
  std::string s = "supported values: ";
  bool first = true;
  for (auto v : supported) {
    if (!first) s += ", ";
    first = false;
    s += GoQuote(v);
  }
  return s;
}

}  // namespace

StatusCause Required(const Path& p, std::string_view detail) {
  return Make("FieldValueRequired", p, WithDetail("Required value", detail));
}

StatusCause Forbidden(const Path& p, std::string_view detail) {
  return Make("FieldValueForbidden", p, WithDetail("Forbidden", detail));
}

StatusCause TooLong(const Path& p, size_t max_bytes) {
  return Make("FieldValueTooLong", p,
              "Too long: may not be more than " + std::to_string(max_bytes) + " bytes");
}

StatusCause TooMany(const Path& p, size_t actual, size_t max_items) {
  return Make("FieldValueTooMany", p,
              "Too many: " + std::to_string(actual) + ": must have at most " +
                  std::to_string(max_items) + " items");
}

StatusCause InvalidRendered(const Path& p, std::string_view rendered, std::string_view detail) {
  return Make("FieldValueInvalid", p,
              WithDetail("Invalid value: " + std::string(rendered), detail));
}

StatusCause Invalid(const Path& p, const json::value& v, std::string_view detail) {
  return InvalidRendered(p, RenderValue(v), detail);
}

StatusCause InvalidStr(const Path& p, std::string_view v, std::string_view detail) {
  return InvalidRendered(p, GoQuote(v), detail);
}

StatusCause InvalidInt(const Path& p, int64_t v, std::string_view detail) {
  return InvalidRendered(p, std::to_string(v), detail);
}

StatusCause NotSupportedRendered(const Path& p, std::string_view rendered,
                                 std::initializer_list<std::string_view> supported) {
  return Make("FieldValueNotSupported", p,
              "Unsupported value: " + std::string(rendered) + ": " + SupportedList(supported));
}

StatusCause NotSupported(const Path& p, std::string_view v,
                         std::initializer_list<std::string_view> supported) {
  return NotSupportedRendered(p, GoQuote(v), supported);
}

StatusCause DuplicateRendered(const Path& p, std::string_view rendered) {
  return Make("FieldValueDuplicate", p, "Duplicate value: " + std::string(rendered));
}

StatusCause Duplicate(const Path& p, std::string_view v) {
  return DuplicateRendered(p, GoQuote(v));
}

StatusCause NotFound(const Path& p, std::string_view v) {
  return Make("FieldValueNotFound", p, "Not found: " + GoQuote(v));
}

// ---------------------------------------------------------------------------------------------
// Accessors

const json::value* Get(const json::object& o, std::string_view key) { return o.if_contains(key); }

const json::object* GetObj(const json::object& o, std::string_view key) {
  const json::value* v = o.if_contains(key);
  return v ? v->if_object() : nullptr;
}

const json::object* GetObj(const json::object* o, std::string_view key) {
  return o ? GetObj(*o, key) : nullptr;
}

const json::array* GetArr(const json::object& o, std::string_view key) {
  const json::value* v = o.if_contains(key);
  return v ? v->if_array() : nullptr;
}

const json::array* GetArr(const json::object* o, std::string_view key) {
  return o ? GetArr(*o, key) : nullptr;
}

std::string_view GetStr(const json::object& o, std::string_view key) {
  const json::value* v = o.if_contains(key);
  if (v == nullptr || !v->is_string()) return {};
  const json::string& s = v->get_string();
  return {s.data(), s.size()};
}

std::string_view GetStr(const json::object* o, std::string_view key) {
  return o ? GetStr(*o, key) : std::string_view();
}

bool HasStr(const json::object& o, std::string_view key) { return !GetStr(o, key).empty(); }

std::optional<int64_t> AsInt(const json::value& v) {
  if (v.is_int64()) return v.get_int64();
  if (v.is_uint64()) {
    uint64_t u = v.get_uint64();
    if (u > static_cast<uint64_t>(INT64_MAX)) return std::nullopt;
    return static_cast<int64_t>(u);
  }
  if (v.is_double()) {
    double d = v.get_double();
    if (std::isfinite(d) && d == std::floor(d) && std::fabs(d) < 9.2e18) {
      return static_cast<int64_t>(d);
    }
  }
  return std::nullopt;
}

std::optional<int64_t> GetInt(const json::object& o, std::string_view key) {
  const json::value* v = o.if_contains(key);
  if (v == nullptr) return std::nullopt;
  return AsInt(*v);
}

std::optional<int64_t> GetInt(const json::object* o, std::string_view key) {
  return o ? GetInt(*o, key) : std::nullopt;
}

std::optional<bool> GetBool(const json::object& o, std::string_view key) {
  const json::value* v = o.if_contains(key);
  if (v == nullptr || !v->is_bool()) return std::nullopt;
  return v->get_bool();
}

bool IsTrue(const json::object* o, std::string_view key) {
  return o != nullptr && GetBool(*o, key).value_or(false);
}

bool Has(const json::object& o, std::string_view key) {
  const json::value* v = o.if_contains(key);
  return v != nullptr && !v->is_null();
}

bool Has(const json::object* o, std::string_view key) { return o != nullptr && Has(*o, key); }

size_t Len(const json::object* o, std::string_view key) {
  if (o == nullptr) return 0;
  const json::value* v = o->if_contains(key);
  if (v == nullptr) return 0;
  if (v->is_array()) return v->get_array().size();
  if (v->is_object()) return v->get_object().size();
  return 0;
}

json::object* EnsureObj(json::object& o, std::string_view key) {
  json::value* v = o.if_contains(key);
  if (v == nullptr || v->is_null()) {
    o[key] = json::object();
    return &o[key].get_object();
  }
  return v->if_object();
}

json::object* MutObj(json::object& o, std::string_view key) {
  json::value* v = o.if_contains(key);
  return v ? v->if_object() : nullptr;
}

json::array* MutArr(json::object& o, std::string_view key) {
  json::value* v = o.if_contains(key);
  return v ? v->if_array() : nullptr;
}

void SetDefault(json::object& o, std::string_view key, json::value v) {
  json::value* cur = o.if_contains(key);
  if (cur == nullptr || cur->is_null() || (cur->is_string() && cur->get_string().empty())) {
    o[key] = std::move(v);
  }
}

void SetDefaultStr(json::object& o, std::string_view key, std::string_view v) {
  SetDefault(o, key, json::value(json::string(v)));
}

// ---------------------------------------------------------------------------------------------
// Semantic equality

namespace {

bool IsEmptyish(const json::value* v) {
  if (v == nullptr || v->is_null()) return true;
  if (v->is_array()) return v->get_array().empty();
  if (v->is_object()) return v->get_object().empty();
  return false;
}

bool IsNumber(const json::value& v) { return v.is_int64() || v.is_uint64() || v.is_double(); }

}  // namespace

bool SemanticEqual(const json::value* a, const json::value* b) {
  if (IsEmptyish(a) || IsEmptyish(b)) return IsEmptyish(a) && IsEmptyish(b);
  if (IsNumber(*a) && IsNumber(*b)) {
    auto ia = AsInt(*a), ib = AsInt(*b);
    if (ia && ib) return *ia == *ib;
    return a->to_number<double>() == b->to_number<double>();
  }
  if (a->kind() != b->kind()) return false;
  switch (a->kind()) {
    case json::kind::object: {
      const auto& oa = a->get_object();
      const auto& ob = b->get_object();
      for (const auto& kv : oa) {
        if (!SemanticEqual(&kv.value(), ob.if_contains(kv.key()))) return false;
      }
      for (const auto& kv : ob) {
        if (!oa.contains(kv.key()) && !IsEmptyish(&kv.value())) return false;
      }
      return true;
    }
    case json::kind::array: {
      const auto& aa = a->get_array();
      const auto& ab = b->get_array();
      if (aa.size() != ab.size()) return false;
      for (size_t i = 0; i < aa.size(); ++i) {
        if (!SemanticEqual(&aa[i], &ab[i])) return false;
      }
      return true;
    }
    default:
      return *a == *b;
  }
}

bool SemanticEqual(const json::value& a, const json::value& b) { return SemanticEqual(&a, &b); }

// ---------------------------------------------------------------------------------------------
// Selectors

SelectorEval InspectSelector(const json::object* selector) {
  SelectorEval r;
  if (selector == nullptr) return r;
  if (Len(selector, "matchLabels") > 0) r.empty = false;
  if (const json::array* exprs = GetArr(selector, "matchExpressions")) {
    for (const auto& e : *exprs) {
      r.empty = false;
      std::string_view op = GetStr(e.if_object(), "operator");
      if (op != "In" && op != "NotIn" && op != "Exists" && op != "DoesNotExist") r.ok = false;
    }
  }
  return r;
}

bool SelectorMatches(const json::object* selector, const json::object* labels) {
  if (selector == nullptr) return false;  // a nil selector selects nothing
  auto label = [&](std::string_view k) -> const json::value* {
    return labels ? labels->if_contains(k) : nullptr;
  };
  if (const json::object* ml = GetObj(selector, "matchLabels")) {
    for (const auto& kv : *ml) {
      const json::value* have = label(kv.key());
      if (have == nullptr || !(*have == kv.value())) return false;
    }
  }
  if (const json::array* exprs = GetArr(selector, "matchExpressions")) {
    for (const auto& ev : *exprs) {
      const json::object* e = ev.if_object();
      std::string_view key = GetStr(e, "key");
      std::string_view op = GetStr(e, "operator");
      const json::value* have = label(key);
      bool in_values = false;
      if (const json::array* vals = GetArr(e, "values"); vals && have) {
        for (const auto& v : *vals) {
          if (v == *have) in_values = true;
        }
      }
      if (op == "In" && !(have && in_values)) return false;
      if (op == "NotIn" && have && in_values) return false;
      if (op == "Exists" && !have) return false;
      if (op == "DoesNotExist" && have) return false;
    }
  }
  return true;
}

}  // namespace kc::api::validation
