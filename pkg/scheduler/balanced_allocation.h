// BalancedAllocation score: prefers nodes whose cpu and memory utilisation (with the pod placed)
// stay close to each other: (1 - |cpuFraction - memFraction| / 2) * 100, fractions capped at 1.
// Uses actual requests; skipped for pods that request neither cpu nor memory.
//
// Thread-safety: stateless; safe from any thread.
#pragma once

#include "pkg/scheduler/framework.h"

namespace kc::scheduler {

class BalancedAllocation : public ScorePlugin {
 public:
  std::string_view Name() const override { return "NodeResourcesBalancedAllocation"; }
  PluginStatus PreScore(CycleState& state, const PodInfo& pod,
                        const std::vector<const NodeInfo*>& nodes) const override;
  int64_t Score(const CycleState& state, const PodInfo& pod, const NodeInfo& node) const override;
};

}  // namespace kc::scheduler
