#include "pkg/scheduler/scheduler.h"

#include <pthread.h>

#include <spdlog/spdlog.h>
#include <unistd.h>

#include <algorithm>
#include <boost/json/serialize.hpp>

#include "pkg/api/json_path.h"
#include "pkg/api/time_util.h"
#include "pkg/scheduler/default_plugins.h"

namespace kc::scheduler {
namespace json = boost::json;
namespace {

const client::ResourceRef kPods{"", "v1", "pods"};
const client::ResourceRef kNodes{"", "v1", "nodes"};
// The scheduler's own index on the shared pod informer: spec.nodeName of bound pods.
constexpr char kNodeNameIndex[] = "scheduler.nodeName";

std::string PodNodeName(const client::Object& pod) {
  const json::object* spec = api::GetObject(pod, "spec");
  return spec ? api::GetString(*spec, "nodeName") : "";
}

bool IsTerminal(const client::Object& pod) {
  const json::object* status = api::GetObject(pod, "status");
  std::string phase = status ? api::GetString(*status, "phase") : "";
  return phase == "Succeeded" || phase == "Failed";
}

// The pod without the parts that change without the user changing the pod (status, resource
// version, managed fields): a difference means the pod itself was edited.
client::Object UserView(const client::Object& pod) {
  client::Object copy = pod;
  copy.erase("status");
  if (json::value* m = copy.if_contains("metadata"); m && m->is_object()) {
    m->get_object().erase("resourceVersion");
    m->get_object().erase("managedFields");
  }
  return copy;
}

// The parts of a node the filters look at.
json::object NodeSchedulingView(const client::Object& node) {
  json::object v;
  if (const json::object* meta = api::GetObject(node, "metadata")) {
    if (const json::value* l = meta->if_contains("labels")) v["labels"] = *l;
  }
  if (const json::value* s = node.if_contains("spec")) v["spec"] = *s;
  if (const json::object* status = api::GetObject(node, "status")) {
    if (const json::value* a = status->if_contains("allocatable")) v["allocatable"] = *a;
    json::object conds;
    if (const json::array* cs = api::GetArray(*status, "conditions")) {
      for (const json::value& c : *cs) {
        if (!c.is_object()) continue;
        conds[api::GetString(c.get_object(), "type")] = api::GetString(c.get_object(), "status");
      }
    }
    v["conditions"] = std::move(conds);
  }
  return v;
}

std::string DefaultInstance(const std::string& name) {
  char host[256] = {};
  if (gethostname(host, sizeof(host) - 1) != 0 || host[0] == '\0') return name;
  return name + "-" + host;
}

}  // namespace

Scheduler::Scheduler(client::Client& client, client::SharedInformerFactory& factory,
                     SchedulerOptions opts)
    : client_(client),
      opts_(std::move(opts)),
      clock_(opts_.clock ? opts_.clock : client::Clock::Real()),
      pods_(factory.ForResource(kPods)),
      nodes_(factory.ForResource(kNodes)),
      queue_(client::WorkQueueOptions{std::chrono::milliseconds(5), std::chrono::seconds(1000),
                                      opts_.clock}),
      events_(client, opts_.scheduler_name,
              opts_.instance.empty() ? DefaultInstance(opts_.scheduler_name) : opts_.instance,
              opts_.clock),
      rng_(opts_.random_seed ? opts_.random_seed : std::random_device{}()) {
  framework_ = opts_.framework ? std::move(opts_.framework) : NewDefaultFramework();
  pods_->AddIndex(kNodeNameIndex, [](const client::Object& pod) {
    std::string node = PodNodeName(pod);
    return node.empty() ? std::vector<std::string>{} : std::vector<std::string>{node};
  });
  client::EventHandler ph;
  ph.on_add = [this](const client::ObjectPtr& p) { OnPodAdd(p); };
  ph.on_update = [this](const client::ObjectPtr& o, const client::ObjectPtr& n) {
    OnPodUpdate(o, n);
  };
  ph.on_delete = [this](const client::ObjectPtr& p) { OnPodDelete(p); };
  pod_handler_ = pods_->AddEventHandler(std::move(ph));
  client::EventHandler nh;
  nh.on_add = [this](const client::ObjectPtr& n) { OnNodeChange(nullptr, n); };
  nh.on_update = [this](const client::ObjectPtr& o, const client::ObjectPtr& n) {
    OnNodeChange(o, n);
  };
  node_handler_ = nodes_->AddEventHandler(std::move(nh));
}

Scheduler::~Scheduler() { Stop(); }

void Scheduler::Start() {
  std::lock_guard<std::mutex> l(mu_);
  if (started_ || stop_) return;
  started_ = true;
  thread_ = std::thread([this] {
    pthread_setname_np(pthread_self(), "scheduler");  // for top -H and perf
    Run();
  });
}

void Scheduler::Stop() {
  if (pod_handler_) pods_->RemoveEventHandler(pod_handler_);
  if (node_handler_) nodes_->RemoveEventHandler(node_handler_);
  pod_handler_ = node_handler_ = 0;
  stop_ = true;
  queue_.ShutDown();
  std::thread t;
  {
    std::lock_guard<std::mutex> l(mu_);
    t = std::move(thread_);
  }
  if (t.joinable()) t.join();
  events_.Stop();
}

size_t Scheduler::NumUnschedulable() const {
  std::lock_guard<std::mutex> l(mu_);
  return unschedulable_.size();
}

void Scheduler::Run() {
  for (client::SharedInformer* inf : {pods_, nodes_}) {
    while (!stop_ && !inf->WaitForSync(std::chrono::milliseconds(100))) {
    }
  }
  if (stop_) return;
  spdlog::info("scheduler {}: caches synced, scheduling", opts_.scheduler_name);
  while (!stop_) {
    std::string key;
    if (queue_.GetFor(&key, std::chrono::seconds(1))) {
      if (!stop_) ScheduleOne(key);
      queue_.Done(key);
    } else if (queue_.ShuttingDown()) {
      break;
    }
    // Pods parked for longer than unschedulable_flush get another attempt.
    std::lock_guard<std::mutex> l(mu_);
    auto now = clock_->Now();
    for (auto it = unschedulable_.begin(); it != unschedulable_.end();) {
      auto a = attempts_.find(*it);
      if (a == attempts_.end() || now - a->second.last_failure >= opts_.unschedulable_flush) {
        queue_.Add(*it);
        it = unschedulable_.erase(it);
      } else {
        ++it;
      }
    }
  }
}

bool Scheduler::Responsible(const client::Object& pod) const {
  const json::object* spec = api::GetObject(pod, "spec");
  const json::object* meta = api::GetObject(pod, "metadata");
  if (!spec || !meta) return false;
  if (!api::GetString(*spec, "nodeName").empty()) return false;
  std::string name = api::GetString(*spec, "schedulerName");
  if ((name.empty() ? std::string(kDefaultSchedulerName) : name) != opts_.scheduler_name) {
    return false;
  }
  if (!api::GetString(*meta, "deletionTimestamp").empty()) return false;
  if (const json::array* gates = api::GetArray(*spec, "schedulingGates");
      gates && !gates->empty()) {
    return false;
  }
  return !IsTerminal(pod);
}

void Scheduler::OnPodAdd(const client::ObjectPtr& pod) {
  std::string key = client::ObjectKey(*pod);
  if (!PodNodeName(*pod).empty()) {
    std::lock_guard<std::mutex> l(mu_);
    assumed_.erase(key);
    unschedulable_.erase(key);
    attempts_.erase(key);
    return;
  }
  if (Responsible(*pod)) queue_.Add(key);
}

void Scheduler::OnPodUpdate(const client::ObjectPtr& old_pod, const client::ObjectPtr& new_pod) {
  std::string key = client::ObjectKey(*new_pod);
  if (!PodNodeName(*new_pod).empty()) {
    bool freed = !PodNodeName(*old_pod).empty() && !IsTerminal(*old_pod) && IsTerminal(*new_pod);
    {
      std::lock_guard<std::mutex> l(mu_);
      assumed_.erase(key);
      unschedulable_.erase(key);
      attempts_.erase(key);
    }
    if (freed) MoveAllToActive();
    return;
  }
  if (!Responsible(*new_pod)) {
    std::lock_guard<std::mutex> l(mu_);
    unschedulable_.erase(key);
    return;
  }
  if (!Responsible(*old_pod)) {
    queue_.Add(key);
    return;
  }
  if (UserView(*old_pod) == UserView(*new_pod)) return;
  std::lock_guard<std::mutex> l(mu_);
  if (unschedulable_.erase(key)) RequeueWithBackoffLocked(key);
}

void Scheduler::OnPodDelete(const client::ObjectPtr& pod) {
  std::string key = client::ObjectKey(*pod);
  bool was_placed = !PodNodeName(*pod).empty() && !IsTerminal(*pod);
  {
    std::lock_guard<std::mutex> l(mu_);
    if (assumed_.erase(key)) was_placed = true;
    unschedulable_.erase(key);
    attempts_.erase(key);
  }
  queue_.Forget(key);
  if (was_placed) MoveAllToActive();
}

void Scheduler::OnNodeChange(const client::ObjectPtr& old_node, const client::ObjectPtr& new_node) {
  if (old_node && NodeSchedulingView(*old_node) == NodeSchedulingView(*new_node)) return;
  MoveAllToActive();
}

void Scheduler::MoveAllToActive() {
  ++cluster_events_;
  std::lock_guard<std::mutex> l(mu_);
  for (const std::string& key : unschedulable_) RequeueWithBackoffLocked(key);
  unschedulable_.clear();
}

client::Clock::Duration Scheduler::BackoffLocked(const std::string& key) const {
  auto it = attempts_.find(key);
  if (it == attempts_.end() || it->second.failures <= 0) return client::Clock::Duration::zero();
  client::Clock::Duration d = opts_.initial_backoff;
  for (int i = 1; i < it->second.failures && d < opts_.max_backoff; ++i) d *= 2;
  return std::min<client::Clock::Duration>(d, opts_.max_backoff);
}

void Scheduler::RequeueWithBackoffLocked(const std::string& key) {
  client::Clock::Duration wait = BackoffLocked(key);
  if (auto it = attempts_.find(key); it != attempts_.end()) {
    wait -= clock_->Now() - it->second.last_failure;
  }
  queue_.AddAfter(key, std::max(wait, client::Clock::Duration::zero()));
}

void Scheduler::Forget(const std::string& key) {
  {
    std::lock_guard<std::mutex> l(mu_);
    unschedulable_.erase(key);
    attempts_.erase(key);
  }
  queue_.Forget(key);
}

void Scheduler::MarkUnschedulable(const std::string& key, uint64_t cycle_events) {
  std::lock_guard<std::mutex> l(mu_);
  Attempts& a = attempts_[key];
  ++a.failures;
  a.last_failure = clock_->Now();
  if (cluster_events_.load() != cycle_events) {
    RequeueWithBackoffLocked(key);
  } else {
    unschedulable_.insert(key);
  }
}

std::vector<std::shared_ptr<const NodeInfo>> Scheduler::Snapshot() {
  std::vector<client::ObjectPtr> node_objs = nodes_->List();
  std::sort(node_objs.begin(), node_objs.end(), [](const auto& a, const auto& b) {
    return client::ObjectMetaString(*a, "name") < client::ObjectMetaString(*b, "name");
  });
  std::map<std::string, std::shared_ptr<NodeInfo>> by_name;
  std::vector<std::shared_ptr<NodeInfo>> infos;
  decltype(pod_infos_) next_infos;
  auto info_for = [&](const client::ObjectPtr& p) {
    std::string key = client::ObjectKey(*p);
    auto it = pod_infos_.find(key);
    std::shared_ptr<const PodInfo> info;
    if (it != pod_infos_.end() && it->second.first.get() == p.get()) {
      info = it->second.second;
    } else {
      info = std::make_shared<const PodInfo>(p);
    }
    next_infos[key] = {p, info};
    return info;
  };
  for (const client::ObjectPtr& n : node_objs) {
    auto info = std::make_shared<NodeInfo>(n);
    for (const client::ObjectPtr& p : pods_->ByIndex(kNodeNameIndex, info->name())) {
      if (IsTerminal(*p)) continue;
      info->AddPod(info_for(p));
    }
    by_name[info->name()] = info;
    infos.push_back(std::move(info));
  }
  {
    std::lock_guard<std::mutex> l(mu_);
    for (auto it = assumed_.begin(); it != assumed_.end();) {
      client::ObjectPtr current = pods_->Get(it->first);
      if (!current || !PodNodeName(*current).empty()) {
        it = assumed_.erase(it);
        continue;
      }
      if (auto n = by_name.find(it->second.second); n != by_name.end()) {
        n->second->AddPod(std::make_shared<const PodInfo>(it->second.first));
      }
      ++it;
    }
  }
  pod_infos_ = std::move(next_infos);
  return {infos.begin(), infos.end()};
}

std::string Scheduler::ScheduleOne(const std::string& key, std::string* message) {
  std::lock_guard<std::mutex> cycle(cycle_mu_);
  uint64_t events_at_start = cluster_events_.load();
  client::ObjectPtr obj = pods_->Get(key);
  if (!obj || !Responsible(*obj)) {
    Forget(key);
    return "";
  }
  {
    std::lock_guard<std::mutex> l(mu_);
    if (assumed_.count(key)) return "";
  }
  PodInfo pod(obj);
  ScheduleResult r = SchedulePod(*framework_, pod, Snapshot(), opts_.random_ties ? &rng_ : nullptr);
  if (r.node.empty()) {
    spdlog::info("scheduler: unable to schedule pod {}: {}", key, r.message);
    UpdateUnschedulableCondition(*obj, r.message);
    if (opts_.record_events) events_.PodEvent(*obj, "Warning", "FailedScheduling", r.message);
    MarkUnschedulable(key, events_at_start);
    if (message) *message = r.message;
    return "";
  }
  {
    std::lock_guard<std::mutex> l(mu_);
    assumed_[key] = {obj, r.node};
  }
  api::Status st = Bind(pod, r.node);
  if (!st.ok()) {
    {
      std::lock_guard<std::mutex> l(mu_);
      assumed_.erase(key);
    }
    if (st.reason() == api::Reason::kNotFound || st.reason() == api::Reason::kConflict) {
      // Gone, or bound by someone else meanwhile: nothing left to do.
      Forget(key);
      return "";
    }
    std::string msg = "Binding rejected: " + st.message();
    spdlog::warn("scheduler: binding {} to {}: {}", key, r.node, st.ToString());
    if (opts_.record_events) events_.PodEvent(*obj, "Warning", "FailedScheduling", msg);
    std::lock_guard<std::mutex> l(mu_);
    Attempts& a = attempts_[key];
    ++a.failures;
    a.last_failure = clock_->Now();
    RequeueWithBackoffLocked(key);
    if (message) *message = msg;
    return "";
  }
  Forget(key);
  spdlog::debug("scheduler: bound {} to {}", key, r.node);
  if (opts_.record_events) {
    events_.PodEvent(*obj, "Normal", "Scheduled", "Successfully assigned " + key + " to " + r.node);
  }
  return r.node;
}

api::Status Scheduler::Bind(const PodInfo& pod, const std::string& node) {
  json::object meta;
  meta["name"] = pod.name();
  meta["namespace"] = pod.ns();
  if (!pod.uid().empty()) meta["uid"] = pod.uid();
  json::object target;
  target["apiVersion"] = "v1";
  target["kind"] = "Node";
  target["name"] = node;
  json::object binding;
  binding["apiVersion"] = "v1";
  binding["kind"] = "Binding";
  binding["metadata"] = std::move(meta);
  binding["target"] = std::move(target);
  client::WriteOptions wo;
  wo.subresource = "binding";
  auto r = client_.Create(kPods, pod.ns(), binding, wo);
  return r.ok() ? api::Status::Ok() : r.status();
}

void Scheduler::UpdateUnschedulableCondition(const client::Object& pod,
                                             const std::string& message) {
  const json::object* status = api::GetObject(pod, "status");
  const json::array* conds = status ? api::GetArray(*status, "conditions") : nullptr;
  json::array next;
  bool replaced = false;
  json::object cond;
  cond["type"] = "PodScheduled";
  cond["status"] = "False";
  cond["lastProbeTime"] = nullptr;
  cond["lastTransitionTime"] = api::FormatTime(api::Clock::now());
  cond["reason"] = "Unschedulable";
  cond["message"] = message;
  if (conds) {
    for (const json::value& c : *conds) {
      if (!c.is_object() || api::GetString(c.get_object(), "type") != "PodScheduled") {
        next.push_back(c);
        continue;
      }
      const json::object& old = c.get_object();
      if (api::GetString(old, "status") == "False") {
        if (api::GetString(old, "reason") == "Unschedulable" &&
            api::GetString(old, "message") == message) {
          return;  // unchanged
        }
        if (const json::value* t = old.if_contains("lastTransitionTime")) {
          cond["lastTransitionTime"] = *t;
        }
      }
      next.push_back(cond);
      replaced = true;
    }
  }
  (void)replaced;
  // A strategic merge patch of just this condition (merge key "type"): conditions other
  // components wrote meanwhile (the kubelet's, a test's) are left alone, unlike a merge patch
  // of the whole list from this cached copy.
  json::object patch;
  patch["status"] = json::object{{"conditions", json::array{cond}}};
  client::PatchOptions po;
  po.subresource = "status";
  auto r = client_.Patch(kPods, client::ObjectMetaString(pod, "namespace"),
                         client::ObjectMetaString(pod, "name"), client::PatchType::kStrategicMerge,
                         json::serialize(patch), po);
  if (!r.ok()) {
    spdlog::debug("scheduler: updating PodScheduled of {}: {}", client::ObjectKey(pod),
                  r.status().ToString());
  }
}

}  // namespace kc::scheduler
