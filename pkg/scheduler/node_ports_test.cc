#include "pkg/scheduler/node_ports.h"

#include <doctest/doctest.h>

#include "pkg/scheduler/node_name.h"
#include "pkg/scheduler/node_unschedulable.h"
#include "pkg/scheduler/scheduler_test_util.h"

namespace kc::scheduler {
namespace {

using testing::MakeNodeInfo;
using testing::MakePod;
using testing::PodSpec;

std::string PortsFilter(const PodSpec& pod, const std::vector<PodSpec>& bound) {
  NodePorts plugin;
  CycleState state;
  PodInfo info(MakePod(pod));
  PluginStatus st = plugin.Filter(state, info, *MakeNodeInfo({}, bound));
  if (st.ok()) return "";
  CHECK(st.code() == Code::kUnschedulable);
  return st.reasons().at(0);
}

PodSpec WithPort(const std::string& name, const std::string& ports) {
  return {.name = name, .extra_spec = R"({"containers":[{"name":"c","ports":)" + ports + "}]}"};
}

TEST_CASE("NodePorts filter") {
  const std::string fail = "node(s) didn't have free ports for the requested pod ports";
  CHECK(PortsFilter({.host_port = 8080}, {}) == "");
  CHECK(PortsFilter({.host_port = 8080}, {{.name = "a", .host_port = 8080}}) == fail);
  CHECK(PortsFilter({.host_port = 8080}, {{.name = "a", .host_port = 8081}}) == "");
  CHECK(PortsFilter({}, {{.name = "a", .host_port = 8080}}) == "");
  SUBCASE("protocol and host IP") {
    auto udp = WithPort("u", R"([{"containerPort":53,"hostPort":53,"protocol":"UDP"}])");
    auto tcp = WithPort("t", R"([{"containerPort":53,"hostPort":53}])");
    CHECK(PortsFilter(tcp, {udp}) == "");
    auto ip1 = WithPort("i1", R"([{"containerPort":80,"hostPort":80,"hostIP":"10.0.0.1"}])");
    auto ip2 = WithPort("i2", R"([{"containerPort":80,"hostPort":80,"hostIP":"10.0.0.2"}])");
    auto any = WithPort("any", R"([{"containerPort":80,"hostPort":80}])");
    CHECK(PortsFilter(ip1, {ip2}) == "");
    CHECK(PortsFilter(ip1, {any}) == fail);
    CHECK(PortsFilter(any, {ip2}) == fail);
  }
}

TEST_CASE("NodeUnschedulable filter") {
  NodeUnschedulable plugin;
  CycleState state;
  PodInfo plain(MakePod({}));
  CHECK(plugin.Filter(state, plain, *MakeNodeInfo({})).ok());
  PluginStatus st = plugin.Filter(state, plain, *MakeNodeInfo({.unschedulable = true}));
  CHECK(st.code() == Code::kUnschedulableAndUnresolvable);
  CHECK(st.reasons() == std::vector<std::string>{"node(s) were unschedulable"});
  PodInfo tolerant(MakePod({.extra_spec = R"({"tolerations":[{"key":
      "node.kubernetes.io/unschedulable","operator":"Exists","effect":"NoSchedule"}]})"}));
  CHECK(plugin.Filter(state, tolerant, *MakeNodeInfo({.unschedulable = true})).ok());
}

TEST_CASE("NodeName filter") {
  NodeName plugin;
  CycleState state;
  PodInfo pinned(MakePod({.node_name = "n2"}));
  CHECK(plugin.Filter(state, pinned, *MakeNodeInfo({.name = "n2"})).ok());
  PluginStatus st = plugin.Filter(state, pinned, *MakeNodeInfo({.name = "n1"}));
  CHECK(st.reasons() == std::vector<std::string>{"node(s) didn't match the requested node name"});
  PodInfo free(MakePod({}));
  CHECK(plugin.Filter(state, free, *MakeNodeInfo({.name = "n1"})).ok());
}

}  // namespace
}  // namespace kc::scheduler
