// The `paths` of a group-version document: for each resource the collection path (list, create,
// delete collection), the item path (read, replace, patch, delete), the status and scale
// subresources, and the all-namespaces list, shaped like upstream's OpenAPI v3 operations. Every
// write operation carries the `fieldValidation` query parameter; every operation carries
// x-kubernetes-group-version-kind (an object, as upstream puts it on operations).
//
// Thread-safety: pure functions.
#pragma once

#include <boost/json/object.hpp>

#include <string>
#include <vector>

#include "pkg/api/resource_info.h"

namespace kc::openapi::internal {

// Adds the resource's paths to `paths`. `kind_schema` is the kind's definition name; its list
// schema is assumed to be named kind_schema + "List".
void AddResourcePaths(const api::ResourceInfo& ri, const std::string& kind_schema,
                      boost::json::object* paths);

// How upstream names a resource's operations: operationId is <verb><id_infix><Kind...>
// ("readAppsV1NamespacedDeployment"), tag is the group-version tag ("apps_v1", "core_v1").
struct OperationNaming {
  std::string id_infix;  // "AppsV1"
  std::string tag;       // "apps_v1"
};
OperationNaming NamingFor(const api::ResourceInfo& ri);

// Definition names the resource's operations reference besides its own kind and list types
// (Status, DeleteOptions, Patch, and autoscaling/v1 Scale for scalable resources).
std::vector<std::string> SharedSchemaRoots(const api::ResourceInfo& ri);

}  // namespace kc::openapi::internal
