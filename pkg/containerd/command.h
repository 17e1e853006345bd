// Running helper programs (ctr) and capturing what they print.
//
// Internal to kc_containerd. Children are started with posix_spawn, get /dev/null as stdin, an
// empty signal mask, default signal dispositions and no inherited descriptors beyond 0-2, so a
// listening socket of the calling process never leaks into them.
//
// Thread-safety: stateless functions, callable from any thread.
#pragma once

#include <sys/types.h>

#include <chrono>
#include <string>
#include <vector>

#include "pkg/api/status.h"

namespace kc::containerd {

struct CommandResult {
  int exit_code = -1;  // exit status, or 128 + signal number when killed by a signal
  std::string output;  // stdout and stderr interleaved, cut at 1 MiB
};

// Runs argv[0] (looked up on PATH) with `argv`, waits at most `timeout`. The child is killed
// (SIGKILL) at the timeout and the result is Timeout. A non-zero exit is *not* an error here:
// callers look at exit_code.
api::Result<CommandResult> RunCommand(const std::vector<std::string>& argv,
                                      std::chrono::milliseconds timeout);

// "a b 'c d'" for log messages.
std::string JoinArgv(const std::vector<std::string>& argv);

// Spawn attributes shared by RunCommand and the Supervisor: own process group when
// `new_process_group`, stdin from /dev/null, stdout+stderr to `out_fd`, everything else closed.
// `env` ("NAME=value" entries) replaces the environment when not null. Returns the pid.
api::Result<pid_t> SpawnProcess(const std::vector<std::string>& argv, int out_fd,
                                bool new_process_group,
                                const std::vector<std::string>* env = nullptr);

// This process' environment with PATH extended by the standard system directories
// (/usr/local/sbin ... /bin) it lacks: containerd looks up runc, containerd-shim-runc-v2 and
// iptables (for the CNI plugins) on PATH, and Debian keeps runc and iptables in /usr/sbin.
std::vector<std::string> EnvironmentWithSystemPath();

}  // namespace kc::containerd
