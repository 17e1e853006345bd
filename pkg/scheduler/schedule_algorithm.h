// One scheduling decision: filter every node, score the feasible ones, pick the best (ties
// broken at random with the caller's generator, or the first in node order without one), or
// explain the failure with upstream's FitError message:
//
//   "0/3 nodes are available: 1 Insufficient cpu, 2 node(s) didn't match Pod's node
//    affinity/selector. preemption: 0/3 nodes are available: 1 No preemption victims found for
//    incoming pod, 2 Preemption is not helpful for scheduling."
//
// Reasons are counted per node and the "<count> <reason>" strings sorted as plain strings, as
// upstream does. kcluster does not preempt yet; the "preemption:" part reports what upstream's
// DefaultPreemption says when it finds no victims (nodes rejected as unresolvable are "not
// helpful", the others have "no victims"; preemptionPolicy Never makes the pod not eligible).
//
// Thread-safety: pure functions over caller-owned data.
#pragma once

#include <memory>
#include <random>
#include <string>
#include <vector>

#include "pkg/scheduler/framework.h"

namespace kc::scheduler {

inline constexpr char kNoNodesAvailable[] = "no nodes available to schedule pods";

struct ScheduleResult {
  std::string node;        // "" when the pod fits nowhere
  std::string message;     // the failure message when node is ""
  NodeStatusMap statuses;  // per rejected node
  int feasible_nodes = 0;
};

// The FitError text for `num_all_nodes` nodes whose rejections are `statuses`.
std::string FitErrorMessage(const PodInfo& pod, int num_all_nodes, const NodeStatusMap& statuses);

ScheduleResult SchedulePod(const Framework& framework, const PodInfo& pod,
                           const std::vector<std::shared_ptr<const NodeInfo>>& nodes,
                           std::mt19937* rng);

}  // namespace kc::scheduler
