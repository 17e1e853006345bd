#include "pkg/api/field_set.h"

#include <doctest/doctest.h>

#include <algorithm>
#include <string>
#include <vector>

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>

namespace kc::api {
namespace {

// fieldsV1 bodies as a real API server writes them (kubectl create / controller-manager /
// kubelet / service controller), byte for byte.
const char* kRealFieldsV1[] = {
    // Deployment created by `kubectl create deployment`.
    R"({"f:metadata":{"f:labels":{".":{},"f:app":{}}},"f:spec":{"f:progressDeadlineSeconds":{},"f:replicas":{},"f:revisionHistoryLimit":{},"f:selector":{},"f:strategy":{"f:rollingUpdate":{".":{},"f:maxSurge":{},"f:maxUnavailable":{}},"f:type":{}},"f:template":{"f:metadata":{"f:labels":{".":{},"f:app":{}}},"f:spec":{"f:containers":{"k:{\"name\":\"nginx\"}":{".":{},"f:image":{},"f:imagePullPolicy":{},"f:name":{},"f:resources":{},"f:terminationMessagePath":{},"f:terminationMessagePolicy":{}}},"f:dnsPolicy":{},"f:restartPolicy":{},"f:schedulerName":{},"f:securityContext":{},"f:terminationGracePeriodSeconds":{}}}}})",
    // Deployment status written by kube-controller-manager.
    R"({"f:metadata":{"f:annotations":{".":{},"f:deployment.kubernetes.io/revision":{}}},"f:status":{"f:availableReplicas":{},"f:conditions":{".":{},"k:{\"type\":\"Available\"}":{".":{},"f:lastTransitionTime":{},"f:lastUpdateTime":{},"f:message":{},"f:reason":{},"f:status":{},"f:type":{}},"k:{\"type\":\"Progressing\"}":{".":{},"f:lastTransitionTime":{},"f:lastUpdateTime":{},"f:message":{},"f:reason":{},"f:status":{},"f:type":{}}},"f:observedGeneration":{},"f:readyReplicas":{},"f:replicas":{},"f:updatedReplicas":{}}})",
    // Pod container ports, env and volume mounts.
    R"({"f:spec":{"f:containers":{"k:{\"name\":\"web\"}":{".":{},"f:env":{".":{},"k:{\"name\":\"MODE\"}":{".":{},"f:name":{},"f:value":{}}},"f:image":{},"f:name":{},"f:ports":{".":{},"k:{\"containerPort\":80,\"protocol\":\"TCP\"}":{".":{},"f:containerPort":{},"f:protocol":{}}},"f:volumeMounts":{".":{},"k:{\"mountPath\":\"/data\"}":{".":{},"f:mountPath":{},"f:name":{}}}}},"f:volumes":{".":{},"k:{\"name\":\"data\"}":{".":{},"f:emptyDir":{},"f:name":{}}}}})",
    // Service ports and a PVC finalizer.
    R"({"f:metadata":{"f:finalizers":{".":{},"v:\"kubernetes.io/pvc-protection\"":{}}},"f:spec":{"f:ports":{".":{},"k:{\"port\":80,\"protocol\":\"TCP\"}":{".":{},"f:name":{},"f:port":{},"f:protocol":{},"f:targetPort":{}}},"f:selector":{},"f:type":{}}})",
    // An Apply entry as `kubectl apply --server-side` leaves it.
    R"({"f:metadata":{"f:labels":{"f:app":{}}},"f:spec":{"f:replicas":{},"f:selector":{},"f:template":{"f:metadata":{"f:labels":{"f:app":{}}},"f:spec":{"f:containers":{"k:{\"name\":\"c\"}":{".":{},"f:image":{},"f:name":{}}}}}}})",
};

boost::json::value Parse(const char* s) { return boost::json::parse(s); }

}  // namespace

TEST_CASE("real managedFields fieldsV1 decode and re-encode byte for byte") {
  for (const char* text : kRealFieldsV1) {
    SUBCASE(text) {
      auto set = FieldSet::FromFieldsV1(Parse(text));
      REQUIRE(set.ok());
      CHECK_FALSE(set->Empty());
      CHECK(boost::json::serialize(set->ToFieldsV1()) == text);
      auto again = FieldSet::FromFieldsV1(set->ToFieldsV1());
      REQUIRE(again.ok());
      CHECK(*again == *set);
    }
  }
}

TEST_CASE("decoded paths print like upstream") {
  auto set = FieldSet::FromFieldsV1(Parse(kRealFieldsV1[2]));
  REQUIRE(set.ok());
  std::vector<std::string> paths = set->ToStrings();
  auto has = [&](const std::string& p) {
    return std::find(paths.begin(), paths.end(), p) != paths.end();
  };
  CHECK(has(".spec.containers[name=\"web\"]"));
  CHECK(has(".spec.containers[name=\"web\"].image"));
  CHECK(has(".spec.containers[name=\"web\"].ports[containerPort=80,protocol=\"TCP\"]"));
  CHECK(has(".spec.containers[name=\"web\"].ports"));
  CHECK(has(".spec.volumes[name=\"data\"].emptyDir"));
  // Pure containers are not members.
  CHECK_FALSE(has(".spec"));
  CHECK_FALSE(has(".spec.containers"));
}

TEST_CASE("malformed fieldsV1 is a BadRequest") {
  const char* bad[] = {
      R"([])",
      R"({"f:spec":1})",
      R"({"x:spec":{}})",
      R"({".":{}})",
      R"({"f:spec":{"k:notjson":{}}})",
  };
  for (const char* text : bad) {
    SUBCASE(text) {
      auto set = FieldSet::FromFieldsV1(Parse(text));
      REQUIRE_FALSE(set.ok());
      CHECK(set.status().reason() == Reason::kBadRequest);
    }
  }
}

TEST_CASE("FromObject lists leaves, keyed items and sets") {
  auto obj = Parse(R"({
    "apiVersion": "apps/v1", "kind": "Deployment",
    "metadata": {"name": "web", "labels": {"app": "web"}, "finalizers": ["example.com/x"],
                 "ownerReferences": [{"uid": "u1", "name": "o", "kind": "K", "apiVersion": "v1"}]},
    "spec": {
      "replicas": 3,
      "selector": {"matchLabels": {"app": "web"}},
      "template": {"spec": {
        "containers": [{"name": "web", "image": "nginx", "args": ["a", "b"],
                        "ports": [{"containerPort": 80}],
                        "env": [{"name": "A", "value": "1"}],
                        "resources": {}}],
        "tolerations": [{"key": "k"}],
        "nodeSelector": {"disk": "ssd"}
      }}
    }
  })");
  FieldSet set = FieldSet::FromObject(obj, "apps", "Deployment");
  std::vector<std::string> want = {
      ".apiVersion",
      ".kind",
      ".metadata.finalizers[=\"example.com/x\"]",
      ".metadata.labels.app",
      ".metadata.name",
      ".metadata.ownerReferences[uid=\"u1\"]",
      ".metadata.ownerReferences[uid=\"u1\"].apiVersion",
      ".metadata.ownerReferences[uid=\"u1\"].kind",
      ".metadata.ownerReferences[uid=\"u1\"].name",
      ".metadata.ownerReferences[uid=\"u1\"].uid",
      ".spec.replicas",
      ".spec.selector",
      ".spec.template.spec.containers[name=\"web\"]",
      ".spec.template.spec.containers[name=\"web\"].args",
      ".spec.template.spec.containers[name=\"web\"].env[name=\"A\"]",
      ".spec.template.spec.containers[name=\"web\"].env[name=\"A\"].name",
      ".spec.template.spec.containers[name=\"web\"].env[name=\"A\"].value",
      ".spec.template.spec.containers[name=\"web\"].image",
      ".spec.template.spec.containers[name=\"web\"].name",
      // protocol defaults to TCP in the key, as upstream's schema default does
      ".spec.template.spec.containers[name=\"web\"].ports[containerPort=80,protocol=\"TCP\"]",
      ".spec.template.spec.containers[name=\"web\"].ports[containerPort=80,protocol=\"TCP\"]"
      ".containerPort",
      ".spec.template.spec.containers[name=\"web\"].resources",
      ".spec.template.spec.nodeSelector",
      ".spec.template.spec.tolerations",
  };
  CHECK(set.ToStrings() == want);
}

TEST_CASE("FromObject keys Service ports by port and protocol") {
  auto obj = Parse(R"({"spec": {"ports": [{"port": 80, "targetPort": 8080},
                                          {"port": 53, "protocol": "UDP"}]}})");
  FieldSet set = FieldSet::FromObject(obj, "", "Service");
  auto fv1 = boost::json::serialize(set.ToFieldsV1());
  CHECK(fv1 ==
        R"({"f:spec":{"f:ports":{"k:{\"port\":53,\"protocol\":\"UDP\"}":{".":{},"f:port":{},"f:protocol":{}},"k:{\"port\":80,\"protocol\":\"TCP\"}":{".":{},"f:port":{},"f:targetPort":{}}}}})");
  // EndpointSlice ports are atomic.
  FieldSet eps = FieldSet::FromObject(Parse(R"({"ports": [{"port": 80}]})"), "discovery.k8s.io",
                                      "EndpointSlice");
  CHECK(eps.ToStrings() == std::vector<std::string>{".ports"});
}

TEST_CASE("FromObject falls back to atomic for unusable keys; FromAppliedObject rejects them") {
  struct Case {
    const char* name;
    const char* obj;
    const char* error;
  };
  Case cases[] = {
      {"missing key", R"({"spec":{"containers":[{"image":"x"}]}})",
       "failed to create typed patch object (/v1, Kind=Pod): .spec.containers: element 0: "
       "associative list with keys has an element that omits key field \"name\" (and doesn't "
       "have default value)"},
      {"duplicate key", R"({"spec":{"containers":[{"name":"a"},{"name":"a"}]}})",
       "failed to create typed patch object (/v1, Kind=Pod): .spec.containers: duplicate "
       "entries for key [name=\"a\"]"},
      {"non-map item", R"({"spec":{"containers":["a"]}})",
       "failed to create typed patch object (/v1, Kind=Pod): .spec.containers: element 0: "
       "associative list with keys may not have non-map elements"},
  };
  for (const Case& c : cases) {
    SUBCASE(c.name) {
      auto obj = Parse(c.obj);
      FieldSet lenient = FieldSet::FromObject(obj, "", "Pod");
      CHECK(lenient.ToStrings() == std::vector<std::string>{".spec.containers"});
      auto strict = FieldSet::FromAppliedObject(obj, "", "v1", "Pod");
      REQUIRE_FALSE(strict.ok());
      CHECK(strict.status().reason() == Reason::kBadRequest);
      CHECK(strict.status().message() == c.error);
    }
  }
}

TEST_CASE("set algebra") {
  FieldSet a, b;
  a.Insert(MakeFieldPath({"spec", "replicas"}));
  a.Insert(MakeFieldPath({"spec", "paused"}));
  b.Insert(MakeFieldPath({"spec", "replicas"}));
  b.Insert(MakeFieldPath({"status", "replicas"}));

  CHECK(a.Union(b).Size() == 3);
  CHECK(a.Intersection(b).ToStrings() == std::vector<std::string>{".spec.replicas"});
  CHECK(a.Difference(b).ToStrings() == std::vector<std::string>{".spec.paused"});
  CHECK(b.Difference(b).Empty());
  CHECK(FieldSet().Empty());

  FieldSet status;
  status.Insert(MakeFieldPath({"status"}));
  CHECK(b.RecursiveDifference(status).ToStrings() == std::vector<std::string>{".spec.replicas"});
  // Plain Difference only removes exact paths.
  CHECK(b.Difference(status).Size() == 2);

  CHECK(a.HasPrefix(MakeFieldPath({"spec"})));
  CHECK_FALSE(a.HasPrefix(MakeFieldPath({"status"})));
  CHECK(a.WithFieldPrefixes().Has(MakeFieldPath({"spec"})));
  CHECK(a.WithFieldPrefixes().Size() == 3);
}

TEST_CASE("a member with children encodes the '.' marker") {
  FieldSet s;
  s.Insert(MakeFieldPath({"metadata", "labels"}));
  s.Insert(MakeFieldPath({"metadata", "labels", "app"}));
  s.Insert(MakeFieldPath({"spec", "replicas"}));
  CHECK(boost::json::serialize(s.ToFieldsV1()) ==
        R"({"f:metadata":{"f:labels":{".":{},"f:app":{}}},"f:spec":{"f:replicas":{}}})");
  CHECK(boost::json::serialize(FieldSet().ToFieldsV1()) == "{}");
}

}  // namespace kc::api
