// Test helpers for the printers tests: JSON literals, a fixed clock, and catalog lookups.
#pragma once

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>

#include <string>
#include <string_view>

#include "pkg/api/resource_info.h"
#include "pkg/api/time_util.h"
#include "pkg/printers/printers.h"

namespace kc::printers::testing {

// 2024-05-01T12:00:00Z: every age in the tests is relative to this instant.
inline std::chrono::system_clock::time_point Now() {
  return *api::ParseTime("2024-05-01T12:00:00Z");
}

inline boost::json::object Obj(std::string_view json) { return boost::json::parse(json).as_object(); }

inline const api::ResourceInfo& Res(std::string_view group, std::string_view kind,
                                    std::string_view version = "v1") {
  const api::ResourceInfo* ri = api::FindKind(group, version, kind);
  if (!ri) throw std::runtime_error("no such kind in catalog: " + std::string(kind));
  return *ri;
}

// Cells rendered as compact JSON, e.g. ["web","1/1","Running","0","5m",...].
inline std::string CellsJson(std::string_view group, std::string_view kind, std::string_view json,
                             std::string_view version = "v1") {
  return boost::json::serialize(CellsFor(Res(group, kind, version), Obj(json), Now()));
}

}  // namespace kc::printers::testing
