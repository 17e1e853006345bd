#include <doctest/doctest.h>

#include "pkg/scheduler/balanced_allocation.h"
#include "pkg/scheduler/least_allocated.h"
#include "pkg/scheduler/scheduler_test_util.h"
#include "pkg/scheduler/selector_spread.h"

namespace kc::scheduler {
namespace {

using testing::MakeNodeInfo;
using testing::MakePod;

TEST_CASE("LeastAllocated prefers the emptier node") {
  LeastAllocated plugin;
  CycleState state;
  PodInfo pod(MakePod({.cpu = "1", .memory = "1Gi"}));
  auto empty = MakeNodeInfo({.name = "a", .cpu = "4", .memory = "8Gi"});
  auto busy = MakeNodeInfo({.name = "b", .cpu = "4", .memory = "8Gi"},
                           {{.name = "x", .cpu = "2", .memory = "4Gi"}});
  CHECK(plugin.Score(state, pod, *empty) == (75 + 87) / 2);
  CHECK(plugin.Score(state, pod, *busy) == (25 + 37) / 2);
  SUBCASE("containers without requests count 100m / 200Mi") {
    PodInfo be(MakePod({}));
    auto small = MakeNodeInfo({.name = "s", .cpu = "1", .memory = "1000Mi"});
    CHECK(plugin.Score(state, be, *small) == (90 + 80) / 2);
  }
  SUBCASE("over-committed node scores 0 for that resource") {
    PodInfo big(MakePod({.cpu = "8", .memory = "1Gi"}));
    CHECK(plugin.Score(state, big, *empty) == (0 + 87) / 2);
  }
}

TEST_CASE("BalancedAllocation prefers balanced cpu/memory use") {
  BalancedAllocation plugin;
  CycleState state;
  PodInfo pod(MakePod({.cpu = "1", .memory = "1Gi"}));
  auto balanced = MakeNodeInfo({.name = "a", .cpu = "4", .memory = "4Gi"});
  auto skewed = MakeNodeInfo({.name = "b", .cpu = "4", .memory = "16Gi"});
  std::vector<const NodeInfo*> nodes{balanced.get(), skewed.get()};
  CHECK(plugin.PreScore(state, pod, nodes).ok());
  CHECK(plugin.Score(state, pod, *balanced) == 100);
  CHECK(plugin.Score(state, pod, *skewed) == 90);  // (1 - |0.25 - 0.0625| / 2) * 100
  PodInfo best_effort(MakePod({}));
  CHECK(plugin.PreScore(state, best_effort, nodes).code() == Code::kSkip);
}

TEST_CASE("SelectorSpread spreads pods of one controller") {
  SelectorSpread plugin;
  CycleState state;
  PodInfo pod(MakePod({.name = "new", .owner_uid = "rs1"}));
  auto two = MakeNodeInfo({.name = "a"}, {{.name = "x1", .owner_uid = "rs1"},
                                          {.name = "x2", .owner_uid = "rs1"},
                                          {.name = "y", .owner_uid = "rs2"}});
  auto one = MakeNodeInfo({.name = "b"}, {{.name = "x3", .owner_uid = "rs1"}});
  auto none =
      MakeNodeInfo({.name = "c"}, {{.name = "other", .ns = "kube-system", .owner_uid = "rs1"}});
  std::vector<const NodeInfo*> nodes{two.get(), one.get(), none.get()};
  CHECK(plugin.PreScore(state, pod, nodes).ok());
  std::vector<int64_t> scores;
  for (const NodeInfo* n : nodes) scores.push_back(plugin.Score(state, pod, *n));
  CHECK(scores == std::vector<int64_t>{2, 1, 0});
  plugin.NormalizeScores(state, pod, scores);
  CHECK(scores == std::vector<int64_t>{0, 50, 100});
  PodInfo orphan(MakePod({.name = "o"}));
  CHECK(plugin.PreScore(state, orphan, nodes).code() == Code::kSkip);
}

}  // namespace
}  // namespace kc::scheduler
