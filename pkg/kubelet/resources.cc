#include "pkg/kubelet/resources.h"

#include <algorithm>
#include <optional>

#include "pkg/api/json_path.h"
#include "pkg/api/quantity.h"

namespace kc::kubelet {
namespace {

std::optional<api::Quantity> ResourceOf(const json::object& container, const char* which,
                                        const char* name) {
  const json::object* res = api::GetObject(container, "resources");
  const json::object* list = res ? api::GetObject(*res, which) : nullptr;
  const json::value* v = list ? list->if_contains(name) : nullptr;
  if (!v) return std::nullopt;
  auto q = api::Quantity::FromJson(*v);
  if (!q.ok()) return std::nullopt;
  return *q;
}

}  // namespace

int64_t MilliCpuToShares(int64_t milli) {
  constexpr int64_t kMinShares = 2;
  if (milli <= 0) return kMinShares;
  int64_t shares = milli * 1024 / 1000;
  return std::max(shares, kMinShares);
}

int64_t MilliCpuToQuota(int64_t milli, int64_t period) {
  constexpr int64_t kMinQuota = 1000;
  if (milli <= 0) return 0;
  int64_t quota = milli * period / 1000;
  return std::max(quota, kMinQuota);
}

ContainerResources ComputeContainerResources(const json::object& container,
                                             const std::string& qos_class,
                                             int64_t memory_capacity) {
  ContainerResources r;
  auto cpu_req = ResourceOf(container, "requests", "cpu");
  auto cpu_lim = ResourceOf(container, "limits", "cpu");
  auto mem_req = ResourceOf(container, "requests", "memory");
  auto mem_lim = ResourceOf(container, "limits", "memory");
  int64_t req_milli = cpu_req ? cpu_req->MilliValue() : (cpu_lim ? cpu_lim->MilliValue() : 0);
  r.cpu_shares = MilliCpuToShares(req_milli);
  if (cpu_lim) r.cpu_quota = MilliCpuToQuota(cpu_lim->MilliValue(), r.cpu_period);
  if (mem_lim) r.memory_limit_bytes = mem_lim->Value();

  if (qos_class == "Guaranteed") {
    r.oom_score_adj = -997;
  } else if (qos_class == "BestEffort") {
    r.oom_score_adj = 1000;
  } else {
    int64_t request = mem_req ? mem_req->Value() : (mem_lim ? mem_lim->Value() : 0);
    int64_t adj = 1000;
    if (memory_capacity > 0) adj = 1000 - (1000 * request) / memory_capacity;
    // Burstable containers stay above Guaranteed and system daemons, below BestEffort.
    r.oom_score_adj = std::clamp<int64_t>(adj, 2, 999);
  }
  return r;
}

std::string PodCgroupParent(const std::string& qos_class, const std::string& uid) {
  if (qos_class == "Guaranteed") return "/kubepods/pod" + uid;
  if (qos_class == "BestEffort") return "/kubepods/besteffort/pod" + uid;
  return "/kubepods/burstable/pod" + uid;
}

}  // namespace kc::kubelet
