#include "pkg/controllers/statefulset_controller.h"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <boost/json/array.hpp>
#include <functional>
#include <set>

#include "pkg/api/json_path.h"
#include "pkg/client/indexer.h"
#include "pkg/controllers/controller_revision.h"
#include "pkg/controllers/controller_utils.h"
#include "pkg/controllers/object_meta.h"
#include "pkg/controllers/statefulset_pods.h"

namespace kc::controllers {
namespace {

const client::ResourceRef kStatefulSets{"apps", "v1", "statefulsets"};
const client::ResourceRef kPods{"", "v1", "pods"};
const client::ResourceRef kClaims{"", "v1", "persistentvolumeclaims"};

std::string Name(const client::Object& o) { return client::ObjectMetaString(o, "name"); }
std::string Uid(const client::Object& o) { return client::ObjectMetaString(o, "uid"); }

const boost::json::object* LabelsOf(const client::Object& o) {
  const boost::json::value* l = api::Lookup(o, "metadata.labels");
  return l && l->is_object() ? &l->get_object() : nullptr;
}

std::string StringAt(const client::Object& o, std::string_view path) {
  const boost::json::value* v = api::Lookup(o, path);
  return v && v->is_string() ? std::string(v->get_string()) : "";
}

std::string Phase(const client::Object& pod) { return StringAt(pod, "status.phase"); }

bool IsRunningAndReady(const client::Object& pod) {
  return Phase(pod) == "Running" && IsPodReady(pod);
}

bool IsRunningAndAvailable(const client::Object& pod, int64_t min_ready,
                           std::chrono::system_clock::time_point now) {
  return Phase(pod) == "Running" && IsPodAvailable(pod, min_ready, now);
}

bool IsHealthy(const client::Object& pod) { return IsRunningAndReady(pod) && !IsDeleting(pod); }

std::string PodRevision(const client::Object& pod) {
  const boost::json::object* l = LabelsOf(pod);
  return l ? api::GetString(*l, kControllerRevisionHashLabel) : "";
}

int64_t SpecInt(const client::Object& set, std::string_view path, int64_t def) {
  const boost::json::value* v = api::Lookup(set, path);
  return v && v->is_int64() ? v->get_int64() : def;
}

bool IsOnDelete(const client::Object& set) {
  return StringAt(set, "spec.updateStrategy.type") == "OnDelete";
}

// Runs `fn` over [0, n): in order, stopping at the first item that fails or asks to stop, when
// `monotonic`; else in slow-start batches (1, 2, 4, ...) that stop after a batch with a failure
// (upstream's runForAll). Sets *exited when the caller must not go on.
api::Status RunForAll(size_t n, bool monotonic, const std::function<api::Status(size_t, bool*)>& fn,
                      bool* exited) {
  *exited = false;
  if (monotonic) {
    for (size_t i = 0; i < n; ++i) {
      bool exit = false;
      api::Status st = fn(i, &exit);
      if (!st.ok() || exit) {
        *exited = true;
        return st;
      }
    }
    return api::Status::Ok();
  }
  size_t i = 0;
  for (size_t batch = 1; i < n; batch *= 2) {
    size_t end = std::min(n, i + batch);
    api::Status first;
    for (; i < end; ++i) {
      bool ignored = false;
      api::Status st = fn(i, &ignored);
      if (!st.ok() && first.ok()) first = st;
    }
    if (!first.ok()) {
      *exited = true;
      return first;
    }
  }
  return api::Status::Ok();
}

}  // namespace

// One replica position: ordinal start+i and its pod, or nullptr when it has to be created.
struct StatefulSetController::Slot {
  int64_t ordinal = 0;
  client::ObjectPtr pod;
};

// What one sync works on.
struct StatefulSetController::State {
  std::string key;
  std::string ns;
  client::Object set;
  api::LabelSelector selector;
  std::vector<client::Object> revisions;  // claimed, sorted by revision
  std::vector<client::ObjectPtr> pods;    // claimed
  client::Object current_rev;
  client::Object update_rev;
  client::Object current_set;  // the set with the current revision's template
  client::Object update_set;   // the set with the update revision's template
  int64_t collision_count = 0;
  bool monotonic = true;
  int64_t min_ready = 0;
  std::chrono::system_clock::time_point now;
  bool adopt_checked = false;
  bool can_adopt = false;
  int64_t available = 0;
};

StatefulSetController::StatefulSetController(client::Client& client,
                                             client::SharedInformerFactory& factory,
                                             StatefulSetControllerOptions opts)
    : client_(client),
      queue_([&] {
        client::WorkQueueOptions q;
        q.base_delay = opts.base_delay;
        q.max_delay = opts.max_delay;
        q.clock = opts.clock;
        return q;
      }()),
      loop_(kName, queue_, [this](const std::string& key) { return Sync(key); }) {
  set_informer_ = factory.ForResource(kStatefulSets);
  pod_informer_ = factory.ForResource(kPods);
  pvc_informer_ = factory.ForResource(kClaims);
  revision_informer_ = factory.ForResource(kControllerRevisionsResource);
  client::EventHandler sh;
  sh.on_add = [this](const client::ObjectPtr& o) { queue_.Add(client::ObjectKey(*o)); };
  sh.on_update = [this](const client::ObjectPtr&, const client::ObjectPtr& o) {
    queue_.Add(client::ObjectKey(*o));
  };
  sh.on_delete = [this](const client::ObjectPtr& o) { queue_.Add(client::ObjectKey(*o)); };
  set_handler_ = set_informer_->AddEventHandler(std::move(sh));
  client::EventHandler ph;
  ph.on_add = [this](const client::ObjectPtr& o) { OnPodAdd(o); };
  ph.on_update = [this](const client::ObjectPtr& a, const client::ObjectPtr& b) {
    OnPodUpdate(a, b);
  };
  ph.on_delete = [this](const client::ObjectPtr& o) { OnPodDelete(o); };
  pod_handler_ = pod_informer_->AddEventHandler(std::move(ph));
  registered_ = true;
}

StatefulSetController::~StatefulSetController() { Stop(); }

void StatefulSetController::Start(int workers) {
  loop_.Start({set_informer_, pod_informer_, pvc_informer_, revision_informer_}, workers);
}

void StatefulSetController::Stop() {
  if (registered_) {
    set_informer_->RemoveEventHandler(set_handler_);
    pod_informer_->RemoveEventHandler(pod_handler_);
    registered_ = false;
  }
  loop_.Stop();
}

std::string StatefulSetController::OwnerKey(const client::Object& pod) const {
  std::optional<OwnerRef> ref = ControllerOf(pod);
  if (!ref || ref->kind != "StatefulSet" || ref->api_version.rfind("apps/", 0) != 0) return "";
  std::string key = client::ObjectMetaString(pod, "namespace") + "/" + ref->name;
  client::ObjectPtr set = set_informer_->Get(key);
  if (!set || Uid(*set) != ref->uid) return "";
  return key;
}

void StatefulSetController::EnqueueMatching(const client::Object& pod) {
  const boost::json::object* labels = LabelsOf(pod);
  for (const client::ObjectPtr& set : set_informer_->ByIndex(
           client::kNamespaceIndex, client::ObjectMetaString(pod, "namespace"))) {
    const boost::json::value* sel = api::Lookup(*set, "spec.selector");
    if (!sel || !sel->is_object()) continue;
    api::Result<api::LabelSelector> s = api::LabelSelector::FromJson(sel->get_object());
    if (s.ok() && !s->Empty() && s->Matches(labels)) queue_.Add(client::ObjectKey(*set));
  }
}

void StatefulSetController::OnPodAdd(const client::ObjectPtr& pod) {
  if (IsDeleting(*pod)) {
    OnPodDelete(pod);
    return;
  }
  if (ControllerOf(*pod)) {
    std::string key = OwnerKey(*pod);
    if (!key.empty()) queue_.Add(key);
    return;
  }
  EnqueueMatching(*pod);
}

void StatefulSetController::OnPodUpdate(const client::ObjectPtr& old_pod,
                                        const client::ObjectPtr& pod) {
  if (client::ObjectMetaString(*old_pod, "resourceVersion") ==
      client::ObjectMetaString(*pod, "resourceVersion")) {
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
    if (client::ObjectPtr set = set_informer_->Get(key)) {
      int64_t min_ready = SpecInt(*set, "spec.minReadySeconds", 0);
      if (min_ready > 0 && !IsPodReady(*old_pod) && IsPodReady(*pod)) {
        queue_.AddAfter(key, std::chrono::seconds(min_ready) + std::chrono::seconds(1));
      }
    }
    return;
  }
  if (!IsDeleting(*pod)) EnqueueMatching(*pod);
}

void StatefulSetController::OnPodDelete(const client::ObjectPtr& pod) {
  std::string key = OwnerKey(*pod);
  if (!key.empty()) queue_.Add(key);
}

api::Status StatefulSetController::Sync(const std::string& key) {
  client::ObjectPtr cached = set_informer_->Get(key);
  if (!cached) return api::Status::Ok();
  State s;
  s.key = key;
  s.set = *cached;
  s.ns = client::ObjectMetaString(s.set, "namespace");
  s.now = std::chrono::system_clock::now();
  const boost::json::value* sel = api::Lookup(s.set, "spec.selector");
  if (!sel || !sel->is_object()) {
    s.selector = api::LabelSelector::Nothing();
  } else {
    api::Result<api::LabelSelector> parsed = api::LabelSelector::FromJson(sel->get_object());
    if (!parsed.ok()) {
      // Not transient: retrying would not help.
      spdlog::warn("statefulset controller: {}: invalid selector: {}", key,
                   parsed.status().message());
      return api::Status::Ok();
    }
    s.selector = *parsed;
  }
  s.min_ready = SpecInt(s.set, "spec.minReadySeconds", 0);
  s.monotonic = StringAt(s.set, "spec.podManagementPolicy") != "Parallel";

  if (api::Status st = ClaimRevisions(s); !st.ok()) return st;
  if (api::Status st = ClaimPods(s); !st.ok()) return st;
  if (api::Status st = SyncRevisions(s); !st.ok()) return st;

  boost::json::object status;
  api::Status err = UpdateSet(s, status);
  api::Status status_err = WriteStatus(s, std::move(status));
  api::Status history_err = TruncateHistory(s);
  if (!err.ok()) return err;
  if (!status_err.ok()) return status_err;
  if (!history_err.ok()) return history_err;
  if (s.min_ready > 0 && s.available != SetReplicas(s.set)) {
    queue_.AddAfter(key, std::chrono::seconds(s.min_ready));
  }
  return api::Status::Ok();
}

bool StatefulSetController::CanAdopt(State& s) {
  if (!s.adopt_checked) {
    // Upstream re-reads the owner uncached before adopting.
    s.adopt_checked = true;
    api::Result<client::Object> fresh = client_.Get(kStatefulSets, s.ns, Name(s.set));
    s.can_adopt = fresh.ok() && Uid(*fresh) == Uid(s.set) && !IsDeleting(*fresh);
  }
  return s.can_adopt;
}

api::Status StatefulSetController::ClaimRevisions(State& s) {
  for (const client::ObjectPtr& rev : revision_informer_->ByIndex(client::kNamespaceIndex, s.ns)) {
    if (!s.selector.Matches(LabelsOf(*rev))) continue;
    std::optional<OwnerRef> ref = ControllerOf(*rev);
    if (ref) {
      if (ref->uid == Uid(s.set)) s.revisions.push_back(*rev);
      continue;
    }
    if (IsDeleting(s.set) || IsDeleting(*rev) || !CanAdopt(s)) continue;
    api::Result<client::Object> r =
        client_.Patch(kControllerRevisionsResource, s.ns, Name(*rev), client::PatchType::kMerge,
                      AdoptPatch(*rev, s.set));
    if (r.ok()) {
      s.revisions.push_back(std::move(*r));
    } else if (!IsNotFound(r.status())) {
      return r.status();
    }
  }
  SortRevisions(s.revisions);
  return api::Status::Ok();
}

api::Status StatefulSetController::ClaimPods(State& s) {
  api::Status err;
  for (const client::ObjectPtr& pod : pod_informer_->ByIndex(client::kNamespaceIndex, s.ns)) {
    bool matches = s.selector.Matches(LabelsOf(*pod)) && IsMemberOf(s.set, *pod);
    ClaimAction a = ClaimObject(*pod, s.set, matches);
    if (a == ClaimAction::kOwned) {
      s.pods.push_back(pod);
    } else if (a == ClaimAction::kAdopt) {
      if (!CanAdopt(s)) continue;
      api::Result<client::Object> r = client_.Patch(
          kPods, s.ns, Name(*pod), client::PatchType::kMerge, AdoptPatch(*pod, s.set));
      if (r.ok()) {
        s.pods.push_back(std::make_shared<const client::Object>(std::move(*r)));
      } else if (!IsNotFound(r.status())) {
        err = r.status();
      }
    } else if (a == ClaimAction::kRelease) {
      api::Result<client::Object> r = client_.Patch(
          kPods, s.ns, Name(*pod), client::PatchType::kMerge, ReleasePatch(*pod, Uid(s.set)));
      if (!r.ok() && !IsNotFound(r.status())) err = r.status();
    }
  }
  return err;
}

api::Status StatefulSetController::SyncRevisions(State& s) {
  const boost::json::value* cc = api::Lookup(s.set, "status.collisionCount");
  s.collision_count = cc && cc->is_int64() ? cc->get_int64() : 0;
  boost::json::object template_labels;
  if (const boost::json::value* l = api::Lookup(s.set, "spec.template.metadata.labels");
      l && l->is_object()) {
    template_labels = l->get_object();
  }
  client::Object candidate = NewControllerRevision(s.set, template_labels, RevisionPatch(s.set),
                                                   NextRevision(s.revisions), s.collision_count);
  std::vector<size_t> equal = FindEqualRevisions(s.revisions, candidate);
  if (!equal.empty() && EqualRevision(s.revisions.back(), s.revisions[equal.back()])) {
    // The template did not change since the newest revision.
    s.update_rev = s.revisions.back();
  } else if (!equal.empty()) {
    // A rollback to an older template: that revision becomes the newest.
    api::Result<client::Object> r =
        UpdateRevisionNumber(client_, s.revisions[equal.back()], RevisionNumber(candidate));
    if (!r.ok()) return r.status();
    s.update_rev = std::move(*r);
  } else {
    api::Result<client::Object> r =
        CreateControllerRevision(client_, s.set, candidate, &s.collision_count);
    if (!r.ok()) return r.status();
    s.update_rev = std::move(*r);
    spdlog::info("statefulset controller: {}: created controllerrevision {}", s.key,
                 Name(s.update_rev));
  }
  std::string current_name = StringAt(s.set, "status.currentRevision");
  s.current_rev = s.update_rev;
  for (const client::Object& r : s.revisions) {
    if (!current_name.empty() && Name(r) == current_name) {
      s.current_rev = r;
      break;
    }
  }
  api::Result<client::Object> cur = ApplyRevision(s.set, s.current_rev);
  if (!cur.ok()) return cur.status();
  api::Result<client::Object> upd = ApplyRevision(s.set, s.update_rev);
  if (!upd.ok()) return upd.status();
  s.current_set = std::move(*cur);
  s.update_set = std::move(*upd);
  return api::Status::Ok();
}

api::Status StatefulSetController::UpdateSet(State& s, boost::json::object& status) {
  const int64_t replicas = SetReplicas(s.set);
  const int64_t start = StartOrdinal(s.set);
  std::vector<Slot> slots(static_cast<size_t>(replicas));
  for (size_t i = 0; i < slots.size(); ++i) slots[i].ordinal = start + static_cast<int64_t>(i);
  std::vector<client::ObjectPtr> condemned;
  for (const client::ObjectPtr& pod : s.pods) {
    int64_t ord = PodOrdinal(*pod);
    if (OrdinalInRange(s.set, ord)) {
      slots[static_cast<size_t>(ord - start)].pod = pod;
    } else if (ord >= 0) {
      condemned.push_back(pod);
    }
  }
  std::sort(condemned.begin(), condemned.end(),
            [](const client::ObjectPtr& a, const client::ObjectPtr& b) {
              return PodOrdinal(*a) > PodOrdinal(*b);
            });

  // The first unhealthy pod: lowest replica ordinal (a missing pod counts), else the lowest
  // condemned one. nullptr when it is a missing pod or everything is healthy.
  const client::Object* first_unhealthy = nullptr;
  bool found_unhealthy = false;
  for (const Slot& slot : slots) {
    if (!slot.pod || !IsHealthy(*slot.pod)) {
      if (!found_unhealthy) first_unhealthy = slot.pod.get();
      found_unhealthy = true;
    }
  }
  for (auto it = condemned.rbegin(); it != condemned.rend(); ++it) {
    if (!IsHealthy(**it)) {
      if (!found_unhealthy) first_unhealthy = it->get();
      found_unhealthy = true;
    }
  }

  // Status of the pods this sync started from (upstream's computeReplicaStatus).
  const std::string current_name = Name(s.current_rev);
  const std::string update_name = Name(s.update_rev);
  int64_t n = 0, ready = 0, available = 0, current = 0, updated = 0;
  auto count = [&](const client::Object& pod) {
    n++;
    if (IsRunningAndReady(pod)) {
      ready++;
      if (IsRunningAndAvailable(pod, s.min_ready, s.now)) available++;
    }
    if (!IsDeleting(pod)) {
      std::string rev = PodRevision(pod);
      if (rev == current_name) current++;
      if (rev == update_name) updated++;
    }
  };
  for (const Slot& slot : slots) {
    if (slot.pod) count(*slot.pod);
  }
  for (const client::ObjectPtr& p : condemned) count(*p);
  s.available = available;
  status["observedGeneration"] = api::GetInt64(*api::GetObject(s.set, "metadata"), "generation");
  status["replicas"] = n;
  status["readyReplicas"] = ready;
  status["currentReplicas"] = current;
  status["updatedReplicas"] = updated;
  status["availableReplicas"] = available;
  status["currentRevision"] = current_name;
  status["updateRevision"] = update_name;
  status["collisionCount"] = s.collision_count;

  if (IsDeleting(s.set)) return api::Status::Ok();

  bool exited = false;
  api::Status st = RunForAll(
      slots.size(), s.monotonic,
      [&](size_t i, bool* exit) { return ProcessReplica(s, slots[i], exit); }, &exited);
  if (exited) return st;
  st = RunForAll(
      condemned.size(), s.monotonic,
      [&](size_t i, bool*) { return FixClaimOwners(s, *condemned[i]); }, &exited);
  if (exited) return st;
  st = RunForAll(
      condemned.size(), s.monotonic,
      [&](size_t i, bool* exit) {
        return ProcessCondemned(s, condemned[i], first_unhealthy, exit);
      },
      &exited);
  if (exited) return st;

  if (IsOnDelete(s.set)) return api::Status::Ok();

  // Rolling update: replace the highest ordinal not at the update revision, one at a time.
  int64_t update_min = 0;
  if (const boost::json::value* ru = api::Lookup(s.set, "spec.updateStrategy.rollingUpdate");
      ru && ru->is_object()) {
    update_min = std::max<int64_t>(0, api::GetInt64(ru->get_object(), "partition"));
  }
  for (int64_t target = static_cast<int64_t>(slots.size()) - 1; target >= update_min; --target) {
    const client::ObjectPtr& pod = slots[static_cast<size_t>(target)].pod;
    if (!pod) return api::Status::Ok();  // created this round; wait for it
    if (PodRevision(*pod) != update_name && !IsDeleting(*pod)) {
      spdlog::info("statefulset controller: {}: deleting pod {} for update to {}", s.key,
                   Name(*pod), update_name);
      api::Status d = DeletePod(s, *pod);
      status["currentReplicas"] = api::GetInt64(status, "currentReplicas") - 1;
      return d;
    }
    if (!IsHealthy(*pod)) return api::Status::Ok();
  }
  return api::Status::Ok();
}

api::Status StatefulSetController::ProcessReplica(State& s, const Slot& slot, bool* exit) {
  *exit = false;
  if (slot.pod) {
    const client::Object& pod = *slot.pod;
    std::string phase = Phase(pod);
    if (phase == "Failed" || phase == "Succeeded") {
      // Recreated on a later sync, once the pod is gone.
      *exit = true;
      if (IsDeleting(pod)) return api::Status::Ok();
      spdlog::info("statefulset controller: {}: deleting {} pod {}", s.key, phase, Name(pod));
      return DeletePod(s, pod);
    }
    if (phase.empty() || phase == "Pending") {
      if (api::Status st = CreateMissingClaims(s, slot.ordinal); !st.ok()) {
        *exit = true;
        return st;
      }
    }
    if (s.monotonic && (IsDeleting(pod) || !IsRunningAndReady(pod) ||
                        !IsRunningAndAvailable(pod, s.min_ready, s.now))) {
      *exit = true;
      return api::Status::Ok();
    }
    // Enforce the invariants: identity labels, claims and their retention ownerReferences.
    if (!IdentityMatches(s.set, pod)) {
      api::Result<client::Object> r = client_.Patch(
          kPods, s.ns, Name(pod), client::PatchType::kMerge, IdentityLabelsPatch(s.set, pod));
      if (!r.ok() && !IsNotFound(r.status())) {
        *exit = true;
        return r.status();
      }
    }
    if (!StorageMatches(s.set, pod)) {
      // A running pod's volumes cannot change; at least make sure its claims exist.
      if (api::Status st = CreateMissingClaims(s, slot.ordinal); !st.ok()) {
        *exit = true;
        return st;
      }
    }
    if (api::Status st = FixClaimOwners(s, pod); !st.ok()) {
      *exit = true;
      return st;
    }
    return api::Status::Ok();
  }
  if (ClaimIsStale(s, slot.ordinal)) {
    // The garbage collector is about to delete a claim of the previous pod; wait for it (claims
    // are not watched, so look again later).
    *exit = true;
    queue_.AddAfter(s.key, std::chrono::seconds(2));
    return api::Status::Ok();
  }
  if (api::Status st = CreatePod(s, slot.ordinal); !st.ok()) {
    *exit = true;
    return st;
  }
  *exit = s.monotonic;
  return api::Status::Ok();
}

api::Status StatefulSetController::ProcessCondemned(State& s, const client::ObjectPtr& pod,
                                                    const client::Object* first_unhealthy,
                                                    bool* exit) {
  *exit = false;
  if (IsDeleting(*pod)) {
    *exit = s.monotonic;
    return api::Status::Ok();
  }
  if (s.monotonic && pod.get() != first_unhealthy &&
      (!IsRunningAndReady(*pod) || !IsRunningAndAvailable(*pod, s.min_ready, s.now))) {
    *exit = true;
    return api::Status::Ok();
  }
  spdlog::info("statefulset controller: {}: deleting pod {} for scale down", s.key, Name(*pod));
  api::Status st = DeletePod(s, *pod);
  *exit = !st.ok() || s.monotonic;
  return st;
}

api::Status StatefulSetController::CreatePod(State& s, int64_t ordinal) {
  const int64_t start = StartOrdinal(s.set);
  const boost::json::value* ru = api::Lookup(s.set, "spec.updateStrategy.rollingUpdate");
  bool has_ru = ru && ru->is_object();
  bool use_current = false;
  if (has_ru) {
    use_current = ordinal < start + api::GetInt64(ru->get_object(), "partition");
  } else if (!IsOnDelete(s.set)) {
    const boost::json::value* cr = api::Lookup(s.set, "status.currentReplicas");
    use_current = ordinal < start + (cr && cr->is_int64() ? cr->get_int64() : 0);
  }
  client::Object pod = NewStatefulSetPod(use_current ? s.current_set : s.update_set, ordinal);
  api::EnsureObject(api::EnsureObject(pod, "metadata"), "labels")[kControllerRevisionHashLabel] =
      Name(use_current ? s.current_rev : s.update_rev);
  if (api::Status st = CreateMissingClaims(s, ordinal); !st.ok()) return st;
  api::Result<client::Object> r = client_.Create(kPods, s.ns, pod);
  if (r.ok()) {
    spdlog::info("statefulset controller: {}: created pod {}", s.key, Name(pod));
    return api::Status::Ok();
  }
  if (r.status().reason() != api::Reason::kAlreadyExists) return r.status();
  // Ours and not yet in the cache is fine; someone else's pod under this name is an error.
  api::Result<client::Object> existing = client_.Get(kPods, s.ns, Name(pod));
  if (!existing.ok()) return IsNotFound(existing.status()) ? r.status() : existing.status();
  std::optional<OwnerRef> ref = ControllerOf(*existing);
  if (ref && ref->uid == Uid(s.set)) return api::Status::Ok();
  return r.status();
}

api::Status StatefulSetController::DeletePod(State& s, const client::Object& pod) {
  client::DeleteOptions opts;
  opts.precondition_uid = Uid(pod);
  api::Result<client::Object> r = client_.Delete(kPods, s.ns, Name(pod), opts);
  if (!r.ok() && !IsNotFound(r.status())) return r.status();
  return api::Status::Ok();
}

api::Status StatefulSetController::CreateMissingClaims(State& s, int64_t ordinal) {
  api::Status first;
  for (client::Object& claim : ClaimsForOrdinal(s.set, ordinal)) {
    std::string name = Name(claim);
    if (client::ObjectPtr cached = pvc_informer_->Get(s.ns, name)) {
      if (IsDeleting(*cached) && first.ok()) {
        first = api::Status::Conflict("pvc " + name + " is being deleted");
      }
      continue;
    }
    if (std::optional<boost::json::array> refs = ClaimOwnerRefs(claim, s.set, nullptr)) {
      api::EnsureObject(claim, "metadata")["ownerReferences"] = std::move(*refs);
    }
    api::Result<client::Object> r = client_.Create(kClaims, s.ns, claim);
    if (r.ok()) {
      spdlog::info("statefulset controller: {}: created persistentvolumeclaim {}", s.key, name);
    } else if (r.status().reason() != api::Reason::kAlreadyExists && first.ok()) {
      first = api::Status(r.status().reason(),
                          "failed to create PVC " + name + ": " + r.status().message());
    }
  }
  return first;
}

api::Status StatefulSetController::FixClaimOwners(State& s, const client::Object& pod) {
  int64_t ordinal = PodOrdinal(pod);
  if (ordinal < 0) return api::Status::Ok();
  for (const client::Object& claim : ClaimsForOrdinal(s.set, ordinal)) {
    client::ObjectPtr cached = pvc_informer_->Get(s.ns, Name(claim));
    if (!cached || IsDeleting(*cached)) continue;
    std::optional<boost::json::array> refs = ClaimOwnerRefs(*cached, s.set, &pod);
    if (!refs) continue;
    api::Result<client::Object> r =
        client_.Patch(kClaims, s.ns, Name(claim), client::PatchType::kMerge,
                      MetadataListPatch(client::ObjectMetaString(*cached, "resourceVersion"),
                                        "ownerReferences", *refs));
    if (!r.ok() && !IsNotFound(r.status())) return r.status();
  }
  return api::Status::Ok();
}

bool StatefulSetController::ClaimIsStale(State& s, int64_t ordinal) {
  if (!RetentionPolicyOf(s.set).delete_when_scaled) return false;
  std::string pod_name = StatefulSetPodName(s.set, ordinal);
  for (const client::Object& claim : ClaimsForOrdinal(s.set, ordinal)) {
    client::ObjectPtr cached = pvc_informer_->Get(s.ns, Name(claim));
    if (cached && ClaimHasStalePodRef(*cached, pod_name, "")) return true;
  }
  return false;
}

api::Status StatefulSetController::WriteStatus(State& s, boost::json::object status) {
  // A finished rolling update makes the update revision current.
  if (!IsOnDelete(s.set) &&
      api::GetInt64(status, "updatedReplicas") == api::GetInt64(status, "replicas") &&
      api::GetInt64(status, "readyReplicas") == api::GetInt64(status, "replicas")) {
    status["currentReplicas"] = status["updatedReplicas"];
    status["currentRevision"] = status["updateRevision"];
  }
  const boost::json::object* cur = api::GetObject(s.set, "status");
  if (cur && CanonicalJson(*cur) == CanonicalJson(status)) return api::Status::Ok();
  client::Object next = s.set;
  next["status"] = status;
  client::WriteOptions w;
  w.subresource = "status";
  api::Result<client::Object> r = client_.Update(kStatefulSets, s.ns, next, w);
  if (r.ok() || IsNotFound(r.status())) return api::Status::Ok();
  if (r.status().reason() != api::Reason::kConflict) return r.status();
  api::Result<client::Object> fresh = client_.Get(kStatefulSets, s.ns, Name(s.set));
  if (!fresh.ok()) return IsNotFound(fresh.status()) ? api::Status::Ok() : fresh.status();
  (*fresh)["status"] = std::move(status);
  r = client_.Update(kStatefulSets, s.ns, *fresh, w);
  return r.ok() || IsNotFound(r.status()) ? api::Status::Ok() : r.status();
}

api::Status StatefulSetController::TruncateHistory(State& s) {
  std::set<std::string> live{Name(s.current_rev), Name(s.update_rev)};
  for (const client::ObjectPtr& p : s.pods) live.insert(PodRevision(*p));
  int64_t limit = SpecInt(s.set, "spec.revisionHistoryLimit", 10);
  for (const client::Object* r : RevisionsToPrune(s.revisions, live, limit)) {
    api::Result<client::Object> d = client_.Delete(kControllerRevisionsResource, s.ns, Name(*r));
    if (!d.ok() && !IsNotFound(d.status())) return d.status();
  }
  return api::Status::Ok();
}

}  // namespace kc::controllers
