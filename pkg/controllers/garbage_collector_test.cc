#include "pkg/controllers/garbage_collector.h"

#include <doctest/doctest.h>

#include <atomic>

#include "pkg/controllers/controller_test_util.h"
#include "pkg/controllers/deletion_fake_client.h"

namespace kc::controllers {
namespace {

using testing::DeletionFakeClient;
using testing::kConfigMaps;
using testing::kDeployments;
using testing::kPods;
using testing::kReplicaSets;
using testing::MakeObject;
using testing::OwnerRefJson;
using testing::WaitFor;

// A collector over a DeletionFakeClient with its own informers, running two workers.
struct Fixture {
  DeletionFakeClient client;
  client::SharedInformerFactory factory{client};
  GarbageCollector gc{client, factory};

  Fixture() {
    factory.Start();
    gc.Start(2);
    REQUIRE(WaitFor([&] { return gc.Running(); }));
  }
  ~Fixture() {
    gc.Stop();
    factory.Stop();
  }

  client::Object MustCreate(const client::ResourceRef& res, const client::Object& obj) {
    api::Result<client::Object> r = client.Create(res, "", obj);
    REQUIRE_MESSAGE(r.ok(), r.status().ToString());
    return *r;
  }
  bool Exists(const client::ResourceRef& res, const std::string& ns, const std::string& name) {
    return client.fake().Get(res, ns, name).ok();
  }
  std::vector<std::string> OwnerUids(const client::ResourceRef& res, const std::string& ns,
                                     const std::string& name) {
    std::vector<std::string> out;
    api::Result<client::Object> r = client.fake().Get(res, ns, name);
    if (!r.ok()) return out;
    for (const OwnerRef& ref : OwnerRefs(*r)) out.push_back(ref.uid);
    return out;
  }
  std::string Uid(const client::Object& obj) { return client::ObjectMetaString(obj, "uid"); }
  // Dependents the graph knows for `owner` (-1 when the owner is not in the graph).
  int Dependents(const client::Object& owner) {
    std::optional<NodeSnapshot> n = gc.graph().Get(Uid(owner));
    return n ? static_cast<int>(n->dependents.size()) : -1;
  }
};

client::Object Rs(const std::string& name, std::vector<boost::json::object> owners = {}) {
  return MakeObject("apps/v1", "ReplicaSet", "default", name, std::move(owners));
}
client::Object Pod(const std::string& name, std::vector<boost::json::object> owners = {},
                   std::vector<std::string> finalizers = {}) {
  return MakeObject("v1", "Pod", "default", name, std::move(owners), std::move(finalizers));
}

TEST_CASE("garbage collector: watches every catalog resource once, without events") {
  DeletionFakeClient client;
  client::SharedInformerFactory factory{client};
  GarbageCollector gc{client, factory};
  int hpa = 0;
  for (const client::ResourceRef& r : gc.resources()) {
    CHECK(r.resource != "events");
    if (r.resource == "horizontalpodautoscalers") hpa++;
  }
  CHECK(hpa == 1);
  CHECK(gc.resources().size() > 20);
}

TEST_CASE("garbage collector: background collection of dependents whose owners are gone") {
  Fixture f;
  client::Object rs = f.MustCreate(kReplicaSets, Rs("rs1"));
  client::Object cm = f.MustCreate(kConfigMaps, MakeObject("v1", "ConfigMap", "default", "cm1"));
  client::Object other = f.MustCreate(kReplicaSets, Rs("rs2"));

  // An owner that never existed, and an owner name now held by an object with another uid.
  boost::json::object ghost = OwnerRefJson(rs, true);
  ghost["name"] = "gone";
  ghost["uid"] = "00000000-0000-0000-0000-000000000001";
  boost::json::object stale = OwnerRefJson(other, true);
  stale["uid"] = "00000000-0000-0000-0000-000000000002";

  f.MustCreate(kPods, Pod("owned", {OwnerRefJson(rs, true)}));
  f.MustCreate(kPods, Pod("two-owners", {OwnerRefJson(rs, true), OwnerRefJson(cm, false)}));
  f.MustCreate(kPods, Pod("cm-only", {OwnerRefJson(cm, false)}));
  f.MustCreate(kPods, Pod("ghost", {ghost}));
  f.MustCreate(kPods, Pod("stale", {stale}));

  CHECK(WaitFor([&] { return !f.Exists(kPods, "default", "ghost"); }));
  CHECK(WaitFor([&] { return !f.Exists(kPods, "default", "stale"); }));

  // The owner goes away without cascading (as a plain delete in the fake does).
  REQUIRE(f.client.fake().Delete(kReplicaSets, "default", "rs1").ok());
  CHECK(WaitFor([&] { return !f.Exists(kPods, "default", "owned"); }));
  CHECK(WaitFor([&] {
    return f.OwnerUids(kPods, "default", "two-owners") == std::vector<std::string>{f.Uid(cm)};
  }));
  CHECK(f.Exists(kPods, "default", "two-owners"));
  CHECK(f.Exists(kPods, "default", "cm-only"));
  CHECK(f.Exists(kReplicaSets, "default", "rs2"));

  // Dependents were deleted with a uid precondition and Background propagation.
  bool saw_background = false;
  for (const auto& a : f.client.fake().ActionsFor("delete", "pods")) {
    if (a.name == "owned") {
      saw_background = a.delete_options.propagation_policy == "Background" &&
                       !a.delete_options.precondition_uid.empty();
    }
  }
  CHECK(saw_background);
}

TEST_CASE("garbage collector: orphan deletion keeps dependents and removes the finalizer") {
  Fixture f;
  client::Object rs = f.MustCreate(kReplicaSets, Rs("rs1"));
  client::Object cm = f.MustCreate(kConfigMaps, MakeObject("v1", "ConfigMap", "default", "cm1"));
  f.MustCreate(kPods, Pod("a", {OwnerRefJson(rs, true)}));
  f.MustCreate(kPods, Pod("b", {OwnerRefJson(rs, true), OwnerRefJson(cm, false)}));
  REQUIRE(WaitFor([&] { return f.Dependents(rs) == 2; }));

  client::DeleteOptions opts;
  opts.propagation_policy = "Orphan";
  api::Result<client::Object> del = f.client.Delete(kReplicaSets, "default", "rs1", opts);
  REQUIRE(del.ok());
  CHECK(HasFinalizer(Finalizers(*del), kOrphanFinalizer));

  CHECK(WaitFor([&] { return !f.Exists(kReplicaSets, "default", "rs1"); }));
  CHECK(f.Exists(kPods, "default", "a"));
  CHECK(f.Exists(kPods, "default", "b"));
  CHECK(f.OwnerUids(kPods, "default", "a").empty());
  CHECK(f.OwnerUids(kPods, "default", "b") == std::vector<std::string>{f.Uid(cm)});
  // The orphaned pods are not collected afterwards either.
  CHECK(
      f.gc.Sync(client::ObjectMetaString(*f.client.fake().Get(kPods, "default", "a"), "uid")).ok());
  CHECK(f.Exists(kPods, "default", "a"));
}

TEST_CASE("garbage collector: foreground deletion removes blocking dependents first") {
  Fixture f;
  client::Object deploy =
      f.MustCreate(kDeployments, MakeObject("apps/v1", "Deployment", "default", "web"));
  client::Object rs = f.MustCreate(kReplicaSets, Rs("web-1", {OwnerRefJson(deploy, true)}));
  f.MustCreate(kPods, Pod("p1", {OwnerRefJson(rs, true)}));
  f.MustCreate(kPods, Pod("p2", {OwnerRefJson(rs, true)}));
  // A pod whose own deletion is held by another finalizer keeps blocking its owners.
  f.MustCreate(kPods, Pod("held", {OwnerRefJson(rs, true)}, {"example.com/hold"}));
  f.MustCreate(kConfigMaps,
               MakeObject("v1", "ConfigMap", "default", "web-cfg", {OwnerRefJson(deploy, false)}));
  REQUIRE(WaitFor([&] { return f.Dependents(rs) == 3 && f.Dependents(deploy) == 2; }));

  // When the deployment's finalizer goes, the replica set must already be gone.
  std::atomic<int> finalizer_removals{0};
  std::atomic<bool> rs_existed_at_removal{false};
  f.client.fake().AddReactor(
      "patch", "deployments",
      [&](const client::FakeClient::Action& a) -> std::optional<api::Status> {
        if (a.patch.find("finalizers") != std::string::npos) {
          finalizer_removals++;
          if (f.Exists(kReplicaSets, "default", "web-1")) {
            rs_existed_at_removal = true;
          }
        }
        return std::nullopt;
      });

  client::DeleteOptions opts;
  opts.propagation_policy = "Foreground";
  REQUIRE(f.client.Delete(kDeployments, "default", "web", opts).ok());

  CHECK(WaitFor([&] {
    return !f.Exists(kPods, "default", "p1") && !f.Exists(kPods, "default", "p2") &&
           !f.Exists(kConfigMaps, "default", "web-cfg");
  }));
  // The held pod is terminating; it blocks the replica set, which blocks the deployment.
  CHECK(WaitFor([&] {
    api::Result<client::Object> held = f.client.fake().Get(kPods, "default", "held");
    return held.ok() && IsDeleting(*held);
  }));
  api::Result<client::Object> rs_now = f.client.fake().Get(kReplicaSets, "default", "web-1");
  REQUIRE(rs_now.ok());
  CHECK(IsDeleting(*rs_now));
  CHECK(HasFinalizer(Finalizers(*rs_now), kForegroundFinalizer));
  api::Result<client::Object> deploy_now = f.client.fake().Get(kDeployments, "default", "web");
  REQUIRE(deploy_now.ok());
  CHECK(HasFinalizer(Finalizers(*deploy_now), kForegroundFinalizer));
  CHECK(finalizer_removals == 0);

  REQUIRE(f.client
              .Patch(kPods, "default", "held", client::PatchType::kMerge,
                     R"({"metadata":{"finalizers":null}})")
              .ok());
  CHECK(WaitFor([&] { return !f.Exists(kDeployments, "default", "web"); }));
  CHECK_FALSE(f.Exists(kReplicaSets, "default", "web-1"));
  CHECK(finalizer_removals >= 1);
  CHECK_FALSE(rs_existed_at_removal);

  // The replica set (which had dependents) was deleted in the foreground, the leaf pods not.
  for (const auto& a : f.client.fake().ActionsFor("delete", "replicasets")) {
    CHECK(a.delete_options.propagation_policy == "Foreground");
  }
  for (const auto& a : f.client.fake().ActionsFor("delete", "pods")) {
    CHECK(a.delete_options.propagation_policy == "Background");
  }
}

TEST_CASE("garbage collector: a dependent with a solid owner only loses the waiting owner") {
  Fixture f;
  client::Object deploy =
      f.MustCreate(kDeployments, MakeObject("apps/v1", "Deployment", "default", "web"));
  client::Object cm = f.MustCreate(kConfigMaps, MakeObject("v1", "ConfigMap", "default", "keep"));
  f.MustCreate(kPods, Pod("shared", {OwnerRefJson(deploy, true), OwnerRefJson(cm, false)}));
  REQUIRE(WaitFor([&] { return f.Dependents(deploy) == 1; }));

  client::DeleteOptions opts;
  opts.propagation_policy = "Foreground";
  REQUIRE(f.client.Delete(kDeployments, "default", "web", opts).ok());
  CHECK(WaitFor([&] { return !f.Exists(kDeployments, "default", "web"); }));
  CHECK(f.Exists(kPods, "default", "shared"));
  CHECK(f.OwnerUids(kPods, "default", "shared") == std::vector<std::string>{f.Uid(cm)});
}

TEST_CASE("garbage collector: failed writes are retried") {
  Fixture f;
  std::atomic<int> failures{2};
  f.client.fake().AddReactor("delete", "pods",
                             [&](const client::FakeClient::Action&) -> std::optional<api::Status> {
                               if (failures.fetch_sub(1) > 0) {
                                 return api::Status::Unavailable("try again");
                               }
                               return std::nullopt;
                             });
  boost::json::object ghost;
  ghost["apiVersion"] = "apps/v1";
  ghost["kind"] = "ReplicaSet";
  ghost["name"] = "gone";
  ghost["uid"] = "00000000-0000-0000-0000-000000000003";
  f.MustCreate(kPods, Pod("orphan", {ghost}));
  CHECK(WaitFor([&] { return !f.Exists(kPods, "default", "orphan"); }));
  CHECK(f.client.fake().ActionsFor("delete", "pods").size() >= 3);
}

TEST_CASE("garbage collector: Sync of an unknown uid is a no-op") {
  DeletionFakeClient client;
  client::SharedInformerFactory factory{client};
  GarbageCollector gc{client, factory};
  CHECK(gc.Sync("no-such-uid").ok());
  CHECK(client.fake().Actions().empty());
}

}  // namespace
}  // namespace kc::controllers
