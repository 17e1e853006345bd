#include "pkg/kubelet/streams.h"

#include "pkg/api/json_path.h"
#include "pkg/kubelet/container_config.h"
#include "pkg/kubelet/kubelet.h"
#include "pkg/kubelet/pod_util.h"
#include "pkg/kubelet/runtime_reader.h"
#include "pkg/kubelet/sandbox_config.h"

namespace kc::kubelet {
namespace {

constexpr char kIdPrefix[] = "containerd://";

std::string StripPrefix(const std::string& id) {
  return id.rfind(kIdPrefix, 0) == 0 ? id.substr(sizeof(kIdPrefix) - 1) : id;
}

const json::object* FindStatus(const json::object& pod, const std::string& name) {
  const json::object* st = api::GetObject(pod, "status");
  if (!st) return nullptr;
  for (const char* list : {"containerStatuses", "initContainerStatuses"}) {
    const json::array* a = api::GetArray(*st, list);
    if (!a) continue;
    for (const json::value& v : *a) {
      if (v.is_object() && api::GetString(v.get_object(), "name") == name) return &v.get_object();
    }
  }
  return nullptr;
}

const json::object* Sub(const json::object& o, const char* a, const char* b) {
  const json::object* x = api::GetObject(o, a);
  return x ? api::GetObject(*x, b) : nullptr;
}

}  // namespace

api::Result<std::string> KubeletStreams::RunningContainer(const std::string& ns,
                                                          const std::string& pod_name,
                                                          const std::string& container) {
  client::ObjectPtr pod = kubelet_.pod_informer_->Get(ns, pod_name);
  if (!pod) return api::Status::NotFoundFor("pods", pod_name);
  if (!FindContainer(*pod, container)) {
    return api::Status::BadRequest("container " + container + " is not valid for pod " +
                                   pod_name);
  }
  auto rt = GetRuntimePod(kubelet_.runtime_, PodUid(*pod));
  if (!rt.ok()) return rt.status();
  const RuntimeContainer* c = rt->Latest(container);
  if (!c || c->state != ContainerState::kRunning) {
    return api::Status::BadRequest("container " + container + " is not running in pod " + pod_name);
  }
  return c->id;
}

api::Result<std::string> KubeletStreams::ExecUrl(const streaming::ExecParams& p) {
  auto id = RunningContainer(p.ns, p.pod, p.container);
  if (!id.ok()) return id.status();
  cri::v1::ExecRequest req;
  req.set_container_id(*id);
  for (const std::string& c : p.cmd) req.add_cmd(c);
  req.set_tty(p.tty);
  req.set_stdin(p.stdin);
  req.set_stdout(p.stdout);
  req.set_stderr(p.stderr && !p.tty);
  auto res = kubelet_.runtime_.Exec(req);
  if (!res.ok()) return res.status();
  return res->url();
}

api::Result<std::string> KubeletStreams::AttachUrl(const streaming::ExecParams& p) {
  auto id = RunningContainer(p.ns, p.pod, p.container);
  if (!id.ok()) return id.status();
  cri::v1::AttachRequest req;
  req.set_container_id(*id);
  req.set_tty(p.tty);
  req.set_stdin(p.stdin);
  req.set_stdout(p.stdout);
  req.set_stderr(p.stderr && !p.tty);
  auto res = kubelet_.runtime_.Attach(req);
  if (!res.ok()) return res.status();
  return res->url();
}

api::Result<std::string> KubeletStreams::PortForwardUrl(const std::string& ns,
                                                        const std::string& pod_name,
                                                        const std::vector<int32_t>& ports) {
  client::ObjectPtr pod = kubelet_.pod_informer_->Get(ns, pod_name);
  if (!pod) return api::Status::NotFoundFor("pods", pod_name);
  auto rt = GetRuntimePod(kubelet_.runtime_, PodUid(*pod));
  if (!rt.ok()) return rt.status();
  if (rt->sandboxes.empty() || !rt->sandboxes.front().ready) {
    return api::Status::BadRequest("pod " + pod_name + " is not running");
  }
  cri::v1::PortForwardRequest req;
  req.set_pod_sandbox_id(rt->sandboxes.front().id);
  for (int32_t port : ports) req.add_port(port);
  auto res = kubelet_.runtime_.PortForward(req);
  if (!res.ok()) return res.status();
  return res->url();
}

api::Result<streaming::LogTarget> KubeletStreams::ContainerLog(const std::string& ns,
                                                               const std::string& pod_name,
                                                               const std::string& container,
                                                               bool previous) {
  client::ObjectPtr cached = kubelet_.pod_informer_->Get(ns, pod_name);
  if (!cached) return api::Status::NotFoundFor("pods", pod_name);
  auto pod = std::make_shared<const json::object>(kubelet_.PodWithFreshStatus(cached));
  std::string q_c = "\"" + container + "\"";
  std::string q_p = "\"" + pod_name + "\"";
  const json::object* status = FindStatus(*pod, container);
  json::object synthesized;
  if (!status) {
    if (!FindContainer(*pod, container)) {
      return api::Status::BadRequest("container " + container + " is not valid for pod " +
                                     pod_name);
    }
    // Not reported yet: the state the first status will show.
    std::string reason = InitContainers(*pod).empty() ? "ContainerCreating" : "PodInitializing";
    synthesized["state"] = json::object{{"waiting", json::object{{"reason", reason}}}};
    status = &synthesized;
  }
  const json::object* running = Sub(*status, "state", "running");
  const json::object* terminated = Sub(*status, "state", "terminated");
  const json::object* waiting = Sub(*status, "state", "waiting");
  const json::object* last = Sub(*status, "lastState", "terminated");
  std::string cid;
  if (previous) {
    if (!last || api::GetString(*last, "containerID").empty()) {
      return api::Status::BadRequest("previous terminated container " + q_c + " in pod " + q_p +
                                     " not found");
    }
    cid = api::GetString(*last, "containerID");
  } else if (running) {
    cid = api::GetString(*status, "containerID");
  } else if (terminated) {
    cid = api::GetString(*terminated, "containerID");
    if (cid.empty() && last) cid = api::GetString(*last, "containerID");
    if (cid.empty()) {
      return api::Status::BadRequest("container " + q_c + " in pod " + q_p + " is terminated");
    }
  } else if (last) {
    cid = api::GetString(*last, "containerID");
    if (cid.empty()) {
      return api::Status::BadRequest("container " + q_c + " in pod " + q_p + " is terminated");
    }
  } else if (waiting) {
    std::string reason = api::GetString(*waiting, "reason");
    if (reason == "ErrImagePull") {
      return api::Status::BadRequest("container " + q_c + " in pod " + q_p +
                                     " is waiting to start: image can't be pulled");
    }
    if (reason == "ImagePullBackOff") {
      return api::Status::BadRequest("container " + q_c + " in pod " + q_p +
                                     " is waiting to start: trying and failing to pull image");
    }
    return api::Status::BadRequest("container " + q_c + " in pod " + q_p +
                                   " is waiting to start: " + reason);
  } else {
    return api::Status::BadRequest("container " + q_c + " in pod " + q_p +
                                   " is waiting to start - no logs yet");
  }
  cid = StripPrefix(cid);

  streaming::LogTarget target;
  auto rt = GetRuntimePod(kubelet_.runtime_, PodUid(*pod));
  const RuntimeContainer* instance = nullptr;
  if (rt.ok()) {
    for (const RuntimeContainer& c : rt->containers) {
      if (c.id == cid) instance = &c;
    }
  }
  std::string dir = PodLogDirectory(kubelet_.opts_.pod_log_dir, ns, pod_name, PodUid(*pod));
  if (instance) {
    target.path = instance->log_path.empty()
                      ? dir + "/" + ContainerLogPath(container, instance->restart_count)
                      : instance->log_path;
    target.running = instance->state == ContainerState::kRunning;
  } else {
    int64_t restarts = api::GetInt64(*status, "restartCount");
    if (previous) restarts = std::max<int64_t>(restarts - 1, 0);
    target.path = dir + "/" + ContainerLogPath(container, static_cast<int>(restarts));
    target.running = false;
  }
  return target;
}

}  // namespace kc::kubelet
