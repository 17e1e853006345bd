// Proxier: kcluster's kube-proxy in iptables mode. Watches Services and EndpointSlices through
// shared informers, and keeps the node's iptables rules equal to what they describe (see
// iptables_rules.h for the layout).
//
// Changes are batched: a sync runs at most once per `min_sync_period` and at least once per
// `sync_period`; the rule set is written (iptables-restore --noflush, atomic per table) only when
// the desired text changed since the last successful write. The first sync also deletes stale
// per-service chains left by a previous run. UDP conntrack entries of removed endpoints are
// cleared so clients do not keep sending to a gone pod. Cleanup() removes every kube chain and
// the jumps into them (for `--disable-kube-proxy` after a previous run, and for tests).
//
// Thread-safety: Start/Stop from one thread; the informer handlers only mark the state dirty;
// the sync runs on the proxier's own thread.
#pragma once

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <mutex>
#include <set>
#include <string>
#include <thread>

#include "pkg/api/status.h"
#include "pkg/client/informer_factory.h"
#include "pkg/proxy/iptables_rules.h"
#include "pkg/proxy/iptables_runner.h"

namespace kc::proxy {

struct ProxierOptions {
  RulesConfig rules;
  std::chrono::milliseconds min_sync_period{100};
  std::chrono::milliseconds sync_period{30000};
  // Command prefix for every iptables/conntrack/sysctl call ({"ip","netns","exec","x"} in tests).
  std::vector<std::string> command_prefix;
  // Set net.ipv4.ip_forward, route_localnet (NodePorts on 127.0.0.1) and
  // bridge-nf-call-iptables at start.
  bool set_sysctls = true;
};

class Proxier {
 public:
  Proxier(client::SharedInformerFactory& factory, ProxierOptions opts);
  ~Proxier();

  Proxier(const Proxier&) = delete;
  Proxier& operator=(const Proxier&) = delete;

  // Starts the sync thread (it waits for the informers to sync first).
  void Start();
  void Stop();
  // One sync now, on the calling thread (tests; the thread does the same).
  api::Status SyncOnce();
  // Number of successful iptables-restore writes so far.
  int writes() const { return writes_.load(); }
  // Removes the kube chains and the jump rules.
  api::Status Cleanup();

 private:
  void Run();
  void MarkDirty();

  client::SharedInformer* services_;
  client::SharedInformer* slices_;
  const ProxierOptions opts_;
  IptablesRunner runner_;
  int handlers_[2] = {0, 0};

  std::mutex mu_;
  std::condition_variable cv_;
  bool dirty_ = true;   // guarded by mu_
  bool stop_ = false;   // guarded by mu_
  std::thread thread_;

  // Used by the sync (one at a time: sync_mu_).
  std::mutex sync_mu_;
  std::string last_text_;
  bool jumps_ensured_ = false;
  std::set<std::string> last_udp_endpoints_;
  std::atomic<int> writes_{0};
};

}  // namespace kc::proxy
