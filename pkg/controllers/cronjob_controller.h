// CronJobController: creates a Job for every scheduled time of a batch/v1 CronJob, as upstream's
// cronjob controller (ControllerV2, Kubernetes 1.32).
//
// A sync reads the CronJob and the Jobs it controls from the informer caches, reconciles
// status.active with them (finished and vanished Jobs leave it), records lastSuccessfulTime,
// deletes the oldest finished Jobs beyond successfulJobsHistoryLimit / failedJobsHistoryLimit,
// then, unless the CronJob is suspended or being deleted, finds the most recent unmet schedule
// time (spec.schedule in spec.timeZone, else the controller's default zone) and starts a Job
// "<cronjob>-<minutes since epoch>" for it, honouring startingDeadlineSeconds and
// concurrencyPolicy (Allow, Forbid: skip while one runs, Replace: delete the running ones
// first). The key is requeued for the next schedule time. An unparseable schedule or unknown
// time zone produces a Warning Event and no Jobs.
//
// Time comes from the injected clock (see JobWallClock), so tests need not wait for schedules.
//
// Thread-safety: Start/Stop from one thread; Sync may be called from any thread, but not twice
// at once for the same key (the work queue guarantees it).
#pragma once

#include <chrono>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "pkg/api/status.h"
#include "pkg/client/clock.h"
#include "pkg/client/informer_factory.h"
#include "pkg/client/work_queue.h"
#include "pkg/controllers/controller.h"
#include "pkg/controllers/controller_loop.h"
#include "pkg/controllers/cron_schedule.h"
#include "pkg/controllers/job_events.h"
#include "pkg/controllers/job_wall_clock.h"

namespace kc::controllers {

struct CronJobControllerOptions {
  // Retry delays of failed syncs (client-go's default rate limiter).
  std::chrono::milliseconds base_delay{5};
  std::chrono::milliseconds max_delay{1000 * 1000};
  client::Clock* clock = nullptr;  // nullptr: the real clocks
  // With a clock: the wall time at the clock's current moment (default: now).
  std::optional<std::chrono::system_clock::time_point> start_time;
  // The zone of schedules without spec.timeZone (upstream: the controller's local zone).
  // nullptr: CronTimeZone::Local().
  std::shared_ptr<const CronTimeZone> default_zone;
};

class CronJobController : public Controller {
 public:
  // `client` and `factory` must outlive the controller.
  CronJobController(client::Client& client, client::SharedInformerFactory& factory,
                    CronJobControllerOptions opts = {});
  ~CronJobController() override;

  const char* name() const override { return "cronjob"; }
  void Start(int workers) override;
  void Stop() override;
  // Waits until the Events recorded so far are written (tests).
  void FlushEvents() { events_.Flush(); }

  // One pass over the CronJob "ns/name": reconciles, maybe starts a Job, writes status and
  // requeues the key for the next schedule time.
  api::Status Sync(const std::string& key);

  bool Running() const { return loop_.Running(); }
  const JobWallClock& wall_clock() const { return wall_; }

 private:
  // What SyncCronJob decided.
  struct SyncResult {
    std::optional<std::chrono::milliseconds> requeue_after;
    bool update_status = false;
    api::Status err;
  };

  void OnCronJobUpdate(const client::ObjectPtr& old_cj, const client::ObjectPtr& cj);
  void OnJobAdd(const client::ObjectPtr& job);
  void OnJobUpdate(const client::ObjectPtr& old_job, const client::ObjectPtr& job);
  void OnJobDelete(const client::ObjectPtr& job);
  // "ns/name" of the cached CronJob controlling `job`, or "".
  std::string OwnerKey(const client::Object& job) const;

  // The schedule of `cj` (its time zone applied); records warning events when `record`.
  api::Result<CronSchedule> ScheduleOf(const client::Object& cj, bool record);
  bool CleanupFinishedJobs(client::Object& cj, const std::vector<client::ObjectPtr>& jobs);
  bool RemoveOldestJobs(client::Object& cj, std::vector<client::ObjectPtr> jobs, int64_t keep);
  // Deletes one Job (propagation Background) and drops it from status.active.
  bool DeleteJob(client::Object& cj, const client::Object& job);
  SyncResult SyncCronJob(client::Object& cj, const std::vector<client::ObjectPtr>& jobs);

  client::Client& client_;
  const CronJobControllerOptions opts_;
  const std::shared_ptr<const CronTimeZone> default_zone_;
  const JobWallClock wall_;
  JobEventRecorder events_;
  client::WorkQueue queue_;
  ControllerLoop loop_;
  client::SharedInformer* cronjob_informer_ = nullptr;
  client::SharedInformer* job_informer_ = nullptr;
  int cronjob_handler_ = 0;
  int job_handler_ = 0;
  bool registered_ = false;
};

}  // namespace kc::controllers
