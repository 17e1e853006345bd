// DecodeObject on bodies shaped like the ones kubectl 1.32 sends for its `create` generators,
// `auth can-i`, `auth whoami`, `autoscale` and `create token`; each expected JSON is what kubectl
// prints for the same command with --dry-run=client -o json.
#include "pkg/protobuf/decode_object.h"

#include <doctest/doctest.h>

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>
#include <string>

#include "pkg/protobuf/test_encoder.h"

namespace kc::protobuf {
namespace {

using testing::Envelope;
using testing::GoObjectMeta;
using testing::Pb;

boost::json::object Json(const char* text) { return boost::json::parse(text).as_object(); }

void ExpectDecodes(const std::string& body, const char* expected) {
  auto got = DecodeObject(body);
  REQUIRE_MESSAGE(got.ok(), got.status().ToString());
  CHECK_MESSAGE(*got == Json(expected), boost::json::serialize(*got));
}

// A Container as Go writes it: all non-pointer fields present.
Pb GoContainer(const std::string& name, const std::string& image) {
  Pb c;
  c.Str(1, name).Str(2, image);
  return c;
}
Pb& FinishGoContainer(Pb& c) {
  c.Str(5, "").Msg(8, Pb()).Str(13, "").Str(14, "").Bool(16, false).Bool(17, false);
  c.Bool(18, false).Str(20, "");
  return c;
}

// PodSpec as Go writes it around `containers`.
Pb GoPodSpec(const Pb& container, const std::string& restart_policy) {
  Pb s;
  s.Msg(2, container).Str(3, restart_policy).Str(6, "").Str(8, "").Str(9, "").Str(10, "");
  s.Bool(11, false).Bool(12, false).Bool(13, false).Str(16, "").Str(17, "").Str(19, "");
  s.Str(24, "");
  return s;
}

TEST_CASE("DecodeObject: kubectl create generators") {
  SUBCASE("create configmap x --from-literal=a=b") {
    Pb cm;
    cm.Msg(1, GoObjectMeta("x")).Entry(2, "a", "b");
    ExpectDecodes(Envelope("v1", "ConfigMap", cm), R"({
      "kind":"ConfigMap","apiVersion":"v1",
      "metadata":{"name":"x","creationTimestamp":null},
      "data":{"a":"b"}})");
  }

  SUBCASE("create namespace foo") {
    Pb ns;
    ns.Msg(1, GoObjectMeta("foo")).Msg(2, Pb()).Msg(3, Pb().Str(1, ""));
    ExpectDecodes(Envelope("v1", "Namespace", ns), R"({
      "kind":"Namespace","apiVersion":"v1",
      "metadata":{"name":"foo","creationTimestamp":null},
      "spec":{},"status":{}})");
  }

  SUBCASE("create deployment web --image=nginx --replicas=2 --port=80") {
    Pb container = GoContainer("nginx", "nginx");
    container.Msg(6, Pb().Str(1, "").Int(2, 0).Int(3, 80).Str(4, "").Str(5, ""));
    FinishGoContainer(container);
    Pb spec;
    spec.Int(1, 2)
        .Msg(2, Pb().Entry(1, "app", "web"))
        .Msg(3, Pb().Msg(1, GoObjectMeta("", {{"app", "web"}}))
                    .Msg(2, GoPodSpec(container, "")))
        .Msg(4, Pb())
        .Int(5, 0)
        .Bool(7, false);
    Pb status;
    status.Int(1, 0).Int(2, 0).Int(3, 0).Int(4, 0).Int(5, 0).Int(7, 0);
    Pb deploy;
    deploy.Msg(1, GoObjectMeta("web", {{"app", "web"}})).Msg(2, spec).Msg(3, status);
    ExpectDecodes(Envelope("apps/v1", "Deployment", deploy), R"({
      "kind":"Deployment","apiVersion":"apps/v1",
      "metadata":{"name":"web","creationTimestamp":null,"labels":{"app":"web"}},
      "spec":{
        "replicas":2,
        "selector":{"matchLabels":{"app":"web"}},
        "template":{
          "metadata":{"creationTimestamp":null,"labels":{"app":"web"}},
          "spec":{"containers":[{"name":"nginx","image":"nginx",
                                 "ports":[{"containerPort":80}],"resources":{}}]}},
        "strategy":{}},
      "status":{}})");
  }

  SUBCASE("create secret generic s --from-literal=k=v") {
    Pb secret;
    secret.Msg(1, GoObjectMeta("s")).Msg(2, Pb().Str(1, "k").Bytes(2, "v")).Str(3, "");
    ExpectDecodes(Envelope("v1", "Secret", secret), R"({
      "kind":"Secret","apiVersion":"v1",
      "metadata":{"name":"s","creationTimestamp":null},
      "data":{"k":"dg=="}})");
  }

  SUBCASE("create job j --image=busybox -- echo hi") {
    Pb container = GoContainer("j", "busybox");
    container.Str(3, "echo").Str(3, "hi");
    FinishGoContainer(container);
    Pb job;
    job.Msg(1, GoObjectMeta("j"))
        .Msg(2, Pb().Msg(6, Pb().Msg(1, GoObjectMeta("")).Msg(2, GoPodSpec(container, "Never"))))
        .Msg(3, Pb().Int(4, 0).Int(5, 0).Int(6, 0).Str(7, ""));
    ExpectDecodes(Envelope("batch/v1", "Job", job), R"({
      "kind":"Job","apiVersion":"batch/v1",
      "metadata":{"name":"j","creationTimestamp":null},
      "spec":{"template":{
        "metadata":{"creationTimestamp":null},
        "spec":{"containers":[{"name":"j","image":"busybox","command":["echo","hi"],
                               "resources":{}}],
                "restartPolicy":"Never"}}},
      "status":{}})");
  }

  SUBCASE("create service clusterip s --tcp=80:8080") {
    Pb port;
    port.Str(1, "80-8080").Str(2, "TCP").Int(3, 80)
        .Msg(4, Pb().Int(1, 0).Int(2, 8080).Str(3, ""))
        .Int(5, 0);
    Pb spec;
    spec.Msg(1, port).Entry(2, "app", "s").Str(3, "").Str(4, "ClusterIP").Str(7, "").Str(8, "");
    spec.Str(10, "").Str(11, "").Int(12, 0).Bool(13, false);
    Pb svc;
    svc.Msg(1, GoObjectMeta("s", {{"app", "s"}})).Msg(2, spec).Msg(3, Pb().Msg(1, Pb()));
    ExpectDecodes(Envelope("v1", "Service", svc), R"({
      "kind":"Service","apiVersion":"v1",
      "metadata":{"name":"s","creationTimestamp":null,"labels":{"app":"s"}},
      "spec":{"ports":[{"name":"80-8080","protocol":"TCP","port":80,"targetPort":8080}],
              "selector":{"app":"s"},"type":"ClusterIP"},
      "status":{"loadBalancer":{}}})");
  }

  SUBCASE("create rolebinding rb --role=r --user=alice --serviceaccount=ns:sa") {
    Pb rb;
    rb.Msg(1, GoObjectMeta("rb"))
        .Msg(2, Pb().Str(1, "User").Str(2, "rbac.authorization.k8s.io").Str(3, "alice").Str(4, ""))
        .Msg(2, Pb().Str(1, "ServiceAccount").Str(2, "").Str(3, "sa").Str(4, "ns"))
        .Msg(3, Pb().Str(1, "rbac.authorization.k8s.io").Str(2, "Role").Str(3, "r"));
    ExpectDecodes(Envelope("rbac.authorization.k8s.io/v1", "RoleBinding", rb), R"({
      "kind":"RoleBinding","apiVersion":"rbac.authorization.k8s.io/v1",
      "metadata":{"name":"rb","creationTimestamp":null},
      "subjects":[{"kind":"User","apiGroup":"rbac.authorization.k8s.io","name":"alice"},
                  {"kind":"ServiceAccount","name":"sa","namespace":"ns"}],
      "roleRef":{"apiGroup":"rbac.authorization.k8s.io","kind":"Role","name":"r"}})");
  }

  SUBCASE("create clusterrole c --verb=get --resource=pods --aggregation-rule=a=b") {
    Pb cr;
    cr.Msg(1, GoObjectMeta("c"))
        .Msg(2, Pb().Str(1, "get").Str(2, "").Str(3, "pods"))
        .Msg(3, Pb().Msg(1, Pb().Entry(1, "a", "b")));
    ExpectDecodes(Envelope("rbac.authorization.k8s.io/v1", "ClusterRole", cr), R"({
      "kind":"ClusterRole","apiVersion":"rbac.authorization.k8s.io/v1",
      "metadata":{"name":"c","creationTimestamp":null},
      "rules":[{"verbs":["get"],"apiGroups":[""],"resources":["pods"]}],
      "aggregationRule":{"clusterRoleSelectors":[{"matchLabels":{"a":"b"}}]}})");
  }

  SUBCASE("create poddisruptionbudget p --selector=app=x --min-available=50%") {
    Pb pdb;
    pdb.Msg(1, GoObjectMeta("p"))
        .Msg(2, Pb().Msg(1, Pb().Int(1, 1).Int(2, 0).Str(3, "50%"))
                    .Msg(2, Pb().Entry(1, "app", "x")))
        .Msg(3, Pb().Int(1, 0).Int(3, 0).Int(4, 0).Int(5, 0).Int(6, 0));
    ExpectDecodes(Envelope("policy/v1", "PodDisruptionBudget", pdb), R"({
      "kind":"PodDisruptionBudget","apiVersion":"policy/v1",
      "metadata":{"name":"p","creationTimestamp":null},
      "spec":{"minAvailable":"50%","selector":{"matchLabels":{"app":"x"}}},
      "status":{"disruptionsAllowed":0,"currentHealthy":0,"desiredHealthy":0,
                "expectedPods":0}})");
  }

  SUBCASE("create ingress i --rule=foo.com/=svc:80") {
    Pb backend;
    backend.Msg(4, Pb().Str(1, "svc").Msg(2, Pb().Str(1, "").Int(2, 80)));
    Pb path;
    path.Str(1, "/").Msg(2, backend).Str(3, "Exact");
    Pb rule;
    rule.Str(1, "foo.com").Msg(2, Pb().Msg(1, Pb().Msg(1, path)));
    Pb ing;
    ing.Msg(1, GoObjectMeta("i")).Msg(2, Pb().Msg(3, rule)).Msg(3, Pb().Msg(1, Pb()));
    ExpectDecodes(Envelope("networking.k8s.io/v1", "Ingress", ing), R"({
      "kind":"Ingress","apiVersion":"networking.k8s.io/v1",
      "metadata":{"name":"i","creationTimestamp":null},
      "spec":{"rules":[{"host":"foo.com","http":{"paths":[
        {"path":"/","pathType":"Exact",
         "backend":{"service":{"name":"svc","port":{"number":80}}}}]}}]},
      "status":{"loadBalancer":{}}})");
  }

  SUBCASE("create cronjob c --image=busybox --schedule='*/1 * * * *'") {
    Pb container = GoContainer("c", "busybox");
    FinishGoContainer(container);
    Pb job_spec;
    job_spec.Msg(6, Pb().Msg(1, GoObjectMeta("")).Msg(2, GoPodSpec(container, "OnFailure")));
    Pb cj;
    cj.Msg(1, GoObjectMeta("c"))
        .Msg(2, Pb().Str(1, "*/1 * * * *").Str(3, "")
                    .Msg(5, Pb().Msg(1, GoObjectMeta("c")).Msg(2, job_spec)))
        .Msg(3, Pb());
    ExpectDecodes(Envelope("batch/v1", "CronJob", cj), R"({
      "kind":"CronJob","apiVersion":"batch/v1",
      "metadata":{"name":"c","creationTimestamp":null},
      "spec":{"schedule":"*/1 * * * *",
              "jobTemplate":{"metadata":{"name":"c","creationTimestamp":null},
                             "spec":{"template":{"metadata":{"creationTimestamp":null},
                                                 "spec":{"containers":[{"name":"c",
                                                   "image":"busybox","resources":{}}],
                                                   "restartPolicy":"OnFailure"}}}}},
      "status":{}})");
  }

  SUBCASE("create quota q --hard=cpu=1,pods=2") {
    Pb quota;
    quota.Msg(1, GoObjectMeta("q"))
        .Msg(2, Pb().Msg(1, Pb().Str(1, "cpu").Msg(2, Pb().Str(1, "1")))
                    .Msg(1, Pb().Str(1, "pods").Msg(2, Pb().Str(1, "2"))))
        .Msg(3, Pb());
    ExpectDecodes(Envelope("v1", "ResourceQuota", quota), R"({
      "kind":"ResourceQuota","apiVersion":"v1",
      "metadata":{"name":"q","creationTimestamp":null},
      "spec":{"hard":{"cpu":"1","pods":"2"}},"status":{}})");
  }

  SUBCASE("create serviceaccount sa") {
    ExpectDecodes(Envelope("v1", "ServiceAccount", Pb().Msg(1, GoObjectMeta("sa"))), R"({
      "kind":"ServiceAccount","apiVersion":"v1",
      "metadata":{"name":"sa","creationTimestamp":null}})");
  }

  SUBCASE("create priorityclass high --value=1000 --description=d") {
    Pb pc;
    pc.Msg(1, GoObjectMeta("high")).Int(2, 1000).Bool(3, false).Str(4, "d");
    ExpectDecodes(Envelope("scheduling.k8s.io/v1", "PriorityClass", pc), R"({
      "kind":"PriorityClass","apiVersion":"scheduling.k8s.io/v1",
      "metadata":{"name":"high","creationTimestamp":null},
      "value":1000,"description":"d"})");
  }

  SUBCASE("autoscale deployment web --max=5 --cpu-percent=80 (autoscaling/v1)") {
    Pb hpa;
    hpa.Msg(1, GoObjectMeta("web"))
        .Msg(2, Pb().Msg(1, Pb().Str(1, "Deployment").Str(2, "web").Str(3, "apps/v1"))
                    .Int(3, 5).Int(4, 80))
        .Msg(3, Pb().Int(3, 0).Int(4, 0));
    ExpectDecodes(Envelope("autoscaling/v1", "HorizontalPodAutoscaler", hpa), R"({
      "kind":"HorizontalPodAutoscaler","apiVersion":"autoscaling/v1",
      "metadata":{"name":"web","creationTimestamp":null},
      "spec":{"scaleTargetRef":{"kind":"Deployment","name":"web","apiVersion":"apps/v1"},
              "maxReplicas":5,"targetCPUUtilizationPercentage":80},
      "status":{"currentReplicas":0,"desiredReplicas":0}})");
  }

  SUBCASE("HorizontalPodAutoscaler autoscaling/v2 with a resource metric") {
    Pb metric;
    metric.Str(1, "Resource")
        .Msg(4, Pb().Str(1, "cpu").Msg(2, Pb().Str(1, "Utilization").Int(4, 80)));
    Pb hpa;
    hpa.Msg(1, GoObjectMeta("web"))
        .Msg(2, Pb().Msg(1, Pb().Str(1, "Deployment").Str(2, "web").Str(3, ""))
                    .Int(2, 1).Int(3, 5).Msg(4, metric))
        .Msg(3, Pb().Int(3, 0).Int(4, 0));
    ExpectDecodes(Envelope("autoscaling/v2", "HorizontalPodAutoscaler", hpa), R"({
      "kind":"HorizontalPodAutoscaler","apiVersion":"autoscaling/v2",
      "metadata":{"name":"web","creationTimestamp":null},
      "spec":{"scaleTargetRef":{"kind":"Deployment","name":"web"},"minReplicas":1,
              "maxReplicas":5,
              "metrics":[{"type":"Resource","resource":{"name":"cpu",
                          "target":{"type":"Utilization","averageUtilization":80}}}]},
      "status":{"desiredReplicas":0}})");
  }
}

TEST_CASE("DecodeObject: auth and token requests") {
  SUBCASE("auth can-i get pods: the body kubectl 1.32 sent on the wire") {
    // Captured from kubectl 1.32 (see kubectl-1.32-transcripts.txt, `auth can-i`).
    const std::string body = std::string(
        "k8s\0"
        "\x0a\x32"
        "\x0a\x17" "authorization.k8s.io/v1"
        "\x12\x17" "SelfSubjectAccessReview"
        "\x12\x3c"
        "\x0a\x10" "\x0a\x00\x12\x00\x1a\x00\x22\x00\x2a\x00\x32\x00\x38\x00\x42\x00"
        "\x12\x1e" "\x0a\x1c" "\x0a\x07" "default" "\x12\x03" "get" "\x1a\x00\x22\x00"
        "\x2a\x04" "pods" "\x32\x00\x3a\x00"
        "\x1a\x08" "\x08\x00\x12\x00\x1a\x00\x20\x00"
        "\x1a\x00\x22\x00",
        4 + 2 + 50 + 2 + 60 + 4);
    ExpectDecodes(body, R"({
      "kind":"SelfSubjectAccessReview","apiVersion":"authorization.k8s.io/v1",
      "metadata":{"creationTimestamp":null},
      "spec":{"resourceAttributes":{"namespace":"default","verb":"get","resource":"pods"}},
      "status":{"allowed":false}})");
  }

  SUBCASE("auth whoami") {
    Pb ssr;
    ssr.Msg(1, GoObjectMeta("")).Msg(2, Pb().Msg(1, Pb().Str(1, "").Str(2, "")));
    ExpectDecodes(Envelope("authentication.k8s.io/v1", "SelfSubjectReview", ssr), R"({
      "kind":"SelfSubjectReview","apiVersion":"authentication.k8s.io/v1",
      "metadata":{"creationTimestamp":null},"status":{"userInfo":{}}})");
  }

  SUBCASE("create token sa --duration=1h --bound-object-kind=Pod") {
    Pb tr;
    tr.Msg(1, GoObjectMeta(""))
        .Msg(2, Pb().Int(4, 3600)
                    .Msg(3, Pb().Str(1, "Pod").Str(2, "v1").Str(3, "p").Str(4, "")))
        .Msg(3, Pb().Str(1, "").Msg(2, Pb()));
    ExpectDecodes(Envelope("authentication.k8s.io/v1", "TokenRequest", tr), R"({
      "kind":"TokenRequest","apiVersion":"authentication.k8s.io/v1",
      "metadata":{"creationTimestamp":null},
      "spec":{"expirationSeconds":3600,
              "boundObjectRef":{"kind":"Pod","apiVersion":"v1","name":"p"}},
      "status":{"token":"","expirationTimestamp":null}})");
  }

  SUBCASE("SubjectAccessReview with extra") {
    Pb sar;
    sar.Msg(1, GoObjectMeta(""))
        .Msg(2, Pb().Msg(2, Pb().Str(1, "/healthz").Str(2, "get")).Str(3, "bob")
                    .Msg(5, Pb().Str(1, "scopes").Msg(2, Pb().Str(1, "a").Str(1, "b"))))
        .Msg(3, Pb().Bool(1, true));
    ExpectDecodes(Envelope("authorization.k8s.io/v1", "SubjectAccessReview", sar), R"({
      "kind":"SubjectAccessReview","apiVersion":"authorization.k8s.io/v1",
      "metadata":{"creationTimestamp":null},
      "spec":{"nonResourceAttributes":{"path":"/healthz","verb":"get"},"user":"bob",
              "extra":{"scopes":["a","b"]}},
      "status":{"allowed":true}})");
  }
}

TEST_CASE("DecodeObject: unsupported and malformed envelopes") {
  SUBCASE("a kind without a schema is 415") {
    auto got = DecodeObject(Envelope("example.com/v1", "Widget", Pb().Msg(1, GoObjectMeta("w"))));
    REQUIRE_FALSE(got.ok());
    CHECK(got.status().reason() == api::Reason::kUnsupportedMediaType);
  }
  SUBCASE("missing kind is 400") {
    Pb unknown;
    unknown.Msg(1, Pb().Str(1, "v1")).Msg(2, Pb());
    auto got = DecodeObject(std::string("k8s\0", 4) + unknown.str());
    REQUIRE_FALSE(got.ok());
    CHECK(got.status().reason() == api::Reason::kBadRequest);
  }
  SUBCASE("a compressed payload is 400") {
    Pb unknown;
    unknown.Msg(1, Pb().Str(1, "v1").Str(2, "ConfigMap")).Msg(2, Pb()).Str(3, "gzip");
    auto got = DecodeObject(std::string("k8s\0", 4) + unknown.str());
    REQUIRE_FALSE(got.ok());
    CHECK(got.status().reason() == api::Reason::kBadRequest);
  }
  SUBCASE("bad magic is 400") {
    auto got = DecodeObject("{\"kind\":\"ConfigMap\"}");
    REQUIRE_FALSE(got.ok());
    CHECK(got.status().reason() == api::Reason::kBadRequest);
    CHECK_FALSE(DecodeObject("").ok());
    CHECK_FALSE(DecodeObject(std::string("k8s", 3)).ok());
  }
}

TEST_CASE("DecodeDeleteOptions") {
  SUBCASE("typed delete with grace period, propagation and dry run") {
    Pb opts;
    opts.Int(1, 0).Str(4, "Background").Str(5, "All");
    auto got = DecodeDeleteOptions(Envelope("v1", "DeleteOptions", opts));
    REQUIRE_MESSAGE(got.ok(), got.status().ToString());
    CHECK(*got == Json(R"({"kind":"DeleteOptions","apiVersion":"v1","gracePeriodSeconds":0,
                           "propagationPolicy":"Background","dryRun":["All"]})"));
  }
  SUBCASE("preconditions, encoded with the resource's group version") {
    Pb opts;
    opts.Msg(2, Pb().Str(1, "uid-1"));
    auto got = DecodeDeleteOptions(Envelope("apps/v1", "DeleteOptions", opts));
    REQUIRE(got.ok());
    CHECK(*got == Json(R"({"kind":"DeleteOptions","apiVersion":"apps/v1",
                           "preconditions":{"uid":"uid-1"}})"));
  }
  SUBCASE("DecodeObject accepts DeleteOptions too") {
    auto got = DecodeObject(Envelope("meta.k8s.io/v1", "DeleteOptions", Pb().Bool(3, true)));
    REQUIRE(got.ok());
    CHECK(*got == Json(R"({"kind":"DeleteOptions","apiVersion":"meta.k8s.io/v1",
                           "orphanDependents":true})"));
  }
  SUBCASE("another kind is 400") {
    auto got = DecodeDeleteOptions(Envelope("v1", "ConfigMap", Pb()));
    REQUIRE_FALSE(got.ok());
    CHECK(got.status().reason() == api::Reason::kBadRequest);
  }
}

}  // namespace
}  // namespace kc::protobuf
