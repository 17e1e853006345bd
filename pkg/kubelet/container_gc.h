// Garbage collection of a live pod's dead container instances and old sandboxes (upstream
// kuberuntime container GC with MaxPerPodContainer, run per pod after each sync instead of on a
// timer): every container keeps its newest `keep_dead` exited instances (the current one and the
// previous, for `kubectl logs --previous`); older exited instances are removed, and stopped
// sandboxes other than the newest once no kept container lives in them.
//
// Thread-safety: pure functions.
#pragma once

#include <string>
#include <vector>

#include "pkg/kubelet/runtime_pod.h"

namespace kc::kubelet {

struct GcPlan {
  std::vector<const RuntimeContainer*> containers;  // to remove
  std::vector<std::string> sandboxes;               // to remove
};

GcPlan PlanPodGc(const RuntimePod& runtime, int keep_dead = 2);

}  // namespace kc::kubelet
