// Validation of the non-workload kinds: Service, networking, config, storage, cluster, RBAC.
#include <doctest/doctest.h>

#include "pkg/api/validation.h"
#include "pkg/api/validation_test_util.h"

namespace kc::api {
namespace {

using testing::Contains;
using testing::CreateErrors;
using testing::Dump;
using testing::Obj;
using testing::RI;
namespace json = boost::json;

struct Case {
  const char* name;
  json::object obj;
  std::string want;  // "" means: no errors at all
};

void Run(const ResourceInfo& ri, const std::vector<Case>& cases) {
  for (const auto& c : cases) {
    SUBCASE(c.name) {
      auto errs = CreateErrors(ri, c.obj);
      if (c.want.empty()) {
        CHECK_MESSAGE(errs.empty(), Dump(errs));
      } else {
        CHECK_MESSAGE(Contains(errs, c.want), "want: " << c.want << "\ngot:" << Dump(errs));
      }
    }
  }
}

json::object Svc(std::string_view spec) {
  return Obj(R"({"metadata":{"name":"web","namespace":"default"},"spec":)" + std::string(spec) +
             "}");
}

TEST_CASE("Service validation") {
  Run(RI("", "Service"),
      {
          {"valid", Svc(R"({"selector":{"app":"web"},"ports":[{"port":80}]})"), ""},
          {"valid headless without ports", Svc(R"({"clusterIP":"None","selector":{"app":"web"}})"),
           ""},
          {"valid NodePort", Svc(R"({"type":"NodePort","ports":[{"port":80,"nodePort":30080}]})"),
           ""},
          {"valid ExternalName", Svc(R"({"type":"ExternalName","externalName":"db.example.com."})"),
           ""},
          {"ports required", Svc(R"({"selector":{"app":"web"}})"), "spec.ports: Required value"},
          {"names required with 2 ports", Svc(R"({"ports":[{"port":80},{"port":443}]})"),
           "spec.ports[0].name: Required value"},
          {"duplicate names", Svc(R"({"ports":[{"name":"a","port":80},{"name":"a","port":81}]})"),
           "spec.ports[1].name: Duplicate value: \"a\""},
          {"port range", Svc(R"({"ports":[{"port":0}]})"),
           "spec.ports[0].port: Invalid value: 0: must be between 1 and 65535, inclusive"},
          {"target port name", Svc(R"({"ports":[{"port":80,"targetPort":"Web"}]})"),
           "spec.ports[0].targetPort: Invalid value: \"Web\": must contain only alpha-numeric "
           "characters (a-z, 0-9), and hyphens (-)"},
          {"type", Svc(R"({"type":"Internal","ports":[{"port":80}]})"),
           "spec.type: Unsupported value: \"Internal\": supported values: \"ClusterIP\", "
           "\"ExternalName\", \"LoadBalancer\", \"NodePort\""},
          {"nodePort on ClusterIP", Svc(R"({"ports":[{"port":80,"nodePort":30001}]})"),
           "spec.ports[0].nodePort: Forbidden: may not be used when `type` is 'ClusterIP'"},
          {"duplicate port", Svc(R"({"ports":[{"name":"a","port":80},{"name":"b","port":80}]})"),
           "spec.ports[1]: Duplicate value: core.ServicePort{Name:\"\", Protocol:\"TCP\", "
           "AppProtocol:(*string)(nil), "
           "Port:80, TargetPort:intstr.IntOrString{Type:0, IntVal:0, StrVal:\"\"}, NodePort:0}"},
          {"duplicate nodePort",
           Svc(R"({"type":"NodePort","ports":[{"name":"a","port":80,"nodePort":30001},{"name":"b","port":81,"nodePort":30001}]})"),
           "spec.ports[1].nodePort: Duplicate value: 30001"},
          {"headless NodePort",
           Svc(R"({"type":"NodePort","clusterIP":"None","ports":[{"port":80}]})"),
           "spec.clusterIPs[0]: Invalid value: \"None\": may not be set to 'None' for NodePort "
           "services"},
          {"kubelet port on LB", Svc(R"({"type":"LoadBalancer","ports":[{"port":10250}]})"),
           "spec.ports[0]: Invalid value: 10250: may not expose port 10250 externally since it is "
           "used by kubelet"},
          {"ExternalName needs a name", Svc(R"({"type":"ExternalName"})"),
           "spec.externalName: Required value"},
          {"ExternalName with IP families",
           Svc(R"({"type":"ExternalName","externalName":"x.com","ipFamilies":["IPv4"]})"),
           "spec.ipFamilies: Forbidden: may not be set for ExternalName services"},
          {"affinity timeout",
           Svc(R"({"ports":[{"port":80}],"sessionAffinity":"ClientIP","sessionAffinityConfig":{"clientIP":{"timeoutSeconds":90000}}})"),
           "spec.sessionAffinityConfig.clientIP.timeoutSeconds: Invalid value: 90000: must be "
           "greater than 0 and less than 86400"},
          {"affinity value", Svc(R"({"ports":[{"port":80}],"sessionAffinity":"Sticky"})"),
           "spec.sessionAffinity: Unsupported value: \"Sticky\": supported values: \"ClientIP\", "
           "\"None\""},
          {"cluster IP", Svc(R"({"ports":[{"port":80}],"clusterIP":"10.0.0.300"})"),
           "spec.clusterIPs[0]: Invalid value: \"10.0.0.300\": must be a valid IP address, (e.g. "
           "10.9.8.7 or 2001:db8::ffff)"},
          {"external traffic policy on ClusterIP",
           Svc(R"({"ports":[{"port":80}],"externalTrafficPolicy":"Local"})"),
           "spec.externalTrafficPolicy: Invalid value: \"Local\": may only be set for "
           "externally-accessible services"},
          {"selector labels", Svc(R"({"ports":[{"port":80}],"selector":{"app":"a b"}})"),
           "spec.selector: Invalid value: \"a b\": a valid label must be an empty string or "
           "consist of alphanumeric "
           "characters, '-', '_' or '.', and must start and end with an alphanumeric character "
           "(e.g. 'MyValue',  or "
           "'my_value',  or '12345', regex used for validation is "
           "'(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?')"},
          {"service name is DNS-1035",
           Obj(R"({"metadata":{"name":"1web","namespace":"d"},"spec":{"ports":[{"port":80}]}})"),
           "metadata.name: Invalid value: \"1web\": a DNS-1035 label must consist of lower case "
           "alphanumeric characters "
           "or '-', start with an alphabetic character, and end with an alphanumeric character "
           "(e.g. 'my-name',  or "
           "'abc-123', regex used for validation is '[a-z]([-a-z0-9]*[a-z0-9])?')"},
      });
}

TEST_CASE("Endpoints, EndpointSlice, Ingress") {
  SUBCASE("Endpoints") {
    Run(RI("", "Endpoints"),
        {{"valid",
          Obj(R"({"metadata":{"name":"e","namespace":"d"},"subsets":[{"addresses":[{"ip":"10.1.0.5"}],"ports":[{"port":80}]}]})"),
          ""},
         {"bad ip",
          Obj(R"({"metadata":{"name":"e","namespace":"d"},"subsets":[{"addresses":[{"ip":"x"}]}]})"),
          "subsets[0].addresses[0].ip: Invalid value: \"x\": must be a valid IP address, (e.g. "
          "10.9.8.7 or 2001:db8::ffff)"}});
  }
  SUBCASE("EndpointSlice") {
    Run(RI("discovery.k8s.io", "EndpointSlice"),
        {{"valid",
          Obj(R"({"metadata":{"name":"e","namespace":"d"},"addressType":"IPv4","endpoints":[{"addresses":["10.1.0.5"]}],"ports":[{"port":80}]})"),
          ""},
         {"addressType required", Obj(R"({"metadata":{"name":"e","namespace":"d"}})"),
          "addressType: Required value"},
         {"addressType value",
          Obj(R"({"metadata":{"name":"e","namespace":"d"},"addressType":"IPv5"})"),
          "addressType: Unsupported value: \"IPv5\": supported values: \"FQDN\", \"IPv4\", "
          "\"IPv6\""},
         {"addresses required",
          Obj(R"({"metadata":{"name":"e","namespace":"d"},"addressType":"IPv4","endpoints":[{}]})"),
          "endpoints[0].addresses: Required value: must contain at least 1 address"}});
  }
  SUBCASE("Ingress") {
    Run(RI("networking.k8s.io", "Ingress"),
        {{"valid",
          Obj(R"({"metadata":{"name":"i","namespace":"d"},"spec":{"rules":[{"host":"*.example.com","http":{"paths":[
             {"path":"/","pathType":"Prefix","backend":{"service":{"name":"web","port":{"number":80}}}}]}}]}})"),
          ""},
         {"rules or backend", Obj(R"({"metadata":{"name":"i","namespace":"d"},"spec":{}})"),
          "spec: Invalid value: []networking.IngressRule(nil): either `defaultBackend` or `rules` "
          "must be specified"},
         {"pathType",
          Obj(R"({"metadata":{"name":"i","namespace":"d"},"spec":{"rules":[{"http":{"paths":[
             {"path":"/","backend":{"service":{"name":"web","port":{"number":80}}}}]}}]}})"),
          "spec.rules[0].http.paths[0].pathType: Required value: pathType must be specified"},
         {"port",
          Obj(R"({"metadata":{"name":"i","namespace":"d"},"spec":{"defaultBackend":{"service":{"name":"web"}}}})"),
          "spec.defaultBackend: Required value: port name or number is required"},
         {"host is IP",
          Obj(R"({"metadata":{"name":"i","namespace":"d"},"spec":{"rules":[{"host":"10.0.0.1"}]}})"),
          "spec.rules[0].host: Invalid value: \"10.0.0.1\": must be a DNS name, not an IP "
          "address"}});
  }
}

TEST_CASE("ConfigMap and Secret") {
  json::object big = Obj(R"({"metadata":{"name":"c","namespace":"d"}})");
  big["data"] = json::object{{"k", std::string(1048577, 'x')}};
  Run(RI("", "ConfigMap"),
      {{"valid",
        Obj(R"({"metadata":{"name":"c","namespace":"d"},"data":{"app.properties":"x"},"binaryData":{"b":"AAE="}})"),
        ""},
       {"bad key", Obj(R"({"metadata":{"name":"c","namespace":"d"},"data":{"a b":"x"}})"),
        "data[a b]: Invalid value: \"a b\": a valid config key must consist of alphanumeric "
        "characters, '-', '_' or "
        "'.' (e.g. 'key.name',  or 'KEY_NAME',  or 'key-name', regex used for validation is "
        "'[-._a-zA-Z0-9]+')"},
       {"duplicate key",
        Obj(R"({"metadata":{"name":"c","namespace":"d"},"data":{"k":"x"},"binaryData":{"k":"AAE="}})"),
        "data[k]: Invalid value: \"k\": duplicate of key present in binaryData"},
       {"too big", big, "Too long: may not be more than 1048576 bytes"}});
  Run(RI("", "Secret"),
      {{"valid", Obj(R"({"metadata":{"name":"s","namespace":"d"},"stringData":{"password":"x"}})"),
        ""},
       {"tls keys",
        Obj(R"({"metadata":{"name":"s","namespace":"d"},"type":"kubernetes.io/tls","data":{"tls.crt":"eA=="}})"),
        "data[tls.key]: Required value"},
       {"dockerconfigjson",
        Obj(R"({"metadata":{"name":"s","namespace":"d"},"type":"kubernetes.io/dockerconfigjson"})"),
        "data[.dockerconfigjson]: Required value"},
       {"sa token",
        Obj(R"({"metadata":{"name":"s","namespace":"d"},"type":"kubernetes.io/service-account-token"})"),
        "metadata.annotations[kubernetes.io/service-account.name]: Required value"},
       {"dot key", Obj(R"({"metadata":{"name":"s","namespace":"d"},"data":{"..":"eA=="}})"),
        "data[..]: Invalid value: \"..\": must not be '..'"}});
}

TEST_CASE("storage kinds") {
  Run(RI("", "PersistentVolumeClaim"),
      {{"valid",
        Obj(R"({"metadata":{"name":"c","namespace":"d"},"spec":{"accessModes":["ReadWriteOnce"],"resources":{"requests":{"storage":"1Gi"}}}})"),
        ""},
       {"access modes",
        Obj(R"({"metadata":{"name":"c","namespace":"d"},"spec":{"resources":{"requests":{"storage":"1Gi"}}}})"),
        "spec.accessModes: Required value: at least 1 access mode is required"},
       {"storage",
        Obj(R"({"metadata":{"name":"c","namespace":"d"},"spec":{"accessModes":["ReadWriteOnce"]}})"),
        "spec.resources[storage]: Required value"},
       {"zero storage",
        Obj(R"({"metadata":{"name":"c","namespace":"d"},"spec":{"accessModes":["ReadWriteOnce"],"resources":{"requests":{"storage":"0"}}}})"),
        "spec.resources[storage]: Invalid value: \"0\": must be greater than zero"},
       {"access mode value",
        Obj(R"({"metadata":{"name":"c","namespace":"d"},"spec":{"accessModes":["RWO"],"resources":{"requests":{"storage":"1Gi"}}}})"),
        "spec.accessModes: Unsupported value: \"RWO\": supported values: \"ReadOnlyMany\", "
        "\"ReadWriteMany\", \"ReadWriteOnce\", \"ReadWriteOncePod\""},
       {"malformed quantity",
        Obj(R"({"metadata":{"name":"c","namespace":"d"},"spec":{"accessModes":["ReadWriteOnce"],"resources":{"requests":{"storage":"lots"}}}})"),
        "spec.resources[storage]: Invalid value: \"lots\": quantities must match the regular "
        "expression "
        "'^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$'"}});
  Run(RI("", "PersistentVolume"),
      {{"valid",
        Obj(R"({"metadata":{"name":"pv"},"spec":{"accessModes":["ReadWriteOnce"],"capacity":{"storage":"1Gi"},"hostPath":{"path":"/d"}}})"),
        ""},
       {"source",
        Obj(R"({"metadata":{"name":"pv"},"spec":{"accessModes":["ReadWriteOnce"],"capacity":{"storage":"1Gi"}}})"),
        "spec: Required value: must specify a volume type"},
       {"namespace forbidden",
        Obj(R"({"metadata":{"name":"pv","namespace":"d"},"spec":{"accessModes":["ReadWriteOnce"],"capacity":{"storage":"1Gi"},"hostPath":{"path":"/d"}}})"),
        "metadata.namespace: Forbidden: not allowed on this type"}});
  Run(RI("", "ResourceQuota"),
      {{"valid",
        Obj(R"({"metadata":{"name":"q","namespace":"d"},"spec":{"hard":{"pods":"10","requests.cpu":"4"}}})"),
        ""},
       {"negative",
        Obj(R"({"metadata":{"name":"q","namespace":"d"},"spec":{"hard":{"pods":"-1"}}})"),
        "spec.hard[pods]: Invalid value: \"-1\": must be greater than or equal to 0"},
       {"integer",
        Obj(R"({"metadata":{"name":"q","namespace":"d"},"spec":{"hard":{"pods":"1.5"}}})"),
        "spec.hard[pods]: Invalid value: \"1500m\": must be an integer"}});
  Run(RI("", "LimitRange"),
      {{"min above max",
        Obj(R"({"metadata":{"name":"l","namespace":"d"},"spec":{"limits":[{"type":"Container","min":{"cpu":"2"},"max":{"cpu":"1"}}]}})"),
        "spec.limits[0].min[cpu]: Invalid value: \"2\": min value 2 is greater than max value 1"}});
}

TEST_CASE("cluster and misc kinds") {
  Run(RI("", "Namespace"),
      {{"valid", Obj(R"({"metadata":{"name":"team-a"}})"), ""},
       {"dots", Obj(R"({"metadata":{"name":"team.a"}})"),
        "metadata.name: Invalid value: \"team.a\": must not contain dots"},
       {"finalizer", Obj(R"({"metadata":{"name":"n"},"spec":{"finalizers":["custom"]}})"),
        "spec.finalizers: Invalid value: \"custom\": name is neither a standard finalizer name nor "
        "is it fully qualified"}});
  Run(RI("", "Node"),
      {{"valid",
        Obj(R"({"metadata":{"name":"n1"},"spec":{"podCIDRs":["10.42.0.0/24"],"taints":[{"key":"k","effect":"NoSchedule"}]}})"),
        ""},
       {"taint effect",
        Obj(R"({"metadata":{"name":"n1"},"spec":{"taints":[{"key":"k","effect":"Never"}]}})"),
        "spec.taints[0].effect: Unsupported value: \"Never\": supported values: \"NoSchedule\", "
        "\"PreferNoSchedule\", \"NoExecute\""},
       {"pod CIDR", Obj(R"({"metadata":{"name":"n1"},"spec":{"podCIDRs":["10.42.0.0"]}})"),
        "spec.podCIDRs[0]: Invalid value: \"10.42.0.0\": must be a valid CIDR value, (e.g. "
        "10.9.8.0/24 or 2001:db8::/64)"}});
  Run(RI("", "ServiceAccount"),
      {{"valid", Obj(R"({"metadata":{"name":"default","namespace":"d"}})"), ""},
       {"name", Obj(R"({"metadata":{"name":"SA","namespace":"d"}})"),
        "metadata.name: Invalid value: \"SA\": a lowercase RFC 1123 subdomain must consist of "
        "lower case alphanumeric "
        "characters, '-' or '.', and must start and end with an alphanumeric character (e.g. "
        "'example.com', regex "
        "used for validation is "
        "'[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')"}});
  Run(RI("coordination.k8s.io", "Lease"),
      {{"valid",
        Obj(R"({"metadata":{"name":"l","namespace":"d"},"spec":{"holderIdentity":"x","leaseDurationSeconds":15}})"),
        ""},
       {"duration",
        Obj(R"({"metadata":{"name":"l","namespace":"d"},"spec":{"leaseDurationSeconds":0}})"),
        "spec.leaseDurationSeconds: Invalid value: 0: must be greater than 0"}});
  Run(RI("", "Event"),
      {{"valid",
        Obj(R"({"metadata":{"name":"web.1","namespace":"d"},"involvedObject":{"kind":"Pod","name":"web","namespace":"d"},"reason":"Started"})"),
        ""},
       {"namespace mismatch",
        Obj(R"({"metadata":{"name":"web.1","namespace":"d"},"involvedObject":{"kind":"Pod","namespace":"other"}})"),
        "involvedObject.namespace: Invalid value: \"other\": does not match event.namespace"},
       {"name", Obj(R"({"metadata":{"namespace":"d"},"involvedObject":{"namespace":"d"}})"),
        "metadata.name: Required value: name or generateName is required"}});
  Run(RI("events.k8s.io", "Event"),
      {{"valid",
        Obj(R"({"metadata":{"name":"e","namespace":"d"},"eventTime":"2024-01-01T00:00:00.000000Z","type":"Normal",
          "reportingController":"example.com/ctl","reportingInstance":"ctl-1","action":"Sync","reason":"Done","regarding":{"namespace":"d"}})"),
        ""},
       {"required fields",
        Obj(R"({"metadata":{"name":"e","namespace":"d"},"regarding":{"namespace":"d"}})"),
        "eventTime: Required value"}});
  Run(RI("policy", "PodDisruptionBudget"),
      {{"valid",
        Obj(R"({"metadata":{"name":"p","namespace":"d"},"spec":{"minAvailable":"50%","selector":{"matchLabels":{"a":"b"}}}})"),
        ""},
       {"percent",
        Obj(R"({"metadata":{"name":"p","namespace":"d"},"spec":{"maxUnavailable":"150%"}})"),
        "spec.maxUnavailable: Invalid value: \"150%\": must not be greater than 100%"},
       {"negative", Obj(R"({"metadata":{"name":"p","namespace":"d"},"spec":{"minAvailable":-1}})"),
        "spec.minAvailable: Invalid value: -1: must be greater than or equal to 0"}});
  Run(RI("autoscaling", "HorizontalPodAutoscaler", "v2"),
      {{"valid",
        Obj(R"({"metadata":{"name":"h","namespace":"d"},"spec":{"maxReplicas":3,"scaleTargetRef":{"apiVersion":"apps/v1","kind":"Deployment","name":"web"}}})"),
        ""},
       {"max replicas",
        Obj(R"({"metadata":{"name":"h","namespace":"d"},"spec":{"maxReplicas":0,"scaleTargetRef":{"kind":"Deployment","name":"web"}}})"),
        "spec.maxReplicas: Invalid value: 0: must be greater than 0"},
       {"target ref", Obj(R"({"metadata":{"name":"h","namespace":"d"},"spec":{"maxReplicas":2}})"),
        "spec.scaleTargetRef.kind: Required value"},
       {"min above max",
        Obj(R"({"metadata":{"name":"h","namespace":"d"},"spec":{"minReplicas":5,"maxReplicas":2,"scaleTargetRef":{"kind":"Deployment","name":"web"}}})"),
        "spec.maxReplicas: Invalid value: 2: must be greater than or equal to `minReplicas`"},
       {"metric type",
        Obj(R"({"metadata":{"name":"h","namespace":"d"},"spec":{"maxReplicas":2,"scaleTargetRef":{"kind":"D","name":"w"},"metrics":[{"type":"Magic"}]}})"),
        "spec.metrics[0].type: Unsupported value: \"Magic\": supported values: \"Object\", "
        "\"Pods\", \"Resource\", \"External\", \"ContainerResource\""}});
  Run(RI("autoscaling", "HorizontalPodAutoscaler", "v1"),
      {{"cpu target",
        Obj(R"({"metadata":{"name":"h","namespace":"d"},"spec":{"maxReplicas":2,"targetCPUUtilizationPercentage":0,"scaleTargetRef":{"kind":"D","name":"w"}}})"),
        "spec.targetCPUUtilizationPercentage: Invalid value: 0: must be greater than 0"}});
}

TEST_CASE("RBAC") {
  Run(RI("rbac.authorization.k8s.io", "Role"),
      {{"valid",
        Obj(R"({"metadata":{"name":"r","namespace":"d"},"rules":[{"apiGroups":[""],"resources":["pods"],"verbs":["get"]}]})"),
        ""},
       {"verbs",
        Obj(R"({"metadata":{"name":"r","namespace":"d"},"rules":[{"apiGroups":[""],"resources":["pods"]}]})"),
        "rules[0].verbs: Required value: verbs must contain at least one value"},
       {"non-resource URLs in a Role",
        Obj(R"({"metadata":{"name":"r","namespace":"d"},"rules":[{"nonResourceURLs":["/healthz"],"verbs":["get"]}]})"),
        "rules[0].nonResourceURLs: Invalid value: []string{\"/healthz\"}: namespaced rules cannot "
        "apply to non-resource URLs"},
       {"resources",
        Obj(R"({"metadata":{"name":"r","namespace":"d"},"rules":[{"apiGroups":[""],"verbs":["get"]}]})"),
        "rules[0].resources: Required value: resource rules must supply at least one resource"}});
  Run(RI("rbac.authorization.k8s.io", "ClusterRole"),
      {{"valid with colon name",
        Obj(R"({"metadata":{"name":"system:aggregate-to-view"},"rules":[{"nonResourceURLs":["/healthz"],"verbs":["get"]}]})"),
        ""}});
  Run(RI("rbac.authorization.k8s.io", "RoleBinding"),
      {{"valid",
        Obj(R"({"metadata":{"name":"b","namespace":"d"},"roleRef":{"kind":"Role","name":"r"},"subjects":[{"kind":"User","name":"alice"},{"kind":"ServiceAccount","name":"default"}]})"),
        ""},
       {"role kind",
        Obj(R"({"metadata":{"name":"b","namespace":"d"},"roleRef":{"kind":"Pod","name":"r"}})"),
        "roleRef.kind: Unsupported value: \"Pod\": supported values: \"Role\", \"ClusterRole\""},
       {"subject kind",
        Obj(R"({"metadata":{"name":"b","namespace":"d"},"roleRef":{"kind":"Role","name":"r"},"subjects":[{"kind":"Robot","name":"x"}]})"),
        "subjects[0].kind: Unsupported value: \"Robot\": supported values: \"ServiceAccount\", "
        "\"User\", \"Group\""}});
  Run(RI("rbac.authorization.k8s.io", "ClusterRoleBinding"),
      {{"SA needs namespace",
        Obj(R"({"metadata":{"name":"b"},"roleRef":{"kind":"ClusterRole","name":"r"},"subjects":[{"kind":"ServiceAccount","name":"default"}]})"),
        "subjects[0].namespace: Required value"},
       {"role kind", Obj(R"({"metadata":{"name":"b"},"roleRef":{"kind":"Role","name":"r"}})"),
        "roleRef.kind: Unsupported value: \"Role\": supported values: \"ClusterRole\""}});
}

}  // namespace
}  // namespace kc::api
