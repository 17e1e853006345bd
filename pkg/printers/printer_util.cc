#include "pkg/printers/printer_util.h"

#include <algorithm>
#include <cmath>
#include <map>
#include <utility>

#include "pkg/api/label_selector.h"
#include "pkg/api/quantity.h"
#include "pkg/printers/printers.h"

namespace kc::printers::internal {

const boost::json::value* Find(const boost::json::object& o, std::string_view key) {
  return o.if_contains(key);
}

const boost::json::object* FindObj(const boost::json::object& o, std::string_view key) {
  const auto* v = o.if_contains(key);
  return v ? v->if_object() : nullptr;
}

const boost::json::object* FindObj(const boost::json::object* o, std::string_view key) {
  return o ? FindObj(*o, key) : nullptr;
}

const boost::json::array* FindArr(const boost::json::object& o, std::string_view key) {
  const auto* v = o.if_contains(key);
  return v ? v->if_array() : nullptr;
}

const boost::json::array* FindArr(const boost::json::object* o, std::string_view key) {
  return o ? FindArr(*o, key) : nullptr;
}

const boost::json::object* Path(const boost::json::object& o,
                                std::initializer_list<std::string_view> keys) {
  const boost::json::object* cur = &o;
  for (auto k : keys) {
    cur = FindObj(cur, k);
    if (!cur) return nullptr;
  }
  return cur;
}

std::string Str(const boost::json::object& o, std::string_view key) {
  const auto* v = o.if_contains(key);
  if (!v || !v->is_string()) return "";
  return std::string(v->get_string());
}

std::string Str(const boost::json::object* o, std::string_view key) {
  return o ? Str(*o, key) : std::string();
}

std::optional<int64_t> AsInt(const boost::json::value& v) {
  if (v.is_int64()) return v.get_int64();
  if (v.is_uint64()) return static_cast<int64_t>(v.get_uint64());
  if (v.is_double()) {
    double d = v.get_double();
    if (std::isfinite(d) && d >= -9.2e18 && d <= 9.2e18) return static_cast<int64_t>(d);
  }
  return std::nullopt;
}

std::optional<int64_t> Int(const boost::json::object& o, std::string_view key) {
  const auto* v = o.if_contains(key);
  if (!v) return std::nullopt;
  return AsInt(*v);
}

std::optional<int64_t> Int(const boost::json::object* o, std::string_view key) {
  return o ? Int(*o, key) : std::nullopt;
}

int64_t IntOr(const boost::json::object* o, std::string_view key, int64_t dflt) {
  return Int(o, key).value_or(dflt);
}

std::optional<bool> Bool(const boost::json::object* o, std::string_view key) {
  if (!o) return std::nullopt;
  const auto* v = o->if_contains(key);
  if (!v || !v->is_bool()) return std::nullopt;
  return v->get_bool();
}

size_t Size(const boost::json::object* o, std::string_view key) {
  if (!o) return 0;
  const auto* v = o->if_contains(key);
  if (!v) return 0;
  if (v->is_array()) return v->get_array().size();
  if (v->is_object()) return v->get_object().size();
  return 0;
}

const boost::json::object* Meta(const boost::json::object& obj) { return FindObj(obj, "metadata"); }

std::string Name(const boost::json::object& obj) { return Str(Meta(obj), "name"); }

std::string HumanSince(TimePoint t, TimePoint now) {
  // Go's Duration.Seconds() truncated toward zero; duration_cast truncates the same way.
  return HumanDuration(std::chrono::duration_cast<std::chrono::seconds>(now - t));
}

std::string AgeSince(std::string_view timestamp, TimePoint now) {
  if (timestamp.empty()) return "<unknown>";
  auto t = ParseTime(timestamp);
  if (!t) return "<unknown>";
  return HumanSince(*t, now);
}

std::string Age(const boost::json::object& obj, TimePoint now) {
  return AgeSince(Str(Meta(obj), "creationTimestamp"), now);
}

std::string FormatLabels(const boost::json::object* labels) {
  if (!labels || labels->empty()) return "<none>";
  std::map<std::string, std::string> sorted;
  for (const auto& kv : *labels) {
    sorted[std::string(kv.key())] = kv.value().is_string() ? std::string(kv.value().get_string())
                                                           : std::string();
  }
  std::string out;
  for (const auto& [k, v] : sorted) {
    if (!out.empty()) out += ',';
    out += k + "=" + v;
  }
  return out;
}

std::string SelectorString(const boost::json::object* selector, bool* ok) {
  *ok = true;
  if (!selector) return "";
  auto sel = api::LabelSelector::FromJson(*selector);
  if (!sel.ok()) {
    *ok = false;
    return "";
  }
  return sel->ToString();
}

std::string FormatLabelSelector(const boost::json::object* selector) {
  bool ok = true;
  std::string s = SelectorString(selector, &ok);
  if (!ok) return "<error>";
  return s.empty() ? "<none>" : s;
}

void ContainersAndImages(const boost::json::object* pod_spec, std::string* names,
                         std::string* images) {
  names->clear();
  images->clear();
  const auto* containers = FindArr(pod_spec, "containers");
  if (!containers) return;
  bool first = true;
  for (const auto& c : *containers) {
    const auto* co = c.if_object();
    if (!first) {
      *names += ',';
      *images += ',';
    }
    first = false;
    *names += Str(co, "name");
    *images += Str(co, "image");
  }
}

std::string IntOrString(const boost::json::value* v) {
  if (!v) return "";
  if (v->is_string()) return std::string(v->get_string());
  if (auto i = AsInt(*v)) return std::to_string(*i);
  return "";
}

std::string Quantity(const boost::json::value* v) {
  if (!v || v->is_null()) return "0";
  auto q = api::Quantity::FromJson(*v);
  if (q.ok()) return q->ToString();
  return v->is_string() ? std::string(v->get_string()) : std::string("0");
}

std::string Join(const std::vector<std::string>& parts, std::string_view sep) {
  std::string out;
  for (size_t i = 0; i < parts.size(); ++i) {
    if (i) out += sep;
    out += parts[i];
  }
  return out;
}

std::string ToLower(std::string_view s) {
  std::string out(s);
  for (auto& c : out) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  }
  return out;
}

}  // namespace kc::printers::internal
