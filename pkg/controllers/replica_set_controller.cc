#include "pkg/controllers/replica_set_controller.h"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <boost/json/serialize.hpp>
#include <map>
#include <tuple>

#include "pkg/api/json_path.h"
#include "pkg/api/time_util.h"
#include "pkg/client/indexer.h"

namespace kc::controllers {
namespace {

const client::ResourceRef kPods{"", "v1", "pods"};

std::string PodPhase(const client::Object& pod) {
  const boost::json::value* p = api::Lookup(pod, "status.phase");
  return p && p->is_string() ? std::string(p->get_string()) : "";
}

std::string NodeName(const client::Object& pod) {
  const boost::json::value* n = api::Lookup(pod, "spec.nodeName");
  return n && n->is_string() ? std::string(n->get_string()) : "";
}

int PhaseRank(const std::string& phase) {
  if (phase == "Pending") return 0;
  if (phase == "Unknown") return 1;
  if (phase == "Running") return 2;
  return 0;  // no phase yet: as pending
}

int64_t RestartCount(const client::Object& pod) {
  int64_t max = 0;
  if (const boost::json::value* s = api::Lookup(pod, "status.containerStatuses");
      s && s->is_array()) {
    for (const boost::json::value& c : s->get_array()) {
      if (c.is_object()) max = std::max(max, api::GetInt64(c.get_object(), "restartCount"));
    }
  }
  return max;
}

int64_t DeletionCost(const client::Object& pod) {
  const boost::json::value* a = api::Lookup(pod, "metadata.annotations");
  if (!a || !a->is_object()) return 0;
  std::string v = api::GetString(a->get_object(), "controller.kubernetes.io/pod-deletion-cost");
  if (v.empty()) return 0;
  try {
    return std::stoll(v);
  } catch (...) {
    return 0;
  }
}

int64_t TimeOf(const std::string& s) {
  std::optional<api::Clock::time_point> t = api::ParseTime(s);
  return t ? std::chrono::duration_cast<std::chrono::seconds>(t->time_since_epoch()).count() : 0;
}

// Orders pods so the ones to delete first come first (upstream's ActivePodsWithRanks).
std::vector<client::ObjectPtr> RankForDeletion(std::vector<client::ObjectPtr> pods) {
  std::map<std::string, int> per_node;
  for (const client::ObjectPtr& p : pods) {
    std::string n = NodeName(*p);
    if (!n.empty()) per_node[n]++;
  }
  auto key = [&](const client::ObjectPtr& p) {
    const client::Object& pod = *p;
    std::string node = NodeName(pod);
    bool assigned = !node.empty();
    bool ready = IsPodReady(pod);
    std::optional<std::chrono::system_clock::time_point> since = PodReadySince(pod);
    int64_t ready_at =
        since ? std::chrono::duration_cast<std::chrono::seconds>(since->time_since_epoch()).count()
              : 0;
    // Smaller tuples are deleted first.
    return std::make_tuple(assigned, PhaseRank(PodPhase(pod)), ready, DeletionCost(pod),
                           assigned ? -per_node[node] : 0, ready ? -ready_at : 0,
                           -RestartCount(pod),
                           -TimeOf(client::ObjectMetaString(pod, "creationTimestamp")));
  };
  std::stable_sort(
      pods.begin(), pods.end(),
      [&](const client::ObjectPtr& a, const client::ObjectPtr& b) { return key(a) < key(b); });
  return pods;
}

}  // namespace

ReplicaSetKind ReplicaSetKind::ReplicaSets() {
  return {"replicaset", {"apps", "v1", "replicasets"}, "apps/v1", "ReplicaSet", false};
}

ReplicaSetKind ReplicaSetKind::ReplicationControllers() {
  return {"replicationcontroller",
          {"", "v1", "replicationcontrollers"},
          "v1",
          "ReplicationController",
          true};
}

ReplicaSetController::ReplicaSetController(client::Client& client,
                                           client::SharedInformerFactory& factory,
                                           ReplicaSetKind kind, ReplicaSetControllerOptions opts)
    : client_(client),
      kind_(kind),
      opts_(opts),
      queue_(QueueOptionsFrom(opts)),
      loop_(kind.controller_name, queue_, [this](const std::string& key) { return Sync(key); }) {
  rs_informer_ = factory.ForResource(kind_.resource);
  pod_informer_ = factory.ForResource(kPods);
  client::EventHandler rh;
  rh.on_add = [this](const client::ObjectPtr& o) { queue_.Add(client::ObjectKey(*o)); };
  rh.on_update = [this](const client::ObjectPtr&, const client::ObjectPtr& o) {
    queue_.Add(client::ObjectKey(*o));
  };
  rh.on_delete = [this](const client::ObjectPtr& o) {
    expectations_.Delete(client::ObjectKey(*o));
    queue_.Add(client::ObjectKey(*o));
  };
  rs_handler_ = rs_informer_->AddEventHandler(std::move(rh));
  client::EventHandler ph;
  ph.on_add = [this](const client::ObjectPtr& o) { OnPodAdd(o); };
  ph.on_update = [this](const client::ObjectPtr& a, const client::ObjectPtr& b) {
    OnPodUpdate(a, b);
  };
  ph.on_delete = [this](const client::ObjectPtr& o) { OnPodDelete(o); };
  pod_handler_ = pod_informer_->AddEventHandler(std::move(ph));
  registered_ = true;
}

ReplicaSetController::~ReplicaSetController() { Stop(); }

void ReplicaSetController::Start(int workers) {
  loop_.Start({rs_informer_, pod_informer_}, workers);
}

void ReplicaSetController::Stop() {
  if (registered_) {
    rs_informer_->RemoveEventHandler(rs_handler_);
    pod_informer_->RemoveEventHandler(pod_handler_);
    registered_ = false;
  }
  loop_.Stop();
}

api::Result<api::LabelSelector> ReplicaSetController::SelectorOf(const client::Object& rs) const {
  const boost::json::value* sel = api::Lookup(rs, "spec.selector");
  if (kind_.map_selector) {
    boost::json::object labels;
    if (sel && sel->is_object() && !sel->get_object().empty()) {
      labels = sel->get_object();
    } else if (const boost::json::value* t = api::Lookup(rs, "spec.template.metadata.labels");
               t && t->is_object()) {
      labels = t->get_object();
    }
    if (labels.empty()) return api::LabelSelector::Nothing();
    return api::LabelSelector::FromJson(boost::json::object{{"matchLabels", labels}});
  }
  if (!sel || !sel->is_object()) return api::LabelSelector::Nothing();
  return api::LabelSelector::FromJson(sel->get_object());
}

std::string ReplicaSetController::OwnerKey(const client::Object& pod,
                                           const std::optional<OwnerRef>& ref) const {
  if (!ref || ref->kind != kind_.kind) return "";
  std::string group = ref->api_version.find('/') == std::string::npos
                          ? ""
                          : ref->api_version.substr(0, ref->api_version.find('/'));
  if (group != kind_.resource.group) return "";
  std::string key = client::ObjectMetaString(pod, "namespace") + "/" + ref->name;
  client::ObjectPtr owner = rs_informer_->Get(key);
  if (!owner || client::ObjectMetaString(*owner, "uid") != ref->uid) return "";
  return key;
}

void ReplicaSetController::EnqueueMatching(const client::Object& pod) {
  const boost::json::value* labels = api::Lookup(pod, "metadata.labels");
  const boost::json::object* l = labels && labels->is_object() ? &labels->get_object() : nullptr;
  for (const client::ObjectPtr& rs :
       rs_informer_->ByIndex(client::kNamespaceIndex, client::ObjectMetaString(pod, "namespace"))) {
    api::Result<api::LabelSelector> sel = SelectorOf(*rs);
    if (sel.ok() && !sel->Empty() && sel->Matches(l)) queue_.Add(client::ObjectKey(*rs));
  }
}

void ReplicaSetController::OnPodAdd(const client::ObjectPtr& pod) {
  if (IsDeleting(*pod)) {
    OnPodDelete(pod);
    return;
  }
  std::optional<OwnerRef> ref = ControllerOf(*pod);
  if (ref) {
    std::string key = OwnerKey(*pod, ref);
    if (key.empty()) return;
    expectations_.CreationObserved(key);
    queue_.Add(key);
    return;
  }
  EnqueueMatching(*pod);
}

void ReplicaSetController::OnPodUpdate(const client::ObjectPtr& old_pod,
                                       const client::ObjectPtr& pod) {
  if (client::ObjectMetaString(*old_pod, "resourceVersion") ==
      client::ObjectMetaString(*pod, "resourceVersion")) {
    return;
  }
  std::string pod_key = client::ObjectKey(*pod);
  std::optional<OwnerRef> old_ref = ControllerOf(*old_pod);
  std::optional<OwnerRef> ref = ControllerOf(*pod);
  if (old_ref && (!ref || !(*old_ref == *ref))) {
    std::string k = OwnerKey(*old_pod, old_ref);
    if (!k.empty()) queue_.Add(k);
  }
  if (ref) {
    std::string key = OwnerKey(*pod, ref);
    if (key.empty()) return;
    if (IsDeleting(*pod)) expectations_.DeletionObserved(key, pod_key);
    queue_.Add(key);
    int64_t min_ready = 0;
    if (client::ObjectPtr rs = rs_informer_->Get(key)) {
      min_ready = api::GetInt64(
          api::GetObject(*rs, "spec") ? *api::GetObject(*rs, "spec") : boost::json::object(),
          "minReadySeconds");
    }
    if (min_ready > 0 && !IsPodReady(*old_pod) && IsPodReady(*pod)) {
      queue_.AddAfter(key, std::chrono::seconds(min_ready) + std::chrono::seconds(1));
    }
    return;
  }
  if (!IsDeleting(*pod)) EnqueueMatching(*pod);
}

void ReplicaSetController::OnPodDelete(const client::ObjectPtr& pod) {
  std::string key = OwnerKey(*pod, ControllerOf(*pod));
  if (key.empty()) return;
  expectations_.DeletionObserved(key, client::ObjectKey(*pod));
  queue_.Add(key);
}

api::Status ReplicaSetController::Sync(const std::string& key) {
  client::ObjectPtr cached = rs_informer_->Get(key);
  if (!cached) {
    expectations_.Delete(key);
    return api::Status::Ok();
  }
  const client::Object& rs = *cached;
  api::Result<api::LabelSelector> sel = SelectorOf(rs);
  if (!sel.ok()) {
    spdlog::warn("{} controller: {}: invalid selector: {}", kind_.controller_name, key,
                 sel.status().message());
    return api::Status::Ok();
  }
  bool needs_sync = expectations_.Satisfied(key);
  std::string ns = client::ObjectMetaString(rs, "namespace");

  // Claim pods.
  api::Status err;
  std::vector<client::ObjectPtr> owned;
  bool checked_fresh = false;
  bool can_adopt = false;
  for (const client::ObjectPtr& pod : pod_informer_->ByIndex(client::kNamespaceIndex, ns)) {
    if (!IsPodActive(*pod)) continue;
    const boost::json::value* lv = api::Lookup(*pod, "metadata.labels");
    const boost::json::object* labels = lv && lv->is_object() ? &lv->get_object() : nullptr;
    ClaimAction a = ClaimObject(*pod, rs, sel->Matches(labels));
    if (a == ClaimAction::kOwned) {
      owned.push_back(pod);
    } else if (a == ClaimAction::kAdopt) {
      if (!checked_fresh) {
        // Upstream re-reads the owner uncached before adopting.
        checked_fresh = true;
        api::Result<client::Object> fresh =
            client_.Get(kind_.resource, ns, client::ObjectMetaString(rs, "name"));
        can_adopt =
            fresh.ok() &&
            client::ObjectMetaString(*fresh, "uid") == client::ObjectMetaString(rs, "uid") &&
            !IsDeleting(*fresh);
      }
      if (!can_adopt) continue;
      api::Result<client::Object> r =
          client_.Patch(kPods, ns, client::ObjectMetaString(*pod, "name"),
                        client::PatchType::kMerge, AdoptPatch(*pod, rs));
      if (r.ok()) {
        owned.push_back(std::make_shared<const client::Object>(std::move(*r)));
      } else if (!IsNotFound(r.status())) {
        err = r.status();
      }
    } else if (a == ClaimAction::kRelease) {
      api::Result<client::Object> r = client_.Patch(
          kPods, ns, client::ObjectMetaString(*pod, "name"), client::PatchType::kMerge,
          ReleasePatch(*pod, client::ObjectMetaString(rs, "uid")));
      if (!r.ok() && !IsNotFound(r.status())) err = r.status();
    }
  }

  api::Status manage_err;
  if (needs_sync && !IsDeleting(rs)) manage_err = ManageReplicas(owned, rs, key);

  // Status.
  const boost::json::object* spec = api::GetObject(rs, "spec");
  int64_t min_ready = spec ? api::GetInt64(*spec, "minReadySeconds") : 0;
  const boost::json::value* tl = api::Lookup(rs, "spec.template.metadata.labels");
  auto now = std::chrono::system_clock::now();
  int64_t fully = 0, ready = 0, available = 0;
  for (const client::ObjectPtr& p : owned) {
    const boost::json::value* lv = api::Lookup(*p, "metadata.labels");
    if (!tl || !tl->is_object() ||
        api::LabelsMatch(lv && lv->is_object() ? &lv->get_object() : nullptr, tl->get_object())) {
      fully++;
    }
    if (IsPodReady(*p)) {
      ready++;
      if (IsPodAvailable(*p, min_ready, now)) available++;
    }
  }
  boost::json::object status;
  if (const boost::json::object* s = api::GetObject(rs, "status")) status = *s;
  status["replicas"] = static_cast<int64_t>(owned.size());
  status["fullyLabeledReplicas"] = fully;
  status["readyReplicas"] = ready;
  status["availableReplicas"] = available;
  status["observedGeneration"] = api::GetInt64(*api::GetObject(rs, "metadata"), "generation");
  boost::json::array conds;
  if (const boost::json::array* c = api::GetArray(status, "conditions")) conds = *c;
  if (!manage_err.ok()) {
    int64_t want = spec ? api::GetInt64(*spec, "replicas", 1) : 1;
    bool creating = static_cast<int64_t>(owned.size()) < want;
    SetCondition(conds, "ReplicaFailure", "True", creating ? "FailedCreate" : "FailedDelete",
                 manage_err.message(), api::FormatTime(now));
  } else if (needs_sync) {
    RemoveCondition(conds, "ReplicaFailure");
  }
  if (conds.empty()) {
    status.erase("conditions");
  } else {
    status["conditions"] = std::move(conds);
  }
  api::Status st = UpdateStatus(rs, status);
  if (!st.ok() && err.ok()) err = st;
  if (manage_err.ok() && st.ok() && min_ready > 0 && ready > available) {
    queue_.AddAfter(key, std::chrono::seconds(1));
  }
  if (!manage_err.ok()) return manage_err;
  return err;
}

api::Status ReplicaSetController::ManageReplicas(const std::vector<client::ObjectPtr>& pods,
                                                 const client::Object& rs, const std::string& key) {
  const boost::json::object* spec = api::GetObject(rs, "spec");
  int64_t want = spec ? api::GetInt64(*spec, "replicas", 1) : 1;
  int64_t diff = static_cast<int64_t>(pods.size()) - want;
  std::string ns = client::ObjectMetaString(rs, "namespace");
  std::string name = client::ObjectMetaString(rs, "name");
  if (diff < 0) {
    int64_t n = std::min<int64_t>(-diff, opts_.burst_replicas);
    expectations_.ExpectCreations(key, static_cast<int>(n));
    client::Object pod;
    pod["apiVersion"] = "v1";
    pod["kind"] = "Pod";
    boost::json::object meta;
    meta["generateName"] = name + "-";
    meta["namespace"] = ns;
    if (const boost::json::value* l = api::Lookup(rs, "spec.template.metadata.labels")) {
      meta["labels"] = *l;
    }
    if (const boost::json::value* a = api::Lookup(rs, "spec.template.metadata.annotations")) {
      meta["annotations"] = *a;
    }
    if (const boost::json::value* f = api::Lookup(rs, "spec.template.metadata.finalizers")) {
      meta["finalizers"] = *f;
    }
    meta["ownerReferences"] = boost::json::array{ControllerRefFor(rs)};
    pod["metadata"] = std::move(meta);
    const boost::json::value* ps = api::Lookup(rs, "spec.template.spec");
    pod["spec"] = ps ? *ps : boost::json::object();
    // Slow start: batches of 1, 2, 4, ... stop at the first batch with a failure.
    int64_t done = 0;
    api::Status first_err;
    for (int64_t batch = 1; done < n; batch *= 2) {
      int64_t size = std::min(batch, n - done);
      int64_t ok = 0;
      for (int64_t i = 0; i < size; ++i) {
        api::Result<client::Object> r = client_.Create(kPods, ns, pod);
        if (r.ok()) {
          ok++;
        } else {
          expectations_.CreationObserved(key);
          if (first_err.ok()) first_err = r.status();
        }
      }
      done += size;
      if (ok < size) break;
    }
    for (int64_t i = done; i < n; ++i) expectations_.CreationObserved(key);
    if (!first_err.ok()) {
      spdlog::warn("{} controller: {}: creating pods: {}", kind_.controller_name, key,
                   first_err.message());
    }
    return first_err;
  }
  if (diff > 0) {
    int64_t n = std::min<int64_t>(diff, opts_.burst_replicas);
    std::vector<client::ObjectPtr> ranked = RankForDeletion(pods);
    ranked.resize(static_cast<size_t>(n));
    std::set<std::string> keys;
    for (const client::ObjectPtr& p : ranked) keys.insert(client::ObjectKey(*p));
    expectations_.ExpectDeletions(key, keys);
    api::Status first_err;
    for (const client::ObjectPtr& p : ranked) {
      api::Result<client::Object> r =
          client_.Delete(kPods, ns, client::ObjectMetaString(*p, "name"));
      if (!r.ok()) {
        expectations_.DeletionObserved(key, client::ObjectKey(*p));
        if (!IsNotFound(r.status()) && first_err.ok()) first_err = r.status();
      }
    }
    return first_err;
  }
  return api::Status::Ok();
}

api::Status ReplicaSetController::UpdateStatus(const client::Object& rs,
                                               const boost::json::object& status) {
  const boost::json::object* cur = api::GetObject(rs, "status");
  if (cur && CanonicalJson(*cur) == CanonicalJson(status)) return api::Status::Ok();
  if (!cur && status.empty()) return api::Status::Ok();
  client::Object next = rs;
  next["status"] = status;
  client::WriteOptions w;
  w.subresource = "status";
  std::string ns = client::ObjectMetaString(rs, "namespace");
  api::Result<client::Object> r = client_.Update(kind_.resource, ns, next, w);
  if (r.ok() || IsNotFound(r.status())) return api::Status::Ok();
  if (r.status().reason() != api::Reason::kConflict) return r.status();
  // One retry on a fresh copy, as upstream's updateReplicaSetStatus.
  api::Result<client::Object> fresh =
      client_.Get(kind_.resource, ns, client::ObjectMetaString(rs, "name"));
  if (!fresh.ok()) return IsNotFound(fresh.status()) ? api::Status::Ok() : fresh.status();
  (*fresh)["status"] = status;
  r = client_.Update(kind_.resource, ns, *fresh, w);
  return r.ok() || IsNotFound(r.status()) ? api::Status::Ok() : r.status();
}

}  // namespace kc::controllers
