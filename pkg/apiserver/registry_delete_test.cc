// Registry delete: immediate removal, propagation finalizers, graceful pod deletion, namespaces,
// preconditions and dry run.
#include <doctest/doctest.h>

#include "pkg/api/time_util.h"
#include "pkg/apiserver/registry.h"
#include "pkg/apiserver/test_util.h"

namespace kc::apiserver {
namespace {

namespace json = boost::json;
using testing::ConfigMapJson;
using testing::Ctx;
using testing::DeploymentJson;
using testing::Has;
using testing::Int;
using testing::PodJson;
using testing::Res;
using testing::Str;
using testing::TestRegistry;

const api::ResourceInfo& kConfigMaps = Res("", "configmaps");
const api::ResourceInfo& kDeployments = Res("apps", "deployments");
const api::ResourceInfo& kPods = Res("", "pods");
const api::ResourceInfo& kNamespaces = Res("", "namespaces");

bool Exists(TestRegistry& t, const api::ResourceInfo& ri, const std::string& ns,
            const std::string& name) {
  auto r = t.reg().Get(ri, ns, name);
  REQUIRE((r.ok() || r.status().reason() == api::Reason::kNotFound));
  return r.ok();
}

std::vector<std::string> Finalizers(const json::object& obj) {
  std::vector<std::string> out;
  if (const json::value* f = testing::At(obj, "metadata.finalizers"); f && f->is_array()) {
    for (const auto& s : f->get_array()) out.emplace_back(s.get_string());
  }
  return out;
}

TEST_CASE("Registry::Delete removes a plain object immediately") {
  TestRegistry t;
  json::object cm = t.MustCreate(kConfigMaps, "default", ConfigMapJson("c"));
  RequestContext ctx = Ctx();
  auto r = t.reg().Delete(kConfigMaps, "default", "c", DeleteOptions{}, ctx);
  REQUIRE(r.ok());
  CHECK(r->removed);
  CHECK(Str(r->object, "metadata.uid") == Str(cm, "metadata.uid"));
  CHECK(Str(r->object, "metadata.resourceVersion") ==
        std::to_string(t.backend().CurrentRevision()));
  CHECK_FALSE(Exists(t, kConfigMaps, "default", "c"));

  auto again = t.reg().Delete(kConfigMaps, "default", "c", DeleteOptions{}, ctx);
  REQUIRE_FALSE(again.ok());
  CHECK(again.status().reason() == api::Reason::kNotFound);
  CHECK(again.status().message() == R"(configmaps "c" not found)");
}

TEST_CASE("Registry::Delete with a propagation policy keeps the object for the GC") {
  struct Case {
    const char* policy;
    const char* finalizer;
  };
  const Case cases[] = {{"Orphan", "orphan"}, {"Foreground", "foregroundDeletion"}};
  for (const Case& c : cases) {
    SUBCASE(c.policy) {
      TestRegistry t;
      t.MustCreate(kDeployments, "default", DeploymentJson("web"));
      RequestContext ctx = Ctx();
      DeleteOptions opts;
      opts.propagation_policy = c.policy;
      auto r = t.reg().Delete(kDeployments, "default", "web", opts, ctx);
      REQUIRE_MESSAGE(r.ok(), r.status().ToString());
      CHECK_FALSE(r->removed);
      CHECK(Finalizers(r->object) == std::vector<std::string>{c.finalizer});
      CHECK(Has(r->object, "metadata.deletionTimestamp"));
      CHECK(Int(r->object, "metadata.deletionGracePeriodSeconds") == 0);
      CHECK(Int(r->object, "metadata.generation") == 2);  // deletion bumps generation

      auto got = t.reg().Get(kDeployments, "default", "web");
      REQUIRE(got.ok());
      CHECK(Str(*got, "metadata.deletionTimestamp") ==
            Str(r->object, "metadata.deletionTimestamp"));

      // The GC removes the finalizer with an update: that completes the deletion.
      json::object cur = *got;
      cur["metadata"].as_object()["finalizers"] = json::array();
      auto u = t.reg().Update(kDeployments, "default", "web", cur, "", ctx);
      REQUIRE_MESSAGE(u.ok(), u.status().ToString());
      CHECK_FALSE(Exists(t, kDeployments, "default", "web"));
    }
  }
}

TEST_CASE("Registry::Delete: a user finalizer holds the object; removing it deletes") {
  TestRegistry t;
  t.MustCreate(kConfigMaps, "default",
               R"({"metadata":{"name":"held","finalizers":["example.com/hold","example.com/b"]}})");
  RequestContext ctx = Ctx();
  auto r = t.reg().Delete(kConfigMaps, "default", "held", DeleteOptions{}, ctx);
  REQUIRE(r.ok());
  CHECK_FALSE(r->removed);
  CHECK(Has(r->object, "metadata.deletionTimestamp"));

  // Removing one of two finalizers keeps it.
  json::object cur = *t.reg().Get(kConfigMaps, "default", "held");
  cur["metadata"].as_object()["finalizers"] = json::array{"example.com/b"};
  REQUIRE(t.reg().Update(kConfigMaps, "default", "held", cur, "", ctx).ok());
  CHECK(Exists(t, kConfigMaps, "default", "held"));

  // Removing the last one deletes it.
  cur = *t.reg().Get(kConfigMaps, "default", "held");
  cur["metadata"].as_object().erase("finalizers");
  REQUIRE(t.reg().Update(kConfigMaps, "default", "held", cur, "", ctx).ok());
  CHECK_FALSE(Exists(t, kConfigMaps, "default", "held"));
}

TEST_CASE("Registry::Delete: a terminating object cannot lose its deletionTimestamp") {
  TestRegistry t;
  t.MustCreate(kConfigMaps, "default", R"({"metadata":{"name":"h","finalizers":["x.io/f"]}})");
  RequestContext ctx = Ctx();
  REQUIRE(t.reg().Delete(kConfigMaps, "default", "h", DeleteOptions{}, ctx).ok());
  json::object cur = *t.reg().Get(kConfigMaps, "default", "h");
  std::string ts = Str(cur, "metadata.deletionTimestamp");
  cur["metadata"].as_object().erase("deletionTimestamp");
  cur["data"] = testing::Obj(R"({"k":"changed"})");
  auto u = t.reg().Update(kConfigMaps, "default", "h", cur, "", ctx);
  REQUIRE(u.ok());
  CHECK(Str(*u, "metadata.deletionTimestamp") == ts);
}

TEST_CASE("Registry::Delete: pods") {
  TestRegistry t;
  RequestContext ctx = Ctx();
  SUBCASE("a scheduled pod is deleted gracefully (30s)") {
    t.MustCreate(kPods, "default", PodJson("running", "node-1"));
    auto before = api::Clock::now();
    auto r = t.reg().Delete(kPods, "default", "running", DeleteOptions{}, ctx);
    REQUIRE_MESSAGE(r.ok(), r.status().ToString());
    CHECK_FALSE(r->removed);
    CHECK(Int(r->object, "metadata.deletionGracePeriodSeconds") == 30);
    auto ts = api::ParseTime(Str(r->object, "metadata.deletionTimestamp"));
    REQUIRE(ts.has_value());
    CHECK(*ts >= before + std::chrono::seconds(29));
    CHECK(*ts <= api::Clock::now() + std::chrono::seconds(31));
    CHECK(Exists(t, kPods, "default", "running"));

    SUBCASE("a second delete with a shorter grace shortens it") {
      DeleteOptions now;
      now.grace_period_seconds = 5;
      auto r2 = t.reg().Delete(kPods, "default", "running", now, ctx);
      REQUIRE(r2.ok());
      CHECK(Int(r2->object, "metadata.deletionGracePeriodSeconds") == 5);
      CHECK(Exists(t, kPods, "default", "running"));
    }
    SUBCASE("gracePeriodSeconds=0 removes it") {
      DeleteOptions force;
      force.grace_period_seconds = 0;
      auto r2 = t.reg().Delete(kPods, "default", "running", force, ctx);
      REQUIRE(r2.ok());
      CHECK(r2->removed);
      CHECK_FALSE(Exists(t, kPods, "default", "running"));
    }
  }
  SUBCASE("terminationGracePeriodSeconds is the default grace") {
    t.MustCreate(kPods, "default",
                 R"({"metadata":{"name":"p"},"spec":{"nodeName":"n","terminationGracePeriodSeconds":7,)"
                 R"("containers":[{"name":"c","image":"busybox"}]}})");
    auto r = t.reg().Delete(kPods, "default", "p", DeleteOptions{}, ctx);
    REQUIRE(r.ok());
    CHECK(Int(r->object, "metadata.deletionGracePeriodSeconds") == 7);
  }
  SUBCASE("an unscheduled pod is deleted at once") {
    t.MustCreate(kPods, "default", PodJson("pending"));
    auto r = t.reg().Delete(kPods, "default", "pending", DeleteOptions{}, ctx);
    REQUIRE(r.ok());
    CHECK(r->removed);
    CHECK_FALSE(Exists(t, kPods, "default", "pending"));
  }
}

TEST_CASE("Registry::Delete: namespaces") {
  TestRegistry t;
  RequestContext ctx = Ctx();
  SUBCASE("a namespace becomes Terminating and stays") {
    t.MustCreate(kNamespaces, "", R"({"metadata":{"name":"team"}})");
    auto r = t.reg().Delete(kNamespaces, "", "team", DeleteOptions{}, ctx);
    REQUIRE(r.ok());
    CHECK_FALSE(r->removed);
    auto got = t.reg().Get(kNamespaces, "", "team");
    REQUIRE(got.ok());
    CHECK(Str(*got, "status.phase") == "Terminating");
    CHECK(Has(*got, "metadata.deletionTimestamp"));
    CHECK(Str(*got, "spec.finalizers.0") == "kubernetes");
  }
  for (const char* name : {"default", "kube-system", "kube-public"}) {
    SUBCASE(name) {
      auto r = t.reg().Delete(kNamespaces, "", name, DeleteOptions{}, ctx);
      REQUIRE_FALSE(r.ok());
      CHECK(r.status().reason() == api::Reason::kForbidden);
      CHECK(r.status().message() ==
            "namespaces \"" + std::string(name) + "\" is forbidden: this namespace may not be deleted");
      CHECK(Str(*t.reg().Get(kNamespaces, "", name), "status.phase") == "Active");
    }
  }
}

TEST_CASE("Registry::Delete preconditions and options") {
  TestRegistry t;
  json::object cm = t.MustCreate(kConfigMaps, "default", ConfigMapJson("c"));
  RequestContext ctx = Ctx();
  struct Case {
    const char* name;
    DeleteOptions opts;
    api::Reason reason;
    const char* message;  // prefix
  };
  auto with = [](auto f) {
    DeleteOptions o;
    f(o);
    return o;
  };
  const Case cases[] = {
      {"uid mismatch", with([](DeleteOptions& o) { o.precondition_uid = "other"; }),
       api::Reason::kConflict,
       "Operation cannot be fulfilled on configmaps \"c\": Precondition failed: UID in "
       "precondition: other"},
      {"resourceVersion mismatch",
       with([](DeleteOptions& o) { o.precondition_resource_version = "1"; }),
       api::Reason::kConflict,
       "Operation cannot be fulfilled on configmaps \"c\": Precondition failed: ResourceVersion "
       "in precondition: 1"},
      {"unknown policy", with([](DeleteOptions& o) { o.propagation_policy = "Sideways"; }),
       api::Reason::kInvalid, "DeleteOptions.meta.k8s.io \"\" is invalid: propagationPolicy"},
      {"orphanDependents and policy",
       with([](DeleteOptions& o) {
         o.orphan_dependents = true;
         o.propagation_policy = "Background";
       }),
       api::Reason::kInvalid, "DeleteOptions.meta.k8s.io \"\" is invalid"},
  };
  for (const Case& c : cases) {
    SUBCASE(c.name) {
      auto r = t.reg().Delete(kConfigMaps, "default", "c", c.opts, ctx);
      REQUIRE_FALSE(r.ok());
      CHECK(r.status().reason() == c.reason);
      CHECK_MESSAGE(r.status().message().rfind(c.message, 0) == 0, r.status().message());
      CHECK(Exists(t, kConfigMaps, "default", "c"));
    }
  }
  SUBCASE("matching preconditions delete") {
    DeleteOptions o;
    o.precondition_uid = Str(cm, "metadata.uid");
    o.precondition_resource_version = Str(cm, "metadata.resourceVersion");
    auto r = t.reg().Delete(kConfigMaps, "default", "c", o, ctx);
    REQUIRE(r.ok());
    CHECK(r->removed);
  }
}

TEST_CASE("Registry::Delete dry run changes nothing") {
  TestRegistry t;
  t.MustCreate(kConfigMaps, "default", ConfigMapJson("c"));
  t.MustCreate(kDeployments, "default", DeploymentJson("web"));
  t.MustCreate(kNamespaces, "", R"({"metadata":{"name":"team"}})");
  const int64_t rev = t.backend().CurrentRevision();

  SUBCASE("via DeleteOptions") {
    RequestContext ctx = Ctx();
    DeleteOptions o;
    o.dry_run = true;
    auto r = t.reg().Delete(kConfigMaps, "default", "c", o, ctx);
    REQUIRE(r.ok());
    CHECK(r->removed);
  }
  SUBCASE("via the request context, with a finalizer-adding policy") {
    RequestContext ctx = Ctx();
    ctx.dry_run = true;
    DeleteOptions o;
    o.propagation_policy = "Foreground";
    auto r = t.reg().Delete(kDeployments, "default", "web", o, ctx);
    REQUIRE(r.ok());
    CHECK_FALSE(r->removed);
    CHECK_FALSE(Has(*t.reg().Get(kDeployments, "default", "web"), "metadata.deletionTimestamp"));
  }
  SUBCASE("a namespace") {
    RequestContext ctx = Ctx();
    ctx.dry_run = true;
    auto r = t.reg().Delete(kNamespaces, "", "team", DeleteOptions{}, ctx);
    REQUIRE(r.ok());
    CHECK(Str(*t.reg().Get(kNamespaces, "", "team"), "status.phase") == "Active");
  }
  CHECK(Exists(t, kConfigMaps, "default", "c"));
  CHECK(t.backend().CurrentRevision() == rev);
}

TEST_CASE("Registry::DeleteCollection deletes what the selector selects") {
  TestRegistry t;
  t.MustCreate(kConfigMaps, "default", ConfigMapJson("a", R"({"app":"web"})"));
  t.MustCreate(kConfigMaps, "default", ConfigMapJson("b", R"({"app":"db"})"));
  t.MustCreate(kConfigMaps, "default", ConfigMapJson("c", R"({"app":"web"})"));
  t.MustCreate(kConfigMaps, "kube-system", ConfigMapJson("d", R"({"app":"web"})"));
  RequestContext ctx = Ctx();
  ListOptions sel;
  sel.label_selector = "app=web";
  auto r = t.reg().DeleteCollection(kConfigMaps, "default", sel, DeleteOptions{}, ctx);
  REQUIRE(r.ok());
  CHECK(r->size() == 2);
  CHECK_FALSE(Exists(t, kConfigMaps, "default", "a"));
  CHECK(Exists(t, kConfigMaps, "default", "b"));
  CHECK_FALSE(Exists(t, kConfigMaps, "default", "c"));
  CHECK(Exists(t, kConfigMaps, "kube-system", "d"));
}

}  // namespace
}  // namespace kc::apiserver
