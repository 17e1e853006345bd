// JobController::Sync and its steps, after upstream's syncJob, manageJob and
// trackJobStatusAndRemoveFinalizers.
#include <spdlog/spdlog.h>

#include <algorithm>
#include <map>

#include "pkg/api/json_path.h"
#include "pkg/api/time_util.h"
#include "pkg/controllers/job_controller.h"
#include "pkg/controllers/object_meta.h"

namespace kc::controllers {
namespace {

// upstream's MaxUncountedPods: bounds status.uncountedTerminatedPods.
constexpr size_t kMaxUncountedPods = 500;

const boost::json::object& Spec(const client::Object& job) {
  static const boost::json::object kEmpty;
  const boost::json::object* s = api::GetObject(job, "spec");
  return s ? *s : kEmpty;
}

std::optional<int64_t> OptInt(const boost::json::object& o, const char* key) {
  const boost::json::value* v = o.if_contains(key);
  if (!v) return std::nullopt;
  if (v->is_int64()) return v->get_int64();
  if (v->is_uint64()) return static_cast<int64_t>(v->get_uint64());
  return std::nullopt;
}

std::optional<int64_t> Completions(const client::Object& job) {
  return OptInt(Spec(job), "completions");
}
int64_t Parallelism(const client::Object& job) {
  return OptInt(Spec(job), "parallelism").value_or(1);
}
int64_t BackoffLimit(const client::Object& job) {
  return OptInt(Spec(job), "backoffLimit").value_or(6);
}
bool Suspended(const client::Object& job) {
  const boost::json::value* v = Spec(job).if_contains("suspend");
  return v && v->is_bool() && v->get_bool();
}
bool Indexed(const client::Object& job) {
  return api::GetString(Spec(job), "completionMode") == "Indexed" && Completions(job).has_value();
}
const boost::json::object* FailurePolicy(const client::Object& job) {
  return api::GetObject(Spec(job), "podFailurePolicy");
}
bool OnlyReplaceFailedPods(const client::Object& job) {
  return FailurePolicy(job) != nullptr ||
         api::GetString(Spec(job), "podReplacementPolicy") == "Failed";
}

boost::json::object& Status(client::Object& job) { return api::EnsureObject(job, "status"); }

// Counters with `omitempty` (active, succeeded, failed) vanish at zero.
void SetCount(boost::json::object& status, const char* key, int64_t v) {
  if (v == 0) {
    status.erase(key);
  } else {
    status[key] = v;
  }
}

std::vector<std::string> UidList(const boost::json::object& status, const char* which) {
  std::vector<std::string> out;
  const boost::json::value* v =
      api::Lookup(status, std::string("uncountedTerminatedPods.") + which);
  if (!v || !v->is_array()) return out;
  for (const boost::json::value& u : v->get_array()) {
    if (u.is_string()) out.emplace_back(u.get_string());
  }
  return out;
}

void SetUidList(boost::json::object& status, const char* which,
                const std::vector<std::string>& uids) {
  boost::json::object& u = api::EnsureObject(status, "uncountedTerminatedPods");
  if (uids.empty()) {
    u.erase(which);
    return;
  }
  boost::json::array a;
  for (const std::string& s : uids) a.emplace_back(s);
  u[which] = std::move(a);
}

// Moves uncounted uids whose pods lost their finalizer into the counters (upstream's
// cleanUncountedPodsWithoutFinalizers). True when the status changed.
bool CleanUncounted(boost::json::object& status, const std::set<std::string>& with_finalizer) {
  bool changed = false;
  for (const char* which : {"succeeded", "failed"}) {
    std::vector<std::string> all = UidList(status, which);
    std::vector<std::string> keep;
    for (const std::string& uid : all) {
      if (with_finalizer.count(uid)) keep.push_back(uid);
    }
    if (keep.size() == all.size()) continue;
    changed = true;
    SetCount(status, which,
             api::GetInt64(status, which) + static_cast<int64_t>(all.size() - keep.size()));
    SetUidList(status, which, keep);
  }
  return changed;
}

std::string Uid(const client::Object& o) { return client::ObjectMetaString(o, "uid"); }

std::optional<WallTime> StartTime(const client::Object& job) {
  const boost::json::value* v = api::Lookup(job, "status.startTime");
  if (!v || !v->is_string()) return std::nullopt;
  return api::ParseTime(v->get_string());
}

}  // namespace

api::Status JobController::Sync(const std::string& key) {
  api::Result<client::ObjectPtr> current = CurrentJob(key);
  if (!current.ok()) return current.status();
  client::ObjectPtr cached = *current;
  if (!cached) {
    expectations_.Delete(key);
    std::lock_guard<std::mutex> l(mu_);
    expected_removals_.erase(key);
    backoff_.erase(key);
    written_rv_.erase(key);
    return api::Status::Ok();
  }
  std::string managed_by = api::GetString(Spec(*cached), "managedBy");
  if (!managed_by.empty() && managed_by != "kubernetes.io/job-controller") {
    return api::Status::Ok();  // another controller runs this Job
  }
  if (IsJobFinished(*cached)) {
    {
      std::lock_guard<std::mutex> l(mu_);
      backoff_.erase(key);
    }
    return HandleTtl(*cached, key);
  }
  std::string mode = api::GetString(Spec(*cached), "completionMode");
  if (!mode.empty() && mode != "NonIndexed" && mode != "Indexed") {
    events_.Event(*cached, kEventWarning, "UnknownCompletionMode",
                  "Skipped Job sync because completion mode is unknown");
    return api::Status::Ok();
  }

  SyncContext ctx;
  ctx.key = key;
  ctx.job = *cached;
  api::EnsureObject(Status(ctx.job), "uncountedTerminatedPods");
  for (const std::string& u : UidList(Status(ctx.job), "succeeded")) {
    ctx.uncounted_succeeded.insert(u);
  }
  for (const std::string& u : UidList(Status(ctx.job), "failed")) ctx.uncounted_failed.insert(u);
  // Expectations first: a pod arriving after this check only defers the work to the next sync.
  bool satisfied = expectations_.Satisfied(key);
  api::Result<std::vector<client::ObjectPtr>> pods = PodsForJob(ctx.job);
  if (!pods.ok()) return pods.status();
  ctx.pods = std::move(*pods);
  for (const client::ObjectPtr& p : ctx.pods) {
    if (IsPodActive(*p)) ctx.active_pods.push_back(p);
    if (IsPodTerminating(*p)) ctx.terminating++;
  }
  ctx.expected_removals = ExpectedRemovals(key);
  const client::Object& job = ctx.job;
  const bool indexed = Indexed(job);
  const int64_t completions = Completions(job).value_or(0);
  int64_t active = static_cast<int64_t>(ctx.active_pods.size());

  // Finished pods not yet in the status (upstream's getNewFinishedPods).
  auto valid = [&](const client::Object& p, const std::set<std::string>& uncounted) {
    std::string uid = Uid(p);
    if (!HasJobTrackingFinalizer(p) || uncounted.count(uid) || ctx.expected_removals.count(uid)) {
      return false;
    }
    if (indexed) {
      int64_t ix = CompletionIndex(p);
      if (ix < 0 || ix >= completions) return false;
    }
    return true;
  };
  std::vector<client::ObjectPtr> new_succeeded, new_failed;
  for (const client::ObjectPtr& p : ctx.pods) {
    if (valid(*p, ctx.uncounted_succeeded) && PodPhase(*p) == "Succeeded") {
      new_succeeded.push_back(p);
    }
    if (valid(*p, ctx.uncounted_failed) && IsPodFailedForJob(*p, job)) new_failed.push_back(p);
  }
  int64_t non_ignored_failed = 0;
  for (const client::ObjectPtr& p : new_failed) {
    if (MatchPodFailurePolicy(FailurePolicy(job), *p).count_failed) non_ignored_failed++;
  }
  const boost::json::object& status0 = *api::GetObject(job, "status");
  ctx.succeeded = api::GetInt64(status0, "succeeded") +
                  static_cast<int64_t>(new_succeeded.size() + ctx.uncounted_succeeded.size());
  ctx.failed = api::GetInt64(status0, "failed") + non_ignored_failed +
               static_cast<int64_t>(ctx.uncounted_failed.size());
  for (const client::ObjectPtr& p : ctx.active_pods) {
    if (IsPodReady(*p)) ctx.ready++;
  }

  WallTime now = wall_.Now();
  const bool suspended = Suspended(job);
  if (!StartTime(job) && !suspended) Status(ctx.job)["startTime"] = api::FormatTime(now);
  {
    std::lock_guard<std::mutex> l(mu_);
    auto it = backoff_.find(key);
    ctx.new_backoff = NextBackoffRecord(it == backoff_.end() ? JobBackoffRecord{} : it->second,
                                        new_succeeded, new_failed);
  }

  // Is the Job heading to an end?
  if (const boost::json::object* scm = FindJobCondition(job, "SuccessCriteriaMet");
      scm && api::GetString(*scm, "status") == "True") {
    ctx.finished = *scm;
  }
  if (!ctx.finished) {
    const boost::json::object* ft = FindJobCondition(job, "FailureTarget");
    if (ft && api::GetString(*ft, "status") == "True") {
      ctx.finished = NewJobCondition("Failed", "True", api::GetString(*ft, "reason"),
                                     api::GetString(*ft, "message"), now);
    } else if (const boost::json::object* policy = FailurePolicy(job)) {
      for (const client::ObjectPtr& p : ctx.pods) {
        if (!IsPodFailedForJob(*p, job)) continue;
        PodFailurePolicyMatch m = MatchPodFailurePolicy(policy, *p);
        if (m.action == PodFailureAction::kFailJob) {
          ctx.finished =
              NewJobCondition("FailureTarget", "True", "PodFailurePolicy", m.fail_job_message, now);
          break;
        }
      }
    }
  }
  if (!ctx.finished) {
    bool past_restarts = false;
    if (api::Lookup(job, "spec.template.spec.restartPolicy") &&
        api::Lookup(job, "spec.template.spec.restartPolicy")->is_string() &&
        api::Lookup(job, "spec.template.spec.restartPolicy")->get_string() == "OnFailure") {
      int64_t restarts = ActivePodRestarts(ctx.pods);
      past_restarts = BackoffLimit(job) == 0 ? restarts > 0 : restarts >= BackoffLimit(job);
    }
    std::optional<int64_t> ads = OptInt(Spec(job), "activeDeadlineSeconds");
    std::optional<WallTime> start = StartTime(ctx.job);
    if (ctx.failed > BackoffLimit(job) || past_restarts) {
      ctx.finished = NewJobCondition("FailureTarget", "True", "BackoffLimitExceeded",
                                     "Job has reached the specified backoff limit", now);
    } else if (ads && start && !suspended && now - *start >= std::chrono::seconds(*ads)) {
      ctx.finished = NewJobCondition("FailureTarget", "True", "DeadlineExceeded",
                                     "Job was active longer than specified deadline", now);
    } else if (ads && start && !suspended) {
      queue_.AddAfter(key, std::chrono::duration_cast<client::Clock::Duration>(
                               std::chrono::seconds(*ads) - (now - *start)));
    }
  }
  if (indexed) {
    ctx.prev_succeeded_indexes =
        OrderedIndexes::Parse(api::GetString(status0, "completedIndexes"), completions);
    std::set<int64_t> fresh;
    for (const client::ObjectPtr& p : ctx.pods) {
      int64_t ix = CompletionIndex(*p);
      if (PodPhase(*p) == "Succeeded" && ix >= 0 && ix < completions &&
          HasJobTrackingFinalizer(*p)) {
        fresh.insert(ix);
      }
    }
    ctx.succeeded_indexes =
        ctx.prev_succeeded_indexes.With(std::vector<int64_t>(fresh.begin(), fresh.end()));
    ctx.succeeded = ctx.succeeded_indexes.Total();
  }

  bool suspend_changed = false;
  api::Status manage_err;
  if (ctx.finished) {
    // Failing (or met success criteria): remove what still runs, keeping finalizers so the
    // removed pods are counted.
    int64_t deleted_ready = 0;
    int64_t deleted = DeletePods(ctx, ctx.active_pods, false, false, &deleted_ready, &manage_err);
    if (deleted != active || !satisfied) ctx.finished.reset();
    active -= deleted;
    ctx.terminating += deleted;
    ctx.ready -= deleted_ready;
  } else {
    bool manage_called = false;
    if (satisfied && !IsDeleting(job)) {
      active = ManageJob(ctx, &manage_err);
      manage_called = true;
    }
    bool complete = Completions(job) ? ctx.succeeded >= completions && active == 0
                                     : ctx.succeeded > 0 && active == 0;
    if (complete) {
      ctx.finished = NewJobCondition("SuccessCriteriaMet", "True", "CompletionsReached",
                                     "Reached expected number of succeeded pods", now);
    } else if (manage_called) {
      boost::json::object& st = Status(ctx.job);
      boost::json::value& cv = st["conditions"];
      if (!cv.is_array()) cv = boost::json::array();
      if (suspended) {
        if (EnsureJobCondition(cv.get_array(), "Suspended", "True", "JobSuspended", "Job suspended",
                               now)) {
          suspend_changed = true;
          events_.Event(ctx.job, kEventNormal, "Suspended", "Job suspended");
        }
      } else if (EnsureJobCondition(cv.get_array(), "Suspended", "False", "JobResumed",
                                    "Job resumed", now)) {
        suspend_changed = true;
        events_.Event(ctx.job, kEventNormal, "Resumed", "Job resumed");
        // activeDeadlineSeconds counts continuous activity: a resumed Job starts again.
        st["startTime"] = api::FormatTime(now);
      }
      if (cv.get_array().empty()) st.erase("conditions");
    }
  }

  boost::json::object& st = Status(ctx.job);
  bool needs_update = suspend_changed || active != api::GetInt64(st, "active") ||
                      ctx.ready != api::GetInt64(st, "ready", -1) ||
                      ctx.terminating != api::GetInt64(st, "terminating", -1);
  SetCount(st, "active", active);
  st["ready"] = ctx.ready;
  st["terminating"] = ctx.terminating;
  api::Status track = TrackStatusAndRemoveFinalizers(ctx, needs_update);
  if (!track.ok()) return track;
  return manage_err;
}

int64_t JobController::ManageJob(SyncContext& ctx, api::Status* err) {
  const client::Object& job = ctx.job;
  int64_t active = static_cast<int64_t>(ctx.active_pods.size());
  if (Suspended(job)) {
    int64_t removed_ready = 0;
    int64_t removed =
        DeletePods(ctx, ActivePodsForRemoval(ctx, active), true, true, &removed_ready, err);
    ctx.terminating += removed;
    ctx.ready -= removed_ready;
    return active - removed;
  }
  int64_t want = 0;
  std::optional<int64_t> completions = Completions(job);
  if (!completions) {
    // Work queue: keep parallelism pods until one succeeded, then let the rest finish.
    want = ctx.succeeded > 0 ? active : Parallelism(job);
  } else {
    want = std::clamp<int64_t>(*completions - ctx.succeeded, 0, Parallelism(job));
  }
  std::vector<client::ObjectPtr> to_delete =
      ActivePodsForRemoval(ctx, std::max<int64_t>(0, active - want));
  if (to_delete.size() > static_cast<size_t>(opts_.burst)) {
    to_delete.resize(static_cast<size_t>(opts_.burst));
  }
  if (!to_delete.empty()) {
    // One kind of change per sync; deletions first.
    int64_t removed_ready = 0;
    int64_t removed = DeletePods(ctx, to_delete, true, true, &removed_ready, err);
    ctx.terminating += removed;
    ctx.ready -= removed_ready;
    return active - removed;
  }
  int64_t terminating = OnlyReplaceFailedPods(job) ? ctx.terminating : 0;
  int64_t diff = want - terminating - active;
  if (diff <= 0) return active;
  std::chrono::milliseconds wait = RemainingBackoff(
      ctx.new_backoff, wall_.Now(), opts_.pod_failure_backoff, opts_.max_pod_failure_backoff);
  if (wait.count() > 0) {
    queue_.AddAfter(ctx.key, wait);
    return active;
  }
  diff = std::min<int64_t>(diff, opts_.burst);
  std::vector<int64_t> indexes;
  if (Indexed(job)) {
    indexes = FirstPendingIndexes(ctx, diff);
    diff = static_cast<int64_t>(indexes.size());
    if (diff == 0) return active;
  }
  *err = CreatePods(ctx, diff, indexes, &active);
  return active;
}

std::vector<client::ObjectPtr> JobController::ActivePodsForRemoval(const SyncContext& ctx,
                                                                   int64_t rm_at_least) const {
  std::vector<client::ObjectPtr> rm, left;
  if (Indexed(ctx.job)) {
    // Pods without a valid index, and all but one pod of a repeated index, go first.
    int64_t completions = *Completions(ctx.job);
    std::map<int64_t, std::vector<client::ObjectPtr>> by_index;
    for (const client::ObjectPtr& p : ctx.active_pods) {
      int64_t ix = CompletionIndex(*p);
      if (ix < 0 || ix >= completions) {
        rm.push_back(p);
      } else {
        by_index[ix].push_back(p);
      }
    }
    for (auto& [ix, group] : by_index) {
      SortForDeletion(group);
      rm.insert(rm.end(), group.begin(), group.end() - 1);
      left.push_back(group.back());
    }
  } else {
    left = ctx.active_pods;
  }
  if (static_cast<int64_t>(rm.size()) < rm_at_least) {
    SortForDeletion(left);
    size_t n = std::min(left.size(), static_cast<size_t>(rm_at_least) - rm.size());
    rm.insert(rm.end(), left.begin(), left.begin() + static_cast<std::ptrdiff_t>(n));
  }
  return rm;
}

std::vector<int64_t> JobController::FirstPendingIndexes(const SyncContext& ctx,
                                                        int64_t count) const {
  int64_t completions = *Completions(ctx.job);
  std::set<int64_t> busy;
  for (const client::ObjectPtr& p : ctx.active_pods) busy.insert(CompletionIndex(*p));
  if (OnlyReplaceFailedPods(ctx.job)) {
    for (const client::ObjectPtr& p : ctx.pods) {
      if (IsPodTerminating(*p)) busy.insert(CompletionIndex(*p));
    }
  }
  std::vector<int64_t> out;
  for (int64_t ix = 0; ix < completions && static_cast<int64_t>(out.size()) < count; ++ix) {
    if (!busy.count(ix) && !ctx.succeeded_indexes.Has(ix)) out.push_back(ix);
  }
  return out;
}

api::Status JobController::TrackStatusAndRemoveFinalizers(SyncContext& ctx, bool needs_flush) {
  const bool indexed = Indexed(ctx.job);
  const int64_t completions = Completions(ctx.job).value_or(0);
  std::vector<client::ObjectPtr> pods = ctx.pods;
  if (indexed) {
    std::stable_sort(pods.begin(), pods.end(),
                     [](const client::ObjectPtr& a, const client::ObjectPtr& b) {
                       return CompletionIndex(*a) < CompletionIndex(*b);
                     });
  }
  std::set<std::string> with_finalizer;
  for (const client::ObjectPtr& p : pods) {
    if (HasJobTrackingFinalizer(*p) && !ctx.expected_removals.count(Uid(*p))) {
      with_finalizer.insert(Uid(*p));
    }
  }
  if (CleanUncounted(Status(ctx.job), with_finalizer)) needs_flush = true;

  std::vector<std::string> uncounted_succeeded = UidList(Status(ctx.job), "succeeded");
  std::vector<std::string> uncounted_failed = UidList(Status(ctx.job), "failed");
  std::vector<client::ObjectPtr> remove_from;
  std::vector<int64_t> new_indexes;
  bool reached_max = false;
  bool job_failing = ctx.finished && api::GetString(*ctx.finished, "type") != "SuccessCriteriaMet";
  for (const client::ObjectPtr& p : pods) {
    std::string uid = Uid(*p);
    if (!HasJobTrackingFinalizer(*p) || ctx.expected_removals.count(uid)) continue;
    bool failed = IsPodFailedForJob(*p, ctx.job);
    bool succeeded = PodPhase(*p) == "Succeeded";
    // The finalizer may go once the pod's outcome is known or the Job is ending.
    if (!(IsDeleting(ctx.job) || ctx.finished || succeeded || failed)) continue;
    remove_from.push_back(p);
    if (succeeded && !ctx.uncounted_failed.count(uid)) {
      if (indexed) {
        int64_t ix = CompletionIndex(*p);
        if (ix >= 0 && ix < completions && !ctx.prev_succeeded_indexes.Has(ix)) {
          new_indexes.push_back(ix);
          needs_flush = true;
        }
      } else if (!ctx.uncounted_succeeded.count(uid)) {
        uncounted_succeeded.push_back(uid);
        needs_flush = true;
      }
    } else if (failed || job_failing) {
      // When the Job is failing, every pod not succeeded counts as failed.
      int64_t ix = CompletionIndex(*p);
      if (!ctx.uncounted_failed.count(uid) && (!indexed || (ix >= 0 && ix < completions))) {
        if (MatchPodFailurePolicy(FailurePolicy(ctx.job), *p).count_failed) {
          uncounted_failed.push_back(uid);
          needs_flush = true;
        }
      }
    }
    if (new_indexes.size() + uncounted_succeeded.size() + uncounted_failed.size() >=
        kMaxUncountedPods) {
      reached_max = true;  // the rest waits for the next sync
      break;
    }
  }
  boost::json::object& st = Status(ctx.job);
  SetUidList(st, "succeeded", uncounted_succeeded);
  SetUidList(st, "failed", uncounted_failed);
  if (indexed) {
    std::sort(new_indexes.begin(), new_indexes.end());
    ctx.succeeded_indexes = ctx.succeeded_indexes.With(new_indexes);
    std::string s = ctx.succeeded_indexes.ToString();
    if (s != api::GetString(st, "completedIndexes")) needs_flush = true;
    SetCount(st, "succeeded", ctx.succeeded_indexes.Total());
    if (s.empty()) {
      st.erase("completedIndexes");
    } else {
      st["completedIndexes"] = s;
    }
  }
  WallTime now = wall_.Now();
  if (ctx.finished) {
    std::string type = api::GetString(*ctx.finished, "type");
    std::string reason = api::GetString(*ctx.finished, "reason");
    std::string message = api::GetString(*ctx.finished, "message");
    boost::json::value& cv = st["conditions"];
    if (!cv.is_array()) cv = boost::json::array();
    if (type == "FailureTarget") {
      // Record the interim condition (and its message) before the finalizers go.
      cv.get_array().push_back(*ctx.finished);
      needs_flush = true;
      ctx.finished = NewJobCondition("Failed", "True", reason, message, now);
    } else if (type == "SuccessCriteriaMet") {
      if (!IsJobConditionTrue(ctx.job, "SuccessCriteriaMet")) {
        cv.get_array().push_back(*ctx.finished);
        needs_flush = true;
      }
      ctx.finished = NewJobCondition("Complete", "True", reason, message, now);
    }
    if (cv.get_array().empty()) st.erase("conditions");
  }

  // Flush the uncounted pods, then remove the finalizers, then count them.
  if (needs_flush) {
    api::Status s = UpdateStatus(ctx.job);
    if (!s.ok()) return api::Status(s.reason(), "adding uncounted pods to status: " + s.message());
    std::lock_guard<std::mutex> l(mu_);
    backoff_[ctx.key] = ctx.new_backoff;
    needs_flush = false;
  }
  api::Status rm_err;
  if (!remove_from.empty()) {
    std::vector<std::string> uids;
    for (const client::ObjectPtr& p : remove_from) uids.push_back(Uid(*p));
    ExpectFinalizersRemoved(ctx.key, uids);
    for (const client::ObjectPtr& p : remove_from) {
      api::Status s = RemoveTrackingFinalizer(*p);
      if (s.ok()) {
        with_finalizer.erase(Uid(*p));
      } else {
        FinalizerRemovalObserved(ctx.key, Uid(*p));
        if (rm_err.ok()) rm_err = s;
      }
    }
  }
  if (CleanUncounted(Status(ctx.job), with_finalizer)) needs_flush = true;
  if (!rm_err.ok()) {
    if (needs_flush) {
      api::Status s = UpdateStatus(ctx.job);
      if (!s.ok()) return s;
    }
    return api::Status(rm_err.reason(), "removing tracking finalizer: " + rm_err.message());
  }
  bool job_finished = !reached_max && EnactJobFinished(ctx);
  if (job_finished) needs_flush = true;
  if (needs_flush) {
    api::Status s = UpdateStatus(ctx.job);
    if (!s.ok()) {
      return api::Status(s.reason(), "removing uncounted pods from status: " + s.message());
    }
    if (job_finished) {
      std::string type = api::GetString(*ctx.finished, "type");
      if (type == "Complete") {
        std::optional<int64_t> completions_opt = Completions(ctx.job);
        if (completions_opt &&
            api::GetInt64(*api::GetObject(ctx.job, "status"), "succeeded") > *completions_opt) {
          events_.Event(ctx.job, kEventWarning, "TooManySucceededPods",
                        "Too many succeeded pods running after completion count reached");
        }
        events_.Event(ctx.job, kEventNormal, "Completed", "Job completed");
      } else {
        events_.Event(ctx.job, kEventWarning, api::GetString(*ctx.finished, "reason"),
                      api::GetString(*ctx.finished, "message"));
      }
    }
  }
  return api::Status::Ok();
}

bool JobController::EnactJobFinished(SyncContext& ctx) {
  if (!ctx.finished) return false;
  boost::json::object& st = Status(ctx.job);
  if (!UidList(st, "succeeded").empty() || !UidList(st, "failed").empty()) return false;
  if (ctx.terminating > 0) return false;  // the terminal condition waits for them
  WallTime now = wall_.Now();
  boost::json::value& cv = st["conditions"];
  if (!cv.is_array()) cv = boost::json::array();
  std::string type = api::GetString(*ctx.finished, "type");
  EnsureJobCondition(cv.get_array(), type, "True", api::GetString(*ctx.finished, "reason"),
                     api::GetString(*ctx.finished, "message"), now);
  if (type == "Complete") st["completionTime"] = api::FormatTime(now);
  return true;
}

}  // namespace kc::controllers
