// SelectorSpread score: spreads the pods of one controller (same controller ownerReference uid
// and namespace) across nodes: nodes with fewer such pods score higher,
// 100 * (max - count) / max. Skipped for pods without a controller.
//
// Thread-safety: stateless; safe from any thread.
#pragma once

#include "pkg/scheduler/framework.h"

namespace kc::scheduler {

class SelectorSpread : public ScorePlugin {
 public:
  std::string_view Name() const override { return "SelectorSpread"; }
  PluginStatus PreScore(CycleState& state, const PodInfo& pod,
                        const std::vector<const NodeInfo*>& nodes) const override;
  int64_t Score(const CycleState& state, const PodInfo& pod, const NodeInfo& node) const override;
  void NormalizeScores(const CycleState& state, const PodInfo& pod,
                       std::vector<int64_t>& scores) const override;
};

}  // namespace kc::scheduler
