#include "pkg/scheduler/node_name.h"

#include "pkg/api/json_path.h"

namespace kc::scheduler {

PluginStatus NodeName::Filter(const CycleState&, const PodInfo& pod, const NodeInfo& node) const {
  std::string wanted = pod.spec() ? api::GetString(*pod.spec(), "nodeName") : "";
  if (wanted.empty() || wanted == node.name()) return {};
  return PluginStatus::Unresolvable(kReasonNodeName);
}

}  // namespace kc::scheduler
