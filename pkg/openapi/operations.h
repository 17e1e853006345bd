// The operations a resource offers, described once and rendered twice: as OpenAPI v3 JSON
// (v3_paths.cc) and as swagger 2.0 protobuf (v2_paths.cc). For each resource: the collection path
// (list, create, delete collection), the item path (read, replace, patch, delete), the status and
// scale subresources, and the all-namespaces list, named and parameterised like upstream's.
// Every write operation carries the `fieldValidation` query parameter, which is what makes
// kubectl leave validation to the server.
//
// Thread-safety: pure functions.
#pragma once

#include <string>
#include <vector>

#include "pkg/api/resource_info.h"
#include "pkg/openapi/schema_registry.h"

namespace kc::openapi::internal {

inline constexpr const char* kStatusSchema = "io.k8s.apimachinery.pkg.apis.meta.v1.Status";
inline constexpr const char* kDeleteOptionsSchema =
    "io.k8s.apimachinery.pkg.apis.meta.v1.DeleteOptions";
inline constexpr const char* kPatchSchema = "io.k8s.apimachinery.pkg.apis.meta.v1.Patch";
inline constexpr const char* kScaleSchema = "io.k8s.api.autoscaling.v1.Scale";

struct ParamSpec {
  std::string name;
  std::string in;    // "query" or "path"
  std::string type;  // "string", "integer", "boolean"
  std::string description;
  bool required = false;
};

struct ResponseSpec {
  std::string code;  // "200"
  std::string description;
  std::string schema;  // definition name; empty: no body
};

struct OperationSpec {
  std::string method;        // "get", "post", "put", "patch", "delete"
  std::string action;        // x-kubernetes-action
  std::string operation_id;  // "readAppsV1NamespacedDeployment"
  std::string tag;           // "apps_v1"
  std::string description;
  Gvk gvk;                   // x-kubernetes-group-version-kind
  bool is_list = false;      // also produces watch streams
  std::vector<ParamSpec> params;  // query parameters
  std::string body_schema;   // request body definition; empty: none
  bool body_required = false;
  bool is_patch = false;     // the body is a patch (its own media types)
  std::vector<ResponseSpec> responses;
};

struct PathSpec {
  std::string path;
  std::vector<OperationSpec> operations;
  std::vector<ParamSpec> params;  // path-level parameters
};

// The resource's paths. `kind_schema` is the kind's definition name; its list definition is
// kind_schema + "List".
std::vector<PathSpec> ResourcePaths(const api::ResourceInfo& ri, const std::string& kind_schema);

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
