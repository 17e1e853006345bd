#include "pkg/api/defaults.h"

#include <doctest/doctest.h>

#include "pkg/api/validation_test_util.h"

namespace kc::api {
namespace {

using testing::At;
using testing::Obj;
using testing::RI;
namespace json = boost::json;

json::object Defaulted(const ResourceInfo& ri, std::string_view text) {
  json::object obj = Obj(text);
  ApplyDefaults(ri, obj);
  // Idempotent: a second pass changes nothing.
  json::object again = obj;
  ApplyDefaults(ri, again);
  CHECK(json::serialize(again) == json::serialize(obj));
  return obj;
}

TEST_CASE("Pod defaults") {
  json::object pod = Defaulted(RI("", "Pod"), R"({
    "apiVersion":"v1","kind":"Pod","metadata":{"name":"web","namespace":"default"},
    "spec":{"containers":[{"name":"web","image":"nginx",
      "ports":[{"containerPort":80}],
      "env":[{"name":"NODE","valueFrom":{"fieldRef":{"fieldPath":"spec.nodeName"}}}],
      "resources":{"limits":{"cpu":"0.5","memory":"1024Mi"},"requests":{"memory":"100Mi"}},
      "livenessProbe":{"httpGet":{"port":80}},
      "readinessProbe":{"grpc":{"port":9000},"periodSeconds":5},
      "lifecycle":{"preStop":{"httpGet":{"port":"http"}}}}],
     "initContainers":[{"name":"init","image":"busybox:1.36"}],
     "volumes":[{"name":"scratch"},{"name":"cfg","configMap":{"name":"cfg"}},
                {"name":"host","hostPath":{"path":"/data"}}]}})");
  struct Case {
    const char* path;
    json::value want;
  };
  const Case cases[] = {
      {"spec.restartPolicy", "Always"},
      {"spec.dnsPolicy", "ClusterFirst"},
      {"spec.schedulerName", "default-scheduler"},
      {"spec.terminationGracePeriodSeconds", 30},
      {"spec.securityContext", json::object()},
      {"spec.enableServiceLinks", true},
      {"spec.containers[0].imagePullPolicy", "Always"},
      {"spec.containers[0].terminationMessagePath", "/dev/termination-log"},
      {"spec.containers[0].terminationMessagePolicy", "File"},
      {"spec.containers[0].ports[0].protocol", "TCP"},
      {"spec.containers[0].env[0].valueFrom.fieldRef.apiVersion", "v1"},
      {"spec.containers[0].resources.limits.cpu", "500m"},
      {"spec.containers[0].resources.limits.memory", "1Gi"},
      {"spec.containers[0].resources.requests.cpu", "500m"},
      {"spec.containers[0].resources.requests.memory", "100Mi"},
      {"spec.containers[0].livenessProbe.timeoutSeconds", 1},
      {"spec.containers[0].livenessProbe.periodSeconds", 10},
      {"spec.containers[0].livenessProbe.successThreshold", 1},
      {"spec.containers[0].livenessProbe.failureThreshold", 3},
      {"spec.containers[0].livenessProbe.httpGet.path", "/"},
      {"spec.containers[0].livenessProbe.httpGet.scheme", "HTTP"},
      {"spec.containers[0].livenessProbe.initialDelaySeconds", nullptr},
      {"spec.containers[0].readinessProbe.periodSeconds", 5},
      {"spec.containers[0].readinessProbe.grpc.service", ""},
      {"spec.containers[0].lifecycle.preStop.httpGet.path", "/"},
      {"spec.initContainers[0].imagePullPolicy", "IfNotPresent"},
      {"spec.initContainers[0].resources", json::object()},
      {"spec.volumes[0].emptyDir", json::object()},
      {"spec.volumes[1].configMap.defaultMode", 420},
      {"spec.volumes[2].hostPath.type", ""},
  };
  for (const auto& c : cases) {
    SUBCASE(c.path) { CHECK(json::serialize(At(pod, c.path)) == json::serialize(c.want)); }
  }
}

TEST_CASE("imagePullPolicy follows the image tag") {
  struct Case {
    const char* image;
    const char* want;
  };
  const Case cases[] = {
      {"nginx", "Always"},
      {"nginx:latest", "Always"},
      {"nginx:1.25", "IfNotPresent"},
      {"nginx@sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef",
       "IfNotPresent"},
      {"nginx:latest@sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef",
       "Always"},
      {"localhost:5000/team/app", "Always"},
      {"registry.example.com:5000/app:v2", "IfNotPresent"},
      {"Upper/Case", "IfNotPresent"},
  };
  for (const auto& c : cases) {
    SUBCASE(c.image) {
      json::object pod = Obj(R"({"spec":{"containers":[{"name":"c"}]}})");
      pod["spec"].get_object()["containers"].get_array()[0].get_object()["image"] = c.image;
      ApplyDefaults(RI("", "Pod"), pod);
      CHECK(At(pod, "spec.containers[0].imagePullPolicy") == json::value(c.want));
    }
  }
  SUBCASE("an explicit policy is kept") {
    json::object pod =
        Obj(R"({"spec":{"containers":[{"name":"c","image":"nginx","imagePullPolicy":"Never"}]}})");
    ApplyDefaults(RI("", "Pod"), pod);
    CHECK(At(pod, "spec.containers[0].imagePullPolicy") == json::value("Never"));
  }
}

TEST_CASE("Pod-only defaults are not applied to templates") {
  json::object d = Defaulted(RI("apps", "Deployment"), R"({
    "metadata":{"name":"web"},
    "spec":{"selector":{"matchLabels":{"app":"web"}},
      "template":{"metadata":{"labels":{"app":"web"}},
        "spec":{"hostNetwork":true,"containers":[{"name":"web","image":"nginx:1.25",
          "ports":[{"containerPort":8080}],"resources":{"limits":{"cpu":"1"}}}]}}}})");
  CHECK(At(d, "spec.template.spec.enableServiceLinks").is_null());
  CHECK(At(d, "spec.template.spec.containers[0].resources.requests").is_null());
  CHECK(At(d, "spec.template.spec.containers[0].ports[0].hostPort").is_null());
  CHECK(At(d, "spec.template.metadata").get_object().contains("creationTimestamp"));

  json::object pod = Defaulted(RI("", "Pod"), R"({"spec":{"hostNetwork":true,
    "containers":[{"name":"web","image":"nginx","ports":[{"containerPort":8080}]}]}})");
  CHECK(At(pod, "spec.containers[0].ports[0].hostPort") == json::value(8080));
}

TEST_CASE("workload defaults") {
  SUBCASE("Deployment") {
    json::object d = Defaulted(RI("apps", "Deployment"), R"({"metadata":{"name":"web"},
      "spec":{"template":{"spec":{"containers":[{"name":"web","image":"nginx"}]}}}})");
    CHECK(At(d, "spec.replicas") == json::value(1));
    CHECK(At(d, "spec.strategy.type") == json::value("RollingUpdate"));
    CHECK(At(d, "spec.strategy.rollingUpdate.maxUnavailable") == json::value("25%"));
    CHECK(At(d, "spec.strategy.rollingUpdate.maxSurge") == json::value("25%"));
    CHECK(At(d, "spec.revisionHistoryLimit") == json::value(10));
    CHECK(At(d, "spec.progressDeadlineSeconds") == json::value(600));
    CHECK(At(d, "spec.template.spec.restartPolicy") == json::value("Always"));
    CHECK(At(d, "spec.selector").is_null());
  }
  SUBCASE("explicit values are kept, including zero") {
    json::object d = Defaulted(RI("apps", "Deployment"), R"({"metadata":{"name":"web"},
      "spec":{"replicas":0,"strategy":{"type":"Recreate"},"revisionHistoryLimit":0}})");
    CHECK(At(d, "spec.replicas") == json::value(0));
    CHECK(At(d, "spec.strategy.rollingUpdate").is_null());
    CHECK(At(d, "spec.revisionHistoryLimit") == json::value(0));
  }
  SUBCASE("ReplicaSet and ReplicationController") {
    json::object rs = Defaulted(RI("apps", "ReplicaSet"), R"({"spec":{}})");
    CHECK(At(rs, "spec.replicas") == json::value(1));
    json::object rc = Defaulted(RI("", "ReplicationController"), R"({"metadata":{"name":"rc"},
      "spec":{"template":{"metadata":{"labels":{"app":"rc"}}}}})");
    CHECK(At(rc, "spec.selector") == Obj(R"({"app":"rc"})"));
    CHECK(At(rc, "metadata.labels") == Obj(R"({"app":"rc"})"));
    CHECK(At(rc, "spec.replicas") == json::value(1));
  }
  SUBCASE("StatefulSet") {
    json::object s = Defaulted(RI("apps", "StatefulSet"), R"({"metadata":{"name":"db"},
      "spec":{"volumeClaimTemplates":[{"metadata":{"name":"data"},
        "spec":{"accessModes":["ReadWriteOnce"],"resources":{"requests":{"storage":"1Gi"}}}}]}})");
    CHECK(At(s, "spec.replicas") == json::value(1));
    CHECK(At(s, "spec.podManagementPolicy") == json::value("OrderedReady"));
    CHECK(At(s, "spec.updateStrategy") ==
          Obj(R"({"type":"RollingUpdate","rollingUpdate":{"partition":0}})"));
    CHECK(At(s, "spec.revisionHistoryLimit") == json::value(10));
    CHECK(At(s, "spec.persistentVolumeClaimRetentionPolicy") ==
          Obj(R"({"whenDeleted":"Retain","whenScaled":"Retain"})"));
    CHECK(At(s, "spec.volumeClaimTemplates[0].kind") == json::value("PersistentVolumeClaim"));
    CHECK(At(s, "spec.volumeClaimTemplates[0].apiVersion") == json::value("v1"));
    CHECK(At(s, "spec.volumeClaimTemplates[0].spec.volumeMode") == json::value("Filesystem"));
    CHECK(At(s, "spec.volumeClaimTemplates[0].status.phase") == json::value("Pending"));
  }
  SUBCASE("StatefulSet explicit RollingUpdate without rollingUpdate stays without it") {
    json::object s = Defaulted(RI("apps", "StatefulSet"),
                               R"({"spec":{"updateStrategy":{"type":"RollingUpdate"}}})");
    CHECK(At(s, "spec.updateStrategy") == Obj(R"({"type":"RollingUpdate"})"));
  }
  SUBCASE("DaemonSet") {
    json::object ds =
        Defaulted(RI("apps", "DaemonSet"), R"({"metadata":{"name":"agent"},"spec":{}})");
    CHECK(At(ds, "spec.updateStrategy") ==
          Obj(R"({"type":"RollingUpdate","rollingUpdate":{"maxUnavailable":1,"maxSurge":0}})"));
    CHECK(At(ds, "spec.revisionHistoryLimit") == json::value(10));
    CHECK(At(ds, "metadata.annotations") ==
          Obj(R"({"deprecated.daemonset.template.generation":"1"})"));
  }
}

TEST_CASE("Job defaults and selector generation") {
  SUBCASE("non-parallel job with a uid") {
    json::object job = Defaulted(RI("batch", "Job"),
                                 R"({"metadata":{"name":"pi","namespace":"default","uid":"u-1"},
      "spec":{"template":{"spec":{"restartPolicy":"Never","containers":[{"name":"pi","image":"perl"}]}}}})");
    CHECK(At(job, "spec.completions") == json::value(1));
    CHECK(At(job, "spec.parallelism") == json::value(1));
    CHECK(At(job, "spec.backoffLimit") == json::value(6));
    CHECK(At(job, "spec.completionMode") == json::value("NonIndexed"));
    CHECK(At(job, "spec.suspend") == json::value(false));
    CHECK(At(job, "spec.manualSelector") == json::value(false));
    CHECK(At(job, "spec.podReplacementPolicy") == json::value("TerminatingOrFailed"));
    json::object labels = Obj(R"({"job-name":"pi","batch.kubernetes.io/job-name":"pi",
      "controller-uid":"u-1","batch.kubernetes.io/controller-uid":"u-1"})");
    CHECK(At(job, "spec.template.metadata.labels") == labels);
    CHECK(At(job, "spec.selector") ==
          Obj(R"({"matchLabels":{"batch.kubernetes.io/controller-uid":"u-1"}})"));
    CHECK(At(job, "metadata.labels") == labels);
    CHECK(ValidateObject(RI("batch", "Job"), job).empty());
  }
  SUBCASE("completions only: parallelism 1; parallelism only: no completions") {
    json::object a = Defaulted(RI("batch", "Job"), R"({"spec":{"completions":5}})");
    CHECK(At(a, "spec.parallelism") == json::value(1));
    json::object b = Defaulted(RI("batch", "Job"), R"({"spec":{"parallelism":3}})");
    CHECK(At(b, "spec.completions").is_null());
    json::object c = Defaulted(
        RI("batch", "Job"),
        R"({"spec":{"backoffLimitPerIndex":1,"podFailurePolicy":{"rules":[{"action":"Ignore","onPodConditions":[{"type":"DisruptionTarget"}]}]}}})");
    CHECK(At(c, "spec.backoffLimit") == json::value(2147483647));
    CHECK(At(c, "spec.podReplacementPolicy") == json::value("Failed"));
    CHECK(At(c, "spec.podFailurePolicy.rules[0].onPodConditions[0].status") == json::value("True"));
  }
  SUBCASE("own labels and manual selectors are kept") {
    json::object job =
        Defaulted(RI("batch", "Job"), R"({"metadata":{"name":"x","uid":"u","labels":{"team":"a"}},
      "spec":{"manualSelector":true,"selector":{"matchLabels":{"k":"v"}},"template":{"metadata":{"labels":{"k":"v"}}}}})");
    CHECK(At(job, "metadata.labels") == Obj(R"({"team":"a"})"));
    CHECK(At(job, "spec.template.metadata.labels") == Obj(R"({"k":"v"})"));
  }
  SUBCASE("CronJob") {
    json::object cj = Defaulted(RI("batch", "CronJob"), R"({"spec":{"schedule":"*/5 * * * *",
      "jobTemplate":{"spec":{"template":{"spec":{"containers":[{"name":"c","image":"busybox"}]}}}}}})");
    CHECK(At(cj, "spec.concurrencyPolicy") == json::value("Allow"));
    CHECK(At(cj, "spec.suspend") == json::value(false));
    CHECK(At(cj, "spec.successfulJobsHistoryLimit") == json::value(3));
    CHECK(At(cj, "spec.failedJobsHistoryLimit") == json::value(1));
    CHECK(At(cj, "spec.jobTemplate.spec.template.spec.restartPolicy") == json::value("Always"));
    // Job-level defaults are not applied inside the job template.
    CHECK(At(cj, "spec.jobTemplate.spec.backoffLimit").is_null());
    CHECK(At(cj, "spec.jobTemplate.metadata").get_object().contains("creationTimestamp"));
  }
}

TEST_CASE("Service defaults") {
  SUBCASE("ClusterIP") {
    json::object svc = Defaulted(RI("", "Service"), R"({"metadata":{"name":"web"},
      "spec":{"selector":{"app":"web"},"ports":[{"port":80},{"port":443,"targetPort":"https","protocol":"TCP"}]}})");
    CHECK(At(svc, "spec.type") == json::value("ClusterIP"));
    CHECK(At(svc, "spec.sessionAffinity") == json::value("None"));
    CHECK(At(svc, "spec.ports[0].protocol") == json::value("TCP"));
    CHECK(At(svc, "spec.ports[0].targetPort") == json::value(80));
    CHECK(At(svc, "spec.ports[1].targetPort") == json::value("https"));
    CHECK(At(svc, "spec.internalTrafficPolicy") == json::value("Cluster"));
    CHECK(At(svc, "spec.externalTrafficPolicy").is_null());
    CHECK(At(svc, "spec.ipFamilyPolicy") == json::value("SingleStack"));
    CHECK(At(svc, "spec.ipFamilies") == json::parse(R"(["IPv4"])"));
    CHECK(At(svc, "status") == Obj(R"({"loadBalancer":{}})"));
  }
  SUBCASE("NodePort, LoadBalancer, ClientIP affinity, given clusterIP") {
    json::object np =
        Defaulted(RI("", "Service"), R"({"spec":{"type":"NodePort","clusterIP":"fd00::10",
      "sessionAffinity":"ClientIP","ports":[{"port":80}]}})");
    CHECK(At(np, "spec.externalTrafficPolicy") == json::value("Cluster"));
    CHECK(At(np, "spec.sessionAffinityConfig.clientIP.timeoutSeconds") == json::value(10800));
    CHECK(At(np, "spec.clusterIPs") == json::parse(R"(["fd00::10"])"));
    CHECK(At(np, "spec.ipFamilies") == json::parse(R"(["IPv6"])"));
    json::object lb =
        Defaulted(RI("", "Service"), R"({"spec":{"type":"LoadBalancer","ports":[{"port":80}]},
      "status":{"loadBalancer":{"ingress":[{"ip":"192.0.2.1"}]}}})");
    CHECK(At(lb, "spec.allocateLoadBalancerNodePorts") == json::value(true));
    CHECK(At(lb, "status.loadBalancer.ingress[0].ipMode") == json::value("VIP"));
  }
  SUBCASE("headless without selector is dual-stack; ExternalName gets no IP fields") {
    json::object h = Defaulted(RI("", "Service"), R"({"spec":{"clusterIP":"None"}})");
    CHECK(At(h, "spec.ipFamilyPolicy") == json::value("RequireDualStack"));
    CHECK(At(h, "spec.ipFamilies") == json::parse(R"(["IPv4","IPv6"])"));
    CHECK(At(h, "spec.clusterIPs") == json::parse(R"(["None"])"));
    json::object en = Defaulted(RI("", "Service"),
                                R"({"spec":{"type":"ExternalName","externalName":"example.com"}})");
    CHECK(At(en, "spec.ipFamilies").is_null());
    CHECK(At(en, "spec.internalTrafficPolicy").is_null());
  }
  SUBCASE("sessionAffinity None drops the config") {
    json::object svc =
        Defaulted(RI("", "Service"),
                  R"({"spec":{"sessionAffinityConfig":{"clientIP":{"timeoutSeconds":5}}}})");
    CHECK(At(svc, "spec.sessionAffinityConfig").is_null());
  }
}

TEST_CASE("other kinds") {
  SUBCASE("Namespace") {
    json::object ns =
        Defaulted(RI("", "Namespace"),
                  R"({"metadata":{"name":"team-a","labels":{"kubernetes.io/metadata.name":"x"}}})");
    CHECK(At(ns, "metadata.labels") == Obj(R"({"kubernetes.io/metadata.name":"team-a"})"));
    CHECK(At(ns, "spec.finalizers") == json::parse(R"(["kubernetes"])"));
    CHECK(At(ns, "status.phase") == json::value("Active"));
  }
  SUBCASE("Secret") {
    json::object s = Defaulted(RI("", "Secret"),
                               R"({"data":{"a":"eA=="},"stringData":{"a":"hello","b":"hi!"}})");
    CHECK(At(s, "type") == json::value("Opaque"));
    CHECK(At(s, "data") == Obj(R"({"a":"aGVsbG8=","b":"aGkh"})"));
    CHECK(At(s, "stringData").is_null());
  }
  SUBCASE("PVC, PV, Node") {
    json::object pvc = Defaulted(RI("", "PersistentVolumeClaim"),
                                 R"({"spec":{"resources":{"requests":{"storage":"1024Mi"}}}})");
    CHECK(At(pvc, "spec.volumeMode") == json::value("Filesystem"));
    CHECK(At(pvc, "spec.resources.requests.storage") == json::value("1Gi"));
    CHECK(At(pvc, "status.phase") == json::value("Pending"));
    json::object pv =
        Defaulted(RI("", "PersistentVolume"), R"({"spec":{"capacity":{"storage":"5Gi"}}})");
    CHECK(At(pv, "spec.persistentVolumeReclaimPolicy") == json::value("Retain"));
    CHECK(At(pv, "status.phase") == json::value("Pending"));
    json::object node = Defaulted(
        RI("", "Node"), R"({"status":{"capacity":{"cpu":"4","memory":"8Gi","pods":"110"}}})");
    CHECK(At(node, "status.allocatable") == Obj(R"({"cpu":"4","memory":"8Gi","pods":"110"})"));
  }
  SUBCASE("HPA v2") {
    json::object hpa =
        Defaulted(RI("autoscaling", "HorizontalPodAutoscaler", "v2"), R"({"spec":{"maxReplicas":5,
      "behavior":{"scaleDown":{"stabilizationWindowSeconds":60}}}})");
    CHECK(At(hpa, "spec.minReplicas") == json::value(1));
    CHECK(At(hpa, "spec.metrics") == json::parse(R"([{"type":"Resource","resource":{"name":"cpu",
      "target":{"type":"Utilization","averageUtilization":80}}}])"));
    CHECK(At(hpa, "spec.behavior.scaleUp") ==
          Obj(R"({"stabilizationWindowSeconds":0,"selectPolicy":"Max",
      "policies":[{"type":"Pods","value":4,"periodSeconds":15},{"type":"Percent","value":100,"periodSeconds":15}]})"));
    CHECK(At(hpa, "spec.behavior.scaleDown") ==
          Obj(R"({"stabilizationWindowSeconds":60,"selectPolicy":"Max",
      "policies":[{"type":"Percent","value":100,"periodSeconds":15}]})"));
    json::object v1 =
        Defaulted(RI("autoscaling", "HorizontalPodAutoscaler"), R"({"spec":{"maxReplicas":5}})");
    CHECK(At(v1, "spec.minReplicas") == json::value(1));
    CHECK(At(v1, "spec.metrics").is_null());
  }
  SUBCASE("RBAC, endpoints, limit ranges") {
    json::object rb = Defaulted(RI("rbac.authorization.k8s.io", "RoleBinding"),
                                R"({"roleRef":{"kind":"Role","name":"r"},
      "subjects":[{"kind":"User","name":"alice"},{"kind":"ServiceAccount","name":"sa"}]})");
    CHECK(At(rb, "roleRef.apiGroup") == json::value("rbac.authorization.k8s.io"));
    CHECK(At(rb, "subjects[0].apiGroup") == json::value("rbac.authorization.k8s.io"));
    CHECK(At(rb, "subjects[1].apiGroup").is_null());
    json::object es = Defaulted(RI("discovery.k8s.io", "EndpointSlice"),
                                R"({"addressType":"IPv4","ports":[{"port":80}]})");
    CHECK(At(es, "ports[0]") == Obj(R"({"port":80,"name":"","protocol":"TCP"})"));
    json::object lr = Defaulted(RI("", "LimitRange"), R"({"spec":{"limits":[{"type":"Container",
      "max":{"cpu":"2"},"min":{"memory":"64Mi"}}]}})");
    CHECK(At(lr, "spec.limits[0].default") == Obj(R"({"cpu":"2"})"));
    CHECK(At(lr, "spec.limits[0].defaultRequest") == Obj(R"({"cpu":"2","memory":"64Mi"})"));
  }
}

TEST_CASE("malformed objects never crash defaulting") {
  const char* bodies[] = {
      R"({"spec":"oops"})",
      R"({"spec":{"containers":"x","volumes":[1,null,"v"],"template":[]}})",
      R"({"metadata":[],"spec":{"template":{"spec":{"containers":[null,{"ports":[7]}]}}}})",
      R"({"spec":{"ports":[{"port":"x"}],"selector":7,"sessionAffinity":3}})",
  };
  for (const ResourceInfo& ri : BuiltinResources()) {
    for (const char* body : bodies) {
      json::object obj = Obj(body);
      ApplyDefaults(ri, obj);
      (void)ValidateObject(ri, obj);
      (void)ValidateUpdate(ri, obj, Obj(body));
    }
  }
}

TEST_CASE("Pod QoS class") {
  struct Case {
    const char* name;
    const char* containers;
    const char* want;
  };
  const Case cases[] = {
      {"no resources", R"([{"name":"a","image":"x"}])", "BestEffort"},
      {"limits only",
       R"([{"name":"a","image":"x","resources":{"limits":{"cpu":"1","memory":"1Gi"}}}])",
       "Guaranteed"},
      {"requests below limits",
       R"([{"name":"a","image":"x","resources":{"limits":{"cpu":"1","memory":"1Gi"},"requests":{"cpu":"500m"}}}])",
       "Burstable"},
      {"one full, one empty",
       R"([{"name":"a","image":"x","resources":{"limits":{"cpu":"1","memory":"1Gi"}}},{"name":"b","image":"x"}])",
       "Burstable"},
      {"zero quantities ignored",
       R"([{"name":"a","image":"x","resources":{"requests":{"cpu":"0"}}}])", "BestEffort"},
      {"ephemeral-storage only",
       R"([{"name":"a","image":"x","resources":{"requests":{"ephemeral-storage":"1Gi"}}}])",
       "BestEffort"},
  };
  for (const auto& c : cases) {
    SUBCASE(c.name) {
      json::object pod;
      json::object spec;
      spec["containers"] = json::parse(c.containers);
      pod["spec"] = std::move(spec);
      ApplyDefaults(RI("", "Pod"), pod);
      CHECK(PodQOSClass(pod) == c.want);
    }
  }
}

}  // namespace
}  // namespace kc::api
