// Registry patches (JSON, merge, strategic merge, server-side apply) and the scale subresource.
#include <doctest/doctest.h>

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
using testing::Res;
using testing::Str;
using testing::TestRegistry;

const api::ResourceInfo& kConfigMaps = Res("", "configmaps");
const api::ResourceInfo& kDeployments = Res("apps", "deployments");

TEST_CASE("Registry::Patch: JSON, merge and strategic merge patches") {
  TestRegistry t;
  t.MustCreate(kConfigMaps, "default",
               R"({"metadata":{"name":"c","labels":{"a":"1","b":"2"}},"data":{"k":"v","x":"y"}})");
  RequestContext ctx = Ctx();
  struct Case {
    const char* name;
    PatchKind kind;
    const char* body;
    const char* path;
    const char* want;  // nullptr: the path must be gone
  };
  const Case cases[] = {
      {"json replace", PatchKind::kJson, R"([{"op":"replace","path":"/data/k","value":"j"}])",
       "data.k", "j"},
      {"json add", PatchKind::kJson, R"([{"op":"add","path":"/data/new","value":"n"}])",
       "data.new", "n"},
      {"json remove", PatchKind::kJson, R"([{"op":"remove","path":"/data/x"}])", "data.x",
       nullptr},
      {"merge set", PatchKind::kMerge, R"({"data":{"k":"m"}})", "data.k", "m"},
      {"merge null deletes", PatchKind::kMerge, R"({"metadata":{"labels":{"a":null}}})",
       "metadata.labels.a", nullptr},
      {"merge keeps siblings", PatchKind::kMerge, R"({"metadata":{"labels":{"a":null}}})",
       "metadata.labels.b", "2"},
      {"strategic set", PatchKind::kStrategicMerge, R"({"data":{"k":"s"}})", "data.k", "s"},
  };
  for (const Case& c : cases) {
    SUBCASE(c.name) {
      bool created = true;
      auto r = t.reg().Patch(kConfigMaps, "default", "c", c.kind, c.body, "", false, ctx, &created);
      REQUIRE_MESSAGE(r.ok(), r.status().ToString());
      CHECK_FALSE(created);
      auto got = t.reg().Get(kConfigMaps, "default", "c");
      if (c.want) {
        CHECK(Str(*got, c.path) == c.want);
      } else {
        CHECK_FALSE(Has(*got, c.path));
      }
      CHECK(Str(*got, "metadata.resourceVersion") == Str(*r, "metadata.resourceVersion"));
    }
  }
}

TEST_CASE("Registry::Patch: strategic merge merges containers by name") {
  TestRegistry t;
  t.MustCreate(kDeployments, "default",
               R"({"metadata":{"name":"web"},"spec":{"replicas":1,
                   "selector":{"matchLabels":{"app":"web"}},
                   "template":{"metadata":{"labels":{"app":"web"}},"spec":{"containers":[
                     {"name":"app","image":"app:1"},{"name":"sidecar","image":"side:1"}]}}}})");
  RequestContext ctx = Ctx();
  const char* patch =
      R"({"spec":{"template":{"spec":{"containers":[{"name":"app","image":"app:2"}]}}}})";
  SUBCASE("strategic: the sidecar survives") {
    auto r = t.reg().Patch(kDeployments, "default", "web", PatchKind::kStrategicMerge, patch, "",
                           false, ctx, nullptr);
    REQUIRE_MESSAGE(r.ok(), r.status().ToString());
    CHECK(Str(*r, "spec.template.spec.containers.0.image") == "app:2");
    CHECK(Str(*r, "spec.template.spec.containers.1.name") == "sidecar");
    CHECK(Int(*r, "metadata.generation") == 2);
  }
  SUBCASE("merge: the list is replaced") {
    auto r = t.reg().Patch(kDeployments, "default", "web", PatchKind::kMerge, patch, "", false,
                           ctx, nullptr);
    REQUIRE_MESSAGE(r.ok(), r.status().ToString());
    CHECK(Str(*r, "spec.template.spec.containers.0.image") == "app:2");
    CHECK_FALSE(Has(*r, "spec.template.spec.containers.1"));
  }
}

TEST_CASE("Registry::Patch errors") {
  TestRegistry t;
  json::object cm = t.MustCreate(kConfigMaps, "default", ConfigMapJson("c"));
  RequestContext ctx = Ctx();
  const std::string stale_rv_patch =
      R"({"metadata":{"resourceVersion":")" +
      std::to_string(std::stoll(Str(cm, "metadata.resourceVersion")) - 1) + R"("}})";
  struct Case {
    const char* name;
    std::string resource_name;
    PatchKind kind;
    std::string body;
    api::Reason reason;
  };
  const Case cases[] = {
      {"not JSON", "c", PatchKind::kMerge, "{not json", api::Reason::kBadRequest},
      {"json patch that is an object", "c", PatchKind::kJson, R"({"op":"add"})",
       api::Reason::kBadRequest},
      {"merge patch that is an array", "c", PatchKind::kMerge, "[]", api::Reason::kBadRequest},
      {"json patch test fails", "c", PatchKind::kJson,
       R"([{"op":"test","path":"/data/k","value":"other"}])", api::Reason::kInvalid},
      {"missing object", "nope", PatchKind::kMerge, R"({"data":{}})", api::Reason::kNotFound},
      {"stale resourceVersion in the patch", "c", PatchKind::kMerge, stale_rv_patch,
       api::Reason::kConflict},
      {"patch makes the object invalid", "c", PatchKind::kMerge,
       R"({"data":{"bad key!":"v"}})", api::Reason::kInvalid},
  };
  for (const Case& c : cases) {
    SUBCASE(c.name) {
      auto r = t.reg().Patch(kConfigMaps, "default", c.resource_name, c.kind, c.body, "", false,
                             ctx, nullptr);
      REQUIRE_FALSE(r.ok());
      CHECK_MESSAGE(r.status().reason() == c.reason, r.status().ToString());
      CHECK(Str(*t.reg().Get(kConfigMaps, "default", "c"), "data.k") == "v");
    }
  }
}

TEST_CASE("Registry::Patch: server-side apply creates, then updates") {
  TestRegistry t;
  RequestContext ctx = Ctx("kubectl");
  const char* v1 = R"(apiVersion: v1
kind: ConfigMap
metadata:
  name: applied
data:
  a: "1"
  b: "2"
)";
  bool created = false;
  auto r1 = t.reg().Patch(kConfigMaps, "default", "applied", PatchKind::kApply, v1, "", false, ctx,
                          &created);
  REQUIRE_MESSAGE(r1.ok(), r1.status().ToString());
  CHECK(created);
  CHECK(Str(*r1, "data.a") == "1");
  CHECK(Str(*r1, "metadata.namespace") == "default");
  CHECK(Has(*r1, "metadata.uid"));
  CHECK(Str(*r1, "metadata.managedFields.0.manager") == "kubectl");
  CHECK(Str(*r1, "metadata.managedFields.0.operation") == "Apply");
  CHECK(Str(*r1, "metadata.managedFields.0.apiVersion") == "v1");
  CHECK_FALSE(Has(*r1, "metadata.managedFields.1"));

  // Re-applying without b removes b (kubectl owned it), changes a, and stays an Apply entry.
  const char* v2 = R"(apiVersion: v1
kind: ConfigMap
metadata:
  name: applied
data:
  a: "changed"
)";
  RequestContext ctx2 = Ctx("kubectl");
  auto r2 = t.reg().Patch(kConfigMaps, "default", "applied", PatchKind::kApply, v2, "", false,
                          ctx2, &created);
  REQUIRE_MESSAGE(r2.ok(), r2.status().ToString());
  CHECK_FALSE(created);
  CHECK(Str(*r2, "data.a") == "changed");
  CHECK_FALSE(Has(*r2, "data.b"));
  CHECK(Str(*r2, "metadata.uid") == Str(*r1, "metadata.uid"));
  CHECK(Str(*r2, "metadata.managedFields.0.manager") == "kubectl");
  CHECK(Str(*r2, "metadata.managedFields.0.operation") == "Apply");
  CHECK_FALSE(Has(*r2, "metadata.managedFields.1"));
  CHECK(Str(*r2, "metadata.resourceVersion") != Str(*r1, "metadata.resourceVersion"));

  SUBCASE("re-applying the same configuration is a no-op") {
    RequestContext ctx3 = Ctx("kubectl");
    int64_t rev = t.backend().CurrentRevision();
    auto r3 = t.reg().Patch(kConfigMaps, "default", "applied", PatchKind::kApply, v2, "", false,
                            ctx3, nullptr);
    REQUIRE(r3.ok());
    CHECK(Str(*r3, "metadata.resourceVersion") == Str(*r2, "metadata.resourceVersion"));
    CHECK(t.backend().CurrentRevision() == rev);
  }
  SUBCASE("another manager changing kubectl's field is a Conflict unless forced") {
    const char* other = R"({"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"applied"},
                            "data":{"a":"other"}})";
    RequestContext octx = Ctx("other-tool");
    auto c = t.reg().Patch(kConfigMaps, "default", "applied", PatchKind::kApply, other, "", false,
                           octx, nullptr);
    REQUIRE_FALSE(c.ok());
    CHECK(c.status().reason() == api::Reason::kConflict);
    RequestContext fctx = Ctx("other-tool");
    auto f = t.reg().Patch(kConfigMaps, "default", "applied", PatchKind::kApply, other, "", true,
                           fctx, nullptr);
    REQUIRE_MESSAGE(f.ok(), f.status().ToString());
    CHECK(Str(*f, "data.a") == "other");
  }
}

TEST_CASE("Registry::Patch: apply needs a field manager and a valid body") {
  TestRegistry t;
  SUBCASE("no field manager") {
    RequestContext ctx = Ctx("");
    auto r = t.reg().Patch(kConfigMaps, "default", "x", PatchKind::kApply,
                           "apiVersion: v1\nkind: ConfigMap\n", "", false, ctx, nullptr);
    REQUIRE_FALSE(r.ok());
    CHECK(r.status().reason() == api::Reason::kBadRequest);
  }
  SUBCASE("malformed YAML") {
    RequestContext ctx = Ctx("kubectl");
    auto r = t.reg().Patch(kConfigMaps, "default", "x", PatchKind::kApply, "a: [1", "", false,
                           ctx, nullptr);
    REQUIRE_FALSE(r.ok());
    CHECK(r.status().reason() == api::Reason::kBadRequest);
    CHECK(t.reg().Get(kConfigMaps, "default", "x").status().reason() == api::Reason::kNotFound);
  }
}

TEST_CASE("Registry scale subresource") {
  TestRegistry t;
  t.MustCreate(kDeployments, "default", DeploymentJson("web", 2));
  RequestContext ctx = Ctx();

  auto s = t.reg().GetScale(kDeployments, "default", "web");
  REQUIRE(s.ok());
  CHECK(Str(*s, "kind") == "Scale");
  CHECK(Str(*s, "apiVersion") == "autoscaling/v1");
  CHECK(Str(*s, "metadata.name") == "web");
  CHECK(Int(*s, "spec.replicas") == 2);
  CHECK(Int(*s, "status.replicas") == 0);
  CHECK(Str(*s, "status.selector") == "app=web");

  SUBCASE("update") {
    json::object scale = *s;
    scale["spec"].as_object()["replicas"] = 5;
    auto u = t.reg().UpdateScale(kDeployments, "default", "web", scale, ctx);
    REQUIRE_MESSAGE(u.ok(), u.status().ToString());
    CHECK(Int(*u, "spec.replicas") == 5);
    auto d = t.reg().Get(kDeployments, "default", "web");
    CHECK(Int(*d, "spec.replicas") == 5);
    CHECK(Int(*d, "metadata.generation") == 2);
    CHECK(Str(*u, "metadata.resourceVersion") == Str(*d, "metadata.resourceVersion"));

    // The old Scale's resourceVersion is now stale.
    auto stale = t.reg().UpdateScale(kDeployments, "default", "web", scale, ctx);
    REQUIRE_FALSE(stale.ok());
    CHECK(stale.status().reason() == api::Reason::kConflict);
  }
  SUBCASE("merge patch") {
    auto p = t.reg().PatchScale(kDeployments, "default", "web", PatchKind::kMerge,
                                R"({"spec":{"replicas":7}})", ctx);
    REQUIRE_MESSAGE(p.ok(), p.status().ToString());
    CHECK(Int(*p, "spec.replicas") == 7);
    CHECK(Int(*t.reg().Get(kDeployments, "default", "web"), "spec.replicas") == 7);
  }
  SUBCASE("json patch") {
    auto p = t.reg().PatchScale(kDeployments, "default", "web", PatchKind::kJson,
                                R"([{"op":"replace","path":"/spec/replicas","value":0}])", ctx);
    REQUIRE_MESSAGE(p.ok(), p.status().ToString());
    CHECK(Int(*t.reg().Get(kDeployments, "default", "web"), "spec.replicas") == 0);
  }
  SUBCASE("negative replicas are Invalid") {
    auto p = t.reg().PatchScale(kDeployments, "default", "web", PatchKind::kMerge,
                                R"({"spec":{"replicas":-1}})", ctx);
    REQUIRE_FALSE(p.ok());
    CHECK(p.status().reason() == api::Reason::kInvalid);
    CHECK(Int(*t.reg().Get(kDeployments, "default", "web"), "spec.replicas") == 2);
  }
  SUBCASE("missing deployment") {
    auto g = t.reg().GetScale(kDeployments, "default", "nope");
    REQUIRE_FALSE(g.ok());
    CHECK(g.status().reason() == api::Reason::kNotFound);
    CHECK(g.status().message() == R"(deployments.apps "nope" not found)");
  }
}

}  // namespace
}  // namespace kc::apiserver
