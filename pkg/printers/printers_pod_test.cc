#include <doctest/doctest.h>

#include "pkg/printers/printers_test_util.h"

namespace kc::printers {
namespace {

using testing::CellsJson;

std::string PodCells(std::string_view json) { return CellsJson("", "Pod", json); }

}  // namespace

TEST_CASE("pod columns follow upstream") {
  const auto& cols = ColumnsFor(testing::Res("", "Pod"));
  REQUIRE(cols.size() == 9);
  CHECK(cols[0].name == "Name");
  CHECK(cols[0].format == "name");
  CHECK(cols[1].name == "Ready");
  CHECK(cols[2].name == "Status");
  CHECK(cols[3].name == "Restarts");
  CHECK(cols[4].name == "Age");
  CHECK(cols[5].name == "IP");
  CHECK(cols[5].priority == 1);
  CHECK(cols[7].name == "Nominated Node");
  CHECK(cols[8].name == "Readiness Gates");
  CHECK(cols[8].priority == 1);
}

TEST_CASE("pod status, ready and restarts cells") {
  SUBCASE("running pod with two ready containers") {
    CHECK(PodCells(R"({
      "metadata":{"name":"web-1","namespace":"default","creationTimestamp":"2024-05-01T11:55:00Z"},
      "spec":{"nodeName":"node-1","containers":[{"name":"app","image":"nginx"},{"name":"side","image":"busybox"}]},
      "status":{"phase":"Running","podIP":"10.42.0.5","podIPs":[{"ip":"10.42.0.5"}],
        "conditions":[{"type":"Ready","status":"True"}],
        "containerStatuses":[
          {"name":"app","ready":true,"restartCount":0,"state":{"running":{"startedAt":"2024-05-01T11:55:10Z"}}},
          {"name":"side","ready":true,"restartCount":0,"state":{"running":{"startedAt":"2024-05-01T11:55:10Z"}}}]}})") ==
          R"(["web-1","2/2","Running","0","5m","10.42.0.5","node-1","<none>","<none>"])");
  }
  SUBCASE("pending pod without statuses") {
    CHECK(PodCells(R"({"metadata":{"name":"p","creationTimestamp":"2024-05-01T11:59:30Z"},
      "spec":{"containers":[{"name":"a","image":"nginx"}]},"status":{"phase":"Pending"}})") ==
          R"(["p","0/1","Pending","0","30s","<none>","<none>","<none>","<none>"])");
  }
  SUBCASE("container creating") {
    CHECK(PodCells(R"({"metadata":{"name":"p","creationTimestamp":"2024-05-01T11:59:58Z"},
      "spec":{"nodeName":"n1","containers":[{"name":"a","image":"nginx"}]},
      "status":{"phase":"Pending","containerStatuses":[{"name":"a","ready":false,"restartCount":0,
        "state":{"waiting":{"reason":"ContainerCreating"}}}]}})") ==
          R"(["p","0/1","ContainerCreating","0","2s","<none>","n1","<none>","<none>"])");
  }
  SUBCASE("crash loop with restart age") {
    CHECK(PodCells(R"({"metadata":{"name":"p","creationTimestamp":"2024-04-30T12:00:00Z"},
      "spec":{"containers":[{"name":"a","image":"nginx"}]},
      "status":{"phase":"Running","podIPs":[{"ip":"10.0.0.9"}],"containerStatuses":[{"name":"a","ready":false,"restartCount":5,
        "lastState":{"terminated":{"exitCode":1,"reason":"Error","finishedAt":"2024-05-01T11:57:00Z"}},
        "state":{"waiting":{"reason":"CrashLoopBackOff","message":"back-off 2m40s"}}}]}})") ==
          R"j(["p","0/1","CrashLoopBackOff","5 (3m ago)","24h","10.0.0.9","<none>","<none>","<none>"])j");
  }
  SUBCASE("completed and error") {
    CHECK(PodCells(R"({"metadata":{"name":"job-x","creationTimestamp":"2024-05-01T10:00:00Z"},
      "spec":{"containers":[{"name":"a","image":"busybox"}]},
      "status":{"phase":"Succeeded","containerStatuses":[{"name":"a","ready":false,"restartCount":0,
        "state":{"terminated":{"exitCode":0,"reason":"Completed"}}}]}})") ==
          R"(["job-x","0/1","Completed","0","120m","<none>","<none>","<none>","<none>"])");
    CHECK(PodCells(R"({"metadata":{"name":"bad","creationTimestamp":"2024-05-01T10:00:00Z"},
      "spec":{"containers":[{"name":"a","image":"busybox"}]},
      "status":{"phase":"Failed","containerStatuses":[{"name":"a","ready":false,"restartCount":0,
        "state":{"terminated":{"exitCode":1,"reason":"Error"}}}]}})") ==
          R"(["bad","0/1","Error","0","120m","<none>","<none>","<none>","<none>"])");
  }
  SUBCASE("terminated without reason shows exit code or signal") {
    CHECK(PodCells(R"({"metadata":{"name":"p"},"spec":{"containers":[{"name":"a"}]},
      "status":{"phase":"Failed","containerStatuses":[{"name":"a","state":{"terminated":{"exitCode":3}}}]}})") ==
          R"(["p","0/1","ExitCode:3","0","<unknown>","<none>","<none>","<none>","<none>"])");
    CHECK(PodCells(R"({"metadata":{"name":"p"},"spec":{"containers":[{"name":"a"}]},
      "status":{"phase":"Failed","containerStatuses":[{"name":"a","state":{"terminated":{"exitCode":137,"signal":9}}}]}})") ==
          R"(["p","0/1","Signal:9","0","<unknown>","<none>","<none>","<none>","<none>"])");
  }
  SUBCASE("lowest index container with a reason wins") {
    CHECK(PodCells(R"({"metadata":{"name":"p"},"spec":{"containers":[{"name":"a"},{"name":"b"}]},
      "status":{"phase":"Pending","containerStatuses":[
        {"name":"a","state":{"waiting":{"reason":"ErrImagePull"}}},
        {"name":"b","state":{"waiting":{"reason":"ContainerCreating"}}}]}})") ==
          R"(["p","0/2","ErrImagePull","0","<unknown>","<none>","<none>","<none>","<none>"])");
  }
  SUBCASE("init containers") {
    const char* pod_init_progress = R"({"metadata":{"name":"p","creationTimestamp":"2024-05-01T11:59:00Z"},
      "spec":{"initContainers":[{"name":"i1"},{"name":"i2"}],"containers":[{"name":"a"}]},
      "status":{"phase":"Pending","initContainerStatuses":[
        {"name":"i1","restartCount":0,"state":{"terminated":{"exitCode":0,"reason":"Completed"}}},
        {"name":"i2","restartCount":0,"state":{"running":{}}}],
        "containerStatuses":[{"name":"a","state":{"waiting":{"reason":"PodInitializing"}}}]}})";
    CHECK(PodCells(pod_init_progress) ==
          R"(["p","0/1","Init:1/2","0","60s","<none>","<none>","<none>","<none>"])");
    CHECK(PodCells(R"({"metadata":{"name":"p"},
      "spec":{"initContainers":[{"name":"i1"},{"name":"i2"}],"containers":[{"name":"a"}]},
      "status":{"phase":"Pending","initContainerStatuses":[
        {"name":"i1","state":{"waiting":{"reason":"PodInitializing"}}},{"name":"i2","state":{"waiting":{}}}]}})") ==
          R"(["p","0/1","Init:0/2","0","<unknown>","<none>","<none>","<none>","<none>"])");
    CHECK(PodCells(R"({"metadata":{"name":"p"},
      "spec":{"initContainers":[{"name":"i1"}],"containers":[{"name":"a"}]},
      "status":{"phase":"Pending","initContainerStatuses":[{"name":"i1","restartCount":3,
        "lastState":{"terminated":{"exitCode":1,"finishedAt":"2024-05-01T11:59:00Z"}},
        "state":{"waiting":{"reason":"CrashLoopBackOff"}}}]}})") ==
          R"j(["p","0/1","Init:CrashLoopBackOff","3 (60s ago)","<unknown>","<none>","<none>","<none>","<none>"])j");
    CHECK(PodCells(R"({"metadata":{"name":"p"},"spec":{"initContainers":[{"name":"i1"}],"containers":[{"name":"a"}]},
      "status":{"phase":"Failed","initContainerStatuses":[{"name":"i1","state":{"terminated":{"exitCode":1,"reason":"Error"}}}]}})") ==
          R"(["p","0/1","Init:Error","0","<unknown>","<none>","<none>","<none>","<none>"])");
    CHECK(PodCells(R"({"metadata":{"name":"p"},"spec":{"initContainers":[{"name":"i1"}],"containers":[{"name":"a"}]},
      "status":{"phase":"Pending","initContainerStatuses":[{"name":"i1","state":{"terminated":{"exitCode":2}}}]}})") ==
          R"(["p","0/1","Init:ExitCode:2","0","<unknown>","<none>","<none>","<none>","<none>"])");
    CHECK(PodCells(R"({"metadata":{"name":"p"},"spec":{"initContainers":[{"name":"i1"}],"containers":[{"name":"a"}]},
      "status":{"phase":"Pending","initContainerStatuses":[{"name":"i1","state":{"terminated":{"exitCode":2,"signal":15}}}]}})") ==
          R"(["p","0/1","Init:Signal:15","0","<unknown>","<none>","<none>","<none>","<none>"])");
  }
  SUBCASE("native sidecar counts toward ready and restarts") {
    CHECK(PodCells(R"({"metadata":{"name":"p","creationTimestamp":"2024-05-01T11:00:00Z"},
      "spec":{"initContainers":[{"name":"log","restartPolicy":"Always"}],"containers":[{"name":"app"}]},
      "status":{"phase":"Running","conditions":[{"type":"Initialized","status":"True"},{"type":"Ready","status":"True"}],
        "initContainerStatuses":[{"name":"log","ready":true,"started":true,"restartCount":1,
          "lastState":{"terminated":{"exitCode":1,"finishedAt":"2024-05-01T11:50:00Z"}},"state":{"running":{}}}],
        "containerStatuses":[{"name":"app","ready":true,"restartCount":0,"state":{"running":{}}}]}})") ==
          R"j(["p","2/2","Running","1 (10m ago)","60m","<none>","<none>","<none>","<none>"])j");
  }
  SUBCASE("completed container next to a running one") {
    const char* tmpl = R"({"metadata":{"name":"p"},"spec":{"containers":[{"name":"a"},{"name":"b"}]},
      "status":{"phase":"Running","conditions":[{"type":"Ready","status":"%s"}],"containerStatuses":[
        {"name":"a","ready":false,"state":{"terminated":{"exitCode":0,"reason":"Completed"}}},
        {"name":"b","ready":true,"state":{"running":{}}}]}})";
    std::string ready(tmpl), not_ready(tmpl);
    ready.replace(ready.find("%s"), 2, "True");
    not_ready.replace(not_ready.find("%s"), 2, "False");
    CHECK(PodCells(ready) == R"(["p","1/2","Running","0","<unknown>","<none>","<none>","<none>","<none>"])");
    CHECK(PodCells(not_ready) == R"(["p","1/2","NotReady","0","<unknown>","<none>","<none>","<none>","<none>"])");
  }
  SUBCASE("deletion") {
    CHECK(PodCells(R"({"metadata":{"name":"p","deletionTimestamp":"2024-05-01T11:59:59Z"},
      "spec":{"containers":[{"name":"a"}]},"status":{"phase":"Running","containerStatuses":[
        {"name":"a","ready":true,"state":{"running":{}}}]}})") ==
          R"(["p","1/1","Terminating","0","<unknown>","<none>","<none>","<none>","<none>"])");
    CHECK(PodCells(R"({"metadata":{"name":"p","deletionTimestamp":"2024-05-01T11:59:59Z"},
      "spec":{"containers":[{"name":"a"}]},"status":{"phase":"Succeeded","containerStatuses":[
        {"name":"a","state":{"terminated":{"exitCode":0,"reason":"Completed"}}}]}})") ==
          R"(["p","0/1","Completed","0","<unknown>","<none>","<none>","<none>","<none>"])");
    CHECK(PodCells(R"({"metadata":{"name":"p","deletionTimestamp":"2024-05-01T11:59:59Z"},
      "spec":{"containers":[{"name":"a"}]},"status":{"phase":"Running","reason":"NodeLost"}})") ==
          R"(["p","0/1","Unknown","0","<unknown>","<none>","<none>","<none>","<none>"])");
  }
  SUBCASE("status reason and scheduling gates") {
    CHECK(PodCells(R"({"metadata":{"name":"p"},"spec":{"containers":[{"name":"a"}]},
      "status":{"phase":"Failed","reason":"Evicted"}})") ==
          R"(["p","0/1","Evicted","0","<unknown>","<none>","<none>","<none>","<none>"])");
    CHECK(PodCells(R"({"metadata":{"name":"p"},"spec":{"containers":[{"name":"a"}],"schedulingGates":[{"name":"g"}]},
      "status":{"phase":"Pending","conditions":[{"type":"PodScheduled","status":"False","reason":"SchedulingGated"}]}})") ==
          R"(["p","0/1","SchedulingGated","0","<unknown>","<none>","<none>","<none>","<none>"])");
  }
  SUBCASE("wide columns") {
    CHECK(PodCells(R"({"metadata":{"name":"p"},
      "spec":{"nodeName":"n2","containers":[{"name":"a"}],"readinessGates":[{"conditionType":"x/ready"},{"conditionType":"y"}]},
      "status":{"phase":"Pending","podIP":"10.1.1.1","nominatedNodeName":"n3",
        "conditions":[{"type":"x/ready","status":"True"},{"type":"y","status":"False"},{"type":"y","status":"True"}]}})") ==
          R"(["p","0/1","Pending","0","<unknown>","10.1.1.1","n2","n3","1/2"])");
  }
}

TEST_CASE("pod row conditions") {
  const auto& pod = testing::Res("", "Pod");
  CHECK(RowConditionsFor(pod, testing::Obj(R"({"status":{"phase":"Running"}})")).empty());
  auto done = RowConditionsFor(pod, testing::Obj(R"({"status":{"phase":"Succeeded"}})"));
  CHECK(boost::json::serialize(done) ==
        R"([{"type":"Completed","status":"True","reason":"Succeeded","message":"The pod has completed successfully."}])");
  auto failed = RowConditionsFor(pod, testing::Obj(R"({"status":{"phase":"Failed"}})"));
  REQUIRE(failed.size() == 1);
  CHECK(failed[0].at("message") == "The pod failed.");
  CHECK(RowConditionsFor(testing::Res("apps", "Deployment"),
                         testing::Obj(R"({"status":{"phase":"Failed"}})")).empty());
}

}  // namespace kc::printers
