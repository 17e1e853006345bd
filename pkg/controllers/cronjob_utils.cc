#include "pkg/controllers/cronjob_utils.h"

#include <boost/json/array.hpp>
#include <cstdio>
#include <ctime>

#include "pkg/api/json_path.h"
#include "pkg/api/time_util.h"
#include "pkg/client/indexer.h"
#include "pkg/controllers/job_utils.h"

namespace kc::controllers {
namespace {

using std::chrono::duration_cast;
using std::chrono::milliseconds;
using std::chrono::nanoseconds;
using std::chrono::seconds;

// Go's Duration.Round(time.Second) in whole seconds (halves away from zero).
int64_t RoundSeconds(CronTime::duration d) {
  int64_t ns = duration_cast<nanoseconds>(d).count();
  int64_t s = ns / 1000000000;
  int64_t r = ns % 1000000000;
  if (r >= 500000000) ++s;
  if (r <= -500000000) --s;
  return s;
}

std::optional<CronTime> MetaTime(const client::Object& obj, const char* path) {
  const boost::json::value* v = api::Lookup(obj, path);
  if (!v || !v->is_string()) return std::nullopt;
  return api::ParseTime(v->get_string());
}

const boost::json::array* ActiveList(const boost::json::object& status) {
  return api::GetArray(status, "active");
}

}  // namespace

ScheduleCheck MostRecentScheduleTime(const client::Object& cronjob, CronTime now,
                                     const CronSchedule& schedule, bool include_deadline) {
  ScheduleCheck out;
  out.earliest = MetaTime(cronjob, "metadata.creationTimestamp").value_or(CronTime{});
  if (std::optional<CronTime> last = MetaTime(cronjob, "status.lastScheduleTime")) {
    out.earliest = *last;
  }
  if (include_deadline) {
    const boost::json::value* d = api::Lookup(cronjob, "spec.startingDeadlineSeconds");
    if (d && d->is_int64()) {
      CronTime deadline = now - seconds(d->get_int64());
      if (deadline > out.earliest) out.earliest = deadline;
    }
  }
  std::optional<CronTime> t1 = schedule.Next(out.earliest);
  if (t1 && now < *t1) return out;
  std::optional<CronTime> t2 = t1 ? schedule.Next(*t1) : std::nullopt;
  if (t1 && t2 && now < *t2) {
    out.most_recent = t1;
    return out;
  }
  // An impossible date ("59 23 31 2 *") has no next time: the same as upstream's zero times.
  int64_t between = t1 && t2 ? RoundSeconds(*t2 - *t1) : 0;
  if (between < 1) {
    out.error = "time difference between two schedules is less than 1 second";
    return out;
  }
  // Roughly how many schedules fit between t1 and now, to skip ahead without walking them all.
  int64_t elapsed = duration_cast<seconds>(now - *t1).count();
  int64_t missed = elapsed / between + 1;
  CronTime potential_earliest = *t1 + seconds((missed - 2) * between);
  for (std::optional<CronTime> t = schedule.Next(potential_earliest); t && *t <= now;
       t = schedule.Next(*t)) {
    out.most_recent = t;
  }
  if (missed > 100) {
    out.missed = MissedSchedules::kMany;
  } else if (missed > 0) {
    out.missed = MissedSchedules::kFew;
  }
  return out;
}

std::optional<milliseconds> NextScheduleDelay(const client::Object& cronjob, CronTime now,
                                              const CronSchedule& schedule) {
  ScheduleCheck c = MostRecentScheduleTime(cronjob, now, schedule, false);
  CronTime from = !c.error.empty() ? now : c.most_recent.value_or(c.earliest);
  std::optional<CronTime> next = schedule.Next(from);
  if (!next) return std::nullopt;
  return duration_cast<milliseconds>(*next + milliseconds(100) - now);
}

std::string CronJobJobName(const std::string& cronjob_name, CronTime scheduled) {
  int64_t unix = duration_cast<seconds>(scheduled.time_since_epoch()).count();
  return cronjob_name + "-" + std::to_string(unix / 60);
}

client::Object JobFromTemplate(const client::Object& cronjob, CronTime scheduled,
                               const CronTimeZone& zone) {
  std::string name = client::ObjectMetaString(cronjob, "name");
  boost::json::object meta;
  meta["name"] = CronJobJobName(name, scheduled);
  meta["namespace"] = client::ObjectMetaString(cronjob, "namespace");
  if (const boost::json::value* l = api::Lookup(cronjob, "spec.jobTemplate.metadata.labels");
      l && l->is_object()) {
    meta["labels"] = *l;
  }
  boost::json::object annotations;
  if (const boost::json::value* a = api::Lookup(cronjob, "spec.jobTemplate.metadata.annotations");
      a && a->is_object()) {
    annotations = a->get_object();
  }
  annotations[kCronJobScheduledTimestampAnnotation] =
      zone.FormatRfc3339(duration_cast<seconds>(scheduled.time_since_epoch()).count());
  meta["annotations"] = std::move(annotations);
  meta["ownerReferences"] =
      boost::json::array{boost::json::object{{"apiVersion", "batch/v1"},
                                             {"kind", "CronJob"},
                                             {"name", name},
                                             {"uid", client::ObjectMetaString(cronjob, "uid")},
                                             {"controller", true},
                                             {"blockOwnerDeletion", true}}};
  client::Object job;
  job["apiVersion"] = "batch/v1";
  job["kind"] = "Job";
  job["metadata"] = std::move(meta);
  const boost::json::value* spec = api::Lookup(cronjob, "spec.jobTemplate.spec");
  job["spec"] = spec && spec->is_object() ? spec->get_object() : boost::json::object();
  return job;
}

bool InActiveList(const boost::json::object& status, const std::string& uid) {
  if (const boost::json::array* a = ActiveList(status)) {
    for (const boost::json::value& r : *a) {
      if (r.is_object() && api::GetString(r.get_object(), "uid") == uid) return true;
    }
  }
  return false;
}

bool InActiveListByName(const boost::json::object& status, const std::string& name) {
  if (const boost::json::array* a = ActiveList(status)) {
    for (const boost::json::value& r : *a) {
      if (r.is_object() && api::GetString(r.get_object(), "name") == name) return true;
    }
  }
  return false;
}

bool DeleteFromActiveList(boost::json::object& status, const std::string& uid) {
  boost::json::value* a = status.if_contains("active");
  if (!a || !a->is_array()) return false;
  boost::json::array kept;
  for (const boost::json::value& r : a->get_array()) {
    if (!(r.is_object() && api::GetString(r.get_object(), "uid") == uid)) kept.push_back(r);
  }
  bool removed = kept.size() != a->get_array().size();
  if (kept.empty()) {
    status.erase("active");
  } else {
    *a = std::move(kept);
  }
  return removed;
}

boost::json::object JobReference(const client::Object& job) {
  return boost::json::object{{"kind", "Job"},
                             {"namespace", client::ObjectMetaString(job, "namespace")},
                             {"name", client::ObjectMetaString(job, "name")},
                             {"uid", client::ObjectMetaString(job, "uid")},
                             {"apiVersion", "batch/v1"},
                             {"resourceVersion", client::ObjectMetaString(job, "resourceVersion")}};
}

std::string FormatRfc1123z(CronTime t) {
  std::time_t tt = std::chrono::system_clock::to_time_t(std::chrono::time_point_cast<seconds>(t));
  std::tm tm{};
  gmtime_r(&tt, &tm);
  static const char* kDays[] = {"Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"};
  static const char* kMonths[] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                  "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
  char buf[64];
  std::snprintf(buf, sizeof(buf), "%s, %02d %s %04d %02d:%02d:%02d +0000", kDays[tm.tm_wday],
                tm.tm_mday, kMonths[tm.tm_mon], tm.tm_year + 1900, tm.tm_hour, tm.tm_min,
                tm.tm_sec);
  return buf;
}

std::string GoQuote(const std::string& s) {
  std::string out = "\"";
  for (char c : s) {
    switch (c) {
      case '"':
        out += "\\\"";
        break;
      case '\\':
        out += "\\\\";
        break;
      case '\n':
        out += "\\n";
        break;
      case '\t':
        out += "\\t";
        break;
      default:
        if (static_cast<unsigned char>(c) < 0x20) {
          char buf[8];
          std::snprintf(buf, sizeof(buf), "\\x%02x", static_cast<unsigned char>(c));
          out += buf;
        } else {
          out += c;
        }
    }
  }
  return out + "\"";
}

}  // namespace kc::controllers
