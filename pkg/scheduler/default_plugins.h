// The default plugin set, in upstream's order and with its score weights: NodeUnschedulable,
// NodeName, TaintToleration (3), NodeAffinity (2), NodePorts, NodeResourcesFit,
// LeastAllocated (1), BalancedAllocation (1), SelectorSpread (2, standing in for the default
// PodTopologySpread constraints).
//
// Thread-safety: the returned Framework is immutable (see framework.h).
#pragma once

#include <memory>

#include "pkg/scheduler/framework.h"

namespace kc::scheduler {

std::unique_ptr<Framework> NewDefaultFramework();

}  // namespace kc::scheduler
