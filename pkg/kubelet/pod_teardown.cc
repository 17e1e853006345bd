// Kubelet: stopping pods — preStop hooks and StopContainer with the grace period, StopPodSandbox,
// removal from the runtime, volume and log cleanup, and the final API delete of a terminated pod
// (upstream killPodWithSyncResult / syncTerminatingPod / syncTerminatedPod).
#include <spdlog/spdlog.h>

#include <boost/json/parse.hpp>
#include <chrono>
#include <filesystem>
#include <thread>

#include "pkg/api/json_path.h"
#include "pkg/kubelet/atomic_writer.h"
#include "pkg/kubelet/handler_runner.h"
#include "pkg/kubelet/kubelet.h"
#include "pkg/kubelet/labels.h"
#include "pkg/kubelet/log_symlinks.h"
#include "pkg/kubelet/pod_util.h"
#include "pkg/kubelet/runtime_reader.h"

namespace kc::kubelet {
namespace {

constexpr int64_t kMinimumGracePeriodSeconds = 2;
constexpr int64_t kOrphanGracePeriodSeconds = 2;
const client::ResourceRef kPods{"", "v1", "pods"};

}  // namespace

void Kubelet::KillContainer(const json::object* pod, const RuntimeContainer& c,
                            int64_t grace_seconds, const std::string& pod_ip) {
  int64_t grace = std::max<int64_t>(grace_seconds, 0);
  if (c.state == ContainerState::kRunning) {
    json::object pre_stop;
    const json::object* spec = pod ? FindContainer(*pod, c.name) : nullptr;
    if (spec) {
      if (const json::object* lc = api::GetObject(*spec, "lifecycle")) {
        if (const json::object* ps = api::GetObject(*lc, "preStop")) pre_stop = *ps;
      }
    } else if (auto it = c.annotations.find(kContainerPreStopHandlerAnnotation);
               it != c.annotations.end()) {
      boost::system::error_code ec;
      json::value v = json::parse(it->second, ec);
      if (!ec && v.is_object()) pre_stop = v.get_object();
    }
    if (!pre_stop.empty() && grace > 0) {
      auto start = std::chrono::steady_clock::now();
      HandlerTarget target{pod, spec, c.id, pod_ip};
      std::string output;
      if (RunHandler(runtime_, pre_stop, target, static_cast<int>(grace), &output) !=
          HandlerResult::kSuccess) {
        spdlog::warn("kubelet: preStop hook of container {} failed: {}", c.name, output);
        if (pod) events_->Warning(*pod, c.name, "FailedPreStopHook", output);
      }
      auto spent = std::chrono::duration_cast<std::chrono::seconds>(
                       std::chrono::steady_clock::now() - start)
                       .count();
      grace -= spent;
    }
    if (grace_seconds > 0 && grace < kMinimumGracePeriodSeconds) grace = kMinimumGracePeriodSeconds;
  }
  cri::v1::StopContainerRequest req;
  req.set_container_id(c.id);
  req.set_timeout(grace);
  if (api::Status s = runtime_.StopContainer(req); !s.ok() &&
                                                   s.reason() != api::Reason::kNotFound) {
    spdlog::warn("kubelet: StopContainer {} failed: {}", c.id, s.message());
  }
}

void Kubelet::KillPod(const json::object* pod, const RuntimePod& rt, int64_t grace_seconds) {
  std::string pod_ip;
  if (pod) pod_ip = PodIp(*pod, rt);
  std::vector<std::thread> killers;
  for (const RuntimeContainer& c : rt.containers) {
    if (c.state != ContainerState::kRunning && c.state != ContainerState::kCreated &&
        c.state != ContainerState::kUnknown) {
      continue;
    }
    if (pod && c.state == ContainerState::kRunning) {
      events_->Normal(*pod, c.name, "Killing", "Stopping container " + c.name);
    }
    killers.emplace_back([this, pod, c, grace_seconds, pod_ip] {
      KillContainer(pod, c, grace_seconds, pod_ip);
    });
  }
  for (std::thread& t : killers) t.join();
  for (const RuntimeSandbox& s : rt.sandboxes) {
    if (!s.ready) continue;
    cri::v1::StopPodSandboxRequest req;
    req.set_pod_sandbox_id(s.id);
    if (api::Status st = runtime_.StopPodSandbox(req); !st.ok() &&
                                                      st.reason() != api::Reason::kNotFound) {
      spdlog::warn("kubelet: StopPodSandbox {} failed: {}", s.id, st.message());
    }
  }
}

namespace {

// The pod-level cgroups (`/kubepods[/<qos>]/pod<uid>` in every v1 hierarchy) that the sandboxes'
// cgroup_parent made; runc removes the containers' own cgroups, the pod level is the kubelet's.
void RemovePodCgroups(const std::string& uid) {
  if (uid.empty()) return;
  std::error_code ec;
  std::filesystem::directory_iterator it("/sys/fs/cgroup", ec);
  if (ec) return;
  for (const auto& hierarchy : it) {
    for (const char* qos : {"", "burstable/", "besteffort/"}) {
      std::filesystem::path p = hierarchy.path() / "kubepods" / (std::string(qos) + "pod" + uid);
      std::error_code rm_ec;
      std::filesystem::remove(p, rm_ec);  // rmdir: only succeeds when empty, as intended
    }
  }
}

}  // namespace

void Kubelet::RemovePodFromRuntime(const RuntimePod& rt) {
  for (const RuntimeContainer& c : rt.containers) {
    cri::v1::RemoveContainerRequest req;
    req.set_container_id(c.id);
    runtime_.RemoveContainer(req);
  }
  for (const RuntimeSandbox& s : rt.sandboxes) {
    cri::v1::StopPodSandboxRequest stop;
    stop.set_pod_sandbox_id(s.id);
    if (s.ready) runtime_.StopPodSandbox(stop);
    cri::v1::RemovePodSandboxRequest req;
    req.set_pod_sandbox_id(s.id);
    if (api::Status st = runtime_.RemovePodSandbox(req); !st.ok()) {
      spdlog::warn("kubelet: RemovePodSandbox {} failed: {}", s.id, st.message());
    }
  }
  if (!rt.sandboxes.empty()) RemovePodCgroups(rt.uid);
}

api::Status Kubelet::TerminatePod(SyncContext& ctx) {
  const json::object& pod = *ctx.pod;
  auto rt = GetRuntimePod(runtime_, ctx.uid);
  if (!rt.ok()) return rt.status();
  bool running = false;
  for (const RuntimeSandbox& s : rt->sandboxes) running = running || s.ready;
  for (const RuntimeContainer& c : rt->containers) {
    running = running || c.state == ContainerState::kRunning;
  }
  if (running) {
    spdlog::info("kubelet: stopping pod {} (grace {}s)", PodDesc(pod), GracePeriodSeconds(pod));
    KillPod(&pod, *rt, GracePeriodSeconds(pod));
    rt = GetRuntimePod(runtime_, ctx.uid);
    if (!rt.ok()) return rt.status();
  }
  probes_->RemovePod(ctx.uid);
  ctx.finished = true;
  api::Status ws = WriteStatus(ctx, pod, ComputeStatus(ctx, pod, *rt, true));
  if (!ws.ok() && ws.reason() != api::Reason::kNotFound) return ws;
  RemovePodFromRuntime(*rt);
  if (api::Status s = volumes_.CleanupPod(ctx.uid); !s.ok()) return s;
  std::string log_dir = PodLogDirectory(opts_.pod_log_dir, PodNamespace(pod), PodName(pod), ctx.uid);
  if (!opts_.container_log_dir.empty()) {
    RemovePodLogSymlinks(opts_.container_log_dir, PodName(pod), PodNamespace(pod), log_dir);
  }
  RemoveAll(log_dir);
  client::DeleteOptions del;
  del.grace_period_seconds = 0;
  del.precondition_uid = ctx.uid;
  auto res = client_.Delete(kPods, PodNamespace(pod), PodName(pod), del);
  if (!res.ok() && res.status().reason() != api::Reason::kNotFound &&
      res.status().reason() != api::Reason::kConflict) {
    return res.status();
  }
  spdlog::info("kubelet: pod {} terminated and deleted", PodDesc(pod));
  return {};
}

api::Status Kubelet::CleanupOrphan(const std::string& uid, const client::ObjectPtr& last_pod) {
  auto rt = GetRuntimePod(runtime_, uid);
  if (!rt.ok()) return rt.status();
  if (!rt->empty()) {
    int64_t grace = kOrphanGracePeriodSeconds;
    if (last_pod && IsDeleted(*last_pod)) grace = GracePeriodSeconds(*last_pod);
    spdlog::info("kubelet: removing pod {}/{} ({}) which is gone from the API", rt->ns, rt->name,
                 uid);
    KillPod(last_pod.get(), *rt, grace);
    auto fresh = GetRuntimePod(runtime_, uid);
    RemovePodFromRuntime(fresh.ok() ? *fresh : *rt);
  }
  if (api::Status s = volumes_.CleanupPod(uid); !s.ok()) return s;
  std::string ns = rt->ns, name = rt->name;
  if (last_pod) {
    ns = PodNamespace(*last_pod);
    name = PodName(*last_pod);
  }
  if (!ns.empty() && !name.empty()) {
    std::string log_dir = PodLogDirectory(opts_.pod_log_dir, ns, name, uid);
    if (!opts_.container_log_dir.empty()) {
      RemovePodLogSymlinks(opts_.container_log_dir, name, ns, log_dir);
    }
    RemoveAll(log_dir);
  }
  ForgetPod(uid);
  return {};
}

void Kubelet::ForgetPod(const std::string& uid) {
  probes_->RemovePod(uid);
  container_backoff_.ResetPrefix(uid + "_");
  image_backoff_.ResetPrefix(uid + "_");
  std::lock_guard<std::mutex> l(mu_);
  auto it = records_.find(uid);
  if (it != records_.end() && it->second.gone) records_.erase(it);
}

}  // namespace kc::kubelet
