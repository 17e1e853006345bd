// LocalClient: the in-process client::Client over the Registry.
#include "pkg/apiserver/local_client.h"

#include <doctest/doctest.h>

#include "pkg/apiserver/test_util.h"

namespace kc::apiserver {
namespace {

namespace json = boost::json;
using testing::ConfigMapJson;
using testing::DeploymentJson;
using testing::Has;
using testing::Int;
using testing::Obj;
using testing::PodJson;
using testing::Str;

const client::ResourceRef kConfigMaps{"", "v1", "configmaps"};
const client::ResourceRef kDeployments{"apps", "v1", "deployments"};
const client::ResourceRef kPods{"", "v1", "pods"};

// Calls go through the client::Client interface, as components use it (its default arguments
// live there).
struct Fixture {
  testing::TestRegistry reg;
  ApiSurface surface = *ApiSurface::Build("");
  LocalClient local{reg.reg(), surface, "system:kube-controller-manager"};
  client::Client& client = local;
};

client::WriteOptions Write(const std::string& subresource, const std::string& manager = "",
                           bool dry_run = false) {
  client::WriteOptions o;
  o.subresource = subresource;
  o.field_manager = manager;
  o.dry_run = dry_run;
  return o;
}

client::PatchOptions PatchSub(const std::string& subresource) {
  client::PatchOptions o;
  o.subresource = subresource;
  return o;
}

TEST_CASE("LocalClient: create, get, update, list, delete") {
  Fixture f;
  auto c = f.client.Create(kConfigMaps, "default", Obj(ConfigMapJson("c")));
  REQUIRE_MESSAGE(c.ok(), c.status().ToString());
  // The requesting user is the default field manager.
  CHECK(Str(*c, "metadata.managedFields.0.manager") == "system:kube-controller-manager");

  auto g = f.client.Get(kConfigMaps, "default", "c");
  REQUIRE(g.ok());
  CHECK(*g == *c);

  json::object next = *g;
  next["data"].as_object()["k"] = "2";
  auto u = f.client.Update(kConfigMaps, "default", next, Write("", "editor"));
  REQUIRE(u.ok());
  CHECK(Str(*u, "data.k") == "2");
  // The resourceVersion in the object is the precondition.
  auto stale = f.client.Update(kConfigMaps, "default", next);
  REQUIRE_FALSE(stale.ok());
  CHECK(stale.status().reason() == api::Reason::kConflict);

  auto l = f.client.List(kConfigMaps, "default", {});
  REQUIRE(l.ok());
  REQUIRE(l->items.size() == 1);
  CHECK(l->resource_version == std::to_string(f.reg.backend().CurrentRevision()));

  auto d = f.client.Delete(kConfigMaps, "default", "c");
  REQUIRE(d.ok());
  CHECK(Str(*d, "metadata.name") == "c");
  CHECK(f.client.Get(kConfigMaps, "default", "c").status().reason() == api::Reason::kNotFound);
}

TEST_CASE("LocalClient: unknown or disabled resources are NotFound") {
  testing::TestRegistry reg;
  ApiSurface surface = *ApiSurface::Build("apps/v1=false");
  LocalClient local(reg.reg(), surface, "u");
  client::Client& client = local;
  for (const client::ResourceRef& res :
       {client::ResourceRef{"apps", "v1", "deployments"},
        client::ResourceRef{"example.com", "v1", "widgets"}}) {
    CAPTURE(res.resource);
    auto r = client.List(res, "default", {});
    REQUIRE_FALSE(r.ok());
    CHECK(r.status().reason() == api::Reason::kNotFound);
  }
}

TEST_CASE("LocalClient: subresources") {
  Fixture f;
  SUBCASE("scale") {
    REQUIRE(f.client.Create(kDeployments, "default", Obj(DeploymentJson("web", 1))).ok());
    auto s = f.client.Get(kDeployments, "default", "web", "scale");
    REQUIRE(s.ok());
    CHECK(Str(*s, "kind") == "Scale");
    json::object scale = *s;
    scale["spec"].as_object()["replicas"] = 3;
    auto u = f.client.Update(kDeployments, "default", scale, Write("scale"));
    REQUIRE_MESSAGE(u.ok(), u.status().ToString());
    CHECK(Int(*f.client.Get(kDeployments, "default", "web"), "spec.replicas") == 3);
    auto p = f.client.Patch(kDeployments, "default", "web", client::PatchType::kMerge,
                            R"({"spec":{"replicas":0}})", PatchSub("scale"));
    REQUIRE(p.ok());
    CHECK(Int(*f.client.Get(kDeployments, "default", "web"), "spec.replicas") == 0);
  }
  SUBCASE("status") {
    REQUIRE(f.client.Create(kDeployments, "default", Obj(DeploymentJson("web", 1))).ok());
    json::object d = *f.client.Get(kDeployments, "default", "web");
    d["status"] = Obj(R"({"observedGeneration":1,"replicas":1})");
    d["spec"].as_object()["replicas"] = 9;
    auto u = f.client.Update(kDeployments, "default", d, Write("status"));
    REQUIRE_MESSAGE(u.ok(), u.status().ToString());
    CHECK(Int(*u, "status.observedGeneration") == 1);
    CHECK(Int(*u, "spec.replicas") == 1);
  }
  SUBCASE("binding assigns the node once") {
    REQUIRE(f.client.Create(kPods, "default", Obj(PodJson("p"))).ok());
    json::object binding = Obj(R"({"apiVersion":"v1","kind":"Binding","metadata":{"name":"p"},
                                   "target":{"kind":"Node","name":"node-1"}})");
    auto b = f.client.Create(kPods, "default", binding, Write("binding"));
    REQUIRE_MESSAGE(b.ok(), b.status().ToString());
    json::object pod = *f.client.Get(kPods, "default", "p");
    CHECK(Str(pod, "spec.nodeName") == "node-1");
    bool scheduled = false;
    for (const auto& c : pod.at("status").at("conditions").as_array()) {
      if (c.at("type") == "PodScheduled" && c.at("status") == "True") scheduled = true;
    }
    CHECK(scheduled);
    auto again = f.client.Create(kPods, "default", binding, Write("binding"));
    REQUIRE_FALSE(again.ok());
    CHECK(again.status().reason() == api::Reason::kConflict);
  }
  SUBCASE("create on another subresource is refused") {
    auto r = f.client.Create(kPods, "default", Obj(PodJson("p")), Write("status"));
    REQUIRE_FALSE(r.ok());
    CHECK(r.status().reason() == api::Reason::kMethodNotAllowed);
  }
}

TEST_CASE("LocalClient: watch stream") {
  Fixture f;
  REQUIRE(f.client.Create(kConfigMaps, "default", Obj(ConfigMapJson("a"))).ok());
  client::ListOptions from_zero;
  from_zero.resource_version = "0";
  auto w = f.client.Watch(kConfigMaps, "default", from_zero);
  REQUIRE(w.ok());
  client::WatchStream& s = **w;

  client::WatchEvent ev;
  REQUIRE(s.Next(&ev, 1000));
  CHECK(ev.type == client::WatchEventType::kAdded);
  CHECK(Str(ev.object, "metadata.name") == "a");

  CHECK_FALSE(s.Next(&ev, 20));  // nothing yet: a timeout, not the end
  CHECK_FALSE(s.ended());

  REQUIRE(f.client.Patch(kConfigMaps, "default", "a", client::PatchType::kMerge,
                         R"({"data":{"k":"x"}})")
              .ok());
  REQUIRE(f.client.Delete(kConfigMaps, "default", "a").ok());
  REQUIRE(s.Next(&ev, 2000));
  CHECK(ev.type == client::WatchEventType::kModified);
  CHECK(Str(ev.object, "data.k") == "x");
  REQUIRE(s.Next(&ev, 2000));
  CHECK(ev.type == client::WatchEventType::kDeleted);

  s.Stop();
  CHECK_FALSE(s.Next(&ev, 1000));
  CHECK(s.ended());
}

TEST_CASE("LocalClient: dry run writes nothing") {
  Fixture f;
  int64_t rev = f.reg.backend().CurrentRevision();
  auto c = f.client.Create(kConfigMaps, "default", Obj(ConfigMapJson("c")), Write("", "", true));
  REQUIRE(c.ok());
  CHECK(Has(*c, "metadata.uid"));
  CHECK(f.reg.backend().CurrentRevision() == rev);
}

}  // namespace
}  // namespace kc::apiserver

namespace kc::apiserver {
namespace {

// In-process writers and readers see the same version conversion as HTTP clients.
TEST_CASE("LocalClient: converts between served and stored versions") {
  Fixture f;
  const client::ResourceRef hpa_v1{"autoscaling", "v1", "horizontalpodautoscalers"};
  const client::ResourceRef hpa_v2{"autoscaling", "v2", "horizontalpodautoscalers"};
  auto w = f.client.Watch(hpa_v1, "default", {});
  REQUIRE(w.ok());

  auto created = f.client.Create(hpa_v1, "default", Obj(R"({
    "apiVersion":"autoscaling/v1","kind":"HorizontalPodAutoscaler",
    "metadata":{"name":"h"},
    "spec":{"scaleTargetRef":{"apiVersion":"apps/v1","kind":"Deployment","name":"web"},
            "minReplicas":1,"maxReplicas":3,"targetCPUUtilizationPercentage":50}})"));
  REQUIRE_MESSAGE(created.ok(), created.status().ToString());
  CHECK(Str(*created, "apiVersion") == "autoscaling/v1");
  CHECK(Int(*created, "spec.targetCPUUtilizationPercentage") == 50);

  auto v2 = f.client.Get(hpa_v2, "default", "h");
  REQUIRE(v2.ok());
  CHECK(Str(*v2, "apiVersion") == "autoscaling/v2");
  CHECK(Int(*v2, "spec.metrics.0.resource.target.averageUtilization") == 50);
  auto v1 = f.client.Get(hpa_v1, "default", "h");
  REQUIRE(v1.ok());
  CHECK(Int(*v1, "spec.targetCPUUtilizationPercentage") == 50);
  CHECK_FALSE(Has(*v1, "spec.metrics"));

  // Update through v1, read through v2.
  (*v1)["spec"].as_object()["targetCPUUtilizationPercentage"] = 70;
  auto updated = f.client.Update(hpa_v1, "default", *v1);
  REQUIRE_MESSAGE(updated.ok(), updated.status().ToString());
  CHECK(Int(*updated, "spec.targetCPUUtilizationPercentage") == 70);
  v2 = f.client.Get(hpa_v2, "default", "h");
  REQUIRE(v2.ok());
  CHECK(Int(*v2, "spec.metrics.0.resource.target.averageUtilization") == 70);

  auto list = f.client.List(hpa_v1, "default", {});
  REQUIRE(list.ok());
  REQUIRE(list->items.size() == 1);
  CHECK(Str(list->items[0], "apiVersion") == "autoscaling/v1");

  client::WatchEvent ev;
  REQUIRE((*w)->Next(&ev, 5000));
  CHECK(Str(ev.object, "apiVersion") == "autoscaling/v1");
  CHECK(Int(ev.object, "spec.targetCPUUtilizationPercentage") == 50);

  auto deleted = f.client.Delete(hpa_v1, "default", "h", {});
  REQUIRE(deleted.ok());
  CHECK(Str(*deleted, "apiVersion") == "autoscaling/v1");
}

}  // namespace
}  // namespace kc::apiserver
