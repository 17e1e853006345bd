// The `paths` of an OpenAPI v3 group-version document: the resource's operations
// (operations.h) rendered as upstream's OpenAPI v3 JSON, with x-kubernetes-group-version-kind
// as an object (as upstream puts it on operations).
//
// Thread-safety: pure functions.
#pragma once

#include <boost/json/object.hpp>

#include <string>

#include "pkg/api/resource_info.h"
#include "pkg/openapi/operations.h"

namespace kc::openapi::internal {

// Adds the resource's paths to `paths`. `kind_schema` is the kind's definition name; its list
// schema is assumed to be named kind_schema + "List".
void AddResourcePaths(const api::ResourceInfo& ri, const std::string& kind_schema,
                      boost::json::object* paths);

}  // namespace kc::openapi::internal
