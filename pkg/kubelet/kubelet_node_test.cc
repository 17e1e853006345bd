#include "pkg/kubelet/kubelet.h"

#include <doctest/doctest.h>

#include "pkg/kubelet/kubelet_test_util.h"

namespace kc::kubelet {
namespace {

using testing::Condition;
using testing::KubeletFixture;
using testing::MakePod;
using testing::kLeases;
using testing::kNodes;
using testing::Label;


TEST_CASE("node registration, status and lease") {
  KubeletFixture f;
  Kubelet& k = f.NewKubelet();
  REQUIRE(k.UpdateNodeStatus().ok());
  auto node = f.client_.Get(kNodes, "", "node1");
  REQUIRE(node.ok());
  CHECK(Label(*node, "kubernetes.io/hostname") == "node1");
  CHECK(Label(*node, "kubernetes.io/os") == "linux");
  CHECK(Label(*node, "kubernetes.io/arch") == "amd64");
  CHECK(Label(*node, "beta.kubernetes.io/os") == "linux");
  CHECK(Label(*node, "node-role.kubernetes.io/control-plane") == "true");
  CHECK(api::Lookup(*node, "spec.podCIDR")->as_string() == "10.42.0.0/24");
  const json::object& st = node->at("status").as_object();
  CHECK(st.at("capacity").at("pods") == "110");
  CHECK(st.at("capacity").as_object().contains("cpu"));
  CHECK(st.at("capacity").as_object().contains("memory"));
  CHECK(st.at("capacity").as_object().contains("ephemeral-storage"));
  CHECK(st.at("allocatable").as_object().contains("memory"));
  CHECK(st.at("addresses").at(0).at("type") == "InternalIP");
  CHECK(st.at("addresses").at(0).at("address") == "10.0.0.5");
  CHECK(st.at("addresses").at(1).at("type") == "Hostname");
  CHECK(st.at("nodeInfo").at("kubeletVersion") == "v1.32.4+kcluster");
  CHECK(st.at("nodeInfo").at("containerRuntimeVersion") == "fake://1.6.20-fake");
  CHECK(st.at("nodeInfo").at("operatingSystem") == "linux");
  CHECK(Condition(*node, "Ready") == "True");
  CHECK(Condition(*node, "Ready", "reason") == "KubeletReady");
  CHECK(Condition(*node, "Ready", "message") == "kubelet is posting ready status");
  CHECK(Condition(*node, "MemoryPressure") == "False");
  CHECK(Condition(*node, "MemoryPressure", "reason") == "KubeletHasSufficientMemory");
  CHECK(Condition(*node, "DiskPressure", "reason") == "KubeletHasNoDiskPressure");
  CHECK(Condition(*node, "PIDPressure", "reason") == "KubeletHasSufficientPID");

  SUBCASE("unchanged status is not re-posted; a network outage flips Ready") {
    f.client_.ClearActions();
    REQUIRE(k.UpdateNodeStatus().ok());
    CHECK(f.client_.ActionsFor("patch", "nodes").empty());
    f.runtime_.SetNetworkReady(false);
    REQUIRE(k.UpdateNodeStatus().ok());
    CHECK(f.client_.ActionsFor("patch", "nodes").size() == 1);
    node = f.client_.Get(kNodes, "", "node1");
    CHECK(Condition(*node, "Ready") == "False");
    CHECK(Condition(*node, "Ready", "reason") == "KubeletNotReady");
    CHECK(Condition(*node, "Ready", "message") ==
          "container runtime network not ready: NetworkReady=false "
          "reason:NetworkPluginNotReady message:Network plugin returns error: cni plugin not "
          "initialized");
    // The report period forces a post even without change.
    f.client_.ClearActions();
    f.clock_.Advance(std::chrono::minutes(6));
    REQUIRE(k.UpdateNodeStatus().ok());
    CHECK(f.client_.ActionsFor("patch", "nodes").size() == 1);
  }
  SUBCASE("a status changed on the server (node lifecycle: Unknown) is corrected at once") {
    // What the node lifecycle controller writes when the Lease went stale.
    auto n = f.client_.Get(kNodes, "", "node1");
    REQUIRE(n.ok());
    for (auto& c : (*n)["status"].as_object()["conditions"].as_array()) {
      c.as_object()["status"] = "Unknown";
      c.as_object()["reason"] = "NodeStatusUnknown";
    }
    client::WriteOptions status_write;
    status_write.subresource = "status";
    REQUIRE(f.client_.Update(kNodes, "", *n, status_write).ok());
    REQUIRE(Condition(*f.client_.Get(kNodes, "", "node1"), "Ready") == "Unknown");
    f.client_.ClearActions();
    f.clock_.Advance(std::chrono::seconds(10));  // well inside the 5-minute report period
    REQUIRE(k.UpdateNodeStatus().ok());
    CHECK(f.client_.ActionsFor("patch", "nodes").size() == 1);
    node = f.client_.Get(kNodes, "", "node1");
    CHECK(Condition(*node, "Ready") == "True");
    CHECK(Condition(*node, "Ready", "reason") == "KubeletReady");
    CHECK(Condition(*node, "MemoryPressure") == "False");
  }
  SUBCASE("lease is created then renewed") {
    REQUIRE(k.RenewLease().ok());
    auto lease = f.client_.Get(kLeases, "kube-node-lease", "node1");
    REQUIRE(lease.ok());
    CHECK(api::Lookup(*lease, "spec.holderIdentity")->as_string() == "node1");
    CHECK(api::Lookup(*lease, "spec.leaseDurationSeconds")->to_number<int64_t>() == 40);
    std::string first(api::Lookup(*lease, "spec.renewTime")->as_string());
    CHECK(api::Lookup(*lease, "metadata.ownerReferences.0.kind")->as_string() == "Node");
    f.clock_.Advance(std::chrono::seconds(10));
    REQUIRE(k.RenewLease().ok());
    lease = f.client_.Get(kLeases, "kube-node-lease", "node1");
    CHECK(std::string(api::Lookup(*lease, "spec.renewTime")->as_string()) != first);
  }
  SUBCASE("re-registration keeps the existing node") {
    KubeletFixture* fp = &f;
    Kubelet& k2 = fp->NewKubelet();
    REQUIRE(k2.UpdateNodeStatus().ok());
    auto again = f.client_.Get(kNodes, "", "node1");
    CHECK(client::ObjectMetaString(*again, "uid") == client::ObjectMetaString(*node, "uid"));
  }
}

TEST_CASE("started kubelet: threads register the node and run a pod to Running") {
  testing::KubeletFixture f;
  KubeletOptions opts = f.Options();
  opts.clock = nullptr;  // real time for the threads
  opts.relist_period = std::chrono::milliseconds(50);
  opts.workers = 2;
  Kubelet k(f.client_, f.factory_, f.recorder_, opts);
  k.Start();
  REQUIRE(testing::WaitFor([&] { return f.client_.Get(kNodes, "", "node1").ok(); }));
  REQUIRE(testing::WaitFor(
      [&] { return f.client_.Get(kLeases, "kube-node-lease", "node1").ok(); }));
  auto pod = f.CreatePod(MakePod("live", R"({"containers":[{"name":"c","image":"busybox:1.35"}]})"));
  REQUIRE(testing::WaitFor([&] {
    auto p = f.client_.Get(testing::kPods, "ns", "live");
    const json::value* phase = p.ok() ? api::Lookup(*p, "status.phase") : nullptr;
    return phase && *phase == "Running";
  }));
  // The container dies: the relist notices and the worker restarts it.
  std::string uid = KubeletFixture::Uid(pod);
  auto cs = f.RuntimeContainers(uid, "c");
  REQUIRE(f.runtime_.SetContainerExited(cs[0].id(), 1, "Error").ok());
  REQUIRE(testing::WaitFor([&] {
    auto p = f.client_.Get(testing::kPods, "ns", "live");
    const json::value* rc = p.ok() ? api::Lookup(*p, "status.containerStatuses.0.restartCount")
                                   : nullptr;
    return rc && rc->to_number<int64_t>() == 1;
  }));
  k.Stop();
}

}  // namespace
}  // namespace kc::kubelet
