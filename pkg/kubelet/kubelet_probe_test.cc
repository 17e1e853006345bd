#include "pkg/kubelet/kubelet.h"

#include <doctest/doctest.h>

#include <atomic>

#include "pkg/kubelet/kubelet_test_util.h"

namespace kc::kubelet {
namespace {

using testing::Condition;
using testing::KubeletFixture;
using testing::MakePod;


TEST_CASE("liveness probe failures restart the container") {
  KubeletFixture f;
  auto pod = f.CreatePod(MakePod("live", R"({"containers":[{"name":"c","image":"busybox:1.35",
      "livenessProbe":{"exec":{"command":["check"]},"periodSeconds":5,"failureThreshold":2,
                       "timeoutSeconds":1}}]})"));
  std::string uid = KubeletFixture::Uid(pod);
  std::atomic<int> exit_code{0};
  f.runtime_.SetExecSyncHandler([&](const cri::v1::ExecSyncRequest& req) {
    cri::v1::ExecSyncResponse r;
    r.set_exit_code(req.cmd(0) == "check" ? exit_code.load() : 0);
    return api::Result<cri::v1::ExecSyncResponse>(r);
  });
  Kubelet& k = f.NewKubelet();
  REQUIRE(k.SyncPod(uid).ok());
  CHECK(k.probes().NumWorkers() == 1);
  k.probes().RunDueProbes();
  CHECK(f.runtime_.CallCount("ExecSync") == 1);
  exit_code = 1;
  f.clock_.Advance(std::chrono::seconds(5));
  k.probes().RunDueProbes();
  REQUIRE(k.SyncPod(uid).ok());
  CHECK(f.RuntimeContainers(uid, "c").size() == 1);  // one failure is below the threshold
  f.clock_.Advance(std::chrono::seconds(5));
  k.probes().RunDueProbes();
  REQUIRE(k.SyncPod(uid).ok());
  auto cs = f.RuntimeContainers(uid, "c");
  REQUIRE(cs.size() == 2);
  CHECK(cs[1].state() == cri::v1::CONTAINER_EXITED);
  CHECK(cs[0].state() == cri::v1::CONTAINER_RUNNING);
  CHECK(KubeletFixture::ContainerStatus(f.GetPod("live")).at("restartCount") == 1);
}

TEST_CASE("readiness probe gates Ready") {
  KubeletFixture f;
  auto pod = f.CreatePod(MakePod("ready", R"({"containers":[{"name":"c","image":"busybox:1.35",
      "readinessProbe":{"exec":{"command":["check"]},"periodSeconds":1}}]})"));
  std::string uid = KubeletFixture::Uid(pod);
  Kubelet& k = f.NewKubelet();
  REQUIRE(k.SyncPod(uid).ok());
  pod = f.GetPod("ready");
  CHECK(Condition(pod, "Ready") == "False");
  CHECK(KubeletFixture::ContainerStatus(pod).at("ready") == false);
  k.probes().RunDueProbes();
  REQUIRE(k.SyncPod(uid).ok());
  pod = f.GetPod("ready");
  CHECK(Condition(pod, "Ready") == "True");
  CHECK(KubeletFixture::ContainerStatus(pod).at("ready") == true);
}

TEST_CASE("startup probe holds liveness and readiness until it succeeds") {
  testing::KubeletFixture f;
  std::atomic<int> startup_exit{1};
  std::mutex mu;
  std::vector<std::string> execs;
  f.runtime_.SetExecSyncHandler([&](const cri::v1::ExecSyncRequest& req) {
    {
      std::lock_guard<std::mutex> l(mu);
      execs.push_back(req.cmd(0));
    }
    cri::v1::ExecSyncResponse r;
    r.set_exit_code(req.cmd(0) == "startup" ? startup_exit.load() : 0);
    return api::Result<cri::v1::ExecSyncResponse>(r);
  });
  auto pod = f.CreatePod(MakePod("slow", R"({"containers":[{"name":"c","image":"busybox:1.35",
      "startupProbe":{"exec":{"command":["startup"]},"periodSeconds":1,"failureThreshold":30},
      "livenessProbe":{"exec":{"command":["live"]},"periodSeconds":1},
      "readinessProbe":{"exec":{"command":["ready"]},"periodSeconds":1}}]})"));
  std::string uid = KubeletFixture::Uid(pod);
  Kubelet& k = f.NewKubelet();
  REQUIRE(k.SyncPod(uid).ok());
  k.probes().RunDueProbes();
  {
    std::lock_guard<std::mutex> l(mu);
    CHECK(execs == std::vector<std::string>{"startup"});
  }
  REQUIRE(k.SyncPod(uid).ok());
  pod = f.GetPod("slow");
  CHECK(KubeletFixture::ContainerStatus(pod).at("started") == false);
  CHECK(KubeletFixture::ContainerStatus(pod).at("ready") == false);
  startup_exit = 0;
  f.clock_.Advance(std::chrono::seconds(1));
  k.probes().RunDueProbes();  // startup succeeds
  f.clock_.Advance(std::chrono::seconds(1));
  k.probes().RunDueProbes();  // liveness + readiness run now
  {
    std::lock_guard<std::mutex> l(mu);
    CHECK(std::count(execs.begin(), execs.end(), "ready") == 1);
    CHECK(std::count(execs.begin(), execs.end(), "live") == 1);
  }
  REQUIRE(k.SyncPod(uid).ok());
  pod = f.GetPod("slow");
  CHECK(KubeletFixture::ContainerStatus(pod).at("started") == true);
  CHECK(KubeletFixture::ContainerStatus(pod).at("ready") == true);
}

}  // namespace
}  // namespace kc::kubelet
