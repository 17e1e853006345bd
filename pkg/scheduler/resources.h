// Resources: the schedulable amounts of a pod or node in the units the scheduler compares
// (milli-CPU, bytes, pod slots, and "scalar" resources such as extended resources and
// hugepages), plus the effective request of a pod as upstream computes it
// (k8s.io/component-helpers resource.PodRequests): the sum of the app containers and sidecars,
// at least the largest init-container step, plus spec.overhead.
//
// Thread-safety: plain value types and pure functions.
#pragma once

#include <boost/json/object.hpp>
#include <cstdint>
#include <map>
#include <string>

namespace kc::scheduler {

// Requests of a container without cpu/memory requests, as the scoring plugins count them.
inline constexpr int64_t kDefaultMilliCpuRequest = 100;
inline constexpr int64_t kDefaultMemoryRequest = 200 * 1024 * 1024;

struct Resources {
  int64_t milli_cpu = 0;
  int64_t memory = 0;
  int64_t ephemeral_storage = 0;
  int64_t pods = 0;
  std::map<std::string, int64_t> scalar;  // extended resources, hugepages-*

  void Add(const Resources& other);
  void Sub(const Resources& other);
  // Per resource maximum.
  void Max(const Resources& other);
  bool IsZero() const;
  int64_t Get(const std::string& name) const;
};

// True for resources the fit check treats as scalars: hugepages-*, attachable-volumes-* and
// domain-prefixed extended resources outside *kubernetes.io (not the quota form requests.*).
bool IsScalarResourceName(const std::string& name);

// A ResourceList object ({"cpu": "500m", "memory": "1Gi"}); unparsable quantities count as 0.
Resources ParseResourceList(const boost::json::object* list);

// The pod's effective request. With `non_zero`, a container lacking a cpu or memory request
// counts kDefaultMilliCpuRequest / kDefaultMemoryRequest (the scoring view).
Resources PodRequests(const boost::json::object& pod, bool non_zero);

}  // namespace kc::scheduler
