#include "pkg/scheduler/default_plugins.h"

#include "pkg/scheduler/balanced_allocation.h"
#include "pkg/scheduler/least_allocated.h"
#include "pkg/scheduler/node_affinity.h"
#include "pkg/scheduler/node_name.h"
#include "pkg/scheduler/node_ports.h"
#include "pkg/scheduler/node_resources_fit.h"
#include "pkg/scheduler/node_unschedulable.h"
#include "pkg/scheduler/selector_spread.h"
#include "pkg/scheduler/taint_toleration.h"

namespace kc::scheduler {

std::unique_ptr<Framework> NewDefaultFramework() {
  auto fw = std::make_unique<Framework>();
  fw->AddPlugin(std::make_unique<NodeUnschedulable>());
  fw->AddPlugin(std::make_unique<NodeName>());
  fw->AddPlugin(std::make_unique<TaintToleration>(), 3);
  fw->AddPlugin(std::make_unique<NodeAffinity>(), 2);
  fw->AddPlugin(std::make_unique<NodePorts>());
  fw->AddPlugin(std::make_unique<NodeResourcesFit>());
  fw->AddPlugin(std::make_unique<LeastAllocated>(), 1);
  fw->AddPlugin(std::make_unique<BalancedAllocation>(), 1);
  fw->AddPlugin(std::make_unique<SelectorSpread>(), 2);
  return fw;
}

}  // namespace kc::scheduler
