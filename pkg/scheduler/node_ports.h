// NodePorts filter: rejects nodes where a pod already uses one of the host ports (same protocol,
// overlapping host IP) the incoming pod asks for.
//
// Thread-safety: stateless; safe from any thread.
#pragma once

#include "pkg/scheduler/framework.h"

namespace kc::scheduler {

inline constexpr char kReasonNodePorts[] =
    "node(s) didn't have free ports for the requested pod ports";

class NodePorts : public FilterPlugin {
 public:
  std::string_view Name() const override { return "NodePorts"; }
  PluginStatus Filter(const CycleState& state, const PodInfo& pod,
                      const NodeInfo& node) const override;
};

}  // namespace kc::scheduler
