#include "pkg/apiserver/api_handler.h"

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>
#include <chrono>

#include "pkg/apiserver/response_util.h"
#include "pkg/apiserver/version.h"
#include "pkg/apiserver/version_conversion.h"
#include "pkg/openapi/openapi.h"

namespace kc::apiserver {
namespace json = boost::json;

ApiHandler::ApiHandler(Registry& registry, const ApiSurface& surface, Metrics& metrics,
                       Authenticator& authenticator, Authorizer& authorizer)
    : registry_(registry),
      surface_(surface),
      metrics_(metrics),
      authenticator_(authenticator),
      authorizer_(authorizer) {}

namespace {

HttpResponse Text(int code, std::string body) {
  HttpResponse r;
  r.status = code;
  r.content_type = "text/plain; charset=utf-8";
  r.body = std::move(body);
  return r;
}

HttpResponse RawJson(int code, std::string body, std::string content_type = "application/json") {
  HttpResponse r;
  r.status = code;
  r.content_type = std::move(content_type);
  r.body = std::move(body);
  return r;
}

api::Status NotFoundPath() {
  return api::Status::NotFound("the server could not find the requested resource");
}

bool IsPublicPath(const std::string& path) {
  return path == "/healthz" || path == "/livez" || path == "/readyz" || path == "/version" ||
         path.rfind("/healthz/", 0) == 0 || path.rfind("/livez/", 0) == 0 ||
         path.rfind("/readyz/", 0) == 0;
}

}  // namespace

bool ApiHandler::RunsOnIoThread(const HttpRequest& req) {
  if (req.method == "POST") {
    // Creates run on the I/O thread up to the store write and answer asynchronously (no worker
    // waits for the group commit). Services (allocations take store writes), subresources
    // (binding, eviction) and dry runs go to the workers.
    if (req.HasQuery("dryRun")) return false;
    RequestInfo info = ParseRequestInfo(req);
    return info.is_resource && info.verb == "create" && info.subresource.empty() &&
           !(info.group.empty() && info.resource == "services");
  }
  if (req.method != "GET") return false;
  const std::string& p = req.path;
  if (p == "/healthz" || p == "/livez" || p == "/readyz" || p == "/version" || p == "/api" ||
      p == "/apis" || p == "/api/v1") {
    return true;
  }
  if (req.HasQuery("watch")) return false;
  RequestInfo info = ParseRequestInfo(req);
  // Not the streaming subresources (log, exec, attach, portforward): they block or upgrade.
  return info.is_resource && info.verb == "get" &&
         (info.subresource.empty() || info.subresource == "status" || info.subresource == "scale");
}

HttpResponse ApiHandler::Handle(HttpRequest& req) {
  auto start = std::chrono::steady_clock::now();
  HttpResponse resp;
  std::string verb = req.method, resource;
  RequestInfo info = ParseRequestInfo(req);
  if (auto user = authenticator_.Authenticate(req)) {
    req.authenticated = true;
    req.user = user->name;
    req.groups = user->groups;
  }
  std::string deny_reason;
  AuthzAttributes attrs;
  if (req.authenticated && !IsPublicPath(req.path)) {
    attrs.user = UserInfo{req.user, req.groups};
    attrs.request = info;
    if (!info.is_resource) attrs.request.verb = req.method == "GET" ? "get" : req.method;
    attrs.path = req.path;
  }
  if (!req.authenticated && !IsPublicPath(req.path)) {
    api::Status s(api::Reason::kUnauthorized, "Unauthorized");
    resp = ErrorResponse(s);
  } else if (req.authenticated && !IsPublicPath(req.path) &&
             authorizer_.Authorize(attrs, &deny_reason) != Decision::kAllow) {
    api::Status s = api::Status::Forbidden(ForbiddenMessage(attrs, deny_reason));
    s.WithName(info.name).WithResource(info.group, info.resource);
    resp = ErrorResponse(s);
  } else {
    if (!info.is_resource) {
      resp = HandleNonResource(req);
    } else {
      verb = info.verb;
      resource = info.resource;
      const api::ResourceInfo* ri = surface_.Find(info.group, info.version, info.resource);
      if (!ri || (!ri->namespaced && !info.namespace_.empty())) {
        resp = ErrorResponse(NotFoundPath());
      } else {
        resp = HandleResource(req, info, *ri);
      }
    }
  }
  double secs = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  metrics_.RecordRequest(verb, resource, resp.status, secs);
  return resp;
}

HttpResponse ApiHandler::HandleNonResource(HttpRequest& req) {
  const std::string& p = req.path;
  if (req.method != "GET" && req.method != "HEAD") {
    return ErrorResponse(MethodNotAllowed());
  }
  if (p == "/healthz" || p == "/livez" || p.rfind("/healthz/", 0) == 0 ||
      p.rfind("/livez/", 0) == 0) {
    return Text(200, "ok");
  }
  if (p == "/readyz" || p.rfind("/readyz/", 0) == 0) {
    return ready_ ? Text(200, "ok") : Text(500, "[-]bootstrap not finished\nreadyz check failed");
  }
  if (p == "/version") return RawJson(200, VersionJson());
  if (p == "/metrics") {
    HttpResponse r = Text(200, metrics_.Render(&registry_.backend()));
    r.content_type = "text/plain; version=0.0.4; charset=utf-8";
    return r;
  }
  if (p == "/api" || p == "/api/") return DiscoveryRootResponse(surface_, req, /*core=*/true);
  if (p == "/apis" || p == "/apis/") return DiscoveryRootResponse(surface_, req, /*core=*/false);
  if (p == "/api/v1") {
    auto doc = surface_.ApiResourceListJson("", "v1");
    return doc ? RawJson(200, *doc) : ErrorResponse(NotFoundPath());
  }
  if (p.rfind("/apis/", 0) == 0) {
    std::string rest = p.substr(6);
    while (!rest.empty() && rest.back() == '/') rest.pop_back();
    size_t slash = rest.find('/');
    if (slash == std::string::npos) {
      auto doc = surface_.ApiGroupJson(rest);
      return doc ? RawJson(200, *doc) : ErrorResponse(NotFoundPath());
    }
    std::string group = rest.substr(0, slash), version = rest.substr(slash + 1);
    if (version.find('/') == std::string::npos) {
      auto doc = surface_.ApiResourceListJson(group, version);
      return doc ? RawJson(200, *doc) : ErrorResponse(NotFoundPath());
    }
  }
  if (p == "/openapi/v2" || p == "/openapi/v2/") {
    // kubectl reads only the protobuf form (the fallback when /openapi/v3 fails); there is no
    // JSON form, so a JSON-only Accept gets 404 like a server without v2.
    if (req.Header("accept").find("protobuf") == std::string::npos) {
      return ErrorResponse(NotFoundPath());
    }
    HttpResponse r = RawJson(200, openapi::V2DocumentProto(surface_.enabled()));
    r.content_type = openapi::kV2ProtoContentType;
    return r;
  }
  if (p == "/openapi/v3" || p == "/openapi/v3/") {
    return RawJson(200, openapi::V3Index(surface_.enabled()));
  }
  if (p.rfind("/openapi/v3/", 0) == 0) {
    auto doc = openapi::V3Document(p.substr(12), surface_.enabled());
    if (!doc) return ErrorResponse(NotFoundPath());
    HttpResponse r = RawJson(200, std::move(*doc));
    if (req.HasQuery("hash")) {
      r.headers.emplace_back("Cache-Control", "public, immutable");
    }
    return r;
  }
  return ErrorResponse(NotFoundPath());
}

HttpResponse ApiHandler::HandleResource(HttpRequest& req, const RequestInfo& info,
                                        const api::ResourceInfo& ri) {
  const std::string& sub = info.subresource;
  if (!sub.empty()) {
    bool known = (sub == "status" && ri.has_status) || (sub == "scale" && ri.has_scale);
    for (const auto& x : ri.extra_subresources) known = known || x == sub;
    if (!known || info.name.empty()) return ErrorResponse(NotFoundPath());
    if (sub == "binding" && info.verb == "create") return HandleBinding(req, info, ri);
    if (sub == "eviction" && info.verb == "create") return HandleEviction(req, info, ri);
    if (ri.group.empty() && ri.plural == "pods" &&
        (sub == "log" || sub == "exec" || sub == "attach" || sub == "portforward")) {
      return HandlePodStream(req, info, ri);
    }
    if (sub != "status" && sub != "scale" && sub != "finalize") {
      return ErrorResponse(api::Status(api::Reason::kMethodNotAllowed,
                                       "the server does not allow this method on the requested "
                                       "resource (" + ri.plural + "/" + sub + ")"));
    }
    if (sub == "finalize" && info.verb != "update") {
      return ErrorResponse(api::Status(api::Reason::kMethodNotAllowed,
                                       "finalize supports only update"));
    }
  }
  const std::string& v = info.verb;
  if (v == "get") return HandleGet(req, info, ri);
  if (v == "list") return HandleList(req, info, ri);
  if (v == "watch") return HandleWatch(req, info, ri);
  if (v == "create") {
    if (!info.name.empty()) return ErrorResponse(NotFoundPath());
    return HandleCreate(req, info, ri);
  }
  if (v == "update") {
    if (info.name.empty()) return ErrorResponse(NotFoundPath());
    return HandleUpdate(req, info, ri);
  }
  if (v == "patch") {
    if (info.name.empty()) return ErrorResponse(NotFoundPath());
    return HandlePatch(req, info, ri);
  }
  if (v == "delete") return HandleDelete(req, info, ri);
  if (v == "deletecollection") return HandleDeleteCollection(req, info, ri);
  return ErrorResponse(MethodNotAllowed());
}

HttpResponse ApiHandler::ObjectOrTable(HttpRequest& req, const api::ResourceInfo& ri, int code,
                                       const json::object& obj) {
  if (WantsTable(req)) {
    std::vector<json::object> one{obj};
    json::object t = ToTable(ri, one, ParseIncludeObject(req.Query("includeObject")), true,
                             std::chrono::system_clock::now());
    if (const json::value* m = obj.if_contains("metadata"); m && m->is_object()) {
      if (const json::value* rv = m->get_object().if_contains("resourceVersion")) {
        t["metadata"].get_object()["resourceVersion"] = *rv;
      }
    }
    HttpResponse r = JsonResponse(code, t);
    r.content_type = "application/json;as=Table;v=v1;g=meta.k8s.io";
    return r;
  }
  if (HasVersionConversion(ri)) {  // the stored shape, as the request's version sees it
    json::object converted = obj;
    FromStorage(ri, converted);
    return JsonResponse(code, converted);
  }
  return JsonResponse(code, obj);
}

}  // namespace kc::apiserver
