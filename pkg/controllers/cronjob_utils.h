// Helpers of the CronJob controller, after upstream's pkg/controller/cronjob/utils.go: which
// scheduled time is due (and how many were missed), when to look again, the Job made for one
// scheduled time, and the status.active list.
//
// Thread-safety: free functions over caller-owned values.
#pragma once

#include <boost/json/object.hpp>
#include <chrono>
#include <optional>
#include <string>

#include "pkg/client/client.h"
#include "pkg/controllers/cron_schedule.h"

namespace kc::controllers {

using CronTime = std::chrono::system_clock::time_point;

// How many start times a CronJob missed (upstream caps the count it reports at 100).
enum class MissedSchedules { kNone, kFew, kMany };

struct ScheduleCheck {
  CronTime earliest;                    // creationTimestamp or lastScheduleTime (or the deadline)
  std::optional<CronTime> most_recent;  // the latest schedule time <= now after `earliest`
  MissedSchedules missed = MissedSchedules::kNone;
  std::string error;  // e.g. an impossible schedule: "time difference between two ..."
};

// Upstream's mostRecentScheduleTime: the latest unmet schedule time of `cronjob` at `now`,
// starting after status.lastScheduleTime (else creationTimestamp), or after now minus
// startingDeadlineSeconds when `include_deadline` and that is later.
ScheduleCheck MostRecentScheduleTime(const client::Object& cronjob, CronTime now,
                                     const CronSchedule& schedule, bool include_deadline);

// How long until the next schedule time after the most recent one (plus 100 ms), as upstream's
// nextScheduleTimeDuration; nullopt when the schedule never fires again.
std::optional<std::chrono::milliseconds> NextScheduleDelay(const client::Object& cronjob,
                                                           CronTime now,
                                                           const CronSchedule& schedule);

// "<cronjob>-<scheduled time in minutes since the epoch>".
std::string CronJobJobName(const std::string& cronjob_name, CronTime scheduled);

// The Job for one scheduled time: jobTemplate labels, annotations (plus
// batch.kubernetes.io/cronjob-scheduled-timestamp in `zone`, RFC 3339) and spec, a controller
// ownerReference to the CronJob.
client::Object JobFromTemplate(const client::Object& cronjob, CronTime scheduled,
                               const CronTimeZone& zone);

// status.active (ObjectReferences) helpers; `status` is the CronJob's status object.
bool InActiveList(const boost::json::object& status, const std::string& uid);
bool InActiveListByName(const boost::json::object& status, const std::string& name);
// Removes the entry with `uid`; true when one was removed.
bool DeleteFromActiveList(boost::json::object& status, const std::string& uid);
// {kind: Job, namespace, name, uid, apiVersion: batch/v1, resourceVersion}.
boost::json::object JobReference(const client::Object& job);

// "Mon, 02 Jan 2006 15:04:05 +0000" (Go's RFC1123Z in UTC), for the MissSchedule event.
std::string FormatRfc1123z(CronTime t);
// Go's %q of a plain string.
std::string GoQuote(const std::string& s);

}  // namespace kc::controllers
