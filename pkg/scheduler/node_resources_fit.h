// NodeResourcesFit filter: the pod's requests must fit the node's allocatable minus what its
// pods already request, for cpu, memory, ephemeral-storage, scalar resources, and the pod count.
// Every shortfall is reported ("Too many pods", "Insufficient cpu", "Insufficient memory", ...).
//
// Thread-safety: stateless; safe from any thread.
#pragma once

#include "pkg/scheduler/framework.h"

namespace kc::scheduler {

class NodeResourcesFit : public FilterPlugin {
 public:
  std::string_view Name() const override { return "NodeResourcesFit"; }
  PluginStatus Filter(const CycleState& state, const PodInfo& pod,
                      const NodeInfo& node) const override;
};

}  // namespace kc::scheduler
