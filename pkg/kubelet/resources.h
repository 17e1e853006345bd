// Container resources → CRI LinuxContainerResources (upstream kuberuntime
// generateLinuxContainerResources on cgroupfs): cpu shares from the request (min 2), CFS quota
// from the limit (period 100000 µs), memory limit, oom_score_adj by QoS class; and the pod's
// cgroupfs parent by QoS class.
//
// Thread-safety: pure functions.
#pragma once

#include <boost/json/object.hpp>
#include <cstdint>
#include <string>

namespace kc::kubelet {

namespace json = boost::json;

struct ContainerResources {
  int64_t cpu_shares = 2;
  int64_t cpu_quota = 0;  // 0 = unlimited
  int64_t cpu_period = 100000;
  int64_t memory_limit_bytes = 0;  // 0 = unlimited
  int64_t oom_score_adj = 0;
};

int64_t MilliCpuToShares(int64_t milli);
int64_t MilliCpuToQuota(int64_t milli, int64_t period);

// `qos_class` is Guaranteed/Burstable/BestEffort; `memory_capacity` the node's memory in bytes.
ContainerResources ComputeContainerResources(const json::object& container,
                                             const std::string& qos_class,
                                             int64_t memory_capacity);

// "/kubepods/pod<uid>", "/kubepods/burstable/pod<uid>", "/kubepods/besteffort/pod<uid>".
std::string PodCgroupParent(const std::string& qos_class, const std::string& uid);

}  // namespace kc::kubelet
