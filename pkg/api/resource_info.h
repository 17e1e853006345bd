// ResourceInfo: the static description of one served resource (group, version, kind, plural,
// scope, aliases, subresources) and the catalog of every built-in kind kcluster serves.
//
// The catalog is immutable after start; it is safe to read from any thread.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace kc::api {

enum class Stability { kStable, kBeta, kAlpha };

struct ResourceInfo {
  std::string group;     // "" for core
  std::string version;   // "v1"
  std::string kind;      // "Deployment"
  std::string plural;    // "deployments"
  std::string singular;  // "deployment"
  bool namespaced = true;
  std::vector<std::string> short_names;
  std::vector<std::string> categories;  // "all" makes `kubectl get all` include it
  bool has_status = false;              // status subresource (spec/status split)
  bool has_scale = false;               // scale subresource (autoscaling/v1 Scale)
  Stability stability = Stability::kStable;
  // Extra subresources beyond status/scale, e.g. "log", "exec", "binding", "eviction".
  std::vector<std::string> extra_subresources;

  // "apps/v1" or "v1".
  std::string GroupVersion() const { return group.empty() ? version : group + "/" + version; }
  // "deployments.apps" or "pods": how upstream error messages name the resource.
  std::string QualifiedResource() const { return group.empty() ? plural : plural + "." + group; }
  // "Deployment.apps" or "Pod": how upstream Invalid messages name the kind.
  std::string QualifiedKind() const { return group.empty() ? kind : kind + "." + group; }
  std::string ListKind() const { return kind + "List"; }
  // URL prefix "/api/v1" or "/apis/apps/v1".
  std::string PathPrefix() const {
    return group.empty() ? "/api/" + version : "/apis/" + group + "/" + version;
  }
};

// Every built-in resource, in discovery order (groups in upstream's order, core first).
const std::vector<ResourceInfo>& BuiltinResources();

// Lookup helpers over the built-in catalog; nullptr when unknown.
const ResourceInfo* FindResource(std::string_view group, std::string_view version,
                                 std::string_view plural);
const ResourceInfo* FindKind(std::string_view group, std::string_view version,
                             std::string_view kind);
// Splits "apps/v1" into group/version ("v1" → "", "v1").
void SplitGroupVersion(std::string_view api_version, std::string* group, std::string* version);

}  // namespace kc::api
