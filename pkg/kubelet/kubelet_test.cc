#include "pkg/kubelet/kubelet.h"

#include <doctest/doctest.h>

#include <set>

#include "pkg/kubelet/kubelet_test_util.h"
#include "pkg/kubelet/pod_util.h"

namespace kc::kubelet {
namespace {

using testing::Condition;
using testing::KubeletFixture;
using testing::MakePod;
using testing::kConfigMaps;
using testing::kSecrets;


TEST_CASE("a plain pod gets a sandbox and its containers, then reports Running") {
  KubeletFixture f;
  auto pod = f.CreatePod(MakePod("web", R"JS({"containers":[
      {"name":"app","image":"busybox:1.35","command":["sh","-c","echo $(GREETING) $(MISSING)"],
       "env":[{"name":"GREETING","value":"hello-$(POD_NAME)"},
              {"name":"POD_NAME","valueFrom":{"fieldRef":{"fieldPath":"metadata.name"}}},
              {"name":"NODE","valueFrom":{"fieldRef":{"fieldPath":"spec.nodeName"}}},
              {"name":"IP","valueFrom":{"fieldRef":{"fieldPath":"status.podIP"}}},
              {"name":"CPU","valueFrom":{"resourceFieldRef":{"resource":"limits.cpu","divisor":"1m"}}}],
       "ports":[{"containerPort":80,"hostPort":8080,"protocol":"TCP"}],
       "resources":{"requests":{"cpu":"250m","memory":"64Mi"},"limits":{"cpu":"500m","memory":"128Mi"}},
       "volumeMounts":[{"name":"scratch","mountPath":"/scratch"}]},
      {"name":"side","image":"busybox:1.35"}],
      "volumes":[{"name":"scratch","emptyDir":{}}]})JS"));
  std::string uid = KubeletFixture::Uid(pod);
  Kubelet& k = f.NewKubelet();
  REQUIRE(k.SyncPod(uid).ok());

  auto sandboxes = f.recorder_.sandboxes();
  REQUIRE(sandboxes.size() == 1);
  const cri::v1::PodSandboxConfig& sb = sandboxes[0].config();
  CHECK(sb.metadata().name() == "web");
  CHECK(sb.metadata().namespace_() == "ns");
  CHECK(sb.metadata().uid() == uid);
  CHECK(sb.metadata().attempt() == 0);
  CHECK(sb.hostname() == "web");
  CHECK(sb.log_directory() == f.dir_ + "/pods/ns_web_" + uid);
  REQUIRE(sb.dns_config().servers_size() == 1);
  CHECK(sb.dns_config().servers(0) == "10.43.0.10");
  REQUIRE(sb.dns_config().searches_size() == 4);
  CHECK(sb.dns_config().searches(0) == "ns.svc.cluster.local");
  CHECK(sb.dns_config().searches(1) == "svc.cluster.local");
  CHECK(sb.dns_config().searches(2) == "cluster.local");
  CHECK(sb.dns_config().searches(3) == "example.com");
  CHECK(sb.dns_config().options(0) == "ndots:5");
  REQUIRE(sb.port_mappings_size() == 1);
  CHECK(sb.port_mappings(0).host_port() == 8080);
  CHECK(sb.port_mappings(0).container_port() == 80);
  CHECK(sb.labels().at("io.kubernetes.pod.uid") == uid);
  CHECK(sb.labels().at("app") == "web");
  CHECK(sb.linux().cgroup_parent() == "/kubepods/burstable/pod" + uid);
  CHECK(sb.linux().security_context().namespace_options().network() == cri::v1::POD);

  auto creates = f.recorder_.creates();
  REQUIRE(creates.size() == 2);
  const cri::v1::ContainerConfig& app = creates[0].config();
  CHECK(app.metadata().name() == "app");
  CHECK(app.log_path() == "app/0.log");
  CHECK(app.labels().at("io.kubernetes.container.name") == "app");
  CHECK(app.annotations().at("io.kubernetes.container.restartCount") == "0");
  REQUIRE(app.command_size() == 3);
  CHECK(app.command(2) == "echo hello-$(POD_NAME) $(MISSING)");
  std::map<std::string, std::string> env;
  for (const auto& kv : app.envs()) env[kv.key()] = kv.value();
  CHECK(env["GREETING"] == "hello-$(POD_NAME)");  // POD_NAME is declared later
  CHECK(env["POD_NAME"] == "web");
  CHECK(env["NODE"] == "node1");
  CHECK(env["IP"].rfind("10.88.0.", 0) == 0);
  CHECK(env["CPU"] == "500");
  CHECK(app.linux().resources().cpu_shares() == 256);
  CHECK(app.linux().resources().cpu_quota() == 50000);
  CHECK(app.linux().resources().cpu_period() == 100000);
  CHECK(app.linux().resources().memory_limit_in_bytes() == 128 * 1024 * 1024);
  REQUIRE(app.mounts_size() == 2);
  CHECK(app.mounts(0).container_path() == "/scratch");
  CHECK(app.mounts(1).container_path() == "/dev/termination-log");
  CHECK(app.mounts(1).host_path() == f.dir_ + "/agent/pods/" + uid + "/containers/app/0");
  CHECK(app.mounts(0).host_path() ==
        f.dir_ + "/agent/pods/" + uid + "/volumes/kubernetes.io~empty-dir/scratch");
  CHECK(std::filesystem::is_directory(app.mounts(0).host_path()));

  std::string app_id = f.RuntimeContainers(uid, "app")[0].id();
  std::string link = f.dir_ + "/containers/web_ns_app-" + app_id + ".log";
  CHECK(std::filesystem::is_symlink(link));
  CHECK(std::filesystem::read_symlink(link).string() == sb.log_directory() + "/app/0.log");
  pod = f.GetPod("web");
  CHECK(KubeletFixture::Phase(pod) == "Running");
  CHECK(std::string(KubeletFixture::ContainerStatus(pod).at("name").as_string()) == "app");
  CHECK(KubeletFixture::ContainerStatus(pod).at("ready") == true);
  CHECK(Condition(pod, "Ready") == "True");
  CHECK(api::GetString(pod.at("status").as_object(), "podIP").rfind("10.88.0.", 0) == 0);
  CHECK(api::GetString(pod.at("status").as_object(), "hostIP") == "10.0.0.5");

  SUBCASE("events tell the story") {
    k.events().Flush();
    auto events = f.client_.List({"", "v1", "events"}, "ns", {});
    REQUIRE(events.ok());
    std::set<std::string> seen;
    for (const json::object& e : events->items) {
      CHECK(api::Lookup(e, "source.component")->as_string() == "kubelet");
      CHECK(api::Lookup(e, "involvedObject.uid")->as_string() == uid);
      seen.insert(std::string(e.at("reason").as_string()) + ":" +
                  std::string(e.at("message").as_string()));
    }
    CHECK(seen.count("Created:Created container: app"));
    CHECK(seen.count("Started:Started container app"));
    CHECK(seen.count("Pulling:Pulling image \"busybox:1.35\""));
  }
  SUBCASE("a second sync changes nothing and writes nothing") {
    f.client_.ClearActions();
    f.runtime_.ClearCalls();
    f.WaitCached(k, "web");
    REQUIRE(k.SyncPod(uid).ok());
    CHECK(f.runtime_.CallCount("RunPodSandbox") == 0);
    CHECK(f.runtime_.CallCount("CreateContainer") == 0);
    CHECK(f.client_.ActionsFor("patch", "pods").empty());
  }
  SUBCASE("a kubelet restart adopts the running pod") {
    f.runtime_.ClearCalls();
    f.client_.ClearActions();
    Kubelet& k2 = f.NewKubelet();
    REQUIRE(k2.SyncPod(uid).ok());
    CHECK(f.runtime_.CallCount("RunPodSandbox") == 0);
    CHECK(f.runtime_.CallCount("CreateContainer") == 0);
    CHECK(f.runtime_.CallCount("StopContainer") == 0);
    pod = f.GetPod("web");
    CHECK(KubeletFixture::Phase(pod) == "Running");
    CHECK(KubeletFixture::ContainerStatus(pod).at("restartCount") == 0);
  }
  SUBCASE("logs paths and errors") {
    f.WaitCached(k, "web");
    auto log = k.streams().ContainerLog("ns", "web", "app", false);
    REQUIRE(log.ok());
    CHECK(log->path == f.dir_ + "/pods/ns_web_" + uid + "/app/0.log");
    CHECK(log->running);
    auto prev = k.streams().ContainerLog("ns", "web", "app", true);
    REQUIRE(!prev.ok());
    CHECK(prev.status().reason() == api::Reason::kBadRequest);
    CHECK(prev.status().message() ==
          "previous terminated container \"app\" in pod \"web\" not found");
    auto exec = k.streams().ExecUrl({"ns", "web", "app", {"ls"}, false, true, true, false});
    REQUIRE(exec.ok());
    CHECK(exec->find("/exec/") != std::string::npos);
    auto pf = k.streams().PortForwardUrl("ns", "web", {80});
    REQUIRE(pf.ok());
    CHECK(pf->find("/portforward/") != std::string::npos);
  }
}

TEST_CASE("waiting to start: logs error and ErrImageNeverPull") {
  KubeletFixture f;
  auto pod = f.CreatePod(MakePod("never", R"({"containers":[
      {"name":"c","image":"nothere:1","imagePullPolicy":"Never"}]})"));
  std::string uid = KubeletFixture::Uid(pod);
  Kubelet& k = f.NewKubelet();
  auto log = k.streams().ContainerLog("ns", "never", "c", false);
  REQUIRE(!log.ok());
  CHECK(log.status().message() ==
        "container \"c\" in pod \"never\" is waiting to start: ContainerCreating");
  REQUIRE(k.SyncPod(uid).ok());
  pod = f.GetPod("never");
  CHECK(KubeletFixture::WaitingReason(pod) == "ErrImageNeverPull");
  CHECK(api::Lookup(KubeletFixture::ContainerStatus(pod), "state.waiting.message")->as_string() ==
        "Container image \"nothere:1\" is not present with pull policy of Never");
  CHECK(KubeletFixture::Phase(pod) == "Pending");
}

TEST_CASE("image pull failure: ErrImagePull then ImagePullBackOff") {
  KubeletFixture f;
  f.runtime_.SetPullAnyImage(false);
  auto pod = f.CreatePod(MakePod("bad", R"({"containers":[{"name":"c","image":"nope:1"}]})"));
  std::string uid = KubeletFixture::Uid(pod);
  Kubelet& k = f.NewKubelet();
  REQUIRE(k.SyncPod(uid).ok());
  CHECK(KubeletFixture::WaitingReason(f.GetPod("bad")) == "ErrImagePull");
  REQUIRE(k.SyncPod(uid).ok());
  pod = f.GetPod("bad");
  CHECK(KubeletFixture::WaitingReason(pod) == "ImagePullBackOff");
  CHECK(api::Lookup(KubeletFixture::ContainerStatus(pod), "state.waiting.message")->as_string() ==
        "Back-off pulling image \"nope:1\"");
  CHECK(f.runtime_.CallCount("PullImage") == 1);
  f.clock_.Advance(std::chrono::seconds(11));
  f.runtime_.AddPullableImage("nope:1");
  REQUIRE(k.SyncPod(uid).ok());
  CHECK(f.runtime_.CallCount("PullImage") == 2);
  CHECK(KubeletFixture::Phase(f.GetPod("bad")) == "Running");
}

TEST_CASE("init containers run in order before the app containers") {
  KubeletFixture f;
  auto pod = f.CreatePod(MakePod("init", R"({"initContainers":[
      {"name":"i1","image":"busybox:1.35"},{"name":"i2","image":"busybox:1.35"}],
      "containers":[{"name":"app","image":"busybox:1.35"}]})"));
  std::string uid = KubeletFixture::Uid(pod);
  Kubelet& k = f.NewKubelet();
  REQUIRE(k.SyncPod(uid).ok());
  auto creates = f.recorder_.creates();
  REQUIRE(creates.size() == 1);
  CHECK(creates[0].config().metadata().name() == "i1");
  pod = f.GetPod("init");
  CHECK(KubeletFixture::Phase(pod) == "Pending");
  CHECK(Condition(pod, "Initialized") == "False");
  // i1 still running: nothing more starts.
  REQUIRE(k.SyncPod(uid).ok());
  CHECK(f.recorder_.creates().size() == 1);
  auto i1 = f.RuntimeContainers(uid, "i1");
  REQUIRE(f.runtime_.SetContainerExited(i1[0].id(), 0, "Completed").ok());
  REQUIRE(k.SyncPod(uid).ok());
  creates = f.recorder_.creates();
  REQUIRE(creates.size() == 2);
  CHECK(creates[1].config().metadata().name() == "i2");
  auto i2 = f.RuntimeContainers(uid, "i2");
  REQUIRE(f.runtime_.SetContainerExited(i2[0].id(), 0, "Completed").ok());
  REQUIRE(k.SyncPod(uid).ok());
  creates = f.recorder_.creates();
  REQUIRE(creates.size() == 3);
  CHECK(creates[2].config().metadata().name() == "app");
  pod = f.GetPod("init");
  CHECK(KubeletFixture::Phase(pod) == "Running");
  CHECK(Condition(pod, "Initialized") == "True");
  CHECK(KubeletFixture::ContainerStatus(pod, 1, "initContainerStatuses").at("ready") == true);
}

TEST_CASE("a failing init container under restartPolicy Never fails the pod") {
  KubeletFixture f;
  auto pod = f.CreatePod(MakePod("initfail", R"({"restartPolicy":"Never","initContainers":[
      {"name":"i1","image":"busybox:1.35"}],"containers":[{"name":"app","image":"busybox:1.35"}]})"));
  std::string uid = KubeletFixture::Uid(pod);
  Kubelet& k = f.NewKubelet();
  REQUIRE(k.SyncPod(uid).ok());
  auto i1 = f.RuntimeContainers(uid, "i1");
  REQUIRE(f.runtime_.SetContainerExited(i1[0].id(), 2, "Error").ok());
  REQUIRE(k.SyncPod(uid).ok());
  pod = f.GetPod("initfail");
  CHECK(KubeletFixture::Phase(pod) == "Failed");
  CHECK(f.recorder_.creates().size() == 1);
  CHECK(f.runtime_.CallCount("StopPodSandbox") >= 1);
}

TEST_CASE("crashing container: immediate restart, then CrashLoopBackOff with doubling back-off") {
  KubeletFixture f;
  auto pod = f.CreatePod(MakePod("crash", R"({"containers":[{"name":"c","image":"busybox:1.35"}]})"));
  std::string uid = KubeletFixture::Uid(pod);
  Kubelet& k = f.NewKubelet();
  REQUIRE(k.SyncPod(uid).ok());
  auto crash = [&] {
    auto cs = f.RuntimeContainers(uid, "c");
    REQUIRE(f.runtime_.SetContainerExited(cs[0].id(), 1, "Error").ok());
  };
  crash();
  REQUIRE(k.SyncPod(uid).ok());  // first crash: restarted at once
  CHECK(f.RuntimeContainers(uid, "c").size() == 2);
  pod = f.GetPod("crash");
  CHECK(KubeletFixture::ContainerStatus(pod).at("restartCount") == 1);
  CHECK(f.recorder_.creates().back().config().log_path() == "c/1.log");
  crash();
  REQUIRE(k.SyncPod(uid).ok());  // second crash: back-off 10s
  CHECK(f.RuntimeContainers(uid, "c").size() == 2);
  pod = f.GetPod("crash");
  CHECK(KubeletFixture::WaitingReason(pod) == "CrashLoopBackOff");
  CHECK(api::Lookup(KubeletFixture::ContainerStatus(pod), "state.waiting.message")->as_string() ==
        "back-off 10s restarting failed container=c pod=crash_ns(" + uid + ")");
  CHECK(api::Lookup(KubeletFixture::ContainerStatus(pod), "lastState.terminated.exitCode")
            ->to_number<int64_t>() == 1);
  CHECK(KubeletFixture::Phase(pod) == "Running");
  CHECK(k.RequeueDelay(uid).count() > 0);
  CHECK(k.RequeueDelay(uid) <= std::chrono::seconds(10));
  f.clock_.Advance(std::chrono::seconds(11));
  REQUIRE(k.SyncPod(uid).ok());
  CHECK(f.RuntimeContainers(uid, "c").size() == 3);
  CHECK(KubeletFixture::ContainerStatus(f.GetPod("crash")).at("restartCount") == 2);
  crash();
  REQUIRE(k.SyncPod(uid).ok());
  CHECK(api::Lookup(KubeletFixture::ContainerStatus(f.GetPod("crash")), "state.waiting.message")
            ->as_string() == "back-off 20s restarting failed container=c pod=crash_ns(" + uid +
                                 ")");
  SUBCASE("logs of the previous instance") {
    f.WaitCached(k, "crash");
    auto prev = k.streams().ContainerLog("ns", "crash", "c", true);
    REQUIRE(prev.ok());
    CHECK(prev->path == f.dir_ + "/pods/ns_crash_" + uid + "/c/2.log");
    CHECK(!prev->running);
  }
}

TEST_CASE("restartPolicy OnFailure: success ends the pod, the sandbox is stopped") {
  KubeletFixture f;
  auto pod = f.CreatePod(MakePod("job", R"({"restartPolicy":"OnFailure",
      "containers":[{"name":"c","image":"busybox:1.35"}]})"));
  std::string uid = KubeletFixture::Uid(pod);
  Kubelet& k = f.NewKubelet();
  REQUIRE(k.SyncPod(uid).ok());
  auto cs = f.RuntimeContainers(uid, "c");
  REQUIRE(f.runtime_.SetContainerExited(cs[0].id(), 0, "Completed").ok());
  REQUIRE(k.SyncPod(uid).ok());
  pod = f.GetPod("job");
  CHECK(KubeletFixture::Phase(pod) == "Succeeded");
  CHECK(api::Lookup(KubeletFixture::ContainerStatus(pod), "state.terminated.reason")->as_string() ==
        "Completed");
  CHECK(f.runtime_.CallCount("StopPodSandbox") == 1);
  CHECK(f.RuntimeContainers(uid, "c").size() == 1);  // kept for logs
  REQUIRE(k.SyncPod(uid).ok());
  CHECK(f.recorder_.creates().size() == 1);
}

TEST_CASE("graceful deletion: stop, remove, delete with grace 0 and the uid precondition") {
  KubeletFixture f;
  // FakeClient has no graceful pod deletion; a finalizer keeps the pod with a deletionTimestamp
  // (and deletionGracePeriodSeconds 0) the way the API server keeps a bound pod.
  json::object spec = MakePod("del", R"({"containers":[{"name":"c","image":"busybox:1.35"}]})");
  spec["metadata"].as_object()["finalizers"] = json::array{"test/keep"};
  auto pod = f.CreatePod(spec);
  std::string uid = KubeletFixture::Uid(pod);
  Kubelet& k = f.NewKubelet();
  REQUIRE(k.SyncPod(uid).ok());
  REQUIRE(f.client_.Delete(testing::kPods, "ns", "del").ok());
  f.WaitCached(k, "del");
  f.client_.ClearActions();
  REQUIRE(k.SyncPod(uid).ok());
  auto stops = f.recorder_.stops();
  REQUIRE(stops.size() == 1);
  CHECK(stops[0].timeout() == 0);
  CHECK(f.runtime_.CallCount("StopPodSandbox") >= 1);
  CHECK(f.runtime_.CallCount("RemovePodSandbox") == 1);
  auto patches = f.client_.ActionsFor("patch", "pods");
  REQUIRE(patches.size() == 1);  // the final status
  CHECK(patches[0].subresource == "status");
  auto deletes = f.client_.ActionsFor("delete", "pods");
  REQUIRE(deletes.size() == 1);
  CHECK(deletes[0].delete_options.grace_period_seconds == 0);
  CHECK(deletes[0].delete_options.precondition_uid == uid);
  CHECK(!std::filesystem::exists(f.dir_ + "/agent/pods/" + uid));
  CHECK(!std::filesystem::exists(f.dir_ + "/pods/ns_del_" + uid));
  CHECK(std::filesystem::is_empty(f.dir_ + "/containers"));
  CHECK(f.runtime_.ListPodSandbox(cri::v1::ListPodSandboxRequest())->items_size() == 0);
  pod = f.GetPod("del");
  CHECK(api::Lookup(KubeletFixture::ContainerStatus(pod), "state.terminated.exitCode")
            ->to_number<int64_t>() == 137);
  // The pod leaves the API: the kubelet forgets it.
  pod["metadata"].as_object().erase("finalizers");
  REQUIRE(f.client_.Update(testing::kPods, "ns", pod).ok());
  f.WaitCached(k, "del");
  REQUIRE(k.SyncPod(uid).ok());
  CHECK(k.WaitingReasons(uid).empty());
}

TEST_CASE("grace period: deletionGracePeriodSeconds wins while deleting") {
  json::object pod = testing::ParseObject(
      R"({"metadata":{"name":"p"},"spec":{"terminationGracePeriodSeconds":12}})");
  CHECK(GracePeriodSeconds(pod) == 12);
  pod["metadata"].as_object()["deletionTimestamp"] = "2030-01-01T00:00:00Z";
  pod["metadata"].as_object()["deletionGracePeriodSeconds"] = 7;
  CHECK(GracePeriodSeconds(pod) == 7);
  CHECK(GracePeriodSeconds(testing::ParseObject(R"({"spec":{}})")) == 30);
}

TEST_CASE("pods that vanished from the API are torn down") {
  KubeletFixture f;
  auto pod = f.CreatePod(MakePod("gone", R"({"containers":[{"name":"c","image":"busybox:1.35"}]})"));
  std::string uid = KubeletFixture::Uid(pod);
  {
    Kubelet& k = f.NewKubelet();
    REQUIRE(k.SyncPod(uid).ok());
  }
  client::DeleteOptions force;
  force.grace_period_seconds = 0;
  REQUIRE(f.client_.Delete(testing::kPods, "ns", "gone", force).ok());
  Kubelet& k2 = f.NewKubelet();  // never saw the pod
  auto changed = k2.Relist();
  REQUIRE(changed.size() == 1);
  REQUIRE(k2.SyncPod(uid).ok());
  CHECK(f.runtime_.ListPodSandbox(cri::v1::ListPodSandboxRequest())->items_size() == 0);
  CHECK(f.runtime_.ListContainers(cri::v1::ListContainersRequest())->containers_size() == 0);
}

TEST_CASE("configMap and secret env and volumes") {
  KubeletFixture f;
  REQUIRE(f.client_.Seed(kConfigMaps, testing::ParseObject(R"({"apiVersion":"v1","kind":"ConfigMap",
      "metadata":{"name":"cfg","namespace":"ns"},"data":{"mode":"fast","other":"x"}})")).ok());
  REQUIRE(f.client_.Seed(kSecrets, testing::ParseObject(R"({"apiVersion":"v1","kind":"Secret",
      "metadata":{"name":"sec","namespace":"ns"},"data":{"password":"aHVudGVyMg=="}})")).ok());
  auto pod = f.CreatePod(MakePod("cfg", R"({"containers":[{"name":"c","image":"busybox:1.35",
      "env":[{"name":"MODE","valueFrom":{"configMapKeyRef":{"name":"cfg","key":"mode"}}},
             {"name":"PW","valueFrom":{"secretKeyRef":{"name":"sec","key":"password"}}},
             {"name":"OPT","valueFrom":{"secretKeyRef":{"name":"nope","key":"k","optional":true}}}],
      "envFrom":[{"configMapRef":{"name":"cfg"},"prefix":"CFG_"}],
      "volumeMounts":[{"name":"conf","mountPath":"/etc/conf","readOnly":true},
                      {"name":"conf","mountPath":"/etc/mode","subPath":"mode"}]}],
      "volumes":[{"name":"conf","configMap":{"name":"cfg"}}]})"));
  std::string uid = KubeletFixture::Uid(pod);
  Kubelet& k = f.NewKubelet();
  REQUIRE(k.SyncPod(uid).ok());
  auto creates = f.recorder_.creates();
  REQUIRE(creates.size() == 1);
  std::map<std::string, std::string> env;
  for (const auto& kv : creates[0].config().envs()) env[kv.key()] = kv.value();
  CHECK(env["MODE"] == "fast");
  CHECK(env["PW"] == "hunter2");
  CHECK(env["CFG_other"] == "x");
  CHECK(!env.count("OPT"));
  const auto& mounts = creates[0].config().mounts();
  REQUIRE(mounts.size() == 3);
  CHECK(mounts[0].readonly());
  std::string dir = f.dir_ + "/agent/pods/" + uid + "/volumes/kubernetes.io~configmap/conf";
  CHECK(mounts[0].host_path() == dir);
  CHECK(mounts[1].host_path() == dir + "/mode");
  std::ifstream in(dir + "/mode");
  std::string content;
  std::getline(in, content);
  CHECK(content == "fast");
  CHECK(std::filesystem::is_symlink(dir + "/..data"));

  SUBCASE("a missing configMap key is a CreateContainerConfigError") {
    auto p2 = f.CreatePod(MakePod("cfg2", R"({"containers":[{"name":"c","image":"busybox:1.35",
        "env":[{"name":"X","valueFrom":{"configMapKeyRef":{"name":"cfg","key":"absent"}}}]}]})"));
    f.WaitCached(k, "cfg2");
    REQUIRE(k.SyncPod(KubeletFixture::Uid(p2)).ok());
    p2 = f.GetPod("cfg2");
    CHECK(KubeletFixture::WaitingReason(p2) == "CreateContainerConfigError");
    CHECK(api::Lookup(KubeletFixture::ContainerStatus(p2), "state.waiting.message")->as_string() ==
          "couldn't find key absent in ConfigMap ns/cfg");
  }
}

TEST_CASE("sandbox death recreates the sandbox and restarts the containers") {
  KubeletFixture f;
  auto pod = f.CreatePod(MakePod("sb", R"({"containers":[{"name":"c","image":"busybox:1.35"}]})"));
  std::string uid = KubeletFixture::Uid(pod);
  Kubelet& k = f.NewKubelet();
  REQUIRE(k.SyncPod(uid).ok());
  auto sbs = f.runtime_.ListPodSandbox(cri::v1::ListPodSandboxRequest());
  cri::v1::StopPodSandboxRequest stop;
  stop.set_pod_sandbox_id(sbs->items(0).id());
  REQUIRE(f.runtime_.StopPodSandbox(stop).ok());
  REQUIRE(k.SyncPod(uid).ok());
  auto sandboxes = f.recorder_.sandboxes();
  REQUIRE(sandboxes.size() == 2);
  CHECK(sandboxes[1].config().metadata().attempt() == 1);
  auto cs = f.RuntimeContainers(uid, "c");
  REQUIRE(cs.size() == 2);
  CHECK(cs[0].state() == cri::v1::CONTAINER_RUNNING);
  CHECK(KubeletFixture::ContainerStatus(f.GetPod("sb")).at("restartCount") == 1);
}

}  // namespace
}  // namespace kc::kubelet
