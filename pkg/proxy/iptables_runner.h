// IptablesRunner: runs iptables, iptables-save, iptables-restore and conntrack for the proxy,
// optionally inside another network namespace (a command prefix such as
// {"ip", "netns", "exec", "test-ns"}), which is how the tests keep the host's rules untouched.
//
// Thread-safety: stateless apart from the prefix; safe from any thread (iptables' own lock, -w,
// serializes concurrent writers).
#pragma once

#include <string>
#include <vector>

#include "pkg/api/status.h"

namespace kc::proxy {

class IptablesRunner {
 public:
  explicit IptablesRunner(std::vector<std::string> prefix = {}) : prefix_(std::move(prefix)) {}

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
};

}  // namespace kc::proxy
