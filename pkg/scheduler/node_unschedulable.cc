#include "pkg/scheduler/node_unschedulable.h"

namespace kc::scheduler {

PluginStatus NodeUnschedulable::Filter(const CycleState&, const PodInfo& pod,
                                       const NodeInfo& node) const {
  if (!node.unschedulable()) return {};
  if (TolerationsTolerate(pod.tolerations(), Taint{kTaintUnschedulable, "", kEffectNoSchedule})) {
    return {};
  }
  return PluginStatus::Unresolvable(kReasonNodeUnschedulable);
}

}  // namespace kc::scheduler
