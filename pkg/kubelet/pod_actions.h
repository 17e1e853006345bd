// ComputePodActions: what one sync must do to move a pod's runtime state towards its spec
// (upstream kuberuntime computePodActions): kill the pod / create a new sandbox, start the next
// init container, start or restart regular containers, kill containers whose spec changed or
// whose liveness/startup probe failed.
//
// Thread-safety: pure function.
#pragma once

#include <boost/json/object.hpp>
#include <set>
#include <string>
#include <vector>

#include "pkg/kubelet/runtime_pod.h"

namespace kc::kubelet {

namespace json = boost::json;

struct ContainerToKill {
  std::string id;
  std::string name;
  std::string reason;  // "Unhealthy" (probe) or "" (spec changed / unknown state)
  std::string message;
};

struct PodActions {
  bool kill_pod = false;        // stop every container and the sandbox
  bool create_sandbox = false;  // then run a new sandbox (attempt) and start from scratch
  uint32_t attempt = 0;
  std::string sandbox_id;                   // the sandbox to start containers in
  std::vector<std::string> init_to_start;   // init containers to (re)start, in order
  std::vector<std::string> containers_to_start;
  std::vector<ContainerToKill> containers_to_kill;
  // Init failed under restartPolicy Never: the pod is finished (Failed).
  bool init_failed_for_good = false;
};

struct ProbeVerdicts {
  std::set<std::string> liveness_failed;  // container ids
  std::set<std::string> startup_failed;
};

PodActions ComputePodActions(const json::object& pod, const RuntimePod& runtime,
                             const ProbeVerdicts& probes);

}  // namespace kc::kubelet
