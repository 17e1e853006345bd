// The scheduling framework: the plugin interfaces and the Framework that runs them for one pod
// against a snapshot of the nodes (upstream's pkg/scheduler/framework, reduced to the extension
// points kcluster uses today).
//
//  - A FilterPlugin says whether a pod may run on a node. Its PluginStatus carries upstream's
//    reason texts ("Insufficient cpu"); the first failing filter decides a node's status.
//    Statuses are kUnschedulable (preemption could help) or kUnschedulableAndUnresolvable.
//  - A ScorePlugin ranks the feasible nodes 0..kMaxNodeScore, optionally normalising its raw
//    scores across nodes; the Framework sums score * weight.
//  - PreFilter/PreScore hooks may compute per-pod data once and keep it in the CycleState.
//
// Pod affinity, topology spread and preemption are meant to arrive as more plugins of these
// kinds (plus a PostFilter point) without changes to the scheduler loop.
//
// Thread-safety: a Framework is immutable after its plugins were added; Run* calls are safe from
// any thread as long as each cycle uses its own CycleState. Plugins must be stateless between
// cycles (or guard their own state).
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "pkg/scheduler/node_info.h"

namespace kc::scheduler {

inline constexpr int64_t kMaxNodeScore = 100;

enum class Code { kSuccess, kUnschedulable, kUnschedulableAndUnresolvable, kError, kSkip };

// The outcome of one plugin call: a code and the human reasons (for filters, one or more of
// upstream's reason strings).
class PluginStatus {
 public:
  PluginStatus() = default;
  PluginStatus(Code code, std::vector<std::string> reasons)
      : code_(code), reasons_(std::move(reasons)) {}
  static PluginStatus Unschedulable(std::string reason) {
    return {Code::kUnschedulable, {std::move(reason)}};
  }
  static PluginStatus Unresolvable(std::string reason) {
    return {Code::kUnschedulableAndUnresolvable, {std::move(reason)}};
  }
  static PluginStatus Skip() { return {Code::kSkip, {}}; }

  bool ok() const { return code_ == Code::kSuccess; }
  bool rejected() const {
    return code_ == Code::kUnschedulable || code_ == Code::kUnschedulableAndUnresolvable;
  }
  Code code() const { return code_; }
  const std::vector<std::string>& reasons() const { return reasons_; }
  const std::string& plugin() const { return plugin_; }
  void set_plugin(std::string plugin) { plugin_ = std::move(plugin); }

 private:
  Code code_ = Code::kSuccess;
  std::vector<std::string> reasons_;
  std::string plugin_;
};

// Per-cycle data a plugin computes in PreFilter/PreScore and reads in Filter/Score.
class StateData {
 public:
  virtual ~StateData() = default;
};

class CycleState {
 public:
  void Write(const std::string& key, std::unique_ptr<StateData> data) {
    data_[key] = std::move(data);
  }
  // nullptr when absent or of another type.
  template <typename T>
  const T* Read(const std::string& key) const {
    auto it = data_.find(key);
    return it == data_.end() ? nullptr : dynamic_cast<const T*>(it->second.get());
  }

 private:
  std::map<std::string, std::unique_ptr<StateData>> data_;
};

class Plugin {
 public:
  virtual ~Plugin() = default;
  virtual std::string_view Name() const = 0;
};

class FilterPlugin : public virtual Plugin {
 public:
  // Once per cycle before Filter; a rejection here fails every node with it.
  virtual PluginStatus PreFilter(CycleState& state, const PodInfo& pod) const { return {}; }
  virtual PluginStatus Filter(const CycleState& state, const PodInfo& pod,
                              const NodeInfo& node) const = 0;
};

class ScorePlugin : public virtual Plugin {
 public:
  // Once per cycle with the feasible nodes; Skip leaves the plugin out of this cycle.
  virtual PluginStatus PreScore(CycleState& state, const PodInfo& pod,
                                const std::vector<const NodeInfo*>& nodes) const {
    return {};
  }
  virtual int64_t Score(const CycleState& state, const PodInfo& pod,
                        const NodeInfo& node) const = 0;
  // Maps the raw scores of all feasible nodes (same order) into 0..kMaxNodeScore.
  virtual void NormalizeScores(const CycleState& state, const PodInfo& pod,
                               std::vector<int64_t>& scores) const {}
};

// upstream's helper: scales scores so the maximum becomes kMaxNodeScore; `reverse` flips them
// (kMaxNodeScore - scaled). With all scores 0, reverse makes them all kMaxNodeScore.
void DefaultNormalizeScore(bool reverse, std::vector<int64_t>& scores);

// Per-node filter outcome of a cycle.
using NodeStatusMap = std::map<std::string, PluginStatus>;

class Framework {
 public:
  // Adds a plugin; it joins the filter and/or score points by the interfaces it implements.
  // `score_weight` applies to score plugins. Order of filters is the order of adding.
  void AddPlugin(std::unique_ptr<Plugin> plugin, int64_t score_weight = 1);

  // PreFilter of every filter plugin; the first rejection is returned.
  PluginStatus RunPreFilter(CycleState& state, const PodInfo& pod) const;
  // Filters in order, stopping at the first one that rejects.
  PluginStatus RunFilters(const CycleState& state, const PodInfo& pod, const NodeInfo& node) const;
  // Weighted total per node (same order as `nodes`).
  std::vector<int64_t> RunScores(CycleState& state, const PodInfo& pod,
                                 const std::vector<const NodeInfo*>& nodes) const;

  bool HasScorePlugins() const { return !scorers_.empty(); }

 private:
  std::vector<std::unique_ptr<Plugin>> plugins_;
  std::vector<const FilterPlugin*> filters_;
  std::vector<std::pair<const ScorePlugin*, int64_t>> scorers_;
};

}  // namespace kc::scheduler
