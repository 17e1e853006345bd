// Registry create/get/update against a real SqliteBackend.
#include "pkg/apiserver/registry.h"

#include <doctest/doctest.h>

#include "pkg/apiserver/test_util.h"

namespace kc::apiserver {
namespace {

namespace json = boost::json;
using testing::ConfigMapJson;
using testing::Ctx;
using testing::DeploymentJson;
using testing::Has;
using testing::Int;
using testing::Obj;
using testing::Res;
using testing::Str;
using testing::TestRegistry;

const api::ResourceInfo& kConfigMaps = Res("", "configmaps");
const api::ResourceInfo& kDeployments = Res("apps", "deployments");
const api::ResourceInfo& kNamespaces = Res("", "namespaces");

TEST_CASE("Registry::Bootstrap creates the standard namespaces, idempotently") {
  TestRegistry t;
  for (const char* ns : {"default", "kube-system", "kube-public", "kube-node-lease"}) {
    CAPTURE(ns);
    auto got = t.reg().Get(kNamespaces, "", ns);
    REQUIRE(got.ok());
    CHECK(Str(*got, "status.phase") == "Active");
    CHECK(got->at("metadata").at("labels").at("kubernetes.io/metadata.name") == ns);
  }
  int64_t rev = t.backend().CurrentRevision();
  CHECK(t.reg().Bootstrap().ok());
  CHECK(t.backend().CurrentRevision() == rev);
}

TEST_CASE("Registry::Create sets server-owned metadata") {
  TestRegistry t;
  SUBCASE("ConfigMap: uid, creationTimestamp, resourceVersion, no generation") {
    json::object cm = t.MustCreate(kConfigMaps, "default", ConfigMapJson("c1"));
    CHECK(Str(cm, "metadata.uid").size() == 36);
    CHECK(Str(cm, "metadata.creationTimestamp").size() == 20);  // 2024-05-01T12:00:00Z
    CHECK(Str(cm, "metadata.namespace") == "default");
    CHECK_FALSE(Has(cm, "metadata.generation"));
    CHECK(Str(cm, "kind") == "ConfigMap");
    CHECK(Str(cm, "apiVersion") == "v1");
    std::string rv = Str(cm, "metadata.resourceVersion");
    CHECK(rv == std::to_string(t.backend().CurrentRevision()));
    // A read returns the same object and resourceVersion.
    auto got = t.reg().Get(kConfigMaps, "default", "c1");
    REQUIRE(got.ok());
    CHECK(*got == cm);
  }
  SUBCASE("Deployment: generation 1 and an empty status") {
    json::object d = t.MustCreate(kDeployments, "default", DeploymentJson("web"));
    CHECK(Int(d, "metadata.generation") == 1);
    CHECK(Str(d, "apiVersion") == "apps/v1");
    CHECK(Has(d, "metadata.uid"));
  }
  SUBCASE("two objects get different uids and increasing resourceVersions") {
    json::object a = t.MustCreate(kConfigMaps, "default", ConfigMapJson("a"));
    json::object b = t.MustCreate(kConfigMaps, "default", ConfigMapJson("b"));
    CHECK(Str(a, "metadata.uid") != Str(b, "metadata.uid"));
    CHECK(std::stoll(Str(a, "metadata.resourceVersion")) <
          std::stoll(Str(b, "metadata.resourceVersion")));
  }
  SUBCASE("client-supplied uid and deletionTimestamp are replaced or dropped") {
    json::object cm = t.MustCreate(
        kConfigMaps, "default",
        R"({"metadata":{"name":"c2","uid":"mine","deletionTimestamp":"2020-01-01T00:00:00Z"}})");
    CHECK(Str(cm, "metadata.uid") != "mine");
    CHECK_FALSE(Has(cm, "metadata.deletionTimestamp"));
  }
  SUBCASE("generateName") {
    json::object cm = t.MustCreate(kConfigMaps, "default", R"({"metadata":{"generateName":"x-"}})");
    std::string name = Str(cm, "metadata.name");
    CHECK(name.size() == 7);
    CHECK(name.rfind("x-", 0) == 0);
  }
  SUBCASE("Create records managedFields for the manager (Update operation)") {
    json::object cm = t.MustCreate(kConfigMaps, "default", ConfigMapJson("mf"));
    CHECK(Str(cm, "metadata.managedFields.0.manager") == "test");
    CHECK(Str(cm, "metadata.managedFields.0.operation") == "Update");
  }
}

TEST_CASE("Registry::Create errors") {
  TestRegistry t;
  t.MustCreate(kConfigMaps, "default", ConfigMapJson("dup"));
  t.MustCreate(kDeployments, "default", DeploymentJson("dup"));
  RequestContext ctx = Ctx();

  struct Case {
    const char* name;
    const api::ResourceInfo* ri;
    const char* ns;
    std::string body;
    api::Reason reason;
    const char* message;
  };
  const Case cases[] = {
      {"configmap exists", &kConfigMaps, "default", ConfigMapJson("dup"),
       api::Reason::kAlreadyExists, R"(configmaps "dup" already exists)"},
      {"deployment exists", &kDeployments, "default", DeploymentJson("dup"),
       api::Reason::kAlreadyExists, R"(deployments.apps "dup" already exists)"},
      {"namespace missing", &kConfigMaps, "x", ConfigMapJson("c"), api::Reason::kNotFound,
       R"(namespaces "x" not found)"},
      {"namespace mismatch", &kConfigMaps, "default",
       R"({"metadata":{"name":"c","namespace":"kube-system"}})", api::Reason::kBadRequest,
       "the namespace of the provided object does not match the namespace sent on the request"},
      {"resourceVersion set", &kConfigMaps, "default",
       R"({"metadata":{"name":"c","resourceVersion":"5"}})", api::Reason::kInternalError,
       "resourceVersion should not be set on objects to be created"},
      {"invalid name", &kConfigMaps, "default", R"({"metadata":{"name":"Bad_Name"}})",
       api::Reason::kInvalid, R"(ConfigMap "Bad_Name" is invalid)"},
  };
  for (const Case& c : cases) {
    SUBCASE(c.name) {
      auto r = t.reg().Create(*c.ri, c.ns, Obj(c.body), ctx);
      REQUIRE_FALSE(r.ok());
      CHECK(r.status().reason() == c.reason);
      CHECK_MESSAGE(r.status().message().rfind(c.message, 0) == 0, r.status().message());
    }
  }
  SUBCASE("details name the resource") {
    auto r = t.reg().Create(kDeployments, "default", Obj(DeploymentJson("dup")), ctx);
    REQUIRE_FALSE(r.ok());
    CHECK(r.status().details().name == "dup");
    CHECK(r.status().details().group == "apps");
    CHECK(r.status().details().kind == "deployments");
  }
}

TEST_CASE("Registry::Create in a terminating namespace is Forbidden") {
  TestRegistry t;
  t.MustCreate(kNamespaces, "", R"({"metadata":{"name":"doomed"}})");
  RequestContext ctx = Ctx();
  auto del = t.reg().Delete(kNamespaces, "", "doomed", DeleteOptions{}, ctx);
  REQUIRE(del.ok());
  auto r = t.reg().Create(kConfigMaps, "doomed", Obj(ConfigMapJson("c")), ctx);
  REQUIRE_FALSE(r.ok());
  CHECK(r.status().reason() == api::Reason::kForbidden);
  CHECK(r.status().message() ==
        "unable to create new content in namespace doomed because it is being terminated");
}

TEST_CASE("Registry::Update preconditions") {
  TestRegistry t;
  json::object cm = t.MustCreate(kConfigMaps, "default", ConfigMapJson("c"));
  const std::string rv1 = Str(cm, "metadata.resourceVersion");
  RequestContext ctx = Ctx();

  json::object next = cm;
  next["data"].as_object()["k"] = "v2";
  auto u1 = t.reg().Update(kConfigMaps, "default", "c", next, "", ctx);
  REQUIRE(u1.ok());
  CHECK(Str(*u1, "data.k") == "v2");
  CHECK(Str(*u1, "metadata.resourceVersion") != rv1);
  CHECK(Str(*u1, "metadata.uid") == Str(cm, "metadata.uid"));
  CHECK(Str(*u1, "metadata.creationTimestamp") == Str(cm, "metadata.creationTimestamp"));

  SUBCASE("stale resourceVersion is a Conflict with the upstream message") {
    json::object stale = cm;  // still carries rv1
    stale["data"].as_object()["k"] = "v3";
    auto r = t.reg().Update(kConfigMaps, "default", "c", stale, "", ctx);
    REQUIRE_FALSE(r.ok());
    CHECK(r.status().reason() == api::Reason::kConflict);
    CHECK(r.status().message() ==
          "Operation cannot be fulfilled on configmaps \"c\": the object has been modified; "
          "please apply your changes to the latest version and try again");
    auto got = t.reg().Get(kConfigMaps, "default", "c");
    CHECK(Str(*got, "data.k") == "v2");
  }
  SUBCASE("no resourceVersion is an unconditional update") {
    json::object blind = Obj(R"({"metadata":{"name":"c"},"data":{"k":"blind"}})");
    auto r = t.reg().Update(kConfigMaps, "default", "c", blind, "", ctx);
    REQUIRE(r.ok());
    CHECK(Str(*r, "data.k") == "blind");
    CHECK(Str(*r, "metadata.uid") == Str(cm, "metadata.uid"));
  }
  SUBCASE("name mismatch is a BadRequest") {
    json::object other = Obj(R"({"metadata":{"name":"d"},"data":{}})");
    auto r = t.reg().Update(kConfigMaps, "default", "c", other, "", ctx);
    REQUIRE_FALSE(r.ok());
    CHECK(r.status().reason() == api::Reason::kBadRequest);
  }
  SUBCASE("missing object is NotFound") {
    auto r = t.reg().Update(kConfigMaps, "default", "nope", Obj(ConfigMapJson("nope")), "", ctx);
    REQUIRE_FALSE(r.ok());
    CHECK(r.status().reason() == api::Reason::kNotFound);
    CHECK(r.status().message() == R"(configmaps "nope" not found)");
  }
  SUBCASE("a no-op update keeps the resourceVersion") {
    int64_t rev = t.backend().CurrentRevision();
    auto r = t.reg().Update(kConfigMaps, "default", "c", *u1, "", ctx);
    REQUIRE(r.ok());
    CHECK(Str(*r, "metadata.resourceVersion") == Str(*u1, "metadata.resourceVersion"));
    CHECK(t.backend().CurrentRevision() == rev);
  }
}

TEST_CASE("Registry::Update: Deployment generation") {
  TestRegistry t;
  json::object d = t.MustCreate(kDeployments, "default", DeploymentJson("web", 1));
  RequestContext ctx = Ctx();
  auto update = [&](auto&& mutate) {
    json::object cur = *t.reg().Get(kDeployments, "default", "web");
    mutate(cur);
    auto r = t.reg().Update(kDeployments, "default", "web", cur, "", ctx);
    REQUIRE_MESSAGE(r.ok(), r.status().ToString());
    return Int(*r, "metadata.generation");
  };
  CHECK(Int(d, "metadata.generation") == 1);
  // spec change → +1
  CHECK(update([](json::object& o) { o["spec"].as_object()["replicas"] = 3; }) == 2);
  // label-only change → unchanged
  CHECK(update([](json::object& o) {
          o["metadata"].as_object()["labels"] = Obj(R"({"tier":"front"})");
        }) == 2);
  // annotation change → +1 (Deployment only)
  CHECK(update([](json::object& o) {
          o["metadata"].as_object()["annotations"] = Obj(R"({"note":"x"})");
        }) == 3);
  // status in a main-resource update is ignored, and does not bump generation
  CHECK(update([](json::object& o) { o["status"] = Obj(R"({"replicas":42})"); }) == 3);
  auto got = t.reg().Get(kDeployments, "default", "web");
  CHECK_FALSE(Has(*got, "status.replicas"));
  // a client cannot set generation
  CHECK(update([](json::object& o) { o["metadata"].as_object()["generation"] = 99; }) == 3);
}

TEST_CASE("Registry::Update: ConfigMap has no generation even after changes") {
  TestRegistry t;
  t.MustCreate(kConfigMaps, "default", ConfigMapJson("c"));
  RequestContext ctx = Ctx();
  auto r = t.reg().Update(kConfigMaps, "default", "c",
                          Obj(R"({"metadata":{"name":"c"},"data":{"k":"changed"}})"), "", ctx);
  REQUIRE(r.ok());
  CHECK_FALSE(Has(*r, "metadata.generation"));
}

TEST_CASE("Registry::Update: the status subresource") {
  TestRegistry t;
  t.MustCreate(kDeployments, "default", DeploymentJson("web", 1));
  RequestContext ctx = Ctx("controller");
  json::object cur = *t.reg().Get(kDeployments, "default", "web");
  cur["spec"].as_object()["replicas"] = 10;                 // must be ignored
  cur["status"] = Obj(R"({"replicas":1,"readyReplicas":1,"observedGeneration":1})");
  auto r = t.reg().Update(kDeployments, "default", "web", cur, "status", ctx);
  REQUIRE_MESSAGE(r.ok(), r.status().ToString());
  CHECK(Int(*r, "status.readyReplicas") == 1);
  CHECK(Int(*r, "spec.replicas") == 1);
  CHECK(Int(*r, "metadata.generation") == 1);
  auto got = t.reg().Get(kDeployments, "default", "web");
  CHECK(Int(*got, "status.replicas") == 1);
  CHECK(Int(*got, "spec.replicas") == 1);
  // The status writer gets its own managedFields entry.
  bool found = false;
  for (const auto& e : got->at("metadata").at("managedFields").as_array()) {
    if (e.at("manager") == "controller" && e.at("subresource") == "status") found = true;
  }
  CHECK(found);
}

TEST_CASE("Registry dry run create and update change nothing") {
  TestRegistry t;
  RequestContext dry = Ctx();
  dry.dry_run = true;
  int64_t rev = t.backend().CurrentRevision();

  auto c = t.reg().Create(kConfigMaps, "default", Obj(ConfigMapJson("dry")), dry);
  REQUIRE(c.ok());
  CHECK(Str(*c, "metadata.name") == "dry");
  CHECK(Has(*c, "metadata.uid"));
  CHECK(t.reg().Get(kConfigMaps, "default", "dry").status().reason() == api::Reason::kNotFound);
  CHECK(t.backend().CurrentRevision() == rev);

  json::object real = t.MustCreate(kConfigMaps, "default", ConfigMapJson("real"));
  rev = t.backend().CurrentRevision();
  json::object next = real;
  next["data"].as_object()["k"] = "dry-value";
  auto u = t.reg().Update(kConfigMaps, "default", "real", next, "", dry);
  REQUIRE(u.ok());
  CHECK(Str(*u, "data.k") == "dry-value");
  CHECK(Str(*t.reg().Get(kConfigMaps, "default", "real"), "data.k") == "v");
  CHECK(t.backend().CurrentRevision() == rev);
}

}  // namespace
}  // namespace kc::apiserver
