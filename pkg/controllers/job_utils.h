// Helpers of the Job controller (and the CronJob controller, which reads Job conditions), after
// upstream's pkg/controller/job: Job conditions, completion indexes and their interval strings
// ("0-2,4"), the pod predicates the Job controller counts with, podFailurePolicy matching, the
// pod-failure back-off record and the deletion order of active pods.
//
// Thread-safety: free functions and plain values over caller-owned objects.
#pragma once

#include <boost/json/array.hpp>
#include <boost/json/object.hpp>
#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "pkg/client/client.h"
#include "pkg/client/indexer.h"

namespace kc::controllers {

inline constexpr const char kJobTrackingFinalizer[] = "batch.kubernetes.io/job-tracking";
inline constexpr const char kJobCompletionIndexAnnotation[] =
    "batch.kubernetes.io/job-completion-index";
inline constexpr const char kCronJobScheduledTimestampAnnotation[] =
    "batch.kubernetes.io/cronjob-scheduled-timestamp";
inline constexpr const char kJobControllerUidLabel[] = "batch.kubernetes.io/controller-uid";
inline constexpr const char kJobNameLabel[] = "batch.kubernetes.io/job-name";
inline constexpr const char kJobCompletionIndexEnv[] = "JOB_COMPLETION_INDEX";

using WallTime = std::chrono::system_clock::time_point;

// --- Job conditions (status.conditions) ---

// The first condition of `type` in the Job's status, or nullptr.
const boost::json::object* FindJobCondition(const client::Object& job, const std::string& type);
bool IsJobConditionTrue(const client::Object& job, const std::string& type);
// "Complete" or "Failed" when that condition is True, else "".
std::string JobFinishedType(const client::Object& job);
inline bool IsJobFinished(const client::Object& job) { return !JobFinishedType(job).empty(); }
// lastTransitionTime of the True Complete/Failed condition.
std::optional<WallTime> JobFinishTime(const client::Object& job);
// {type, status, lastProbeTime, lastTransitionTime, reason, message}.
boost::json::object NewJobCondition(const std::string& type, const std::string& status,
                                    const std::string& reason, const std::string& message,
                                    WallTime now);
// Upstream's ensureJobConditionStatus: replaces the condition of `type` when status, reason or
// message differ; appends it when missing unless `status` is "False". True when changed.
bool EnsureJobCondition(boost::json::array& conditions, const std::string& type,
                        const std::string& status, const std::string& reason,
                        const std::string& message, WallTime now);

// --- Completion indexes ---

// The pod's batch.kubernetes.io/job-completion-index annotation; -1 when missing or invalid.
int64_t CompletionIndex(const client::Object& pod);

// A sorted set of indexes kept as disjoint intervals (status.completedIndexes).
class OrderedIndexes {
 public:
  struct Interval {
    int64_t first;
    int64_t last;
  };
  // Parses "1,3-5,7"; corrupt parts are skipped and indexes >= completions dropped.
  static OrderedIndexes Parse(const std::string& s, int64_t completions);
  // A new set with `indexes` (ascending) added.
  OrderedIndexes With(const std::vector<int64_t>& indexes) const;
  bool Has(int64_t ix) const;
  int64_t Total() const;
  // Upstream's rendering: "0-2,4", two adjacent indexes as "5,6".
  std::string ToString() const;
  const std::vector<Interval>& intervals() const { return intervals_; }

 private:
  std::vector<Interval> intervals_;
};

// --- Pods ---

std::string PodPhase(const client::Object& pod);
bool HasJobTrackingFinalizer(const client::Object& pod);
// Not Succeeded/Failed but has a deletionTimestamp.
bool IsPodTerminating(const client::Object& pod);
// Whether the Job counts `pod` as failed (upstream's isPodFailed): phase Failed, or (unless the
// Job only replaces Failed pods: podFailurePolicy or podReplacementPolicy Failed) being deleted
// before it succeeded.
bool IsPodFailedForJob(const client::Object& pod, const client::Object& job);
// When the pod finished: the latest container finishedAt, else the Ready=False transition, else
// the deletionTimestamp, else the creationTimestamp.
WallTime PodFinishedTime(const client::Object& pod);
// Sum of container restartCounts of Pending/Running pods (for restartPolicy OnFailure).
int64_t ActivePodRestarts(const std::vector<client::ObjectPtr>& pods);
// Orders active pods the way upstream deletes them first: unassigned < assigned, Pending <
// Unknown < Running, not ready < ready, ready more recently first, more restarts first, newer
// first.
void SortForDeletion(std::vector<client::ObjectPtr>& pods);

// --- podFailurePolicy ---

enum class PodFailureAction { kNone, kFailJob, kIgnore, kCount, kFailIndex };
struct PodFailurePolicyMatch {
  PodFailureAction action = PodFailureAction::kNone;
  bool count_failed = true;
  std::string fail_job_message;  // for kFailJob
};
// The first rule of spec.podFailurePolicy (`policy`, may be nullptr) matching the failed pod:
// onExitCodes (In/NotIn over non-zero exit codes of terminated containers, optionally one
// container) or onPodConditions (type and status).
PodFailurePolicyMatch MatchPodFailurePolicy(const boost::json::object* policy,
                                            const client::Object& pod);

// --- Pod failure back-off ---

// Failures since the last success and when the latest of them happened (upstream's
// backoffRecord), kept per Job by the controller.
struct JobBackoffRecord {
  int64_t failures_after_last_success = 0;
  std::optional<WallTime> last_failure_time;
};
// The record after the newly finished pods of one sync.
JobBackoffRecord NextBackoffRecord(JobBackoffRecord record,
                                   const std::vector<client::ObjectPtr>& new_succeeded,
                                   const std::vector<client::ObjectPtr>& new_failed);
// How long to wait before creating pods again: base * 2^(failures-1), capped at `max`, minus
// the time since the last failure; zero when no wait is due.
std::chrono::milliseconds RemainingBackoff(const JobBackoffRecord& record, WallTime now,
                                           std::chrono::milliseconds base,
                                           std::chrono::milliseconds max);

}  // namespace kc::controllers
