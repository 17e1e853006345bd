#include "pkg/controllers/controller_manager.h"

#include <doctest/doctest.h>

#include <algorithm>

#include "pkg/controllers/controller_test_util.h"
#include "pkg/controllers/deletion_fake_client.h"

namespace kc::controllers {
namespace {

using testing::DeletionFakeClient;
using testing::kConfigMaps;
using testing::kNamespacesRes;
using testing::kPods;
using testing::kReplicaSets;
using testing::MakeObject;
using testing::OwnerRefJson;
using testing::WaitFor;

client::Object Namespace(const std::string& name) {
  client::Object ns = MakeObject("v1", "Namespace", "", name);
  ns["spec"] = boost::json::object{{"finalizers", boost::json::array{"kubernetes"}}};
  return ns;
}

bool Exists(DeletionFakeClient& c, const client::ResourceRef& res, const std::string& ns,
            const std::string& name) {
  return c.fake().Get(res, ns, name).ok();
}

// Every known controller except `keep` (so adding controllers does not change these tests).
std::vector<std::string> AllExcept(const std::vector<std::string>& keep) {
  std::vector<std::string> out;
  for (const std::string& n : ControllerManager::KnownControllers()) {
    if (std::find(keep.begin(), keep.end(), n) == keep.end()) out.push_back(n);
  }
  return out;
}

TEST_CASE("controller manager: runs both controllers over shared informers") {
  DeletionFakeClient client;
  ControllerManager::Options opts;
  // The workload controllers would act on the bare ReplicaSet below; this test is about GC.
  opts.disabled = AllExcept({"garbagecollector", "namespace"});
  ControllerManager cm(client, opts);
  REQUIRE(cm.Start().ok());
  CHECK(cm.Running() == std::vector<std::string>{"garbagecollector", "namespace"});

  // Garbage collection: a foreground delete completes after its dependent went away. (Orphan
  // deletion is covered in garbage_collector_test.cc, which can wait for the graph to see the
  // dependent first: like upstream's, the collector orphans only dependents it has observed.)
  api::Result<client::Object> rs =
      client.Create(kReplicaSets, "", MakeObject("apps/v1", "ReplicaSet", "default", "rs"));
  REQUIRE(rs.ok());
  REQUIRE(
      client.Create(kPods, "", MakeObject("v1", "Pod", "default", "p", {OwnerRefJson(*rs, true)}))
          .ok());
  client::DeleteOptions foreground;
  foreground.propagation_policy = "Foreground";
  REQUIRE(client.Delete(kReplicaSets, "default", "rs", foreground).ok());
  CHECK(WaitFor([&] { return !Exists(client, kReplicaSets, "default", "rs"); }));
  CHECK(WaitFor([&] { return !Exists(client, kPods, "default", "p"); }));

  // Namespace deletion completes.
  REQUIRE(client.Create(kNamespacesRes, "", Namespace("gone")).ok());
  REQUIRE(client.Create(kConfigMaps, "", MakeObject("v1", "ConfigMap", "gone", "c")).ok());
  REQUIRE(client.Delete(kNamespacesRes, "", "gone").ok());
  CHECK(WaitFor([&] { return !Exists(client, kNamespacesRes, "", "gone"); }));

  cm.Stop();
  CHECK(cm.Running().empty());
  cm.Stop();  // idempotent
}

TEST_CASE("controller manager: disabled controllers do not run") {
  DeletionFakeClient client;
  ControllerManager::Options opts;
  opts.disabled = AllExcept({"garbagecollector"});
  opts.workers = 1;
  ControllerManager cm(client, opts);
  REQUIRE(cm.Start().ok());
  CHECK(cm.Running() == std::vector<std::string>{"garbagecollector"});

  REQUIRE(client.Create(kNamespacesRes, "", Namespace("stays")).ok());
  REQUIRE(client.Delete(kNamespacesRes, "", "stays").ok());
  // The garbage collector works meanwhile (a dependent of a missing owner goes away) ...
  boost::json::object ghost;
  ghost["apiVersion"] = "v1";
  ghost["kind"] = "ConfigMap";
  ghost["name"] = "nope";
  ghost["uid"] = "00000000-0000-0000-0000-00000000000a";
  REQUIRE(client.Create(kPods, "", MakeObject("v1", "Pod", "default", "dep", {ghost})).ok());
  CHECK(WaitFor([&] { return !Exists(client, kPods, "default", "dep"); }));
  // ... but nobody finalizes the namespace.
  CHECK(Exists(client, kNamespacesRes, "", "stays"));
  CHECK(client.finalize_calls() == 0);
}

TEST_CASE("controller manager: unknown controller names are rejected") {
  DeletionFakeClient client;
  ControllerManager::Options opts;
  opts.disabled = {"replicaset-typo"};
  ControllerManager cm(client, opts);
  api::Status st = cm.Start();
  CHECK(st.reason() == api::Reason::kInvalid);
  CHECK(st.message() == "\"replicaset-typo\" is not in the list of known controllers");
  CHECK(cm.Running().empty());
}

TEST_CASE("controller manager: Stop without Start is fine") {
  DeletionFakeClient client;
  ControllerManager cm(client, ControllerManager::Options{});
  cm.Stop();
  CHECK(cm.Start().ok());  // a stopped manager does not start again
  CHECK(cm.Running().empty());
}

}  // namespace
}  // namespace kc::controllers
