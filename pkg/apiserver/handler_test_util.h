// Test helper: an ApiHandler over a fresh TestRegistry with every built-in resource served,
// driven without sockets. Requests are authenticated as the admin client certificate would be.
// For tests only.
//
// Thread-safety: one test thread; the handler follows its own rules.
#pragma once

#include <map>
#include <memory>
#include <optional>
#include <string>
#include <utility>

#include "pkg/apiserver/api_handler.h"
#include "pkg/apiserver/test_util.h"

namespace kc::apiserver::testing {

// Authenticates the client-certificate identity the transport recorded (req.peer_user), like
// the real ClientCertAuthenticator minus the TLS check.
class PeerAuthenticator : public Authenticator {
 public:
  std::optional<UserInfo> Authenticate(const HttpRequest& req) override {
    if (req.peer_user.empty()) return std::nullopt;
    return UserInfo{req.peer_user, req.peer_groups};
  }
};

// Denies everything with an empty reason.
class DenyAllAuthorizer : public Authorizer {
 public:
  Decision Authorize(const AuthzAttributes&, std::string* reason) override {
    *reason = "";
    return Decision::kDeny;
  }
};

class HandlerServer {
 public:
  explicit HandlerServer(bool deny = false)
      : surface_(*ApiSurface::Build("")),
        handler_(reg_.reg(), surface_, metrics_, authn_,
                 deny ? static_cast<Authorizer&>(deny_) : allow_) {}

  HttpResponse Do(const std::string& method, const std::string& path_and_query,
                  const std::string& body = "",
                  std::map<std::string, std::string> headers = {}, bool authenticated = true) {
    HttpRequest req = testing::AdminRequest(method, path_and_query, std::move(headers));
    if (!body.empty() && !req.headers.count("content-type")) {
      req.headers["content-type"] = "application/json";
    }
    req.body = body;
    req.async_reply = std::exchange(reply_, nullptr);
    if (!authenticated) {
      req.peer_user.clear();
      req.peer_groups.clear();
    }
    return handler_.Handle(req);
  }
  HttpResponse Patch(const std::string& path, const std::string& body, const char* type) {
    return Do("PATCH", path, body, {{"content-type", type}});
  }

  TestRegistry& registry() { return reg_; }
  // The next request carries this AsyncReply (as the HTTP server gives every POST).
  void SetReply(std::shared_ptr<AsyncReply> r) { reply_ = std::move(r); }

 private:
  TestRegistry reg_;
  ApiSurface surface_;
  Metrics metrics_;
  PeerAuthenticator authn_;
  AlwaysAllowAuthorizer allow_;
  DenyAllAuthorizer deny_;
  ApiHandler handler_;
  std::shared_ptr<AsyncReply> reply_;
};

}  // namespace kc::apiserver::testing
