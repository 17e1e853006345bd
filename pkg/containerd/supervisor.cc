#include "pkg/containerd/supervisor.h"

#include <fcntl.h>
#include <signal.h>
#include <spdlog/spdlog.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <filesystem>

#include "pkg/containerd/cni_config.h"
#include "pkg/containerd/command.h"
#include "pkg/fsutil/file_util.h"
#include "pkg/containerd/readiness.h"

namespace kc::containerd {

namespace {

constexpr auto kPollInterval = std::chrono::milliseconds(200);
constexpr auto kCtrTimeout = std::chrono::seconds(10);
// A containerd that ran this long before exiting restarts after min_backoff again.
constexpr auto kStableRun = std::chrono::seconds(60);
constexpr off_t kRotateLogAt = 64 << 20;

std::string DescribeExit(int wstatus) {
  if (WIFEXITED(wstatus)) return "exited with status " + std::to_string(WEXITSTATUS(wstatus));
  if (WIFSIGNALED(wstatus)) return std::string("killed by signal ") + strsignal(WTERMSIG(wstatus));
  return "stopped";
}

// The log written since `offset` (at most the last 1 MiB of it).
std::string LogSince(const std::string& path, size_t offset) {
  auto text = fsutil::ReadFile(path);
  if (!text.ok() || text->size() <= offset) return "";
  size_t from = std::max(offset, text->size() > (1u << 20) ? text->size() - (1u << 20) : 0);
  return text->substr(from);
}

bool ProcessAlive(pid_t pid) {
  if (::kill(pid, 0) != 0) return errno == EPERM;
  auto stat = fsutil::ReadFile("/proc/" + std::to_string(pid) + "/stat");
  if (!stat.ok()) return false;
  size_t paren = stat->rfind(')');
  return paren == std::string::npos || paren + 2 >= stat->size() || (*stat)[paren + 2] != 'Z';
}

}  // namespace

Supervisor::Supervisor(Options options) : options_(std::move(options)) {}

Supervisor::~Supervisor() { Stop(); }

std::string Supervisor::socket() const {
  return options_.external_endpoint.empty() ? options_.containerd.paths.socket
                                            : options_.external_endpoint;
}

pid_t Supervisor::pid() const {
  std::lock_guard<std::mutex> lock(mu_);
  return pid_;
}

int Supervisor::restarts() const {
  std::lock_guard<std::mutex> lock(mu_);
  return restarts_;
}

api::Status Supervisor::WriteConfigs() {
  const ContainerdPaths& paths = options_.containerd.paths;
  if (auto st = ValidatePaths(paths); !st.ok()) return st;

  // Parse everything before writing anything.
  Registries registries;
  if (!options_.registries_yaml.empty()) {
    auto loaded = LoadRegistriesFile(options_.registries_yaml);
    if (loaded.ok()) {
      registries = std::move(*loaded);
      spdlog::info("containerd: using registries from {}", options_.registries_yaml);
    } else if (loaded.status().reason() != api::Reason::kNotFound) {
      return loaded.status();
    }
  }
  std::string conflist;
  if (!options_.cni_pod_cidr.empty()) {
    auto rendered = RenderBridgeConflist(options_.cni_pod_cidr, paths.cni_ipam_dir);
    if (!rendered.ok()) return rendered.status();
    conflist = std::move(*rendered);
  }
  ContainerdOptions config = options_.containerd;
  for (auto& [host, auth] : RegistryAuths(registries)) config.registry_auths[host] = auth;

  for (const std::string& dir : {paths.dir, paths.root_dir, paths.state_dir}) {
    if (auto st = fsutil::EnsureDirectory(dir, 0711); !st.ok()) return st;
  }
  if (auto st = WriteHostsDir(paths.certs_dir, registries); !st.ok()) return st;
  // 0600: it may carry registry credentials.
  if (auto st = fsutil::WriteFileAtomic(paths.config_file, RenderConfigToml(config), 0600); !st.ok()) {
    return st;
  }
  if (auto st = fsutil::EnsureDirectory(paths.cni_conf_dir, 0755); !st.ok()) return st;
  if (!conflist.empty()) {
    if (auto st = WriteCniConfig(paths.cni_conf_dir, conflist); !st.ok()) return st;
  }
  return api::Status::Ok();
}

void Supervisor::StopLeftoverContainerd() {
  const ContainerdPaths& paths = options_.containerd.paths;
  auto text = fsutil::ReadFile(paths.pid_file);
  if (!text.ok()) return;
  pid_t pid = static_cast<pid_t>(std::atol(text->c_str()));
  if (pid <= 1 || !ProcessAlive(pid)) return;
  auto cmdline = fsutil::ReadFile("/proc/" + std::to_string(pid) + "/cmdline");
  // Only a containerd started with our config file: the pid may have been reused since.
  if (!cmdline.ok() || cmdline->find("containerd") == std::string::npos ||
      cmdline->find(paths.config_file) == std::string::npos) {
    return;
  }
  spdlog::warn("containerd: stopping leftover containerd pid {} from a previous run", pid);
  ::kill(pid, SIGTERM);
  auto deadline = std::chrono::steady_clock::now() + options_.stop_timeout;
  while (ProcessAlive(pid) && std::chrono::steady_clock::now() < deadline) {
    std::this_thread::sleep_for(kPollInterval);
  }
  if (ProcessAlive(pid)) {
    ::kill(pid, SIGKILL);
    for (int i = 0; i < 50 && ProcessAlive(pid); ++i) std::this_thread::sleep_for(kPollInterval);
  }
}

api::Status Supervisor::WaitReady(pid_t child, size_t log_offset) {
  const std::string sock = socket();
  const std::string& log_file = options_.containerd.paths.log_file;
  auto deadline = std::chrono::steady_clock::now() + options_.start_timeout;
  std::string last_problem = "socket " + sock + " does not accept connections";
  while (true) {
    {
      std::unique_lock<std::mutex> lock(mu_);
      if (stopping_) return api::Status::Unavailable("containerd supervisor is stopping");
    }
    if (child > 0) {
      siginfo_t info{};
      if (::waitid(P_PID, child, &info, WEXITED | WNOHANG | WNOWAIT) == 0 && info.si_pid == child) {
        return api::Status::Internal("containerd exited during start-up; log " + log_file + ":\n" +
                                     LastLines(LogSince(log_file, log_offset), 15));
      }
    }
    if (SocketAcceptsConnections(sock)) {
      auto ls = RunCommand({options_.ctr_binary, "--address", sock, "plugins", "ls"}, kCtrTimeout);
      if (!ls.ok()) {
        last_problem = ls.status().message();
      } else if (ls->exit_code != 0) {
        last_problem = "ctr plugins ls: " + LastLines(ls->output, 3);
      } else {
        switch (ParsePluginState(ls->output, "io.containerd.grpc.v1", "cri")) {
          case PluginState::kOk:
            return api::Status::Ok();
          case PluginState::kMissing:
            last_problem = "the CRI plugin is not listed yet";
            break;
          case PluginState::kSkip:
          case PluginState::kError: {
            std::string why = child > 0 ? CriLoadError(LogSince(log_file, log_offset)) : "";
            return api::Status::Internal(
                "containerd's CRI plugin failed to load" +
                (why.empty() ? std::string(" (see ") + log_file + ")" : ": " + why));
          }
        }
      }
    }
    if (std::chrono::steady_clock::now() >= deadline) {
      return api::Status(api::Reason::kTimeout, "containerd not ready after " +
                                                    std::to_string(options_.start_timeout.count()) +
                                                    " ms: " + last_problem);
    }
    std::unique_lock<std::mutex> lock(mu_);
    cv_.wait_for(lock, kPollInterval, [&] { return stopping_; });
  }
}

api::Status Supervisor::SpawnAndWaitReady() {
  const ContainerdPaths& paths = options_.containerd.paths;
  struct stat st {};
  if (::stat(paths.log_file.c_str(), &st) == 0 && st.st_size > kRotateLogAt) {
    ::rename(paths.log_file.c_str(), (paths.log_file + ".1").c_str());
  }
  int log_fd = ::open(paths.log_file.c_str(), O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0600);
  if (log_fd < 0) {
    return api::Status::Internal("open " + paths.log_file + ": " + std::strerror(errno));
  }
  size_t log_offset = ::fstat(log_fd, &st) == 0 ? static_cast<size_t>(st.st_size) : 0;
  std::vector<std::string> argv = {options_.containerd_binary, "--config", paths.config_file};
  std::vector<std::string> env = EnvironmentWithSystemPath();
  pid_t child;
  {
    std::lock_guard<std::mutex> lock(mu_);
    if (stopping_) {
      ::close(log_fd);
      return api::Status::Unavailable("containerd supervisor is stopping");
    }
    auto spawned = SpawnProcess(argv, log_fd, /*new_process_group=*/true, &env);
    ::close(log_fd);
    if (!spawned.ok()) return spawned.status();
    child = pid_ = *spawned;
  }
  spdlog::info("containerd: started pid {}: {} (log {})", child, JoinArgv(argv), paths.log_file);
  fsutil::WriteFileAtomic(paths.pid_file, std::to_string(child) + "\n", 0644);

  api::Status ready = WaitReady(child, log_offset);
  if (ready.ok()) {
    spdlog::info("containerd: pid {} ready on {}", child, paths.socket);
    return ready;
  }
  bool stopping;
  {
    std::lock_guard<std::mutex> lock(mu_);
    stopping = stopping_;
  }
  if (!stopping) {
    ::kill(child, SIGKILL);
    WaitAndReap(child);
  }
  return ready;
}

void Supervisor::WaitAndReap(pid_t pid) {
  siginfo_t info{};
  while (::waitid(P_PID, pid, &info, WEXITED | WNOWAIT) != 0 && errno == EINTR) {
  }
  int wstatus = 0;
  std::lock_guard<std::mutex> lock(mu_);
  while (::waitpid(pid, &wstatus, 0) < 0 && errno == EINTR) {
  }
  if (pid_ == pid) pid_ = -1;
  cv_.notify_all();
  if (!stopping_) spdlog::warn("containerd: pid {} {}", pid, DescribeExit(wstatus));
}

api::Status Supervisor::Start() {
  std::lock_guard<std::mutex> lifecycle(lifecycle_mu_);
  {
    std::lock_guard<std::mutex> lock(mu_);
    if (started_) return api::Status::AlreadyExists("containerd supervisor already started");
    stopping_ = false;
    restarts_ = 0;
  }
  if (!options_.external_endpoint.empty()) {
    api::Status st = WaitReady(-1, 0);
    if (!st.ok()) return st;
    std::lock_guard<std::mutex> lock(mu_);
    started_ = true;
    return st;
  }
  if (auto st = WriteConfigs(); !st.ok()) return st;
  StopLeftoverContainerd();
  if (auto st = SpawnAndWaitReady(); !st.ok()) return st;
  {
    std::lock_guard<std::mutex> lock(mu_);
    started_ = true;
  }
  monitor_ = std::thread([this] { MonitorLoop(); });
  return api::Status::Ok();
}

void Supervisor::MonitorLoop() {
  auto backoff = options_.min_backoff;
  while (true) {
    pid_t pid;
    {
      std::lock_guard<std::mutex> lock(mu_);
      pid = pid_;
    }
    auto started_at = std::chrono::steady_clock::now();
    if (pid > 0) WaitAndReap(pid);
    if (std::chrono::steady_clock::now() - started_at > kStableRun) backoff = options_.min_backoff;
    while (true) {
      {
        std::unique_lock<std::mutex> lock(mu_);
        if (stopping_) return;
        spdlog::info("containerd: restarting in {} ms", backoff.count());
        if (cv_.wait_for(lock, backoff, [&] { return stopping_; })) return;
        ++restarts_;
      }
      api::Status st = SpawnAndWaitReady();
      if (st.ok()) break;
      {
        std::lock_guard<std::mutex> lock(mu_);
        if (stopping_) break;  // the top of the loop reaps the child, if any
      }
      spdlog::error("containerd: restart failed: {}", st.ToString());
      backoff = std::min(backoff * 2, options_.max_backoff);
    }
  }
}

void Supervisor::Stop() {
  std::lock_guard<std::mutex> lifecycle(lifecycle_mu_);
  {
    std::unique_lock<std::mutex> lock(mu_);
    if (!started_) return;
    stopping_ = true;
    cv_.notify_all();
    if (pid_ > 0) {
      pid_t pid = pid_;
      spdlog::info("containerd: stopping pid {}", pid);
      ::kill(pid, SIGTERM);
      if (!cv_.wait_for(lock, options_.stop_timeout, [&] { return pid_ != pid; })) {
        spdlog::warn("containerd: pid {} still running after {} ms, killing it", pid,
                     options_.stop_timeout.count());
        ::kill(pid, SIGKILL);
        cv_.wait(lock, [&] { return pid_ != pid; });
      }
    }
  }
  if (monitor_.joinable()) monitor_.join();
  std::lock_guard<std::mutex> lock(mu_);
  if (options_.external_endpoint.empty()) ::unlink(options_.containerd.paths.pid_file.c_str());
  started_ = false;
}

}  // namespace kc::containerd
