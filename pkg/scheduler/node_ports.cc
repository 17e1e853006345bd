#include "pkg/scheduler/node_ports.h"

namespace kc::scheduler {

PluginStatus NodePorts::Filter(const CycleState&, const PodInfo& pod, const NodeInfo& node) const {
  for (const HostPort& want : pod.host_ports()) {
    if (HostPortConflicts(node.used_ports(), want)) {
      return PluginStatus::Unschedulable(kReasonNodePorts);
    }
  }
  return {};
}

}  // namespace kc::scheduler
