#include "pkg/scheduler/schedule_algorithm.h"

#include <algorithm>
#include <map>

#include "pkg/api/json_path.h"

namespace kc::scheduler {
namespace {

std::string Histogram(const std::map<std::string, int>& counts) {
  std::vector<std::string> parts;
  for (const auto& [reason, n] : counts) parts.push_back(std::to_string(n) + " " + reason);
  std::sort(parts.begin(), parts.end());
  std::string out;
  for (size_t i = 0; i < parts.size(); ++i) {
    if (i) out += ", ";
    out += parts[i];
  }
  return out;
}

}  // namespace

std::string FitErrorMessage(const PodInfo& pod, int num_all_nodes, const NodeStatusMap& statuses) {
  std::string prefix = "0/" + std::to_string(num_all_nodes) + " nodes are available:";
  std::map<std::string, int> reasons;
  std::map<std::string, int> preemption;
  for (const auto& [node, st] : statuses) {
    for (const std::string& r : st.reasons()) ++reasons[r];
    ++preemption[st.code() == Code::kUnschedulableAndUnresolvable
                     ? "Preemption is not helpful for scheduling"
                     : "No preemption victims found for incoming pod"];
  }
  std::string msg = prefix;
  if (!reasons.empty()) msg += " " + Histogram(reasons) + ".";
  std::string policy = pod.spec() ? api::GetString(*pod.spec(), "preemptionPolicy") : "";
  if (policy == "Never") {
    msg += " preemption: not eligible due to preemptionPolicy=Never.";
  } else if (!preemption.empty()) {
    msg += " preemption: " + prefix + " " + Histogram(preemption) + ".";
  }
  return msg;
}

ScheduleResult SchedulePod(const Framework& framework, const PodInfo& pod,
                           const std::vector<std::shared_ptr<const NodeInfo>>& nodes,
                           std::mt19937* rng) {
  ScheduleResult result;
  if (nodes.empty()) {
    result.message = kNoNodesAvailable;
    return result;
  }
  CycleState state;
  PluginStatus pre = framework.RunPreFilter(state, pod);
  std::vector<const NodeInfo*> feasible;
  for (const auto& n : nodes) {
    PluginStatus st = pre.rejected() ? pre : framework.RunFilters(state, pod, *n);
    if (st.rejected() || st.code() == Code::kError) {
      result.statuses[n->name()] = std::move(st);
    } else {
      feasible.push_back(n.get());
    }
  }
  result.feasible_nodes = static_cast<int>(feasible.size());
  if (feasible.empty()) {
    result.message = FitErrorMessage(pod, static_cast<int>(nodes.size()), result.statuses);
    return result;
  }
  if (feasible.size() == 1 || !framework.HasScorePlugins()) {
    result.node = feasible.front()->name();
    return result;
  }
  std::vector<int64_t> scores = framework.RunScores(state, pod, feasible);
  int64_t best = *std::max_element(scores.begin(), scores.end());
  std::vector<size_t> top;
  for (size_t i = 0; i < scores.size(); ++i) {
    if (scores[i] == best) top.push_back(i);
  }
  size_t pick = top.front();
  if (rng && top.size() > 1) {
    pick = top[std::uniform_int_distribution<size_t>(0, top.size() - 1)(*rng)];
  }
  result.node = feasible[pick]->name();
  return result;
}

}  // namespace kc::scheduler
