#include "pkg/controllers/daemonset_controller.h"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <boost/json/array.hpp>
#include <optional>
#include <set>

#include "pkg/api/json_path.h"
#include "pkg/client/indexer.h"
#include "pkg/controllers/controller_revision.h"
#include "pkg/controllers/daemonset_node_eligibility.h"
#include "pkg/controllers/daemonset_sync_state.h"
#include "pkg/controllers/object_meta.h"

namespace kc::controllers {

using namespace daemonset_internal;  // NOLINT(build/namespaces): this controller's own helpers

DaemonSetController::DaemonSetController(client::Client& client,
                                         client::SharedInformerFactory& factory,
                                         DaemonSetControllerOptions opts)
    : client_(client),
      opts_(opts),
      clock_(opts.clock ? opts.clock : client::Clock::Real()),
      queue_([&] {
        client::WorkQueueOptions q;
        q.base_delay = opts.base_delay;
        q.max_delay = opts.max_delay;
        q.clock = opts.clock;
        return q;
      }()),
      loop_(kName, queue_, [this](const std::string& key) { return Sync(key); }) {
  ds_informer_ = factory.ForResource(kDaemonSets);
  pod_informer_ = factory.ForResource(kPods);
  node_informer_ = factory.ForResource(kNodes);
  revision_informer_ = factory.ForResource(kControllerRevisionsResource);
  client::EventHandler dh;
  dh.on_add = [this](const client::ObjectPtr& o) { queue_.Add(client::ObjectKey(*o)); };
  dh.on_update = [this](const client::ObjectPtr&, const client::ObjectPtr& o) {
    queue_.Add(client::ObjectKey(*o));
  };
  dh.on_delete = [this](const client::ObjectPtr& o) {
    std::string key = client::ObjectKey(*o);
    creations_.Delete(key);
    deletions_.Delete(key);
    queue_.Add(key);
  };
  ds_handler_ = ds_informer_->AddEventHandler(std::move(dh));
  client::EventHandler ph;
  ph.on_add = [this](const client::ObjectPtr& o) { OnPodAdd(o); };
  ph.on_update = [this](const client::ObjectPtr& a, const client::ObjectPtr& b) {
    OnPodUpdate(a, b);
  };
  ph.on_delete = [this](const client::ObjectPtr& o) { OnPodDelete(o); };
  pod_handler_ = pod_informer_->AddEventHandler(std::move(ph));
  client::EventHandler nh;
  nh.on_add = [this](const client::ObjectPtr& o) { OnNode(nullptr, o); };
  nh.on_update = [this](const client::ObjectPtr& a, const client::ObjectPtr& b) { OnNode(a, b); };
  nh.on_delete = [this](const client::ObjectPtr& o) { OnNode(o, nullptr); };
  node_handler_ = node_informer_->AddEventHandler(std::move(nh));
  client::EventHandler rh;
  rh.on_add = [this](const client::ObjectPtr& o) { OnRevision(o); };
  rh.on_update = [this](const client::ObjectPtr& a, const client::ObjectPtr& b) {
    if (client::ObjectMetaString(*a, "resourceVersion") ==
        client::ObjectMetaString(*b, "resourceVersion")) {
      return;
    }
    std::optional<OwnerRef> ra = ControllerOf(*a);
    std::optional<OwnerRef> rb = ControllerOf(*b);
    if (ra && (!rb || !(*ra == *rb))) OnRevision(a);
    OnRevision(b);
  };
  rh.on_delete = [this](const client::ObjectPtr& o) { OnRevision(o); };
  revision_handler_ = revision_informer_->AddEventHandler(std::move(rh));
  registered_ = true;
}

DaemonSetController::~DaemonSetController() { Stop(); }

void DaemonSetController::Start(int workers) {
  loop_.Start({ds_informer_, pod_informer_, node_informer_, revision_informer_}, workers);
}

void DaemonSetController::Stop() {
  if (registered_) {
    ds_informer_->RemoveEventHandler(ds_handler_);
    pod_informer_->RemoveEventHandler(pod_handler_);
    node_informer_->RemoveEventHandler(node_handler_);
    revision_informer_->RemoveEventHandler(revision_handler_);
    registered_ = false;
  }
  loop_.Stop();
}

bool DaemonSetController::ExpectationsSatisfied(const std::string& key) const {
  return creations_.Satisfied(key) && deletions_.Satisfied(key);
}

std::string DaemonSetController::OwnerKey(const client::Object& obj) const {
  std::optional<OwnerRef> ref = ControllerOf(obj);
  if (!ref || ref->kind != "DaemonSet" || ref->api_version.rfind("apps/", 0) != 0) return "";
  std::string key = client::ObjectMetaString(obj, "namespace") + "/" + ref->name;
  client::ObjectPtr ds = ds_informer_->Get(key);
  if (!ds || Uid(*ds) != ref->uid) return "";
  return key;
}

void DaemonSetController::EnqueueMatching(const client::Object& obj) {
  const boost::json::object* labels = LabelsOf(obj);
  for (const client::ObjectPtr& ds :
       ds_informer_->ByIndex(client::kNamespaceIndex, client::ObjectMetaString(obj, "namespace"))) {
    const boost::json::value* sel = api::Lookup(*ds, "spec.selector");
    if (!sel || !sel->is_object()) continue;
    api::Result<api::LabelSelector> s = api::LabelSelector::FromJson(sel->get_object());
    if (s.ok() && !s->Empty() && s->Matches(labels)) queue_.Add(client::ObjectKey(*ds));
  }
}

void DaemonSetController::OnPodAdd(const client::ObjectPtr& pod) {
  if (IsDeleting(*pod)) {
    OnPodDelete(pod);
    return;
  }
  if (ControllerOf(*pod)) {
    std::string key = OwnerKey(*pod);
    if (key.empty()) return;
    creations_.CreationObserved(key);
    queue_.Add(key);
    return;
  }
  EnqueueMatching(*pod);
}

void DaemonSetController::OnPodUpdate(const client::ObjectPtr& old_pod,
                                      const client::ObjectPtr& pod) {
  if (client::ObjectMetaString(*old_pod, "resourceVersion") ==
      client::ObjectMetaString(*pod, "resourceVersion")) {
    return;
  }
  if (IsDeleting(*pod)) {
    // A graceful deletion started: act now rather than when the kubelet removes the pod.
    OnPodDelete(pod);
    return;
  }
  std::optional<OwnerRef> old_ref = ControllerOf(*old_pod);
  std::optional<OwnerRef> ref = ControllerOf(*pod);
  if (old_ref && (!ref || !(*old_ref == *ref))) {
    std::string k = OwnerKey(*old_pod);
    if (!k.empty()) queue_.Add(k);
  }
  if (ref) {
    std::string key = OwnerKey(*pod);
    if (key.empty()) return;
    queue_.Add(key);
    if (client::ObjectPtr ds = ds_informer_->Get(key)) {
      const boost::json::value* mr = api::Lookup(*ds, "spec.minReadySeconds");
      int64_t min_ready = mr && mr->is_int64() ? mr->get_int64() : 0;
      if (min_ready > 0 && !IsPodReady(*old_pod) && IsPodReady(*pod)) {
        queue_.AddAfter(key, std::chrono::seconds(min_ready) + std::chrono::seconds(1));
      }
    }
    return;
  }
  EnqueueMatching(*pod);
}

void DaemonSetController::OnPodDelete(const client::ObjectPtr& pod) {
  std::string key = OwnerKey(*pod);
  if (key.empty()) return;
  deletions_.DeletionObserved(key, client::ObjectKey(*pod));
  queue_.Add(key);
}

void DaemonSetController::OnNode(const client::ObjectPtr& old_node, const client::ObjectPtr& node) {
  if (old_node && node &&
      client::ObjectMetaString(*old_node, "resourceVersion") ==
          client::ObjectMetaString(*node, "resourceVersion")) {
    return;
  }
  for (const client::ObjectPtr& ds : ds_informer_->List()) {
    if (!old_node || !node) {
      // A new node matters where it is eligible; a removed node wherever pods may be on it.
      if (!node || NodeShouldRunDaemonPod(*node, *ds).should_run) {
        queue_.Add(client::ObjectKey(*ds));
      }
      continue;
    }
    // Heartbeats and status changes do not change eligibility; only changes that do count.
    if (!(NodeShouldRunDaemonPod(*old_node, *ds) == NodeShouldRunDaemonPod(*node, *ds))) {
      queue_.Add(client::ObjectKey(*ds));
    }
  }
}

void DaemonSetController::OnRevision(const client::ObjectPtr& rev) {
  if (ControllerOf(*rev)) {
    std::string key = OwnerKey(*rev);
    if (!key.empty()) queue_.Add(key);
    return;
  }
  EnqueueMatching(*rev);
}

api::Status DaemonSetController::Sync(const std::string& key) {
  client::ObjectPtr cached = ds_informer_->Get(key);
  if (!cached) {
    creations_.Delete(key);
    deletions_.Delete(key);
    return api::Status::Ok();
  }
  State s;
  s.key = key;
  s.ds = *cached;
  s.ns = client::ObjectMetaString(s.ds, "namespace");
  s.now = std::chrono::system_clock::now();
  const boost::json::value* sel = api::Lookup(s.ds, "spec.selector");
  if (!sel || !sel->is_object()) {
    s.selector = api::LabelSelector::Nothing();
  } else {
    api::Result<api::LabelSelector> parsed = api::LabelSelector::FromJson(sel->get_object());
    if (!parsed.ok()) {
      spdlog::warn("daemonset controller: {}: invalid selector: {}", key,
                   parsed.status().message());
      return api::Status::Ok();
    }
    if (parsed->Empty()) {
      spdlog::warn(
          "daemonset controller: {}: this daemon set is selecting all pods. A non-empty "
          "selector is required.",
          key);
      return api::Status::Ok();
    }
    s.selector = *parsed;
  }
  // While the set is being deleted its revisions may be gone already; do nothing.
  if (IsDeleting(s.ds)) return api::Status::Ok();
  const boost::json::value* mr = api::Lookup(s.ds, "spec.minReadySeconds");
  s.min_ready = mr && mr->is_int64() ? mr->get_int64() : 0;
  s.generation = TemplateGeneration(s.ds);
  s.nodes = node_informer_->List();
  std::sort(
      s.nodes.begin(), s.nodes.end(),
      [](const client::ObjectPtr& a, const client::ObjectPtr& b) { return Name(*a) < Name(*b); });
  for (const client::ObjectPtr& n : s.nodes) s.node_by_name[Name(*n)] = n;

  if (api::Status st = ClaimPods(s); !st.ok()) return st;
  if (api::Status st = ConstructHistory(s); !st.ok()) return st;
  if (!ExpectationsSatisfied(key)) {
    // Only status; observedGeneration stays, this generation was not acted on.
    return UpdateStatus(s, false);
  }
  api::Status err = Manage(s);
  if (err.ok() && ExpectationsSatisfied(key) && IsRolling(s.ds)) err = RollingUpdate(s);
  if (err.ok()) err = CleanupHistory(s);
  api::Status status_err = UpdateStatus(s, true);
  return err.ok() ? status_err : err;
}

bool DaemonSetController::CanAdopt(State& s) {
  if (!s.adopt_checked) {
    s.adopt_checked = true;
    api::Result<client::Object> fresh = client_.Get(kDaemonSets, s.ns, Name(s.ds));
    s.can_adopt = fresh.ok() && Uid(*fresh) == Uid(s.ds) && !IsDeleting(*fresh);
  }
  return s.can_adopt;
}

api::Status DaemonSetController::ClaimPods(State& s) {
  api::Status err;
  for (const client::ObjectPtr& pod : pod_informer_->ByIndex(client::kNamespaceIndex, s.ns)) {
    ClaimAction a = ClaimObject(*pod, s.ds, s.selector.Matches(LabelsOf(*pod)));
    if (a == ClaimAction::kOwned) {
      s.pods.push_back(pod);
    } else if (a == ClaimAction::kAdopt) {
      if (!CanAdopt(s)) continue;
      api::Result<client::Object> r =
          client_.Patch(kPods, s.ns, Name(*pod), client::PatchType::kMerge, AdoptPatch(*pod, s.ds));
      if (r.ok()) {
        s.pods.push_back(std::make_shared<const client::Object>(std::move(*r)));
      } else if (!IsNotFound(r.status())) {
        err = r.status();
      }
    } else if (a == ClaimAction::kRelease) {
      api::Result<client::Object> r = client_.Patch(
          kPods, s.ns, Name(*pod), client::PatchType::kMerge, ReleasePatch(*pod, Uid(s.ds)));
      if (!r.ok() && !IsNotFound(r.status())) err = r.status();
    }
  }
  return err;
}

DaemonSetController::NodePods DaemonSetController::NodesToPods(
    const State& s, bool include_deleted_terminal) const {
  NodePods out;
  for (const client::ObjectPtr& pod : s.pods) {
    std::string phase = Phase(*pod);
    bool terminal = phase == "Succeeded" || phase == "Failed";
    // A terminal pod being deleted is the kubelet's or pod GC's business now.
    if (!include_deleted_terminal && terminal && IsDeleting(*pod)) continue;
    std::string node = DaemonPodTargetNode(*pod);
    if (node.empty()) continue;
    out[node].push_back(pod);
  }
  return out;
}

bool DaemonSetController::FailedPodBackoff(const std::string& key,
                                           std::chrono::milliseconds* wait) {
  client::Clock::TimePoint now = clock_->Now();
  std::lock_guard<std::mutex> l(backoff_mu_);
  auto it = failed_backoff_.find(key);
  if (it != failed_backoff_.end() && now - it->second.last < it->second.delay) {
    *wait = it->second.delay;
    return true;
  }
  if (it == failed_backoff_.end() || now - it->second.last > 2 * opts_.max_failed_pod_backoff) {
    failed_backoff_[key] = BackoffEntry{opts_.failed_pod_backoff, now};
  } else {
    it->second.delay = std::min(it->second.delay * 2, opts_.max_failed_pod_backoff);
    it->second.last = now;
  }
  return false;
}

void DaemonSetController::PodsShouldBeOnNode(State& s, const client::Object& node,
                                             const NodePods& node_pods,
                                             std::vector<std::string>* nodes_needing_pods,
                                             std::vector<std::string>* pods_to_delete) {
  DaemonNodeFit fit = NodeShouldRunDaemonPod(node, s.ds);
  std::string node_name = Name(node);
  auto it = node_pods.find(node_name);
  bool exists = it != node_pods.end();
  if (fit.should_run && !exists) {
    nodes_needing_pods->push_back(node_name);
    return;
  }
  if (fit.should_continue_running) {
    std::vector<client::ObjectPtr> running;
    if (exists) {
      for (const client::ObjectPtr& pod : it->second) {
        if (IsDeleting(*pod)) continue;
        std::string phase = Phase(*pod);
        if (phase == "Failed") {
          // The kubelet may keep rejecting the pod: back off per node before replacing it.
          std::chrono::milliseconds wait{0};
          if (FailedPodBackoff(Uid(s.ds) + "/" + node_name, &wait)) {
            queue_.AddAfter(s.key, wait);
            continue;
          }
          spdlog::info(
              "daemonset controller: {}: found failed daemon pod {} on node {}, will "
              "try to kill it",
              s.key, Name(*pod), node_name);
          pods_to_delete->push_back(Name(*pod));
        } else if (phase == "Succeeded") {
          pods_to_delete->push_back(Name(*pod));
        } else {
          running.push_back(pod);
        }
      }
    }
    api::Result<int64_t> surge =
        IsRolling(s.ds)
            ? ScaledValue(api::Lookup(s.ds, "spec.updateStrategy.rollingUpdate.maxSurge"), 1, true,
                          0)
            : api::Result<int64_t>(int64_t{0});
    bool allows_surge = surge.ok() && *surge != 0;
    if (!allows_surge) {
      // Keep the oldest running pod, delete the rest.
      if (running.size() <= 1) return;
      SortByCreation(running);
      for (size_t i = 1; i < running.size(); ++i) pods_to_delete->push_back(Name(*running[i]));
      return;
    }
    if (running.size() <= 1) {
      if (running.empty() && fit.should_run) nodes_needing_pods->push_back(node_name);
      return;
    }
    // Surging: keep the oldest new pod and the oldest old pod; the old one goes once it is not
    // ready or the new one is available.
    SortByCreation(running);
    client::ObjectPtr oldest_new, oldest_old;
    for (const client::ObjectPtr& pod : running) {
      if (Label(*pod, kControllerRevisionHashLabel) == s.hash) {
        if (!oldest_new) {
          oldest_new = pod;
          continue;
        }
      } else if (!oldest_old) {
        oldest_old = pod;
        continue;
      }
      pods_to_delete->push_back(Name(*pod));
    }
    if (oldest_new && oldest_old &&
        (!IsPodReady(*oldest_old) || IsPodAvailable(*oldest_new, s.min_ready, s.now))) {
      pods_to_delete->push_back(Name(*oldest_old));
    }
    return;
  }
  if (exists) {
    for (const client::ObjectPtr& pod : it->second) {
      if (!IsDeleting(*pod)) pods_to_delete->push_back(Name(*pod));
    }
  }
}

api::Status DaemonSetController::Manage(State& s) {
  NodePods node_pods = NodesToPods(s, false);
  std::vector<std::string> needing, to_delete;
  for (const client::ObjectPtr& node : s.nodes) {
    PodsShouldBeOnNode(s, *node, node_pods, &needing, &to_delete);
  }
  // Pods for nodes that do not exist: unscheduled ones (upstream) and, since kcluster runs no
  // pod GC controller, bound ones once the node is confirmed gone.
  for (const auto& [node_name, pods] : node_pods) {
    if (s.node_by_name.count(node_name)) continue;
    std::optional<bool> gone;
    for (const client::ObjectPtr& pod : pods) {
      if (IsDeleting(*pod)) continue;
      if (!StringAt(*pod, "spec.nodeName").empty()) {
        if (!gone) {
          api::Result<client::Object> n = client_.Get(kNodes, "", node_name);
          gone = !n.ok() && IsNotFound(n.status());
        }
        if (!*gone) continue;
      }
      to_delete.push_back(Name(*pod));
    }
  }
  return SyncNodes(s, to_delete, needing);
}

api::Status DaemonSetController::SyncNodes(State& s, const std::vector<std::string>& pods_to_delete,
                                           const std::vector<std::string>& nodes_needing_pods) {
  size_t create_n = std::min(nodes_needing_pods.size(), static_cast<size_t>(opts_.burst_replicas));
  size_t delete_n = std::min(pods_to_delete.size(), static_cast<size_t>(opts_.burst_replicas));
  std::set<std::string> delete_keys;
  for (size_t i = 0; i < delete_n; ++i) delete_keys.insert(s.ns + "/" + pods_to_delete[i]);
  creations_.ExpectCreations(s.key, static_cast<int>(create_n));
  deletions_.ExpectDeletions(s.key, delete_keys);

  api::Status first_err;
  if (create_n > 0) {
    // The pod every node gets: the template plus the daemon tolerations and revision labels.
    const boost::json::value* tv = api::Lookup(s.ds, "spec.template");
    boost::json::object tmpl = tv && tv->is_object() ? tv->get_object() : boost::json::object();
    boost::json::object meta;
    meta["generateName"] = Name(s.ds) + "-";
    meta["namespace"] = s.ns;
    boost::json::object labels;
    if (const boost::json::value* l = api::Lookup(tmpl, "metadata.labels"); l && l->is_object()) {
      labels = l->get_object();
    }
    if (s.generation) labels[kPodTemplateGenerationLabel] = std::to_string(*s.generation);
    if (!s.hash.empty()) labels[kControllerRevisionHashLabel] = s.hash;
    meta["labels"] = std::move(labels);
    if (const boost::json::value* a = api::Lookup(tmpl, "metadata.annotations");
        a && a->is_object() && !a->get_object().empty()) {
      meta["annotations"] = *a;
    }
    if (const boost::json::value* f = api::Lookup(tmpl, "metadata.finalizers");
        f && f->is_array() && !f->get_array().empty()) {
      meta["finalizers"] = *f;
    }
    meta["ownerReferences"] = boost::json::array{ControllerRefFor(s.ds)};
    const boost::json::value* sv = tmpl.if_contains("spec");
    boost::json::object spec = sv && sv->is_object() ? sv->get_object() : boost::json::object();
    AddDaemonPodTolerations(spec);
    // Slow start: batches of 1, 2, 4, ... stop at the first batch with a failure.
    size_t done = 0;
    for (size_t batch = 1; done < create_n; batch *= 2) {
      size_t size = std::min(batch, create_n - done);
      size_t failed = 0;
      for (size_t i = done; i < done + size; ++i) {
        client::Object pod;
        pod["apiVersion"] = "v1";
        pod["kind"] = "Pod";
        pod["metadata"] = meta;
        boost::json::object pod_spec = spec;
        SetDaemonPodNodeAffinity(pod_spec, nodes_needing_pods[i]);
        pod["spec"] = std::move(pod_spec);
        api::Result<client::Object> r = client_.Create(kPods, s.ns, pod);
        if (r.ok()) continue;
        creations_.CreationObserved(s.key);
        failed++;
        if (first_err.ok()) first_err = r.status();
      }
      done += size;
      if (failed > 0) break;
    }
    for (size_t i = done; i < create_n; ++i) creations_.CreationObserved(s.key);
    if (!first_err.ok()) {
      spdlog::warn("daemonset controller: {}: creating pods: {}", s.key, first_err.message());
    }
  }
  for (size_t i = 0; i < delete_n; ++i) {
    api::Result<client::Object> r = client_.Delete(kPods, s.ns, pods_to_delete[i]);
    if (r.ok()) continue;
    deletions_.DeletionObserved(s.key, s.ns + "/" + pods_to_delete[i]);
    if (!IsNotFound(r.status()) && first_err.ok()) first_err = r.status();
  }
  return first_err;
}

api::Status DaemonSetController::UpdateStatus(State& s, bool update_observed_generation) {
  NodePods node_pods = NodesToPods(s, false);
  int64_t desired = 0, current = 0, misscheduled = 0, ready = 0, updated = 0, available = 0;
  for (const client::ObjectPtr& node : s.nodes) {
    DaemonNodeFit fit = NodeShouldRunDaemonPod(*node, s.ds);
    auto it = node_pods.find(Name(*node));
    bool scheduled = it != node_pods.end() && !it->second.empty();
    if (!fit.should_run) {
      if (scheduled) misscheduled++;
      continue;
    }
    desired++;
    if (!scheduled) continue;
    current++;
    std::vector<client::ObjectPtr> pods = it->second;
    SortByCreation(pods);
    const client::Object& pod = *pods.front();
    if (IsPodReady(pod)) {
      ready++;
      if (IsPodAvailable(pod, s.min_ready, s.now)) available++;
    }
    if (IsPodUpdated(pod, s.hash, s.generation)) updated++;
  }
  boost::json::object status;
  if (const boost::json::object* cur = api::GetObject(s.ds, "status")) status = *cur;
  status["desiredNumberScheduled"] = desired;
  status["currentNumberScheduled"] = current;
  status["numberMisscheduled"] = misscheduled;
  status["numberReady"] = ready;
  status["updatedNumberScheduled"] = updated;
  status["numberAvailable"] = available;
  status["numberUnavailable"] = desired - available;
  if (update_observed_generation) {
    status["observedGeneration"] = api::GetInt64(*api::GetObject(s.ds, "metadata"), "generation");
  }
  if (s.min_ready > 0 && ready != available) {
    queue_.AddAfter(s.key, std::chrono::seconds(s.min_ready));
  }
  const boost::json::object* cur = api::GetObject(s.ds, "status");
  if (cur && CanonicalJson(*cur) == CanonicalJson(status)) return api::Status::Ok();
  client::Object next = s.ds;
  next["status"] = status;
  client::WriteOptions w;
  w.subresource = "status";
  api::Result<client::Object> r = client_.Update(kDaemonSets, s.ns, next, w);
  if (r.ok() || IsNotFound(r.status())) return api::Status::Ok();
  if (r.status().reason() != api::Reason::kConflict) return r.status();
  // One retry on a fresh copy (its collisionCount and conditions win).
  api::Result<client::Object> fresh = client_.Get(kDaemonSets, s.ns, Name(s.ds));
  if (!fresh.ok()) return IsNotFound(fresh.status()) ? api::Status::Ok() : fresh.status();
  boost::json::object& fs = api::EnsureObject(*fresh, "status");
  for (const char* f :
       {"desiredNumberScheduled", "currentNumberScheduled", "numberMisscheduled", "numberReady",
        "updatedNumberScheduled", "numberAvailable", "numberUnavailable", "observedGeneration"}) {
    if (const boost::json::value* v = status.if_contains(f)) fs[f] = *v;
  }
  r = client_.Update(kDaemonSets, s.ns, *fresh, w);
  return r.ok() || IsNotFound(r.status()) ? api::Status::Ok() : r.status();
}

}  // namespace kc::controllers
