// Test helpers shared by the defaults/validation tests (test binaries only).
#pragma once

#include <doctest/doctest.h>

#include <boost/json/object.hpp>
#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>
#include <string>
#include <string_view>
#include <vector>

#include "pkg/api/defaults.h"
#include "pkg/api/resource_info.h"
#include "pkg/api/validation.h"

namespace kc::api::testing {

inline boost::json::object Obj(std::string_view json) {
  boost::json::value v = boost::json::parse(json);
  REQUIRE(v.is_object());
  return v.get_object();
}

inline const ResourceInfo& RI(std::string_view group, std::string_view kind,
                              std::string_view version = "v1") {
  const ResourceInfo* ri = FindKind(group, version, kind);
  REQUIRE(ri != nullptr);
  return *ri;
}

// "field: message" per cause, as kubectl prints them.
inline std::vector<std::string> Render(const std::vector<StatusCause>& causes) {
  std::vector<std::string> out;
  for (const auto& c : causes)
    out.push_back(c.field.empty() ? c.message : c.field + ": " + c.message);
  return out;
}

// Defaults then validates a new object, as the API server does on create.
inline std::vector<std::string> CreateErrors(const ResourceInfo& ri, boost::json::object obj) {
  ApplyDefaults(ri, obj);
  return Render(ValidateObject(ri, obj));
}

inline std::vector<std::string> UpdateErrors(const ResourceInfo& ri, boost::json::object obj,
                                             boost::json::object old) {
  ApplyDefaults(ri, obj);
  ApplyDefaults(ri, old);
  return Render(ValidateUpdate(ri, obj, old));
}

inline bool Contains(const std::vector<std::string>& errs, std::string_view want) {
  for (const auto& e : errs) {
    if (e == want) return true;
  }
  return false;
}

inline std::string Dump(const std::vector<std::string>& errs) {
  std::string s;
  for (const auto& e : errs) s += "\n  " + e;
  return s;
}

// The JSON value at a dotted path ("spec.containers[0].image"); null when absent.
inline boost::json::value At(const boost::json::object& obj, std::string_view path) {
  boost::json::value cur = obj;
  while (!path.empty()) {
    size_t dot = path.find('.');
    std::string_view seg = path.substr(0, dot);
    path = dot == std::string_view::npos ? std::string_view() : path.substr(dot + 1);
    long index = -1;
    if (size_t br = seg.find('['); br != std::string_view::npos) {
      index = std::stol(std::string(seg.substr(br + 1, seg.size() - br - 2)));
      seg = seg.substr(0, br);
    }
    const boost::json::object* o = cur.if_object();
    const boost::json::value* next = o ? o->if_contains(seg) : nullptr;
    if (next == nullptr) return nullptr;
    if (index >= 0) {
      const boost::json::array* a = next->if_array();
      if (a == nullptr || static_cast<size_t>(index) >= a->size()) return nullptr;
      next = &(*a)[index];
    }
    boost::json::value copy = *next;
    cur = std::move(copy);
  }
  return cur;
}

}  // namespace kc::api::testing
