#include "pkg/proxy/iptables_runner.h"

#include <fcntl.h>
#include <poll.h>
#include <sched.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

namespace kc::proxy {
namespace {

// fork/exec with stdin/stdout/stderr pipes, in the network namespace `netns_fd` when it is not
// -1; returns exit code (or -1) and the outputs.
int Exec(const std::vector<std::string>& argv, const std::string& input, int netns_fd,
         std::string* out, std::string* err) {
  // Built before fork: the child of a threaded process may only make async-signal-safe calls.
  std::vector<char*> args;
  for (const std::string& a : argv) args.push_back(const_cast<char*>(a.c_str()));
  args.push_back(nullptr);
  int in_p[2], out_p[2], err_p[2];
  if (pipe2(in_p, O_CLOEXEC) != 0) return -1;
  if (pipe2(out_p, O_CLOEXEC) != 0) return -1;
  if (pipe2(err_p, O_CLOEXEC) != 0) return -1;
  pid_t pid = fork();
  if (pid < 0) return -1;
  if (pid == 0) {
    dup2(in_p[0], 0);
    dup2(out_p[1], 1);
    dup2(err_p[1], 2);
    if (netns_fd >= 0 && setns(netns_fd, CLONE_NEWNET) != 0) _exit(126);
    signal(SIGPIPE, SIG_DFL);
    execvp(args[0], args.data());
    _exit(127);
  }
  close(in_p[0]);
  close(out_p[1]);
  close(err_p[1]);
  size_t written = 0;
  if (input.empty()) {
    close(in_p[1]);
    in_p[1] = -1;
  }
  char buf[65536];
  bool out_open = true, err_open = true;
  while (out_open || err_open || in_p[1] >= 0) {
    pollfd fds[3];
    int n = 0;
    int oi = -1, ei = -1, ii = -1;
    if (out_open) { fds[n] = {out_p[0], POLLIN, 0}; oi = n++; }
    if (err_open) { fds[n] = {err_p[0], POLLIN, 0}; ei = n++; }
    if (in_p[1] >= 0) { fds[n] = {in_p[1], POLLOUT, 0}; ii = n++; }
    if (poll(fds, n, -1) < 0) {
      if (errno == EINTR) continue;
      break;
    }
    if (oi >= 0 && fds[oi].revents) {
      ssize_t r = read(out_p[0], buf, sizeof(buf));
      if (r > 0) out->append(buf, r); else out_open = false;
    }
    if (ei >= 0 && fds[ei].revents) {
      ssize_t r = read(err_p[0], buf, sizeof(buf));
      if (r > 0) err->append(buf, r); else err_open = false;
    }
    if (ii >= 0 && fds[ii].revents) {
      ssize_t w = write(in_p[1], input.data() + written, input.size() - written);
      if (w > 0) written += w;
      if (w < 0 || written == input.size()) {
        close(in_p[1]);
        in_p[1] = -1;
      }
    }
  }
  if (in_p[1] >= 0) close(in_p[1]);
  close(out_p[0]);
  close(err_p[0]);
  int status = 0;
  while (waitpid(pid, &status, 0) < 0 && errno == EINTR) {
  }
  return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

}  // namespace

api::Result<std::string> IptablesRunner::Run(const std::vector<std::string>& argv,
                                             const std::string& input) const {
  if (hook_) {
    if (api::Status st = hook_(argv, input); !st.ok()) return st;
  }
  std::vector<std::string> full = prefix_;
  full.insert(full.end(), argv.begin(), argv.end());
  int netns_fd = -1;
  if (!netns_.empty()) {
    netns_fd = open(netns_.c_str(), O_RDONLY | O_CLOEXEC);
    if (netns_fd < 0) {
      return api::Status::Internal("network namespace " + netns_ + ": " + std::strerror(errno));
    }
  }
  std::string out, err;
  int rc = Exec(full, input, netns_fd, &out, &err);
  if (netns_fd >= 0) close(netns_fd);
  if (rc != 0) {
    std::string cmd;
    for (const std::string& a : argv) cmd += (cmd.empty() ? "" : " ") + a;
    return api::Status::Internal(cmd + " failed (exit " + std::to_string(rc) + "): " + err);
  }
  return out;
}

api::Result<std::string> IptablesRunner::Save(const std::string& table) const {
  return Run({"iptables-save", "-t", table});
}

api::Status IptablesRunner::Restore(const std::string& rules) const {
  api::Result<std::string> r = Run({"iptables-restore", "-w", "5", "--noflush"}, rules);
  return r.ok() ? api::Status::Ok() : r.status();
}

api::Status IptablesRunner::EnsureRule(const std::string& table, const std::string& chain,
                                       const std::vector<std::string>& args) const {
  std::vector<std::string> check = {"iptables", "-w", "5", "-t", table, "-C", chain};
  check.insert(check.end(), args.begin(), args.end());
  if (Run(check).ok()) return api::Status::Ok();
  std::vector<std::string> add = {"iptables", "-w", "5", "-t", table, "-I", chain};
  add.insert(add.end(), args.begin(), args.end());
  api::Result<std::string> r = Run(add);
  return r.ok() ? api::Status::Ok() : r.status();
}

void IptablesRunner::DeleteRule(const std::string& table, const std::string& chain,
                                const std::vector<std::string>& args) const {
  std::vector<std::string> del = {"iptables", "-w", "5", "-t", table, "-D", chain};
  del.insert(del.end(), args.begin(), args.end());
  while (Run(del).ok()) {
  }
}

void IptablesRunner::ClearUdpConntrack(const std::string& endpoint_ip) const {
  (void)Run({"conntrack", "-D", "-p", "udp", "--dst-nat", endpoint_ip});
}

void IptablesRunner::Sysctl(const std::string& key, const std::string& value) const {
  std::string path = "/proc/sys/" + key;
  for (char& c : path) {
    if (c == '.') c = '/';
  }
  (void)Run({"sh", "-c", "echo " + value + " > " + path});
}

}  // namespace kc::proxy
