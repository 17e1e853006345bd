// Proxier: kcluster's kube-proxy in iptables mode. Watches Services and EndpointSlices through
// shared informers, and keeps the node's iptables rules equal to what they describe (see
// iptables_rules.h for the layout).
//
// Changes are batched: a sync runs at most once per `min_sync_period` and at least once per
// `sync_period`. Syncs are partial or full, as upstream kube-proxy (≥ 1.27) does them (see
// sync_plan.h): a partial sync rewrites only the per-service-port chains whose rules changed since
// the last successful write, plus the top-level chains, deletes the chains it no longer needs,
// and does not run iptables-save; it writes nothing at all when nothing changed. A full sync runs
// first, after any failed write, on RequestFullSync(), and at least once per `full_sync_period`:
// it lists the nat table once (iptables-save) to find stale chains left by an earlier run,
// makes sure the jump rules from the built-in chains exist, and rewrites every chain, split into
// restores grouped by service port with the top-level chains last. Per-port rules are cached
// and rebuilt only for ports whose Service or endpoints changed. UDP conntrack entries of removed
// endpoints are cleared so clients do not keep sending to a gone pod. Cleanup() removes every
// kube chain and the jumps into them (for `--disable-kube-proxy` after a previous run, and for
// tests).
//
// Thread-safety: Start/Stop from one thread; the informer handlers only mark the state dirty;
// the sync runs on the proxier's own thread (or the caller's, for SyncOnce), one at a time.
// RequestFullSync, writes() and last_sync() may be called from any thread.
#pragma once

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <memory>
#include <mutex>
#include <set>
#include <string>
#include <thread>
#include <unordered_map>

#include "pkg/api/status.h"
#include "pkg/client/informer_factory.h"
#include "pkg/proxy/iptables_rules.h"
#include "pkg/proxy/iptables_runner.h"
#include "pkg/proxy/service_ports.h"
#include "pkg/proxy/sync_plan.h"

namespace kc::proxy {

struct ProxierOptions {
  RulesConfig rules;
  std::chrono::milliseconds min_sync_period{100};
  std::chrono::milliseconds sync_period{30000};
  // Command prefix for every iptables/conntrack/sysctl call ({"ip","netns","exec","x"} in tests).
  std::vector<std::string> command_prefix;
  // Run every command in this network namespace ("/run/netns/x" in tests and benchmarks).
  std::string netns_path;
  // Set net.ipv4.ip_forward, route_localnet (NodePorts on 127.0.0.1) and
  // bridge-nf-call-iptables at start.
  bool set_sysctls = true;
  // At least this often a sync is a full one (upstream's FullSyncPeriod, one hour).
  std::chrono::milliseconds full_sync_period{std::chrono::hours(1)};
  // Large writes are split into restores of about this many rule lines (grouped by service port).
  size_t restore_chunk_lines = 2000;
  // Sees every iptables/conntrack command before it runs (tests); see IptablesRunner::Hook.
  IptablesRunner::Hook command_hook;
};

// What the last SyncOnce did.
struct SyncStats {
  bool full = false;         // a full sync (iptables-save, everything rewritten)
  bool wrote = false;        // false: nothing had changed
  int restores = 0;          // iptables-restore runs
  size_t chains_written = 0;  // per-service-port chains (re)written
  size_t chains_deleted = 0;
  size_t ports_rebuilt = 0;   // service ports whose rules were built anew (not from the cache)
  std::chrono::microseconds build{0};     // listing the informers and building the rules
  std::chrono::microseconds duration{0};  // the whole sync
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
  // Makes the next sync a full one, and wakes the sync thread.
  void RequestFullSync();
  // Number of syncs so far that wrote rules successfully.
  int writes() const { return writes_.load(); }
  SyncStats last_sync() const;
  // Removes the kube chains and the jump rules.
  api::Status Cleanup();

 private:
  struct CachedPort {
    ServicePort port;
    std::shared_ptr<const ServicePortRules> rules;
  };

  void Run();
  void MarkDirty();
  // The desired rules, from the cache where a port did not change. Needs sync_mu_.
  DesiredRules BuildDesired(const std::vector<ServicePort>& ports, SyncStats* stats);
  // The writes of a full sync: save, jump rules, every chain. Needs sync_mu_.
  api::Status FullSync(const DesiredRules& desired, SyncStats* stats);
  api::Status RunRestores(const SyncPlan& plan, SyncStats* stats);

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

  std::atomic<bool> full_sync_requested_{false};
  std::atomic<int> writes_{0};

  // Used by the sync (one at a time).
  mutable std::mutex sync_mu_;
  bool need_full_sync_ = true;                              // guarded by sync_mu_
  std::chrono::steady_clock::time_point last_full_sync_;    // guarded by sync_mu_
  WrittenState written_;                                    // guarded by sync_mu_
  std::unordered_map<std::string, CachedPort> port_cache_;  // guarded by sync_mu_
  bool cache_large_cluster_ = false;                        // guarded by sync_mu_
  std::set<std::string> last_udp_endpoints_;                // guarded by sync_mu_

  mutable std::mutex stats_mu_;
  SyncStats last_stats_;  // guarded by stats_mu_
};

}  // namespace kc::proxy
