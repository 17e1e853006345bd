#include "pkg/api/hpa_conversion.h"

#include <doctest/doctest.h>

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>

#include "pkg/api/validation_test_util.h"

namespace kc::api {
namespace {

namespace json = boost::json;
using testing::Obj;
using testing::RI;

const json::object& Annotations(const json::object& obj) {
  return obj.at("metadata").at("annotations").as_object();
}

json::value AnnotationJson(const json::object& obj, std::string_view key) {
  return json::parse(Annotations(obj).at(key).as_string());
}

// A defaulted v2 HPA with every part v1 cannot express.
constexpr const char* kFullV2 = R"({
  "apiVersion":"autoscaling/v2","kind":"HorizontalPodAutoscaler",
  "metadata":{"name":"web","namespace":"default","annotations":{"team":"a"}},
  "spec":{
    "scaleTargetRef":{"apiVersion":"apps/v1","kind":"Deployment","name":"web"},
    "minReplicas":2,"maxReplicas":10,
    "metrics":[
      {"type":"Resource","resource":{"name":"memory",
        "target":{"type":"AverageValue","averageValue":"500Mi"}}},
      {"type":"Pods","pods":{"metric":{"name":"qps","selector":{"matchLabels":{"a":"b"}}},
        "target":{"type":"AverageValue","averageValue":"10"}}},
      {"type":"Object","object":{
        "describedObject":{"apiVersion":"networking.k8s.io/v1","kind":"Ingress","name":"main"},
        "metric":{"name":"hits"},"target":{"type":"Value","value":"2k"}}},
      {"type":"External","external":{"metric":{"name":"queue"},
        "target":{"type":"AverageValue","averageValue":"30"}}},
      {"type":"ContainerResource","containerResource":{"name":"cpu","container":"app",
        "target":{"type":"Utilization","averageUtilization":70}}},
      {"type":"Resource","resource":{"name":"cpu",
        "target":{"type":"Utilization","averageUtilization":60}}}],
    "behavior":{
      "scaleUp":{"stabilizationWindowSeconds":0,"selectPolicy":"Max",
        "policies":[{"type":"Pods","value":4,"periodSeconds":15},
                    {"type":"Percent","value":100,"periodSeconds":15}]},
      "scaleDown":{"stabilizationWindowSeconds":300,"selectPolicy":"Min",
        "policies":[{"type":"Percent","value":10,"periodSeconds":60}]}}},
  "status":{
    "observedGeneration":3,"lastScaleTime":"2024-05-01T10:00:00Z",
    "currentReplicas":3,"desiredReplicas":4,
    "currentMetrics":[
      {"type":"Resource","resource":{"name":"cpu",
        "current":{"averageValue":"250m","averageUtilization":45}}},
      {"type":"Pods","pods":{"metric":{"name":"qps"},"current":{"averageValue":"12"}}},
      {"type":"External","external":{"metric":{"name":"queue"},
        "current":{"value":"0","averageValue":"25"}}}],
    "conditions":[
      {"type":"AbleToScale","status":"True","lastTransitionTime":"2024-05-01T09:00:00Z",
       "reason":"ReadyForNewScale","message":"recommended size matches current size"},
      {"type":"ScalingActive","status":"True","lastTransitionTime":"2024-05-01T09:00:00Z",
       "reason":"ValidMetricFound","message":"the HPA was able to compute the replica count"}]}})";

TEST_CASE("hpa conversion: v1 to v2") {
  SUBCASE("cpu target becomes a Resource Utilization metric") {
    json::object obj = Obj(R"({"apiVersion":"autoscaling/v1","kind":"HorizontalPodAutoscaler",
      "metadata":{"name":"web","namespace":"default"},
      "spec":{"scaleTargetRef":{"apiVersion":"apps/v1","kind":"Deployment","name":"web"},
        "minReplicas":1,"maxReplicas":5,"targetCPUUtilizationPercentage":50}})");
    REQUIRE(ConvertHpaV1ToV2(obj).ok());
    CHECK(obj == Obj(R"({"apiVersion":"autoscaling/v2","kind":"HorizontalPodAutoscaler",
      "metadata":{"name":"web","namespace":"default"},
      "spec":{"scaleTargetRef":{"apiVersion":"apps/v1","kind":"Deployment","name":"web"},
        "minReplicas":1,"maxReplicas":5,
        "metrics":[{"type":"Resource","resource":{"name":"cpu",
          "target":{"type":"Utilization","averageUtilization":50}}}]}})"));
  }
  SUBCASE("current cpu utilization becomes a cpu current metric") {
    json::object obj = Obj(R"({"apiVersion":"autoscaling/v1","spec":{"maxReplicas":3,
      "targetCPUUtilizationPercentage":80},
      "status":{"currentReplicas":2,"desiredReplicas":2,"currentCPUUtilizationPercentage":33}})");
    REQUIRE(ConvertHpaV1ToV2(obj).ok());
    CHECK(obj.at("status") == json::parse(R"({"currentReplicas":2,"desiredReplicas":2,
      "currentMetrics":[{"type":"Resource","resource":{"name":"cpu",
        "current":{"averageUtilization":33}}}]})"));
  }
  SUBCASE("no target: conversion adds the 80% cpu metric, v2 defaulting keeps it") {
    json::object obj = Obj(R"({"apiVersion":"autoscaling/v1","kind":"HorizontalPodAutoscaler",
      "metadata":{"name":"web"},"spec":{"scaleTargetRef":{"kind":"Deployment","name":"web"},
      "maxReplicas":4}})");
    REQUIRE(ConvertHpaV1ToV2(obj).ok());
    json::value want = json::parse(R"([{"type":"Resource","resource":{"name":"cpu",
      "target":{"type":"Utilization","averageUtilization":80}}}])");
    CHECK(obj.at("spec").at("metrics") == want);
    ApplyDefaults(RI("autoscaling", "HorizontalPodAutoscaler", "v2"), obj);
    CHECK(obj.at("spec").at("metrics") == want);
    CHECK(obj.at("spec").at("minReplicas") == 1);
    CHECK_FALSE(obj.at("spec").as_object().contains("behavior"));
  }
  SUBCASE("missing spec gets the default metric") {
    json::object obj = Obj(R"({"apiVersion":"autoscaling/v1","metadata":{"name":"x"}})");
    REQUIRE(ConvertHpaV1ToV2(obj).ok());
    CHECK(obj.at("spec").at("metrics").at(0).at("resource").at("target").at(
              "averageUtilization") == 80);
    CHECK_FALSE(obj.contains("status"));
  }
  SUBCASE("legacy alpha metrics annotation from a v1 client, before the cpu target") {
    json::object obj = Obj(R"({"apiVersion":"autoscaling/v1",
      "metadata":{"name":"web","annotations":{
        "autoscaling.alpha.kubernetes.io/metrics":
          "[{\"type\":\"Pods\",\"pods\":{\"metricName\":\"qps\",\"targetAverageValue\":\"5\"}}]"}},
      "spec":{"maxReplicas":4,"targetCPUUtilizationPercentage":70}})");
    REQUIRE(ConvertHpaV1ToV2(obj).ok());
    CHECK(obj.at("spec").at("metrics") == json::parse(R"([
      {"type":"Pods","pods":{"metric":{"name":"qps"},
        "target":{"type":"AverageValue","averageValue":"5"}}},
      {"type":"Resource","resource":{"name":"cpu",
        "target":{"type":"Utilization","averageUtilization":70}}}])"));
    // The round-trip annotation is consumed, and the map it leaves empty goes with it.
    CHECK_FALSE(obj.at("metadata").as_object().contains("annotations"));
  }
  SUBCASE("annotation keys match case-insensitively, as encoding/json does") {
    json::object obj = Obj(R"({"apiVersion":"autoscaling/v1",
      "metadata":{"annotations":{"keep":"me",
        "autoscaling.alpha.kubernetes.io/behavior":
          "{\"scaleDown\":{\"stabilizationWindowSeconds\":60,\"policies\":[{\"type\":\"Pods\",\"value\":1,\"periodSeconds\":30}]}}"}},
      "spec":{"maxReplicas":4}})");
    REQUIRE(ConvertHpaV1ToV2(obj).ok());
    CHECK(obj.at("spec").at("behavior") == json::parse(R"({"scaleDown":{
      "stabilizationWindowSeconds":60,
      "policies":[{"type":"Pods","value":1,"periodSeconds":30}]}})"));
    CHECK(Annotations(obj) == json::parse(R"({"keep":"me"})"));
  }
  SUBCASE("v2-only fields in a v1 body are dropped") {
    json::object obj = Obj(R"({"apiVersion":"autoscaling/v1","spec":{"maxReplicas":2,
      "targetCPUUtilizationPercentage":40,
      "metrics":[{"type":"Pods"}],"behavior":{"scaleUp":{}}},
      "status":{"conditions":[{"type":"X"}],"currentMetrics":[]}})");
    REQUIRE(ConvertHpaV1ToV2(obj).ok());
    CHECK(obj.at("spec").at("metrics").as_array().size() == 1);
    CHECK_FALSE(obj.at("spec").as_object().contains("behavior"));
    CHECK(obj.at("status").as_object().empty());
  }
}

TEST_CASE("hpa conversion: v2 to v1") {
  SUBCASE("cpu metric only: no annotations") {
    json::object obj = Obj(R"({"apiVersion":"autoscaling/v2","kind":"HorizontalPodAutoscaler",
      "metadata":{"name":"web"},
      "spec":{"scaleTargetRef":{"kind":"Deployment","name":"web"},"minReplicas":1,
        "maxReplicas":5,"metrics":[{"type":"Resource","resource":{"name":"cpu",
          "target":{"type":"Utilization","averageUtilization":50}}}]},
      "status":{"currentReplicas":1,"desiredReplicas":1}})");
    ConvertHpaV2ToV1(obj);
    CHECK(obj == Obj(R"({"apiVersion":"autoscaling/v1","kind":"HorizontalPodAutoscaler",
      "metadata":{"name":"web"},
      "spec":{"scaleTargetRef":{"kind":"Deployment","name":"web"},"minReplicas":1,
        "maxReplicas":5,"targetCPUUtilizationPercentage":50},
      "status":{"currentReplicas":1,"desiredReplicas":1}})"));
  }
  SUBCASE("everything else goes to the alpha annotations in the v1 shapes") {
    json::object obj = Obj(kFullV2);
    ConvertHpaV2ToV1(obj);
    CHECK(obj.at("apiVersion") == "autoscaling/v1");
    CHECK(obj.at("spec") == json::parse(R"({
      "scaleTargetRef":{"apiVersion":"apps/v1","kind":"Deployment","name":"web"},
      "minReplicas":2,"maxReplicas":10,"targetCPUUtilizationPercentage":60})"));
    CHECK(obj.at("status") == json::parse(R"({"observedGeneration":3,
      "lastScaleTime":"2024-05-01T10:00:00Z","currentReplicas":3,"desiredReplicas":4,
      "currentCPUUtilizationPercentage":45})"));
    CHECK(Annotations(obj).at("team") == "a");
    CHECK(AnnotationJson(obj, kHpaMetricsAnnotation) == json::parse(R"([
      {"type":"Resource","resource":{"name":"memory","targetAverageValue":"500Mi"}},
      {"type":"Pods","pods":{"metricName":"qps","targetAverageValue":"10",
        "selector":{"matchLabels":{"a":"b"}}}},
      {"type":"Object","object":{
        "target":{"kind":"Ingress","name":"main","apiVersion":"networking.k8s.io/v1"},
        "metricName":"hits","targetValue":"2k"}},
      {"type":"External","external":{"metricName":"queue","targetAverageValue":"30"}},
      {"type":"ContainerResource","containerResource":{"name":"cpu",
        "targetAverageUtilization":70,"container":"app"}}])"));
    // Every current metric is kept, the cpu one too (its raw value has no v1 field).
    CHECK(AnnotationJson(obj, kHpaCurrentMetricsAnnotation) == json::parse(R"([
      {"type":"Resource","resource":{"name":"cpu","currentAverageUtilization":45,
        "currentAverageValue":"250m"}},
      {"type":"Pods","pods":{"metricName":"qps","currentAverageValue":"12"}},
      {"type":"External","external":{"metricName":"queue","currentValue":"0",
        "currentAverageValue":"25"}}])"));
    CHECK(AnnotationJson(obj, kHpaConditionsAnnotation).as_array().size() == 2);
    CHECK(AnnotationJson(obj, kHpaConditionsAnnotation).at(0) == json::parse(R"(
      {"type":"AbleToScale","status":"True","lastTransitionTime":"2024-05-01T09:00:00Z",
       "reason":"ReadyForNewScale","message":"recommended size matches current size"})"));
    // behavior is upstream's internal struct, marshalled without json tags.
    CHECK(Annotations(obj).at(kHpaBehaviorAnnotation) ==
          R"({"ScaleUp":{"StabilizationWindowSeconds":0,"SelectPolicy":"Max",)"
          R"("Policies":[{"Type":"Pods","Value":4,"PeriodSeconds":15},)"
          R"({"Type":"Percent","Value":100,"PeriodSeconds":15}]},)"
          R"("ScaleDown":{"StabilizationWindowSeconds":300,"SelectPolicy":"Min",)"
          R"("Policies":[{"Type":"Percent","Value":10,"PeriodSeconds":60}]}})");
  }
  SUBCASE("nil scaling rules marshal as null") {
    json::object obj = Obj(R"({"apiVersion":"autoscaling/v2","metadata":{},
      "spec":{"metrics":[],"behavior":{"scaleDown":{"selectPolicy":"Disabled"}}}})");
    ConvertHpaV2ToV1(obj);
    CHECK(Annotations(obj).at(kHpaBehaviorAnnotation) ==
          R"({"ScaleUp":null,"ScaleDown":{"StabilizationWindowSeconds":null,)"
          R"("SelectPolicy":"Disabled","Policies":null}})");
    CHECK_FALSE(obj.at("spec").as_object().contains("targetCPUUtilizationPercentage"));
  }
  SUBCASE("stale round-trip annotations on the stored object never reach v1 clients") {
    json::object obj = Obj(R"({"apiVersion":"autoscaling/v2","metadata":{"annotations":{
      "autoscaling.alpha.kubernetes.io/metrics":"[]",
      "autoscaling.alpha.kubernetes.io/conditions":"junk"}},
      "spec":{"metrics":[{"type":"Resource","resource":{"name":"cpu",
        "target":{"type":"Utilization","averageUtilization":20}}}]}})");
    ConvertHpaV2ToV1(obj);
    CHECK_FALSE(obj.at("metadata").as_object().contains("annotations"));
    CHECK(obj.at("spec").at("targetCPUUtilizationPercentage") == 20);
  }
  SUBCASE("the first cpu utilization target wins; the second is lost as upstream") {
    json::object obj = Obj(R"({"spec":{"metrics":[
      {"type":"Resource","resource":{"name":"cpu","target":{"type":"Utilization","averageUtilization":30}}},
      {"type":"Resource","resource":{"name":"cpu","target":{"type":"Utilization","averageUtilization":90}}}]}})");
    ConvertHpaV2ToV1(obj);
    CHECK(obj.at("spec").at("targetCPUUtilizationPercentage") == 30);
    CHECK_FALSE(obj.contains("metadata"));
  }
}

TEST_CASE("hpa conversion: round trips") {
  SUBCASE("v2 -> v1 -> v2 keeps metrics, behavior, current metrics and conditions") {
    const json::object original = Obj(kFullV2);
    json::object obj = original;
    ConvertHpaV2ToV1(obj);
    // What a v1 client sends back after reading (kubectl edit/replace) is the same object.
    json::object resent = json::parse(json::serialize(obj)).as_object();
    REQUIRE(ConvertHpaV1ToV2(resent).ok());
    CHECK(resent == original);
    if (resent != original) MESSAGE(json::serialize(resent));
  }
  SUBCASE("a cpu target listed before other metrics comes back last (upstream order)") {
    json::object obj = Obj(R"({"apiVersion":"autoscaling/v2","spec":{"metrics":[
      {"type":"Resource","resource":{"name":"cpu","target":{"type":"Utilization","averageUtilization":50}}},
      {"type":"Resource","resource":{"name":"memory","target":{"type":"Utilization","averageUtilization":60}}}]}})");
    ConvertHpaV2ToV1(obj);
    REQUIRE(ConvertHpaV1ToV2(obj).ok());
    CHECK(obj.at("spec").at("metrics").at(0).at("resource").at("name") == "memory");
    CHECK(obj.at("spec").at("metrics").at(1).at("resource").at("name") == "cpu");
  }
  SUBCASE("an Object AverageValue target gains value 0, as upstream's v1 shape forces") {
    json::object obj = Obj(R"({"spec":{"metrics":[{"type":"Object","object":{
      "describedObject":{"kind":"Service","name":"s"},"metric":{"name":"rps"},
      "target":{"type":"AverageValue","averageValue":"3"}}}]}})");
    ConvertHpaV2ToV1(obj);
    REQUIRE(ConvertHpaV1ToV2(obj).ok());
    CHECK(obj.at("spec").at("metrics").at(0).at("object").at("target") ==
          json::parse(R"({"type":"AverageValue","value":"0","averageValue":"3"})"));
  }
  SUBCASE("v1 -> v2 -> v1 is the identity for a plain v1 object") {
    const json::object original = Obj(R"({"apiVersion":"autoscaling/v1",
      "kind":"HorizontalPodAutoscaler","metadata":{"name":"web","annotations":{"x":"y"}},
      "spec":{"scaleTargetRef":{"kind":"Deployment","name":"web"},"minReplicas":1,
        "maxReplicas":3,"targetCPUUtilizationPercentage":75},
      "status":{"currentReplicas":1,"desiredReplicas":1,"currentCPUUtilizationPercentage":12}})");
    json::object obj = original;
    REQUIRE(ConvertHpaV1ToV2(obj).ok());
    ConvertHpaV2ToV1(obj);
    // The cpu current metric now also travels in current-metrics, with the zero raw value.
    CHECK(AnnotationJson(obj, kHpaCurrentMetricsAnnotation) == json::parse(R"(
      [{"type":"Resource","resource":{"name":"cpu","currentAverageUtilization":12,
        "currentAverageValue":"0"}}])"));
    obj.at("metadata").as_object().at("annotations").as_object().erase(
        kHpaCurrentMetricsAnnotation);
    CHECK(obj == original);
  }
}

TEST_CASE("hpa conversion: malformed input never crashes") {
  SUBCASE("non-int32 cpu target is a decode error and leaves the object alone") {
    struct Case {
      const char* body;
      const char* message;
    };
    const Case cases[] = {
        {R"({"spec":{"targetCPUUtilizationPercentage":"50"}})",
         "json: cannot unmarshal string into Go struct field "
         "HorizontalPodAutoscalerSpec.spec.targetCPUUtilizationPercentage of type int32"},
        {R"({"spec":{"targetCPUUtilizationPercentage":1.5}})",
         "json: cannot unmarshal number 1.5 into Go struct field "
         "HorizontalPodAutoscalerSpec.spec.targetCPUUtilizationPercentage of type int32"},
        {R"({"spec":{"targetCPUUtilizationPercentage":3000000000}})",
         "json: cannot unmarshal number 3000000000 into Go struct field "
         "HorizontalPodAutoscalerSpec.spec.targetCPUUtilizationPercentage of type int32"},
        {R"({"status":{"currentCPUUtilizationPercentage":{}}})",
         "json: cannot unmarshal object into Go struct field "
         "HorizontalPodAutoscalerStatus.status.currentCPUUtilizationPercentage of type int32"},
    };
    for (const Case& c : cases) {
      std::string body = c.body;
      CAPTURE(body);
      json::object obj = Obj(c.body);
      const json::object before = obj;
      Status s = ConvertHpaV1ToV2(obj);
      CHECK(s.reason() == Reason::kBadRequest);
      CHECK(s.message() ==
            std::string("HorizontalPodAutoscaler in version \"v1\" cannot be handled as a "
                        "HorizontalPodAutoscaler: ") +
                c.message);
      CHECK(obj == before);
    }
  }
  SUBCASE("unusable annotations are ignored and removed") {
    const char* annotations[] = {
        "not json",
        "{}",                                                    // not an array
        R"([{"type":"Pods","pods":{"metricName":5}}])",          // wrong field type
        R"([{"type":"Pods","pods":{"targetAverageValue":"x1","currentAverageValue":"1x"}}])",
        R"([3])",
    };
    for (const char* a : annotations) {
      std::string text = a;
      CAPTURE(text);
      json::object obj = Obj(R"({"metadata":{},"spec":{"targetCPUUtilizationPercentage":10}})");
      json::object& ann = obj.at("metadata").as_object()["annotations"].emplace_object();
      ann[kHpaMetricsAnnotation] = a;
      ann[kHpaCurrentMetricsAnnotation] = a;
      ann[kHpaConditionsAnnotation] = R"([{"type":"AbleToScale","status":true}])";
      ann[kHpaBehaviorAnnotation] = a;
      REQUIRE(ConvertHpaV1ToV2(obj).ok());
      CHECK(obj.at("spec") == json::parse(R"({"metrics":[{"type":"Resource","resource":
        {"name":"cpu","target":{"type":"Utilization","averageUtilization":10}}}]})"));
      CHECK_FALSE(obj.contains("status"));
      CHECK_FALSE(obj.at("metadata").as_object().contains("annotations"));
    }
  }
  SUBCASE("zero-valued behavior annotation is ignored") {
    json::object obj = Obj(R"({"metadata":{"annotations":{
      "autoscaling.alpha.kubernetes.io/behavior":"{\"ScaleUp\":null}"}},"spec":{}})");
    REQUIRE(ConvertHpaV1ToV2(obj).ok());
    CHECK_FALSE(obj.at("spec").as_object().contains("behavior"));
  }
  SUBCASE("wrong types in v1 input") {
    const char* bodies[] = {
        R"({"spec":"x","status":7,"metadata":[]})",
        R"({"metadata":{"annotations":"x"},"spec":null,"status":null})",
        R"({"metadata":{"annotations":{"autoscaling.alpha.kubernetes.io/metrics":5}}})",
        R"({"spec":{"targetCPUUtilizationPercentage":null}})",
    };
    for (const char* b : bodies) {
      std::string text = b;
      CAPTURE(text);
      json::object obj = Obj(b);
      CHECK(ConvertHpaV1ToV2(obj).ok());
      CHECK(obj.at("apiVersion") == "autoscaling/v2");
    }
  }
  SUBCASE("wrong types in v2 input are left as they are") {
    json::object obj = Obj(R"({"metadata":{"annotations":7},
      "spec":{"metrics":"x","behavior":{"scaleUp":"fast","scaleDown":{"policies":[1,{"value":"x"}]}}},
      "status":{"currentMetrics":{"a":1},"conditions":[null,"y"]}})");
    ConvertHpaV2ToV1(obj);
    CHECK(obj.at("apiVersion") == "autoscaling/v1");
    CHECK(obj.at("spec").at("metrics") == "x");
    CHECK(obj.at("status").at("currentMetrics") == json::parse(R"({"a":1})"));
    CHECK(obj.at("metadata").at("annotations") == 7);  // nowhere to put the annotations

    json::object other = Obj(R"({"spec":{"metrics":[1,null,{"type":"Resource","resource":"x"}],
      "behavior":"y"},"status":"z"})");
    ConvertHpaV2ToV1(other);
    CHECK(AnnotationJson(other, kHpaMetricsAnnotation) ==
          json::parse(R"([1,null,{"type":"Resource"}])"));
    CHECK(Annotations(other).at(kHpaBehaviorAnnotation) == "\"y\"");
    // Reading that back fails to decode, so upstream (and we) ignore it.
    REQUIRE(ConvertHpaV1ToV2(other).ok());
    CHECK(other.at("spec").at("metrics").as_array().size() == 1);
  }
}

TEST_CASE("hpa conversion: DropHpaRoundTripAnnotations") {
  json::object obj = Obj(R"({"metadata":{"annotations":{
    "autoscaling.alpha.kubernetes.io/metrics":"[]","autoscaling.alpha.kubernetes.io/behavior":"{}",
    "autoscaling.alpha.kubernetes.io/current-metrics":"[]",
    "autoscaling.alpha.kubernetes.io/conditions":"[]","other":"1"}}})");
  DropHpaRoundTripAnnotations(obj);
  CHECK(Annotations(obj) == json::parse(R"({"other":"1"})"));
  json::object empty = Obj(R"({"metadata":{"annotations":{}}})");
  DropHpaRoundTripAnnotations(empty);
  CHECK(empty.at("metadata").as_object().contains("annotations"));  // not ours to remove
  json::object odd = Obj(R"({"metadata":"x"})");
  DropHpaRoundTripAnnotations(odd);
  CHECK(odd.at("metadata") == "x");
}

}  // namespace
}  // namespace kc::api
