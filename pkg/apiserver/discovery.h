// Discovery documents (legacy format, which kubectl 1.32 fully supports): /api (APIVersions),
// /apis (APIGroupList), /apis/<group> (APIGroup) and /api/v1, /apis/<g>/<v> (APIResourceList),
// built from the set of enabled resources. Also the --runtime-config switch that decides which
// group-versions (or single resources) are served.
//
// Thread-safety: ApiSurface is immutable after construction.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "pkg/api/resource_info.h"
#include "pkg/api/status.h"

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
  // The preferred (first enabled) version of a group's kind-sharing resource, for storage of
  // objects that exist in several versions.
  std::string ApiVersionsJson() const;
  std::string ApiGroupListJson() const;
  std::optional<std::string> ApiGroupJson(const std::string& group) const;
  std::optional<std::string> ApiResourceListJson(const std::string& group,
                                                 const std::string& version) const;

 private:
  std::vector<const api::ResourceInfo*> enabled_;
};

}  // namespace kc::apiserver
