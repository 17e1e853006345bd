#include "pkg/kubelet/kubelet.h"

#include <spdlog/spdlog.h>

#include <fstream>
#include <sstream>

#include "pkg/api/field_set_path.h"
#include "pkg/api/json_path.h"
#include "pkg/kubelet/pod_util.h"
#include "pkg/kubelet/runtime_reader.h"
#include "pkg/kubelet/streams.h"

namespace kc::kubelet {
namespace {

const client::ResourceRef kPods{"", "v1", "pods"};
const client::ResourceRef kServices{"", "v1", "services"};

std::string ReadFile(const std::string& path) {
  std::ifstream in(path);
  std::ostringstream ss;
  if (in) ss << in.rdbuf();
  return ss.str();
}

// The parts of a pod whose change needs a sync (our own status writes do not).
json::object SyncView(const json::object& pod) {
  json::object v = pod;
  v.erase("status");
  if (json::value* m = v.if_contains("metadata"); m && m->is_object()) {
    m->get_object().erase("resourceVersion");
    m->get_object().erase("managedFields");
  }
  return v;
}

KubeletOptions Normalize(KubeletOptions o, const MachineInfo& m) {
  if (o.node_name.empty()) o.node_name = m.hostname.empty() ? "localhost" : m.hostname;
  if (o.node_ip.empty()) o.node_ip = DetectNodeIp();
  if (o.workers < 1) o.workers = 1;
  return o;
}

}  // namespace

Kubelet::Kubelet(client::Client& client, client::SharedInformerFactory& factory,
                 cri::Runtime& runtime, KubeletOptions opts)
    : client_(client),
      factory_(factory),
      runtime_(runtime),
      opts_(std::move(opts)),
      time_(opts_.clock),
      machine_(ReadMachineInfo(opts_.root_dir)),
      services_(nullptr),
      queue_(client::WorkQueueOptions{std::chrono::milliseconds(100), std::chrono::seconds(30),
                                      opts_.clock}),
      container_backoff_(time_, opts_.backoff_initial, opts_.backoff_max),
      image_backoff_(time_, opts_.backoff_initial, opts_.backoff_max),
      puller_(runtime, image_backoff_),
      volumes_(client, opts_.root_dir) {
  opts_ = Normalize(std::move(opts_), machine_);
  sandbox_opts_.cluster_dns = opts_.cluster_dns;
  sandbox_opts_.cluster_domain = opts_.cluster_domain;
  sandbox_opts_.pod_log_dir = opts_.pod_log_dir;
  ParseResolvConf(ReadFile(opts_.host_resolv_conf), &sandbox_opts_);

  client::InformerOptions io;
  io.resource = kPods;
  io.field_selector = "spec.nodeName=" + opts_.node_name;
  pod_informer_ = std::make_unique<client::SharedInformer>(client_, io);
  client::EventHandler h;
  h.on_add = [this](const client::ObjectPtr& p) { OnPodAdd(p); };
  h.on_update = [this](const client::ObjectPtr& o, const client::ObjectPtr& n) {
    OnPodUpdate(o, n);
  };
  h.on_delete = [this](const client::ObjectPtr& p) { OnPodDelete(p); };
  pod_handler_ = pod_informer_->AddEventHandler(std::move(h));
  services_ = factory_.ForResource(kServices);

  events_ = std::make_unique<EventRecorder>(client_, opts_.node_name, opts_.clock);
  probes_ = std::make_unique<ProbeManager>(runtime_, time_,
                                           [this](const std::string& uid) { Enqueue(uid); });
  probes_->SetUnhealthyHandler([this](const json::object& pod, const std::string& container,
                                      const std::string& message) {
    events_->Warning(pod, container, "Unhealthy", message);
  });
  NodeConfig nc;
  nc.node_name = opts_.node_name;
  nc.node_ip = opts_.node_ip;
  nc.pod_cidr = opts_.pod_cidr;
  nc.control_plane = opts_.control_plane;
  nc.max_pods = opts_.max_pods;
  nc.report_period = opts_.node_status_report_period;
  node_status_ = std::make_unique<NodeStatusManager>(client_, runtime_, time_, nc, machine_);
  lease_ = std::make_unique<NodeLease>(client_, time_, opts_.node_name,
                                       opts_.lease_duration_seconds);
  streams_ = std::make_unique<KubeletStreams>(*this);
}

Kubelet::~Kubelet() { Stop(); }

streaming::PodStreams& Kubelet::streams() { return *streams_; }

void Kubelet::Start() {
  std::lock_guard<std::mutex> l(mu_);
  if (started_ || stop_) return;
  started_ = true;
  spdlog::info("kubelet: starting on node {} ({})", opts_.node_name, opts_.node_ip);
  pod_informer_->Start();
  threads_.emplace_back([this] { NodeLoop(); });
  threads_.emplace_back([this] { RelistLoop(); });
  threads_.emplace_back([this] { ProbeLoop(); });
  for (int i = 0; i < opts_.workers; ++i) threads_.emplace_back([this] { WorkerLoop(); });
}

void Kubelet::Stop() {
  if (pod_handler_) {
    pod_informer_->RemoveEventHandler(pod_handler_);
    pod_handler_ = 0;
  }
  stop_ = true;
  queue_.ShutDown();
  {
    std::lock_guard<std::mutex> l(sleep_mu_);
    sleep_cv_.notify_all();
  }
  std::vector<std::thread> threads;
  {
    std::lock_guard<std::mutex> l(mu_);
    threads = std::move(threads_);
  }
  for (std::thread& t : threads) {
    if (t.joinable()) t.join();
  }
  pod_informer_->Stop();
  events_->Stop();
}

bool Kubelet::StartInformerAndWait(std::chrono::milliseconds timeout) {
  pod_informer_->Start();
  return pod_informer_->WaitForSync(timeout);
}

bool Kubelet::SleepFor(std::chrono::milliseconds d) {
  std::unique_lock<std::mutex> l(sleep_mu_);
  sleep_cv_.wait_for(l, d, [this] { return stop_.load(); });
  return !stop_;
}

void Kubelet::OnPodAdd(const client::ObjectPtr& pod) {
  std::string uid = PodUid(*pod);
  if (uid.empty()) return;
  {
    std::lock_guard<std::mutex> l(mu_);
    PodRecord& r = records_[uid];
    r.pod = pod;
    r.gone = false;
  }
  Enqueue(uid);
}

void Kubelet::OnPodUpdate(const client::ObjectPtr& old_pod, const client::ObjectPtr& new_pod) {
  std::string uid = PodUid(*new_pod);
  if (uid.empty()) return;
  bool relevant = !old_pod || PodUid(*old_pod) != uid ||
                  !api::JsonEqual(SyncView(*old_pod), SyncView(*new_pod));
  {
    std::lock_guard<std::mutex> l(mu_);
    PodRecord& r = records_[uid];
    r.pod = new_pod;
    r.gone = false;
    if (!relevant && r.has_last_status) return;  // only our own status write came back
  }
  Enqueue(uid);
}

void Kubelet::OnPodDelete(const client::ObjectPtr& pod) {
  std::string uid = PodUid(*pod);
  if (uid.empty()) return;
  {
    std::lock_guard<std::mutex> l(mu_);
    PodRecord& r = records_[uid];
    if (!r.pod) r.pod = pod;
    r.gone = true;
  }
  Enqueue(uid);
}

void Kubelet::WorkerLoop() {
  while (!stop_) {
    std::string uid;
    if (!queue_.GetFor(&uid, std::chrono::seconds(1))) {
      if (queue_.ShuttingDown()) return;
      continue;
    }
    if (!pod_informer_->HasSynced()) {
      queue_.Done(uid);
      queue_.AddAfter(uid, std::chrono::milliseconds(200));
      continue;
    }
    api::Status s = SyncPod(uid);
    std::chrono::milliseconds requeue = RequeueDelay(uid);
    queue_.Done(uid);
    if (!s.ok()) {
      spdlog::warn("kubelet: sync of pod {} failed: {}", uid, s.ToString());
      queue_.AddRateLimited(uid);
    } else {
      queue_.Forget(uid);
      if (requeue.count() > 0) queue_.AddAfter(uid, requeue);
    }
  }
}

void Kubelet::RelistLoop() {
  auto last_full = time_.Steady();
  while (SleepFor(opts_.relist_period)) {
    if (!pod_informer_->HasSynced()) continue;
    Relist();
    if (time_.Steady() - last_full >= opts_.sync_period) {
      last_full = time_.Steady();
      std::vector<std::string> uids;
      {
        std::lock_guard<std::mutex> l(mu_);
        for (const auto& [uid, r] : records_) uids.push_back(uid);
      }
      for (const std::string& uid : uids) Enqueue(uid);
    }
  }
}

std::vector<std::string> Kubelet::Relist() {
  std::vector<std::string> changed;
  auto pods = ListRuntimePods(runtime_);
  if (!pods.ok()) {
    spdlog::warn("kubelet: relist failed: {}", pods.status().message());
    return changed;
  }
  {
    std::lock_guard<std::mutex> l(mu_);
    std::map<std::string, std::string> next;
    for (const auto& [uid, pod] : *pods) {
      std::string fp = RuntimeFingerprint(pod);
      auto it = relist_fingerprints_.find(uid);
      if (it == relist_fingerprints_.end() || it->second != fp) changed.push_back(uid);
      next[uid] = std::move(fp);
      if (!records_.count(uid)) records_[uid].gone = true;  // unknown to the API: an orphan
    }
    for (const auto& [uid, fp] : relist_fingerprints_) {
      if (!next.count(uid)) changed.push_back(uid);
    }
    relist_fingerprints_ = std::move(next);
  }
  for (const std::string& uid : changed) Enqueue(uid);
  return changed;
}

void Kubelet::SyncAll() {
  Relist();
  std::vector<std::string> uids;
  {
    std::lock_guard<std::mutex> l(mu_);
    for (const auto& [uid, r] : records_) uids.push_back(uid);
  }
  for (const std::string& uid : uids) SyncPod(uid);
}

void Kubelet::NodeLoop() {
  cri::v1::UpdateRuntimeConfigRequest rc;
  rc.mutable_runtime_config()->mutable_network_config()->set_pod_cidr(opts_.pod_cidr);
  if (api::Status s = runtime_.UpdateRuntimeConfig(rc); !s.ok()) {
    spdlog::warn("kubelet: UpdateRuntimeConfig failed: {}", s.message());
  }
  auto next_status = time_.Steady();
  auto next_lease = time_.Steady();
  while (!stop_) {
    auto now = time_.Steady();
    if (now >= next_status) {
      if (api::Status s = UpdateNodeStatus(); !s.ok()) {
        spdlog::warn("kubelet: node status update failed: {}", s.ToString());
        next_status = now + std::chrono::seconds(1);
      } else {
        next_status = now + opts_.node_status_update_period;
      }
    }
    if (now >= next_lease && node_status_->registered()) {
      if (api::Status s = RenewLease(); !s.ok()) {
        spdlog::warn("kubelet: lease renewal failed: {}", s.ToString());
        next_lease = now + std::chrono::seconds(1);
      } else {
        next_lease = now + opts_.lease_renew_period;
      }
    }
    if (!SleepFor(std::chrono::milliseconds(200))) return;
  }
}

void Kubelet::ProbeLoop() {
  while (SleepFor(std::chrono::milliseconds(200))) probes_->RunDueProbes();
}

api::Status Kubelet::UpdateNodeStatus() { return node_status_->Update(); }

api::Status Kubelet::RenewLease() { return lease_->Renew(node_status_->node_uid()); }

std::chrono::milliseconds Kubelet::RequeueDelay(const std::string& uid) const {
  std::lock_guard<std::mutex> l(mu_);
  auto it = records_.find(uid);
  return it == records_.end() ? std::chrono::milliseconds(0) : it->second.requeue_after;
}

std::map<std::string, WaitingReason> Kubelet::WaitingReasons(const std::string& uid) const {
  std::lock_guard<std::mutex> l(mu_);
  auto it = records_.find(uid);
  return it == records_.end() ? std::map<std::string, WaitingReason>{} : it->second.reasons;
}

json::object Kubelet::PodWithFreshStatus(const client::ObjectPtr& pod) const {
  json::object out = *pod;
  std::lock_guard<std::mutex> l(mu_);
  auto it = records_.find(PodUid(*pod));
  if (it != records_.end() && it->second.has_last_status) out["status"] = it->second.last_status;
  return out;
}

api::Status Kubelet::SyncPod(const std::string& uid) {
  SyncContext ctx;
  ctx.uid = uid;
  {
    std::lock_guard<std::mutex> l(mu_);
    auto it = records_.find(uid);
    if (it == records_.end()) {
      ctx.gone = true;
    } else {
      ctx.pod = it->second.pod;
      ctx.gone = it->second.gone;
      ctx.finished = it->second.finished;
      ctx.reasons = it->second.reasons;
      ctx.last_status = it->second.last_status;
      ctx.has_last_status = it->second.has_last_status;
    }
  }
  // The informer's cache may be ahead of the handlers that fill records_: prefer it.
  if (ctx.pod && !ctx.gone) {
    client::ObjectPtr cur = pod_informer_->Get(PodNamespace(*ctx.pod), PodName(*ctx.pod));
    if (cur && PodUid(*cur) == uid) {
      ctx.pod = cur;
    } else if (pod_informer_->HasSynced()) {
      ctx.gone = true;
    }
  }
  api::Status result;
  std::chrono::milliseconds requeue{0};
  if (ctx.gone || !ctx.pod) {
    return CleanupOrphan(uid, ctx.pod);
  }
  if (IsDeleted(*ctx.pod)) {
    result = TerminatePod(ctx);
  } else {
    result = SyncLivePod(ctx, &requeue);
  }
  std::lock_guard<std::mutex> l(mu_);
  auto it = records_.find(uid);
  if (it != records_.end()) {
    it->second.reasons = std::move(ctx.reasons);
    it->second.finished = it->second.finished || ctx.finished;
    if (ctx.has_last_status) {
      it->second.last_status = std::move(ctx.last_status);
      it->second.has_last_status = true;
    }
    it->second.requeue_after = requeue;
  }
  return result;
}

}  // namespace kc::kubelet
