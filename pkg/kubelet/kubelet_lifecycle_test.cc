#include "pkg/kubelet/kubelet.h"

#include <doctest/doctest.h>

#include <algorithm>
#include <atomic>
#include <fstream>
#include <mutex>

#include "pkg/kubelet/kubelet_test_util.h"
#include "pkg/kubelet/container_gc.h"

namespace kc::kubelet {
namespace {

using testing::Condition;
using testing::KubeletFixture;
using testing::MakePod;


TEST_CASE("lifecycle hooks: postStart failure and preStop on deletion") {
  testing::KubeletFixture f;
  std::mutex mu;
  std::vector<std::string> execs;
  f.runtime_.SetExecSyncHandler([&](const cri::v1::ExecSyncRequest& req) {
    std::lock_guard<std::mutex> l(mu);
    execs.push_back(req.cmd(0));
    cri::v1::ExecSyncResponse r;
    r.set_exit_code(req.cmd(0) == "bad-hook" ? 1 : 0);
    return api::Result<cri::v1::ExecSyncResponse>(r);
  });
  json::object spec = MakePod("hooks", R"({"containers":[
      {"name":"ok","image":"busybox:1.35","lifecycle":{
          "postStart":{"exec":{"command":["good-hook"]}},
          "preStop":{"exec":{"command":["stop-hook"]}}}},
      {"name":"broken","image":"busybox:1.35","lifecycle":{
          "postStart":{"exec":{"command":["bad-hook"]}}}}]})");
  spec["metadata"].as_object()["finalizers"] = json::array{"test/keep"};
  auto pod = f.CreatePod(spec);
  std::string uid = KubeletFixture::Uid(pod);
  Kubelet& k = f.NewKubelet();
  REQUIRE(k.SyncPod(uid).ok());
  pod = f.GetPod("hooks");
  CHECK(KubeletFixture::WaitingReason(pod, 1) == "PostStartHookError");
  auto broken = f.RuntimeContainers(uid, "broken");
  REQUIRE(broken.size() == 1);
  CHECK(broken[0].state() == cri::v1::CONTAINER_EXITED);
  CHECK(f.RuntimeContainers(uid, "ok")[0].state() == cri::v1::CONTAINER_RUNNING);
  {
    std::lock_guard<std::mutex> l(mu);
    CHECK(execs == std::vector<std::string>{"good-hook", "bad-hook"});
  }
  REQUIRE(f.client_.Delete(testing::kPods, "ns", "hooks").ok());
  f.WaitCached(k, "hooks");
  REQUIRE(k.SyncPod(uid).ok());
  std::lock_guard<std::mutex> l(mu);
  CHECK(std::count(execs.begin(), execs.end(), "stop-hook") == 0);  // grace 0: no preStop
}

TEST_CASE("changing the image restarts the container after its preStop hook") {
  testing::KubeletFixture f;
  std::atomic<int> pre_stops{0};
  f.runtime_.SetExecSyncHandler([&](const cri::v1::ExecSyncRequest& req) {
    if (req.cmd(0) == "stop-hook") pre_stops++;
    return api::Result<cri::v1::ExecSyncResponse>(cri::v1::ExecSyncResponse());
  });
  auto pod = f.CreatePod(MakePod("img", R"({"terminationGracePeriodSeconds":20,"containers":[
      {"name":"c","image":"busybox:1.35","lifecycle":{"preStop":{"exec":{"command":["stop-hook"]}}}}]})"));
  std::string uid = KubeletFixture::Uid(pod);
  Kubelet& k = f.NewKubelet();
  REQUIRE(k.SyncPod(uid).ok());
  pod = f.GetPod("img");
  pod["spec"].as_object()["containers"].as_array()[0].as_object()["image"] = "busybox:1.36";
  REQUIRE(f.client_.Update(testing::kPods, "ns", pod).ok());
  f.WaitCached(k, "img");
  REQUIRE(k.SyncPod(uid).ok());
  CHECK(pre_stops == 1);
  auto stops = f.recorder_.stops();
  REQUIRE(stops.size() == 1);
  CHECK(stops[0].timeout() >= 19);
  CHECK(stops[0].timeout() <= 20);
  auto cs = f.RuntimeContainers(uid, "c");
  REQUIRE(cs.size() == 2);
  CHECK(cs[0].state() == cri::v1::CONTAINER_RUNNING);
  pod = f.GetPod("img");
  CHECK(KubeletFixture::ContainerStatus(pod).at("image") == "busybox:1.36");
  CHECK(KubeletFixture::ContainerStatus(pod).at("restartCount") == 1);
}

TEST_CASE("activeDeadlineSeconds fails the pod") {
  testing::KubeletFixture f;
  auto pod = f.CreatePod(MakePod("dl", R"({"activeDeadlineSeconds":5,"containers":[
      {"name":"c","image":"busybox:1.35"}]})"));
  std::string uid = KubeletFixture::Uid(pod);
  Kubelet& k = f.NewKubelet();
  REQUIRE(k.SyncPod(uid).ok());
  CHECK(KubeletFixture::Phase(f.GetPod("dl")) == "Running");
  f.clock_.Advance(std::chrono::seconds(2));
  REQUIRE(k.SyncPod(uid).ok());
  CHECK(k.RequeueDelay(uid) <= std::chrono::seconds(3));
  CHECK(k.RequeueDelay(uid).count() > 0);
  f.clock_.Advance(std::chrono::seconds(4));
  REQUIRE(k.SyncPod(uid).ok());
  pod = f.GetPod("dl");
  CHECK(KubeletFixture::Phase(pod) == "Failed");
  CHECK(api::Lookup(pod, "status.reason")->as_string() == "DeadlineExceeded");
  CHECK(f.RuntimeContainers(uid, "c")[0].state() == cri::v1::CONTAINER_EXITED);
  REQUIRE(k.SyncPod(uid).ok());
  CHECK(KubeletFixture::Phase(f.GetPod("dl")) == "Failed");
  CHECK(f.RuntimeContainers(uid, "c").size() == 1);
}

TEST_CASE("termination message from the file, or the log tail on error") {
  testing::KubeletFixture f;
  auto pod = f.CreatePod(MakePod("tm", R"({"restartPolicy":"Never","containers":[
      {"name":"a","image":"busybox:1.35"},
      {"name":"b","image":"busybox:1.35","terminationMessagePolicy":"FallbackToLogsOnError"}]})"));
  std::string uid = KubeletFixture::Uid(pod);
  Kubelet& k = f.NewKubelet();
  REQUIRE(k.SyncPod(uid).ok());
  std::ofstream(f.dir_ + "/agent/pods/" + uid + "/containers/a/0") << "all done";
  std::string log_dir = f.dir_ + "/pods/ns_tm_" + uid + "/b";
  std::filesystem::create_directories(log_dir);
  std::ofstream(log_dir + "/0.log")
      << "2024-05-01T12:00:00.1Z stdout F first\n"
      << "2024-05-01T12:00:00.2Z stderr P par\n"
      << "2024-05-01T12:00:00.3Z stderr F tial\n";
  REQUIRE(f.runtime_.SetContainerExited(f.RuntimeContainers(uid, "a")[0].id(), 0, "Completed").ok());
  REQUIRE(f.runtime_.SetContainerExited(f.RuntimeContainers(uid, "b")[0].id(), 3, "Error").ok());
  REQUIRE(k.SyncPod(uid).ok());
  pod = f.GetPod("tm");
  CHECK(KubeletFixture::Phase(pod) == "Failed");
  CHECK(api::Lookup(KubeletFixture::ContainerStatus(pod, 0), "state.terminated.message")
            ->as_string() == "all done");
  CHECK(api::Lookup(KubeletFixture::ContainerStatus(pod, 1), "state.terminated.message")
            ->as_string() == "first\npartial\n");
}

TEST_CASE("dead container instances are garbage collected") {
  testing::KubeletFixture f;
  auto pod = f.CreatePod(MakePod("gc", R"({"containers":[{"name":"c","image":"busybox:1.35"}]})"));
  std::string uid = KubeletFixture::Uid(pod);
  Kubelet& k = f.NewKubelet();
  REQUIRE(k.SyncPod(uid).ok());
  for (int i = 0; i < 5; ++i) {
    REQUIRE(f.runtime_.SetContainerExited(f.RuntimeContainers(uid, "c")[0].id(), 1, "Error").ok());
    f.clock_.Advance(std::chrono::minutes(6));
    REQUIRE(k.SyncPod(uid).ok());
  }
  auto cs = f.RuntimeContainers(uid, "c");
  CHECK(cs.size() == 3);  // the running one and two dead ones
  CHECK(cs[0].state() == cri::v1::CONTAINER_RUNNING);
  CHECK(KubeletFixture::ContainerStatus(f.GetPod("gc")).at("restartCount") == 5);
}

TEST_CASE("gc plan") {
  RuntimePod rt;
  auto add = [&](const std::string& name, ContainerState s, const std::string& sb) {
    RuntimeContainer c;
    c.id = name + std::to_string(rt.containers.size());
    c.name = name;
    c.state = s;
    c.sandbox_id = sb;
    rt.containers.push_back(c);
  };
  RuntimeSandbox s2, s1;
  s2.id = "s2";
  s2.ready = true;
  s1.id = "s1";
  rt.sandboxes = {s2, s1};
  add("c", ContainerState::kRunning, "s2");
  add("c", ContainerState::kExited, "s2");
  add("c", ContainerState::kExited, "s1");
  add("c", ContainerState::kExited, "s1");
  GcPlan plan = PlanPodGc(rt, 2);
  REQUIRE(plan.containers.size() == 1);
  CHECK(plan.containers[0]->id == "c3");
  CHECK(plan.sandboxes.empty());  // s1 still holds a kept instance
  plan = PlanPodGc(rt, 1);
  CHECK(plan.containers.size() == 2);
  CHECK(plan.sandboxes == std::vector<std::string>{"s1"});
}

}  // namespace
}  // namespace kc::kubelet
