#include "pkg/apiserver/request_info.h"

#include <vector>

namespace kc::apiserver {

namespace {
std::vector<std::string> SplitPath(const std::string& path) {
  std::vector<std::string> parts;
  size_t i = 0;
  while (i < path.size()) {
    while (i < path.size() && path[i] == '/') ++i;
    size_t j = path.find('/', i);
    if (j == std::string::npos) j = path.size();
    if (j > i) parts.push_back(path.substr(i, j - i));
    i = j;
  }
  return parts;
}
}  // namespace

RequestInfo ParseRequestInfo(const HttpRequest& req) {
  RequestInfo info;
  std::vector<std::string> p = SplitPath(req.path);
  size_t i = 0;
  if (p.size() >= 2 && p[0] == "api") {
    info.version = p[1];
    i = 2;
  } else if (p.size() >= 3 && p[0] == "apis") {
    info.group = p[1];
    info.version = p[2];
    i = 3;
  } else {
    return info;
  }
  if (i >= p.size()) return info;
  // "namespaces/{ns}/{resource}..." vs the namespaces resource itself.
  const bool ns_subresource =
      i + 3 == p.size() && p[i] == "namespaces" && (p[i + 2] == "status" || p[i + 2] == "finalize");
  if (p[i] == "namespaces" && i + 2 < p.size() && !ns_subresource) {
    info.namespace_ = p[i + 1];
    i += 2;
  }
  info.is_resource = true;
  info.resource = p[i++];
  if (i < p.size()) info.name = p[i++];
  if (i < p.size()) info.subresource = p[i++];
  if (i < p.size()) {  // deeper paths are not part of the grammar
    info.is_resource = false;
    return info;
  }
  // /api/v1/namespaces/{name}[/{sub}] is the namespaces resource itself (handled above by
  // requiring a third segment before treating "namespaces" as a scope).
  const bool watch = req.Query("watch") == "true" || req.Query("watch") == "1";
  if (req.method == "GET" || req.method == "HEAD") {
    if (info.name.empty()) {
      info.verb = watch ? "watch" : "list";
    } else {
      info.verb = watch ? "watch" : "get";
    }
  } else if (req.method == "POST") {
    info.verb = "create";
  } else if (req.method == "PUT") {
    info.verb = "update";
  } else if (req.method == "PATCH") {
    info.verb = "patch";
  } else if (req.method == "DELETE") {
    info.verb = info.name.empty() ? "deletecollection" : "delete";
  } else {
    info.verb = "unknown";
  }
  return info;
}

}  // namespace kc::apiserver
