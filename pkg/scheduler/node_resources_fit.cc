#include "pkg/scheduler/node_resources_fit.h"

namespace kc::scheduler {

PluginStatus NodeResourcesFit::Filter(const CycleState&, const PodInfo& pod,
                                      const NodeInfo& node) const {
  std::vector<std::string> reasons;
  const Resources& alloc = node.allocatable();
  const Resources& used = node.requested();
  if (static_cast<int64_t>(node.pods().size()) + 1 > alloc.pods) reasons.push_back("Too many pods");
  const Resources& req = pod.requests();
  if (req.milli_cpu > 0 && req.milli_cpu > alloc.milli_cpu - used.milli_cpu) {
    reasons.push_back("Insufficient cpu");
  }
  if (req.memory > 0 && req.memory > alloc.memory - used.memory) {
    reasons.push_back("Insufficient memory");
  }
  if (req.ephemeral_storage > 0 &&
      req.ephemeral_storage > alloc.ephemeral_storage - used.ephemeral_storage) {
    reasons.push_back("Insufficient ephemeral-storage");
  }
  for (const auto& [name, amount] : req.scalar) {
    if (amount > 0 && amount > alloc.Get(name) - used.Get(name)) {
      reasons.push_back("Insufficient " + name);
    }
  }
  if (reasons.empty()) return {};
  return PluginStatus(Code::kUnschedulable, std::move(reasons));
}

}  // namespace kc::scheduler
