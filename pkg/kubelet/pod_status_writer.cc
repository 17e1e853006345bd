// Kubelet: computing a pod's status from the runtime and writing it through pods/status only
// when it changed (upstream status manager). The "old" status the computation starts from is the
// one this kubelet last wrote (the informer may lag behind it), with the conditions owned by
// other components (PodScheduled from the scheduler, DisruptionTarget...) taken from the API.
#include <spdlog/spdlog.h>

#include <boost/json/serialize.hpp>

#include "pkg/api/json_path.h"
#include "pkg/kubelet/kubelet.h"
#include "pkg/kubelet/pod_util.h"
#include "pkg/kubelet/termination_message.h"

namespace kc::kubelet {
namespace {

const client::ResourceRef kPods{"", "v1", "pods"};

bool KubeletOwned(const std::string& type) {
  return type == "Ready" || type == "Initialized" || type == "ContainersReady" ||
         type == "PodReadyToStartContainers";
}

}  // namespace

json::object Kubelet::PodWithLastStatus(const SyncContext& ctx) const {
  json::object pod = *ctx.pod;
  if (!ctx.has_last_status) return pod;
  json::object status = ctx.last_status;
  json::array conditions;
  if (const json::array* mine = api::GetArray(ctx.last_status, "conditions")) {
    for (const json::value& c : *mine) {
      if (c.is_object() && KubeletOwned(api::GetString(c.get_object(), "type"))) {
        conditions.push_back(c);
      }
    }
  }
  if (const json::object* api_status = api::GetObject(*ctx.pod, "status")) {
    if (const json::array* theirs = api::GetArray(*api_status, "conditions")) {
      for (const json::value& c : *theirs) {
        if (c.is_object() && !KubeletOwned(api::GetString(c.get_object(), "type"))) {
          conditions.push_back(c);
        }
      }
    }
    // A terminal phase set by someone else (eviction) wins.
    std::string phase = api::GetString(*api_status, "phase");
    if (IsTerminalPhase(phase)) status["phase"] = phase;
  }
  status["conditions"] = std::move(conditions);
  pod["status"] = std::move(status);
  return pod;
}

json::object Kubelet::ComputeStatus(const SyncContext& ctx, const json::object& pod,
                                    const RuntimePod& runtime, bool terminal) const {
  json::object base = PodWithLastStatus(ctx);
  (void)pod;
  RuntimePod rt = runtime;
  for (RuntimeContainer& c : rt.containers) {
    if (c.state == ContainerState::kExited && c.message.empty()) {
      c.message = ReadTerminationMessage(opts_.root_dir, ctx.uid, c);
    }
  }
  PodStatusInput in;
  in.pod = &base;
  in.runtime = &rt;
  in.waiting_reasons = ctx.reasons;
  in.readiness_ok = probes_->ReadinessOk(ctx.uid);
  in.startup_ok = probes_->StartupOk(ctx.uid);
  in.node_ip = opts_.node_ip;
  in.pod_is_terminal = terminal;
  in.now = time_.Wall();
  return ComputePodStatus(in);
}

api::Status Kubelet::WriteStatus(SyncContext& ctx, const json::object& pod, json::object status) {
  const json::object* api_status = api::GetObject(pod, "status");
  const json::object& current = ctx.has_last_status ? ctx.last_status
                                : api_status       ? *api_status
                                                   : EmptyObject();
  bool api_matches = api_status && !PodStatusChanged(*api_status, status);
  if (!PodStatusChanged(current, status) && (ctx.has_last_status || api_matches)) {
    return {};
  }
  json::object patch_status = status;
  if (api_status) {
    for (const auto& kv : *api_status) {
      if (!patch_status.contains(kv.key())) patch_status[kv.key()] = nullptr;
    }
  }
  json::object patch{{"metadata", json::object{{"uid", ctx.uid}}},
                     {"status", std::move(patch_status)}};
  client::PatchOptions po;
  po.subresource = "status";
  auto res = client_.Patch(kPods, PodNamespace(pod), PodName(pod), client::PatchType::kMerge,
                           json::serialize(patch), po);
  if (!res.ok()) {
    spdlog::warn("kubelet: status update of pod {} failed: {}", PodDesc(pod),
                 res.status().ToString());
    return res.status();
  }
  ctx.last_status = std::move(status);
  ctx.has_last_status = true;
  return {};
}

}  // namespace kc::kubelet
