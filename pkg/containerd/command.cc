#include "pkg/containerd/command.h"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <thread>

extern char** environ;

namespace kc::containerd {

namespace {

constexpr size_t kMaxOutput = 1 << 20;

int ExitCodeOf(int wstatus) {
  if (WIFEXITED(wstatus)) return WEXITSTATUS(wstatus);
  if (WIFSIGNALED(wstatus)) return 128 + WTERMSIG(wstatus);
  return -1;
}

// RAII holders for the posix_spawn objects.
struct SpawnAttr {
  posix_spawnattr_t attr;
  SpawnAttr() { posix_spawnattr_init(&attr); }
  ~SpawnAttr() { posix_spawnattr_destroy(&attr); }
};
struct FileActions {
  posix_spawn_file_actions_t fa;
  FileActions() { posix_spawn_file_actions_init(&fa); }
  ~FileActions() { posix_spawn_file_actions_destroy(&fa); }
};

}  // namespace

std::string JoinArgv(const std::vector<std::string>& argv) {
  std::string out;
  for (const auto& a : argv) {
    if (!out.empty()) out += ' ';
    bool plain = !a.empty() && a.find_first_of(" \t\n'\"\\$") == std::string::npos;
    out += plain ? a : "'" + a + "'";
  }
  return out;
}

std::vector<std::string> EnvironmentWithSystemPath() {
  std::vector<std::string> env;
  std::string path;
  for (char** e = environ; e != nullptr && *e != nullptr; ++e) {
    std::string entry(*e);
    if (entry.rfind("PATH=", 0) == 0) {
      path = entry.substr(5);
    } else {
      env.push_back(std::move(entry));
    }
  }
  for (const char* dir :
       {"/usr/local/sbin", "/usr/local/bin", "/usr/sbin", "/usr/bin", "/sbin", "/bin"}) {
    std::string padded = ":" + path + ":";
    if (padded.find(":" + std::string(dir) + ":") != std::string::npos) continue;
    path += path.empty() ? dir : ":" + std::string(dir);
  }
  env.push_back("PATH=" + path);
  return env;
}

api::Result<pid_t> SpawnProcess(const std::vector<std::string>& argv, int out_fd,
                                bool new_process_group, const std::vector<std::string>* env) {
  if (argv.empty()) return api::Status::Invalid("empty command");
  SpawnAttr attr;
  short flags = POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF;
  if (new_process_group) flags |= POSIX_SPAWN_SETPGROUP;
  posix_spawnattr_setflags(&attr.attr, flags);
  posix_spawnattr_setpgroup(&attr.attr, 0);
  sigset_t empty, all;
  sigemptyset(&empty);
  sigfillset(&all);
  posix_spawnattr_setsigmask(&attr.attr, &empty);
  posix_spawnattr_setsigdefault(&attr.attr, &all);

  FileActions fa;
  posix_spawn_file_actions_addopen(&fa.fa, 0, "/dev/null", O_RDONLY, 0);
  posix_spawn_file_actions_adddup2(&fa.fa, out_fd, 1);
  posix_spawn_file_actions_adddup2(&fa.fa, out_fd, 2);
  posix_spawn_file_actions_addclosefrom_np(&fa.fa, 3);

  std::vector<char*> cargv;
  cargv.reserve(argv.size() + 1);
  for (const auto& a : argv) cargv.push_back(const_cast<char*>(a.c_str()));
  cargv.push_back(nullptr);
  std::vector<char*> cenv;
  if (env != nullptr) {
    cenv.reserve(env->size() + 1);
    for (const auto& e : *env) cenv.push_back(const_cast<char*>(e.c_str()));
    cenv.push_back(nullptr);
  }
  pid_t pid = -1;
  int rc = posix_spawnp(&pid, cargv[0], &fa.fa, &attr.attr, cargv.data(),
                        env != nullptr ? cenv.data() : environ);
  if (rc != 0) {
    return api::Status::Internal("cannot start " + argv[0] + ": " + std::strerror(rc));
  }
  return pid;
}

api::Result<CommandResult> RunCommand(const std::vector<std::string>& argv,
                                      std::chrono::milliseconds timeout) {
  int fds[2];
  if (::pipe2(fds, O_CLOEXEC) != 0) {
    return api::Status::Internal(std::string("pipe: ") + std::strerror(errno));
  }
  auto spawned = SpawnProcess(argv, fds[1], /*new_process_group=*/false);
  ::close(fds[1]);
  if (!spawned.ok()) {
    ::close(fds[0]);
    return spawned.status();
  }
  pid_t pid = *spawned;

  CommandResult result;
  auto deadline = std::chrono::steady_clock::now() + timeout;
  bool timed_out = false;
  char buf[8192];
  while (true) {
    auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
        deadline - std::chrono::steady_clock::now());
    if (left.count() <= 0) {
      timed_out = true;
      break;
    }
    pollfd p{fds[0], POLLIN, 0};
    int n = ::poll(&p, 1, static_cast<int>(std::min<long long>(left.count(), 1000)));
    if (n < 0 && errno != EINTR) break;
    if (n <= 0) continue;
    ssize_t r = ::read(fds[0], buf, sizeof(buf));
    if (r < 0 && errno == EINTR) continue;
    if (r <= 0) break;  // EOF: the child (and anything it started) closed the pipe
    if (result.output.size() < kMaxOutput) {
      result.output.append(buf,
                           std::min(static_cast<size_t>(r), kMaxOutput - result.output.size()));
    }
  }
  ::close(fds[0]);
  int wstatus = 0;
  // The child may have closed its output and still be running: keep to the deadline.
  while (!timed_out) {
    pid_t r = ::waitpid(pid, &wstatus, WNOHANG);
    if (r == pid || (r < 0 && errno != EINTR)) break;
    if (std::chrono::steady_clock::now() >= deadline) {
      timed_out = true;
      break;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
  if (timed_out) {
    ::kill(pid, SIGKILL);
    while (::waitpid(pid, &wstatus, 0) < 0 && errno == EINTR) {
    }
  }
  if (timed_out) {
    return api::Status(api::Reason::kTimeout, JoinArgv(argv) + " did not finish within " +
                                                  std::to_string(timeout.count()) + " ms");
  }
  result.exit_code = ExitCodeOf(wstatus);
  return result;
}

}  // namespace kc::containerd
