#include "pkg/scheduler/taint_toleration.h"

#include <doctest/doctest.h>

#include "pkg/scheduler/scheduler_test_util.h"

namespace kc::scheduler {
namespace {

using testing::MakeNodeInfo;
using testing::MakePod;
using testing::NodeSpec;

std::string Filter(const std::string& tolerations, const NodeSpec& node) {
  TaintToleration plugin;
  CycleState state;
  PodInfo pod(MakePod({.extra_spec = R"({"tolerations":)" + tolerations + "}"}));
  PluginStatus st = plugin.Filter(state, pod, *MakeNodeInfo(node));
  if (st.ok()) return "";
  CHECK(st.code() == Code::kUnschedulableAndUnresolvable);
  REQUIRE(st.reasons().size() == 1);
  return st.reasons()[0];
}

TEST_CASE("TaintToleration filter") {
  const std::string cp =
      R"([{"key":"node-role.kubernetes.io/control-plane","effect":"NoSchedule"}])";
  const std::string cp_msg =
      "node(s) had untolerated taint {node-role.kubernetes.io/control-plane: }";
  SUBCASE("untolerated NoSchedule") { CHECK(Filter("[]", {.taints = cp}) == cp_msg); }
  SUBCASE("tolerated by Exists on the key") {
    CHECK(Filter(R"([{"key":"node-role.kubernetes.io/control-plane","operator":"Exists"}])",
                 {.taints = cp}) == "");
  }
  SUBCASE("tolerated by the empty-key Exists toleration") {
    CHECK(Filter(R"([{"operator":"Exists"}])", {.taints = cp}) == "");
  }
  SUBCASE("Equal needs the value") {
    std::string t = R"([{"key":"dedicated","value":"gpu","effect":"NoExecute"}])";
    CHECK(Filter("[]", {.taints = t}) == "node(s) had untolerated taint {dedicated: gpu}");
    CHECK(Filter(R"([{"key":"dedicated","value":"gpu"}])", {.taints = t}) == "");
    CHECK(Filter(R"([{"key":"dedicated","operator":"Equal","value":"cpu"}])", {.taints = t}) ==
          "node(s) had untolerated taint {dedicated: gpu}");
  }
  SUBCASE("effect must match when given") {
    std::string t = R"([{"key":"k","effect":"NoExecute"}])";
    CHECK(Filter(R"([{"key":"k","operator":"Exists","effect":"NoSchedule"}])", {.taints = t}) ==
          "node(s) had untolerated taint {k: }");
  }
  SUBCASE("PreferNoSchedule does not filter") {
    CHECK(Filter("[]", {.taints = R"([{"key":"k","effect":"PreferNoSchedule"}])"}) == "");
  }
  SUBCASE("not Ready nodes carry the condition taints") {
    CHECK(Filter("[]", {.ready = "False"}) ==
          "node(s) had untolerated taint {node.kubernetes.io/not-ready: }");
    CHECK(Filter("[]", {.ready = "Unknown"}) ==
          "node(s) had untolerated taint {node.kubernetes.io/unreachable: }");
    CHECK(Filter("[]", {.ready = ""}) ==
          "node(s) had untolerated taint {node.kubernetes.io/not-ready: }");
    CHECK(Filter(R"([{"key":"node.kubernetes.io/not-ready","operator":"Exists"}])",
                 {.ready = "False"}) == "");
  }
}

TEST_CASE("TaintToleration score prefers fewer PreferNoSchedule taints") {
  TaintToleration plugin;
  CycleState state;
  PodInfo pod(MakePod(
      {.extra_spec =
           R"({"tolerations":[{"key":"ok","operator":"Exists","effect":"PreferNoSchedule"}]})"}));
  auto none = MakeNodeInfo({.name = "a"});
  auto two = MakeNodeInfo({.name = "b", .taints = R"([{"key":"x","effect":"PreferNoSchedule"},
      {"key":"y","effect":"PreferNoSchedule"},{"key":"ok","effect":"PreferNoSchedule"}])"});
  auto one = MakeNodeInfo({.name = "c", .taints = R"([{"key":"x","effect":"PreferNoSchedule"}])"});
  std::vector<int64_t> scores{plugin.Score(state, pod, *none), plugin.Score(state, pod, *two),
                              plugin.Score(state, pod, *one)};
  CHECK(scores == std::vector<int64_t>{0, 2, 1});
  plugin.NormalizeScores(state, pod, scores);
  CHECK(scores == std::vector<int64_t>{100, 0, 50});
}

}  // namespace
}  // namespace kc::scheduler
