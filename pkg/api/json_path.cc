#include "pkg/api/json_path.h"

#include <charconv>

namespace kc::api {
namespace json = boost::json;

const json::value* Lookup(const json::value& root, std::string_view dotted_path) {
  const json::value* cur = &root;
  while (!dotted_path.empty()) {
    size_t dot = dotted_path.find('.');
    std::string_view seg = dotted_path.substr(0, dot);
    dotted_path = dot == std::string_view::npos ? std::string_view() : dotted_path.substr(dot + 1);
    if (const json::object* o = cur->if_object()) {
      cur = o->if_contains(seg);
    } else if (const json::array* a = cur->if_array()) {
      size_t idx = 0;
      auto [end, ec] = std::from_chars(seg.data(), seg.data() + seg.size(), idx);
      if (ec != std::errc() || end != seg.data() + seg.size() || seg.empty()) return nullptr;
      cur = a->if_contains(idx);
    } else {
      return nullptr;
    }
    if (!cur) return nullptr;
  }
  return cur;
}

const json::value* Lookup(const json::object& root, std::string_view dotted_path) {
  if (dotted_path.empty()) return nullptr;
  size_t dot = dotted_path.find('.');
  const json::value* first = root.if_contains(dotted_path.substr(0, dot));
  if (!first || dot == std::string_view::npos) return first;
  return Lookup(*first, dotted_path.substr(dot + 1));
}

std::string GetString(const json::object& o, std::string_view key) {
  const json::value* v = o.if_contains(key);
  return v && v->is_string() ? std::string(v->get_string()) : std::string();
}

int64_t GetInt64(const json::object& o, std::string_view key, int64_t def) {
  const json::value* v = o.if_contains(key);
  if (!v) return def;
  if (v->is_int64()) return v->get_int64();
  if (v->is_uint64() && v->get_uint64() <= static_cast<uint64_t>(INT64_MAX)) {
    return static_cast<int64_t>(v->get_uint64());
  }
  return def;
}

const json::object* GetObject(const json::object& o, std::string_view key) {
  const json::value* v = o.if_contains(key);
  return v ? v->if_object() : nullptr;
}

const json::array* GetArray(const json::object& o, std::string_view key) {
  const json::value* v = o.if_contains(key);
  return v ? v->if_array() : nullptr;
}

json::object& EnsureObject(json::object& o, std::string_view key) {
  json::value& v = o[key];
  if (!v.is_object()) v = json::object();
  return v.get_object();
}

}  // namespace kc::api
