// IptablesRunner: runs iptables, iptables-save, iptables-restore and conntrack for the proxy,
// optionally inside another network namespace, which is how the tests keep the host's rules
// untouched: either a command prefix such as {"ip", "netns", "exec", "test-ns"}, or (cheaper: no
// extra process, no mount namespace) the path of a namespace file such as /run/netns/test-ns,
// which the child process enters with setns(2) before it execs the command.
//
// An optional hook sees every command before it runs (tests record what the proxier asked for,
// and make a chosen command fail).
//
// Thread-safety: immutable after construction; safe from any thread (iptables' own
// lock, -w, serializes concurrent writers); the hook is called on the calling thread.
#pragma once

#include <functional>
#include <string>
#include <vector>

#include "pkg/api/status.h"

namespace kc::proxy {

class IptablesRunner {
 public:
  // Called with each command (without the prefix) and its stdin before it runs; a non-OK status
  // is returned as the command's result instead of running it.
  using Hook = std::function<api::Status(const std::vector<std::string>& argv,
                                         const std::string& input)>;

  explicit IptablesRunner(std::vector<std::string> prefix = {}, Hook hook = nullptr,
                          std::string netns_path = "")
      : prefix_(std::move(prefix)), hook_(std::move(hook)), netns_(std::move(netns_path)) {}

  // Runs `argv` (after the prefix), feeding `input` to stdin; returns stdout. A non-zero exit is
  // an InternalError carrying stderr.
  api::Result<std::string> Run(const std::vector<std::string>& argv,
                               const std::string& input = "") const;

  api::Result<std::string> Save(const std::string& table) const;
  // iptables-restore --noflush: the tables in `rules` change atomically, others stay.
  api::Status Restore(const std::string& rules) const;
  // Appends (`-I`, at the top) the rule unless `-C` finds it.
  api::Status EnsureRule(const std::string& table, const std::string& chain,
                         const std::vector<std::string>& args) const;
  // Deletes the rule if present.
  void DeleteRule(const std::string& table, const std::string& chain,
                  const std::vector<std::string>& args) const;
  // Drops conntrack entries of UDP flows NATed to `endpoint_ip` (ignores "0 flow entries").
  void ClearUdpConntrack(const std::string& endpoint_ip) const;
  // Writes a sysctl (/proc/sys/...) inside the runner's namespace.
  void Sysctl(const std::string& key, const std::string& value) const;

 private:
  std::vector<std::string> prefix_;
  Hook hook_;
  std::string netns_;  // "" = this process's namespace
};

}  // namespace kc::proxy
