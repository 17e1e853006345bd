// Supervisor tests. The integration cases run a real containerd and need root; they are skipped
// (with a MESSAGE) when not root or when containerd/ctr are not installed.
#include "pkg/containerd/supervisor.h"

#include <doctest/doctest.h>
#include <fcntl.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <filesystem>
#include <thread>

#include "pkg/containerd/command.h"
#include "pkg/fsutil/file_util.h"
#include "pkg/containerd/image_dir_watcher.h"
#include "pkg/containerd/image_import.h"
#include "pkg/containerd/readiness.h"
#include "pkg/containerd/test_util.h"

#ifndef KC_SOURCE_DIR
#error "KC_SOURCE_DIR must name the repository root (set in pkg/containerd/CMakeLists.txt)"
#endif

namespace kc::containerd {
namespace {

using std::chrono::milliseconds;
using std::chrono::seconds;

bool Contains(const std::string& haystack, const std::string& needle) {
  return haystack.find(needle) != std::string::npos;
}

// Why the integration tests cannot run here, or "".
std::string IntegrationSkipReason() {
  if (::geteuid() != 0) return "not root";
  for (const char* tool : {"containerd", "ctr"}) {
    auto r = RunCommand({tool, "--version"}, seconds(10));
    if (!r.ok() || r->exit_code != 0) return std::string(tool) + " not installed";
  }
  return "";
}

Supervisor::Options TestOptions(const std::string& data_dir) {
  Supervisor::Options o;
  o.containerd.paths = PathsForDataDir(data_dir);
  o.containerd.stream_server_port = 0;  // never clash with a real kcluster on 10010
  o.min_backoff = milliseconds(200);
  o.max_backoff = milliseconds(1000);
  return o;
}

std::string ImagesLs(const std::string& socket) {
  auto r =
      RunCommand({"ctr", "--address", socket, "-n", "k8s.io", "images", "ls", "-q"}, seconds(20));
  REQUIRE(r.ok());
  REQUIRE(r->exit_code == 0);
  return r->output;
}

TEST_CASE("Supervisor rejects bad configuration before writing anything") {
  testing::TempDir tmp;
  SUBCASE("bad registries.yaml") {
    Supervisor::Options o = TestOptions(tmp.path());
    o.registries_yaml = tmp.path() + "/registries.yaml";
    REQUIRE(fsutil::WriteFileAtomic(o.registries_yaml, "mirrors: [\n", 0600).ok());
    Supervisor s(o);
    api::Status st = s.Start();
    CHECK(st.reason() == api::Reason::kInvalid);
    CHECK(Contains(st.message(), "registries.yaml"));
    CHECK_FALSE(std::filesystem::exists(o.containerd.paths.config_file));
    CHECK_FALSE(std::filesystem::exists(o.containerd.paths.certs_dir));
  }
  SUBCASE("bad pod CIDR") {
    Supervisor::Options o = TestOptions(tmp.path());
    o.cni_pod_cidr = "10.1.2.3";
    Supervisor s(o);
    CHECK(s.Start().reason() == api::Reason::kInvalid);
    CHECK_FALSE(std::filesystem::exists(o.containerd.paths.config_file));
  }
  SUBCASE("relative data dir") {
    Supervisor s(TestOptions("relative/dir"));
    CHECK(s.Start().reason() == api::Reason::kInvalid);
  }
}

TEST_CASE("Supervisor with an external endpoint that never answers times out") {
  testing::TempDir tmp;
  Supervisor::Options o = TestOptions(tmp.path());
  o.external_endpoint = tmp.path() + "/nobody.sock";
  o.start_timeout = milliseconds(500);
  Supervisor s(o);
  CHECK(s.socket() == o.external_endpoint);
  CHECK(s.grpc_target() == "unix://" + o.external_endpoint);
  api::Status st = s.Start();
  CHECK(st.reason() == api::Reason::kTimeout);
  CHECK(Contains(st.message(), "does not accept connections"));
  CHECK(s.pid() == -1);
  s.Stop();
}

TEST_CASE("Supervisor integration: start, import images, restart after SIGKILL, stop") {
  std::string skip = IntegrationSkipReason();
  if (!skip.empty()) {
    MESSAGE("containerd integration test skipped: " << skip);
    return;
  }
  testing::TempDir tmp;
  const std::string out = tmp.path() + "/out";
  auto built =
      RunCommand({std::string(KC_SOURCE_DIR) + "/scripts/build-images.sh", out}, seconds(300));
  REQUIRE(built.ok());
  INFO(built->output);
  REQUIRE(built->exit_code == 0);
  REQUIRE(std::filesystem::exists(out + "/pause.tar"));
  REQUIRE(std::filesystem::exists(out + "/busybox.tar"));

  const std::string data = tmp.path() + "/data";
  Supervisor::Options o = TestOptions(data);
  o.registries_yaml = tmp.path() + "/registries.yaml";
  REQUIRE(fsutil::WriteFileAtomic(o.registries_yaml,
                          "mirrors:\n  docker.io:\n    endpoint: [\"http://127.0.0.1:5999\"]\n"
                          "configs:\n  docker.io:\n    auth: {username: u, password: p}\n",
                          0600)
              .ok());
  o.cni_pod_cidr = "10.199.0.0/24";
  const ContainerdPaths& paths = o.containerd.paths;
  Supervisor supervisor(o);
  api::Status started = supervisor.Start();
  if (!started.ok()) {
    auto log = fsutil::ReadFile(paths.log_file);
    FAIL(started.ToString() << "\n" << (log.ok() ? LastLines(*log, 30) : ""));
  }
  CHECK(supervisor.Start().reason() == api::Reason::kAlreadyExists);
  const pid_t first = supervisor.pid();
  CHECK(first > 0);
  CHECK(SocketAcceptsConnections(paths.socket));
  CHECK(std::filesystem::exists(paths.certs_dir + "/docker.io/hosts.toml"));
  CHECK(std::filesystem::exists(paths.cni_conf_dir + "/10-kcluster.conflist"));
  CHECK(Contains(*fsutil::ReadFile(paths.config_file), "registry-1.docker.io"));
  CHECK(Contains(*fsutil::ReadFile(paths.pid_file), std::to_string(first)));

  // The pause image by direct import, busybox through the images directory.
  auto pause = ImportImageTarball(supervisor.socket(), out + "/pause.tar");
  REQUIRE_MESSAGE(pause.ok(), pause.status().ToString());
  CHECK(*pause == std::vector<std::string>{"docker.io/kcluster/pause:1"});
  CHECK(ImportImageTarball(supervisor.socket(), out + "/missing.tar").status().reason() ==
        api::Reason::kNotFound);

  std::filesystem::create_directories(paths.images_dir);
  std::filesystem::copy_file(out + "/busybox.tar", paths.images_dir + "/busybox.tar");
  {
    ImageDirWatcher watcher({paths.images_dir, seconds(5), seconds(2)},
                            ImageDirWatcher::CtrImporter(supervisor.socket()));
    watcher.Start();  // imports synchronously
  }
  std::string images = ImagesLs(supervisor.socket());
  CHECK(Contains(images, "docker.io/kcluster/pause:1\n"));
  CHECK(Contains(images, "docker.io/library/busybox:1.35\n"));
  CHECK(Contains(images, "docker.io/library/busybox:latest\n"));

  // Crash containerd: the monitor brings it back.
  REQUIRE(::kill(first, SIGKILL) == 0);
  bool back = false;
  for (int i = 0; i < 300 && !back; ++i) {
    std::this_thread::sleep_for(milliseconds(100));
    pid_t now = supervisor.pid();
    back = supervisor.restarts() >= 1 && now > 0 && now != first &&
           SocketAcceptsConnections(paths.socket);
  }
  REQUIRE(back);
  // Ready means the CRI plugin is up again; the images survived.
  auto ls = RunCommand({"ctr", "--address", paths.socket, "plugins", "ls"}, seconds(20));
  REQUIRE(ls.ok());
  CHECK(ParsePluginState(ls->output, "io.containerd.grpc.v1", "cri") == PluginState::kOk);
  CHECK(Contains(ImagesLs(supervisor.socket()), "docker.io/library/busybox:1.35\n"));

  const pid_t second = supervisor.pid();
  supervisor.Stop();
  CHECK(supervisor.pid() == -1);
  CHECK(::kill(second, 0) != 0);  // reaped
  CHECK_FALSE(SocketAcceptsConnections(paths.socket));
  CHECK_FALSE(std::filesystem::exists(paths.pid_file));
  supervisor.Stop();  // idempotent

  SUBCASE("an external endpoint is used as is") {
    Supervisor again(o);
    REQUIRE(again.Start().ok());
    Supervisor::Options ext = TestOptions(tmp.path() + "/unused");
    ext.external_endpoint = paths.socket;
    Supervisor external(ext);
    REQUIRE(external.Start().ok());
    CHECK(external.pid() == -1);
    external.Stop();
    CHECK(SocketAcceptsConnections(paths.socket));  // not ours to stop
    again.Stop();
  }
  SUBCASE("a containerd left over by a crashed kcluster is replaced") {
    // Start one directly, as a previous kcluster would have, and record its pid.
    int log_fd = ::open("/dev/null", O_WRONLY | O_CLOEXEC);
    auto orphan = SpawnProcess({"containerd", "--config", paths.config_file}, log_fd, true);
    ::close(log_fd);
    REQUIRE(orphan.ok());
    REQUIRE(fsutil::WriteFileAtomic(paths.pid_file, std::to_string(*orphan) + "\n", 0644).ok());
    for (int i = 0; i < 100 && !SocketAcceptsConnections(paths.socket); ++i) {
      std::this_thread::sleep_for(milliseconds(100));
    }
    Supervisor again(o);
    REQUIRE(again.Start().ok());
    CHECK(again.pid() != *orphan);
    int wstatus = 0;
    CHECK(::waitpid(*orphan, &wstatus, WNOHANG) == *orphan);  // it was stopped
    again.Stop();
  }
  SUBCASE("a CRI plugin that fails to load fails Start with the reason") {
    Supervisor::Options bad = o;
    bad.containerd.snapshotter = "bogus";
    Supervisor s(bad);
    api::Status st = s.Start();
    CHECK(st.reason() == api::Reason::kInternalError);
    INFO(st.message());
    CHECK(Contains(st.message(), "failed to find snapshotter \"bogus\""));
    CHECK(s.pid() == -1);
    CHECK_FALSE(SocketAcceptsConnections(paths.socket));  // nothing left running
  }
}

}  // namespace
}  // namespace kc::containerd
