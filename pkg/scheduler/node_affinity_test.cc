#include "pkg/scheduler/node_affinity.h"

#include <doctest/doctest.h>

#include "pkg/scheduler/scheduler_test_util.h"

namespace kc::scheduler {
namespace {

using testing::MakeNodeInfo;
using testing::MakePod;
using testing::NodeSpec;
using testing::PodSpec;

std::string Filter(const std::string& extra_spec, const std::string& labels) {
  NodeAffinity plugin;
  CycleState state;
  PodInfo pod(MakePod({.extra_spec = extra_spec}));
  PluginStatus st = plugin.Filter(state, pod, *MakeNodeInfo({.name = "n1", .labels = labels}));
  if (st.ok()) return "";
  CHECK(st.code() == Code::kUnschedulableAndUnresolvable);
  REQUIRE(st.reasons().size() == 1);
  return st.reasons()[0];
}

std::string Required(const std::string& term) {
  return R"({"affinity":{"nodeAffinity":{"requiredDuringSchedulingIgnoredDuringExecution":
      {"nodeSelectorTerms":[)" +
         term + "]}}}}";
}

TEST_CASE("NodeAffinity filter") {
  const std::string fail = kReasonNodeAffinity;
  CHECK(fail == "node(s) didn't match Pod's node affinity/selector");
  SUBCASE("nodeSelector") {
    CHECK(Filter(R"({"nodeSelector":{"disk":"ssd"}})", R"({"disk":"ssd"})") == "");
    CHECK(Filter(R"({"nodeSelector":{"disk":"ssd"}})", R"({"disk":"hdd"})") == fail);
    CHECK(Filter(R"({"nodeSelector":{"disk":"ssd"}})", "{}") == fail);
  }
  SUBCASE("required terms") {
    struct Case {
      const char* term;
      const char* labels;
      bool fits;
    };
    Case cases[] = {
        {R"({"matchExpressions":[{"key":"zone","operator":"In","values":["a","b"]}]})",
         R"({"zone":"b"})", true},
        {R"({"matchExpressions":[{"key":"zone","operator":"In","values":["a"]}]})",
         R"({"zone":"b"})", false},
        {R"({"matchExpressions":[{"key":"zone","operator":"NotIn","values":["a"]}]})", "{}", true},
        {R"({"matchExpressions":[{"key":"gpu","operator":"Exists"}]})", R"({"gpu":"x"})", true},
        {R"({"matchExpressions":[{"key":"gpu","operator":"DoesNotExist"}]})", R"({"gpu":"x"})",
         false},
        {R"({"matchExpressions":[{"key":"cores","operator":"Gt","values":["8"]}]})",
         R"({"cores":"16"})", true},
        {R"({"matchExpressions":[{"key":"cores","operator":"Lt","values":["8"]}]})",
         R"({"cores":"16"})", false},
        {R"({"matchExpressions":[{"key":"cores","operator":"Gt","values":["x"]}]})",
         R"({"cores":"16"})", false},
        {R"({"matchFields":[{"key":"metadata.name","operator":"In","values":["n1"]}]})", "{}",
         true},
        {R"({"matchFields":[{"key":"metadata.name","operator":"In","values":["n2"]}]})", "{}",
         false},
        {"{}", "{}", false},
        // Terms are ORed, expressions within a term ANDed.
        {R"({"matchExpressions":[{"key":"a","operator":"Exists"}]},
            {"matchExpressions":[{"key":"b","operator":"Exists"}]})",
         R"({"b":"1"})", true},
        {R"({"matchExpressions":[{"key":"a","operator":"Exists"},
                                 {"key":"b","operator":"Exists"}]})",
         R"({"b":"1"})", false},
    };
    for (const Case& c : cases) {
      CAPTURE(c.term);
      CHECK(Filter(Required(c.term), c.labels) == (c.fits ? "" : fail));
    }
  }
}

TEST_CASE("NodeAffinity preferred score") {
  NodeAffinity plugin;
  CycleState state;
  PodInfo pod(MakePod({.extra_spec = R"({"affinity":{"nodeAffinity":{
      "preferredDuringSchedulingIgnoredDuringExecution":[
        {"weight":10,"preference":{"matchExpressions":[
          {"key":"zone","operator":"In","values":["a"]}]}},
        {"weight":30,"preference":{"matchExpressions":[
          {"key":"disk","operator":"In","values":["ssd"]}]}}]}}})"}));
  auto a = MakeNodeInfo({.name = "a", .labels = R"({"zone":"a"})"});
  auto b = MakeNodeInfo({.name = "b", .labels = R"({"zone":"a","disk":"ssd"})"});
  auto c = MakeNodeInfo({.name = "c"});
  std::vector<const NodeInfo*> nodes{a.get(), b.get(), c.get()};
  CHECK(plugin.PreScore(state, pod, nodes).ok());
  std::vector<int64_t> scores;
  for (const NodeInfo* n : nodes) scores.push_back(plugin.Score(state, pod, *n));
  CHECK(scores == std::vector<int64_t>{10, 40, 0});
  plugin.NormalizeScores(state, pod, scores);
  CHECK(scores == std::vector<int64_t>{25, 100, 0});

  PodInfo plain(MakePod({}));
  CHECK(plugin.PreScore(state, plain, nodes).code() == Code::kSkip);
}

}  // namespace
}  // namespace kc::scheduler
