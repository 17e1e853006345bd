#include <doctest/doctest.h>

#include "pkg/api/validation.h"
#include "pkg/api/validation_test_util.h"

namespace kc::api {
namespace {

using testing::Contains;
using testing::Dump;
using testing::Obj;
using testing::RI;
using testing::UpdateErrors;
namespace json = boost::json;

struct Case {
  const char* name;
  json::object obj;
  json::object old;
  std::string want;  // "" means: no errors
};

void Run(const ResourceInfo& ri, const std::vector<Case>& cases) {
  for (const auto& c : cases) {
    SUBCASE(c.name) {
      auto errs = UpdateErrors(ri, c.obj, c.old);
      if (c.want.empty()) {
        CHECK_MESSAGE(errs.empty(), Dump(errs));
      } else {
        bool found = Contains(errs, c.want);
        // Messages ending in a diff are matched on their prefix.
        for (const auto& e : errs)
          found = found || (c.want.back() == '\n' && e.rfind(c.want, 0) == 0);
        CHECK_MESSAGE(found, "want: " << c.want << "\ngot:" << Dump(errs));
      }
    }
  }
}

constexpr const char* kMeta =
    R"("metadata":{"name":"web","namespace":"d","uid":"u-1","resourceVersion":"5","creationTimestamp":"2024-01-01T00:00:00Z"})";

json::object With(std::string_view body) {
  return Obj("{" + std::string(kMeta) + "," + std::string(body) + "}");
}

TEST_CASE("metadata update rules") {
  json::object renamed = With(R"("data":{})");
  renamed["metadata"].get_object()["name"] = "other";
  json::object new_uid = With(R"("data":{})");
  new_uid["metadata"].get_object()["uid"] = "u-2";
  json::object deleting = With(R"("data":{})");
  deleting["metadata"].get_object()["deletionTimestamp"] = "2024-01-02T00:00:00Z";
  deleting["metadata"].get_object()["finalizers"] = json::array{"example.com/a"};
  json::object adds_finalizer = deleting;
  adds_finalizer["metadata"].get_object()["finalizers"] =
      json::array{"example.com/a", "example.com/b"};
  json::object gen_old = With(R"("data":{})");
  gen_old["metadata"].get_object()["generation"] = 3;
  json::object gen_new = With(R"("data":{})");
  gen_new["metadata"].get_object()["generation"] = 2;
  Run(RI("", "ConfigMap"),
      {
          {"unchanged", With(R"("data":{"a":"b"})"), With(R"("data":{})"), ""},
          {"name", renamed, With(R"("data":{})"),
           "metadata.name: Invalid value: \"other\": field is immutable"},
          {"uid", new_uid, With(R"("data":{})"),
           "metadata.uid: Invalid value: \"u-2\": field is immutable"},
          {"finalizer removal while deleting", With(R"("data":{})"), deleting, ""},
          {"new finalizer while deleting", adds_finalizer, deleting,
           "metadata.finalizers: Forbidden: no new finalizers can be added if the object is being "
           "deleted, found new "
           "finalizers []string{\"example.com/b\"}"},
          {"generation", gen_new, gen_old,
           "metadata.generation: Invalid value: 2: must not be decremented"},
      });
}

TEST_CASE("immutable data and specs") {
  Run(RI("", "ConfigMap"),
      {{"immutable data", With(R"("immutable":true,"data":{"a":"2"})"),
        With(R"("immutable":true,"data":{"a":"1"})"),
        "data: Forbidden: field is immutable when `immutable` is set"},
       {"immutable flag", With(R"("immutable":false,"data":{"a":"1"})"),
        With(R"("immutable":true,"data":{"a":"1"})"),
        "immutable: Forbidden: field is immutable when `immutable` is set"},
       {"mutable otherwise", With(R"("data":{"a":"2"})"), With(R"("data":{"a":"1"})"), ""}});
  Run(RI("", "Secret"),
      {{"type", With(R"("type":"kubernetes.io/tls","data":{"tls.crt":"eA==","tls.key":"eA=="})"),
        With(R"("data":{})"), "type: Invalid value: \"kubernetes.io/tls\": field is immutable"},
       {"immutable data", With(R"("immutable":true,"data":{"a":"eQ=="})"),
        With(R"("immutable":true,"data":{"a":"eA=="})"),
        "data: Forbidden: field is immutable when `immutable` is set"}});
}

TEST_CASE("workload selector and spec immutability") {
  auto deploy = [](std::string_view selector_value) {
    return With(
        R"("spec":{"selector":{"matchLabels":{"app":")" + std::string(selector_value) +
        R"("}},"template":{"metadata":{"labels":{"app":"web","v":"x"}},"spec":{"containers":[{"name":"c","image":"x"}]}}})");
  };
  Run(RI("apps", "Deployment"),
      {{"selector change", deploy("other"), deploy("web"),
        "spec.selector: Invalid value: "
        "v1.LabelSelector{MatchLabels:map[string]string{\"app\":\"other\"}, "
        "MatchExpressions:[]v1.LabelSelectorRequirement(nil)}: field is immutable"},
       {"replicas change is fine",
        With(R"("spec":{"replicas":5,"selector":{"matchLabels":{"app":"web"}}})"),
        With(R"("spec":{"replicas":1,"selector":{"matchLabels":{"app":"web"}}})"), ""}});
  Run(RI("apps", "StatefulSet"),
      {{"serviceName change", With(R"("spec":{"serviceName":"b","replicas":2})"),
        With(R"("spec":{"serviceName":"a"})"),
        "spec: Forbidden: updates to statefulset spec for fields other than 'replicas', "
        "'ordinals', 'template', "
        "'updateStrategy', 'persistentVolumeClaimRetentionPolicy' and 'minReadySeconds' are "
        "forbidden"},
       {"allowed fields", With(R"("spec":{"serviceName":"a","replicas":3,"minReadySeconds":5})"),
        With(R"("spec":{"serviceName":"a"})"), ""}});
  Run(RI("apps", "ControllerRevision"),
      {{"data", With(R"("data":{"a":1},"revision":1)"), With(R"("data":{"a":2},"revision":1)"),
        "data: Invalid value: {\"a\":1}: field is immutable"}});
}

TEST_CASE("Job update rules") {
  auto job = [](std::string_view spec_extra, std::string_view image) {
    return With(
        R"("spec":{)" + std::string(spec_extra) +
        R"("template":{"spec":{"restartPolicy":"Never","containers":[{"name":"c","image":")" +
        std::string(image) + R"("}]}}})");
  };
  Run(RI("batch", "Job"),
      {{"parallelism is mutable", job(R"("parallelism":3,)", "x"), job(R"("parallelism":1,)", "x"),
        ""},
       {"completions", job(R"("completions":3,)", "x"), job(R"("completions":1,)", "x"),
        "spec.completions: Invalid value: 3: field is immutable"},
       {"template", job("", "y"), job("", "x"),
        "spec.template: Invalid value: core.PodTemplateSpec{...}: field is immutable"},
       {"indexed tandem",
        job(R"("completionMode":"Indexed","completions":4,"parallelism":2,)", "x"),
        job(R"("completionMode":"Indexed","completions":2,"parallelism":2,)", "x"),
        "spec.completions: Invalid value: 4: can only be modified in tandem with spec.parallelism"},
       {"indexed tandem ok",
        job(R"("completionMode":"Indexed","completions":4,"parallelism":4,)", "x"),
        job(R"("completionMode":"Indexed","completions":2,"parallelism":2,)", "x"), ""}});
  SUBCASE("suspended jobs that never started may change scheduling directives") {
    json::object old = job(R"("suspend":true,)", "x");
    json::object obj = old;
    obj["spec"].get_object()["template"].get_object()["spec"].get_object()["nodeSelector"] =
        json::object{{"zone", "a"}};
    CHECK(UpdateErrors(RI("batch", "Job"), obj, old).empty());
  }
}

TEST_CASE("Pod update rules") {
  auto pod = [](std::string_view image, std::string_view extra = "") {
    return With(R"("spec":{"containers":[{"name":"c","image":")" + std::string(image) + R"("}])" +
                (extra.empty() ? "" : "," + std::string(extra)) + "}");
  };
  Run(RI("", "Pod"),
      {{"image change", pod("nginx:1.26"), pod("nginx:1.25"), ""},
       {"add toleration",
        pod("x",
            R"("tolerations":[{"key":"a","operator":"Exists"},{"key":"b","operator":"Exists"}])"),
        pod("x", R"("tolerations":[{"key":"a","operator":"Exists"}])"), ""},
       {"modify toleration",
        pod("x", R"("tolerations":[{"key":"a","operator":"Equal","value":"v"}])"),
        pod("x", R"("tolerations":[{"key":"a","operator":"Exists"}])"),
        "spec.tolerations: Forbidden: existing toleration can not be modified except its "
        "tolerationSeconds"},
       {"add container",
        With(R"("spec":{"containers":[{"name":"c","image":"x"},{"name":"d","image":"x"}]})"),
        pod("x"), "spec.containers: Forbidden: pod updates may not add or remove containers"},
       {"empty image", pod(""), pod("x"), "spec.containers[0].image: Required value"},
       {"deadline increase", pod("x", R"("activeDeadlineSeconds":100)"),
        pod("x", R"("activeDeadlineSeconds":50)"),
        "spec.activeDeadlineSeconds: Invalid value: 100: must be less than or equal to previous "
        "value"},
       {"deadline removal", pod("x"), pod("x", R"("activeDeadlineSeconds":50)"),
        "spec.activeDeadlineSeconds: Invalid value: \"null\": must not update from a positive "
        "integer to nil value"},
       {"deadline decrease", pod("x", R"("activeDeadlineSeconds":10)"),
        pod("x", R"("activeDeadlineSeconds":50)"), ""},
       {"other field", pod("x", R"("nodeSelector":{"disk":"ssd"})"), pod("x"),
        "spec: Forbidden: pod updates may not change fields other than `spec.containers[*].image`,"
        "`spec.initContainers[*].image`,`spec.activeDeadlineSeconds`,`spec.tolerations` (only "
        "additions to "
        "existing tolerations),`spec.terminationGracePeriodSeconds` (allow it to be set to 1 if it "
        "was previously "
        "negative)\n"},
       {"gate removal and nodeSelector addition while gated",
        pod("x", R"("nodeSelector":{"disk":"ssd"})"),
        pod("x", R"("schedulingGates":[{"name":"example.com/g"}])"), ""},
       {"new gate", pod("x", R"("schedulingGates":[{"name":"example.com/g"}])"), pod("x"),
        "spec.schedulingGates: Forbidden: only deletion is allowed, but found new scheduling gate "
        "'example.com/g'"}});
}

TEST_CASE("Service, PVC, RBAC, Node and EndpointSlice updates") {
  auto svc = [](std::string_view ip) {
    return With(R"("spec":{"clusterIP":")" + std::string(ip) + R"(","clusterIPs":[")" +
                std::string(ip) + R"("],"ports":[{"port":80}]})");
  };
  Run(RI("", "Service"),
      {{"same IP", svc("10.43.0.10"), svc("10.43.0.10"), ""},
       {"changed IP", svc("10.43.0.11"), svc("10.43.0.10"),
        "spec.clusterIPs[0]: Invalid value: []string{\"10.43.0.11\"}: may not change once set"},
       {"headless to headless", svc("None"), svc("None"), ""},
       {"released primary", With(R"("spec":{"ports":[{"port":80}]})"), svc("10.43.0.10"),
        "spec.clusterIPs[0]: Invalid value: []string(nil): primary clusterIP can not be unset"}});
  auto pvc = [](std::string_view size, std::string_view extra = "") {
    return With(R"("spec":{"accessModes":["ReadWriteOnce"],"resources":{"requests":{"storage":")" +
                std::string(size) + R"("}})" + std::string(extra) +
                R"(},"status":{"phase":"Bound","capacity":{"storage":"1Gi"}})");
  };
  json::object unbound = pvc("1Gi");
  unbound["status"].get_object()["phase"] = "Pending";
  json::object unbound_resized = pvc("2Gi");
  Run(RI("", "PersistentVolumeClaim"),
      {{"resize bound claim", pvc("2Gi"), pvc("1Gi"), ""},
       {"shrink below capacity", pvc("512Mi"), pvc("1Gi"),
        "spec.resources.requests.storage: Forbidden: field can not be less than status.capacity"},
       {"storage class change", pvc("1Gi", R"(,"storageClassName":"fast")"), pvc("1Gi"),
        "spec: Forbidden: spec is immutable after creation except resources.requests and "
        "volumeAttributesClassName for bound claims"},
       {"resize unbound claim", unbound_resized, unbound,
        "spec: Forbidden: spec is immutable after creation except resources.requests and "
        "volumeAttributesClassName for bound claims"}});
  Run(RI("rbac.authorization.k8s.io", "RoleBinding"),
      {{"roleRef", With(R"("roleRef":{"kind":"Role","name":"b"})"),
        With(R"("roleRef":{"kind":"Role","name":"a"})"),
        "roleRef: Invalid value: map[string]string{\"apiGroup\":\"rbac.authorization.k8s.io\", "
        "\"kind\":\"Role\", "
        "\"name\":\"b\"}: cannot change roleRef"},
       {"subjects are mutable",
        With(R"("roleRef":{"kind":"Role","name":"a"},"subjects":[{"kind":"User","name":"x"}])"),
        With(R"("roleRef":{"kind":"Role","name":"a"})"), ""}});
  Run(RI("", "Node"),
      {{"podCIDRs", With(R"("spec":{"podCIDRs":["10.42.1.0/24"]})"),
        With(R"("spec":{"podCIDRs":["10.42.0.0/24"]})"),
        "spec.podCIDRs: Forbidden: node updates may not change podCIDR except from \"\" to valid"},
       {"set podCIDRs once", With(R"("spec":{"podCIDRs":["10.42.1.0/24"]})"), With(R"("spec":{})"),
        ""}});
  Run(RI("discovery.k8s.io", "EndpointSlice"),
      {{"addressType", With(R"("addressType":"IPv6")"), With(R"("addressType":"IPv4")"),
        "addressType: Invalid value: \"IPv6\": field is immutable"}});
}

}  // namespace
}  // namespace kc::api
