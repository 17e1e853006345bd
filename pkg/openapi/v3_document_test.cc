#include <doctest/doctest.h>

#include <boost/json/parse.hpp>

#include <set>
#include <thread>

#include "pkg/openapi/openapi.h"
#include "pkg/openapi/schema_registry.h"

namespace kc::openapi {
namespace {

namespace json = boost::json;

std::vector<const api::ResourceInfo*> AllResources() {
  std::vector<const api::ResourceInfo*> out;
  for (const auto& r : api::BuiltinResources()) out.push_back(&r);
  return out;
}

json::object Doc(std::string_view gv) {
  auto body = V3Document(gv, AllResources());
  REQUIRE(body.has_value());
  return json::parse(*body).as_object();
}

bool HasParam(const json::object& op, std::string_view name, std::string_view in) {
  const auto* params = op.if_contains("parameters");
  if (!params) return false;
  for (const auto& p : params->as_array()) {
    if (p.at("name").as_string() == name && p.at("in").as_string() == in) return true;
  }
  return false;
}

}  // namespace

TEST_CASE("schema registry is consistent and covers the catalog") {
  const auto& reg = internal::Registry();
  CHECK(reg.DanglingRefs().empty());
  for (const auto& d : reg.DanglingRefs()) MESSAGE(d);
  for (const auto& ri : api::BuiltinResources()) {
    CHECK_MESSAGE(reg.ForKind(ri.group, ri.version, ri.kind) != nullptr, ri.GroupVersion(), " ",
                  ri.kind);
  }
  const auto* container = reg.Find("io.k8s.api.core.v1.Container");
  REQUIRE(container);
  for (const char* f : {"name", "image", "command", "args", "env", "envFrom", "ports",
                        "resources", "volumeMounts", "livenessProbe", "readinessProbe",
                        "startupProbe", "lifecycle", "securityContext", "imagePullPolicy",
                        "restartPolicy", "workingDir", "stdin", "tty"}) {
    CHECK_MESSAGE(container->Field(f) != nullptr, f);
  }
  const auto* eph = reg.Find("io.k8s.api.core.v1.EphemeralContainer");
  REQUIRE(eph);
  CHECK(eph->Field("targetContainerName"));
  CHECK(eph->Field("image"));
}

TEST_CASE("schema text parse errors name the line") {
  auto bad = internal::SchemaRegistry::Parse({"package core.v1\nFoo A type.\n  x notatype Desc\n"});
  REQUIRE_FALSE(bad.ok());
  CHECK(bad.status().message().find("line 3") != std::string::npos);
  auto orphan = internal::SchemaRegistry::Parse({"  x string Desc\n"});
  CHECK_FALSE(orphan.ok());
  auto good = internal::SchemaRegistry::Parse(
      {"package demo.v1\nThing @demo/v1/Thing +open A thing.\n  spec! []{}string The spec.\n"});
  REQUIRE(good.ok());
  const auto* t = (*good)->ForKind("demo", "v1", "Thing");
  REQUIRE(t);
  CHECK(t->name == "io.k8s.api.demo.v1.Thing");
  CHECK(t->open);
  CHECK(t->Field("metadata"));
  REQUIRE(t->Field("spec"));
  CHECK(t->Field("spec")->required);
  CHECK(t->Field("spec")->type.kind == internal::TypeRef::Kind::kArray);
  CHECK(t->Field("spec")->type.elem->kind == internal::TypeRef::Kind::kMap);
}

TEST_CASE("index lists every served group-version with a hash") {
  auto all = AllResources();
  auto index = json::parse(V3Index(all)).as_object();
  const auto& paths = index.at("paths").as_object();
  std::set<std::string> want;
  for (const auto* ri : all) {
    want.insert(ri->group.empty() ? "api/" + ri->version : "apis/" + ri->group + "/" + ri->version);
  }
  CHECK(paths.size() == want.size());
  for (const auto& gv : want) {
    REQUIRE_MESSAGE(paths.contains(gv), gv);
    const std::string url(paths.at(gv).at("serverRelativeURL").as_string());
    const std::string hash = V3DocumentHash(gv, all);
    CHECK(!hash.empty());
    CHECK(url == "/openapi/v3/" + gv + "?hash=" + hash);
  }
  // Stable across calls.
  CHECK(V3Index(all) == V3Index(all));
  // Only enabled resources count.
  std::vector<const api::ResourceInfo*> only_pods = {api::FindKind("", "v1", "Pod")};
  auto small = json::parse(V3Index(only_pods)).as_object();
  CHECK(small.at("paths").as_object().size() == 1);
  CHECK(small.at("paths").as_object().contains("api/v1"));
}

TEST_CASE("apps/v1 document: paths, operations and schemas") {
  auto doc = Doc("apis/apps/v1");
  CHECK(doc.at("openapi") == "3.0.0");
  const auto& paths = doc.at("paths").as_object();
  const auto* item = paths.if_contains("/apis/apps/v1/namespaces/{namespace}/deployments/{name}");
  REQUIRE(item);
  const auto& patch = item->at("patch").as_object();
  CHECK(patch.at("x-kubernetes-group-version-kind") ==
        json::parse(R"({"group":"apps","kind":"Deployment","version":"v1"})"));
  CHECK(HasParam(patch, "fieldValidation", "query"));
  CHECK(patch.at("x-kubernetes-action") == "patch");
  const auto& content = patch.at("requestBody").at("content").as_object();
  CHECK(content.contains("application/merge-patch+json"));
  CHECK(content.contains("application/apply-patch+yaml"));
  CHECK_FALSE(content.contains("application/strategic-merge-patch+json"));
  CHECK(HasParam(item->at("put").as_object(), "fieldValidation", "query"));
  CHECK(item->at("get").as_object().contains("responses"));
  CHECK(item->at("delete").as_object().contains("responses"));
  CHECK(paths.contains("/apis/apps/v1/namespaces/{namespace}/deployments"));
  CHECK(HasParam(paths.at("/apis/apps/v1/namespaces/{namespace}/deployments").at("post").as_object(),
                 "fieldValidation", "query"));
  CHECK(paths.contains("/apis/apps/v1/deployments"));
  CHECK(paths.contains("/apis/apps/v1/namespaces/{namespace}/deployments/{name}/status"));
  const auto& scale = paths.at("/apis/apps/v1/namespaces/{namespace}/deployments/{name}/scale");
  CHECK(scale.at("patch").at("x-kubernetes-group-version-kind").at("kind") == "Scale");
  CHECK_FALSE(paths.contains("/apis/apps/v1/namespaces/{namespace}/daemonsets/{name}/scale"));

  const auto& schemas = doc.at("components").at("schemas").as_object();
  const auto* dep = schemas.if_contains("io.k8s.api.apps.v1.Deployment");
  REQUIRE(dep);
  CHECK(dep->at("x-kubernetes-group-version-kind") ==
        json::parse(R"([{"group":"apps","kind":"Deployment","version":"v1"}])"));
  CHECK(!dep->at("description").as_string().empty());
  CHECK(dep->at("properties").at("spec").at("allOf").at(0).at("$ref") ==
        "#/components/schemas/io.k8s.api.apps.v1.DeploymentSpec");
  CHECK(schemas.contains("io.k8s.api.apps.v1.DeploymentList"));
  CHECK(schemas.contains("io.k8s.api.core.v1.PodSpec"));
  CHECK(schemas.contains("io.k8s.api.core.v1.Container"));
  CHECK(schemas.contains("io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta"));
  CHECK(schemas.contains("io.k8s.api.autoscaling.v1.Scale"));
  const auto& spec = schemas.at("io.k8s.api.apps.v1.DeploymentSpec").as_object();
  CHECK(spec.at("required") == json::parse(R"(["selector","template"])"));
  const auto& pod_spec = schemas.at("io.k8s.api.core.v1.PodSpec").as_object();
  CHECK(pod_spec.at("properties").at("containers").at("items").at("$ref") ==
        "#/components/schemas/io.k8s.api.core.v1.Container");
  CHECK(pod_spec.at("properties").at("nodeSelector").at("additionalProperties").at("type") ==
        "string");
  CHECK(schemas.at("io.k8s.apimachinery.pkg.util.intstr.IntOrString")
            .at("x-kubernetes-int-or-string") == true);
  CHECK(schemas.at("io.k8s.api.apps.v1.DeploymentStatus")
            .at("x-kubernetes-preserve-unknown-fields") == true);
  // Every $ref resolves inside the document.
  std::vector<const json::value*> stack = {&doc.at("components"), &doc.at("paths")};
  int refs = 0;
  while (!stack.empty()) {
    const json::value* v = stack.back();
    stack.pop_back();
    if (const auto* o = v->if_object()) {
      if (const auto* r = o->if_contains("$ref")) {
        ++refs;
        std::string ref(r->as_string());
        const std::string prefix = "#/components/schemas/";
        REQUIRE(ref.rfind(prefix, 0) == 0);
        CHECK_MESSAGE(schemas.contains(ref.substr(prefix.size())), ref);
      }
      for (const auto& kv : *o) stack.push_back(&kv.value());
    } else if (const auto* a = v->if_array()) {
      for (const auto& e : *a) stack.push_back(&e);
    }
  }
  CHECK(refs > 100);
}

TEST_CASE("every document: each kind has a patch operation with fieldValidation") {
  auto all = AllResources();
  for (const auto* ri : all) {
    const std::string gv =
        ri->group.empty() ? "api/" + ri->version : "apis/" + ri->group + "/" + ri->version;
    auto doc = Doc(gv);
    const std::string item = ri->PathPrefix() +
                             (ri->namespaced ? "/namespaces/{namespace}/" : "/") + ri->plural +
                             "/{name}";
    const auto* p = doc.at("paths").as_object().if_contains(item);
    REQUIRE_MESSAGE(p, item);
    const auto& patch = p->at("patch").as_object();
    CHECK(patch.at("x-kubernetes-group-version-kind").at("kind").as_string() == ri->kind);
    CHECK(patch.at("x-kubernetes-group-version-kind").at("group").as_string() == ri->group);
    CHECK(HasParam(patch, "fieldValidation", "query"));
    // Every patch operation for this GVK must carry the parameter (kubectl checks the first it
    // finds, in map order).
    for (const auto& kv : doc.at("paths").as_object()) {
      const auto* op = kv.value().as_object().if_contains("patch");
      if (op && op->at("x-kubernetes-group-version-kind").at("kind").as_string() == ri->kind) {
        CHECK(HasParam(op->as_object(), "fieldValidation", "query"));
      }
    }
  }
}

TEST_CASE("document lookup") {
  auto all = AllResources();
  CHECK(V3Document("/api/v1", all) == V3Document("api/v1", all));
  CHECK_FALSE(V3Document("apis/nope/v1", all).has_value());
  CHECK_FALSE(V3Document("", all).has_value());
  CHECK(V3DocumentHash("apis/nope/v1", all).empty());
  std::vector<const api::ResourceInfo*> no_apps = {api::FindKind("", "v1", "Pod")};
  CHECK_FALSE(V3Document("apis/apps/v1", no_apps).has_value());
  auto core_only_pods = V3Document("api/v1", no_apps);
  REQUIRE(core_only_pods);
  auto d = json::parse(*core_only_pods).as_object();
  CHECK(d.at("paths").as_object().contains("/api/v1/namespaces/{namespace}/pods/{name}"));
  CHECK_FALSE(d.at("paths").as_object().contains("/api/v1/namespaces/{namespace}/services/{name}"));
  // Cluster-scoped kinds have no namespace segment.
  auto core = Doc("api/v1");
  CHECK(core.at("paths").as_object().contains("/api/v1/nodes/{name}"));
  CHECK(core.at("paths").as_object().contains("/api/v1/namespaces/{name}"));
  CHECK(core.at("components").at("schemas").at("io.k8s.api.core.v1.Pod").at(
            "x-kubernetes-group-version-kind") ==
        json::parse(R"([{"group":"","kind":"Pod","version":"v1"}])"));
}

}  // namespace kc::openapi

namespace kc::openapi {

TEST_CASE("documents are safe to build concurrently") {
  // A resource subset no other test uses, so the cache starts cold here.
  std::vector<const api::ResourceInfo*> subset = {api::FindKind("batch", "v1", "CronJob")};
  std::vector<std::string> bodies(4);
  std::vector<std::thread> threads;
  for (size_t i = 0; i < bodies.size(); ++i) {
    threads.emplace_back([&, i] {
      bodies[i] = V3Document("apis/batch/v1", subset).value_or("");
      V3Index(subset);
    });
  }
  for (auto& t : threads) t.join();
  for (const auto& b : bodies) {
    CHECK(!b.empty());
    CHECK(b == bodies[0]);
  }
  auto doc = boost::json::parse(bodies[0]).as_object();
  CHECK(doc.at("paths").as_object().contains("/apis/batch/v1/namespaces/{namespace}/cronjobs/{name}"));
  CHECK_FALSE(doc.at("paths").as_object().contains("/apis/batch/v1/namespaces/{namespace}/jobs/{name}"));
}

}  // namespace kc::openapi
