// RequestInfo: what a resource URL names — the Kubernetes path grammar
//   /api/v1[/namespaces/{ns}]/{resource}[/{name}[/{subresource}]]
//   /apis/{group}/{version}[/namespaces/{ns}]/{resource}[/{name}[/{subresource}]]
// plus the verb derived from the method and query (get/list/watch/create/update/patch/delete/
// deletecollection).
//
// Thread-safety: a value type.
#pragma once

#include <string>

#include "pkg/apiserver/http_types.h"

namespace kc::apiserver {

struct RequestInfo {
  bool is_resource = false;  // false for /api, /apis/g/v, /version, ...
  std::string group;
  std::string version;
  std::string namespace_;
  std::string resource;
  std::string name;
  std::string subresource;
  std::string verb;
};

RequestInfo ParseRequestInfo(const HttpRequest& req);

}  // namespace kc::apiserver
