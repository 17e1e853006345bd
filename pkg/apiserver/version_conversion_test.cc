// HorizontalPodAutoscaler served as autoscaling/v1 and autoscaling/v2 over one storage key:
// the conversion hooks themselves, and every verb through the ApiHandler without sockets.
#include "pkg/apiserver/version_conversion.h"

#include <doctest/doctest.h>

#include <chrono>
#include <thread>

#include "pkg/api/hpa_conversion.h"
#include "pkg/apiserver/api_handler.h"
#include "pkg/apiserver/test_util.h"

namespace kc::apiserver {
namespace {

namespace json = boost::json;
using testing::Has;
using testing::Int;
using testing::Obj;
using testing::Str;

constexpr const char* kV1 = "/apis/autoscaling/v1/namespaces/default/horizontalpodautoscalers";
constexpr const char* kV2 = "/apis/autoscaling/v2/namespaces/default/horizontalpodautoscalers";
constexpr const char* kStoredKey = "/registry/autoscaling/horizontalpodautoscalers/default/web";

class PeerAuthenticator : public Authenticator {
 public:
  std::optional<UserInfo> Authenticate(const HttpRequest& req) override {
    if (req.peer_user.empty()) return std::nullopt;
    return UserInfo{req.peer_user, req.peer_groups};
  }
};

// A handler over a fresh registry with every built-in resource served.
class Server {
 public:
  Server()
      : surface_(*ApiSurface::Build("")),
        handler_(reg_.reg(), surface_, metrics_, authn_, allow_) {}

  HttpResponse Do(const std::string& method, const std::string& path_and_query,
                  const std::string& body = "", std::map<std::string, std::string> headers = {}) {
    HttpRequest req;
    req.method = method;
    size_t q = path_and_query.find('?');
    req.path = path_and_query.substr(0, q);
    if (q != std::string::npos) req.query = ParseQuery(path_and_query.substr(q + 1));
    req.headers = std::move(headers);
    if (!body.empty() && !req.headers.count("content-type")) {
      req.headers["content-type"] = "application/json";
    }
    req.body = body;
    req.tls = true;
    req.peer_user = "admin";
    req.peer_groups = {"system:masters"};
    return handler_.Handle(req);
  }
  HttpResponse Patch(const std::string& path, const std::string& body, const char* type) {
    return Do("PATCH", path, body, {{"content-type", type}});
  }

  // The stored bytes of default/web, parsed.
  json::object Stored() {
    auto kv = reg_.backend().Get(kStoredKey);
    if (!kv.ok()) return json::object();
    return Obj(kv->value);
  }

 private:
  testing::TestRegistry reg_;
  ApiSurface surface_;
  Metrics metrics_;
  PeerAuthenticator authn_;
  AlwaysAllowAuthorizer allow_;
  ApiHandler handler_;
};

json::object Body(const HttpResponse& r) { return Obj(r.body); }

std::string V1Hpa(const std::string& target_cpu) {
  return R"({"apiVersion":"autoscaling/v1","kind":"HorizontalPodAutoscaler",
    "metadata":{"name":"web"},
    "spec":{"scaleTargetRef":{"apiVersion":"apps/v1","kind":"Deployment","name":"web"},
      "minReplicas":1,"maxReplicas":3,"targetCPUUtilizationPercentage":)" +
         target_cpu + "}}";
}

constexpr const char* kV2MemoryCpu = R"({"apiVersion":"autoscaling/v2",
  "kind":"HorizontalPodAutoscaler","metadata":{"name":"web","labels":{"app":"web"}},
  "spec":{"scaleTargetRef":{"apiVersion":"apps/v1","kind":"Deployment","name":"web"},
    "minReplicas":2,"maxReplicas":8,
    "metrics":[
      {"type":"Resource","resource":{"name":"memory",
        "target":{"type":"AverageValue","averageValue":"500Mi"}}},
      {"type":"Resource","resource":{"name":"cpu",
        "target":{"type":"Utilization","averageUtilization":60}}}],
    "behavior":{"scaleDown":{"stabilizationWindowSeconds":120}}}})";

// The averageUtilization of the cpu Resource metric of a v2 object, -1 if there is none.
int64_t CpuTarget(const json::object& v2) {
  const json::value* metrics = testing::At(v2, "spec.metrics");
  if (!metrics || !metrics->is_array()) return -1;
  for (const auto& m : metrics->get_array()) {
    if (Str(m.as_object(), "type") == "Resource" && Str(m.as_object(), "resource.name") == "cpu") {
      return Int(m.as_object(), "resource.target.averageUtilization");
    }
  }
  return -1;
}

// Pulls from a watch stream until `needle` shows up or two seconds passed.
std::string PullUntil(ResponseStream& stream, const std::string& needle) {
  std::string got;
  auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(2);
  while (got.find(needle) == std::string::npos && std::chrono::steady_clock::now() < deadline) {
    if (!stream.Pull(&got)) break;
    if (got.find(needle) == std::string::npos) {
      std::this_thread::sleep_for(std::chrono::milliseconds(5));
    }
  }
  return got;
}

TEST_CASE("version conversion: hooks") {
  const api::ResourceInfo* v1 = api::FindResource("autoscaling", "v1", "horizontalpodautoscalers");
  const api::ResourceInfo* v2 = api::FindResource("autoscaling", "v2", "horizontalpodautoscalers");
  const api::ResourceInfo* deploy = api::FindResource("apps", "v1", "deployments");
  REQUIRE(v1);
  REQUIRE(v2);
  REQUIRE(deploy);
  CHECK(HasVersionConversion(*v1));
  CHECK(HasVersionConversion(*v2));
  CHECK_FALSE(HasVersionConversion(*deploy));
  CHECK(&StorageResource(*v1) == v2);
  CHECK(&StorageResource(*v2) == v2);
  CHECK(&StorageResource(*deploy) == deploy);

  SUBCASE("other kinds are left alone") {
    json::object obj = Obj(R"({"apiVersion":"apps/v1","kind":"Deployment",
      "metadata":{"annotations":{"autoscaling.alpha.kubernetes.io/metrics":"[]"}}})");
    const json::object before = obj;
    CHECK(ToStorage(*deploy, obj).ok());
    FromStorage(*deploy, obj);
    CHECK(obj == before);
  }
  SUBCASE("v1 to storage and back") {
    json::object obj = Obj(V1Hpa("50"));
    REQUIRE(ToStorage(*v1, obj).ok());
    CHECK(Str(obj, "apiVersion") == "autoscaling/v2");
    CHECK(CpuTarget(obj) == 50);
    FromStorage(*v1, obj);
    CHECK(Str(obj, "apiVersion") == "autoscaling/v1");
    CHECK(Int(obj, "spec.targetCPUUtilizationPercentage") == 50);
  }
  SUBCASE("a v1 object that cannot be converted is a BadRequest and stays as it was") {
    json::object obj = Obj(V1Hpa(R"("50")"));
    const json::object before = obj;
    api::Status s = ToStorage(*v1, obj);
    CHECK(s.reason() == api::Reason::kBadRequest);
    CHECK(obj == before);
  }
  SUBCASE("v2 drops the round-trip annotations both ways") {
    json::object obj = Obj(R"({"apiVersion":"autoscaling/v2","kind":"HorizontalPodAutoscaler",
      "metadata":{"annotations":{"autoscaling.alpha.kubernetes.io/conditions":"[]","a":"b"}}})");
    REQUIRE(ToStorage(*v2, obj).ok());
    const json::object& ann = obj.at("metadata").at("annotations").as_object();
    CHECK_FALSE(ann.contains(api::kHpaConditionsAnnotation));
    CHECK(ann.size() == 1);
    json::object out = Obj(R"({"metadata":{"annotations":{
      "autoscaling.alpha.kubernetes.io/behavior":"{}"}}})");
    FromStorage(*v2, out);
    CHECK_FALSE(Has(out, "metadata.annotations"));
  }
}

TEST_CASE("version conversion: HPA created through autoscaling/v1") {
  Server s;
  HttpResponse created = s.Do("POST", kV1, V1Hpa("50"));
  REQUIRE(created.status == 201);
  json::object c = Body(created);
  CHECK(Str(c, "apiVersion") == "autoscaling/v1");
  CHECK(Int(c, "spec.targetCPUUtilizationPercentage") == 50);
  CHECK_FALSE(Has(c, "spec.metrics"));

  SUBCASE("stored in the v2 shape") {
    json::object stored = s.Stored();
    CHECK(Str(stored, "apiVersion") == "autoscaling/v2");
    CHECK(CpuTarget(stored) == 50);
    CHECK_FALSE(Has(stored, "spec.targetCPUUtilizationPercentage"));
    CHECK_FALSE(Has(stored, "spec.behavior"));  // v2 fills in only a behavior that is given
    CHECK_FALSE(Has(stored, "metadata.annotations"));
  }
  SUBCASE("GET through v2") {
    HttpResponse r = s.Do("GET", std::string(kV2) + "/web");
    REQUIRE(r.status == 200);
    json::object b = Body(r);
    CHECK(Str(b, "apiVersion") == "autoscaling/v2");
    CHECK(Str(b, "spec.metrics.0.type") == "Resource");
    CHECK(Str(b, "spec.metrics.0.resource.name") == "cpu");
    CHECK(Str(b, "spec.metrics.0.resource.target.type") == "Utilization");
    CHECK(Int(b, "spec.metrics.0.resource.target.averageUtilization") == 50);
    CHECK_FALSE(Has(b, "metadata.annotations"));
  }
  SUBCASE("GET through v1") {
    HttpResponse r = s.Do("GET", std::string(kV1) + "/web");
    REQUIRE(r.status == 200);
    json::object b = Body(r);
    CHECK(Str(b, "apiVersion") == "autoscaling/v1");
    CHECK(Str(b, "kind") == "HorizontalPodAutoscaler");
    CHECK(Int(b, "spec.targetCPUUtilizationPercentage") == 50);
    CHECK(Int(b, "spec.minReplicas") == 1);
    CHECK_FALSE(Has(b, "spec.metrics"));
    CHECK_FALSE(Has(b, "spec.behavior"));
    CHECK(Str(b, "metadata.resourceVersion") == Str(c, "metadata.resourceVersion"));
  }
  SUBCASE("GET of the status subresource through v1") {
    json::object b = Body(s.Do("GET", std::string(kV1) + "/web/status"));
    CHECK(Str(b, "apiVersion") == "autoscaling/v1");
    CHECK(Int(b, "spec.targetCPUUtilizationPercentage") == 50);
  }
  SUBCASE("a Table through v1 reads the stored shape") {
    HttpResponse r = s.Do("GET", std::string(kV1) + "/web", "",
                          {{"accept", "application/json;as=Table;v=v1;g=meta.k8s.io"}});
    REQUIRE(r.status == 200);
    json::object t = Body(r);
    CHECK(Str(t, "kind") == "Table");
    CHECK(Str(t, "rows.0.cells.2") == "cpu: <unknown>/50%");
  }
  SUBCASE("LIST through v1 and v2") {
    REQUIRE(s.Do("POST", kV2, R"({"apiVersion":"autoscaling/v2","kind":"HorizontalPodAutoscaler",
      "metadata":{"name":"api"},"spec":{"scaleTargetRef":{"apiVersion":"apps/v1",
      "kind":"Deployment","name":"api"},"maxReplicas":4}})")
                .status == 201);
    json::object l1 = Body(s.Do("GET", kV1));
    CHECK(Str(l1, "apiVersion") == "autoscaling/v1");
    CHECK(Str(l1, "kind") == "HorizontalPodAutoscalerList");
    const json::array& items = l1.at("items").as_array();
    REQUIRE(items.size() == 2);
    for (const auto& item : items) {
      CHECK(Str(item.as_object(), "apiVersion") == "autoscaling/v1");
      CHECK_FALSE(Has(item.as_object(), "spec.metrics"));
    }
    // "api" got v2's default cpu 80% metric, which v1 shows as its target.
    CHECK(Int(items[0].as_object(), "spec.targetCPUUtilizationPercentage") == 80);
    CHECK(Int(items[1].as_object(), "spec.targetCPUUtilizationPercentage") == 50);
    json::object l2 = Body(s.Do("GET", kV2));
    for (const auto& item : l2.at("items").as_array()) {
      CHECK(Str(item.as_object(), "apiVersion") == "autoscaling/v2");
      CHECK(Has(item.as_object(), "spec.metrics"));
    }
  }
  SUBCASE("WATCH through v1 sends v1 objects") {
    HttpResponse r = s.Do("GET", std::string(kV1) + "?watch=true&resourceVersion=0");
    REQUIRE(r.stream);
    r.stream->Start([] {});
    std::string first = PullUntil(*r.stream, "\n");
    REQUIRE(first.find('\n') != std::string::npos);
    json::object ev = Obj(first.substr(0, first.find('\n')));
    CHECK(Str(ev, "type") == "ADDED");
    CHECK(Str(ev, "object.apiVersion") == "autoscaling/v1");
    CHECK(Int(ev, "object.spec.targetCPUUtilizationPercentage") == 50);
    REQUIRE(s.Patch(std::string(kV2) + "/web", R"({"spec":{"maxReplicas":5}})",
                    "application/merge-patch+json")
                .status == 200);
    std::string next = PullUntil(*r.stream, "MODIFIED");
    size_t at = next.find(R"({"type":"MODIFIED")");
    REQUIRE(at != std::string::npos);
    json::object mod = Obj(next.substr(at, next.find('\n', at) - at));
    CHECK(Str(mod, "object.apiVersion") == "autoscaling/v1");
    CHECK(Int(mod, "object.spec.maxReplicas") == 5);
    CHECK(Int(mod, "object.spec.targetCPUUtilizationPercentage") == 50);
    r.stream->Cancel();
  }
  SUBCASE("DELETECOLLECTION through v1 lists the deleted objects as v1") {
    HttpResponse r = s.Do("DELETE", kV1);
    REQUIRE(r.status == 200);
    json::object b = Body(r);
    CHECK(Str(b, "apiVersion") == "autoscaling/v1");
    REQUIRE(b.at("items").as_array().size() == 1);
    CHECK(Str(b.at("items").as_array()[0].as_object(), "apiVersion") == "autoscaling/v1");
    CHECK(Int(b.at("items").as_array()[0].as_object(), "spec.targetCPUUtilizationPercentage") ==
          50);
    CHECK(s.Stored().empty());
  }
  SUBCASE("DELETE through v1 returns the kept object as v1") {
    HttpResponse r = s.Do("DELETE", std::string(kV1) + "/web?propagationPolicy=Orphan");
    REQUIRE(r.status == 200);
    json::object b = Body(r);
    CHECK(Str(b, "apiVersion") == "autoscaling/v1");
    CHECK(Int(b, "spec.targetCPUUtilizationPercentage") == 50);
    CHECK(Has(b, "metadata.deletionTimestamp"));
  }
}

TEST_CASE("version conversion: a v2 HPA round-trips through a v1 client") {
  Server s;
  HttpResponse created = s.Do("POST", kV2, kV2MemoryCpu);
  REQUIRE(created.status == 201);
  const json::object original = Body(created);
  CHECK(Str(original, "apiVersion") == "autoscaling/v2");

  HttpResponse got = s.Do("GET", std::string(kV1) + "/web");
  REQUIRE(got.status == 200);
  json::object v1 = Body(got);
  CHECK(Int(v1, "spec.targetCPUUtilizationPercentage") == 60);
  const json::value* ann = testing::At(v1, "metadata.annotations");
  REQUIRE(ann);
  REQUIRE(ann->as_object().contains(api::kHpaMetricsAnnotation));
  CHECK(ann->as_object().at(api::kHpaMetricsAnnotation).as_string().find("memory") !=
        std::string::npos);
  CHECK(ann->as_object().contains(api::kHpaBehaviorAnnotation));

  SUBCASE("PUT of the unchanged v1 object keeps the v2 spec") {
    HttpResponse put = s.Do("PUT", std::string(kV1) + "/web", json::serialize(v1));
    REQUIRE(put.status == 200);
    CHECK(Str(Body(put), "apiVersion") == "autoscaling/v1");
    json::object v2 = Body(s.Do("GET", std::string(kV2) + "/web"));
    CHECK(v2.at("spec") == original.at("spec"));
    CHECK(v2.at("metadata").at("labels") == original.at("metadata").at("labels"));
    CHECK_FALSE(Has(v2, "metadata.annotations"));
    CHECK_FALSE(Has(s.Stored(), "metadata.annotations"));
  }
  SUBCASE("PUT with a stale resourceVersion is a Conflict") {
    REQUIRE(s.Patch(std::string(kV2) + "/web", R"({"spec":{"maxReplicas":9}})",
                    "application/merge-patch+json")
                .status == 200);
    HttpResponse put = s.Do("PUT", std::string(kV1) + "/web", json::serialize(v1));
    CHECK(put.status == 409);
  }
  SUBCASE("a v2 body carrying a round-trip annotation does not store it") {
    json::object next = original;
    next["metadata"].as_object()["annotations"] =
        Obj(R"({"autoscaling.alpha.kubernetes.io/metrics":"[]","team":"a"})");
    HttpResponse put = s.Do("PUT", std::string(kV2) + "/web", json::serialize(next));
    REQUIRE(put.status == 200);
    json::object stored = s.Stored();
    CHECK(Str(stored, "metadata.annotations.team") == "a");
    CHECK(stored.at("metadata").at("annotations").as_object().size() == 1);
  }
}

TEST_CASE("version conversion: PATCH through autoscaling/v1") {
  Server s;
  REQUIRE(s.Do("POST", kV2, kV2MemoryCpu).status == 201);
  const std::string web1 = std::string(kV1) + "/web";
  const std::string web2 = std::string(kV2) + "/web";

  SUBCASE("merge patch") {
    HttpResponse r = s.Patch(web1, R"({"spec":{"targetCPUUtilizationPercentage":70}})",
                             "application/merge-patch+json");
    REQUIRE(r.status == 200);
    CHECK(Str(Body(r), "apiVersion") == "autoscaling/v1");
    CHECK(Int(Body(r), "spec.targetCPUUtilizationPercentage") == 70);
    json::object v2 = Body(s.Do("GET", web2));
    CHECK(CpuTarget(v2) == 70);
    // The memory metric and behavior travelled through the v1 view's annotations.
    CHECK(Str(v2, "spec.metrics.0.resource.name") == "memory");
    CHECK(Int(v2, "spec.behavior.scaleDown.stabilizationWindowSeconds") == 120);
    CHECK_FALSE(Has(v2, "metadata.annotations"));
  }
  SUBCASE("strategic merge patch") {
    HttpResponse r = s.Patch(web1, R"({"spec":{"targetCPUUtilizationPercentage":65}})",
                             "application/strategic-merge-patch+json");
    REQUIRE(r.status == 200);
    CHECK(CpuTarget(Body(s.Do("GET", web2))) == 65);
  }
  SUBCASE("json patch against v1 paths") {
    HttpResponse r = s.Patch(
        web1, R"([{"op":"replace","path":"/spec/targetCPUUtilizationPercentage","value":40}])",
        "application/json-patch+json");
    REQUIRE(r.status == 200);
    CHECK(CpuTarget(Body(s.Do("GET", web2))) == 40);
  }
  SUBCASE("json patch against a v2-only path fails: v1 has no such field") {
    HttpResponse r =
        s.Patch(web1, R"([{"op":"test","path":"/spec/metrics/0/type","value":"Resource"}])",
                "application/json-patch+json");
    CHECK(r.status >= 400);
  }
  SUBCASE("a patched value that cannot be converted is a 400") {
    HttpResponse r = s.Patch(web1, R"({"spec":{"targetCPUUtilizationPercentage":"high"}})",
                             "application/merge-patch+json");
    CHECK(r.status == 400);
    CHECK(CpuTarget(Body(s.Do("GET", web2))) == 60);
  }
  SUBCASE("resourceVersion preconditions compare with the stored object") {
    std::string rv = Str(Body(s.Do("GET", web2)), "metadata.resourceVersion");
    REQUIRE(s.Patch(web1,
                    R"({"metadata":{"resourceVersion":")" + rv +
                        R"("},"spec":{"targetCPUUtilizationPercentage":55}})",
                    "application/merge-patch+json")
                .status == 200);
    HttpResponse stale = s.Patch(web1,
                                 R"({"metadata":{"resourceVersion":")" + rv +
                                     R"("},"spec":{"targetCPUUtilizationPercentage":45}})",
                                 "application/merge-patch+json");
    CHECK(stale.status == 409);
    CHECK(CpuTarget(Body(s.Do("GET", web2))) == 55);
  }
  SUBCASE("v1 validation runs on the v2 result") {
    HttpResponse r = s.Patch(web1, R"({"spec":{"targetCPUUtilizationPercentage":0}})",
                             "application/merge-patch+json");
    CHECK(r.status == 422);
  }
}

TEST_CASE("version conversion: server-side apply through autoscaling/v1") {
  Server s;
  const std::string web1 = std::string(kV1) + "/web?fieldManager=ci";
  const std::string web2 = std::string(kV2) + "/web";
  const char* kApply = "application/apply-patch+yaml";
  auto config = [](int target) {
    return "apiVersion: autoscaling/v1\nkind: HorizontalPodAutoscaler\nmetadata:\n  name: web\n"
           "spec:\n  scaleTargetRef:\n    apiVersion: apps/v1\n    kind: Deployment\n"
           "    name: web\n  maxReplicas: 3\n  targetCPUUtilizationPercentage: " +
           std::to_string(target) + "\n";
  };
  HttpResponse first = s.Patch(web1, config(50), kApply);
  REQUIRE(first.status == 201);
  CHECK(Str(Body(first), "apiVersion") == "autoscaling/v1");
  json::object stored = s.Stored();
  CHECK(Str(stored, "apiVersion") == "autoscaling/v2");
  CHECK(CpuTarget(stored) == 50);

  HttpResponse again = s.Patch(web1, config(75), kApply);
  REQUIRE(again.status == 200);
  CHECK(Int(Body(again), "spec.targetCPUUtilizationPercentage") == 75);
  json::object v2 = Body(s.Do("GET", web2));
  CHECK(CpuTarget(v2) == 75);
  CHECK(Int(v2, "spec.maxReplicas") == 3);
  CHECK_FALSE(Has(v2, "metadata.annotations"));

  SUBCASE("a v2 body applied to the v1 path is refused") {
    HttpResponse r = s.Patch(web1,
                             "apiVersion: autoscaling/v2\nkind: HorizontalPodAutoscaler\n"
                             "metadata:\n  name: web\n",
                             kApply);
    CHECK(r.status == 400);
  }
}

TEST_CASE("version conversion: v1 request bodies") {
  Server s;
  SUBCASE("a string targetCPUUtilizationPercentage is a 400") {
    HttpResponse r = s.Do("POST", kV1, V1Hpa(R"("50")"));
    CHECK(r.status == 400);
    CHECK(Str(Body(r), "reason") == "BadRequest");
    CHECK(s.Stored().empty());
  }
  SUBCASE("a v2 body sent to the v1 path is a 400") {
    HttpResponse r = s.Do("POST", kV1, kV2MemoryCpu);
    CHECK(r.status == 400);
    CHECK(Str(Body(r), "message").find("does not match the expected API version") !=
          std::string::npos);
  }
  SUBCASE("unknown fields are those of the v1 schema") {
    std::string body = V1Hpa("50");
    body.insert(body.size() - 2, R"(,"metrics":[])");  // inside spec
    REQUIRE(body.substr(body.size() - 15) == R"(,"metrics":[]}})");
    HttpResponse strict = s.Do("POST", std::string(kV1) + "?fieldValidation=Strict", body);
    CHECK(strict.status == 400);
    CHECK(Str(Body(strict), "message").find("unknown field \"spec.metrics\"") != std::string::npos);
    HttpResponse warn = s.Do("POST", kV1, body);
    REQUIRE(warn.status == 201);
    CHECK(CpuTarget(s.Stored()) == 50);
  }
  SUBCASE("v1 validation: a target below 1 is Invalid") {
    HttpResponse r = s.Do("POST", kV1, V1Hpa("0"));
    CHECK(r.status == 422);
  }
  SUBCASE("no target: v2's default cpu 80% metric") {
    std::string body = V1Hpa("50");
    body.replace(body.find(",\"targetCPUUtilizationPercentage\":50"),
                 std::string(",\"targetCPUUtilizationPercentage\":50").size(), "");
    REQUIRE(s.Do("POST", kV1, body).status == 201);
    CHECK(CpuTarget(s.Stored()) == 80);
  }
  SUBCASE("defaulted as v2: a behavior from the annotation gets v2's default rules") {
    json::object body = Obj(V1Hpa("50"));
    body["metadata"].as_object()["annotations"] = json::object{
        {api::kHpaBehaviorAnnotation, R"({"ScaleDown":{"StabilizationWindowSeconds":120}})"}};
    HttpResponse r = s.Do("POST", kV1, json::serialize(body));
    REQUIRE(r.status == 201);
    json::object stored = s.Stored();
    CHECK(Int(stored, "spec.behavior.scaleDown.stabilizationWindowSeconds") == 120);
    CHECK(Str(stored, "spec.behavior.scaleDown.selectPolicy") == "Max");
    CHECK(Int(stored, "spec.behavior.scaleUp.stabilizationWindowSeconds") == 0);
    CHECK(Str(stored, "spec.behavior.scaleUp.policies.0.type") == "Pods");
    CHECK_FALSE(Has(stored, "metadata.annotations"));
    // ...and the v1 response carries it back in the annotation.
    const json::object resp = Body(r);
    const json::value* ann = testing::At(resp, "metadata.annotations");
    REQUIRE(ann);
    CHECK(ann->as_object()
              .at(api::kHpaBehaviorAnnotation)
              .as_string()
              .find("\"StabilizationWindowSeconds\":120") != std::string::npos);
  }
  SUBCASE("status update through v1") {
    REQUIRE(s.Do("POST", kV1, V1Hpa("50")).status == 201);
    json::object v1 = Body(s.Do("GET", std::string(kV1) + "/web"));
    v1["status"] = Obj(R"({"currentReplicas":2,"desiredReplicas":2,
                           "currentCPUUtilizationPercentage":42})");
    HttpResponse r = s.Do("PUT", std::string(kV1) + "/web/status", json::serialize(v1));
    REQUIRE(r.status == 200);
    CHECK(Int(Body(r), "status.currentCPUUtilizationPercentage") == 42);
    json::object stored = s.Stored();
    CHECK(Str(stored, "status.currentMetrics.0.resource.name") == "cpu");
    CHECK(Int(stored, "status.currentMetrics.0.resource.current.averageUtilization") == 42);
    CHECK(Int(stored, "status.currentReplicas") == 2);
  }
}

}  // namespace
}  // namespace kc::apiserver
