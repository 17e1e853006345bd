#include "pkg/apiserver/auth.h"

namespace kc::apiserver {

std::optional<UserInfo> ClientCertAuthenticator::Authenticate(const HttpRequest& req) {
  if (!req.tls) return UserInfo{"system:admin", {"system:masters", "system:authenticated"}};
  if (req.peer_user.empty()) return std::nullopt;
  UserInfo u{req.peer_user, req.peer_groups};
  u.groups.push_back("system:authenticated");
  return u;
}

std::optional<UserInfo> UnionAuthenticator::Authenticate(const HttpRequest& req) {
  for (auto& a : chain_) {
    if (auto u = a->Authenticate(req)) return u;
  }
  return std::nullopt;
}

std::string ForbiddenMessage(const AuthzAttributes& attrs, const std::string& reason) {
  const RequestInfo& r = attrs.request;
  std::string msg;
  if (!r.is_resource) {
    msg = "forbidden: User \"" + attrs.user.name + "\" cannot " + r.verb + " path \"" +
          attrs.path + "\"";
  } else {
    std::string res = r.group.empty() ? r.resource : r.resource + "." + r.group;
    msg = (r.name.empty() ? res : res + " \"" + r.name + "\"") + " is forbidden: User \"" +
          attrs.user.name + "\" cannot " + r.verb + " resource \"" + r.resource +
          (r.subresource.empty() ? "" : "/" + r.subresource) + "\" in API group \"" + r.group +
          "\"" + (r.namespace_.empty() ? " at the cluster scope" : " in the namespace \"" + r.namespace_ + "\"");
  }
  if (!reason.empty()) msg += ": " + reason;
  return msg;
}

}  // namespace kc::apiserver
