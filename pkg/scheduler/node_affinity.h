// NodeAffinity: the filter requires spec.nodeSelector (every key=value) and
// spec.affinity.nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution (any of its
// nodeSelectorTerms; within a term every matchExpressions/matchFields requirement) to match the
// node; the score sums the weights of the matching preferredDuringSchedulingIgnoredDuringExecution
// terms, normalised to 0..100.
//
// Thread-safety: stateless; safe from any thread.
#pragma once

#include <boost/json/object.hpp>

#include "pkg/scheduler/framework.h"

namespace kc::scheduler {

inline constexpr char kReasonNodeAffinity[] = "node(s) didn't match Pod's node affinity/selector";

// One NodeSelectorTerm against a node's labels and name. A term without requirements matches
// nothing; an unknown operator or field fails the term.
bool NodeSelectorTermMatches(const boost::json::object& term, const NodeInfo& node);

class NodeAffinity : public FilterPlugin, public ScorePlugin {
 public:
  std::string_view Name() const override { return "NodeAffinity"; }
  PluginStatus Filter(const CycleState& state, const PodInfo& pod,
                      const NodeInfo& node) const override;
  PluginStatus PreScore(CycleState& state, const PodInfo& pod,
                        const std::vector<const NodeInfo*>& nodes) const override;
  int64_t Score(const CycleState& state, const PodInfo& pod, const NodeInfo& node) const override;
  void NormalizeScores(const CycleState& state, const PodInfo& pod,
                       std::vector<int64_t>& scores) const override;
};

}  // namespace kc::scheduler
