#include "pkg/controllers/node_lifecycle_controller.h"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <boost/json/serialize.hpp>
#include <set>

#include "pkg/api/json_path.h"
#include "pkg/api/time_util.h"
#include "pkg/client/indexer.h"
#include "pkg/controllers/node_lifecycle_pods.h"
#include "pkg/controllers/object_meta.h"

namespace kc::controllers {
namespace {

namespace json = boost::json;

const client::ResourceRef kNodes{"", "v1", "nodes"};
const client::ResourceRef kPods{"", "v1", "pods"};
const client::ResourceRef kLeases{"coordination.k8s.io", "v1", "leases"};
constexpr const char kNodeLeaseNamespace[] = "kube-node-lease";
constexpr const char kPodNodeIndex[] = "nodelifecycle.nodeName";
constexpr const char kMonitorKey[] = "monitor";
constexpr const char kPodGcKey[] = "podgc";
constexpr const char kNodePrefix[] = "node:";
constexpr const char kPodPrefix[] = "pod:";
// Conflicting writes of one node's health are retried this often with a fresh copy.
constexpr int kHealthUpdateTries = 3;

constexpr const char kStateNormal[] = "Normal";
constexpr const char kStatePartial[] = "PartialDisruption";
constexpr const char kStateFull[] = "FullDisruption";

bool StartsWith(const std::string& s, const char* prefix) { return s.rfind(prefix, 0) == 0; }

std::string Label(const client::Object& obj, const char* key) {
  const json::value* l = api::Lookup(obj, "metadata.labels");
  return l && l->is_object() ? api::GetString(l->get_object(), key) : "";
}

// Upstream's topology GetZoneKey: region and zone labels (stable, else beta), "" without both.
std::string ZoneKey(const client::Object& node) {
  std::string region = Label(node, "topology.kubernetes.io/region");
  if (region.empty()) region = Label(node, "failure-domain.beta.kubernetes.io/region");
  std::string zone = Label(node, "topology.kubernetes.io/zone");
  if (zone.empty()) zone = Label(node, "failure-domain.beta.kubernetes.io/zone");
  if (region.empty() && zone.empty()) return "";
  return region + std::string(":\0:", 3) + zone;
}

client::ObjectReference NodeRef(const std::string& name, const std::string& uid) {
  client::ObjectReference r;
  r.api_version = "v1";
  r.kind = "Node";
  r.name = name;
  r.uid = uid;
  return r;
}

client::ObjectReference PodRef(const std::string& ns, const std::string& name) {
  client::ObjectReference r;
  r.api_version = "v1";
  r.kind = "Pod";
  r.ns = ns;
  r.name = name;
  return r;
}

// Sets Ready, MemoryPressure, DiskPressure and PIDPressure to Unknown the way upstream's
// tryUpdateNodeHealth does. Returns true when the Ready condition changed.
bool MarkConditionsUnknown(client::Object& node, const std::string& now) {
  json::object& status = api::EnsureObject(node, "status");
  json::value& cv = status["conditions"];
  if (!cv.is_array()) cv = json::array();
  json::array& conds = cv.get_array();
  const std::string created = client::ObjectMetaString(node, "creationTimestamp");
  bool ready_changed = false;
  for (const char* type : {"Ready", "MemoryPressure", "DiskPressure", "PIDPressure"}) {
    json::object* cur = nullptr;
    for (json::value& c : conds) {
      if (c.is_object() && api::GetString(c.get_object(), "type") == type) cur = &c.get_object();
    }
    bool changed = false;
    if (!cur) {
      json::object c{
          {"type", type},
          {"status", "Unknown"},
          {"lastHeartbeatTime", created.empty() ? json::value(nullptr) : json::value(created)},
          {"lastTransitionTime", now},
          {"reason", "NodeStatusNeverUpdated"},
          {"message", "Kubelet never posted node status."}};
      conds.emplace_back(std::move(c));
      changed = true;
    } else if (api::GetString(*cur, "status") != "Unknown") {
      (*cur)["status"] = "Unknown";
      (*cur)["reason"] = "NodeStatusUnknown";
      (*cur)["message"] = "Kubelet stopped posting node status.";
      (*cur)["lastTransitionTime"] = now;
      changed = true;
    }
    if (changed && std::string(type) == "Ready") ready_changed = true;
  }
  return ready_changed;
}

}  // namespace

NodeLifecycleController::NodeLifecycleController(client::Client& client,
                                                 client::SharedInformerFactory& factory,
                                                 NodeLifecycleControllerOptions opts)
    : client_(client),
      opts_(std::move(opts)),
      clock_(opts_.clock ? *opts_.clock : *client::Clock::Real()),
      wall_(opts_.clock, opts_.start_time),
      queue_(QueueOptionsFrom(opts_)),
      loop_(kName, queue_, [this](const std::string& key) { return Sync(key); }) {
  nodes_ = factory.ForResource(kNodes);
  leases_ = factory.ForResource(kLeases, kNodeLeaseNamespace);
  pods_ = factory.ForResource(kPods);
  pods_->AddIndex(kPodNodeIndex, &PodNodeNameIndexFunc);

  client::EventHandler nh;
  nh.on_add = [this](const client::ObjectPtr& n) {
    queue_.Add(kNodePrefix + client::ObjectMetaString(*n, "name"));
  };
  nh.on_update = [this](const client::ObjectPtr&, const client::ObjectPtr& n) {
    queue_.Add(kNodePrefix + client::ObjectMetaString(*n, "name"));
  };
  nh.on_delete = nh.on_add;
  node_handler_ = nodes_->AddEventHandler(std::move(nh));

  client::EventHandler ph;
  ph.on_add = [this](const client::ObjectPtr& p) { OnPod(nullptr, p); };
  ph.on_update = [this](const client::ObjectPtr& a, const client::ObjectPtr& b) { OnPod(a, b); };
  ph.on_delete = [this](const client::ObjectPtr& p) {
    queue_.Add(kPodPrefix + client::ObjectKey(*p));
  };
  pod_handler_ = pods_->AddEventHandler(std::move(ph));
  registered_ = true;

  node_events_ = std::make_unique<client::EventRecorder>(client_, "node-controller",
                                                         opts_.event_host, opts_.clock);
  eviction_events_ = std::make_unique<client::EventRecorder>(client_, "taint-eviction-controller",
                                                             opts_.event_host, opts_.clock);
  pod_gc_ =
      std::make_unique<PodGarbageCollector>(client_, *pods_, *nodes_, clock_, wall_, opts_.pod_gc);
}

NodeLifecycleController::~NodeLifecycleController() { Stop(); }

void NodeLifecycleController::Start(int workers) {
  queue_.Add(kMonitorKey);
  queue_.Add(kPodGcKey);
  loop_.Start({nodes_, leases_, pods_}, workers);
}

void NodeLifecycleController::Stop() {
  if (registered_) {
    nodes_->RemoveEventHandler(node_handler_);
    pods_->RemoveEventHandler(pod_handler_);
    registered_ = false;
  }
  loop_.Stop();
  node_events_->Stop();
  eviction_events_->Stop();
}

void NodeLifecycleController::FlushEvents() {
  node_events_->Flush();
  eviction_events_->Flush();
}

void NodeLifecycleController::OnPod(const client::ObjectPtr& old_pod,
                                    const client::ObjectPtr& pod) {
  if (PodNodeName(*pod).empty()) return;
  if (old_pod && PodNodeName(*old_pod) == PodNodeName(*pod)) {
    const json::value* a = api::Lookup(*old_pod, "spec.tolerations");
    const json::value* b = api::Lookup(*pod, "spec.tolerations");
    bool same = (!a && !b) || (a && b && *a == *b);
    if (same) return;
  }
  queue_.Add(kPodPrefix + client::ObjectKey(*pod));
}

api::Status NodeLifecycleController::Sync(const std::string& key) {
  if (key == kMonitorKey) {
    api::Status st = MonitorNodeHealth();
    if (!st.ok()) spdlog::warn("nodelifecycle: monitoring node health: {}", st.ToString());
    queue_.AddAfter(kMonitorKey, opts_.node_monitor_period);
    return {};
  }
  if (key == kPodGcKey) {
    api::Status st = GcPods();
    if (!st.ok()) spdlog::warn("podgc: {}", st.ToString());
    queue_.AddAfter(kPodGcKey, opts_.pod_gc_period);
    return {};
  }
  if (StartsWith(key, kNodePrefix)) return SyncNode(key.substr(sizeof(kNodePrefix) - 1));
  if (StartsWith(key, kPodPrefix)) return SyncPod(key.substr(sizeof(kPodPrefix) - 1));
  return {};
}

api::Status NodeLifecycleController::MonitorNodeHealth() {
  std::vector<client::ObjectPtr> nodes = nodes_->List();
  std::vector<std::pair<std::string, std::string>> added, removed;
  {
    std::lock_guard<std::mutex> l(mu_);
    std::set<std::string> names;
    for (const client::ObjectPtr& n : nodes) {
      std::string name = client::ObjectMetaString(*n, "name");
      names.insert(name);
      if (known_nodes_.emplace(name, client::ObjectMetaString(*n, "uid")).second) {
        added.emplace_back(name, client::ObjectMetaString(*n, "uid"));
      }
    }
    for (auto it = known_nodes_.begin(); it != known_nodes_.end();) {
      if (names.count(it->first)) {
        ++it;
        continue;
      }
      removed.emplace_back(it->first, it->second);
      health_.erase(it->first);
      it = known_nodes_.erase(it);
    }
  }
  for (const auto& [name, uid] : added) {
    node_events_->Event(NodeRef(name, uid), client::kEventTypeNormal, "RegisteredNode",
                        "Node " + name + " event: Registered Node " + name + " in Controller");
  }
  for (const auto& [name, uid] : removed) {
    node_events_->Event(NodeRef(name, uid), client::kEventTypeNormal, "RemovingNode",
                        "Node " + name + " event: Removing Node " + name + " from Controller");
  }

  api::Status first;
  std::map<std::string, std::pair<int, int>> zones;  // zone → (ready, not ready)
  for (client::ObjectPtr node : nodes) {
    const std::string name = client::ObjectMetaString(*node, "name");
    api::Result<HealthResult> r = UpdateNodeHealth(*node);
    for (int tries = 1;
         !r.ok() && r.status().reason() == api::Reason::kConflict && tries < kHealthUpdateTries;
         ++tries) {
      api::Result<client::Object> fresh = client_.Get(kNodes, "", name);
      if (!fresh.ok()) {
        r = fresh.status();
        break;
      }
      r = UpdateNodeHealth(*fresh);
    }
    if (!r.ok()) {
      if (r.status().reason() != api::Reason::kNotFound && first.ok()) first = r.status();
      continue;
    }
    if (r->current != "True" && r->observed == "True") {
      node_events_->Event(NodeRef(name, client::ObjectMetaString(*node, "uid")),
                          client::kEventTypeNormal, "NodeNotReady",
                          "Node " + name + " status is now: NodeNotReady");
    }
    auto& z = zones[ZoneKey(*node)];
    (r->current == "True" ? z.first : z.second)++;
    queue_.Add(kNodePrefix + name);
  }

  // Zone states (upstream's ComputeZoneState) and the cluster-wide disruption mode.
  std::map<std::string, std::string> states;
  std::map<std::string, int> sizes;
  bool all_full = !zones.empty();
  for (const auto& [zone, counts] : zones) {
    const auto [ready, not_ready] = counts;
    std::string state = kStateNormal;
    if (ready == 0 && not_ready > 0) {
      state = kStateFull;
    } else if (not_ready > 2 && static_cast<double>(not_ready) / (ready + not_ready) >=
                                    opts_.unhealthy_zone_threshold) {
      state = kStatePartial;
    }
    if (state != kStateFull) all_full = false;
    states[zone] = state;
    sizes[zone] = ready + not_ready;
  }
  std::lock_guard<std::mutex> l(mu_);
  if (all_full && !all_fully_disrupted_) {
    spdlog::info(
        "nodelifecycle: no node is Ready; entering master disruption mode (no NoExecute "
        "taints, no evictions)");
  } else if (!all_full && all_fully_disrupted_) {
    spdlog::info("nodelifecycle: some nodes are Ready; exiting master disruption mode");
    // Every node gets a fresh grace period, as upstream does.
    const client::Clock::TimePoint now = clock_.Now();
    for (auto& [name, h] : health_) h.probe = now;
  }
  for (const auto& [zone, state] : states) {
    auto it = zone_states_.find(zone);
    if (it != zone_states_.end() && it->second != state) {
      spdlog::info("nodelifecycle: zone \"{}\" is now {}", zone, state);
    }
  }
  all_fully_disrupted_ = all_full;
  zone_states_ = std::move(states);
  zone_sizes_ = std::move(sizes);
  monitored_ = true;
  return first;
}

api::Result<NodeLifecycleController::HealthResult> NodeLifecycleController::UpdateNodeHealth(
    const client::Object& node) {
  const std::string name = client::ObjectMetaString(node, "name");
  const client::Clock::TimePoint now = clock_.Now();
  const JobWallClock::TimePoint wall_now = wall_.Now();
  const json::object* ready = FindNodeCondition(node, "Ready");
  HealthResult res;
  res.observed = ready ? api::GetString(*ready, "status") : "Unknown";
  res.current = res.observed;
  const std::string heartbeat = ready ? api::GetString(*ready, "lastHeartbeatTime") : "";
  std::optional<std::chrono::system_clock::time_point> renew;
  if (client::ObjectPtr lease = leases_->Get(kNodeLeaseNamespace, name)) {
    const json::value* rt = api::Lookup(*lease, "spec.renewTime");
    if (rt && rt->is_string()) renew = api::ParseTime(rt->get_string());
  }

  client::Clock::TimePoint probe;
  {
    std::lock_guard<std::mutex> l(mu_);
    auto it = health_.find(name);
    if (it == health_.end()) {
      NodeHealth h;
      h.probe = now;
      if (!ready) {
        // Never posted: the startup grace period counts from the node's creation.
        std::optional<api::Clock::time_point> created =
            api::ParseTime(client::ObjectMetaString(node, "creationTimestamp"));
        if (created && *created < wall_now) {
          h.probe = now - std::chrono::duration_cast<client::Clock::Duration>(wall_now - *created);
        }
      }
      h.had_ready = ready != nullptr;
      h.heartbeat = heartbeat;
      it = health_.emplace(name, std::move(h)).first;
    } else {
      NodeHealth& h = it->second;
      if (h.had_ready != (ready != nullptr) || (ready && heartbeat != h.heartbeat)) h.probe = now;
      h.had_ready = ready != nullptr;
      h.heartbeat = heartbeat;
    }
    NodeHealth& h = it->second;
    if (renew && (!h.lease_renew || *h.lease_renew < *renew)) {
      h.lease_renew = renew;
      h.probe = now;
    }
    probe = h.probe;
  }

  const auto grace = ready ? opts_.node_monitor_grace_period : opts_.node_startup_grace_period;
  if (now <= probe + grace) return res;

  client::Object copy = node;
  res.current = "Unknown";
  if (!MarkConditionsUnknown(copy, api::FormatTime(wall_now))) return res;
  client::WriteOptions w;
  w.subresource = "status";
  api::Result<client::Object> r = client_.Update(kNodes, "", copy, w);
  if (!r.ok()) return r.status();
  spdlog::info(
      "nodelifecycle: node {} stopped posting status (last heard {} s ago); Ready is Unknown", name,
      std::chrono::duration_cast<std::chrono::seconds>(now - probe).count());
  return res;
}

NoExecuteMode NodeLifecycleController::ModeFor(const client::Object& node) {
  std::lock_guard<std::mutex> l(mu_);
  if (!monitored_) return NoExecuteMode::kHold;  // zone states unknown yet: add nothing
  if (all_fully_disrupted_) return NoExecuteMode::kRemove;
  const std::string zone = ZoneKey(node);
  auto it = zone_states_.find(zone);
  if (it != zone_states_.end() && it->second == kStatePartial &&
      zone_sizes_[zone] <= opts_.large_cluster_size_threshold) {
    return NoExecuteMode::kHold;  // upstream's ReducedQPSFunc: small zones stop evicting
  }
  return NoExecuteMode::kNormal;
}

api::Status NodeLifecycleController::SyncNode(const std::string& name) {
  std::vector<client::ObjectPtr> pods = pods_->ByIndex(kPodNodeIndex, name);
  client::ObjectPtr node = nodes_->Get(name);
  if (!node) {
    // Evictions scheduled for its pods are cancelled; the pod GC deletes the pods later.
    for (const client::ObjectPtr& p : pods) queue_.Add(kPodPrefix + client::ObjectKey(*p));
    return {};
  }
  bool has_no_execute = !NoExecuteTaints(*node).empty();
  if (std::optional<json::array> taints =
          ReconcileNodeTaints(*node, ModeFor(*node), api::FormatTime(wall_.Now()))) {
    client::Object copy = *node;
    json::object& spec = api::EnsureObject(copy, "spec");
    if (taints->empty()) {
      spec.erase("taints");
    } else {
      spec["taints"] = *taints;
    }
    api::Result<client::Object> r = client_.Update(kNodes, "", copy);
    if (!r.ok()) {
      if (r.status().reason() == api::Reason::kNotFound) return {};
      return r.status();
    }
    has_no_execute = !NoExecuteTaints(*r).empty();
    spdlog::debug("nodelifecycle: node {} taints now {}", name, boost::json::serialize(*taints));
  }

  api::Status first;
  if (NodeConditionStatus(*node, "Ready") == "Unknown") {
    for (const client::ObjectPtr& p : pods) {
      api::Status st = MarkPodNotReady(*p);
      if (!st.ok() && first.ok()) first = st;
    }
  }
  for (const client::ObjectPtr& p : pods) {
    std::string key = client::ObjectKey(*p);
    bool scheduled;
    {
      std::lock_guard<std::mutex> l(mu_);
      scheduled = evictions_.count(key) > 0;
    }
    if (has_no_execute || scheduled) queue_.Add(kPodPrefix + key);
  }
  return first;
}

api::Status NodeLifecycleController::MarkPodNotReady(const client::Object& pod) {
  const json::value* cs = api::Lookup(pod, "status.conditions");
  if (!cs || !cs->is_array()) return {};
  const json::object* ready = nullptr;
  for (const json::value& c : cs->get_array()) {
    if (c.is_object() && api::GetString(c.get_object(), "type") == "Ready") ready = &c.get_object();
  }
  if (!ready) return {};
  json::object cond = *ready;
  cond["status"] = "False";
  client::Object copy = pod;
  json::object& status = api::EnsureObject(copy, "status");
  if (!UpdatePodCondition(status, std::move(cond), api::FormatTime(wall_.Now()))) return {};
  client::WriteOptions w;
  w.subresource = "status";
  const std::string ns = client::ObjectMetaString(pod, "namespace");
  const std::string name = client::ObjectMetaString(pod, "name");
  api::Result<client::Object> r = client_.Update(kPods, ns, copy, w);
  if (!r.ok()) {
    if (r.status().reason() == api::Reason::kNotFound) return {};
    return r.status();
  }
  spdlog::info("nodelifecycle: marked pod {}/{} not ready (node {} unreachable)", ns, name,
               PodNodeName(pod));
  node_events_->Event(client::ObjectReference::Of(*r, "Pod", "v1"), client::kEventTypeWarning,
                      "NodeNotReady", "Node is not ready");
  return {};
}

api::Status NodeLifecycleController::SyncPod(const std::string& key) {
  client::ObjectPtr pod = pods_->Get(key);
  if (!pod || PodNodeName(*pod).empty()) {
    CancelEviction(key);
    return {};
  }
  if (IsDeleting(*pod)) {
    std::lock_guard<std::mutex> l(mu_);
    evictions_.erase(key);  // on its way out already
    return {};
  }
  client::ObjectPtr node = nodes_->Get(PodNodeName(*pod));
  if (!node) {
    CancelEviction(key);
    return {};
  }
  api::Status first;
  if (NodeConditionStatus(*node, "Ready") == "Unknown") first = MarkPodNotReady(*pod);

  EvictionPlan plan = PlanEviction(NoExecuteTaints(*node),
                                   EffectiveTolerations(*pod, opts_.default_toleration_seconds));
  if (plan.kind != EvictionPlan::kAfter) {
    CancelEviction(key);
    return first;
  }
  const std::string uid = client::ObjectMetaString(*pod, "uid");
  const client::Clock::TimePoint now = clock_.Now();
  client::Clock::TimePoint deadline;
  {
    std::lock_guard<std::mutex> l(mu_);
    ScheduledEviction& s = evictions_[key];
    if (s.uid != uid || s.start == client::Clock::TimePoint{}) s = ScheduledEviction{now, uid};
    deadline = s.start + std::chrono::seconds(plan.after_seconds);
  }
  if (now < deadline) {
    queue_.AddAfter(kPodPrefix + key, deadline - now);
    return first;
  }
  std::string ns, name;
  client::SplitObjectKey(key, &ns, &name);
  eviction_events_->Event(PodRef(ns, name), client::kEventTypeNormal, "TaintManagerEviction",
                          "Marking for deletion Pod " + key);
  api::Status st = EvictPod(ns, name, uid);
  if (!st.ok()) return st;  // the timer stays: the retry deletes at once
  {
    std::lock_guard<std::mutex> l(mu_);
    evictions_.erase(key);
  }
  spdlog::info("nodelifecycle: evicted pod {} from node {} (NoExecute taint)", key,
               PodNodeName(*pod));
  return first;
}

api::Status NodeLifecycleController::EvictPod(const std::string& ns, const std::string& name,
                                              const std::string& uid) {
  for (int tries = 0; tries < kHealthUpdateTries; ++tries) {
    api::Result<client::Object> got = client_.Get(kPods, ns, name);
    if (!got.ok()) {
      return got.status().reason() == api::Reason::kNotFound ? api::Status() : got.status();
    }
    if (client::ObjectMetaString(*got, "uid") != uid) return {};  // another pod of that name
    json::object& status = api::EnsureObject(*got, "status");
    json::object cond{{"type", "DisruptionTarget"},
                      {"status", "True"},
                      {"reason", "DeletionByTaintManager"},
                      {"message", "Taint manager: deleting due to NoExecute taint"}};
    if (UpdatePodCondition(status, std::move(cond), api::FormatTime(wall_.Now()))) {
      client::WriteOptions w;
      w.subresource = "status";
      api::Result<client::Object> u = client_.Update(kPods, ns, *got, w);
      if (!u.ok()) {
        if (u.status().reason() == api::Reason::kConflict) continue;
        if (u.status().reason() == api::Reason::kNotFound) return {};
        return u.status();
      }
    }
    client::DeleteOptions d;
    d.precondition_uid = uid;
    api::Result<client::Object> del = client_.Delete(kPods, ns, name, d);
    if (!del.ok() && del.status().reason() != api::Reason::kNotFound) return del.status();
    return {};
  }
  return api::Status::Conflict("pod " + ns + "/" + name + " kept changing");
}

void NodeLifecycleController::CancelEviction(const std::string& key) {
  {
    std::lock_guard<std::mutex> l(mu_);
    if (evictions_.erase(key) == 0) return;
  }
  std::string ns, name;
  client::SplitObjectKey(key, &ns, &name);
  eviction_events_->Event(PodRef(ns, name), client::kEventTypeNormal, "TaintManagerEviction",
                          "Cancelling deletion of Pod " + key);
}

}  // namespace kc::controllers
