#include "pkg/scheduler/node_resources_fit.h"

#include <doctest/doctest.h>

#include "pkg/scheduler/scheduler_test_util.h"

namespace kc::scheduler {
namespace {

using testing::MakeNodeInfo;
using testing::MakePod;
using testing::NodeSpec;
using testing::PodSpec;

std::vector<std::string> Run(const PodSpec& pod, const NodeSpec& node,
                             const std::vector<PodSpec>& bound = {}) {
  NodeResourcesFit plugin;
  CycleState state;
  PodInfo info(MakePod(pod));
  PluginStatus st = plugin.Filter(state, info, *MakeNodeInfo(node, bound));
  if (!st.ok()) CHECK(st.code() == Code::kUnschedulable);
  return st.reasons();
}

TEST_CASE("NodeResourcesFit filter") {
  using V = std::vector<std::string>;
  SUBCASE("fits an empty node") { CHECK(Run({.cpu = "1", .memory = "1Gi"}, {}) == V{}); }
  SUBCASE("too much cpu") { CHECK(Run({.cpu = "5"}, {.cpu = "4"}) == V{"Insufficient cpu"}); }
  SUBCASE("bound pods use up the node") {
    CHECK(Run({.cpu = "1"}, {.cpu = "2"}, {{.name = "a", .cpu = "1500m"}}) ==
          V{"Insufficient cpu"});
    CHECK(Run({.cpu = "500m"}, {.cpu = "2"}, {{.name = "a", .cpu = "1500m"}}) == V{});
  }
  SUBCASE("every shortfall is reported") {
    CHECK(Run({.cpu = "8", .memory = "16Gi"}, {.cpu = "4", .memory = "8Gi"}) ==
          V{"Insufficient cpu", "Insufficient memory"});
  }
  SUBCASE("pod count") {
    CHECK(Run({}, {.pods = "1"}, {{.name = "a"}}) == V{"Too many pods"});
    CHECK(Run({}, {.pods = "2"}, {{.name = "a"}}) == V{});
  }
  SUBCASE("ephemeral-storage and extended resources") {
    PodSpec p{.extra_spec = R"({"containers":[{"name":"c","resources":{"requests":
        {"ephemeral-storage":"2Gi","example.com/gpu":"1"}}}]})"};
    CHECK(Run(p, {.ephemeral = "1Gi"}) ==
          V{"Insufficient ephemeral-storage", "Insufficient example.com/gpu"});
  }
  SUBCASE("best-effort pod only needs a pod slot") { CHECK(Run({}, {.cpu = "0"}) == V{}); }
}

TEST_CASE("pod requests: init containers, sidecars and overhead") {
  auto pod = MakePod({.extra_spec = R"({
    "containers":[{"name":"a","resources":{"requests":{"cpu":"100m","memory":"100Mi"}}},
                  {"name":"b","resources":{"requests":{"cpu":"200m"}}}],
    "initContainers":[{"name":"i","resources":{"requests":{"cpu":"1","memory":"50Mi"}}},
                      {"name":"s","restartPolicy":"Always",
                       "resources":{"requests":{"cpu":"50m","memory":"10Mi"}}}],
    "overhead":{"cpu":"10m"}})"});
  Resources r = PodRequests(*pod, false);
  CHECK(r.milli_cpu == 1010);            // max(300+50, 1000) + 10
  CHECK(r.memory == 110 * 1024 * 1024);  // max(100Mi+10Mi, 50Mi)
  Resources nz = PodRequests(*pod, true);
  CHECK(nz.memory == (100 + 200 + 10) * 1024 * 1024);  // b counts 200Mi
}

TEST_CASE("scalar resource names") {
  CHECK(IsScalarResourceName("example.com/gpu"));
  CHECK(IsScalarResourceName("nvidia.com/gpu"));
  CHECK(IsScalarResourceName("hugepages-2Mi"));
  CHECK(IsScalarResourceName("attachable-volumes-aws-ebs"));
  CHECK_FALSE(IsScalarResourceName("cpu"));
  CHECK_FALSE(IsScalarResourceName("kubernetes.io/something"));
  CHECK_FALSE(IsScalarResourceName("node.kubernetes.io/x"));
  CHECK_FALSE(IsScalarResourceName("requests.example.com/gpu"));
}

}  // namespace
}  // namespace kc::scheduler
