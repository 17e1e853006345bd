#include "pkg/controllers/job_controller.h"

#include <spdlog/spdlog.h>

#include "pkg/api/json_path.h"
#include "pkg/api/label_selector.h"
#include "pkg/api/time_util.h"
#include "pkg/client/indexer.h"
#include "pkg/controllers/object_meta.h"

namespace kc::controllers {
namespace {

const client::ResourceRef kJobs{"batch", "v1", "jobs"};
const client::ResourceRef kPods{"", "v1", "pods"};

bool SameLabels(const client::Object& a, const client::Object& b) {
  const boost::json::value* la = api::Lookup(a, "metadata.labels");
  const boost::json::value* lb = api::Lookup(b, "metadata.labels");
  if (!la || !lb) return !la == !lb;
  return CanonicalJson(*la) == CanonicalJson(*lb);
}

std::optional<int64_t> ActiveDeadline(const client::Object& job) {
  const boost::json::value* v = api::Lookup(job, "spec.activeDeadlineSeconds");
  if (!v || !v->is_number()) return std::nullopt;
  return v->is_int64() ? v->get_int64() : static_cast<int64_t>(v->to_number<double>());
}

}  // namespace

JobController::JobController(client::Client& client, client::SharedInformerFactory& factory,
                             JobControllerOptions opts)
    : client_(client),
      opts_(opts),
      wall_(opts.clock, opts.start_time),
      events_(client, opts.clock, "job-controller", "batch/v1", "Job"),
      queue_(QueueOptionsFrom(opts)),
      orphan_queue_(QueueOptionsFrom(opts)),
      loop_("job", queue_, [this](const std::string& key) { return Sync(key); }),
      orphan_loop_("job-orphan-pods", orphan_queue_,
                   [this](const std::string& key) { return SyncOrphanPod(key); }) {
  job_informer_ = factory.ForResource(kJobs);
  pod_informer_ = factory.ForResource(kPods);
  client::EventHandler jh;
  jh.on_add = [this](const client::ObjectPtr& o) { queue_.Add(client::ObjectKey(*o)); };
  jh.on_update = [this](const client::ObjectPtr& a, const client::ObjectPtr& b) {
    OnJobUpdate(a, b);
  };
  jh.on_delete = [this](const client::ObjectPtr& o) { OnJobDelete(o); };
  job_handler_ = job_informer_->AddEventHandler(std::move(jh));
  client::EventHandler ph;
  ph.on_add = [this](const client::ObjectPtr& o) { OnPodAdd(o); };
  ph.on_update = [this](const client::ObjectPtr& a, const client::ObjectPtr& b) {
    OnPodUpdate(a, b);
  };
  ph.on_delete = [this](const client::ObjectPtr& o) { OnPodDelete(o, true); };
  pod_handler_ = pod_informer_->AddEventHandler(std::move(ph));
  registered_ = true;
}

JobController::~JobController() { Stop(); }

void JobController::Start(int workers) {
  loop_.Start({job_informer_, pod_informer_}, workers);
  orphan_loop_.Start({job_informer_, pod_informer_}, 1);
}

void JobController::Stop() {
  if (registered_) {
    job_informer_->RemoveEventHandler(job_handler_);
    pod_informer_->RemoveEventHandler(pod_handler_);
    registered_ = false;
  }
  loop_.Stop();
  orphan_loop_.Stop();
  events_.Stop();
}

void JobController::EnqueueBatched(const std::string& key) {
  if (opts_.sync_batch_period.count() <= 0) {
    queue_.Add(key);
  } else {
    queue_.AddAfter(key, opts_.sync_batch_period);
  }
}

void JobController::OnJobUpdate(const client::ObjectPtr& old_job, const client::ObjectPtr& job) {
  std::string key = client::ObjectKey(*job);
  const boost::json::object* om = api::GetObject(*old_job, "metadata");
  const boost::json::object* nm = api::GetObject(*job, "metadata");
  if (om && nm && api::GetInt64(*om, "generation") == api::GetInt64(*nm, "generation")) {
    EnqueueBatched(key);  // status-only changes, typically our own
  } else {
    queue_.Add(key);
  }
  if (IsJobFinished(*job)) EnqueueOrphanPodsOf(*job);
  // A changed activeDeadlineSeconds needs a sync when the new deadline passes.
  std::optional<int64_t> cur = ActiveDeadline(*job);
  const boost::json::value* start = api::Lookup(*job, "status.startTime");
  if (cur && start && start->is_string() && ActiveDeadline(*old_job) != cur) {
    std::optional<WallTime> started = api::ParseTime(start->get_string());
    if (started) {
      auto passed = wall_.Now() - *started;
      queue_.AddAfter(key, std::chrono::duration_cast<client::Clock::Duration>(
                               std::chrono::seconds(*cur) - passed));
    }
  }
}

void JobController::OnJobDelete(const client::ObjectPtr& job) {
  queue_.Add(client::ObjectKey(*job));
  EnqueueOrphanPodsOf(*job);
}

void JobController::EnqueueOrphanPodsOf(const client::Object& job) {
  std::string uid = client::ObjectMetaString(job, "uid");
  for (const client::ObjectPtr& pod : pod_informer_->ByIndex(
           client::kNamespaceIndex, client::ObjectMetaString(job, "namespace"))) {
    if (!HasJobTrackingFinalizer(*pod)) continue;
    std::optional<OwnerRef> ref = ControllerOf(*pod);
    if (ref && ref->uid == uid) orphan_queue_.Add(client::ObjectKey(*pod));
  }
}

client::ObjectPtr JobController::ResolveControllerRef(const std::string& ns,
                                                      const OwnerRef& ref) const {
  if (ref.kind != "Job" || ref.api_version.rfind("batch/", 0) != 0) return nullptr;
  client::ObjectPtr job = job_informer_->Get(ns, ref.name);
  if (!job || client::ObjectMetaString(*job, "uid") != ref.uid) return nullptr;
  return job;
}

std::vector<client::ObjectPtr> JobController::JobsSelecting(const client::Object& pod) const {
  std::vector<client::ObjectPtr> out;
  const boost::json::value* lv = api::Lookup(pod, "metadata.labels");
  const boost::json::object* labels = lv && lv->is_object() ? &lv->get_object() : nullptr;
  for (const client::ObjectPtr& job : job_informer_->ByIndex(
           client::kNamespaceIndex, client::ObjectMetaString(pod, "namespace"))) {
    const boost::json::value* sel = api::Lookup(*job, "spec.selector");
    if (!sel || !sel->is_object()) continue;
    api::Result<api::LabelSelector> s = api::LabelSelector::FromJson(sel->get_object());
    if (s.ok() && !s->Empty() && s->Matches(labels)) out.push_back(job);
  }
  return out;
}

void JobController::OnPodAdd(const client::ObjectPtr& pod) {
  if (IsDeleting(*pod)) {
    OnPodDelete(pod, false);
    return;
  }
  std::string ns = client::ObjectMetaString(*pod, "namespace");
  if (std::optional<OwnerRef> ref = ControllerOf(*pod)) {
    client::ObjectPtr job = ResolveControllerRef(ns, *ref);
    if (!job) {
      if (HasJobTrackingFinalizer(*pod)) orphan_queue_.Add(client::ObjectKey(*pod));
      return;
    }
    std::string key = client::ObjectKey(*job);
    expectations_.CreationObserved(key);
    EnqueueBatched(key);
    return;
  }
  if (HasJobTrackingFinalizer(*pod)) orphan_queue_.Add(client::ObjectKey(*pod));
  for (const client::ObjectPtr& job : JobsSelecting(*pod)) EnqueueBatched(client::ObjectKey(*job));
}

void JobController::OnPodUpdate(const client::ObjectPtr& old_pod, const client::ObjectPtr& pod) {
  if (client::ObjectMetaString(*old_pod, "resourceVersion") ==
      client::ObjectMetaString(*pod, "resourceVersion")) {
    return;
  }
  if (IsDeleting(*pod)) {
    OnPodDelete(pod, false);
    return;
  }
  std::string ns = client::ObjectMetaString(*pod, "namespace");
  std::string uid = client::ObjectMetaString(*pod, "uid");
  bool finalizer_removed = !HasJobTrackingFinalizer(*pod);
  std::optional<OwnerRef> old_ref = ControllerOf(*old_pod);
  std::optional<OwnerRef> ref = ControllerOf(*pod);
  bool ref_changed = old_ref.has_value() != ref.has_value() || (old_ref && !(*old_ref == *ref));
  if (ref_changed && old_ref) {
    if (client::ObjectPtr job = ResolveControllerRef(ns, *old_ref)) {
      std::string key = client::ObjectKey(*job);
      if (finalizer_removed) FinalizerRemovalObserved(key, uid);
      EnqueueBatched(key);
    }
  }
  if (ref) {
    client::ObjectPtr job = ResolveControllerRef(ns, *ref);
    if (!job) {
      if (HasJobTrackingFinalizer(*pod)) orphan_queue_.Add(client::ObjectKey(*pod));
      return;
    }
    std::string key = client::ObjectKey(*job);
    if (finalizer_removed) FinalizerRemovalObserved(key, uid);
    EnqueueBatched(key);
    return;
  }
  if (HasJobTrackingFinalizer(*pod)) orphan_queue_.Add(client::ObjectKey(*pod));
  if (ref_changed || !SameLabels(*old_pod, *pod)) {
    for (const client::ObjectPtr& job : JobsSelecting(*pod)) {
      EnqueueBatched(client::ObjectKey(*job));
    }
  }
}

void JobController::OnPodDelete(const client::ObjectPtr& pod, bool final_delete) {
  bool has_finalizer = HasJobTrackingFinalizer(*pod);
  std::optional<OwnerRef> ref = ControllerOf(*pod);
  if (!ref) {
    if (has_finalizer) orphan_queue_.Add(client::ObjectKey(*pod));
    return;
  }
  client::ObjectPtr job = ResolveControllerRef(client::ObjectMetaString(*pod, "namespace"), *ref);
  if (!job || IsJobFinished(*job)) {
    if (has_finalizer) orphan_queue_.Add(client::ObjectKey(*pod));
    return;
  }
  std::string key = client::ObjectKey(*job);
  expectations_.DeletionObserved(key, client::ObjectKey(*pod));
  if (final_delete || !has_finalizer) {
    FinalizerRemovalObserved(key, client::ObjectMetaString(*pod, "uid"));
  }
  EnqueueBatched(key);
}

api::Status JobController::SyncOrphanPod(const std::string& pod_key) {
  client::ObjectPtr pod = pod_informer_->Get(pod_key);
  if (!pod || !HasJobTrackingFinalizer(*pod)) return api::Status::Ok();
  if (std::optional<OwnerRef> ref = ControllerOf(*pod)) {
    // Only a batch/v1 Job's pods are ours to clean up.
    if (ref->kind != "Job" || ref->api_version != "batch/v1") return api::Status::Ok();
    client::ObjectPtr job = ResolveControllerRef(client::ObjectMetaString(*pod, "namespace"), *ref);
    if (job) {
      std::string managed_by = api::GetString(
          api::GetObject(*job, "spec") ? *api::GetObject(*job, "spec") : boost::json::object(),
          "managedBy");
      if (!managed_by.empty() && managed_by != "kubernetes.io/job-controller") {
        return api::Status::Ok();
      }
      if (!IsJobFinished(*job)) return api::Status::Ok();  // the Job still counts it
    }
  }
  return RemoveTrackingFinalizer(*pod);
}

api::Status JobController::HandleTtl(const client::Object& job, const std::string& key) {
  auto expiry = [this](const client::Object& j) -> std::optional<WallTime> {
    const boost::json::value* ttl = api::Lookup(j, "spec.ttlSecondsAfterFinished");
    if (!ttl || !ttl->is_int64() || IsDeleting(j)) return std::nullopt;
    std::optional<WallTime> finished = JobFinishTime(j);
    if (!finished) return std::nullopt;
    return *finished + std::chrono::seconds(ttl->get_int64());
  };
  std::optional<WallTime> expire_at = expiry(job);
  if (!expire_at) return api::Status::Ok();
  WallTime now = wall_.Now();
  if (now < *expire_at) {
    queue_.AddAfter(key, std::chrono::duration_cast<client::Clock::Duration>(*expire_at - now));
    return api::Status::Ok();
  }
  // Re-check against the latest object before deleting, as upstream's ttl controller does.
  std::string ns = client::ObjectMetaString(job, "namespace");
  std::string name = client::ObjectMetaString(job, "name");
  api::Result<client::Object> fresh = client_.Get(kJobs, ns, name);
  if (!fresh.ok()) {
    return fresh.status().reason() == api::Reason::kNotFound ? api::Status::Ok() : fresh.status();
  }
  std::optional<WallTime> fresh_expiry = expiry(*fresh);
  if (!fresh_expiry) return api::Status::Ok();
  if (now < *fresh_expiry) {
    queue_.AddAfter(key, std::chrono::duration_cast<client::Clock::Duration>(*fresh_expiry - now));
    return api::Status::Ok();
  }
  client::DeleteOptions del;
  del.propagation_policy = "Foreground";
  del.precondition_uid = client::ObjectMetaString(*fresh, "uid");
  spdlog::info("job controller: {}: ttlSecondsAfterFinished expired, deleting the Job", key);
  api::Result<client::Object> r = client_.Delete(kJobs, ns, name, del);
  if (!r.ok() && r.status().reason() != api::Reason::kNotFound) return r.status();
  return api::Status::Ok();
}

void JobController::ExpectFinalizersRemoved(const std::string& key,
                                            const std::vector<std::string>& uids) {
  std::lock_guard<std::mutex> l(mu_);
  expected_removals_[key].insert(uids.begin(), uids.end());
}

void JobController::FinalizerRemovalObserved(const std::string& key, const std::string& uid) {
  std::lock_guard<std::mutex> l(mu_);
  auto it = expected_removals_.find(key);
  if (it == expected_removals_.end()) return;
  it->second.erase(uid);
  if (it->second.empty()) expected_removals_.erase(it);
}

std::set<std::string> JobController::ExpectedRemovals(const std::string& key) const {
  std::lock_guard<std::mutex> l(mu_);
  auto it = expected_removals_.find(key);
  return it == expected_removals_.end() ? std::set<std::string>() : it->second;
}

}  // namespace kc::controllers
