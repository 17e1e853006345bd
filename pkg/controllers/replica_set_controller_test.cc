#include "pkg/controllers/replica_set_controller.h"

#include <doctest/doctest.h>

#include <algorithm>

#include "pkg/api/json_path.h"
#include "pkg/api/time_util.h"
#include "pkg/controllers/controller_test_util.h"
#include "pkg/controllers/deletion_fake_client.h"
#include "pkg/controllers/replica_set_test_util.h"

namespace kc::controllers {
namespace {

using testing::kPods;
using testing::kReplicaSets;
using testing::MakeObject;
using testing::WaitFor;

struct Fixture {
  testing::DeletionFakeClient client;
  client::SharedInformerFactory factory{client};
  ReplicaSetController rsc{client, factory};

  Fixture() {
    factory.Start();
    REQUIRE(factory.WaitForCacheSync(std::chrono::seconds(5)));
  }
  ~Fixture() {
    rsc.Stop();
    factory.Stop();
  }
  void CatchUp() {
    REQUIRE(testing::CacheCaughtUp(client.fake(), factory, kPods));
    REQUIRE(testing::CacheCaughtUp(client.fake(), factory, kReplicaSets));
  }
  void Sync(const std::string& key = "default/web") {
    CatchUp();
    api::Status st = rsc.Sync(key);
    REQUIRE_MESSAGE(st.ok(), st.ToString());
    CatchUp();
  }
  std::vector<client::Object> Pods() {
    std::vector<client::Object> out;
    api::Result<client::ObjectList> l = client.fake().List(kPods, "default", {});
    REQUIRE(l.ok());
    for (auto& p : l->items) {
      if (!IsDeleting(p)) out.push_back(p);
    }
    return out;
  }
  boost::json::object Status(const std::string& name = "web") {
    client::Object rs = Rs(name);
    const boost::json::object* st = api::GetObject(rs, "status");
    return st ? *st : boost::json::object();
  }
  client::Object Rs(const std::string& name = "web") {
    return *client.fake().Get(kReplicaSets, "default", name);
  }
};

TEST_CASE("replicaset: scales up in slow-start batches, then down, and writes status") {
  Fixture f;
  client::Object rs = *f.client.fake().Seed(kReplicaSets, testing::ReplicaSetObject("web", 3));
  f.Sync();
  std::vector<client::Object> pods = f.Pods();
  REQUIRE(pods.size() == 3);
  for (const client::Object& p : pods) {
    CHECK(client::ObjectMetaString(p, "name").rfind("web-", 0) == 0);
    CHECK(api::GetString(*api::GetObject(*api::GetObject(p, "metadata"), "labels"), "app") ==
          "web");
    std::optional<OwnerRef> ref = ControllerOf(p);
    REQUIRE(ref);
    CHECK(ref->uid == client::ObjectMetaString(rs, "uid"));
    CHECK(ref->kind == "ReplicaSet");
    CHECK(ref->block_owner_deletion);
  }
  CHECK(f.client.fake().ActionsFor("create", "pods").size() == 3);
  f.Sync();  // the status counts the pods the cache has seen
  CHECK(api::GetInt64(f.Status(), "replicas") == 3);
  CHECK(api::GetInt64(f.Status(), "readyReplicas") == 0);

  // Two become ready.
  testing::SetPodReady(f.client.fake(), client::ObjectMetaString(pods[0], "name"), true);
  testing::SetPodReady(f.client.fake(), client::ObjectMetaString(pods[1], "name"), true);
  f.Sync();
  boost::json::object st = f.Status();
  CHECK(api::GetInt64(st, "readyReplicas") == 2);
  CHECK(api::GetInt64(st, "availableReplicas") == 2);
  CHECK(api::GetInt64(st, "fullyLabeledReplicas") == 3);
  CHECK(api::GetInt64(st, "observedGeneration") == 1);

  // Scale down to 1: the not-ready pod goes first.
  testing::SetReplicas(f.client.fake(), kReplicaSets, "web", 1);
  f.Sync();
  pods = f.Pods();
  REQUIRE(pods.size() == 1);
  CHECK(IsPodReady(pods[0]));
}

TEST_CASE("replicaset: a second sync before the cache caught up does not create twice") {
  Fixture f;
  f.client.fake().Seed(kReplicaSets, testing::ReplicaSetObject("web", 2));
  f.CatchUp();
  f.client.fake().SetSilent(true);  // the informer never hears of the creations
  REQUIRE(f.rsc.Sync("default/web").ok());
  REQUIRE(f.rsc.Sync("default/web").ok());
  f.client.fake().SetSilent(false);
  CHECK(f.client.fake().ActionsFor("create", "pods").size() == 2);
}

TEST_CASE("replicaset: slow start stops after a failed batch and sets ReplicaFailure") {
  Fixture f;
  f.client.fake().Seed(kReplicaSets, testing::ReplicaSetObject("web", 5));
  int creates = 0;
  f.client.fake().AddReactor("create", "pods", [&](const auto&) -> std::optional<api::Status> {
    if (++creates == 2) return api::Status::Forbidden("exceeded quota");
    return std::nullopt;
  });
  f.CatchUp();
  CHECK_FALSE(f.rsc.Sync("default/web").ok());
  // Batch 1 succeeded, batch 2 (two creates) had a failure: no batch of 4.
  CHECK(creates == 3);
  f.CatchUp();
  client::Object cur = f.Rs();
  const boost::json::value* c = api::Lookup(cur, "status.conditions");
  REQUIRE(c);
  const boost::json::object* rf = FindCondition(c->get_array(), "ReplicaFailure");
  REQUIRE(rf);
  CHECK(api::GetString(*rf, "reason") == "FailedCreate");
  CHECK(api::GetString(*rf, "message").find("exceeded quota") != std::string::npos);
}

TEST_CASE("replicaset: adopts matching orphans and releases pods that stop matching") {
  Fixture f;
  client::Object rs = *f.client.fake().Seed(kReplicaSets, testing::ReplicaSetObject("web", 2));
  client::Object orphan = MakeObject("v1", "Pod", "default", "orphan");
  orphan["metadata"].as_object()["labels"] = boost::json::object{{"app", "web"}};
  f.client.fake().Seed(kPods, orphan);
  client::Object other = MakeObject("v1", "Pod", "default", "other");
  other["metadata"].as_object()["labels"] = boost::json::object{{"app", "db"}};
  f.client.fake().Seed(kPods, other);
  f.Sync();
  std::optional<OwnerRef> ref = ControllerOf(*f.client.fake().Get(kPods, "default", "orphan"));
  REQUIRE(ref);
  CHECK(ref->uid == client::ObjectMetaString(rs, "uid"));
  CHECK_FALSE(ControllerOf(*f.client.fake().Get(kPods, "default", "other")));
  CHECK(f.Pods().size() == 3);  // orphan + one new + other

  // Relabel the adopted pod: it is released and a replacement is created.
  f.client.fake().Patch(kPods, "default", "orphan", client::PatchType::kMerge,
                        R"({"metadata":{"labels":{"app":"moved"}}})");
  f.Sync();
  CHECK_FALSE(ControllerOf(*f.client.fake().Get(kPods, "default", "orphan")));
  f.Sync();
  int owned = 0;
  for (const client::Object& p : f.Pods()) owned += ControllerOf(p) ? 1 : 0;
  CHECK(owned == 2);
}

TEST_CASE("replicaset: deletion order prefers unscheduled, pending, not ready, newer") {
  Fixture f;
  f.client.fake().Seed(kReplicaSets, testing::ReplicaSetObject("web", 0));
  client::Object rs = f.Rs();
  auto pod = [&](const std::string& name, const std::string& node, const std::string& phase,
                 bool ready, int age_s) {
    client::Object p = MakeObject("v1", "Pod", "default", name, {ControllerRefFor(rs)});
    p["metadata"].as_object()["labels"] = boost::json::object{{"app", "web"}};
    p["spec"] = boost::json::object{{"nodeName", node}};
    auto t = api::FormatTime(std::chrono::system_clock::now() - std::chrono::seconds(age_s));
    p["status"] = boost::json::object{
        {"phase", phase},
        {"conditions",
         boost::json::array{boost::json::object{
             {"type", "Ready"}, {"status", ready ? "True" : "False"}, {"lastTransitionTime", t}}}}};
    f.client.fake().Seed(kPods, p);
  };
  pod("running-old", "n1", "Running", true, 1000);
  pod("unscheduled", "", "Pending", false, 10);
  pod("running-new", "n2", "Running", true, 100);
  pod("pending", "n1", "Pending", false, 10);
  pod("notready", "n2", "Running", false, 10);
  std::vector<std::string> expected = {"unscheduled", "pending", "notready", "running-new",
                                       "running-old"};
  for (int keep = 4; keep >= 0; --keep) {
    testing::SetReplicas(f.client.fake(), kReplicaSets, "web", keep);
    f.Sync();
    std::vector<std::string> names;
    for (const client::Object& p : f.Pods()) names.push_back(client::ObjectMetaString(p, "name"));
    CHECK(names.size() == static_cast<size_t>(keep));
    std::string gone = expected[static_cast<size_t>(4 - keep)];
    CHECK_MESSAGE(std::find(names.begin(), names.end(), gone) == names.end(), gone);
  }
}

TEST_CASE("replicaset: minReadySeconds delays availableReplicas") {
  Fixture f;
  client::Object rs = testing::ReplicaSetObject("web", 2);
  rs["spec"].as_object()["minReadySeconds"] = 30;
  f.client.fake().Seed(kReplicaSets, rs);
  f.Sync();
  std::vector<client::Object> pods = f.Pods();
  REQUIRE(pods.size() == 2);
  testing::SetPodReady(f.client.fake(), client::ObjectMetaString(pods[0], "name"), true,
                       std::chrono::seconds(60));
  testing::SetPodReady(f.client.fake(), client::ObjectMetaString(pods[1], "name"), true);
  f.Sync();
  CHECK(f.Status()["readyReplicas"].as_int64() == 2);
  CHECK(f.Status()["availableReplicas"].as_int64() == 1);
}

TEST_CASE("replicationcontroller: the same controller with a map selector") {
  testing::DeletionFakeClient client;
  client::SharedInformerFactory factory{client};
  ReplicaSetController rcc{client, factory, ReplicaSetKind::ReplicationControllers()};
  factory.Start();
  const client::ResourceRef rcs{"", "v1", "replicationcontrollers"};
  client::Object rc = MakeObject("v1", "ReplicationController", "default", "web");
  rc["spec"] = boost::json::object{
      {"replicas", 2},
      {"selector", boost::json::object{{"app", "web"}}},
      {"template",
       boost::json::object{{"metadata", boost::json::object{{"labels", {{"app", "web"}}}}},
                           {"spec", boost::json::object{{"containers", boost::json::array{}}}}}}};
  client.fake().Seed(rcs, rc);
  REQUIRE(testing::CacheCaughtUp(client.fake(), factory, rcs));
  REQUIRE(rcc.Sync("default/web").ok());
  REQUIRE(testing::CacheCaughtUp(client.fake(), factory, kPods));
  api::Result<client::ObjectList> l = client.fake().List(kPods, "default", {});
  REQUIRE(l.ok());
  std::vector<client::Object> pods = l->items;
  REQUIRE(pods.size() == 2);
  CHECK(ControllerOf(pods[0])->kind == "ReplicationController");
  CHECK(ControllerOf(pods[0])->api_version == "v1");
  REQUIRE(rcc.Sync("default/web").ok());
  client::Object got = *client.fake().Get(rcs, "default", "web");
  CHECK(api::GetInt64(*api::GetObject(got, "status"), "replicas") == 2);
  rcc.Stop();
  factory.Stop();
}

}  // namespace
}  // namespace kc::controllers
