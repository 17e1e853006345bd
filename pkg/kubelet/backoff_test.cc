#include "pkg/kubelet/backoff.h"

#include <doctest/doctest.h>

#include <boost/json/parse.hpp>
#include <filesystem>
#include <fstream>

#include "pkg/kubelet/atomic_writer.h"
#include "pkg/kubelet/go_duration.h"
#include "pkg/kubelet/machine_info.h"
#include "pkg/kubelet/pod_actions.h"

namespace kc::kubelet {
namespace {

using namespace std::chrono_literals;

TEST_CASE("back-off doubles, caps and resets after a quiet period") {
  client::FakeClock clock;
  TimeSource time(&clock);
  Backoff b(time, 10s, 300s);
  auto t0 = time.Wall();
  CHECK(!b.IsInBackOffSince("k", t0));
  b.Next("k", t0);
  CHECK(b.Get("k") == 10s);
  CHECK(b.IsInBackOffSince("k", t0));
  clock.Advance(9s);
  CHECK(b.IsInBackOffSince("k", t0));
  CHECK(b.Remaining("k", t0) <= 1s);
  clock.Advance(2s);
  CHECK(!b.IsInBackOffSince("k", t0));
  b.Next("k", time.Wall());
  CHECK(b.Get("k") == 20s);
  for (int i = 0; i < 10; ++i) b.Next("k", time.Wall());
  CHECK(b.Get("k") == 300s);
  CHECK(b.IsInBackOffSinceUpdate("k"));
  clock.Advance(11min);  // more than 2*max without updates
  CHECK(!b.IsInBackOffSinceUpdate("k"));
  b.Next("k", time.Wall());
  CHECK(b.Get("k") == 10s);
  b.Next("u1_a", time.Wall());
  b.Next("u1_b", time.Wall());
  b.Next("u2_a", time.Wall());
  b.ResetPrefix("u1_");
  CHECK(b.Get("u1_a") == 0s);
  CHECK(b.Get("u2_a") == 10s);
}

TEST_CASE("Go duration strings") {
  CHECK(GoDuration(10s) == "10s");
  CHECK(GoDuration(80s) == "1m20s");
  CHECK(GoDuration(300s) == "5m0s");
  CHECK(GoDuration(160s) == "2m40s");
  CHECK(GoDuration(500ms) == "500ms");
  CHECK(GoDuration(1500ms) == "1.5s");
  CHECK(GoDuration(3661s) == "1h1m1s");
  CHECK(GoDuration(0s) == "0s");
}

TEST_CASE("machine info parsing") {
  CHECK(ParseMemTotal("MemTotal:        8148736 kB\nMemFree: 1 kB\n") == 8148736LL * 1024);
  CHECK(ParseMemTotal("nothing") == 0);
  CHECK(ParseOsImage("NAME=\"Debian\"\nPRETTY_NAME=\"Debian GNU/Linux 12 (bookworm)\"\n") ==
        "Debian GNU/Linux 12 (bookworm)");
  CHECK(ParseOsImage("") == "Linux");
  MachineInfo m = ReadMachineInfo("/nonexistent/dir/below");
  CHECK(m.cpu_count >= 1);
  CHECK(m.memory_bytes > 0);
  CHECK(m.ephemeral_storage_bytes > 0);
}

TEST_CASE("atomic writer") {
  char tmpl[] = "/tmp/kc-aw-XXXXXX";
  std::string dir = std::string(mkdtemp(tmpl)) + "/vol";
  auto read = [](const std::string& p) {
    std::ifstream in(p);
    std::string s((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    return s;
  };
  bool changed = false;
  REQUIRE(WriteAtomically(dir, {{"a", {"1", 0644}}, {"sub/b", {"2", 0600}}}, &changed).ok());
  CHECK(changed);
  CHECK(read(dir + "/a") == "1");
  CHECK(read(dir + "/sub/b") == "2");
  CHECK(std::filesystem::is_symlink(dir + "/a"));
  CHECK(std::filesystem::is_symlink(dir + "/..data"));
  REQUIRE(WriteAtomically(dir, {{"a", {"1", 0644}}, {"sub/b", {"2", 0600}}}, &changed).ok());
  CHECK(!changed);
  REQUIRE(WriteAtomically(dir, {{"a", {"3", 0644}}}, &changed).ok());
  CHECK(changed);
  CHECK(read(dir + "/a") == "3");
  CHECK(!std::filesystem::exists(dir + "/sub"));
  int versions = 0;
  for (const auto& e : std::filesystem::directory_iterator(dir)) {
    std::string n = e.path().filename().string();
    if (n.rfind("..", 0) == 0 && n != "..data") versions++;
  }
  CHECK(versions == 1);
  CHECK(!WriteAtomically(dir, {{"../escape", {"x", 0644}}}).ok());
  CHECK(!IsSafeRelativePath("/abs"));
  CHECK(IsSafeRelativePath("a/b"));
  std::filesystem::remove_all(std::filesystem::path(dir).parent_path());
}

json::object Pod(const std::string& policy, bool init = false) {
  std::string inits = init ? R"("initContainers":[{"name":"i1"},{"name":"i2"}],)" : "";
  return json::parse(R"({"metadata":{"name":"p","uid":"u"},"spec":{)" + inits +
                     R"("restartPolicy":")" + policy + R"(","containers":[{"name":"a"},{"name":"b"}]}})")
      .as_object();
}

RuntimeContainer C(const std::string& name, ContainerState s, int exit_code = 0,
                   int64_t created = 1) {
  RuntimeContainer c;
  c.id = name + std::to_string(created);
  c.name = name;
  c.state = s;
  c.exit_code = exit_code;
  c.created_at = created;
  return c;
}

RuntimePod WithSandbox() {
  RuntimePod rt;
  RuntimeSandbox sb;
  sb.id = "sb";
  sb.ready = true;
  rt.sandboxes.push_back(sb);
  return rt;
}

TEST_CASE("pod actions") {
  SUBCASE("fresh pod: sandbox and all containers") {
    PodActions a = ComputePodActions(Pod("Always"), RuntimePod(), {});
    CHECK(a.create_sandbox);
    CHECK(a.containers_to_start == std::vector<std::string>{"a", "b"});
  }
  SUBCASE("fresh pod with init containers: only the first init container") {
    PodActions a = ComputePodActions(Pod("Always", true), RuntimePod(), {});
    CHECK(a.create_sandbox);
    CHECK(a.init_to_start == std::vector<std::string>{"i1"});
    CHECK(a.containers_to_start.empty());
  }
  SUBCASE("init progress") {
    RuntimePod rt = WithSandbox();
    rt.containers.push_back(C("i1", ContainerState::kExited, 0));
    PodActions a = ComputePodActions(Pod("Always", true), rt, {});
    CHECK(a.init_to_start == std::vector<std::string>{"i2"});
    rt.containers.insert(rt.containers.begin(), C("i2", ContainerState::kRunning, 0, 2));
    a = ComputePodActions(Pod("Always", true), rt, {});
    CHECK(a.init_to_start.empty());
    CHECK(a.containers_to_start.empty());
    rt.containers[0].state = ContainerState::kExited;
    a = ComputePodActions(Pod("Always", true), rt, {});
    CHECK(a.containers_to_start == std::vector<std::string>{"a", "b"});
  }
  SUBCASE("failed init container is retried unless Never") {
    RuntimePod rt = WithSandbox();
    rt.containers.push_back(C("i1", ContainerState::kExited, 1));
    CHECK(ComputePodActions(Pod("OnFailure", true), rt, {}).init_to_start ==
          std::vector<std::string>{"i1"});
    PodActions never = ComputePodActions(Pod("Never", true), rt, {});
    CHECK(never.kill_pod);
    CHECK(never.init_failed_for_good);
  }
  SUBCASE("restart policies for exited containers") {
    RuntimePod rt = WithSandbox();
    rt.containers.push_back(C("a", ContainerState::kExited, 0));
    rt.containers.push_back(C("b", ContainerState::kExited, 1));
    CHECK(ComputePodActions(Pod("Always"), rt, {}).containers_to_start ==
          std::vector<std::string>{"a", "b"});
    CHECK(ComputePodActions(Pod("OnFailure"), rt, {}).containers_to_start ==
          std::vector<std::string>{"b"});
    PodActions never = ComputePodActions(Pod("Never"), rt, {});
    CHECK(never.containers_to_start.empty());
    CHECK(never.kill_pod);  // nothing left to run: stop the sandbox
    CHECK(!never.create_sandbox);
  }
  SUBCASE("liveness failure kills and restarts") {
    RuntimePod rt = WithSandbox();
    rt.containers.push_back(C("a", ContainerState::kRunning));
    rt.containers.push_back(C("b", ContainerState::kRunning));
    ProbeVerdicts v;
    v.liveness_failed.insert("a1");
    PodActions act = ComputePodActions(Pod("Always"), rt, v);
    REQUIRE(act.containers_to_kill.size() == 1);
    CHECK(act.containers_to_kill[0].name == "a");
    CHECK(act.containers_to_kill[0].message ==
          "Container a failed liveness probe, will be restarted");
    CHECK(act.containers_to_start == std::vector<std::string>{"a"});
    CHECK(!act.kill_pod);
  }
  SUBCASE("dead sandbox under Never after the containers ran: no new sandbox") {
    RuntimePod rt;
    RuntimeSandbox sb;
    sb.id = "sb";
    sb.ready = false;
    rt.sandboxes.push_back(sb);
    rt.containers.push_back(C("a", ContainerState::kExited, 0));
    PodActions a = ComputePodActions(Pod("Never"), rt, {});
    CHECK(a.kill_pod);
    CHECK(!a.create_sandbox);
  }
}

}  // namespace
}  // namespace kc::kubelet
