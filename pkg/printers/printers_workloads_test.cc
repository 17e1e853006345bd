#include <doctest/doctest.h>

#include "pkg/printers/printers_test_util.h"

namespace kc::printers {

using testing::CellsJson;

namespace {

// A pod template with two containers, reused by the controller kinds.
constexpr const char* kTemplate = R"("template":{"metadata":{"labels":{"app":"web"}},"spec":{
  "nodeSelector":{"kubernetes.io/os":"linux","disk":"ssd"},
  "containers":[{"name":"nginx","image":"nginx:1.25"},{"name":"sidecar","image":"busybox:1.36"}]}})";

std::string WithTemplate(const std::string& before, const std::string& after) {
  return before + kTemplate + after;
}

std::vector<std::string> ColumnNames(std::string_view group, std::string_view kind,
                                     std::string_view version = "v1") {
  std::vector<std::string> out;
  for (const auto& c : ColumnsFor(testing::Res(group, kind, version))) out.push_back(c.name);
  return out;
}

}  // namespace

TEST_CASE("deployment table") {
  CHECK(ColumnNames("apps", "Deployment") ==
        std::vector<std::string>{"Name", "Ready", "Up-to-date", "Available", "Age", "Containers",
                                 "Images", "Selector"});
  std::string dep = WithTemplate(
      R"({"metadata":{"name":"web","creationTimestamp":"2024-04-28T09:00:00Z"},
        "spec":{"replicas":3,"selector":{"matchLabels":{"app":"web","tier":"fe"},
          "matchExpressions":[{"key":"env","operator":"In","values":["prod","dev"]},{"key":"canary","operator":"DoesNotExist"}]},)",
      R"(},"status":{"replicas":3,"updatedReplicas":3,"readyReplicas":2,"availableReplicas":2}})");
  CHECK(CellsJson("apps", "Deployment", dep) ==
        R"(["web","2/3",3,2,"3d3h","nginx,sidecar","nginx:1.25,busybox:1.36","app=web,!canary,env in (dev,prod),tier=fe"])");
  // An empty selector prints "" (no <none> substitution); an invalid one prints <invalid>.
  CHECK(CellsJson("apps", "Deployment", R"({"metadata":{"name":"d"},"spec":{"replicas":0,"selector":{}}})") ==
        R"(["d","0/0",0,0,"<unknown>","","",""])");
  CHECK(CellsJson("apps", "Deployment",
                  R"({"metadata":{"name":"d"},"spec":{"selector":{"matchExpressions":[{"key":"a","operator":"Bogus"}]}}})") ==
        R"(["d","0/1",0,0,"<unknown>","","","<invalid>"])");
}

TEST_CASE("replicaset and replication controller tables") {
  CHECK(ColumnNames("apps", "ReplicaSet") ==
        std::vector<std::string>{"Name", "Desired", "Current", "Ready", "Age", "Containers",
                                 "Images", "Selector"});
  CHECK(ColumnsFor(testing::Res("apps", "ReplicaSet"))[1].type == "integer");
  std::string rs = WithTemplate(
      R"({"metadata":{"name":"web-5d8f","creationTimestamp":"2024-05-01T11:58:00Z"},
        "spec":{"replicas":2,"selector":{"matchLabels":{"app":"web","pod-template-hash":"5d8f"}},)",
      R"(},"status":{"replicas":2,"readyReplicas":1}})");
  CHECK(CellsJson("apps", "ReplicaSet", rs) ==
        R"(["web-5d8f",2,2,1,"2m","nginx,sidecar","nginx:1.25,busybox:1.36","app=web,pod-template-hash=5d8f"])");
  CHECK(CellsJson("apps", "ReplicaSet", R"({"metadata":{"name":"x"},"spec":{"replicas":1}})") ==
        R"(["x",1,0,0,"<unknown>","","","<none>"])");
  std::string rc = WithTemplate(
      R"({"metadata":{"name":"old","creationTimestamp":"2024-05-01T11:00:00Z"},
        "spec":{"replicas":4,"selector":{"app":"web","b":"c"},)",
      R"(},"status":{"replicas":4,"readyReplicas":4}})");
  CHECK(CellsJson("", "ReplicationController", rc) ==
        R"(["old",4,4,4,"60m","nginx,sidecar","nginx:1.25,busybox:1.36","app=web,b=c"])");
}

TEST_CASE("statefulset and daemonset tables") {
  CHECK(ColumnNames("apps", "StatefulSet") ==
        std::vector<std::string>{"Name", "Ready", "Age", "Containers", "Images"});
  std::string sts = WithTemplate(
      R"({"metadata":{"name":"db","creationTimestamp":"2024-05-01T11:59:50Z"},
        "spec":{"replicas":3,"serviceName":"db","selector":{"matchLabels":{"app":"db"}},)",
      R"(},"status":{"replicas":1,"readyReplicas":1}})");
  CHECK(CellsJson("apps", "StatefulSet", sts) ==
        R"(["db","1/3","10s","nginx,sidecar","nginx:1.25,busybox:1.36"])");

  CHECK(ColumnNames("apps", "DaemonSet") ==
        std::vector<std::string>{"Name", "Desired", "Current", "Ready", "Up-to-date", "Available",
                                 "Node Selector", "Age", "Containers", "Images", "Selector"});
  std::string ds = WithTemplate(
      R"({"metadata":{"name":"fluentd","creationTimestamp":"2024-04-01T12:00:00Z"},
        "spec":{"selector":{"matchLabels":{"name":"fluentd"}},)",
      R"(},"status":{"desiredNumberScheduled":3,"currentNumberScheduled":3,"numberReady":2,
        "updatedNumberScheduled":3,"numberAvailable":2,"numberMisscheduled":0}})");
  CHECK(CellsJson("apps", "DaemonSet", ds) ==
        R"(["fluentd",3,3,2,3,2,"disk=ssd,kubernetes.io/os=linux","30d","nginx,sidecar","nginx:1.25,busybox:1.36","name=fluentd"])");
}

TEST_CASE("controller revision and pod template tables") {
  CHECK(CellsJson("apps", "ControllerRevision",
                  R"({"metadata":{"name":"fluentd-7c9","creationTimestamp":"2024-05-01T11:00:00Z",
                      "ownerReferences":[{"apiVersion":"v1","kind":"Pod","name":"other","uid":"1"},
                        {"apiVersion":"apps/v1","kind":"DaemonSet","name":"fluentd","uid":"2","controller":true}]},
                      "revision":2,"data":{}})") ==
        R"(["fluentd-7c9","daemonset.apps/fluentd",2,"60m"])");
  CHECK(CellsJson("apps", "ControllerRevision", R"({"metadata":{"name":"r"},"revision":1})") ==
        R"(["r","<none>",1,"<unknown>"])");
  CHECK(CellsJson("", "PodTemplate",
                  R"({"metadata":{"name":"pt"},"template":{"metadata":{"labels":{"app":"x"}},
                      "spec":{"containers":[{"name":"c","image":"alpine"}]}}})") ==
        R"(["pt","c","alpine","app=x"])");
  CHECK(ColumnNames("", "PodTemplate") ==
        std::vector<std::string>{"Name", "Containers", "Images", "Pod Labels"});
}

TEST_CASE("job table") {
  CHECK(ColumnNames("batch", "Job") ==
        std::vector<std::string>{"Name", "Status", "Completions", "Duration", "Age", "Containers",
                                 "Images", "Selector"});
  const std::string tmpl =
      R"("template":{"spec":{"restartPolicy":"Never","containers":[{"name":"pi","image":"perl"}]}})";
  SUBCASE("complete") {
    CHECK(CellsJson("batch", "Job",
                    R"({"metadata":{"name":"pi","creationTimestamp":"2024-05-01T11:50:00Z"},
                        "spec":{"completions":1,"parallelism":1,"selector":{"matchLabels":{"batch.kubernetes.io/controller-uid":"abc"}},)" +
                        tmpl + R"(},
                        "status":{"succeeded":1,"startTime":"2024-05-01T11:50:00Z","completionTime":"2024-05-01T11:50:42Z",
                          "conditions":[{"type":"SuccessCriteriaMet","status":"True"},{"type":"Complete","status":"True"}]}})") ==
          R"(["pi","Complete","1/1","42s","10m","pi","perl","batch.kubernetes.io/controller-uid=abc"])");
  }
  SUBCASE("running with parallelism and no completions") {
    CHECK(CellsJson("batch", "Job",
                    R"({"metadata":{"name":"w","creationTimestamp":"2024-05-01T11:00:00Z"},
                        "spec":{"parallelism":3,)" + tmpl + R"(},
                        "status":{"active":3,"succeeded":0,"startTime":"2024-05-01T11:00:00Z"}})") ==
          R"(["w","Running","0/1 of 3","60m","60m","pi","perl","<none>"])");
  }
  SUBCASE("status precedence") {
    CHECK(CellsJson("batch", "Job",
                    R"({"metadata":{"name":"f"},"spec":{"completions":2},
                        "status":{"failed":1,"conditions":[{"type":"Failed","status":"True"}]}})") ==
          R"(["f","Failed","0/2","","<unknown>","","","<none>"])");
    CHECK(CellsJson("batch", "Job",
                    R"({"metadata":{"name":"s","deletionTimestamp":"2024-05-01T11:00:00Z"},
                        "status":{"conditions":[{"type":"Suspended","status":"True"}]}})") ==
          R"(["s","Terminating","0/1","","<unknown>","","","<none>"])");
    CHECK(CellsJson("batch", "Job",
                    R"({"metadata":{"name":"s"},"status":{"conditions":[{"type":"Suspended","status":"True"}]}})") ==
          R"(["s","Suspended","0/1","","<unknown>","","","<none>"])");
    CHECK(CellsJson("batch", "Job",
                    R"({"metadata":{"name":"s"},"status":{"conditions":[{"type":"FailureTarget","status":"True"}]}})") ==
          R"(["s","FailureTarget","0/1","","<unknown>","","","<none>"])");
    // Only the first condition of a type counts.
    CHECK(CellsJson("batch", "Job",
                    R"({"metadata":{"name":"s"},"status":{"conditions":[{"type":"Complete","status":"False"},
                        {"type":"Complete","status":"True"}]}})") ==
          R"(["s","Running","0/1","","<unknown>","","","<none>"])");
  }
}

TEST_CASE("cronjob table") {
  CHECK(ColumnNames("batch", "CronJob") ==
        std::vector<std::string>{"Name", "Schedule", "Timezone", "Suspend", "Active",
                                 "Last Schedule", "Age", "Containers", "Images", "Selector"});
  CHECK(ColumnsFor(testing::Res("batch", "CronJob"))[3].type == "boolean");
  CHECK(CellsJson("batch", "CronJob",
                  R"({"metadata":{"name":"hello","creationTimestamp":"2024-05-01T09:00:00Z"},
                      "spec":{"schedule":"*/1 * * * *","suspend":false,"jobTemplate":{"spec":{"template":{"spec":{
                        "containers":[{"name":"hello","image":"busybox"}]}}}}},
                      "status":{"active":[{"name":"hello-1"}],"lastScheduleTime":"2024-05-01T11:59:00Z"}})") ==
        R"(["hello","*/1 * * * *","<none>","False",1,"60s","3h","hello","busybox","<none>"])");
  CHECK(CellsJson("batch", "CronJob",
                  R"({"metadata":{"name":"c"},"spec":{"schedule":"@daily","timeZone":"Etc/UTC"}})") ==
        R"(["c","@daily","Etc/UTC","<unset>",0,"<none>","<unknown>","","","<none>"])");
}

}  // namespace kc::printers
