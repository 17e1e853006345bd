#include <doctest/doctest.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdint>
#include <string>
#include <thread>
#include <vector>

#include "pkg/store/sqlite_backend.h"
#include "pkg/store/test_temp_dir.h"

namespace kc::store {
namespace {

// Runs in a forked child: writes keys from 8 threads and reports each acknowledged one on `fd`
// until it is killed.
[[noreturn]] void WriteUntilKilled(const std::string& path, int fd) {
  SqliteBackend::Options opts;
  opts.path = path;
  auto b = SqliteBackend::Open(opts);
  if (!b.ok()) _exit(2);
  std::vector<std::thread> threads;
  for (int t = 0; t < 8; ++t) {
    threads.emplace_back([&, t] {
      for (int32_t i = t;; i += 8) {
        if (!(*b)->Create("/kill/" + std::to_string(i), std::string(512, 'k')).ok()) _exit(3);
        if (write(fd, &i, sizeof(i)) != sizeof(i)) _exit(4);
      }
    });
  }
  for (auto& th : threads) th.join();
  _exit(0);
}

TEST_CASE("SqliteBackend: acknowledged writes survive kill -9") {
  TestTempDir dir;
  const std::string path = dir.File("kv.db");
  int fds[2];
  REQUIRE(pipe(fds) == 0);
  pid_t pid = fork();
  REQUIRE(pid >= 0);
  if (pid == 0) {
    close(fds[0]);
    WriteUntilKilled(path, fds[1]);
  }
  close(fds[1]);
  std::vector<int32_t> acked;
  int32_t i = 0;
  while (acked.size() < 400 && read(fds[0], &i, sizeof(i)) == sizeof(i)) acked.push_back(i);
  REQUIRE(kill(pid, SIGKILL) == 0);
  int wstatus = 0;
  REQUIRE(waitpid(pid, &wstatus, 0) == pid);
  CHECK(WIFSIGNALED(wstatus));
  while (read(fds[0], &i, sizeof(i)) == sizeof(i)) acked.push_back(i);  // acks sent before death
  close(fds[0]);
  REQUIRE(acked.size() >= 400);

  SqliteBackend::Options opts;
  opts.path = path;
  auto b = SqliteBackend::Open(opts);
  REQUIRE_MESSAGE(b.ok(), b.status().ToString());
  for (int32_t key : acked) {
    auto g = (*b)->Get("/kill/" + std::to_string(key));
    REQUIRE_MESSAGE(g.ok(), key);
  }
  CHECK((*b)->CurrentRevision() >= static_cast<int64_t>(acked.size()));
  // The reopened store keeps working from the recovered revision.
  auto next = (*b)->Create("/kill/after", "v");
  REQUIRE(next.ok());
  CHECK(*next == (*b)->CurrentRevision());
}

}  // namespace
}  // namespace kc::store
