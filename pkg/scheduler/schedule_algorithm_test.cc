#include "pkg/scheduler/schedule_algorithm.h"

#include <doctest/doctest.h>

#include <set>

#include "pkg/scheduler/default_plugins.h"
#include "pkg/scheduler/scheduler_test_util.h"

namespace kc::scheduler {
namespace {

using testing::MakeNodeInfo;
using testing::MakePod;
using testing::PodSpec;

std::vector<std::shared_ptr<const NodeInfo>> Nodes(std::vector<std::shared_ptr<NodeInfo>> nodes) {
  return {nodes.begin(), nodes.end()};
}

TEST_CASE("SchedulePod picks a feasible node or explains why none fits") {
  auto fw = NewDefaultFramework();
  auto small = MakeNodeInfo({.name = "small", .cpu = "1", .memory = "2Gi"});
  auto ssd =
      MakeNodeInfo({.name = "ssd", .cpu = "8", .memory = "16Gi", .labels = R"({"disk":"ssd"})"});
  auto cp = MakeNodeInfo({.name = "cp",
                          .cpu = "8",
                          .memory = "16Gi",
                          .taints = R"([{"key":"node-role.kubernetes.io/control-plane",
                                          "effect":"NoSchedule"}])"});
  auto nodes = Nodes({small, ssd, cp});

  SUBCASE("fits") {
    PodInfo pod(MakePod({.cpu = "2"}));
    ScheduleResult r = SchedulePod(*fw, pod, nodes, nullptr);
    CHECK(r.node == "ssd");
    CHECK(r.feasible_nodes == 1);
  }
  SUBCASE("least allocated wins among feasible nodes") {
    auto busy = MakeNodeInfo({.name = "busy", .cpu = "8", .memory = "16Gi"},
                             {{.name = "x", .cpu = "6", .memory = "12Gi"}});
    auto idle = MakeNodeInfo({.name = "idle", .cpu = "8", .memory = "16Gi"});
    PodInfo pod(MakePod({.cpu = "1", .memory = "1Gi"}));
    CHECK(SchedulePod(*fw, pod, Nodes({busy, idle}), nullptr).node == "idle");
  }
  SUBCASE("single reason") {
    PodInfo pod(MakePod({.cpu = "2", .extra_spec = R"({"nodeSelector":{"disk":"hdd"}})"}));
    ScheduleResult r = SchedulePod(*fw, pod, Nodes({small}), nullptr);
    CHECK(r.node == "");
    CHECK(r.message ==
          "0/1 nodes are available: 1 node(s) didn't match Pod's node affinity/selector. "
          "preemption: 0/1 nodes are available: 1 Preemption is not helpful for scheduling.");
  }
  SUBCASE("insufficient cpu") {
    PodInfo pod(MakePod({.cpu = "2"}));
    ScheduleResult r = SchedulePod(*fw, pod, Nodes({small}), nullptr);
    CHECK(r.message ==
          "0/1 nodes are available: 1 Insufficient cpu. preemption: 0/1 nodes are available: 1 "
          "No preemption victims found for incoming pod.");
  }
  SUBCASE("mixed reasons, sorted as strings") {
    PodInfo pod(MakePod({.cpu = "4", .memory = "32Gi"}));
    ScheduleResult r = SchedulePod(*fw, pod, nodes, nullptr);
    CHECK(r.message ==
          "0/3 nodes are available: 1 Insufficient cpu, 1 node(s) had untolerated taint "
          "{node-role.kubernetes.io/control-plane: }, 2 Insufficient memory. preemption: 0/3 "
          "nodes are available: 1 Preemption is not helpful for scheduling, 2 No preemption "
          "victims found for incoming pod.");
    CHECK(r.statuses.size() == 3);
    CHECK(r.statuses.at("cp").plugin() == "TaintToleration");
  }
  SUBCASE("preemptionPolicy Never") {
    PodInfo pod(MakePod({.cpu = "64", .extra_spec = R"({"preemptionPolicy":"Never"})"}));
    ScheduleResult r = SchedulePod(*fw, pod, Nodes({small}), nullptr);
    CHECK(r.message ==
          "0/1 nodes are available: 1 Insufficient cpu. preemption: not eligible due to "
          "preemptionPolicy=Never.");
  }
  SUBCASE("no nodes") {
    PodInfo pod(MakePod({}));
    CHECK(SchedulePod(*fw, pod, {}, nullptr).message == "no nodes available to schedule pods");
  }
  SUBCASE("ties are broken at random with a generator") {
    auto a = MakeNodeInfo({.name = "a"});
    auto b = MakeNodeInfo({.name = "b"});
    PodInfo pod(MakePod({.cpu = "1"}));
    CHECK(SchedulePod(*fw, pod, Nodes({a, b}), nullptr).node == "a");
    std::mt19937 rng(7);
    std::set<std::string> seen;
    for (int i = 0; i < 64; ++i) seen.insert(SchedulePod(*fw, pod, Nodes({a, b}), &rng).node);
    CHECK(seen == std::set<std::string>{"a", "b"});
  }
}

}  // namespace
}  // namespace kc::scheduler
