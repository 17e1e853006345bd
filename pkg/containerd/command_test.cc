#include "pkg/containerd/command.h"

#include <doctest/doctest.h>

#include <chrono>
#include <cstdlib>

namespace kc::containerd {
namespace {

using std::chrono::milliseconds;

TEST_CASE("RunCommand captures output and exit code") {
  auto r = RunCommand({"sh", "-c", "echo out; echo err >&2; exit 3"}, milliseconds(10000));
  REQUIRE(r.ok());
  CHECK(r->exit_code == 3);
  CHECK(r->output.find("out\n") != std::string::npos);
  CHECK(r->output.find("err\n") != std::string::npos);
}

TEST_CASE("RunCommand: stdin is /dev/null, no extra descriptors leak") {
  auto r = RunCommand({"sh", "-c", "cat; ls /proc/self/fd | wc -l"}, milliseconds(10000));
  REQUIRE(r.ok());
  CHECK(r->exit_code == 0);
  // 0, 1, 2 and the directory ls is reading.
  CHECK(std::atoi(r->output.c_str()) == 4);
}

TEST_CASE("RunCommand: signals and timeouts") {
  auto killed = RunCommand({"sh", "-c", "kill -9 $$"}, milliseconds(10000));
  REQUIRE(killed.ok());
  CHECK(killed->exit_code == 128 + 9);

  auto start = std::chrono::steady_clock::now();
  auto slow = RunCommand({"sleep", "30"}, milliseconds(300));
  CHECK(std::chrono::steady_clock::now() - start < std::chrono::seconds(5));
  REQUIRE_FALSE(slow.ok());
  CHECK(slow.status().reason() == api::Reason::kTimeout);

  // Closing its output does not let a child outlive the timeout.
  start = std::chrono::steady_clock::now();
  slow = RunCommand({"sh", "-c", "exec >&- 2>&-; sleep 30"}, milliseconds(300));
  CHECK(std::chrono::steady_clock::now() - start < std::chrono::seconds(5));
  REQUIRE_FALSE(slow.ok());
  CHECK(slow.status().reason() == api::Reason::kTimeout);
}

TEST_CASE("RunCommand: a missing program is an error value") {
  auto r = RunCommand({"/nonexistent/kc-no-such-program"}, milliseconds(1000));
  REQUIRE_FALSE(r.ok());
  CHECK(r.status().reason() == api::Reason::kInternalError);
  CHECK_FALSE(RunCommand({}, milliseconds(1000)).ok());
}

TEST_CASE("EnvironmentWithSystemPath adds the sbin directories once") {
  const char* old = std::getenv("PATH");
  std::string saved = old ? old : "";
  ::setenv("PATH", "/opt/x/bin:/usr/bin", 1);
  auto env = EnvironmentWithSystemPath();
  ::setenv("PATH", saved.c_str(), 1);
  std::string path;
  int paths = 0;
  for (const auto& e : env) {
    if (e.rfind("PATH=", 0) == 0) {
      path = e;
      ++paths;
    }
  }
  CHECK(paths == 1);
  CHECK(path == "PATH=/opt/x/bin:/usr/bin:/usr/local/sbin:/usr/local/bin:/usr/sbin:/sbin:/bin");
}

TEST_CASE("JoinArgv quotes arguments with spaces") {
  CHECK(JoinArgv({"ctr", "--address", "/a b/sock", ""}) == "ctr --address '/a b/sock' ''");
}

}  // namespace
}  // namespace kc::containerd
