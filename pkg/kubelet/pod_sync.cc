// Kubelet: the sync of a pod that is alive in the API (not being deleted) — upstream
// kuberuntime SyncPod: kill what must go, ensure volumes and the sandbox, start the next init
// container or the app containers, then report the status.
#include <spdlog/spdlog.h>

#include <algorithm>
#include <boost/json/serialize.hpp>
#include <filesystem>

#include "pkg/api/defaults.h"
#include "pkg/api/json_path.h"
#include "pkg/kubelet/container_config.h"
#include "pkg/kubelet/go_duration.h"
#include "pkg/kubelet/handler_runner.h"
#include "pkg/kubelet/kubelet.h"
#include "pkg/kubelet/log_symlinks.h"
#include "pkg/kubelet/pod_util.h"
#include "pkg/kubelet/runtime_reader.h"
#include "pkg/kubelet/service_env.h"
#include "pkg/kubelet/termination_message.h"
#include "pkg/kubelet/container_gc.h"

namespace kc::kubelet {
namespace {

void Lower(std::chrono::milliseconds* requeue, std::chrono::milliseconds d) {
  if (d.count() <= 0) d = std::chrono::milliseconds(1);
  if (requeue->count() == 0 || d < *requeue) *requeue = d;
}

bool AnythingRunning(const RuntimePod& rt) {
  for (const RuntimeSandbox& s : rt.sandboxes) {
    if (s.ready) return true;
  }
  for (const RuntimeContainer& c : rt.containers) {
    if (c.state == ContainerState::kRunning || c.state == ContainerState::kCreated) return true;
  }
  return false;
}

}  // namespace

std::string Kubelet::BackoffKey(const json::object& pod, const json::object& container) const {
  return PodUid(pod) + "_" + PodName(pod) + "_" + PodNamespace(pod) + "_" +
         ContainerName(container) + "_" + ContainerHash(container);
}

std::string Kubelet::PodIp(const json::object& pod, const RuntimePod& rt) const {
  if (IsHostNetwork(pod)) return opts_.node_ip;
  if (!rt.sandboxes.empty() && rt.sandboxes.front().ready) return rt.sandboxes.front().ip;
  return "";
}

EnvContext Kubelet::MakeEnvContext(const json::object& pod, const RuntimePod& rt,
                                   ConfigSource* config) const {
  EnvContext ctx;
  ctx.pod = &pod;
  ctx.pod_ip = PodIp(pod, rt);
  if (!ctx.pod_ip.empty()) ctx.pod_ips.push_back(ctx.pod_ip);
  if (!IsHostNetwork(pod) && !rt.sandboxes.empty() && rt.sandboxes.front().ready) {
    for (const std::string& ip : rt.sandboxes.front().additional_ips) ctx.pod_ips.push_back(ip);
  }
  ctx.host_ip = opts_.node_ip;
  ctx.config = config;
  if (services_) {
    const json::value* links = PodSpec(pod).if_contains("enableServiceLinks");
    bool enable = !(links && links->is_bool() && !links->get_bool());
    ctx.service_env = ServiceEnvVars(services_->List(), PodNamespace(pod), enable);
  }
  ctx.allocatable.cpu_milli = machine_.cpu_count * 1000;
  ctx.allocatable.memory_bytes = machine_.memory_bytes;
  ctx.allocatable.ephemeral_storage_bytes = machine_.ephemeral_storage_bytes;
  return ctx;
}

api::Status Kubelet::EnsureSandbox(const json::object& pod, const PodActions& actions,
                                   RuntimePod* rt, cri::v1::PodSandboxConfig* config,
                                   std::string* sandbox_id) {
  *config = BuildSandboxConfig(pod, actions.attempt, sandbox_opts_);
  if (!actions.create_sandbox) {
    *sandbox_id = actions.sandbox_id;
    return {};
  }
  // Old sandboxes are removed once a new one is needed (their containers were stopped).
  for (const RuntimeSandbox& s : rt->sandboxes) {
    cri::v1::StopPodSandboxRequest req;
    req.set_pod_sandbox_id(s.id);
    if (s.ready) runtime_.StopPodSandbox(req);
  }
  spdlog::info("kubelet: creating sandbox for pod {} (attempt {})", PodDesc(pod), actions.attempt);
  if (!rt->sandboxes.empty()) {
    events_->Normal(pod, "", "SandboxChanged",
                    "Pod sandbox changed, it will be killed and re-created.");
  }
  cri::v1::RunPodSandboxRequest req;
  *req.mutable_config() = *config;
  auto res = runtime_.RunPodSandbox(req);
  if (!res.ok()) {
    std::string msg = "Failed to create pod sandbox: " + GrpcErrorText(res.status());
    events_->Warning(pod, "", "FailedCreatePodSandBox", msg);
    return api::Status(res.status().reason(), msg);
  }
  *sandbox_id = res->pod_sandbox_id();
  auto fresh = GetRuntimePod(runtime_, PodUid(pod));
  if (fresh.ok()) *rt = std::move(*fresh);
  return {};
}

bool Kubelet::CollectGarbage(const RuntimePod& rt) {
  GcPlan plan = PlanPodGc(rt);
  for (const RuntimeContainer* c : plan.containers) {
    cri::v1::RemoveContainerRequest req;
    req.set_container_id(c->id);
    if (api::Status s = runtime_.RemoveContainer(req); !s.ok()) continue;
    std::error_code ec;
    if (!c->log_path.empty()) std::filesystem::remove(c->log_path, ec);
    std::filesystem::remove(
        TerminationMessageHostPath(opts_.root_dir, rt.uid, c->name, c->restart_count), ec);
    if (!opts_.container_log_dir.empty()) {
      std::filesystem::remove(
          ContainerLogSymlinkPath(opts_.container_log_dir, rt.name, rt.ns, c->name, c->id), ec);
    }
  }
  for (const std::string& id : plan.sandboxes) {
    cri::v1::RemovePodSandboxRequest req;
    req.set_pod_sandbox_id(id);
    runtime_.RemovePodSandbox(req);
  }
  return !plan.containers.empty() || !plan.sandboxes.empty();
}

api::Status Kubelet::SyncLivePod(SyncContext& ctx, std::chrono::milliseconds* requeue) {
  const json::object& pod = *ctx.pod;
  auto rt_res = GetRuntimePod(runtime_, ctx.uid);
  if (!rt_res.ok()) return rt_res.status();
  RuntimePod rt = std::move(*rt_res);

  if (ctx.finished || IsTerminalPhase(PodPhase(pod))) {
    // Finished pods keep their containers (and logs) but nothing runs any more.
    if (AnythingRunning(rt)) {
      KillPod(&pod, rt, GracePeriodSeconds(pod));
      if (auto fresh = GetRuntimePod(runtime_, ctx.uid); fresh.ok()) rt = std::move(*fresh);
    }
    probes_->RemovePod(ctx.uid);
    ctx.finished = true;
    return WriteStatus(ctx, pod, ComputeStatus(ctx, pod, rt, true));
  }

  // spec.activeDeadlineSeconds: past it the pod is stopped and fails (upstream
  // activeDeadlineHandler).
  if (const json::value* d = PodSpec(pod).if_contains("activeDeadlineSeconds"); d && d->is_int64()) {
    json::object current = PodWithLastStatus(ctx);
    const json::object* st = api::GetObject(current, "status");
    auto start = st ? api::ParseTime(api::GetString(*st, "startTime")) : std::nullopt;
    if (start) {
      auto deadline = *start + std::chrono::seconds(d->get_int64());
      auto now = time_.Wall();
      if (now >= deadline) {
        if (AnythingRunning(rt)) {
          events_->Normal(pod, "", "DeadlineExceeded",
                          "Pod was active on the node longer than the specified deadline");
          KillPod(&pod, rt, GracePeriodSeconds(pod));
          if (auto fresh = GetRuntimePod(runtime_, ctx.uid); fresh.ok()) rt = std::move(*fresh);
        }
        probes_->RemovePod(ctx.uid);
        ctx.finished = true;
        json::object status = ComputeStatus(ctx, pod, rt, true);
        status["phase"] = "Failed";
        status["reason"] = "DeadlineExceeded";
        status["message"] = "Pod was active on the node longer than the specified deadline";
        return WriteStatus(ctx, pod, std::move(status));
      }
      Lower(requeue, std::chrono::duration_cast<std::chrono::milliseconds>(deadline - now));
    }
  }

  probes_->UpdatePod(pod, rt, PodIp(pod, rt));
  PodActions actions = ComputePodActions(pod, rt, probes_->Verdicts(ctx.uid));

  bool changed_runtime = false;
  if (actions.kill_pod) {
    if (AnythingRunning(rt)) {
      KillPod(&pod, rt, GracePeriodSeconds(pod));
      changed_runtime = true;
    }
  } else {
    for (const ContainerToKill& k : actions.containers_to_kill) {
      const RuntimeContainer* c = nullptr;
      for (const RuntimeContainer& rc : rt.containers) {
        if (rc.id == k.id) c = &rc;
      }
      if (!c) continue;
      if (!k.message.empty()) {
        spdlog::info("kubelet: killing container {} of pod {}: {}", k.name, PodDesc(pod),
                     k.message);
      }
      events_->Normal(pod, k.name, "Killing",
                      k.message.empty() ? "Stopping container " + k.name : k.message);
      int64_t grace = GracePeriodSeconds(pod);
      if (k.reason == "Unhealthy") {
        if (const json::object* spec = FindContainer(pod, k.name)) {
          for (const char* p : {"livenessProbe", "startupProbe"}) {
            const json::object* probe = api::GetObject(*spec, p);
            if (probe && probe->contains("terminationGracePeriodSeconds")) {
              grace = api::GetInt64(*probe, "terminationGracePeriodSeconds", grace);
            }
          }
        }
      }
      KillContainer(&pod, *c, grace, PodIp(pod, rt));
      changed_runtime = true;
    }
  }
  if (changed_runtime) {
    auto fresh = GetRuntimePod(runtime_, ctx.uid);
    if (!fresh.ok()) return fresh.status();
    rt = std::move(*fresh);
  }

  bool nothing_to_start = !actions.create_sandbox && actions.init_to_start.empty() &&
                          actions.containers_to_start.empty();
  if (!(actions.kill_pod && !actions.create_sandbox) && !nothing_to_start) {
    ConfigSource config(client_);
    EnvContext env_ctx = MakeEnvContext(pod, rt, &config);
    auto volumes = volumes_.SetupPodVolumes(pod, config, env_ctx);
    if (!volumes.ok()) {
      spdlog::warn("kubelet: pod {}: {}", PodDesc(pod), volumes.status().message());
      events_->Warning(pod, "", "FailedMount", volumes.status().message());
      Lower(requeue, std::chrono::seconds(2));
    } else {
      cri::v1::PodSandboxConfig sandbox_config;
      std::string sandbox_id;
      api::Status sb = EnsureSandbox(pod, actions, &rt, &sandbox_config, &sandbox_id);
      if (!sb.ok()) {
        spdlog::warn("kubelet: pod {}: {}", PodDesc(pod), sb.message());
        Lower(requeue, std::chrono::seconds(2));
      } else {
        env_ctx = MakeEnvContext(pod, rt, &config);
        for (const std::string& name : actions.init_to_start) {
          const json::object* spec = FindContainer(pod, name);
          if (!spec) continue;
          bool ok = StartContainer(ctx, *spec, rt, sandbox_id, sandbox_config, *volumes, env_ctx,
                                   requeue);
          if (!ok && !IsRestartableInitContainer(*spec)) break;
        }
        for (const std::string& name : actions.containers_to_start) {
          const json::object* spec = FindContainer(pod, name);
          if (spec) {
            StartContainer(ctx, *spec, rt, sandbox_id, sandbox_config, *volumes, env_ctx, requeue);
          }
        }
      }
    }
  } else if (!nothing_to_start || actions.kill_pod) {
    // Finished: no sandbox, nothing to start.
  } else {
    // Steady state: refresh configMap/secret/downwardAPI volume contents.
    ConfigSource config(client_);
    EnvContext env_ctx = MakeEnvContext(pod, rt, &config);
    auto volumes = volumes_.SetupPodVolumes(pod, config, env_ctx);
    if (!volumes.ok()) spdlog::warn("kubelet: pod {}: {}", PodDesc(pod), volumes.status().message());
  }

  auto fresh = GetRuntimePod(runtime_, ctx.uid);
  if (!fresh.ok()) return fresh.status();
  rt = std::move(*fresh);
  if (CollectGarbage(rt)) {
    fresh = GetRuntimePod(runtime_, ctx.uid);
    if (!fresh.ok()) return fresh.status();
    rt = std::move(*fresh);
  }
  probes_->UpdatePod(pod, rt, PodIp(pod, rt));
  json::object status = ComputeStatus(ctx, pod, rt, actions.init_failed_for_good);
  std::string phase = api::GetString(status, "phase");
  if (IsTerminalPhase(phase)) {
    if (AnythingRunning(rt)) {
      KillPod(&pod, rt, GracePeriodSeconds(pod));
      if (auto again = GetRuntimePod(runtime_, ctx.uid); again.ok()) rt = std::move(*again);
    }
    probes_->RemovePod(ctx.uid);
    ctx.finished = true;
    status = ComputeStatus(ctx, pod, rt, true);
  } else if (requeue->count() == 0 && !nothing_to_start) {
    Lower(requeue, std::chrono::seconds(1));  // watch the new containers come up
  }
  return WriteStatus(ctx, pod, std::move(status));
}

}  // namespace kc::kubelet
