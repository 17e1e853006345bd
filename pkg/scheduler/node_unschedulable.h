// NodeUnschedulable filter: rejects nodes with spec.unschedulable (kubectl cordon) unless the
// pod tolerates node.kubernetes.io/unschedulable:NoSchedule.
//
// Thread-safety: stateless; safe from any thread.
#pragma once

#include "pkg/scheduler/framework.h"

namespace kc::scheduler {

inline constexpr char kReasonNodeUnschedulable[] = "node(s) were unschedulable";

class NodeUnschedulable : public FilterPlugin {
 public:
  std::string_view Name() const override { return "NodeUnschedulable"; }
  PluginStatus Filter(const CycleState& state, const PodInfo& pod,
                      const NodeInfo& node) const override;
};

}  // namespace kc::scheduler
