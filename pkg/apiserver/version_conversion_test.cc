// Kinds served in several versions over one storage key — HorizontalPodAutoscaler as
// autoscaling/v1 and autoscaling/v2, Event as core/v1 and events.k8s.io/v1: the conversion hooks
// themselves, and every verb through the ApiHandler without sockets.
#include "pkg/apiserver/version_conversion.h"

#include <doctest/doctest.h>

#include <chrono>
#include <thread>

#include "pkg/api/hpa_conversion.h"
#include "pkg/apiserver/api_handler.h"
#include "pkg/apiserver/keys.h"
#include "pkg/apiserver/handler_test_util.h"
#include "pkg/apiserver/test_util.h"

namespace kc::apiserver {
namespace {

namespace json = boost::json;
using testing::Has;
using testing::Int;
using testing::Obj;
using testing::PullUntil;
using testing::Str;

constexpr const char* kV1 = "/apis/autoscaling/v1/namespaces/default/horizontalpodautoscalers";
constexpr const char* kV2 = "/apis/autoscaling/v2/namespaces/default/horizontalpodautoscalers";
constexpr const char* kStoredKey = "/registry/autoscaling/horizontalpodautoscalers/default/web";

// The handler fixture plus reads of the stored bytes.
class Server : public testing::HandlerServer {
 public:
  // The stored bytes of default/web, parsed.
  json::object Stored() { return StoredAt(kStoredKey); }
  // The stored bytes at `key`, parsed; empty if there are none.
  json::object StoredAt(const std::string& key) {
    auto kv = registry().backend().Get(key);
    if (!kv.ok()) return json::object();
    return Obj(kv->value);
  }
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

// ---- Event: events.k8s.io/v1 over the core/v1 storage ----

constexpr const char* kCoreEvents = "/api/v1/namespaces/default/events";
constexpr const char* kEventsV1 = "/apis/events.k8s.io/v1/namespaces/default/events";
constexpr const char* kEventKeyPrefix = "/registry/core/events/default/";

// A new-style Event, as client-go's events.k8s.io recorder writes it.
std::string EventsV1Event(const std::string& name, const std::string& pod) {
  return R"({"apiVersion":"events.k8s.io/v1","kind":"Event","metadata":{"name":")" + name +
         R"("},"eventTime":"2024-05-01T10:00:00.000000Z","reportingController":"kcluster.io/test",
    "reportingInstance":"node-1","action":"Pulling","reason":"Pulling",
    "regarding":{"kind":"Pod","namespace":"default","name":")" +
         pod + R"("},"note":"Pulling image","type":"Normal"})";
}

// A legacy core/v1 Event, as client-go's core recorder writes it.
std::string CoreEvent(const std::string& name, const std::string& pod) {
  return R"({"apiVersion":"v1","kind":"Event","metadata":{"name":")" + name +
         R"("},"involvedObject":{"kind":"Pod","namespace":"default","name":")" + pod +
         R"("},"reason":"Scheduled","message":"assigned default/)" + pod +
         R"( to node-1","source":{"component":"default-scheduler"},
    "firstTimestamp":"2024-05-01T10:00:00Z","lastTimestamp":"2024-05-01T10:00:00Z","count":1,
    "type":"Normal"})";
}

// The metadata.name of each list item, in order.
std::vector<std::string> Names(const json::object& list) {
  std::vector<std::string> out;
  for (const auto& item : list.at("items").as_array()) {
    out.push_back(Str(item.as_object(), "metadata.name"));
  }
  return out;
}

TEST_CASE("version conversion: Event hooks") {
  const api::ResourceInfo* ev1 = api::FindResource("events.k8s.io", "v1", "events");
  const api::ResourceInfo* core = api::FindResource("", "v1", "events");
  REQUIRE(ev1);
  REQUIRE(core);
  CHECK(HasVersionConversion(*ev1));
  CHECK_FALSE(HasVersionConversion(*core));  // stored as served: no per-request work
  CHECK(&StorageResource(*ev1) == core);
  CHECK(&StorageResource(*core) == core);
  CHECK(ObjectKey(*ev1, "default", "a") == "/registry/core/events/default/a");
  CHECK(ObjectKey(*core, "default", "a") == "/registry/core/events/default/a");
  CHECK(ListPrefix(*ev1, "") == "/registry/core/events/");

  SUBCASE("to storage and back") {
    json::object obj = Obj(EventsV1Event("e1", "web"));
    REQUIRE(ToStorage(*ev1, obj).ok());
    CHECK(Str(obj, "apiVersion") == "v1");
    CHECK(Str(obj, "message") == "Pulling image");
    CHECK(Str(obj, "involvedObject.name") == "web");
    CHECK(Str(obj, "reportingComponent") == "kcluster.io/test");
    CHECK_FALSE(Has(obj, "note"));
    CHECK_FALSE(Has(obj, "regarding"));
    FromStorage(*ev1, obj);
    CHECK(obj == Obj(EventsV1Event("e1", "web")));
  }
  SUBCASE("core/v1 objects are not touched") {
    json::object obj = Obj(CoreEvent("e2", "api"));
    const json::object before = obj;
    CHECK(ToStorage(*core, obj).ok());
    FromStorage(*core, obj);
    CHECK(obj == before);
  }
  SUBCASE("an events.k8s.io/v1 body failing that version's validation is Invalid, unchanged") {
    json::object obj = Obj(EventsV1Event("e3", "web"));
    obj.erase("eventTime");
    obj["deprecatedCount"] = 2;
    const json::object before = obj;
    api::Status s = ToStorage(*ev1, obj);
    CHECK(s.reason() == api::Reason::kInvalid);
    CHECK(s.message().find(R"(Event "e3" is invalid)") != std::string::npos);
    CHECK(s.message().find("eventTime: Required value") != std::string::npos);
    CHECK(s.message().find("count: Invalid value") != std::string::npos);
    CHECK(obj == before);
  }
}

TEST_CASE("version conversion: Event created through events.k8s.io/v1") {
  Server s;
  HttpResponse created = s.Do("POST", kEventsV1, EventsV1Event("web.1", "web"));
  REQUIRE(created.status == 201);
  json::object c = Body(created);
  CHECK(Str(c, "apiVersion") == "events.k8s.io/v1");
  CHECK(Str(c, "note") == "Pulling image");
  CHECK(Str(c, "regarding.name") == "web");
  CHECK_FALSE(Has(c, "message"));

  SUBCASE("stored once, in the core/v1 shape, under the core key") {
    json::object stored = s.StoredAt(std::string(kEventKeyPrefix) + "web.1");
    CHECK(Str(stored, "apiVersion") == "v1");
    CHECK(Str(stored, "kind") == "Event");
    CHECK(Str(stored, "message") == "Pulling image");
    CHECK(Str(stored, "involvedObject.name") == "web");
    CHECK(Str(stored, "reportingComponent") == "kcluster.io/test");
    CHECK_FALSE(Has(stored, "note"));
    CHECK(s.StoredAt("/registry/events.k8s.io/events/default/web.1").empty());
  }
  SUBCASE("GET through core/v1") {
    HttpResponse r = s.Do("GET", std::string(kCoreEvents) + "/web.1");
    REQUIRE(r.status == 200);
    json::object b = Body(r);
    CHECK(Str(b, "apiVersion") == "v1");
    CHECK(Str(b, "message") == "Pulling image");
    CHECK(Str(b, "involvedObject.kind") == "Pod");
    CHECK(Str(b, "involvedObject.name") == "web");
    CHECK(Str(b, "eventTime") == "2024-05-01T10:00:00.000000Z");
    CHECK(Str(b, "metadata.uid") == Str(c, "metadata.uid"));
    CHECK(Str(b, "metadata.resourceVersion") == Str(c, "metadata.resourceVersion"));
  }
  SUBCASE("LIST through core/v1 and events.k8s.io/v1 shows the same objects") {
    REQUIRE(s.Do("POST", kCoreEvents, CoreEvent("api.1", "api")).status == 201);
    json::object core = Body(s.Do("GET", kCoreEvents));
    CHECK(Str(core, "kind") == "EventList");
    CHECK(Names(core) == std::vector<std::string>{"api.1", "web.1"});
    for (const auto& item : core.at("items").as_array()) {
      CHECK(Str(item.as_object(), "apiVersion") == "v1");
      CHECK(Has(item.as_object(), "involvedObject"));
      CHECK(Has(item.as_object(), "message"));
    }
    json::object ev = Body(s.Do("GET", kEventsV1));
    CHECK(Str(ev, "apiVersion") == "events.k8s.io/v1");
    CHECK(Names(ev) == std::vector<std::string>{"api.1", "web.1"});
    for (const auto& item : ev.at("items").as_array()) {
      CHECK(Str(item.as_object(), "apiVersion") == "events.k8s.io/v1");
      CHECK(Has(item.as_object(), "regarding"));
      CHECK(Has(item.as_object(), "note"));
      CHECK_FALSE(Has(item.as_object(), "message"));
    }
    json::object all = Body(s.Do("GET", "/apis/events.k8s.io/v1/events"));
    CHECK(Names(all) == std::vector<std::string>{"api.1", "web.1"});
  }
  SUBCASE("a second create of the name through core/v1 is AlreadyExists") {
    CHECK(s.Do("POST", kCoreEvents, CoreEvent("web.1", "web")).status == 409);
  }
  SUBCASE("merge patch through events.k8s.io/v1 edits the stored message") {
    HttpResponse r = s.Patch(std::string(kEventsV1) + "/web.1", R"({"note":"Pulled"})",
                             "application/merge-patch+json");
    REQUIRE(r.status == 200);
    CHECK(Str(Body(r), "note") == "Pulled");
    CHECK(Str(s.StoredAt(std::string(kEventKeyPrefix) + "web.1"), "message") == "Pulled");
  }
  SUBCASE("PUT of the events.k8s.io/v1 view keeps the object") {
    json::object next = c;
    next["note"] = "Pulled";
    HttpResponse r = s.Do("PUT", std::string(kEventsV1) + "/web.1", json::serialize(next));
    REQUIRE(r.status == 200);
    json::object core = Body(s.Do("GET", std::string(kCoreEvents) + "/web.1"));
    CHECK(Str(core, "message") == "Pulled");
    CHECK(Str(core, "involvedObject.name") == "web");
  }
  SUBCASE("DELETE through events.k8s.io/v1 removes it for core/v1") {
    REQUIRE(s.Do("DELETE", std::string(kEventsV1) + "/web.1").status == 200);
    CHECK(s.Do("GET", std::string(kCoreEvents) + "/web.1").status == 404);
  }
  SUBCASE("a Table through events.k8s.io/v1 reads the stored shape") {
    HttpResponse r = s.Do("GET", kEventsV1 + std::string("?includeObject=Object"), "",
                          {{"accept", "application/json;as=Table;v=v1;g=meta.k8s.io"}});
    REQUIRE(r.status == 200);
    json::object t = Body(r);
    CHECK(Str(t, "kind") == "Table");
    CHECK(Str(t, "rows.0.cells.2") == "Pulling");        // Reason
    CHECK(Str(t, "rows.0.cells.3") == "pod/web");        // Object
    CHECK(Str(t, "rows.0.cells.6") == "Pulling image");  // Message
    CHECK(Str(t, "rows.0.object.apiVersion") == "events.k8s.io/v1");
    CHECK(Str(t, "rows.0.object.note") == "Pulling image");
  }
}

TEST_CASE("version conversion: Event created through core/v1, read as events.k8s.io/v1") {
  Server s;
  REQUIRE(s.Do("POST", kCoreEvents, CoreEvent("api.1", "api")).status == 201);
  HttpResponse r = s.Do("GET", std::string(kEventsV1) + "/api.1");
  REQUIRE(r.status == 200);
  json::object b = Body(r);
  CHECK(Str(b, "apiVersion") == "events.k8s.io/v1");
  CHECK(Str(b, "kind") == "Event");
  CHECK(Str(b, "note") == "assigned default/api to node-1");
  CHECK(Str(b, "regarding.name") == "api");
  CHECK(Str(b, "deprecatedSource.component") == "default-scheduler");
  CHECK(Str(b, "deprecatedFirstTimestamp") == "2024-05-01T10:00:00Z");
  CHECK(Int(b, "deprecatedCount") == 1);
  CHECK_FALSE(Has(b, "message"));
  CHECK_FALSE(Has(b, "involvedObject"));
  CHECK_FALSE(Has(b, "count"));

  SUBCASE("a label patch through events.k8s.io/v1 of a legacy Event meets the v1 rules") {
    // kcluster applies the events.k8s.io/v1 create rules to every body of that version; a
    // legacy Event (no eventTime, deprecated fields set) cannot be written back through it.
    HttpResponse p =
        s.Patch(std::string(kEventsV1) + "/api.1", R"({"metadata":{"labels":{"a":"b"}}})",
                "application/merge-patch+json");
    CHECK(p.status == 422);
    CHECK(Str(Body(p), "message").find("eventTime: Required value") != std::string::npos);
  }
  SUBCASE("the same patch through core/v1 works") {
    HttpResponse p =
        s.Patch(std::string(kCoreEvents) + "/api.1", R"({"metadata":{"labels":{"a":"b"}}})",
                "application/merge-patch+json");
    CHECK(p.status == 200);
  }
}

TEST_CASE("version conversion: WATCH through events.k8s.io/v1 sees core/v1 writes") {
  Server s;
  REQUIRE(s.Do("POST", kCoreEvents, CoreEvent("api.1", "api")).status == 201);
  HttpResponse r = s.Do("GET", std::string(kEventsV1) + "?watch=true&resourceVersion=0");
  REQUIRE(r.stream);
  r.stream->Start([] {});
  std::string first = PullUntil(*r.stream, "\n");
  REQUIRE(first.find('\n') != std::string::npos);
  json::object ev = Obj(first.substr(0, first.find('\n')));
  CHECK(Str(ev, "type") == "ADDED");
  CHECK(Str(ev, "object.apiVersion") == "events.k8s.io/v1");
  CHECK(Str(ev, "object.note") == "assigned default/api to node-1");
  CHECK(Str(ev, "object.regarding.name") == "api");
  CHECK_FALSE(Has(ev, "object.message"));

  REQUIRE(s.Do("POST", kCoreEvents, CoreEvent("db.1", "db")).status == 201);
  std::string next = PullUntil(*r.stream, "db.1");
  size_t at = next.find(R"({"type":"ADDED")");
  REQUIRE(at != std::string::npos);
  json::object added = Obj(next.substr(at, next.find('\n', at) - at));
  CHECK(Str(added, "object.metadata.name") == "db.1");
  CHECK(Str(added, "object.apiVersion") == "events.k8s.io/v1");
  CHECK(Str(added, "object.regarding.name") == "db");
  r.stream->Cancel();
}

TEST_CASE("version conversion: Event field selectors") {
  Server s;
  REQUIRE(s.Do("POST", kCoreEvents, CoreEvent("api.1", "api")).status == 201);
  REQUIRE(s.Do("POST", kEventsV1, EventsV1Event("web.1", "web")).status == 201);
  auto names = [&](const std::string& path, const std::string& selector) {
    HttpResponse r = s.Do("GET", path + "?fieldSelector=" + selector);
    REQUIRE(r.status == 200);
    return Names(Body(r));
  };
  using V = std::vector<std::string>;
  SUBCASE("core/v1") {
    CHECK(names(kCoreEvents, "involvedObject.name=web") == V{"web.1"});
    CHECK(names(kCoreEvents, "involvedObject.name=api,involvedObject.kind=Pod") == V{"api.1"});
    CHECK(names(kCoreEvents, "involvedObject.name!=api") == V{"web.1"});
    CHECK(names(kCoreEvents, "metadata.name=api.1") == V{"api.1"});
    CHECK(names(kCoreEvents, "metadata.namespace=default").size() == 2);
    CHECK(names(kCoreEvents, "reportingComponent=kcluster.io/test") == V{"web.1"});
    CHECK(names(kCoreEvents, "source=default-scheduler") == V{"api.1"});  // source.component
    CHECK(names(kCoreEvents, "reason=Pulling") == V{"web.1"});
  }
  SUBCASE("events.k8s.io/v1 labels select the stored core fields") {
    CHECK(names(kEventsV1, "regarding.name=api") == V{"api.1"});
    CHECK(names(kEventsV1, "regarding.name=web,regarding.kind=Pod") == V{"web.1"});
    CHECK(names(kEventsV1, "reportingController=kcluster.io/test") == V{"web.1"});
    CHECK(names(kEventsV1, "metadata.name=web.1") == V{"web.1"});
    CHECK(names(kEventsV1, "type=Normal").size() == 2);
  }
  SUBCASE("each version's labels only, as upstream") {
    HttpResponse r = s.Do("GET", std::string(kCoreEvents) + "?fieldSelector=regarding.name=web");
    CHECK(r.status == 400);
    CHECK(Str(Body(r), "message") == "field label not supported: regarding.name");
    r = s.Do("GET", std::string(kEventsV1) + "?fieldSelector=involvedObject.name=web");
    CHECK(r.status == 400);
    CHECK(Str(Body(r), "message") == "field label not supported: involvedObject.name");
    r = s.Do("GET", std::string(kEventsV1) + "?fieldSelector=note=x");
    CHECK(r.status == 400);
  }
  SUBCASE("a watch through events.k8s.io/v1 filters on the converted label") {
    HttpResponse r =
        s.Do("GET", std::string(kEventsV1) + "?watch=true&fieldSelector=regarding.name=db");
    REQUIRE(r.stream);
    r.stream->Start([] {});
    REQUIRE(s.Do("POST", kCoreEvents, CoreEvent("other.1", "other")).status == 201);
    REQUIRE(s.Do("POST", kCoreEvents, CoreEvent("db.1", "db")).status == 201);
    std::string got = PullUntil(*r.stream, "db.1");
    CHECK(got.find("db.1") != std::string::npos);
    CHECK(got.find("other.1") == std::string::npos);
    CHECK(got.find("web.1") == std::string::npos);
    r.stream->Cancel();
  }
  SUBCASE("escaped values survive the label rewrite") {
    // regarding.name is not validated; the selector value must still reach the matcher intact.
    REQUIRE(s.Do("POST", kEventsV1, EventsV1Event("odd.1", "a,b=c")).status == 201);
    CHECK(names(kEventsV1, "regarding.name=a\\,b\\=c") == V{"odd.1"});
    CHECK(names(kEventsV1, "regarding.name!=a\\,b\\=c") == V{"api.1", "web.1"});
  }
}

}  // namespace
}  // namespace kc::apiserver
