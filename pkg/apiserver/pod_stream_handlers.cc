// ApiHandler: pods/log, pods/exec, pods/attach, pods/portforward.
//
// The API server resolves the pod and container, asks the node (PodStreams, i.e. the kubelet)
// for the log file or containerd's single-use stream URL, then serves the stream itself:
//   - log: a chunked text/plain body fed by a CriLogReader on a thread of its own;
//   - exec/attach/portforward: an upgrade handed to a streaming relay, which runs
//     asynchronously on the connection's strand (no request worker and no thread per stream).
#include <chrono>

#include "pkg/apiserver/api_handler.h"
#include "pkg/apiserver/pod_log_response.h"
#include "pkg/apiserver/pod_stream_options.h"
#include "pkg/apiserver/response_util.h"
#include "pkg/streaming/pod_streams.h"
#include "pkg/streaming/upgrade.h"

namespace kc::apiserver {

namespace {

api::Status NoPodStreams() {
  return api::Status::Unavailable("no node agent is serving pod logs and streams");
}

bool IsScheduled(const boost::json::object& pod) {
  const boost::json::value* spec = pod.if_contains("spec");
  if (!spec || !spec->is_object()) return false;
  const boost::json::value* node = spec->get_object().if_contains("nodeName");
  return node && node->is_string() && !node->get_string().empty();
}

int64_t NowNanos() {
  return std::chrono::duration_cast<std::chrono::nanoseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

}  // namespace

HttpResponse ApiHandler::HandlePodStream(HttpRequest& req, const RequestInfo& info,
                                         const api::ResourceInfo& ri) {
  if (info.subresource == "log") {
    if (req.method != "GET") return ErrorResponse(MethodNotAllowed());
    return HandlePodLog(req, info, ri);
  }
  if (req.method != "GET" && req.method != "POST") return ErrorResponse(MethodNotAllowed());
  if (req.method == "GET") {
    // A WebSocket upgrade arrives as GET (authorized above as "get"), but it starts a process
    // or a tunnel: upstream (AuthorizePodWebsocketUpgradeCreatePermission, default on) also
    // requires "create", the verb of the SPDY POST.
    AuthzAttributes attrs;
    attrs.user = UserInfo{req.user, req.groups};
    attrs.request = info;
    attrs.request.verb = "create";
    attrs.path = req.path;
    std::string reason;
    if (authorizer_.Authorize(attrs, &reason) != Decision::kAllow) {
      api::Status s = api::Status::Forbidden(ForbiddenMessage(attrs, reason));
      s.WithName(info.name).WithResource(info.group, info.resource);
      return ErrorResponse(s);
    }
  }
  return HandlePodUpgrade(req, info, ri);
}

HttpResponse ApiHandler::HandlePodLog(HttpRequest& req, const RequestInfo& info,
                                      const api::ResourceInfo& ri) {
  auto opts = ParsePodLogOptions(req, info.name, NowNanos());
  if (!opts.ok()) return ErrorResponse(opts.status());
  auto pod = registry_.Get(ri, info.namespace_, info.name);
  if (!pod.ok()) return ErrorResponse(pod.status());
  auto container = ResolveContainer(*pod, opts->container);
  if (!container.ok()) return ErrorResponse(container.status());
  HttpResponse r;
  r.content_type = "text/plain";
  if (!IsScheduled(*pod)) return r;  // upstream: no node yet, no location, an empty log
  streaming::PodStreams* streams = pod_streams_.load();
  if (!streams) return ErrorResponse(NoPodStreams());
  auto target = streams->ContainerLog(info.namespace_, info.name, *container, opts->previous);
  if (!target.ok()) return ErrorResponse(target.status());
  auto reader = streaming::CriLogReader::Open(target->path);
  if (!reader.ok()) return ErrorResponse(api::Status::Internal(reader.status().message()));
  streaming::RunningCheck running;
  if (opts->read.follow && target->running && !opts->previous) {
    // Following ends when this container instance stops (or was replaced by a restart).
    running = [streams, ns = info.namespace_, pod_name = info.name, c = *container,
               path = target->path] {
      auto now = streams->ContainerLog(ns, pod_name, c, false);
      return now.ok() && now->running && now->path == path;
    };
  }
  r.stream = std::make_shared<PodLogResponse>(std::move(*reader), opts->read, std::move(running));
  return r;
}

HttpResponse ApiHandler::HandlePodUpgrade(HttpRequest& req, const RequestInfo& info,
                                          const api::ResourceInfo& ri) {
  const std::string& sub = info.subresource;
  const streaming::StreamKind kind = sub == "exec"     ? streaming::StreamKind::kExec
                                     : sub == "attach" ? streaming::StreamKind::kAttach
                                                       : streaming::StreamKind::kPortForward;
  PodExecRequest exec;
  std::vector<int32_t> ports;
  if (kind == streaming::StreamKind::kPortForward) {
    auto p = ParsePortForwardPorts(req);
    if (!p.ok()) return ErrorResponse(p.status());
    ports = std::move(*p);
  } else {
    auto e = ParsePodExecOptions(req, kind == streaming::StreamKind::kExec);
    if (!e.ok()) return ErrorResponse(e.status());
    exec = std::move(*e);
  }
  auto pod = registry_.Get(ri, info.namespace_, info.name);
  if (!pod.ok()) return ErrorResponse(pod.status());
  std::string container;
  if (kind != streaming::StreamKind::kPortForward) {
    auto c = ResolveContainer(*pod, exec.container);
    if (!c.ok()) return ErrorResponse(c.status());
    container = std::move(*c);
  }
  if (auto st = CheckPodRunning(*pod, sub); !st.ok()) return ErrorResponse(st);

  streaming::UpgradeRequest up;
  up.method = req.method;
  up.target = req.path;
  up.headers = req.headers;
  auto plan = streaming::PlanUpgrade(kind, up);
  if (!plan.ok()) return ErrorResponse(plan.status());
  streaming::PodStreams* streams = pod_streams_.load();
  if (!streams) return ErrorResponse(NoPodStreams());

  api::Result<std::string> url = std::string();
  if (kind == streaming::StreamKind::kPortForward) {
    url = streams->PortForwardUrl(info.namespace_, info.name, ports);
  } else {
    streaming::ExecParams p;
    p.ns = info.namespace_;
    p.pod = info.name;
    p.container = container;
    p.cmd = exec.command;
    p.stdin = exec.streams.stdin;
    p.stdout = exec.streams.stdout;
    p.stderr = exec.streams.stderr;
    p.tty = exec.streams.tty;
    url = kind == streaming::StreamKind::kExec ? streams->ExecUrl(p) : streams->AttachUrl(p);
  }
  if (!url.ok()) return ErrorResponse(url.status());
  HttpResponse r;
  r.status = 101;
  r.upgrade = streaming::NewStreamRelay(std::move(*plan), std::move(up), std::move(*url),
                                        exec.streams);
  return r;
}

}  // namespace kc::apiserver
