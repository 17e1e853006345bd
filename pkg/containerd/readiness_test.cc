#include "pkg/containerd/readiness.h"

#include <doctest/doctest.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include <cstring>

#include "pkg/containerd/test_util.h"

namespace kc::containerd {
namespace {

// Trimmed real output of `ctr plugins ls` from containerd 1.6.20.
constexpr char kPluginsLs[] =
    "TYPE                                  ID                       PLATFORMS      STATUS    \n"
    "io.containerd.content.v1              content                  -              ok        \n"
    "io.containerd.snapshotter.v1          aufs                     linux/amd64    skip      \n"
    "io.containerd.snapshotter.v1          devmapper                linux/amd64    error     \n"
    "io.containerd.snapshotter.v1          overlayfs                linux/amd64    ok        \n"
    "io.containerd.grpc.v1                 cri                      linux/amd64    ok        \n";

TEST_CASE("ParsePluginState") {
  CHECK(ParsePluginState(kPluginsLs, "io.containerd.grpc.v1", "cri") == PluginState::kOk);
  CHECK(ParsePluginState(kPluginsLs, "io.containerd.snapshotter.v1", "aufs") == PluginState::kSkip);
  CHECK(ParsePluginState(kPluginsLs, "io.containerd.snapshotter.v1", "devmapper") ==
        PluginState::kError);
  CHECK(ParsePluginState(kPluginsLs, "io.containerd.grpc.v1", "tasks") == PluginState::kMissing);
  CHECK(ParsePluginState("", "io.containerd.grpc.v1", "cri") == PluginState::kMissing);
  CHECK(ParsePluginState("io.containerd.grpc.v1  cri  linux/amd64  error\n",
                         "io.containerd.grpc.v1", "cri") == PluginState::kError);
}

TEST_CASE("CriLoadError extracts the reason from containerd's log") {
  const std::string log =
      "time=\"2026-11-22T03:59:46.1Z\" level=info msg=\"loading plugin "
      "\\\"io.containerd.grpc.v1.cri\\\"...\"\n"
      "time=\"2026-11-22T03:59:46.172884158Z\" level=warning msg=\"failed to load plugin "
      "io.containerd.grpc.v1.cri\" error=\"invalid plugin config: `mirrors` cannot be set when "
      "`config_path` is provided\"\n"
      "time=\"2026-11-22T03:59:46.2Z\" level=info msg=\"serving...\"\n";
  CHECK(CriLoadError(log) ==
        "invalid plugin config: `mirrors` cannot be set when `config_path` is provided");
  CHECK(CriLoadError("level=info msg=\"all good\"\n") == "");
  CHECK(CriLoadError(
            "msg=\"failed to load plugin io.containerd.grpc.v1.cri\" error=\"a \\\"q\\\" b\"") ==
        "a \"q\" b");
}

TEST_CASE("LastLines") {
  CHECK(LastLines("a\nb\nc\n", 2) == "b\nc");
  CHECK(LastLines("a\nb\nc", 5) == "a\nb\nc");
  CHECK(LastLines("", 3) == "");
  CHECK(LastLines("only", 1) == "only");
}

TEST_CASE("SocketAcceptsConnections") {
  testing::TempDir tmp;
  std::string path = tmp.path() + "/s.sock";
  CHECK_FALSE(SocketAcceptsConnections(path));
  int fd = ::socket(AF_UNIX, SOCK_STREAM, 0);
  REQUIRE(fd >= 0);
  sockaddr_un addr{};
  addr.sun_family = AF_UNIX;
  std::strcpy(addr.sun_path, path.c_str());
  REQUIRE(::bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof(addr)) == 0);
  CHECK_FALSE(SocketAcceptsConnections(path));  // bound, not listening
  REQUIRE(::listen(fd, 4) == 0);
  CHECK(SocketAcceptsConnections(path));
  ::close(fd);
  CHECK_FALSE(SocketAcceptsConnections(path));
  CHECK_FALSE(SocketAcceptsConnections("/" + std::string(200, 'x')));
}

}  // namespace
}  // namespace kc::containerd
