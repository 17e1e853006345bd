#include <doctest/doctest.h>

#include "pkg/api/status.h"
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

// A valid pod with `spec_extra` merged into spec and `container_extra` into containers[0].
json::object Pod(std::string_view spec_extra = "", std::string_view container_extra = "") {
  std::string text =
      R"({"apiVersion":"v1","kind":"Pod","metadata":{"name":"web","namespace":"default"},
    "spec":{"containers":[{"name":"web","image":"nginx")";
  if (!container_extra.empty()) text += "," + std::string(container_extra);
  text += "}]";
  if (!spec_extra.empty()) text += "," + std::string(spec_extra);
  text += "}}";
  return Obj(text);
}

TEST_CASE("a valid pod has no errors") {
  auto errs =
      CreateErrors(RI("", "Pod"), Pod(R"("volumes":[{"name":"data","emptyDir":{}}])",
                                      R"("volumeMounts":[{"name":"data","mountPath":"/data"}],
                                                 "ports":[{"name":"http","containerPort":80}],
                                                 "resources":{"limits":{"cpu":"1"},"requests":{"cpu":"500m"}},
                                                 "livenessProbe":{"tcpSocket":{"port":"http"}})"));
  CHECK_MESSAGE(errs.empty(), Dump(errs));
}

TEST_CASE("pod validation errors") {
  struct Case {
    const char* name;
    json::object pod;
    const char* want;
  };
  const std::string big(262144, 'x');
  json::object big_annotations = Pod();
  big_annotations["metadata"].get_object()["annotations"] = json::object{{"a", big}};
  json::object no_name = Pod();
  no_name["metadata"].get_object().erase("name");
  json::object bad_label = Pod();
  bad_label["metadata"].get_object()["labels"] = json::object{{"app", "bad value!"}};
  json::object no_containers = Obj(R"({"metadata":{"name":"p","namespace":"default"},"spec":{}})");
  json::object no_namespace = Pod();
  no_namespace["metadata"].get_object().erase("namespace");

  const Case cases[] = {
      {"name required", no_name, "metadata.name: Required value: name or generateName is required"},
      {"namespace required", no_namespace, "metadata.namespace: Required value"},
      {"label value", bad_label,
       "metadata.labels: Invalid value: \"bad value!\": a valid label must be an empty string or "
       "consist of "
       "alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric "
       "character (e.g. "
       "'MyValue',  or 'my_value',  or '12345', regex used for validation is "
       "'(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?')"},
      {"annotations too long", big_annotations,
       "metadata.annotations: Too long: may not be more than 262144 bytes"},
      {"containers required", no_containers, "spec.containers: Required value"},
      {"image required",
       Obj(R"({"metadata":{"name":"p","namespace":"d"},"spec":{"containers":[{"name":"c"}]}})"),
       "spec.containers[0].image: Required value"},
      {"container name",
       Obj(R"({"metadata":{"name":"p","namespace":"d"},"spec":{"containers":[{"name":"Web_1","image":"x"}]}})"),
       "spec.containers[0].name: Invalid value: \"Web_1\": a lowercase RFC 1123 label must consist "
       "of lower case "
       "alphanumeric characters or '-', and must start and end with an alphanumeric character "
       "(e.g. 'my-name',  "
       "or '123-abc', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?')"},
      {"duplicate container",
       Obj(R"({"metadata":{"name":"p","namespace":"d"},"spec":{"containers":[{"name":"a","image":"x"},{"name":"a","image":"y"}]}})"),
       "spec.containers[1].name: Duplicate value: \"a\""},
      {"init name collides",
       Obj(R"({"metadata":{"name":"p","namespace":"d"},"spec":{"containers":[{"name":"a","image":"x"}],"initContainers":[{"name":"a","image":"y"}]}})"),
       "spec.initContainers[0].name: Duplicate value: \"a\""},
      {"port range", Pod("", R"("ports":[{"containerPort":70000}])"),
       "spec.containers[0].ports[0].containerPort: Invalid value: 70000: must be between 1 and "
       "65535, inclusive"},
      {"port required", Pod("", R"("ports":[{"name":"http"}])"),
       "spec.containers[0].ports[0].containerPort: Required value"},
      {"port protocol", Pod("", R"("ports":[{"containerPort":80,"protocol":"ICMP"}])"),
       "spec.containers[0].ports[0].protocol: Unsupported value: \"ICMP\": supported values: "
       "\"SCTP\", \"TCP\", \"UDP\""},
      {"duplicate port name",
       Pod("",
           R"("ports":[{"name":"http","containerPort":80},{"name":"http","containerPort":81}])"),
       "spec.containers[0].ports[1].name: Duplicate value: \"http\""},
      {"host port conflict", Obj(R"({"metadata":{"name":"p","namespace":"d"},"spec":{"containers":[
          {"name":"a","image":"x","ports":[{"containerPort":80,"hostPort":8080}]},
          {"name":"b","image":"x","ports":[{"containerPort":81,"hostPort":8080}]}]}})"),
       "spec.containers[1].ports[0].hostPort: Duplicate value: \"TCP//8080\""},
      {"requests above limits",
       Pod("", R"("resources":{"limits":{"cpu":"1"},"requests":{"cpu":"2"}})"),
       "spec.containers[0].resources.requests: Invalid value: \"2\": must be less than or equal to "
       "cpu limit of 1"},
      {"negative quantity", Pod("", R"("resources":{"requests":{"memory":"-1Mi"}})"),
       "spec.containers[0].resources.requests[memory]: Invalid value: \"-1Mi\": must be greater "
       "than or equal to 0"},
      {"unknown resource", Pod("", R"("resources":{"requests":{"gpu":"1"}})"),
       "spec.containers[0].resources.requests[gpu]: Invalid value: \"gpu\": must be a standard "
       "resource type or fully qualified"},
      {"extended resource needs limit",
       Pod("", R"("resources":{"requests":{"example.com/gpu":"1"}})"),
       "spec.containers[0].resources.limits: Required value: Limit must be set for non "
       "overcommitable resources"},
      {"extended resource integer", Pod("", R"("resources":{"limits":{"example.com/gpu":"500m"}})"),
       "spec.containers[0].resources.limits[example.com/gpu]: Invalid value: \"500m\": must be an "
       "integer"},
      {"restart policy", Pod(R"("restartPolicy":"Sometimes")"),
       "spec.restartPolicy: Unsupported value: \"Sometimes\": supported values: \"Always\", "
       "\"OnFailure\", \"Never\""},
      {"dns policy", Pod(R"("dnsPolicy":"Google")"),
       "spec.dnsPolicy: Unsupported value: \"Google\": supported values: "
       "\"ClusterFirstWithHostNet\", \"ClusterFirst\", \"Default\", \"None\""},
      {"dns None needs config", Pod(R"("dnsPolicy":"None")"),
       "spec.dnsConfig: Required value: must provide `dnsConfig` when `dnsPolicy` is None"},
      {"pull policy", Pod("", R"("imagePullPolicy":"Sometimes")"),
       "spec.containers[0].imagePullPolicy: Unsupported value: \"Sometimes\": supported values: "
       "\"Always\", \"IfNotPresent\", \"Never\""},
      {"duplicate volume",
       Pod(R"("volumes":[{"name":"v","emptyDir":{}},{"name":"v","emptyDir":{}}])"),
       "spec.volumes[1].name: Duplicate value: \"v\""},
      {"two volume sources",
       Pod(R"("volumes":[{"name":"v","emptyDir":{},"hostPath":{"path":"/x"}}])"),
       "spec.volumes[0].hostPath: Forbidden: may not specify more than 1 volume type"},
      {"secret volume name", Pod(R"("volumes":[{"name":"v","secret":{}}])"),
       "spec.volumes[0].secret.secretName: Required value"},
      {"mount of unknown volume", Pod("", R"("volumeMounts":[{"name":"nope","mountPath":"/x"}])"),
       "spec.containers[0].volumeMounts[0].name: Not found: \"nope\""},
      {"mount path unique",
       Pod(R"("volumes":[{"name":"v","emptyDir":{}}])",
           R"("volumeMounts":[{"name":"v","mountPath":"/x"},{"name":"v","mountPath":"/x"}])"),
       "spec.containers[0].volumeMounts[1].mountPath: Invalid value: \"/x\": must be unique"},
      {"subPath backsteps",
       Pod(R"("volumes":[{"name":"v","emptyDir":{}}])",
           R"("volumeMounts":[{"name":"v","mountPath":"/x","subPath":"../etc"}])"),
       "spec.containers[0].volumeMounts.subPath: Invalid value: \"../etc\": must not contain '..'"},
      {"env name", Pod("", R"("env":[{"name":"A=B","value":"x"}])"),
       "spec.containers[0].env[0].name: Invalid value: \"A=B\": a valid environment variable name "
       "must consist "
       "only of printable ASCII characters other than '='"},
      {"env valueFrom and value",
       Pod("",
           R"("env":[{"name":"A","value":"x","valueFrom":{"fieldRef":{"fieldPath":"metadata.name"}}}])"),
       "spec.containers[0].env[0].valueFrom: Invalid value: \"\": may not be specified when "
       "`value` is not empty"},
      {"env fieldRef path",
       Pod("", R"("env":[{"name":"A","valueFrom":{"fieldRef":{"fieldPath":"status.phase"}}}])"),
       "spec.containers[0].env[0].valueFrom.fieldRef.fieldPath: Unsupported value: "
       "\"status.phase\": supported values: "
       "\"metadata.name\", \"metadata.namespace\", \"metadata.uid\", \"spec.nodeName\", "
       "\"spec.serviceAccountName\", "
       "\"status.hostIP\", \"status.hostIPs\", \"status.podIP\", \"status.podIPs\""},
      {"env secret key",
       Pod("", R"("env":[{"name":"A","valueFrom":{"secretKeyRef":{"name":"s"}}}])"),
       "spec.containers[0].env[0].valueFrom.secretKeyRef.key: Required value"},
      {"probe without handler", Pod("", R"("readinessProbe":{"periodSeconds":5})"),
       "spec.containers[0].readinessProbe: Required value: must specify a handler type"},
      {"liveness success threshold",
       Pod("", R"("livenessProbe":{"exec":{"command":["true"]},"successThreshold":2})"),
       "spec.containers[0].livenessProbe.successThreshold: Invalid value: 2: must be 1"},
      {"two handlers",
       Pod("", R"("livenessProbe":{"exec":{"command":["true"]},"tcpSocket":{"port":80}})"),
       "spec.containers[0].livenessProbe.tcpSocket: Forbidden: may not specify more than 1 handler "
       "type"},
      {"regular container restartPolicy", Pod("", R"("restartPolicy":"Always")"),
       "spec.containers[0].restartPolicy: Forbidden: may not be set for non-init containers"},
      {"init container probe",
       Obj(R"({"metadata":{"name":"p","namespace":"d"},"spec":{"containers":[{"name":"a","image":"x"}],
              "initContainers":[{"name":"i","image":"y","readinessProbe":{"exec":{"command":["x"]}}}]}})"),
       "spec.initContainers[0].readinessProbe: Forbidden: may not be set for init containers "
       "without restartPolicy=Always"},
      {"toleration without key", Pod(R"("tolerations":[{"operator":"Equal","value":"x"}])"),
       "spec.tolerations[0].operator: Invalid value: \"Equal\": operator must be Exists when `key` "
       "is empty, which "
       "means \"match all values and all keys\""},
      {"toleration seconds needs NoExecute",
       Pod(R"("tolerations":[{"key":"k","operator":"Exists","effect":"NoSchedule","tolerationSeconds":5}])"),
       "spec.tolerations[0].effect: Invalid value: \"NoSchedule\": effect must be 'NoExecute' when "
       "`tolerationSeconds` is set"},
      {"active deadline", Pod(R"("activeDeadlineSeconds":0)"),
       "spec.activeDeadlineSeconds: Invalid value: 0: must be between 1 and 2147483647, inclusive"},
      {"hostname", Pod(R"("hostname":"Web")"),
       "spec.hostname: Invalid value: \"Web\": a lowercase RFC 1123 label must consist of lower "
       "case alphanumeric "
       "characters or '-', and must start and end with an alphanumeric character (e.g. 'my-name',  "
       "or '123-abc', "
       "regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?')"},
      {"run as user", Pod(R"("securityContext":{"runAsUser":-1})"),
       "spec.securityContext.runAsUser: Invalid value: -1: must be between 0 and 2147483647, "
       "inclusive"},
      {"image whitespace", Pod("", R"("image":" nginx")"),
       "spec.containers[0].image: Invalid value: \" nginx\": must not have leading or trailing "
       "whitespace"},
      {"hostNetwork hostPort",
       Pod(R"("hostNetwork":true)", R"("ports":[{"containerPort":80,"hostPort":81}])"),
       "spec.containers[0].ports[0].hostPort: Invalid value: 81: must match `containerPort` when "
       "`hostNetwork` is true"},
      {"nodeName with gates",
       Pod(R"("nodeName":"n1","schedulingGates":[{"name":"example.com/gate"}])"),
       "spec.nodeName: Forbidden: cannot be set until all schedulingGates have been cleared"},
      {"projected token without SA",
       Pod(R"("volumes":[{"name":"t","projected":{"sources":[{"serviceAccountToken":{"path":"token"}}]}}])"),
       "spec.volumes[0].projected.sources[0].serviceAccountToken: Forbidden: must not be specified "
       "when serviceAccountName is not set"},
      {"bad finalizer",
       Obj(R"({"metadata":{"name":"p","namespace":"d","finalizers":["custom"]},"spec":{"containers":[{"name":"a","image":"x"}]}})"),
       "metadata.finalizers[0]: Invalid value: \"custom\": name is neither a standard finalizer "
       "name nor is it fully qualified"},
      {"owner reference",
       Obj(R"({"metadata":{"name":"p","namespace":"d","ownerReferences":[{"apiVersion":"apps/v1","kind":"ReplicaSet","name":"rs"}]},"spec":{"containers":[{"name":"a","image":"x"}]}})"),
       "metadata.ownerReferences.uid: Invalid value: \"\": uid must not be empty"},
  };
  for (const auto& c : cases) {
    SUBCASE(c.name) {
      auto errs = CreateErrors(RI("", "Pod"), c.pod);
      CHECK_MESSAGE(Contains(errs, c.want), "want: " << c.want << "\ngot:" << Dump(errs));
    }
  }
}

TEST_CASE("generateName stands in for a name and is validated") {
  json::object pod = Pod();
  pod["metadata"].get_object().erase("name");
  pod["metadata"].get_object()["generateName"] = "web-";
  CHECK(CreateErrors(RI("", "Pod"), pod).empty());
  pod["metadata"].get_object()["generateName"] = "Web-";
  auto errs = CreateErrors(RI("", "Pod"), pod);
  REQUIRE(errs.size() == 1);
  CHECK(errs[0].rfind(
            "metadata.generateName: Invalid value: \"Web-\": a lowercase RFC 1123 subdomain", 0) ==
        0);
}

TEST_CASE("causes carry upstream reasons and build the Invalid status") {
  json::object pod = Obj(
      R"({"metadata":{"name":"web","namespace":"default"},"spec":{"containers":[{"name":"c"}],"restartPolicy":"x"}})");
  ApplyDefaults(RI("", "Pod"), pod);
  auto causes = ValidateObject(RI("", "Pod"), pod);
  REQUIRE(causes.size() == 2);
  CHECK(causes[0].reason == "FieldValueRequired");
  CHECK(causes[0].field == "spec.containers[0].image");
  CHECK(causes[0].message == "Required value");
  CHECK(causes[1].reason == "FieldValueNotSupported");
  Status st = Status::InvalidFor(RI("", "Pod").QualifiedKind(), "web", causes);
  CHECK(st.message() ==
        "Pod \"web\" is invalid: [spec.containers[0].image: Required value, spec.restartPolicy: "
        "Unsupported value: "
        "\"x\": supported values: \"Always\", \"OnFailure\", \"Never\"]");
}

TEST_CASE("PodTemplate validates its template") {
  auto errs = CreateErrors(RI("", "PodTemplate"), Obj(R"({"metadata":{"name":"t","namespace":"d"},
    "template":{"metadata":{"labels":{"a":"-"}},"spec":{"containers":[{"name":"c","image":"x"}]}}})"));
  REQUIRE(errs.size() == 1);
  CHECK(errs[0].rfind("template.labels: Invalid value: \"-\": a valid label", 0) == 0);
}

}  // namespace
}  // namespace kc::api
