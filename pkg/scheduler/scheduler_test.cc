#include "pkg/scheduler/scheduler.h"

#include <doctest/doctest.h>

#include <atomic>
#include <optional>
#include <thread>

#include "pkg/api/json_path.h"
#include "pkg/client/fake_client.h"
#include "pkg/scheduler/scheduler_test_util.h"

namespace kc::scheduler {
namespace {

using testing::MakeNode;
using testing::MakePod;
using testing::WaitFor;

const client::ResourceRef kPods{"", "v1", "pods"};
const client::ResourceRef kNodes{"", "v1", "nodes"};
const client::ResourceRef kEvents{"", "v1", "events"};

struct Env {
  client::FakeClient fc;
  client::SharedInformerFactory factory{fc};
  std::unique_ptr<Scheduler> sched;

  explicit Env(std::vector<client::ObjectPtr> nodes) {
    for (const auto& n : nodes) REQUIRE(fc.Seed(kNodes, *n).ok());
    SchedulerOptions opts;
    opts.initial_backoff = std::chrono::milliseconds(1);
    opts.max_backoff = std::chrono::milliseconds(10);
    opts.random_seed = 1;
    opts.instance = "default-scheduler-test";
    sched = std::make_unique<Scheduler>(fc, factory, std::move(opts));
    factory.Start();
    sched->Start();
  }
  ~Env() {
    sched->Stop();
    factory.Stop();
  }

  void CreatePod(const testing::PodSpec& spec) {
    client::Object pod = *MakePod(spec);
    pod.erase("status");
    REQUIRE(fc.Create(kPods, spec.ns, pod).ok());
  }
  std::string NodeOf(const std::string& name) {
    auto p = fc.Get(kPods, "default", name);
    if (!p.ok()) return "";
    const boost::json::object* spec = api::GetObject(*p, "spec");
    return spec ? api::GetString(*spec, "nodeName") : "";
  }
  // The PodScheduled condition's "status|reason|message", "" when absent.
  std::string Condition(const std::string& name) {
    auto p = fc.Get(kPods, "default", name);
    if (!p.ok()) return "";
    const boost::json::value* conds = api::Lookup(*p, "status.conditions");
    if (!conds || !conds->is_array()) return "";
    for (const auto& c : conds->get_array()) {
      const auto& o = c.get_object();
      if (api::GetString(o, "type") != "PodScheduled") continue;
      return api::GetString(o, "status") + "|" + api::GetString(o, "reason") + "|" +
             api::GetString(o, "message");
    }
    return "";
  }
  std::vector<std::string> EventMessages(const std::string& reason) {
    std::vector<std::string> out;
    sched->FlushEvents();
    auto list = fc.List(kEvents, "default", {});
    if (!list.ok()) return out;
    for (const auto& e : list->items) {
      if (api::GetString(e, "reason") == reason) out.push_back(api::GetString(e, "message"));
    }
    return out;
  }
};

TEST_CASE("Scheduler binds pods and accounts for what it bound") {
  Env env({MakeNode({.name = "n1", .cpu = "2", .memory = "4Gi"}),
           MakeNode({.name = "n2", .cpu = "2", .memory = "4Gi"})});
  env.CreatePod({.name = "a", .cpu = "1500m"});
  env.CreatePod({.name = "b", .cpu = "1500m"});
  REQUIRE(WaitFor([&] { return !env.NodeOf("a").empty() && !env.NodeOf("b").empty(); }));
  CHECK(env.NodeOf("a") != env.NodeOf("b"));

  auto binds = env.fc.ActionsFor("create", "pods");
  REQUIRE(binds.size() >= 4);  // 2 pod creations + 2 bindings
  int bindings = 0;
  for (const auto& a : binds) {
    if (a.subresource != "binding") continue;
    ++bindings;
    CHECK(api::GetString(a.object, "kind") == "Binding");
    CHECK(api::GetString(*api::GetObject(a.object, "target"), "kind") == "Node");
  }
  CHECK(bindings == 2);
  REQUIRE(WaitFor([&] { return env.EventMessages("Scheduled").size() == 2; }));
  auto scheduled = env.EventMessages("Scheduled");
  CHECK(scheduled[0].starts_with("Successfully assigned default/"));

  SUBCASE("a pod that fits nowhere is marked Unschedulable and retried on pod delete") {
    env.CreatePod({.name = "c", .cpu = "1500m"});
    const std::string msg =
        "0/2 nodes are available: 2 Insufficient cpu. preemption: 0/2 nodes are available: 2 "
        "No preemption victims found for incoming pod.";
    REQUIRE(WaitFor([&] { return env.Condition("c") == "False|Unschedulable|" + msg; }));
    REQUIRE(WaitFor([&] { return env.EventMessages("FailedScheduling").size() == 1; }));
    CHECK(env.EventMessages("FailedScheduling")[0] == msg);
    REQUIRE(WaitFor([&] { return env.sched->NumUnschedulable() == 1; }));
    CHECK(env.NodeOf("c") == "");

    std::string freed = env.NodeOf("a");
    REQUIRE(env.fc.Delete(kPods, "default", "a").ok());
    REQUIRE(WaitFor([&] { return env.NodeOf("c") == freed; }));
  }
  SUBCASE("an impossible pod is retried when a node joins") {
    env.CreatePod({.name = "big", .cpu = "3", .extra_spec = R"({"nodeSelector":{"size":"xl"}})"});
    const std::string msg =
        "0/2 nodes are available: 2 node(s) didn't match Pod's node affinity/selector. "
        "preemption: 0/2 nodes are available: 2 Preemption is not helpful for scheduling.";
    REQUIRE(WaitFor([&] { return env.Condition("big") == "False|Unschedulable|" + msg; }));
    REQUIRE(
        env.fc
            .Create(kNodes, "", *MakeNode({.name = "n3", .cpu = "2", .labels = R"({"size":"xl"})"}))
            .ok());
    const std::string msg3 =
        "0/3 nodes are available: 1 Insufficient cpu, 2 node(s) didn't match Pod's node "
        "affinity/selector. preemption: 0/3 nodes are available: 1 No preemption victims found "
        "for incoming pod, 2 Preemption is not helpful for scheduling.";
    REQUIRE(WaitFor([&] { return env.Condition("big") == "False|Unschedulable|" + msg3; }));
    REQUIRE(
        env.fc
            .Create(kNodes, "", *MakeNode({.name = "n4", .cpu = "4", .labels = R"({"size":"xl"})"}))
            .ok());
    REQUIRE(WaitFor([&] { return env.NodeOf("big") == "n4"; }));
  }
}

TEST_CASE("Scheduler leaves other schedulers' and bound pods alone") {
  Env env({MakeNode({.name = "n1"})});
  env.CreatePod({.name = "other", .extra_spec = R"({"schedulerName":"my-scheduler"})"});
  env.CreatePod({.name = "pinned", .node_name = "elsewhere"});
  env.CreatePod({.name = "mine"});
  REQUIRE(WaitFor([&] { return env.NodeOf("mine") == "n1"; }));
  CHECK(env.NodeOf("other") == "");
  CHECK(env.NodeOf("pinned") == "elsewhere");
  int bindings = 0;
  for (const auto& a : env.fc.ActionsFor("create", "pods")) bindings += a.subresource == "binding";
  CHECK(bindings == 1);
}

TEST_CASE("Scheduler reports no nodes") {
  Env env({});
  env.CreatePod({.name = "lonely"});
  REQUIRE(WaitFor([&] {
    return env.Condition("lonely") == "False|Unschedulable|no nodes available to schedule pods";
  }));
  REQUIRE(env.fc.Create(kNodes, "", *MakeNode({.name = "n1"})).ok());
  REQUIRE(WaitFor([&] { return env.NodeOf("lonely") == "n1"; }));
}

TEST_CASE("Scheduler retries a failed binding after its backoff") {
  Env env({MakeNode({.name = "n1"})});
  std::atomic<int> failures{0};
  env.fc.AddReactor("create", "pods", [&](const client::FakeClient::Action& a) {
    std::optional<api::Status> st;
    if (a.subresource == "binding" && failures.fetch_add(1) == 0) {
      st = api::Status::Internal("etcd is sad");
    }
    return st;
  });
  env.CreatePod({.name = "p"});
  REQUIRE(WaitFor([&] { return env.NodeOf("p") == "n1"; }));
  CHECK(failures.load() == 2);
  REQUIRE(WaitFor([&] { return env.EventMessages("FailedScheduling").size() == 1; }));
  CHECK(env.EventMessages("FailedScheduling")[0] == "Binding rejected: etcd is sad");
}

TEST_CASE("Scheduler retries an unschedulable pod when the pod itself changes") {
  Env env({MakeNode(
      {.name = "n1", .taints = R"([{"key":"dedicated","value":"db","effect":"NoSchedule"}])"})});
  env.CreatePod({.name = "p"});
  REQUIRE(WaitFor([&] {
    return env.Condition("p") ==
           "False|Unschedulable|0/1 nodes are available: 1 node(s) had untolerated taint "
           "{dedicated: db}. preemption: 0/1 nodes are available: 1 Preemption is not helpful "
           "for scheduling.";
  }));
  REQUIRE(WaitFor([&] { return env.sched->NumUnschedulable() == 1; }));
  // Our own status write must not make the pod spin.
  size_t patches = env.fc.ActionsFor("patch", "pods").size();
  std::this_thread::sleep_for(std::chrono::milliseconds(50));
  CHECK(env.fc.ActionsFor("patch", "pods").size() == patches);

  auto patched =
      env.fc.Patch(kPods, "default", "p", client::PatchType::kMerge,
                   R"({"spec":{"tolerations":[{"key":"dedicated","operator":"Exists"}]}})");
  REQUIRE(patched.ok());
  REQUIRE(WaitFor([&] { return env.NodeOf("p") == "n1"; }));
}

}  // namespace
}  // namespace kc::scheduler
