#include "pkg/scheduler/selector_spread.h"

namespace kc::scheduler {

PluginStatus SelectorSpread::PreScore(CycleState&, const PodInfo& pod,
                                      const std::vector<const NodeInfo*>&) const {
  if (pod.controller_uid().empty()) return PluginStatus::Skip();
  return {};
}

int64_t SelectorSpread::Score(const CycleState&, const PodInfo& pod, const NodeInfo& node) const {
  int64_t count = 0;
  for (const auto& other : node.pods()) {
    if (other->controller_uid() == pod.controller_uid() && other->ns() == pod.ns() &&
        other->uid() != pod.uid()) {
      ++count;
    }
  }
  return count;
}

void SelectorSpread::NormalizeScores(const CycleState&, const PodInfo&,
                                     std::vector<int64_t>& scores) const {
  DefaultNormalizeScore(true, scores);
}

}  // namespace kc::scheduler
