// ApiHandler: turns HTTP requests into Registry calls — authentication gate, the non-resource
// endpoints (/version, health, metrics, discovery, OpenAPI) and the resource verbs with their
// content negotiation (JSON/YAML bodies, Tables, watch streams, field validation).
//
// Thread-safety: Handle may be called concurrently from the HTTP worker threads.
#pragma once

#include <atomic>
#include <string>

#include "pkg/apiserver/auth.h"
#include "pkg/apiserver/discovery.h"
#include "pkg/apiserver/http_types.h"
#include "pkg/apiserver/metrics.h"
#include "pkg/apiserver/registry.h"
#include "pkg/apiserver/request_info.h"

namespace kc::streaming {
class PodStreams;
}

namespace kc::apiserver {

class ApiHandler {
 public:
  ApiHandler(Registry& registry, const ApiSurface& surface, Metrics& metrics,
             Authenticator& authenticator, Authorizer& authorizer);

  HttpResponse Handle(HttpRequest& req);
  // True for requests that never block for long: single-object GETs, health, version and
  // discovery, and creates (which block nowhere: they answer through the request's AsyncReply
  // once the store has the write). The HTTP server runs these on its I/O threads.
  static bool RunsOnIoThread(const HttpRequest& req);

  // Marks the server ready (for /readyz) once bootstrapping finished.
  void SetReady(bool ready) { ready_ = ready; }
  // The node side of pods/log, exec, attach and portforward (the kubelet); not owned, must
  // outlive the handler and every stream it started. nullptr (the default): those answer 503.
  void SetPodStreams(streaming::PodStreams* streams) { pod_streams_ = streams; }

 private:
  HttpResponse HandleNonResource(HttpRequest& req);
  HttpResponse HandleResource(HttpRequest& req, const RequestInfo& info,
                              const api::ResourceInfo& ri);
  HttpResponse HandleGet(HttpRequest& req, const RequestInfo& info, const api::ResourceInfo& ri);
  HttpResponse HandleList(HttpRequest& req, const RequestInfo& info, const api::ResourceInfo& ri);
  HttpResponse HandleWatch(HttpRequest& req, const RequestInfo& info, const api::ResourceInfo& ri);
  HttpResponse HandleCreate(HttpRequest& req, const RequestInfo& info, const api::ResourceInfo& ri);
  HttpResponse HandleUpdate(HttpRequest& req, const RequestInfo& info, const api::ResourceInfo& ri);
  HttpResponse HandlePatch(HttpRequest& req, const RequestInfo& info, const api::ResourceInfo& ri);
  HttpResponse HandleDelete(HttpRequest& req, const RequestInfo& info, const api::ResourceInfo& ri);
  HttpResponse HandleDeleteCollection(HttpRequest& req, const RequestInfo& info,
                                      const api::ResourceInfo& ri);
  HttpResponse HandleBinding(HttpRequest& req, const RequestInfo& info,
                             const api::ResourceInfo& ri);
  HttpResponse HandleEviction(HttpRequest& req, const RequestInfo& info,
                              const api::ResourceInfo& ri);
  // pods/log, pods/exec, pods/attach, pods/portforward (pod_stream_handlers.cc).
  HttpResponse HandlePodStream(HttpRequest& req, const RequestInfo& info,
                               const api::ResourceInfo& ri);
  HttpResponse HandlePodLog(HttpRequest& req, const RequestInfo& info,
                            const api::ResourceInfo& ri);
  HttpResponse HandlePodUpgrade(HttpRequest& req, const RequestInfo& info,
                                const api::ResourceInfo& ri);
  HttpResponse ObjectOrTable(HttpRequest& req, const api::ResourceInfo& ri, int code,
                             const boost::json::object& obj);

  Registry& registry_;
  const ApiSurface& surface_;
  Metrics& metrics_;
  Authenticator& authenticator_;
  Authorizer& authorizer_;
  std::atomic<bool> ready_{false};
  std::atomic<streaming::PodStreams*> pod_streams_{nullptr};
};

}  // namespace kc::apiserver
