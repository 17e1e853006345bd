// Authentication and authorization seams of the API server.
//
// An Authenticator turns a request into a user (client certificate today; bearer tokens come
// with RBAC later); an Authorizer decides whether that user may perform a verb on a resource.
// ApiHandler runs the configured chain before serving anything but the public health/version
// paths: no user → 401, a Deny → 403 with upstream's message.
//
// Thread-safety: implementations must be safe to call concurrently.
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "pkg/apiserver/http_types.h"
#include "pkg/apiserver/request_info.h"

namespace kc::apiserver {

struct UserInfo {
  std::string name;
  std::vector<std::string> groups;
};

class Authenticator {
 public:
  virtual ~Authenticator() = default;
  // The user, or nullopt when this authenticator does not recognise the request.
  virtual std::optional<UserInfo> Authenticate(const HttpRequest& req) = 0;
};

// Users from TLS client certificates verified against the client CA (CN = user, O = groups),
// and the trusted plain-HTTP port (`--insecure-port`), which acts as system:admin.
class ClientCertAuthenticator : public Authenticator {
 public:
  std::optional<UserInfo> Authenticate(const HttpRequest& req) override;
};

// Tries each authenticator in order.
class UnionAuthenticator : public Authenticator {
 public:
  explicit UnionAuthenticator(std::vector<std::unique_ptr<Authenticator>> chain)
      : chain_(std::move(chain)) {}
  std::optional<UserInfo> Authenticate(const HttpRequest& req) override;

 private:
  std::vector<std::unique_ptr<Authenticator>> chain_;
};

enum class Decision { kAllow, kDeny, kNoOpinion };

struct AuthzAttributes {
  UserInfo user;
  RequestInfo request;  // verb, group, resource, subresource, namespace, name
  std::string path;     // for non-resource requests
};

class Authorizer {
 public:
  virtual ~Authorizer() = default;
  virtual Decision Authorize(const AuthzAttributes& attrs, std::string* reason) = 0;
};

// Every authenticated user may do everything (until RBAC lands).
class AlwaysAllowAuthorizer : public Authorizer {
 public:
  Decision Authorize(const AuthzAttributes&, std::string*) override { return Decision::kAllow; }
};

// Upstream's Forbidden message: `pods "x" is forbidden: User "u" cannot get resource "pods" in
// API group "" in the namespace "default"`.
std::string ForbiddenMessage(const AuthzAttributes& attrs, const std::string& reason);

}  // namespace kc::apiserver
