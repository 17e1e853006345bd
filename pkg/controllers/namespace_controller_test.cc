#include "pkg/controllers/namespace_controller.h"

#include <doctest/doctest.h>

#include "pkg/api/json_path.h"
#include "pkg/controllers/controller_test_util.h"
#include "pkg/controllers/deletion_fake_client.h"

namespace kc::controllers {
namespace {

using testing::DeletionFakeClient;
using testing::kConfigMaps;
using testing::kCoreEvents;
using testing::kNamespacesRes;
using testing::kPods;
using testing::kReplicaSets;
using testing::kRoles;
using testing::MakeObject;
using testing::WaitFor;

client::Object Namespace(const std::string& name) {
  client::Object ns = MakeObject("v1", "Namespace", "", name);
  ns["spec"] = boost::json::object{{"finalizers", boost::json::array{"kubernetes"}}};
  return ns;
}

struct Fixture {
  DeletionFakeClient client;
  client::SharedInformerFactory factory{client};
  NamespaceController nc{client, factory, Options()};

  static NamespaceControllerOptions Options() {
    NamespaceControllerOptions o;
    o.base_delay = std::chrono::milliseconds(20);
    o.max_delay = std::chrono::milliseconds(200);
    return o;
  }
  Fixture() {
    factory.Start();
    nc.Start(2);
    REQUIRE(WaitFor([&] { return nc.Running(); }));
  }
  ~Fixture() {
    nc.Stop();
    factory.Stop();
  }
  void MustCreate(const client::ResourceRef& res, const client::Object& obj) {
    api::Result<client::Object> r = client.Create(res, "", obj);
    REQUIRE_MESSAGE(r.ok(), r.status().ToString());
  }
  bool NamespaceGone(const std::string& name) {
    return !client.fake().Get(kNamespacesRes, "", name).ok();
  }
  size_t Count(const client::ResourceRef& res, const std::string& ns) {
    api::Result<client::ObjectList> l = client.fake().List(res, ns, {});
    return l.ok() ? l->items.size() : 0;
  }
  // The condition of this type on the namespace ({} when absent).
  boost::json::object Condition(const std::string& ns, const std::string& type) {
    api::Result<client::Object> r = client.fake().Get(kNamespacesRes, "", ns);
    if (!r.ok()) return {};
    const boost::json::value* c = api::Lookup(*r, "status.conditions");
    if (!c || !c->is_array()) return {};
    for (const boost::json::value& v : c->get_array()) {
      if (v.is_object() && api::GetString(v.get_object(), "type") == type) return v.get_object();
    }
    return {};
  }
};

TEST_CASE("namespace controller: deleting a namespace deletes its content and finalizes it") {
  Fixture f;
  f.MustCreate(kNamespacesRes, Namespace("team"));
  f.MustCreate(kNamespacesRes, Namespace("keep"));
  f.MustCreate(kPods, MakeObject("v1", "Pod", "team", "p1"));
  f.MustCreate(kPods, MakeObject("v1", "Pod", "team", "p2"));
  f.MustCreate(kConfigMaps, MakeObject("v1", "ConfigMap", "team", "cfg"));
  f.MustCreate(kReplicaSets, MakeObject("apps/v1", "ReplicaSet", "team", "rs"));
  f.MustCreate(kRoles, MakeObject("rbac.authorization.k8s.io/v1", "Role", "team", "reader"));
  f.MustCreate(kCoreEvents, MakeObject("v1", "Event", "team", "ev"));
  f.MustCreate(kConfigMaps, MakeObject("v1", "ConfigMap", "keep", "cfg"));

  api::Result<client::Object> del = f.client.Delete(kNamespacesRes, "", "team");
  REQUIRE(del.ok());
  CHECK(WaitFor([&] { return f.NamespaceGone("team"); }));
  for (const client::ResourceRef& res : {kPods, kConfigMaps, kReplicaSets, kRoles, kCoreEvents}) {
    CAPTURE(res.resource);
    CHECK(f.Count(res, "team") == 0);
  }
  CHECK(f.Count(kConfigMaps, "keep") == 1);
  CHECK_FALSE(f.NamespaceGone("keep"));

  // Content was deleted with Background propagation; the namespace went through /finalize
  // (the fake drops it only once spec.finalizers is empty).
  for (const auto& a : f.client.fake().ActionsFor("delete", "pods")) {
    CHECK(a.delete_options.propagation_policy == "Background");
  }
  CHECK(f.client.finalize_calls() >= 1);
}

TEST_CASE("namespace controller: remaining content is reported and waited for") {
  Fixture f;
  f.MustCreate(kNamespacesRes, Namespace("slow"));
  f.MustCreate(kPods, MakeObject("v1", "Pod", "slow", "stuck", {}, {"example.com/hold"}));
  f.MustCreate(kConfigMaps, MakeObject("v1", "ConfigMap", "slow", "cfg"));
  REQUIRE(f.client.Delete(kNamespacesRes, "", "slow").ok());

  CHECK(WaitFor([&] {
    return api::GetString(f.Condition("slow", "NamespaceContentRemaining"), "status") == "True";
  }));
  boost::json::object remaining = f.Condition("slow", "NamespaceContentRemaining");
  CHECK(api::GetString(remaining, "reason") == "SomeResourcesRemain");
  CHECK(api::GetString(remaining, "message") ==
        "Some resources are remaining: pods. has 1 resource instances");
  boost::json::object fin = f.Condition("slow", "NamespaceFinalizersRemaining");
  CHECK(api::GetString(fin, "status") == "True");
  CHECK(api::GetString(fin, "message") ==
        "Some content in the namespace has finalizers remaining: example.com/hold in 1 resource "
        "instances");
  CHECK(api::GetString(f.Condition("slow", "NamespaceDeletionContentFailure"), "status") ==
        "False");
  CHECK(f.Count(kConfigMaps, "slow") == 0);
  CHECK_FALSE(f.NamespaceGone("slow"));
  api::Result<client::Object> ns = f.client.fake().Get(kNamespacesRes, "", "slow");
  REQUIRE(ns.ok());
  CHECK(api::GetString(*api::GetObject(*ns, "status"), "phase") == "Terminating");

  REQUIRE(f.client
              .Patch(kPods, "slow", "stuck", client::PatchType::kMerge,
                     R"({"metadata":{"finalizers":null}})")
              .ok());
  CHECK(WaitFor([&] { return f.NamespaceGone("slow"); }));
}

TEST_CASE("namespace controller: list failures are reported as a content failure") {
  Fixture f;
  f.client.fake().AddReactor("list", "roles",
                             [](const client::FakeClient::Action& a) -> std::optional<api::Status> {
                               if (a.ns == "broken") return api::Status::Internal("boom");
                               return std::nullopt;
                             });
  f.MustCreate(kNamespacesRes, Namespace("broken"));
  REQUIRE(f.client.Delete(kNamespacesRes, "", "broken").ok());
  CHECK(WaitFor([&] {
    return api::GetString(f.Condition("broken", "NamespaceDeletionContentFailure"), "status") ==
           "True";
  }));
  boost::json::object c = f.Condition("broken", "NamespaceDeletionContentFailure");
  CHECK(api::GetString(c, "reason") == "ContentDeletionFailed");
  CHECK(api::GetString(c, "message") ==
        "Failed to delete all resource types, 1 remaining: failed to list "
        "roles.rbac.authorization.k8s.io: boom");
  CHECK_FALSE(f.NamespaceGone("broken"));
}

TEST_CASE("namespace controller: a namespace that is not being deleted is left alone") {
  DeletionFakeClient client;
  client::SharedInformerFactory factory{client};
  NamespaceController nc{client, factory};
  REQUIRE(client.Create(kNamespacesRes, "", Namespace("live")).ok());
  REQUIRE(client.Create(kPods, "", MakeObject("v1", "Pod", "live", "p")).ok());
  client.fake().ClearActions();
  CHECK(nc.Sync("live").ok());
  CHECK(nc.Sync("missing").ok());
  CHECK(client.fake().ActionsFor("delete").empty());
  CHECK(client.fake().ActionsFor("list").empty());
}

}  // namespace
}  // namespace kc::controllers
