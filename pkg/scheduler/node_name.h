// NodeName filter: a pod that names its node (spec.nodeName) fits only that node.
//
// Thread-safety: stateless; safe from any thread.
#pragma once

#include "pkg/scheduler/framework.h"

namespace kc::scheduler {

inline constexpr char kReasonNodeName[] = "node(s) didn't match the requested node name";

class NodeName : public FilterPlugin {
 public:
  std::string_view Name() const override { return "NodeName"; }
  PluginStatus Filter(const CycleState& state, const PodInfo& pod,
                      const NodeInfo& node) const override;
};

}  // namespace kc::scheduler
