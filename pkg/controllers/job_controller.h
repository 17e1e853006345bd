// JobController: runs batch/v1 Jobs to completion, as upstream's job controller (Kubernetes
// 1.32, with JobPodReplacementPolicy, JobSuccessPolicy and PodIndexLabel on), plus the
// ttlSecondsAfterFinished clean-up upstream does in its separate ttl-after-finished controller.
//
// A sync claims the Job's pods (adopting matching orphans, releasing pods that stopped matching),
// creates pods from spec.template up to parallelism / remaining completions (slow-start batches,
// exponential back-off after failed pods: 10s, 20s, ... capped), deletes surplus pods and all of
// a suspended Job's pods, and keeps status: active, ready, terminating, succeeded, failed,
// startTime, completedIndexes and the conditions kubectl reads (Suspended; SuccessCriteriaMet
// then Complete; FailureTarget then Failed with reason BackoffLimitExceeded, DeadlineExceeded or
// PodFailurePolicy).
//
// Pods are tracked with the `batch.kubernetes.io/job-tracking` finalizer, as upstream: a finished
// pod is first recorded in status.uncountedTerminatedPods, then its finalizer is removed, then
// it is moved into the succeeded/failed counters. So a pod deleted (by a user or the garbage
// collector) before the controller saw it finish is still counted exactly once. Pods whose Job
// is gone or finished get the finalizer removed by a second queue of orphan pods.
//
// Indexed Jobs get one pod per pending completion index: annotation and label
// batch.kubernetes.io/job-completion-index, env JOB_COMPLETION_INDEX (from that label),
// hostname "<job>-<index>" and generateName "<job>-<index>-".
//
// Thread-safety: Start/Stop from one thread; Sync and SyncOrphanPod may be called from any
// thread, but not twice at once for the same key (the work queues guarantee it).
#pragma once

#include <chrono>
#include <map>
#include <mutex>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "pkg/api/status.h"
#include "pkg/client/clock.h"
#include "pkg/client/informer_factory.h"
#include "pkg/client/work_queue.h"
#include "pkg/controllers/controller.h"
#include "pkg/controllers/controller_loop.h"
#include "pkg/controllers/controller_utils.h"
#include "pkg/controllers/job_events.h"
#include "pkg/controllers/job_utils.h"
#include "pkg/controllers/job_wall_clock.h"

namespace kc::controllers {

// Tuning for tests and the manager; the defaults are upstream's.
struct JobControllerOptions {
  int burst = 500;  // most pod creations/deletions per sync (MaxPodCreateDeletePerSync)
  // Pod events are batched into one sync per Job per period (syncJobBatchPeriod).
  std::chrono::milliseconds sync_batch_period{1000};
  // Back-off of failing pods: base * 2^(failures-1), capped (upstream's code caps at 10 min;
  // the docs say 6).
  std::chrono::milliseconds pod_failure_backoff{10 * 1000};
  std::chrono::milliseconds max_pod_failure_backoff{10 * 60 * 1000};
  // Retry delays of failed syncs (DefaultJobApiBackOff, MaxJobApiBackOff).
  std::chrono::milliseconds base_delay{1000};
  std::chrono::milliseconds max_delay{60 * 1000};
  client::Clock* clock = nullptr;  // nullptr: the real clocks
  // With a clock: the wall time at the clock's current moment (default: now).
  std::optional<std::chrono::system_clock::time_point> start_time;
};

class JobController : public Controller {
 public:
  // `client` and `factory` must outlive the controller.
  JobController(client::Client& client, client::SharedInformerFactory& factory,
                JobControllerOptions opts = {});
  ~JobController() override;

  const char* name() const override { return "job"; }
  void Start(int workers) override;
  void Stop() override;
  // Waits until the Events recorded so far are written (tests).
  void FlushEvents() { events_.Flush(); }

  // One level-triggered pass over the Job "ns/name", reading the informer caches.
  api::Status Sync(const std::string& key);
  // Removes the tracking finalizer from the pod "ns/name" if no unfinished Job owns it.
  api::Status SyncOrphanPod(const std::string& pod_key);

  bool Running() const { return loop_.Running(); }
  // The wall clock the controller writes status times with.
  const JobWallClock& wall_clock() const { return wall_; }

 private:
  // The state of one sync of one Job (upstream's syncJobCtx).
  struct SyncContext {
    std::string key;
    client::Object job;  // a copy; the sync rewrites its status and replaces it after writes
    std::vector<client::ObjectPtr> pods;
    std::vector<client::ObjectPtr> active_pods;
    // status.uncountedTerminatedPods as the sync found it.
    std::set<std::string> uncounted_succeeded;
    std::set<std::string> uncounted_failed;
    std::set<std::string> expected_removals;  // finalizer removals not yet seen in the cache
    int64_t succeeded = 0;
    int64_t failed = 0;
    int64_t ready = 0;
    int64_t terminating = 0;
    OrderedIndexes prev_succeeded_indexes;
    OrderedIndexes succeeded_indexes;
    // The condition the Job is heading to (FailureTarget, Failed, SuccessCriteriaMet, Complete).
    std::optional<boost::json::object> finished;
    JobBackoffRecord new_backoff;
  };

  // Event handlers (informer threads).
  void OnJobUpdate(const client::ObjectPtr& old_job, const client::ObjectPtr& job);
  void OnJobDelete(const client::ObjectPtr& job);
  void OnPodAdd(const client::ObjectPtr& pod);
  void OnPodUpdate(const client::ObjectPtr& old_pod, const client::ObjectPtr& pod);
  void OnPodDelete(const client::ObjectPtr& pod, bool final_delete);
  void EnqueueBatched(const std::string& key);
  // The cached Job a controllerRef names, or nullptr.
  client::ObjectPtr ResolveControllerRef(const std::string& ns, const OwnerRef& ref) const;
  std::vector<client::ObjectPtr> JobsSelecting(const client::Object& pod) const;
  void EnqueueOrphanPodsOf(const client::Object& job);

  // Sync steps (job_controller_sync.cc).
  api::Result<std::vector<client::ObjectPtr>> PodsForJob(const client::Object& job);
  int64_t ManageJob(SyncContext& ctx, api::Status* err);
  std::vector<client::ObjectPtr> ActivePodsForRemoval(const SyncContext& ctx,
                                                      int64_t rm_at_least) const;
  std::vector<int64_t> FirstPendingIndexes(const SyncContext& ctx, int64_t count) const;
  api::Status CreatePods(SyncContext& ctx, int64_t diff, const std::vector<int64_t>& indexes,
                         int64_t* active);
  // Deletes pods (removing the tracking finalizer first when `remove_finalizer`); returns how
  // many were deleted and, through `ready`, how many of them were ready.
  int64_t DeletePods(SyncContext& ctx, const std::vector<client::ObjectPtr>& pods,
                     bool remove_finalizer, bool expect, int64_t* ready, api::Status* err);
  api::Status TrackStatusAndRemoveFinalizers(SyncContext& ctx, bool needs_flush);
  bool EnactJobFinished(SyncContext& ctx);
  api::Status HandleTtl(const client::Object& job, const std::string& key);

  // Pod writes (job_controller_pods.cc).
  api::Status RemoveTrackingFinalizer(const client::Object& pod);
  api::Status UpdateStatus(client::Object& job);
  // The cached Job, or the stored one when the cache is older than our last status write.
  api::Result<client::ObjectPtr> CurrentJob(const std::string& key);

  // Finalizer expectations: uids of pods whose finalizer removal the cache has not shown yet.
  void ExpectFinalizersRemoved(const std::string& key, const std::vector<std::string>& uids);
  void FinalizerRemovalObserved(const std::string& key, const std::string& uid);
  std::set<std::string> ExpectedRemovals(const std::string& key) const;

  client::Client& client_;
  const JobControllerOptions opts_;
  const JobWallClock wall_;
  JobEventRecorder events_;
  ControllerExpectations expectations_;
  client::WorkQueue queue_;
  client::WorkQueue orphan_queue_;
  ControllerLoop loop_;
  ControllerLoop orphan_loop_;
  client::SharedInformer* job_informer_ = nullptr;
  client::SharedInformer* pod_informer_ = nullptr;
  int job_handler_ = 0;
  int pod_handler_ = 0;
  bool registered_ = false;

  mutable std::mutex mu_;
  // Guarded by mu_.
  std::map<std::string, std::set<std::string>> expected_removals_;  // job key → pod uids
  std::map<std::string, JobBackoffRecord> backoff_;                 // job key → record
  // resourceVersion of the last status this controller wrote per Job, to notice a Job cache
  // that has not caught up with our own writes yet (counting from it would double-count).
  std::map<std::string, std::string> written_rv_;
};

}  // namespace kc::controllers
