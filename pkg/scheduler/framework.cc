#include "pkg/scheduler/framework.h"

#include <algorithm>

namespace kc::scheduler {

void DefaultNormalizeScore(bool reverse, std::vector<int64_t>& scores) {
  int64_t max = 0;
  for (int64_t s : scores) max = std::max(max, s);
  if (max == 0) {
    if (reverse) std::fill(scores.begin(), scores.end(), kMaxNodeScore);
    return;
  }
  for (int64_t& s : scores) {
    s = kMaxNodeScore * s / max;
    if (reverse) s = kMaxNodeScore - s;
  }
}

void Framework::AddPlugin(std::unique_ptr<Plugin> plugin, int64_t score_weight) {
  if (auto* f = dynamic_cast<const FilterPlugin*>(plugin.get())) filters_.push_back(f);
  if (auto* s = dynamic_cast<const ScorePlugin*>(plugin.get())) {
    scorers_.emplace_back(s, score_weight);
  }
  plugins_.push_back(std::move(plugin));
}

PluginStatus Framework::RunPreFilter(CycleState& state, const PodInfo& pod) const {
  for (const FilterPlugin* f : filters_) {
    PluginStatus st = f->PreFilter(state, pod);
    if (st.ok() || st.code() == Code::kSkip) continue;
    st.set_plugin(std::string(f->Name()));
    return st;
  }
  return {};
}

PluginStatus Framework::RunFilters(const CycleState& state, const PodInfo& pod,
                                   const NodeInfo& node) const {
  for (const FilterPlugin* f : filters_) {
    PluginStatus st = f->Filter(state, pod, node);
    if (st.ok() || st.code() == Code::kSkip) continue;
    st.set_plugin(std::string(f->Name()));
    return st;
  }
  return {};
}

std::vector<int64_t> Framework::RunScores(CycleState& state, const PodInfo& pod,
                                          const std::vector<const NodeInfo*>& nodes) const {
  std::vector<int64_t> total(nodes.size(), 0);
  for (const auto& [plugin, weight] : scorers_) {
    if (plugin->PreScore(state, pod, nodes).code() == Code::kSkip) continue;
    std::vector<int64_t> scores;
    scores.reserve(nodes.size());
    for (const NodeInfo* n : nodes) scores.push_back(plugin->Score(state, pod, *n));
    plugin->NormalizeScores(state, pod, scores);
    for (size_t i = 0; i < nodes.size(); ++i) {
      total[i] += std::clamp<int64_t>(scores[i], 0, kMaxNodeScore) * weight;
    }
  }
  return total;
}

}  // namespace kc::scheduler
