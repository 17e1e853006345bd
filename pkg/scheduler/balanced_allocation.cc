#include "pkg/scheduler/balanced_allocation.h"

#include <cmath>

namespace kc::scheduler {

PluginStatus BalancedAllocation::PreScore(CycleState&, const PodInfo& pod,
                                          const std::vector<const NodeInfo*>&) const {
  if (pod.requests().milli_cpu == 0 && pod.requests().memory == 0) return PluginStatus::Skip();
  return {};
}

int64_t BalancedAllocation::Score(const CycleState&, const PodInfo& pod,
                                  const NodeInfo& node) const {
  const Resources& alloc = node.allocatable();
  const Resources& used = node.requested();
  const Resources& req = pod.requests();
  std::vector<double> fractions;
  auto add = [&](int64_t requested, int64_t capacity) {
    if (capacity == 0) return;
    double f = static_cast<double>(requested) / static_cast<double>(capacity);
    fractions.push_back(f > 1 ? 1 : f);
  };
  add(used.milli_cpu + req.milli_cpu, alloc.milli_cpu);
  add(used.memory + req.memory, alloc.memory);
  double std_dev = 0;
  if (fractions.size() == 2) std_dev = std::fabs((fractions[0] - fractions[1]) / 2);
  return static_cast<int64_t>((1 - std_dev) * static_cast<double>(kMaxNodeScore));
}

}  // namespace kc::scheduler
