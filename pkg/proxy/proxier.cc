#include "pkg/proxy/proxier.h"

#include <spdlog/spdlog.h>

#include "pkg/proxy/service_ports.h"

namespace kc::proxy {
namespace {

const client::ResourceRef kServices{"", "v1", "services"};
const client::ResourceRef kSlices{"discovery.k8s.io", "v1", "endpointslices"};

}  // namespace

Proxier::Proxier(client::SharedInformerFactory& factory, ProxierOptions opts)
    : services_(factory.ForResource(kServices)),
      slices_(factory.ForResource(kSlices)),
      opts_(std::move(opts)),
      runner_(opts_.command_prefix) {
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

api::Status Proxier::SyncOnce() {
  std::lock_guard<std::mutex> l(sync_mu_);
  if (!jumps_ensured_) {
    // Declare the kube chains first so the jump rules have targets.
    RuleSet empty = BuildRules({}, opts_.rules);
    if (api::Status st = runner_.Restore(empty.text); !st.ok()) return st;
    for (const JumpRule& j : JumpRules()) {
      if (api::Status st = runner_.EnsureRule(j.table, j.chain, j.args); !st.ok()) return st;
    }
    jumps_ensured_ = true;
    last_text_.clear();
  }
  std::vector<ServicePort> ports = BuildServicePorts(services_->List(), slices_->List());
  // Stale chains are only looked up when the rules change anyway.
  RuleSet probe = BuildRules(ports, opts_.rules);
  if (probe.text == last_text_) return api::Status::Ok();
  api::Result<std::string> saved = runner_.Save("nat");
  if (!saved.ok()) return saved.status();
  RuleSet rs = BuildRules(ports, opts_.rules, ParseSaveChains(*saved, "nat"));
  if (api::Status st = runner_.Restore(rs.text); !st.ok()) return st;
  last_text_ = probe.text;
  writes_.fetch_add(1);
  spdlog::debug("kube-proxy: wrote {} service ports", ports.size());

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
  jumps_ensured_ = false;
  last_text_.clear();
  if (text.empty()) return api::Status::Ok();
  return runner_.Restore(text);
}

}  // namespace kc::proxy
