// Discovery documents, built from the set of enabled resources:
// - legacy: /api (APIVersions), /apis (APIGroupList), /apis/<group> (APIGroup) and /api/v1,
//   /apis/<g>/<v> (APIResourceList);
// - aggregated (apidiscovery.k8s.io/v2 APIGroupDiscoveryList) on /api and /apis, which lets
//   kubectl learn every resource in two requests instead of one per group-version.
// Also the --runtime-config switch that decides which group-versions (or single resources) are
// served, and the Accept negotiation between the two formats.
//
// Thread-safety: ApiSurface is immutable after construction.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "pkg/api/resource_info.h"
#include "pkg/api/status.h"
#include "pkg/apiserver/http_types.h"

namespace kc::apiserver {

class ApiSurface {
 public:
  // `runtime_config` is "group/version=true|false,group/version/resource=false,api/alpha=true"
  // (k8s syntax; "api/all", "api/beta", "api/alpha" toggle levels). Alpha is off by default.
  static api::Result<ApiSurface> Build(const std::string& runtime_config);

  const std::vector<const api::ResourceInfo*>& enabled() const { return enabled_; }
  // nullptr if the resource is not served.
  const api::ResourceInfo* Find(const std::string& group, const std::string& version,
                                const std::string& resource) const;
  bool ServesGroupVersion(const std::string& group, const std::string& version) const;
  // Legacy documents: /api, /apis, /apis/<group> and /api/v1 or /apis/<group>/<version>
  // (nullopt when that group or group-version is not served).
  std::string ApiVersionsJson() const;
  std::string ApiGroupListJson() const;
  std::optional<std::string> ApiGroupJson(const std::string& group) const;
  std::optional<std::string> ApiResourceListJson(const std::string& group,
                                                 const std::string& version) const;
  // The APIGroupDiscoveryList (apidiscovery.k8s.io/v2) for /api (`core`: the one group "" with
  // version v1, no items if core/v1 is switched off) or /apis (every other served group in
  // discovery order, each with its versions preferred first).
  std::string AggregatedDiscoveryJson(bool core) const;

 private:
  std::vector<const api::ResourceInfo*> enabled_;
};

// The Content-Type of an aggregated discovery response. client-go treats a body as aggregated
// only when these three parameters are present, so it is sent exactly like this.
inline constexpr std::string_view kAggregatedDiscoveryContentType =
    "application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList";

// True if an Accept header lists aggregated discovery v2 as JSON: a media range
// application/json whose parameters include g=apidiscovery.k8s.io, v=v2 and
// as=APIGroupDiscoveryList (any order, extra parameters allowed, not q=0). Only v2 in JSON is
// served: a client asking just for v2beta1 or protobuf gets the legacy documents.
bool WantsAggregatedDiscovery(std::string_view accept);

// The response to GET /api (`core`) or /apis: aggregated v2 when the request's Accept header asks
// for it (see WantsAggregatedDiscovery), else the legacy APIVersions / APIGroupList. Both carry
// `Vary: Accept`, since the body depends on that header.
HttpResponse DiscoveryRootResponse(const ApiSurface& surface, const HttpRequest& req, bool core);

}  // namespace kc::apiserver
