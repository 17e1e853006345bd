#include "pkg/kubelet/container_gc.h"

#include <map>
#include <set>

namespace kc::kubelet {

GcPlan PlanPodGc(const RuntimePod& rt, int keep_dead) {
  GcPlan plan;
  std::map<std::string, int> dead_seen;
  std::set<std::string> kept_sandboxes;
  for (const RuntimeContainer& c : rt.containers) {  // newest first
    if (c.state != ContainerState::kExited) {
      kept_sandboxes.insert(c.sandbox_id);
      continue;
    }
    if (++dead_seen[c.name] > keep_dead) {
      plan.containers.push_back(&c);
    } else {
      kept_sandboxes.insert(c.sandbox_id);
    }
  }
  for (size_t i = 1; i < rt.sandboxes.size(); ++i) {
    const RuntimeSandbox& s = rt.sandboxes[i];
    if (!s.ready && !kept_sandboxes.count(s.id)) plan.sandboxes.push_back(s.id);
  }
  return plan;
}

}  // namespace kc::kubelet
