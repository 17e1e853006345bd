// Pod status computation: the v1 PodStatus the kubelet reports for a pod, computed from the pod
// (spec and current status) and the runtime's view of it, as upstream 1.32's
// generateAPIPodStatus / convertToAPIContainerStatuses / getPhase / status.Generate*Condition do.
//
// Everything here is a pure function of its inputs so it can be tested as tables.
//
// Thread-safety: pure functions.
#pragma once

#include <boost/json/array.hpp>
#include <boost/json/object.hpp>
#include <map>
#include <set>
#include <string>

#include "pkg/api/time_util.h"
#include "pkg/kubelet/runtime_pod.h"

namespace kc::kubelet {

namespace json = boost::json;

// Why a container is waiting, recorded by the last sync that failed to start it (upstream's
// reasonCache): ErrImagePull, ImagePullBackOff, CrashLoopBackOff, CreateContainerConfigError...
struct WaitingReason {
  std::string reason;
  std::string message;
};

struct PodStatusInput {
  const json::object* pod = nullptr;      // required: the pod as the API has it
  const RuntimePod* runtime = nullptr;    // required
  std::map<std::string, WaitingReason> waiting_reasons;  // by container name
  std::set<std::string> readiness_ok;  // container ids whose readiness probe last succeeded
  std::set<std::string> startup_ok;    // container ids whose startup probe succeeded
  std::string node_ip;
  // The kubelet has stopped the pod for good (deleted, or finished and torn down): its phase
  // becomes Succeeded/Failed from the exit codes even under restartPolicy Always.
  bool pod_is_terminal = false;
  api::Clock::time_point now;
};

// The full status to write. Conditions keep their lastTransitionTime from the pod's current
// status when their status did not change; conditions not owned by the kubelet are kept.
json::object ComputePodStatus(const PodStatusInput& in);

// Upstream getPhase over the API container statuses.
std::string GetPhase(const json::object& pod, const json::array& init_statuses,
                     const json::array& statuses, bool pod_is_terminal);

// PodSandboxChanged: whether a new sandbox is needed, and the attempt number for it.
bool SandboxNeedsCreate(const json::object& pod, const RuntimePod& runtime, uint32_t* attempt);

// Whether `new_status` differs from `old_status` in anything but key order / number types.
bool PodStatusChanged(const json::object& old_status, const json::object& new_status);

}  // namespace kc::kubelet
