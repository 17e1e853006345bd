// LeastAllocated score (NodeResourcesFit's default scoring strategy): prefers nodes with more
// free cpu and memory after placing the pod. Per resource (capacity - requested) * 100 /
// capacity, averaged with equal weights; requests count containers without requests as
// 100m / 200Mi.
//
// Thread-safety: stateless; safe from any thread.
#pragma once

#include "pkg/scheduler/framework.h"

namespace kc::scheduler {

class LeastAllocated : public ScorePlugin {
 public:
  std::string_view Name() const override { return "NodeResourcesLeastAllocated"; }
  int64_t Score(const CycleState& state, const PodInfo& pod, const NodeInfo& node) const override;
};

}  // namespace kc::scheduler
