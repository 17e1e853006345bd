// GrpcRuntime against a real containerd 1.6 started by the test in a temporary directory.
// Skipped (with a message) when the containerd binary is missing or the test does not run as root.
#include "pkg/kubelet/cri/grpc_runtime.h"

#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <thread>

#include <doctest/doctest.h>

extern char** environ;

namespace kc::cri {
namespace {

namespace fs = std::filesystem;
using namespace std::chrono_literals;

std::string FindContainerd() {
  for (const char* dir : {"/usr/bin", "/usr/local/bin", "/usr/sbin", "/bin"}) {
    fs::path p = fs::path(dir) / "containerd";
    if (::access(p.c_str(), X_OK) == 0) return p.string();
  }
  return "";
}

// A containerd process with its own root/state/socket under a fresh temporary directory.
// The destructor kills it and removes the directory (unless something is still mounted there).
class ContainerdInstance {
 public:
  ContainerdInstance() {
    char tmpl[] = "/tmp/kc-cri-test-XXXXXX";
    char* made = ::mkdtemp(tmpl);
    REQUIRE(made != nullptr);
    dir_ = made;
    fs::create_directories(dir_ / "cni" / "net.d");
    fs::create_directories(dir_ / "certs.d");
    const std::string d = dir_.string();
    std::ofstream cfg(dir_ / "config.toml");
    cfg << "version = 2\n"
        << "root = \"" << d << "/root\"\n"
        << "state = \"" << d << "/state\"\n"
        << "[grpc]\n  address = \"" << socket() << "\"\n"
        << "[plugins.\"io.containerd.internal.v1.opt\"]\n  path = \"" << d << "/root/opt\"\n"
        << "[plugins.\"io.containerd.grpc.v1.cri\"]\n"
        << "  sandbox_image = \"docker.io/k3st/pause:1\"\n"
        << "  stream_server_address = \"127.0.0.1\"\n"
        << "  stream_server_port = \"0\"\n"
        << "  enable_unprivileged_ports = true\n"
        << "  enable_unprivileged_icmp = true\n"
        << "  restrict_oom_score_adj = true\n"
        << "  [plugins.\"io.containerd.grpc.v1.cri\".cni]\n"
        << "    bin_dir = \"/usr/lib/cni\"\n"
        << "    conf_dir = \"" << d << "/cni/net.d\"\n"
        << "  [plugins.\"io.containerd.grpc.v1.cri\".containerd]\n"
        << "    snapshotter = \"overlayfs\"\n"
        << "    default_runtime_name = \"runc\"\n"
        << "    [plugins.\"io.containerd.grpc.v1.cri\".containerd.runtimes.runc]\n"
        << "      runtime_type = \"io.containerd.runc.v2\"\n"
        << "      [plugins.\"io.containerd.grpc.v1.cri\".containerd.runtimes.runc.options]\n"
        << "        SystemdCgroup = false\n"
        << "  [plugins.\"io.containerd.grpc.v1.cri\".registry]\n"
        << "    config_path = \"" << d << "/certs.d\"\n";
    cfg.close();
    REQUIRE(cfg.good());
  }

  ~ContainerdInstance() {
    Stop();
    if (dir_.empty()) return;
    // Never recurse into a mount (e.g. a snapshot or /dev/shm left by a crashed instance).
    std::ifstream mounts("/proc/self/mounts");
    std::string line;
    while (std::getline(mounts, line)) {
      if (line.find(dir_.string()) != std::string::npos) {
        MESSAGE("leaving " << dir_ << " in place: something is still mounted there");
        return;
      }
    }
    std::error_code ec;
    fs::remove_all(dir_, ec);
  }

  std::string socket() const { return (dir_ / "containerd.sock").string(); }
  const fs::path& dir() const { return dir_; }

  void Start(const std::string& binary) {
    const std::string config = (dir_ / "config.toml").string();
    const std::string log = (dir_ / "containerd.log").string();
    posix_spawn_file_actions_t actions;
    posix_spawn_file_actions_init(&actions);
    posix_spawn_file_actions_addopen(&actions, STDIN_FILENO, "/dev/null", O_RDONLY, 0);
    posix_spawn_file_actions_addopen(&actions, STDOUT_FILENO, log.c_str(),
                                     O_WRONLY | O_CREAT | O_TRUNC, 0644);
    posix_spawn_file_actions_adddup2(&actions, STDOUT_FILENO, STDERR_FILENO);
    std::vector<std::string> args = {binary, "--config", config};
    std::vector<char*> argv;
    for (auto& a : args) argv.push_back(a.data());
    argv.push_back(nullptr);
    int rc = posix_spawn(&pid_, binary.c_str(), &actions, nullptr, argv.data(), environ);
    posix_spawn_file_actions_destroy(&actions);
    REQUIRE_MESSAGE(rc == 0, "posix_spawn containerd failed: " << rc);
  }

  // Waits for the gRPC socket to appear; false if containerd exited or the time ran out.
  bool WaitForSocket(std::chrono::seconds timeout) {
    auto deadline = std::chrono::steady_clock::now() + timeout;
    while (std::chrono::steady_clock::now() < deadline) {
      if (fs::exists(socket())) return true;
      int status = 0;
      if (::waitpid(pid_, &status, WNOHANG) == pid_) {
        pid_ = -1;
        return false;
      }
      std::this_thread::sleep_for(50ms);
    }
    return false;
  }

  std::string Log() const {
    std::ifstream in(dir_ / "containerd.log");
    std::stringstream ss;
    ss << in.rdbuf();
    std::string s = ss.str();
    return s.size() > 4000 ? s.substr(s.size() - 4000) : s;
  }

  void Stop() {
    if (pid_ <= 0) return;
    ::kill(pid_, SIGTERM);
    for (int i = 0; i < 100; ++i) {  // up to 10 s
      int status = 0;
      if (::waitpid(pid_, &status, WNOHANG) == pid_) {
        pid_ = -1;
        return;
      }
      std::this_thread::sleep_for(100ms);
    }
    ::kill(pid_, SIGKILL);
    ::waitpid(pid_, nullptr, 0);
    pid_ = -1;
  }

 private:
  fs::path dir_;
  pid_t pid_ = -1;
};

TEST_CASE("GrpcRuntime::Connect validates the socket path") {
  CHECK(GrpcRuntime::Connect("").status().reason() == api::Reason::kBadRequest);
  CHECK(GrpcRuntime::Connect("run/containerd.sock").status().reason() == api::Reason::kBadRequest);
  CHECK(GrpcRuntime::Connect("unix://relative.sock").status().reason() ==
        api::Reason::kBadRequest);
  auto a = GrpcRuntime::Connect("/run/x.sock");
  REQUIRE(a.ok());
  CHECK((*a)->target() == "unix:///run/x.sock");
  auto b = GrpcRuntime::Connect("unix:///run/x.sock");
  REQUIRE(b.ok());
  CHECK((*b)->target() == "unix:///run/x.sock");
}

TEST_CASE("GrpcRuntime maps an unreachable socket to ServiceUnavailable") {
  auto rt = GrpcRuntime::Connect("/nonexistent/kc-cri-test.sock", 2s);
  REQUIRE(rt.ok());
  auto v = (*rt)->Version(v1::VersionRequest());
  REQUIRE_FALSE(v.ok());
  // With the 2 s deadline either code is possible, depending on whether gRPC gave up first.
  const bool mapped = v.status().reason() == api::Reason::kServiceUnavailable ||
                      v.status().reason() == api::Reason::kTimeout;
  CHECK_MESSAGE(mapped, v.status().ToString());
  CHECK_FALSE(v.status().message().empty());
  CHECK_FALSE((*rt)->WaitForReady(200ms).ok());
}

TEST_CASE("GrpcRuntime against a real containerd") {
  const std::string binary = FindContainerd();
  if (binary.empty()) {
    MESSAGE("skipped: containerd binary not found");
    return;
  }
  if (::geteuid() != 0) {
    MESSAGE("skipped: not running as root");
    return;
  }

  // One containerd for all checks (SUBCASEs would restart it for each).
  ContainerdInstance containerd;
  containerd.Start(binary);
  REQUIRE_MESSAGE(containerd.WaitForSocket(30s), "containerd did not come up:\n" << containerd.Log());

  auto connected = GrpcRuntime::Connect(containerd.socket(), 30s);
  REQUIRE(connected.ok());
  GrpcRuntime& rt = **connected;
  REQUIRE(rt.WaitForReady(10s).ok());

  // The socket exists once the services are registered, but retry briefly anyway.
  api::Result<v1::VersionResponse> version = api::Status::Internal("not called");
  for (int i = 0; i < 50; ++i) {
    v1::VersionRequest req;
    req.set_version("v1");
    version = rt.Version(req);
    if (version.ok()) break;
    std::this_thread::sleep_for(100ms);
  }
  REQUIRE_MESSAGE(version.ok(), version.status().ToString() << "\n" << containerd.Log());
  CHECK(version->runtime_name() == "containerd");
  CHECK(version->runtime_api_version() == "v1");
  CHECK(version->runtime_version().rfind("1.6", 0) == 0);
  CHECK_FALSE(version->version().empty());

  {  // Status: RuntimeReady, and NetworkReady false with an empty CNI dir
    v1::StatusRequest req;
    req.set_verbose(true);
    auto st = rt.Status(req);
    REQUIRE_MESSAGE(st.ok(), st.status().ToString());
    bool runtime_ready = false;
    bool saw_network = false;
    for (const auto& c : st->status().conditions()) {
      if (c.type() == "RuntimeReady") runtime_ready = c.status();
      if (c.type() == "NetworkReady") {
        saw_network = true;
        CHECK_FALSE(c.status());
        CHECK(c.reason() == "NetworkPluginNotReady");
      }
    }
    CHECK(runtime_ready);
    CHECK(saw_network);
    CHECK(st->info().count("lastCNILoadStatus") == 1);
  }
  {  // ImageFsInfo reports the overlayfs snapshotter under our root
    auto info = rt.ImageFsInfo(v1::ImageFsInfoRequest());
    REQUIRE_MESSAGE(info.ok(), info.status().ToString());
    REQUIRE(info->image_filesystems_size() >= 1);
    const auto& mp = info->image_filesystems(0).fs_id().mountpoint();
    CHECK(mp.rfind(containerd.dir().string(), 0) == 0);
    CHECK(mp.find("io.containerd.snapshotter.v1.overlayfs") != std::string::npos);
  }
  {  // images: empty list, unknown image is OK without image, remove unknown is OK
    auto list = rt.ListImages(v1::ListImagesRequest());
    REQUIRE_MESSAGE(list.ok(), list.status().ToString());
    CHECK(list->images_size() == 0);

    v1::ImageStatusRequest req;
    req.mutable_image()->set_image("docker.io/library/kc-cri-does-not-exist:1");
    auto st = rt.ImageStatus(req);
    REQUIRE_MESSAGE(st.ok(), st.status().ToString());
    CHECK_FALSE(st->has_image());

    v1::RemoveImageRequest rm;
    rm.mutable_image()->set_image("kc-cri-does-not-exist:1");
    auto removed = rt.RemoveImage(rm);
    CHECK_MESSAGE(removed.ok(), removed.ToString());
  }
  {  // sandboxes and containers: empty lists; unknown ids map to NotFound
    auto sandboxes = rt.ListPodSandbox(v1::ListPodSandboxRequest());
    REQUIRE_MESSAGE(sandboxes.ok(), sandboxes.status().ToString());
    CHECK(sandboxes->items_size() == 0);
    auto containers = rt.ListContainers(v1::ListContainersRequest());
    REQUIRE(containers.ok());
    CHECK(containers->containers_size() == 0);

    v1::PodSandboxStatusRequest ps;
    ps.set_pod_sandbox_id("0123456789abcdef");
    auto missing = rt.PodSandboxStatus(ps);
    REQUIRE_FALSE(missing.ok());
    CHECK(missing.status().reason() == api::Reason::kNotFound);
    CHECK_FALSE(missing.status().message().empty());

    v1::ContainerStatusRequest cs;
    cs.set_container_id("0123456789abcdef");
    CHECK(rt.ContainerStatus(cs).status().reason() == api::Reason::kNotFound);

    v1::RemovePodSandboxRequest rm;
    rm.set_pod_sandbox_id("0123456789abcdef");
    CHECK(rt.RemovePodSandbox(rm).ok());  // idempotent
  }
  {  // Exec validation errors map to BadRequest
    v1::ExecRequest req;
    req.set_container_id("0123456789abcdef");
    req.add_cmd("sh");
    req.set_tty(true);
    req.set_stderr(true);
    auto r = rt.Exec(req);
    REQUIRE_FALSE(r.ok());
    // containerd looks the container up first (NotFound) or validates first (BadRequest).
    const bool mapped = r.status().reason() == api::Reason::kNotFound ||
                        r.status().reason() == api::Reason::kBadRequest;
    CHECK_MESSAGE(mapped, r.status().ToString());
  }

  containerd.Stop();
}

}  // namespace
}  // namespace kc::cri
