#include "pkg/proxy/proxier.h"

#include <spdlog/spdlog.h>

namespace kc::proxy {
namespace {

const client::ResourceRef kServices{"", "v1", "services"};
const client::ResourceRef kSlices{"discovery.k8s.io", "v1", "endpointslices"};

}  // namespace

Proxier::Proxier(client::SharedInformerFactory& factory, ProxierOptions opts)
    : services_(factory.ForResource(kServices)),
      slices_(factory.ForResource(kSlices)),
      opts_(std::move(opts)),
      runner_(opts_.command_prefix, opts_.command_hook, opts_.netns_path) {
  client::EventHandler h;
  h.on_add = [this](const client::ObjectPtr&) { MarkDirty(); };
  h.on_update = [this](const client::ObjectPtr&, const client::ObjectPtr&) { MarkDirty(); };
  h.on_delete = h.on_add;
  handlers_[0] = services_->AddEventHandler(h);
  handlers_[1] = slices_->AddEventHandler(h);
}

Proxier::~Proxier() { Stop(); }

void Proxier::MarkDirty() {
  std::lock_guard<std::mutex> l(mu_);
  dirty_ = true;
  cv_.notify_all();
}

void Proxier::Start() {
  if (thread_.joinable()) return;
  if (opts_.set_sysctls) {
    runner_.Sysctl("net.ipv4.ip_forward", "1");
    runner_.Sysctl("net.ipv4.conf.all.route_localnet", "1");
    runner_.Sysctl("net.bridge.bridge-nf-call-iptables", "1");
  }
  thread_ = std::thread([this] { Run(); });
}

void Proxier::Stop() {
  {
    std::lock_guard<std::mutex> l(mu_);
    if (stop_ && !thread_.joinable()) return;
    stop_ = true;
    cv_.notify_all();
  }
  if (thread_.joinable()) thread_.join();
  if (handlers_[0]) {
    services_->RemoveEventHandler(handlers_[0]);
    slices_->RemoveEventHandler(handlers_[1]);
    handlers_[0] = 0;
  }
}

void Proxier::Run() {
  while (!services_->WaitForSync(std::chrono::milliseconds(200)) ||
         !slices_->WaitForSync(std::chrono::milliseconds(200))) {
    std::lock_guard<std::mutex> l(mu_);
    if (stop_) return;
  }
  auto last = std::chrono::steady_clock::now() - opts_.min_sync_period;
  for (;;) {
    {
      std::unique_lock<std::mutex> l(mu_);
      cv_.wait_for(l, opts_.sync_period, [&] { return dirty_ || stop_; });
      if (stop_) return;
      // Batch: no more than one sync per min_sync_period.
      auto next = last + opts_.min_sync_period;
      if (std::chrono::steady_clock::now() < next) {
        cv_.wait_until(l, next, [&] { return stop_; });
        if (stop_) return;
      }
      dirty_ = false;
    }
    last = std::chrono::steady_clock::now();
    if (api::Status st = SyncOnce(); !st.ok()) {
      spdlog::warn("kube-proxy: sync failed: {}", st.ToString());
      MarkDirty();  // retried after min_sync_period
    }
  }
}

void Proxier::RequestFullSync() {
  full_sync_requested_.store(true);
  MarkDirty();
}

SyncStats Proxier::last_sync() const {
  std::lock_guard<std::mutex> l(stats_mu_);
  return last_stats_;
}

DesiredRules Proxier::BuildDesired(const std::vector<ServicePort>& ports, SyncStats* stats) {
  const bool large = IsLargeCluster(ports, opts_.rules);
  if (large != cache_large_cluster_) {
    // Every port's comments change.
    port_cache_.clear();
    cache_large_cluster_ = large;
  }
  std::unordered_map<std::string, CachedPort> next;
  next.reserve(ports.size());
  std::vector<std::shared_ptr<const ServicePortRules>> parts;
  parts.reserve(ports.size());
  for (const ServicePort& sp : ports) {
    std::string key = sp.PortName() + "/" + sp.protocol;
    auto it = port_cache_.find(key);
    if (it != port_cache_.end() && it->second.port == sp) {
      parts.push_back(it->second.rules);
      next.emplace(std::move(key), std::move(it->second));
      continue;
    }
    auto rules =
        std::make_shared<const ServicePortRules>(BuildServicePortRules(sp, opts_.rules, large));
    ++stats->ports_rebuilt;
    parts.push_back(rules);
    next.emplace(std::move(key), CachedPort{sp, std::move(rules)});
  }
  port_cache_ = std::move(next);
  return AssembleRules(std::move(parts), opts_.rules, large);
}

api::Status Proxier::RunRestores(const SyncPlan& plan, SyncStats* stats) {
  for (const std::string& text : plan.restores) {
    if (api::Status st = runner_.Restore(text); !st.ok()) return st;
    ++stats->restores;
  }
  stats->wrote = !plan.restores.empty();
  stats->chains_written = plan.chains_written;
  stats->chains_deleted = plan.chains_deleted;
  return api::Status::Ok();
}

api::Status Proxier::FullSync(const DesiredRules& desired, SyncStats* stats) {
  api::Result<std::string> nat = runner_.Save("nat");
  if (!nat.ok()) return nat.status();
  api::Result<std::string> filter = runner_.Save("filter");
  if (!filter.ok()) return filter.status();
  const std::set<std::string> nat_chains = ParseSaveChains(*nat, "nat");

  // The jump rules from the built-in chains need their targets. Only missing top-level chains
  // are created here: declaring an existing one would flush it, and cut service traffic until
  // the last restore refills it. Missing jumps are inserted (-I, as `iptables -I` would) by the
  // same restore, which leaves the built-in chains' other rules alone.
  std::string setup;
  auto add_table = [&](const std::string& table, const std::vector<std::string>& top,
                       const std::string& saved) {
    const std::set<std::string> have = ParseSaveChains(saved, table);
    std::string text;
    for (const std::string& c : top) {
      if (!have.count(c)) text += ":" + c + " - [0:0]\n";
    }
    for (const JumpRule& j : JumpRules()) {
      if (j.table != table) continue;
      std::string line = JumpRuleSaveLine(j);
      if (SaveHasRule(saved, line)) continue;
      text += "-I" + line.substr(2) + "\n";
    }
    if (!text.empty()) setup += "*" + table + "\n" + text + "COMMIT\n";
  };
  add_table("filter", FilterTopLevelChains(), *filter);
  add_table("nat", NatTopLevelChains(), *nat);
  if (!setup.empty()) {
    if (api::Status st = runner_.Restore(setup); !st.ok()) return st;
    ++stats->restores;
  }

  SyncPlan plan = PlanFullSync(desired, nat_chains, written_, opts_.restore_chunk_lines);
  if (api::Status st = RunRestores(plan, stats); !st.ok()) return st;
  written_ = std::move(plan.after);
  return api::Status::Ok();
}

api::Status Proxier::SyncOnce() {
  std::lock_guard<std::mutex> l(sync_mu_);
  const auto start = std::chrono::steady_clock::now();
  SyncStats stats;
  if (full_sync_requested_.exchange(false)) need_full_sync_ = true;
  stats.full = need_full_sync_ || start - last_full_sync_ >= opts_.full_sync_period;

  std::vector<ServicePort> ports = BuildServicePorts(services_->List(), slices_->List());
  DesiredRules desired = BuildDesired(ports, &stats);
  stats.build = std::chrono::duration_cast<std::chrono::microseconds>(
      std::chrono::steady_clock::now() - start);
  api::Status st;
  if (stats.full) {
    st = FullSync(desired, &stats);
  } else {
    SyncPlan plan = PlanPartialSync(desired, written_, opts_.restore_chunk_lines);
    st = RunRestores(plan, &stats);
    if (st.ok()) written_ = std::move(plan.after);
  }
  stats.duration = std::chrono::duration_cast<std::chrono::microseconds>(
      std::chrono::steady_clock::now() - start);
  {
    std::lock_guard<std::mutex> sl(stats_mu_);
    last_stats_ = stats;
  }
  if (!st.ok()) {
    // What is in the kernel now is not known exactly (earlier chunks may have been written):
    // the next sync lists and rewrites everything.
    need_full_sync_ = true;
    written_ = WrittenState{};
    return st;
  }
  if (stats.full) {
    need_full_sync_ = false;
    last_full_sync_ = start;
    spdlog::info("kube-proxy: full sync of {} service ports: {} restores, {} chains deleted, {} ms",
                 ports.size(), stats.restores, stats.chains_deleted,
                 stats.duration.count() / 1000);
  }
  if (!stats.wrote) return api::Status::Ok();
  writes_.fetch_add(1);
  spdlog::debug("kube-proxy: wrote {} chains, deleted {} ({} restores)", stats.chains_written,
                stats.chains_deleted, stats.restores);

  // UDP endpoints that went away: forget their conntrack entries.
  std::set<std::string> udp;
  for (const ServicePort& sp : ports) {
    if (sp.protocol != "UDP") continue;
    for (const ProxyEndpoint& ep : sp.endpoints) udp.insert(ep.ip);
  }
  for (const std::string& ip : last_udp_endpoints_) {
    if (!udp.count(ip)) runner_.ClearUdpConntrack(ip);
  }
  last_udp_endpoints_ = std::move(udp);
  return api::Status::Ok();
}

api::Status Proxier::Cleanup() {
  std::lock_guard<std::mutex> l(sync_mu_);
  for (const JumpRule& j : JumpRules()) runner_.DeleteRule(j.table, j.chain, j.args);
  std::string text;
  for (const char* table : {"filter", "nat"}) {
    api::Result<std::string> saved = runner_.Save(table);
    if (!saved.ok()) return saved.status();
    std::set<std::string> kube;
    for (const std::string& c : ParseSaveChains(*saved, table)) {
      if (c.rfind("KUBE-", 0) == 0) kube.insert(c);
    }
    if (kube.empty()) continue;
    text += std::string("*") + table + "\n";
    for (const std::string& c : kube) text += ":" + c + " - [0:0]\n";
    for (const std::string& c : kube) text += "-X " + c + "\n";
    text += "COMMIT\n";
  }
  need_full_sync_ = true;
  written_ = WrittenState{};
  if (text.empty()) return api::Status::Ok();
  return runner_.Restore(text);
}

}  // namespace kc::proxy
