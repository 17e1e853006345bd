#include "pkg/scheduler/least_allocated.h"

namespace kc::scheduler {
namespace {

int64_t LeastRequestedScore(int64_t requested, int64_t capacity) {
  if (capacity == 0 || requested > capacity) return 0;
  return (capacity - requested) * kMaxNodeScore / capacity;
}

}  // namespace

int64_t LeastAllocated::Score(const CycleState&, const PodInfo& pod, const NodeInfo& node) const {
  const Resources& alloc = node.allocatable();
  const Resources& used = node.non_zero_requested();
  const Resources& req = pod.non_zero_requests();
  int64_t total = 0;
  int64_t weights = 0;
  if (alloc.milli_cpu > 0) {
    total += LeastRequestedScore(used.milli_cpu + req.milli_cpu, alloc.milli_cpu);
    ++weights;
  }
  if (alloc.memory > 0) {
    total += LeastRequestedScore(used.memory + req.memory, alloc.memory);
    ++weights;
  }
  return weights == 0 ? 0 : total / weights;
}

}  // namespace kc::scheduler
