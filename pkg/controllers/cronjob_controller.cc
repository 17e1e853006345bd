#include "pkg/controllers/cronjob_controller.h"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <set>

#include "pkg/api/json_path.h"
#include "pkg/api/time_util.h"
#include "pkg/client/indexer.h"
#include "pkg/controllers/controller_utils.h"
#include "pkg/controllers/cronjob_utils.h"
#include "pkg/controllers/job_utils.h"
#include "pkg/controllers/object_meta.h"

namespace kc::controllers {
namespace {

const client::ResourceRef kCronJobs{"batch", "v1", "cronjobs"};
const client::ResourceRef kJobs{"batch", "v1", "jobs"};

const boost::json::object& Spec(const client::Object& cj) {
  static const boost::json::object kEmpty;
  const boost::json::object* s = api::GetObject(cj, "spec");
  return s ? *s : kEmpty;
}

// spec.timeZone when set (a null or missing field is unset).
std::optional<std::string> TimeZoneOf(const client::Object& cj) {
  const boost::json::value* tz = Spec(cj).if_contains("timeZone");
  if (!tz || !tz->is_string()) return std::nullopt;
  return std::string(tz->get_string());
}

std::optional<int64_t> OptInt(const boost::json::object& o, const char* key) {
  const boost::json::value* v = o.if_contains(key);
  if (!v || !v->is_int64()) return std::nullopt;
  return v->get_int64();
}

std::optional<CronTime> TimeAt(const boost::json::object& o, const char* key) {
  std::string s = api::GetString(o, key);
  if (s.empty()) return std::nullopt;
  return api::ParseTime(s);
}

bool ControlledBy(const client::Object& job, const client::Object& cj) {
  std::optional<OwnerRef> ref = ControllerOf(job);
  return ref && ref->uid == client::ObjectMetaString(cj, "uid");
}

}  // namespace

CronJobController::CronJobController(client::Client& client, client::SharedInformerFactory& factory,
                                     CronJobControllerOptions opts)
    : client_(client),
      opts_(opts),
      default_zone_(opts.default_zone ? opts.default_zone : CronTimeZone::Local()),
      wall_(opts.clock, opts.start_time),
      events_(client, opts.clock, "cronjob-controller", "batch/v1", "CronJob"),
      queue_(QueueOptionsFrom(opts)),
      loop_("cronjob", queue_, [this](const std::string& key) { return Sync(key); }) {
  cronjob_informer_ = factory.ForResource(kCronJobs);
  job_informer_ = factory.ForResource(kJobs);
  client::EventHandler ch;
  ch.on_add = [this](const client::ObjectPtr& o) { queue_.Add(client::ObjectKey(*o)); };
  ch.on_update = [this](const client::ObjectPtr& a, const client::ObjectPtr& b) {
    OnCronJobUpdate(a, b);
  };
  ch.on_delete = [this](const client::ObjectPtr& o) { queue_.Add(client::ObjectKey(*o)); };
  cronjob_handler_ = cronjob_informer_->AddEventHandler(std::move(ch));
  client::EventHandler jh;
  jh.on_add = [this](const client::ObjectPtr& o) { OnJobAdd(o); };
  jh.on_update = [this](const client::ObjectPtr& a, const client::ObjectPtr& b) {
    OnJobUpdate(a, b);
  };
  jh.on_delete = [this](const client::ObjectPtr& o) { OnJobDelete(o); };
  job_handler_ = job_informer_->AddEventHandler(std::move(jh));
  registered_ = true;
}

CronJobController::~CronJobController() { Stop(); }

void CronJobController::Start(int workers) {
  loop_.Start({cronjob_informer_, job_informer_}, workers);
}

void CronJobController::Stop() {
  if (registered_) {
    cronjob_informer_->RemoveEventHandler(cronjob_handler_);
    job_informer_->RemoveEventHandler(job_handler_);
    registered_ = false;
  }
  loop_.Stop();
  events_.Stop();
}

void CronJobController::OnCronJobUpdate(const client::ObjectPtr& old_cj,
                                        const client::ObjectPtr& cj) {
  std::string key = client::ObjectKey(*cj);
  bool schedule_changed =
      api::GetString(Spec(*old_cj), "schedule") != api::GetString(Spec(*cj), "schedule") ||
      TimeZoneOf(*old_cj) != TimeZoneOf(*cj);
  if (!schedule_changed) {
    queue_.Add(key);
    return;
  }
  // A new schedule takes effect from its next time, not for times already past.
  api::Result<CronSchedule> sched = ScheduleOf(*cj, false);
  if (!sched.ok()) {
    events_.Event(*cj, kEventWarning, "UnParseableCronJobSchedule",
                  "unparseable schedule for cronjob: " + api::GetString(Spec(*cj), "schedule"));
    return;
  }
  std::optional<std::chrono::milliseconds> d = NextScheduleDelay(*cj, wall_.Now(), *sched);
  if (d) queue_.AddAfter(key, *d);
}

std::string CronJobController::OwnerKey(const client::Object& job) const {
  std::optional<OwnerRef> ref = ControllerOf(job);
  if (!ref || ref->kind != "CronJob") return "";
  std::string ns = client::ObjectMetaString(job, "namespace");
  client::ObjectPtr cj = cronjob_informer_->Get(ns, ref->name);
  if (!cj || client::ObjectMetaString(*cj, "uid") != ref->uid) return "";
  return ns + "/" + ref->name;
}

void CronJobController::OnJobAdd(const client::ObjectPtr& job) {
  std::string key = OwnerKey(*job);
  if (!key.empty()) queue_.Add(key);
}

void CronJobController::OnJobUpdate(const client::ObjectPtr& old_job,
                                    const client::ObjectPtr& job) {
  if (client::ObjectMetaString(*old_job, "resourceVersion") ==
      client::ObjectMetaString(*job, "resourceVersion")) {
    return;
  }
  std::string old_key = OwnerKey(*old_job);
  std::string key = OwnerKey(*job);
  if (!old_key.empty() && old_key != key) queue_.Add(old_key);
  if (!key.empty()) queue_.Add(key);
}

void CronJobController::OnJobDelete(const client::ObjectPtr& job) { OnJobAdd(job); }

api::Result<CronSchedule> CronJobController::ScheduleOf(const client::Object& cj, bool record) {
  std::string schedule = api::GetString(Spec(cj), "schedule");
  if (schedule.find("TZ") != std::string::npos) {
    if (record) {
      events_.Event(cj, kEventWarning, "UnsupportedSchedule",
                    "CRON_TZ or TZ used in schedule " + GoQuote(schedule) +
                        " is not officially supported, see "
                        "https://kubernetes.io/docs/concepts/workloads/controllers/cron-jobs/ for "
                        "more details");
    }
    return CronSchedule::Parse(schedule, default_zone_);
  }
  if (std::optional<std::string> tz = TimeZoneOf(cj)) {
    api::Result<std::shared_ptr<const CronTimeZone>> zone = CronTimeZone::Load(*tz);
    if (zone.ok()) return CronSchedule::Parse(schedule, *zone);
  }
  return CronSchedule::Parse(schedule, default_zone_);
}

api::Status CronJobController::Sync(const std::string& key) {
  client::ObjectPtr cached = cronjob_informer_->Get(key);
  if (!cached) return api::Status::Ok();
  std::vector<client::ObjectPtr> jobs;
  for (const client::ObjectPtr& j : job_informer_->ByIndex(
           client::kNamespaceIndex, client::ObjectMetaString(*cached, "namespace"))) {
    std::optional<OwnerRef> ref = ControllerOf(*j);
    if (ref && ref->kind == "CronJob" && ref->uid == client::ObjectMetaString(*cached, "uid")) {
      jobs.push_back(j);
    }
  }
  client::Object cj = *cached;
  bool cleaned = CleanupFinishedJobs(cj, jobs);
  SyncResult r = SyncCronJob(cj, jobs);
  if (cleaned || r.update_status) {
    client::WriteOptions w;
    w.subresource = "status";
    api::Result<client::Object> u =
        client_.Update(kCronJobs, client::ObjectMetaString(cj, "namespace"), cj, w);
    if (!u.ok() && !IsNotFound(u.status())) return u.status();
  }
  if (r.requeue_after) {
    queue_.AddAfter(key, *r.requeue_after);
    return api::Status::Ok();
  }
  return r.err;
}

bool CronJobController::CleanupFinishedJobs(client::Object& cj,
                                            const std::vector<client::ObjectPtr>& jobs) {
  std::optional<int64_t> keep_ok = OptInt(Spec(cj), "successfulJobsHistoryLimit");
  std::optional<int64_t> keep_failed = OptInt(Spec(cj), "failedJobsHistoryLimit");
  if (!keep_ok && !keep_failed) return false;
  std::vector<client::ObjectPtr> succeeded, failed;
  for (const client::ObjectPtr& j : jobs) {
    std::string type = JobFinishedType(*j);
    if (type == "Complete") succeeded.push_back(j);
    if (type == "Failed") failed.push_back(j);
  }
  bool update = false;
  if (keep_ok && RemoveOldestJobs(cj, succeeded, *keep_ok)) update = true;
  if (keep_failed && RemoveOldestJobs(cj, failed, *keep_failed)) update = true;
  return update;
}

bool CronJobController::RemoveOldestJobs(client::Object& cj, std::vector<client::ObjectPtr> jobs,
                                         int64_t keep) {
  int64_t n = static_cast<int64_t>(jobs.size()) - keep;
  if (n <= 0) return false;
  // Oldest start first; Jobs that never started last; ties by name.
  std::stable_sort(
      jobs.begin(), jobs.end(), [](const client::ObjectPtr& a, const client::ObjectPtr& b) {
        const boost::json::object* sa = api::GetObject(*a, "status");
        const boost::json::object* sb = api::GetObject(*b, "status");
        std::optional<CronTime> ta = sa ? TimeAt(*sa, "startTime") : std::nullopt;
        std::optional<CronTime> tb = sb ? TimeAt(*sb, "startTime") : std::nullopt;
        if (!ta != !tb) return ta.has_value();
        if (ta && tb && *ta != *tb) return *ta < *tb;
        return client::ObjectMetaString(*a, "name") < client::ObjectMetaString(*b, "name");
      });
  bool update = false;
  for (int64_t i = 0; i < n; ++i) {
    if (DeleteJob(cj, *jobs[static_cast<size_t>(i)])) update = true;
  }
  return update;
}

bool CronJobController::DeleteJob(client::Object& cj, const client::Object& job) {
  client::DeleteOptions del;
  del.propagation_policy = "Background";
  std::string name = client::ObjectMetaString(job, "name");
  api::Result<client::Object> r =
      client_.Delete(kJobs, client::ObjectMetaString(job, "namespace"), name, del);
  if (!r.ok() && !IsNotFound(r.status())) {
    events_.Event(cj, kEventWarning, "FailedDelete", "Deleted job: " + r.status().message());
    spdlog::warn("cronjob controller: deleting job {}: {}", name, r.status().message());
    return false;
  }
  DeleteFromActiveList(api::EnsureObject(cj, "status"), client::ObjectMetaString(job, "uid"));
  events_.Event(cj, kEventNormal, "SuccessfulDelete", "Deleted job " + name);
  return true;
}

CronJobController::SyncResult CronJobController::SyncCronJob(
    client::Object& cj, const std::vector<client::ObjectPtr>& jobs) {
  SyncResult res;
  CronTime now = wall_.Now();
  std::string ns = client::ObjectMetaString(cj, "namespace");
  std::string cj_name = client::ObjectMetaString(cj, "name");

  // Reconcile status.active with the Jobs this CronJob controls.
  std::set<std::string> children;
  for (const client::ObjectPtr& j : jobs) {
    std::string uid = client::ObjectMetaString(*j, "uid");
    std::string job_name = client::ObjectMetaString(*j, "name");
    children.insert(uid);
    bool found = InActiveList(api::EnsureObject(cj, "status"), uid);
    std::string finished = JobFinishedType(*j);
    if (!found && finished.empty()) {
      // Maybe our cache is behind our own status update: check the stored CronJob.
      api::Result<client::Object> fresh = client_.Get(kCronJobs, ns, cj_name);
      if (!fresh.ok()) {
        res.err = fresh.status();
        return res;
      }
      if (const boost::json::object* fs = api::GetObject(*fresh, "status");
          fs && InActiveList(*fs, uid)) {
        cj = std::move(*fresh);
        continue;
      }
      events_.Event(cj, kEventWarning, "UnexpectedJob",
                    "Saw a job that the controller did not create or forgot: " + job_name);
    } else if (found && !finished.empty()) {
      DeleteFromActiveList(api::EnsureObject(cj, "status"), uid);
      events_.Event(cj, kEventNormal, "SawCompletedJob",
                    "Saw completed job: " + job_name + ", condition: " + finished);
      res.update_status = true;
    } else if (finished == "Complete") {
      boost::json::object& st = api::EnsureObject(cj, "status");
      const boost::json::object* js = api::GetObject(*j, "status");
      std::optional<CronTime> completed = js ? TimeAt(*js, "completionTime") : std::nullopt;
      std::optional<CronTime> last = TimeAt(st, "lastSuccessfulTime");
      if (completed && (!last || *completed > *last)) {
        st["lastSuccessfulTime"] = api::FormatTime(*completed);
        res.update_status = true;
      }
    }
  }
  // Active Jobs that vanished: confirm with the API server, then forget them.
  boost::json::array active_copy;
  if (const boost::json::array* a = api::GetArray(api::EnsureObject(cj, "status"), "active")) {
    active_copy = *a;
  }
  for (const boost::json::value& ref : active_copy) {
    if (!ref.is_object()) continue;
    std::string uid = api::GetString(ref.get_object(), "uid");
    if (children.count(uid)) continue;
    std::string name = api::GetString(ref.get_object(), "name");
    api::Result<client::Object> got = client_.Get(kJobs, ns, name);
    if (got.ok()) continue;  // the cache is behind
    if (!IsNotFound(got.status())) {
      res.err = got.status();
      return res;
    }
    events_.Event(cj, kEventNormal, "MissingJob", "Active job went missing: " + name);
    DeleteFromActiveList(api::EnsureObject(cj, "status"), uid);
    res.update_status = true;
  }

  if (IsDeleting(cj)) return res;  // only status while being deleted
  if (std::optional<std::string> tz = TimeZoneOf(cj)) {
    api::Result<std::shared_ptr<const CronTimeZone>> zone = CronTimeZone::Load(*tz);
    if (!zone.ok()) {
      events_.Event(cj, kEventWarning, "UnknownTimeZone",
                    "invalid timeZone: " + GoQuote(*tz) + ": " + zone.status().message());
      return res;
    }
  }
  const boost::json::value* suspend = Spec(cj).if_contains("suspend");
  if (suspend && suspend->is_bool() && suspend->get_bool()) return res;

  std::string schedule_text = api::GetString(Spec(cj), "schedule");
  api::Result<CronSchedule> sched = ScheduleOf(cj, true);
  if (!sched.ok()) {
    events_.Event(
        cj, kEventWarning, "UnparseableSchedule",
        "unparseable schedule: " + GoQuote(schedule_text) + " : " + sched.status().message());
    return res;
  }
  ScheduleCheck check = MostRecentScheduleTime(cj, now, *sched, true);
  if (!check.most_recent || *check.most_recent > now) {
    if (!check.error.empty()) {
      events_.Event(cj, kEventWarning, "InvalidSchedule",
                    "invalid schedule: " + schedule_text + " : " + check.error);
      return res;
    }
    // Nothing due (e.g. the first sync after a restart): look again at the next time.
    res.requeue_after = NextScheduleDelay(cj, now, *sched);
    return res;
  }
  if (check.missed == MissedSchedules::kMany) {
    events_.Event(cj, kEventWarning, "TooManyMissedTimes",
                  "too many missed start times. Set or decrease .spec.startingDeadlineSeconds "
                  "or check clock skew");
  }
  CronTime scheduled = *check.most_recent;
  std::optional<int64_t> deadline = OptInt(Spec(cj), "startingDeadlineSeconds");
  if (deadline && scheduled + std::chrono::seconds(*deadline) < now) {
    events_.Event(cj, kEventWarning, "MissSchedule",
                  "Missed scheduled time to start a job: " + FormatRfc1123z(scheduled));
    res.requeue_after = NextScheduleDelay(cj, now, *sched);
    return res;
  }
  boost::json::object& status = api::EnsureObject(cj, "status");
  std::optional<CronTime> last = TimeAt(status, "lastScheduleTime");
  if (InActiveListByName(status, CronJobJobName(cj_name, scheduled)) ||
      (last && *last == scheduled)) {
    res.requeue_after = NextScheduleDelay(cj, now, *sched);
    return res;
  }
  std::string policy = api::GetString(Spec(cj), "concurrencyPolicy");
  const boost::json::array* active = api::GetArray(status, "active");
  if (policy == "Forbid" && active && !active->empty()) {
    events_.Event(cj, kEventNormal, "JobAlreadyActive",
                  "Not starting job because prior execution is running and concurrency policy "
                  "is Forbid");
    res.requeue_after = NextScheduleDelay(cj, now, *sched);
    return res;
  }
  if (policy == "Replace" && active) {
    boost::json::array running = *active;
    for (const boost::json::value& ref : running) {
      if (!ref.is_object()) continue;
      std::string name = api::GetString(ref.get_object(), "name");
      api::Result<client::Object> job =
          client_.Get(kJobs, api::GetString(ref.get_object(), "namespace"), name);
      if (!job.ok()) {
        events_.Event(cj, kEventWarning, "FailedGet", "Get job: " + job.status().message());
        res.err = job.status();
        return res;
      }
      if (!DeleteJob(cj, *job)) {
        res.err = api::Status::Internal("could not replace job " + ns + "/" + name);
        return res;
      }
      res.update_status = true;
    }
  }

  std::shared_ptr<const CronTimeZone> zone = CronTimeZone::Utc();
  if (std::optional<std::string> tz = TimeZoneOf(cj)) {
    if (api::Result<std::shared_ptr<const CronTimeZone>> z = CronTimeZone::Load(*tz); z.ok()) {
      zone = *z;
    }
  }
  client::Object request = JobFromTemplate(cj, scheduled, *zone);
  std::string job_name = client::ObjectMetaString(request, "name");
  api::Result<client::Object> created = client_.Create(kJobs, ns, request);
  client::Object job;
  if (created.ok()) {
    job = std::move(*created);
    events_.Event(cj, kEventNormal, "SuccessfulCreate", "Created job " + job_name);
  } else if (created.status().reason() == api::Reason::kAlreadyExists) {
    // Created before but not recorded in status (or by someone else).
    api::Result<client::Object> existing = client_.Get(kJobs, ns, job_name);
    if (!existing.ok()) {
      res.err = existing.status();
      return res;
    }
    if (!ControlledBy(*existing, cj)) return res;
    if (InActiveList(api::EnsureObject(cj, "status"), client::ObjectMetaString(*existing, "uid"))) {
      return res;
    }
    spdlog::info("cronjob controller: {}/{}: job {} already exists", ns, cj_name, job_name);
    job = std::move(*existing);
  } else {
    events_.Event(cj, kEventWarning, "FailedCreate",
                  "Error creating job: " + created.status().message());
    res.err = created.status();
    return res;
  }
  boost::json::object& st = api::EnsureObject(cj, "status");
  boost::json::value& list = st["active"];
  if (!list.is_array()) list = boost::json::array();
  list.get_array().push_back(JobReference(job));
  st["lastScheduleTime"] = api::FormatTime(scheduled);
  res.update_status = true;
  res.requeue_after = NextScheduleDelay(cj, now, *sched);
  return res;
}

}  // namespace kc::controllers
