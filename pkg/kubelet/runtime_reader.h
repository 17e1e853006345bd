// Reading the runtime's state of the kubelet's pods through the CRI, as RuntimePod values
// (upstream kuberuntime GetPodStatus / GetPods).
//
// Thread-safety: stateless functions over a thread-safe cri::Runtime.
#pragma once

#include <map>
#include <string>

#include "pkg/api/status.h"
#include "pkg/kubelet/cri/runtime.h"
#include "pkg/kubelet/runtime_pod.h"

namespace kc::kubelet {

// Every sandbox and container labelled with io.kubernetes.pod.uid, grouped by uid. Cheap (two
// List calls): containers carry state/created_at/labels/annotations but no exit details.
api::Result<std::map<std::string, RuntimePod>> ListRuntimePods(cri::Runtime& runtime);

// The full state of one pod: sandbox statuses (IP, network mode) and container statuses (exit
// code, reason, times). A pod the runtime does not know yields an empty RuntimePod.
api::Result<RuntimePod> GetRuntimePod(cri::Runtime& runtime, const std::string& uid);

// A compact fingerprint of a listed pod (ids + states) used to detect changes between relists.
std::string RuntimeFingerprint(const RuntimePod& pod);

}  // namespace kc::kubelet
