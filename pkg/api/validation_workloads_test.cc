#include <doctest/doctest.h>

#include "pkg/api/validation.h"
#include "pkg/api/validation_internal.h"
#include "pkg/api/validation_test_util.h"

namespace kc::api {
namespace {

using testing::Contains;
using testing::CreateErrors;
using testing::Dump;
using testing::Obj;
using testing::RI;
namespace json = boost::json;

// A valid workload of `kind` whose spec gets `spec_extra` fields (overriding the defaults here).
json::object Workload(std::string_view spec_extra = "", std::string_view template_spec_extra = "") {
  std::string text = R"({"metadata":{"name":"web","namespace":"default","uid":"u-1"},"spec":{)";
  if (!spec_extra.empty()) text += std::string(spec_extra) + ",";
  text += R"("template":{"metadata":{"labels":{"app":"web"}},"spec":{)";
  if (!template_spec_extra.empty()) text += std::string(template_spec_extra) + ",";
  text += R"("containers":[{"name":"web","image":"nginx"}]}}}})";
  json::object obj = Obj(text);
  json::object& spec = obj["spec"].get_object();
  if (!spec.contains("selector"))
    spec["selector"] = json::object{{"matchLabels", json::object{{"app", "web"}}}};
  if (spec.at("selector").is_null()) spec.erase("selector");
  return obj;
}

struct Case {
  const char* name;
  json::object obj;
  std::string want;
};

void RunCases(const ResourceInfo& ri, const std::vector<Case>& cases) {
  for (const auto& c : cases) {
    SUBCASE(c.name) {
      auto errs = CreateErrors(ri, c.obj);
      CHECK_MESSAGE(Contains(errs, c.want), "want: " << c.want << "\ngot:" << Dump(errs));
    }
  }
}

TEST_CASE("valid workloads pass") {
  struct Valid {
    const char* group;
    const char* kind;
    json::object obj;
  };
  const Valid cases[] = {
      {"apps", "Deployment", Workload()},
      {"apps", "ReplicaSet", Workload(R"("replicas":3)")},
      {"apps", "DaemonSet", Workload()},
      {"apps", "StatefulSet",
       Workload(
           R"("serviceName":"web","volumeClaimTemplates":[{"metadata":{"name":"data"},"spec":{"accessModes":["ReadWriteOnce"],"resources":{"requests":{"storage":"1Gi"}}}}])",
           R"("initContainers":[{"name":"i","image":"x","volumeMounts":[{"name":"data","mountPath":"/d"}]}])")},
      {"", "ReplicationController", Obj(R"({"metadata":{"name":"rc","namespace":"d"},"spec":{
          "template":{"metadata":{"labels":{"app":"rc"}},"spec":{"containers":[{"name":"c","image":"x"}]}}}})")},
      {"batch", "Job", Workload(R"("selector":null)", R"("restartPolicy":"Never")")},
      {"batch", "CronJob",
       Obj(R"({"metadata":{"name":"cj","namespace":"d"},"spec":{"schedule":"@hourly",
          "jobTemplate":{"spec":{"template":{"spec":{"restartPolicy":"OnFailure","containers":[{"name":"c","image":"x"}]}}}}}})")},
      {"apps", "ControllerRevision",
       Obj(R"({"metadata":{"name":"r","namespace":"d"},"data":{},"revision":1})")},
  };
  for (const auto& c : cases) {
    SUBCASE(c.kind) {
      auto errs = CreateErrors(RI(c.group, c.kind), c.obj);
      CHECK_MESSAGE(errs.empty(), Dump(errs));
    }
  }
}

TEST_CASE("Deployment validation") {
  json::object no_selector = Workload(R"("selector":null)");
  auto errs = CreateErrors(RI("apps", "Deployment"), no_selector);
  // A missing selector produces both errors, in upstream's order.
  CHECK(errs ==
        std::vector<std::string>{
            "spec.selector: Required value",
            "spec.template.metadata.labels: Invalid value: map[string]string{\"app\":\"web\"}: "
            "`selector` does not match template `labels`"});
  RunCases(
      RI("apps", "Deployment"),
      {
          {"replicas", Workload(R"("replicas":-1)"),
           "spec.replicas: Invalid value: -1: must be greater than or equal to 0"},
          {"empty selector", Workload(R"("selector":{})"),
           "spec.selector: Invalid value: v1.LabelSelector{MatchLabels:map[string]string(nil), "
           "MatchExpressions:[]v1.LabelSelectorRequirement(nil)}: empty selector is invalid for "
           "deployment"},
          {"selector mismatch", Workload(R"("selector":{"matchLabels":{"app":"other"}})"),
           "spec.template.metadata.labels: Invalid value: map[string]string{\"app\":\"web\"}: "
           "`selector` does not match template `labels`"},
          {"selector operator",
           Workload(R"("selector":{"matchExpressions":[{"key":"app","operator":"Has"}]})"),
           "spec.selector.matchExpressions[0].operator: Invalid value: \"Has\": not a valid "
           "selector operator"},
          {"selector In without values",
           Workload(R"("selector":{"matchExpressions":[{"key":"app","operator":"In"}]})"),
           "spec.selector.matchExpressions[0].values: Required value: must be specified when "
           "`operator` is 'In' or 'NotIn'"},
          {"template restartPolicy", Workload("", R"("restartPolicy":"OnFailure")"),
           "spec.template.spec.restartPolicy: Unsupported value: \"OnFailure\": supported values: "
           "\"Always\""},
          {"template image",
           Obj(R"({"metadata":{"name":"w","namespace":"d"},"spec":{"selector":{"matchLabels":{"a":"b"}},
                  "template":{"metadata":{"labels":{"a":"b"}},"spec":{"containers":[{"name":"c"}]}}}})"),
           "spec.template.spec.containers[0].image: Required value"},
          {"both zero",
           Workload(
               R"("strategy":{"type":"RollingUpdate","rollingUpdate":{"maxUnavailable":0,"maxSurge":0}})"),
           "spec.strategy.rollingUpdate.maxUnavailable: Invalid value: 0: may not be 0 when "
           "`maxSurge` is 0"},
          {"percent over 100",
           Workload(R"("strategy":{"rollingUpdate":{"maxUnavailable":"150%"}})"),
           "spec.strategy.rollingUpdate.maxUnavailable: Invalid value: \"150%\": must not be "
           "greater than 100%"},
          {"bad percent", Workload(R"("strategy":{"rollingUpdate":{"maxSurge":"10"}})"),
           "spec.strategy.rollingUpdate.maxSurge: Invalid value: \"10\": a valid percent string "
           "must be a numeric "
           "string followed by an ending '%' (e.g. '1%',  or '93%', regex used for validation is "
           "'[0-9]+%')"},
          {"recreate with rollingUpdate",
           Workload(R"("strategy":{"type":"Recreate","rollingUpdate":{}})"),
           "spec.strategy.rollingUpdate: Forbidden: may not be specified when strategy `type` is "
           "'Recreate'"},
          {"strategy type", Workload(R"("strategy":{"type":"BlueGreen"})"),
           "spec.strategy: Unsupported value: \"BlueGreen\": supported values: \"Recreate\", "
           "\"RollingUpdate\""},
          {"progress deadline", Workload(R"("minReadySeconds":700)"),
           "spec.progressDeadlineSeconds: Invalid value: 600: must be greater than "
           "minReadySeconds"},
          {"name", Obj(R"({"metadata":{"name":"Web","namespace":"d"},"spec":{}})"),
           "metadata.name: Invalid value: \"Web\": a lowercase RFC 1123 subdomain must consist of "
           "lower case "
           "alphanumeric characters, '-' or '.', and must start and end with an alphanumeric "
           "character (e.g. "
           "'example.com', regex used for validation is "
           "'[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')"},
          {"active deadline", Workload("", R"("activeDeadlineSeconds":10)"),
           "spec.template.spec.activeDeadlineSeconds: Invalid value: 10: activeDeadlineSeconds in "
           "ReplicaSet is not Supported"},
      });
}

TEST_CASE("ReplicaSet, ReplicationController, DaemonSet, StatefulSet validation") {
  SUBCASE("ReplicaSet") {
    RunCases(RI("apps", "ReplicaSet"),
             {{"empty selector wording", Workload(R"("selector":{})"),
               "spec.selector: Invalid value: v1.LabelSelector{MatchLabels:map[string]string(nil), "
               "MatchExpressions:[]v1.LabelSelectorRequirement(nil)}: empty selector is invalid "
               "for deployment"}});
  }
  SUBCASE("ReplicationController") {
    RunCases(
        RI("", "ReplicationController"),
        {{"selector required",
          Obj(R"({"metadata":{"name":"rc","namespace":"d"},"spec":{"template":{"spec":{"containers":[{"name":"c","image":"x"}]}}}})"),
          "spec.selector: Required value"},
         {"selector mismatch",
          Obj(R"({"metadata":{"name":"rc","namespace":"d"},"spec":{"selector":{"a":"b"},
                  "template":{"metadata":{"labels":{"a":"c"}},"spec":{"containers":[{"name":"c","image":"x"}]}}}})"),
          "spec.template.metadata.labels: Invalid value: map[string]string{\"a\":\"c\"}: "
          "`selector` does not match template `labels`"}});
  }
  SUBCASE("DaemonSet") {
    RunCases(
        RI("apps", "DaemonSet"),
        {{"both set",
          Workload(
              R"("updateStrategy":{"type":"RollingUpdate","rollingUpdate":{"maxUnavailable":1,"maxSurge":1}})"),
          "spec.updateStrategy.rollingUpdate.maxSurge: Invalid value: 1: may not be set when "
          "maxUnavailable is non-zero"},
         {"both zero",
          Workload(
              R"("updateStrategy":{"type":"RollingUpdate","rollingUpdate":{"maxUnavailable":0,"maxSurge":0}})"),
          "spec.updateStrategy.rollingUpdate.maxUnavailable: Required value: cannot be 0 when "
          "maxSurge is 0"},
         {"strategy type", Workload(R"("updateStrategy":{"type":"Always"})"),
          "spec.updateStrategy: Unsupported value: \"Always\": supported values: "
          "\"RollingUpdate\", \"OnDelete\""},
         {"empty selector", Workload(R"("selector":{})"),
          "spec.selector: Invalid value: v1.LabelSelector{MatchLabels:map[string]string(nil), "
          "MatchExpressions:[]v1.LabelSelectorRequirement(nil)}: empty selector is invalid for "
          "daemonset"}});
  }
  SUBCASE("StatefulSet") {
    RunCases(
        RI("apps", "StatefulSet"),
        {{"pod management policy", Workload(R"("podManagementPolicy":"Random")"),
          "spec.podManagementPolicy: Invalid value: \"Random\": must be 'OrderedReady' or "
          "'Parallel'"},
         {"OnDelete with rollingUpdate",
          Workload(R"("updateStrategy":{"type":"OnDelete","rollingUpdate":{"partition":1}})"),
          "spec.updateStrategy.rollingUpdate: Invalid value: {\"partition\":1}: only allowed for "
          "updateStrategy 'RollingUpdate'"},
         {"partition",
          Workload(R"("updateStrategy":{"type":"RollingUpdate","rollingUpdate":{"partition":-1}})"),
          "spec.updateStrategy.rollingUpdate.partition: Invalid value: -1: must be greater than or "
          "equal to 0"},
         {"retention", Workload(R"("persistentVolumeClaimRetentionPolicy":{"whenDeleted":"Keep"})"),
          "spec.persistentVolumeClaimRetentionPolicy.whenDeleted: Unsupported value: \"Keep\": "
          "supported values: \"Retain\", \"Delete\""},
         {"claim template mounts are known",
          Workload(
              R"("volumeClaimTemplates":[{"metadata":{"name":"data"},"spec":{"accessModes":["ReadWriteOnce"],"resources":{"requests":{"storage":"1Gi"}}}}])",
              R"("initContainers":[{"name":"i","image":"x","volumeMounts":[{"name":"nope","mountPath":"/d"}]}])"),
          "spec.template.spec.initContainers[0].volumeMounts[0].name: Not found: \"nope\""},
         {"name must be a label", Obj(R"({"metadata":{"name":"db.v1","namespace":"d"},"spec":{}})"),
          "metadata.name: Invalid value: \"db.v1\": must not contain dots"},
         {"active deadline", Workload("", R"("activeDeadlineSeconds":10)"),
          "spec.template.spec.activeDeadlineSeconds: Forbidden: activeDeadlineSeconds in "
          "StatefulSet is not Supported"}});
  }
  SUBCASE("ControllerRevision") {
    RunCases(
        RI("apps", "ControllerRevision"),
        {{"revision", Obj(R"({"metadata":{"name":"r","namespace":"d"},"data":{},"revision":-1})"),
          "revision: Invalid value: -1: must be greater than or equal to 0"},
         {"data", Obj(R"({"metadata":{"name":"r","namespace":"d"},"revision":1})"),
          "data: Required value: data is mandatory"}});
  }
}

TEST_CASE("Job validation") {
  RunCases(
      RI("batch", "Job"),
      {
          {"defaulted restartPolicy", Workload(R"("selector":null)"),
           "spec.template.spec.restartPolicy: Required value: valid values: \"OnFailure\", "
           "\"Never\""},
          {"restartPolicy value", Workload(R"("selector":null)", R"("restartPolicy":"Sometimes")"),
           "spec.template.spec.restartPolicy: Unsupported value: \"Sometimes\": supported values: "
           "\"OnFailure\", \"Never\""},
          {"completions",
           Workload(R"("selector":null,"completions":-1)", R"("restartPolicy":"Never")"),
           "spec.completions: Invalid value: -1: must be greater than or equal to 0"},
          {"parallelism",
           Workload(R"("selector":null,"parallelism":-2)", R"("restartPolicy":"Never")"),
           "spec.parallelism: Invalid value: -2: must be greater than or equal to 0"},
          {"indexed needs completions",
           Workload(R"("selector":null,"completionMode":"Indexed","parallelism":2)",
                    R"("restartPolicy":"Never")"),
           "spec.completions: Required value: when completion mode is Indexed"},
          {"completion mode",
           Workload(R"("selector":null,"completionMode":"Sometimes")",
                    R"("restartPolicy":"Never")"),
           "spec.completionMode: Unsupported value: \"Sometimes\": supported values: "
           "\"NonIndexed\", \"Indexed\""},
          {"per-index backoff needs Indexed",
           Workload(R"("selector":null,"backoffLimitPerIndex":1)", R"("restartPolicy":"Never")"),
           "spec.backoffLimitPerIndex: Forbidden: requires indexed completion mode"},
          {"podFailurePolicy needs Never",
           Workload(R"("selector":null,"podFailurePolicy":{"rules":[]})",
                    R"("restartPolicy":"OnFailure")"),
           "spec.template.spec.restartPolicy: Invalid value: \"OnFailure\": only \"Never\" is "
           "supported when podFailurePolicy is specified"},
      });
  SUBCASE("selector not auto-generated") {
    json::object job =
        Workload(R"("selector":{"matchLabels":{"app":"web"}})", R"("restartPolicy":"Never")");
    auto errs = CreateErrors(RI("batch", "Job"), job);
    CHECK_MESSAGE(
        Contains(
            errs,
            "spec.selector: Invalid value: v1.LabelSelector{MatchLabels:map[string]string{"
            "\"app\":\"web\", \"batch.kubernetes.io/controller-uid\":\"u-1\"}, "
            "MatchExpressions:[]v1.LabelSelectorRequirement(nil)}: `selector` not auto-generated"),
        Dump(errs));
  }
  SUBCASE("user label conflicting with the generated one") {
    json::object job = Obj(R"({"metadata":{"name":"pi","namespace":"d","uid":"u-1"},"spec":{
      "template":{"metadata":{"labels":{"job-name":"other"}},"spec":{"restartPolicy":"Never","containers":[{"name":"c","image":"x"}]}}}})");
    auto errs = CreateErrors(RI("batch", "Job"), job);
    CHECK_MESSAGE(
        Contains(errs,
                 "spec.template.metadata.labels[job-name]: Invalid value: map[string]string{"
                 "\"batch.kubernetes.io/controller-uid\":\"u-1\", "
                 "\"batch.kubernetes.io/job-name\":\"pi\", "
                 "\"controller-uid\":\"u-1\", \"job-name\":\"other\"}: must be 'pi'"),
        Dump(errs));
  }
  SUBCASE("indexed job name too long for pod hostnames") {
    std::string name(62, 'a');
    json::object job =
        Workload(R"("selector":null,"completionMode":"Indexed","completions":10,"parallelism":1)",
                 R"("restartPolicy":"Never")");
    job["metadata"].get_object()["name"] = name;
    auto errs = CreateErrors(RI("batch", "Job"), job);
    CHECK_MESSAGE(Contains(errs, "metadata.name: Invalid value: \"" + name +
                                     "\": will not able to create pod with invalid DNS label: " +
                                     name + "-9"),
                  Dump(errs));
  }
}

TEST_CASE("cron schedules") {
  struct Cron {
    const char* schedule;
    const char* want;
  };
  const Cron cases[] = {
      {"*/5 * * * *", ""},
      {"0 0 1 jan-mar mon", ""},
      {"@hourly", ""},
      {"@every 1h30m", ""},
      {"* * *", "expected exactly 5 fields, found 3: [* * *]"},
      {"61 * * * *", "end of range (61) above maximum (59): 61"},
      {"* * 0 * *", "beginning of range (0) below minimum (1): 0"},
      {"5-1 * * * *", "beginning of range (5) beyond end of range (1): 5-1"},
      {"x * * * *", "failed to parse int from x: strconv.Atoi: parsing \"x\": invalid syntax"},
      {"*/0 * * * *", "step of range should be a positive number: */0"},
      {"@often", "unrecognized descriptor: @often"},
      {"1-2-3 * * * *", "too many hyphens: 1-2-3"},
  };
  for (const auto& c : cases) {
    SUBCASE(c.schedule) { CHECK(validation::CronScheduleError(c.schedule) == c.want); }
  }
}

TEST_CASE("CronJob validation") {
  auto cron = [](std::string_view spec_fields, std::string_view name = "cj") {
    std::string text =
        R"({"metadata":{"name":")" + std::string(name) + R"(","namespace":"d"},"spec":{)";
    if (!spec_fields.empty()) text += std::string(spec_fields) + ",";
    text +=
        R"("jobTemplate":{"spec":{"template":{"spec":{"restartPolicy":"OnFailure","containers":[{"name":"c","image":"x"}]}}}}}})";
    return Obj(text);
  };
  RunCases(
      RI("batch", "CronJob"),
      {
          {"schedule required", cron(""), "spec.schedule: Required value"},
          {"bad schedule", cron(R"("schedule":"* * *")"),
           "spec.schedule: Invalid value: \"* * *\": expected exactly 5 fields, found 3: [* * *]"},
          {"TZ in schedule", cron(R"("schedule":"TZ=UTC 0 * * * *")"),
           "spec.schedule: Invalid value: \"TZ=UTC 0 * * * *\": cannot use TZ or CRON_TZ in "
           "schedule, use timeZone field instead"},
          {"concurrency policy", cron(R"("schedule":"@daily","concurrencyPolicy":"Sometimes")"),
           "spec.concurrencyPolicy: Unsupported value: \"Sometimes\": supported values: \"Allow\", "
           "\"Forbid\", \"Replace\""},
          {"history limit", cron(R"("schedule":"@daily","failedJobsHistoryLimit":-1)"),
           "spec.failedJobsHistoryLimit: Invalid value: -1: must be greater than or equal to 0"},
          {"selector in job template",
           Obj(R"({"metadata":{"name":"cj","namespace":"d"},"spec":{"schedule":"@daily",
                  "jobTemplate":{"spec":{"selector":{"matchLabels":{"a":"b"}},"template":{"metadata":{"labels":{"a":"b"}},
                  "spec":{"restartPolicy":"Never","containers":[{"name":"c","image":"x"}]}}}}}})"),
           "spec.jobTemplate.spec.selector: Invalid value: "
           "v1.LabelSelector{MatchLabels:map[string]string{\"a\":\"b\"}, "
           "MatchExpressions:[]v1.LabelSelectorRequirement(nil)}: `selector` will be "
           "auto-generated"},
          {"manual selector",
           Obj(R"({"metadata":{"name":"cj","namespace":"d"},"spec":{"schedule":"@daily",
                  "jobTemplate":{"spec":{"manualSelector":true,"template":{"spec":{"restartPolicy":"Never","containers":[{"name":"c","image":"x"}]}}}}}})"),
           "spec.jobTemplate.spec.manualSelector: Unsupported value: true: supported values: "
           "\"nil\", \"false\""},
          {"job template restart policy",
           Obj(R"({"metadata":{"name":"cj","namespace":"d"},"spec":{"schedule":"@daily",
                  "jobTemplate":{"spec":{"template":{"spec":{"containers":[{"name":"c","image":"x"}]}}}}}})"),
           "spec.jobTemplate.spec.template.spec.restartPolicy: Required value: valid values: "
           "\"OnFailure\", \"Never\""},
          {"time zone", cron(R"("schedule":"@daily","timeZone":"Local")"),
           "spec.timeZone: Invalid value: \"Local\": timeZone must be an explicit time zone as "
           "defined in https://www.iana.org/time-zones"},
          {"name length", cron(R"("schedule":"@daily")", std::string(53, 'c')),
           "metadata.name: Invalid value: \"" + std::string(53, 'c') +
               "\": must be no more than 52 characters"},
      });
}

}  // namespace
}  // namespace kc::api
