#include "pkg/containerd/containerd_config.h"

#include <doctest/doctest.h>
#include <unistd.h>

#include <string>

#include "pkg/containerd/command.h"
#include "pkg/fsutil/file_util.h"
#include "pkg/containerd/test_util.h"
#include "pkg/containerd/toml.h"

namespace kc::containerd {
namespace {

bool Contains(const std::string& haystack, const std::string& needle) {
  return haystack.find(needle) != std::string::npos;
}

TEST_CASE("PathsForDataDir lays out the agent directories") {
  ContainerdPaths p = PathsForDataDir("/var/lib/kcluster");
  CHECK(p.dir == "/var/lib/kcluster/agent/containerd");
  CHECK(p.root_dir == "/var/lib/kcluster/agent/containerd/root");
  CHECK(p.state_dir == "/var/lib/kcluster/agent/containerd/state");
  CHECK(p.opt_dir == "/var/lib/kcluster/agent/containerd/root/opt");
  CHECK(p.socket == "/var/lib/kcluster/agent/containerd/containerd.sock");
  CHECK(p.config_file == "/var/lib/kcluster/agent/containerd/config.toml");
  CHECK(p.log_file == "/var/lib/kcluster/agent/containerd/containerd.log");
  CHECK(p.certs_dir == "/var/lib/kcluster/agent/containerd/certs.d");
  CHECK(p.cni_conf_dir == "/var/lib/kcluster/agent/etc/cni/net.d");
  CHECK(p.cni_bin_dir == "/usr/lib/cni");
  CHECK(p.images_dir == "/var/lib/kcluster/agent/images");
  CHECK(ValidatePaths(p).ok());
}

TEST_CASE("ValidatePaths rejects relative paths and over-long sockets") {
  SUBCASE("relative data dir") {
    api::Status st = ValidatePaths(PathsForDataDir("data"));
    CHECK(st.reason() == api::Reason::kInvalid);
    CHECK(Contains(st.message(), "absolute"));
  }
  SUBCASE("socket path too long for sockaddr_un") {
    api::Status st = ValidatePaths(PathsForDataDir("/" + std::string(80, 'x')));
    CHECK(st.reason() == api::Reason::kInvalid);
    CHECK(Contains(st.message(), "too long"));
  }
  SUBCASE("longest acceptable") {
    // "/agent/containerd/containerd.sock" is 33 bytes; 107 - 6 (".ttrpc") = 101 allowed.
    CHECK(ValidatePaths(PathsForDataDir("/" + std::string(101 - 33 - 1, 'x'))).ok());
    CHECK_FALSE(ValidatePaths(PathsForDataDir("/" + std::string(101 - 33, 'x'))).ok());
  }
}

TEST_CASE("RenderConfigToml produces the verified containerd 1.6 config") {
  ContainerdOptions o;
  o.paths = PathsForDataDir("/d");
  std::string t = RenderConfigToml(o);
  const char* expected[] = {
      "version = 2\n",
      "root = \"/d/agent/containerd/root\"\n",
      "state = \"/d/agent/containerd/state\"\n",
      "[grpc]\n  address = \"/d/agent/containerd/containerd.sock\"\n",
      "[plugins.\"io.containerd.internal.v1.opt\"]\n  path = \"/d/agent/containerd/root/opt\"\n",
      "[plugins.\"io.containerd.grpc.v1.cri\"]\n",
      "  sandbox_image = \"docker.io/kcluster/pause:1\"\n",
      "  stream_server_address = \"127.0.0.1\"\n",
      "  stream_server_port = \"10010\"\n",
      "  enable_unprivileged_ports = true\n",
      "  enable_unprivileged_icmp = true\n",
      "  restrict_oom_score_adj = true\n",
      "    bin_dir = \"/usr/lib/cni\"\n",
      "    conf_dir = \"/d/agent/etc/cni/net.d\"\n",
      "    snapshotter = \"overlayfs\"\n",
      "    default_runtime_name = \"runc\"\n",
      "[plugins.\"io.containerd.grpc.v1.cri\".containerd.runtimes.runc]\n"
      "      runtime_type = \"io.containerd.runc.v2\"\n",
      "        SystemdCgroup = false\n",
      "    config_path = \"/d/agent/containerd/certs.d\"\n",
  };
  for (const char* line : expected) {
    INFO(line);
    CHECK(Contains(t, line));
  }
  // config_path excludes the deprecated mirrors/tls tables (the CRI plugin would not load).
  CHECK_FALSE(Contains(t, "mirrors"));
  CHECK_FALSE(Contains(t, ".tls"));
  CHECK_FALSE(Contains(t, "[debug]"));
  CHECK_FALSE(Contains(t, "BinaryName"));
  CHECK_FALSE(Contains(t, ".auth]"));
}

TEST_CASE("RenderConfigToml options: log level, runc binary, port, registry credentials") {
  ContainerdOptions o;
  o.paths = PathsForDataDir("/d");
  o.log_level = "debug";
  o.runc_binary = "/usr/sbin/runc";
  o.stream_server_port = 0;
  o.sandbox_image = "registry.local:5000/pause:\"3\"";
  o.registry_auths["registry-1.docker.io"] = RegistryAuth{"user", "pa\"ss\\word", "", ""};
  o.registry_auths["ghcr.io"] = RegistryAuth{"", "", "", "tok"};
  o.registry_auths["empty.example"] = RegistryAuth{};
  std::string t = RenderConfigToml(o);
  CHECK(Contains(t, "[debug]\n  level = \"debug\"\n"));
  CHECK(Contains(t, "BinaryName = \"/usr/sbin/runc\"\n"));
  CHECK(Contains(t, "stream_server_port = \"0\"\n"));
  CHECK(Contains(t, "sandbox_image = \"registry.local:5000/pause:\\\"3\\\"\"\n"));
  CHECK(Contains(
      t,
      "[plugins.\"io.containerd.grpc.v1.cri\".registry.configs.\"registry-1.docker.io\".auth]\n"
      "      username = \"user\"\n"
      "      password = \"pa\\\"ss\\\\word\"\n"));
  CHECK(Contains(t, "configs.\"ghcr.io\".auth]\n      identitytoken = \"tok\"\n"));
  CHECK_FALSE(Contains(t, "empty.example"));
}

TEST_CASE("TomlString escapes quotes, backslashes and control characters") {
  CHECK(TomlString("plain") == "\"plain\"");
  CHECK(TomlString("a\"b\\c") == "\"a\\\"b\\\\c\"");
  CHECK(TomlString("l1\nl2\t\x01") == "\"l1\\nl2\\t\\u0001\"");
  CHECK(TomlStringArray({"a", "b"}) == "[\"a\", \"b\"]");
  CHECK(TomlStringArray({}) == "[]");
}

// containerd itself parses the rendered file (without starting) when it is installed.
TEST_CASE("containerd accepts the rendered config (config dump)") {
  if (::access("/usr/bin/containerd", X_OK) != 0) {
    MESSAGE("containerd not installed; skipped");
    return;
  }
  testing::TempDir tmp;
  ContainerdOptions o;
  o.paths = PathsForDataDir(tmp.path());
  o.registry_auths["docker.io"] = RegistryAuth{"u", "p", "", ""};
  std::string file = tmp.path() + "/config.toml";
  REQUIRE(fsutil::WriteFileAtomic(file, RenderConfigToml(o), 0600).ok());
  auto run =
      RunCommand({"containerd", "--config", file, "config", "dump"}, std::chrono::seconds(20));
  REQUIRE(run.ok());
  INFO(run->output);
  CHECK(run->exit_code == 0);
  CHECK(Contains(run->output, "restrict_oom_score_adj = true"));
  CHECK(Contains(run->output, "config_path = \"" + o.paths.certs_dir + "\""));
  CHECK(Contains(run->output, "SystemdCgroup = false"));
  CHECK(Contains(run->output, "username = \"u\""));
}

}  // namespace
}  // namespace kc::containerd
