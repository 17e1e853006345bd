#include "pkg/kubelet/pod_status.h"

#include <doctest/doctest.h>

#include <boost/json/parse.hpp>

#include "pkg/api/json_path.h"

namespace kc::kubelet {
namespace {

json::object Parse(const std::string& s) { return json::parse(s).as_object(); }

json::object Pod(const std::string& policy, bool with_init = false) {
  std::string init = with_init
                         ? R"("initContainers":[{"name":"init","image":"busybox"}],)"
                         : "";
  return Parse(R"({"metadata":{"name":"p","namespace":"ns","uid":"u1"},
    "spec":{)" + init + R"("restartPolicy":")" + policy + R"(",
    "containers":[{"name":"c","image":"busybox:1.35"}]},
    "status":{"phase":"Pending","qosClass":"BestEffort"}})");
}

RuntimeSandbox ReadySandbox() {
  RuntimeSandbox s;
  s.id = "sb1";
  s.ready = true;
  s.has_network = true;
  s.ip = "10.42.0.7";
  s.created_at = 1;
  s.status_known = true;
  return s;
}

RuntimeContainer Container(const std::string& name, ContainerState state, int exit_code = 0,
                           const std::string& reason = "", int restarts = 0,
                           int64_t created = 100) {
  RuntimeContainer c;
  c.id = name + "-id" + std::to_string(restarts);
  c.name = name;
  c.state = state;
  c.exit_code = exit_code;
  c.reason = reason;
  c.restart_count = restarts;
  c.created_at = created;
  c.started_at = 1700000000LL * 1000000000LL;
  if (state == ContainerState::kExited) c.finished_at = 1700000010LL * 1000000000LL;
  c.image_ref = "sha256:abc";
  return c;
}

api::Clock::time_point Now() { return *api::ParseTime("2024-05-01T12:00:00Z"); }

json::object Compute(const json::object& pod, const RuntimePod& rt,
                     std::map<std::string, WaitingReason> reasons = {},
                     std::set<std::string> ready = {}, bool terminal = false) {
  PodStatusInput in;
  in.pod = &pod;
  in.runtime = &rt;
  in.waiting_reasons = std::move(reasons);
  in.readiness_ok = std::move(ready);
  in.node_ip = "10.0.0.5";
  in.now = Now();
  in.pod_is_terminal = terminal;
  return ComputePodStatus(in);
}

std::string Cond(const json::object& st, const std::string& type, const char* field = "status") {
  for (const json::value& c : st.at("conditions").as_array()) {
    if (api::GetString(c.as_object(), "type") == type) return api::GetString(c.as_object(), field);
  }
  return "<none>";
}

const json::object& CStatus(const json::object& st, const char* list = "containerStatuses",
                            size_t i = 0) {
  return st.at(list).as_array().at(i).as_object();
}

std::string StateKey(const json::object& cs) {
  return std::string(cs.at("state").as_object().begin()->key());
}

TEST_CASE("pod status: phase, conditions and container states") {
  SUBCASE("nothing in the runtime yet: Pending, ContainerCreating") {
    json::object pod = Pod("Always");
    RuntimePod rt;
    json::object st = Compute(pod, rt);
    CHECK(api::GetString(st, "phase") == "Pending");
    const json::object& cs = CStatus(st);
    CHECK(cs.at("state").at("waiting").at("reason") == "ContainerCreating");
    CHECK(cs.at("ready") == false);
    CHECK(cs.at("restartCount") == 0);
    CHECK(cs.at("image") == "busybox:1.35");
    CHECK(cs.at("imageID") == "");
    CHECK(!cs.contains("containerID"));
    CHECK(Cond(st, "PodReadyToStartContainers") == "False");
    CHECK(Cond(st, "Initialized") == "True");
    CHECK(Cond(st, "Ready") == "False");
    CHECK(Cond(st, "Ready", "reason") == "ContainersNotReady");
    CHECK(Cond(st, "Ready", "message") == "containers with unready status: [c]");
    CHECK(Cond(st, "ContainersReady", "message") == "containers with unready status: [c]");
    CHECK(Cond(st, "PodScheduled") == "True");
    CHECK(api::GetString(st, "hostIP") == "10.0.0.5");
    CHECK(!st.contains("podIP"));
    CHECK(api::GetString(st, "startTime") == "2024-05-01T12:00:00Z");
    CHECK(api::GetString(st, "qosClass") == "BestEffort");
  }
  SUBCASE("running container: Running and Ready") {
    json::object pod = Pod("Always");
    RuntimePod rt;
    rt.sandboxes.push_back(ReadySandbox());
    rt.containers.push_back(Container("c", ContainerState::kRunning));
    json::object st = Compute(pod, rt);
    CHECK(api::GetString(st, "phase") == "Running");
    const json::object& cs = CStatus(st);
    CHECK(StateKey(cs) == "running");
    CHECK(cs.at("state").at("running").at("startedAt") == "2023-11-14T22:13:20Z");
    CHECK(cs.at("ready") == true);
    CHECK(cs.at("started") == true);
    CHECK(cs.at("containerID") == "containerd://c-id0");
    CHECK(cs.at("imageID") == "sha256:abc");
    CHECK(Cond(st, "Ready") == "True");
    CHECK(Cond(st, "ContainersReady") == "True");
    CHECK(Cond(st, "PodReadyToStartContainers") == "True");
    CHECK(api::GetString(st, "podIP") == "10.42.0.7");
    CHECK(st.at("podIPs").at(0).at("ip") == "10.42.0.7");
  }
  SUBCASE("readiness probe not yet passed: not ready") {
    json::object pod = Pod("Always");
    pod["spec"].as_object()["containers"].as_array()[0].as_object()["readinessProbe"] =
        Parse(R"({"exec":{"command":["true"]}})");
    RuntimePod rt;
    rt.sandboxes.push_back(ReadySandbox());
    rt.containers.push_back(Container("c", ContainerState::kRunning));
    json::object st = Compute(pod, rt);
    CHECK(CStatus(st).at("ready") == false);
    CHECK(Cond(st, "Ready") == "False");
    st = Compute(pod, rt, {}, {"c-id0"});
    CHECK(CStatus(st).at("ready") == true);
    CHECK(Cond(st, "Ready") == "True");
  }
  SUBCASE("exit 0 under Never: Succeeded, PodCompleted") {
    json::object pod = Pod("Never");
    RuntimePod rt;
    rt.containers.push_back(Container("c", ContainerState::kExited, 0, "Completed"));
    json::object st = Compute(pod, rt);
    CHECK(api::GetString(st, "phase") == "Succeeded");
    const json::object& t = CStatus(st).at("state").at("terminated").as_object();
    CHECK(t.at("reason") == "Completed");
    CHECK(t.at("exitCode") == 0);
    CHECK(t.at("containerID") == "containerd://c-id0");
    CHECK(t.at("finishedAt") == "2023-11-14T22:13:30Z");
    CHECK(Cond(st, "Ready", "reason") == "PodCompleted");
    CHECK(Cond(st, "Initialized", "status") == "True");
  }
  SUBCASE("exit 1 under Never: Failed / Error") {
    json::object pod = Pod("Never");
    RuntimePod rt;
    rt.containers.push_back(Container("c", ContainerState::kExited, 1, "Error"));
    json::object st = Compute(pod, rt);
    CHECK(api::GetString(st, "phase") == "Failed");
    CHECK(CStatus(st).at("state").at("terminated").at("reason") == "Error");
    CHECK(Cond(st, "Ready", "reason") == "PodFailed");
  }
  SUBCASE("OOMKilled is reported as the terminated reason") {
    json::object pod = Pod("Never");
    RuntimePod rt;
    rt.containers.push_back(Container("c", ContainerState::kExited, 137, "OOMKilled"));
    json::object st = Compute(pod, rt);
    CHECK(CStatus(st).at("state").at("terminated").at("reason") == "OOMKilled");
    CHECK(CStatus(st).at("state").at("terminated").at("exitCode") == 137);
  }
  SUBCASE("empty CRI reason falls back to Completed/Error") {
    json::object pod = Pod("Never");
    RuntimePod rt;
    rt.containers.push_back(Container("c", ContainerState::kExited, 2, ""));
    json::object st = Compute(pod, rt);
    CHECK(CStatus(st).at("state").at("terminated").at("reason") == "Error");
  }
  SUBCASE("crash loop under Always: Running phase, waiting CrashLoopBackOff, lastState") {
    json::object pod = Pod("Always");
    RuntimePod rt;
    rt.sandboxes.push_back(ReadySandbox());
    rt.containers.push_back(Container("c", ContainerState::kExited, 1, "Error", 1, 200));
    rt.containers.push_back(Container("c", ContainerState::kExited, 1, "Error", 0, 100));
    json::object st =
        Compute(pod, rt, {{"c", {"CrashLoopBackOff", "back-off 10s restarting failed container=c pod=p_ns(u1)"}}});
    CHECK(api::GetString(st, "phase") == "Running");
    const json::object& cs = CStatus(st);
    CHECK(cs.at("state").at("waiting").at("reason") == "CrashLoopBackOff");
    CHECK(cs.at("state").at("waiting").at("message") ==
          "back-off 10s restarting failed container=c pod=p_ns(u1)");
    CHECK(cs.at("lastState").at("terminated").at("exitCode") == 1);
    CHECK(cs.at("lastState").at("terminated").at("containerID") == "containerd://c-id1");
    CHECK(cs.at("restartCount") == 1);
    CHECK(cs.at("ready") == false);
  }
  SUBCASE("exited under Always without a recorded reason shows terminated") {
    json::object pod = Pod("Always");
    RuntimePod rt;
    rt.sandboxes.push_back(ReadySandbox());
    rt.containers.push_back(Container("c", ContainerState::kExited, 0, "Completed"));
    json::object st = Compute(pod, rt);
    CHECK(api::GetString(st, "phase") == "Running");
    CHECK(StateKey(CStatus(st)) == "terminated");
  }
  SUBCASE("image pull failure shows ErrImagePull") {
    json::object pod = Pod("Always");
    RuntimePod rt;
    rt.sandboxes.push_back(ReadySandbox());
    json::object st = Compute(pod, rt, {{"c", {"ErrImagePull", "rpc error: not found"}}});
    CHECK(api::GetString(st, "phase") == "Pending");
    CHECK(CStatus(st).at("state").at("waiting").at("reason") == "ErrImagePull");
  }
  SUBCASE("init container pending: PodInitializing everywhere, Initialized False") {
    json::object pod = Pod("Always", true);
    RuntimePod rt;
    rt.sandboxes.push_back(ReadySandbox());
    json::object st = Compute(pod, rt);
    CHECK(api::GetString(st, "phase") == "Pending");
    CHECK(CStatus(st, "initContainerStatuses").at("state").at("waiting").at("reason") ==
          "PodInitializing");
    CHECK(CStatus(st).at("state").at("waiting").at("reason") == "PodInitializing");
    CHECK(Cond(st, "Initialized") == "False");
    CHECK(Cond(st, "Initialized", "reason") == "ContainersNotInitialized");
    CHECK(Cond(st, "Initialized", "message") == "containers with incomplete status: [init]");
  }
  SUBCASE("init container done: ready, Initialized True") {
    json::object pod = Pod("Always", true);
    RuntimePod rt;
    rt.sandboxes.push_back(ReadySandbox());
    rt.containers.push_back(Container("c", ContainerState::kRunning, 0, "", 0, 300));
    rt.containers.push_back(Container("init", ContainerState::kExited, 0, "Completed"));
    json::object st = Compute(pod, rt);
    CHECK(api::GetString(st, "phase") == "Running");
    const json::object& ics = CStatus(st, "initContainerStatuses");
    CHECK(ics.at("ready") == true);
    CHECK(ics.at("started") == false);
    CHECK(ics.at("state").at("terminated").at("reason") == "Completed");
    CHECK(Cond(st, "Initialized") == "True");
  }
  SUBCASE("init container failed under Never: Failed") {
    json::object pod = Pod("Never", true);
    RuntimePod rt;
    rt.containers.push_back(Container("init", ContainerState::kExited, 3, "Error"));
    json::object st = Compute(pod, rt);
    CHECK(api::GetString(st, "phase") == "Failed");
  }
  SUBCASE("init container failing under Always: Pending, Init crash loop") {
    json::object pod = Pod("Always", true);
    RuntimePod rt;
    rt.sandboxes.push_back(ReadySandbox());
    rt.containers.push_back(Container("init", ContainerState::kExited, 3, "Error"));
    json::object st = Compute(pod, rt, {{"init", {"CrashLoopBackOff", "back-off"}}});
    CHECK(api::GetString(st, "phase") == "Pending");
    CHECK(CStatus(st, "initContainerStatuses").at("state").at("waiting").at("reason") ==
          "CrashLoopBackOff");
  }
  SUBCASE("terminal pod under Always: phase from the exit codes") {
    json::object pod = Pod("Always");
    RuntimePod rt;
    rt.containers.push_back(Container("c", ContainerState::kExited, 137, "Error"));
    CHECK(api::GetString(Compute(pod, rt, {}, {}, true), "phase") == "Failed");
    rt.containers[0].exit_code = 0;
    CHECK(api::GetString(Compute(pod, rt, {}, {}, true), "phase") == "Succeeded");
  }
  SUBCASE("terminal phases stick") {
    json::object pod = Pod("Always");
    pod["status"].as_object()["phase"] = "Succeeded";
    RuntimePod rt;
    rt.sandboxes.push_back(ReadySandbox());
    rt.containers.push_back(Container("c", ContainerState::kRunning));
    CHECK(api::GetString(Compute(pod, rt), "phase") == "Succeeded");
  }
  SUBCASE("host network pods report the node IP") {
    json::object pod = Pod("Always");
    pod["spec"].as_object()["hostNetwork"] = true;
    RuntimePod rt;
    RuntimeSandbox sb = ReadySandbox();
    sb.ip = "";
    sb.host_network = true;
    rt.sandboxes.push_back(sb);
    json::object st = Compute(pod, rt);
    CHECK(api::GetString(st, "podIP") == "10.0.0.5");
    CHECK(Cond(st, "PodReadyToStartContainers") == "True");
  }
}

TEST_CASE("pod status: condition transition times and foreign conditions") {
  json::object pod = Pod("Always");
  pod["status"].as_object()["conditions"] = Parse(R"({"a":[
      {"type":"PodScheduled","status":"True","lastTransitionTime":"2024-01-01T00:00:00Z"},
      {"type":"Ready","status":"False","lastTransitionTime":"2024-01-01T00:00:01Z"},
      {"type":"example.com/gate","status":"True","lastTransitionTime":"2024-01-01T00:00:02Z"}]})")
                                                     .at("a");
  pod["status"].as_object()["startTime"] = "2024-01-01T00:00:00Z";
  RuntimePod rt;
  json::object st = Compute(pod, rt);
  CHECK(Cond(st, "PodScheduled", "lastTransitionTime") == "2024-01-01T00:00:00Z");
  CHECK(Cond(st, "Ready", "lastTransitionTime") == "2024-01-01T00:00:01Z");
  CHECK(Cond(st, "Initialized", "lastTransitionTime") == "2024-05-01T12:00:00Z");
  CHECK(Cond(st, "example.com/gate") == "True");
  CHECK(api::GetString(st, "startTime") == "2024-01-01T00:00:00Z");
  // Ready flips to True: the transition time moves.
  rt.sandboxes.push_back(ReadySandbox());
  rt.containers.push_back(Container("c", ContainerState::kRunning));
  st = Compute(pod, rt);
  CHECK(Cond(st, "Ready", "lastTransitionTime") == "2024-05-01T12:00:00Z");
  CHECK(st.at("conditions").at(0).at("type") == "example.com/gate");
  CHECK(st.at("conditions").at(1).as_object().contains("lastProbeTime"));
}

TEST_CASE("pod status: readiness gates") {
  json::object pod = Pod("Always");
  pod["spec"].as_object()["readinessGates"] = Parse(R"({"a":[{"conditionType":"x/y"}]})").at("a");
  RuntimePod rt;
  rt.sandboxes.push_back(ReadySandbox());
  rt.containers.push_back(Container("c", ContainerState::kRunning));
  json::object st = Compute(pod, rt);
  CHECK(Cond(st, "ContainersReady") == "True");
  CHECK(Cond(st, "Ready") == "False");
  CHECK(Cond(st, "Ready", "reason") == "ReadinessGatesNotReady");
  CHECK(Cond(st, "Ready", "message") ==
        "corresponding condition of pod readiness gate \"x/y\" does not exist.");
}

TEST_CASE("sandbox needs create") {
  json::object pod = Pod("Always");
  RuntimePod rt;
  uint32_t attempt = 99;
  CHECK(SandboxNeedsCreate(pod, rt, &attempt));
  CHECK(attempt == 0);
  RuntimeSandbox sb = ReadySandbox();
  sb.attempt = 2;
  rt.sandboxes.push_back(sb);
  CHECK(!SandboxNeedsCreate(pod, rt, &attempt));
  CHECK(attempt == 2);
  rt.sandboxes[0].ready = false;
  CHECK(SandboxNeedsCreate(pod, rt, &attempt));
  CHECK(attempt == 3);
  rt.sandboxes[0].ready = true;
  rt.sandboxes[0].ip = "";
  CHECK(SandboxNeedsCreate(pod, rt, &attempt));
}

}  // namespace
}  // namespace kc::kubelet
