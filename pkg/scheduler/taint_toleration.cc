#include "pkg/scheduler/taint_toleration.h"

namespace kc::scheduler {

PluginStatus TaintToleration::Filter(const CycleState&, const PodInfo& pod,
                                     const NodeInfo& node) const {
  for (const Taint& t : node.taints()) {
    if (t.effect != kEffectNoSchedule && t.effect != kEffectNoExecute) continue;
    if (TolerationsTolerate(pod.tolerations(), t)) continue;
    return PluginStatus::Unresolvable("node(s) had untolerated taint {" + t.key + ": " + t.value +
                                      "}");
  }
  return {};
}

int64_t TaintToleration::Score(const CycleState&, const PodInfo& pod, const NodeInfo& node) const {
  std::vector<Toleration> prefer;
  for (const Toleration& t : pod.tolerations()) {
    if (t.effect.empty() || t.effect == kEffectPreferNoSchedule) prefer.push_back(t);
  }
  int64_t count = 0;
  for (const Taint& t : node.taints()) {
    if (t.effect == kEffectPreferNoSchedule && !TolerationsTolerate(prefer, t)) ++count;
  }
  return count;
}

void TaintToleration::NormalizeScores(const CycleState&, const PodInfo&,
                                      std::vector<int64_t>& scores) const {
  DefaultNormalizeScore(true, scores);
}

}  // namespace kc::scheduler
