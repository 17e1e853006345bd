// TaintToleration: the filter rejects nodes with a NoSchedule or NoExecute taint the pod does
// not tolerate (reporting the first one, "node(s) had untolerated taint {key: value}"); the
// score prefers nodes with fewer untolerated PreferNoSchedule taints. Taints include those
// implied by the node's conditions (see taints.h), so a not-Ready node is filtered here.
//
// Thread-safety: stateless; safe from any thread.
#pragma once

#include "pkg/scheduler/framework.h"

namespace kc::scheduler {

class TaintToleration : public FilterPlugin, public ScorePlugin {
 public:
  std::string_view Name() const override { return "TaintToleration"; }
  PluginStatus Filter(const CycleState& state, const PodInfo& pod,
                      const NodeInfo& node) const override;
  int64_t Score(const CycleState& state, const PodInfo& pod, const NodeInfo& node) const override;
  void NormalizeScores(const CycleState& state, const PodInfo& pod,
                       std::vector<int64_t>& scores) const override;
};

}  // namespace kc::scheduler
