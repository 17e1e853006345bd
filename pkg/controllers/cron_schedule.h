// CronSchedule: a parsed CronJob schedule and its activation times, with the semantics of the
// parser Kubernetes uses (robfig/cron v3 ParseStandard):
//  - five fields "minute hour day-of-month month day-of-week" with `*`, `?`, ranges `a-b`, lists
//    `a,b`, steps `*/n` and `a/n` (= a-max/n), month names JAN-DEC and weekday names SUN-SAT
//    (case-insensitive); day-of-month and day-of-week are ORed unless either is `*`/`?`;
//  - descriptors @yearly @annually @monthly @weekly @daily @midnight @hourly and @every <dur>;
//  - an optional `TZ=<zone> ` / `CRON_TZ=<zone> ` prefix (the API server rejects it on new
//    objects; the controller still honours it, as upstream does).
// Error messages are robfig/cron's, e.g. "expected exactly 5 fields, found 4: [* * * *]".
//
// Next follows robfig/cron's SpecSchedule.Next, including its handling of DST gaps and its
// five-year search limit (an impossible date such as "0 0 30 2 *" has no next time).
//
// Thread-safety: an immutable value; const methods may be called from any thread.
#pragma once

#include <chrono>
#include <cstdint>
#include <memory>
#include <optional>
#include <string_view>

#include "pkg/api/status.h"
#include "pkg/controllers/cron_schedule_time_zone.h"

namespace kc::controllers {

class CronSchedule {
 public:
  using TimePoint = std::chrono::system_clock::time_point;

  // A schedule that never fires (what Parse results hold before a value is assigned).
  CronSchedule() : zone_(CronTimeZone::Utc()) {}

  // Parses `spec`; without a TZ= prefix the schedule runs in `zone` (nullptr = UTC). Errors are
  // Invalid with robfig/cron's message.
  static api::Result<CronSchedule> Parse(std::string_view spec,
                                         std::shared_ptr<const CronTimeZone> zone = nullptr);

  // The first activation strictly after `t` (at whole seconds); nullopt when there is none
  // within five years.
  std::optional<TimePoint> Next(TimePoint t) const;

  const CronTimeZone& zone() const { return *zone_; }

 private:
  bool DayMatches(const CivilTime& c) const;

  // Bit i set = value i allowed; kStar marks a field given as * or ?.
  uint64_t second_ = 0, minute_ = 0, hour_ = 0, dom_ = 0, month_ = 0, dow_ = 0;
  // Set for @every: a constant delay instead of the fields.
  std::optional<std::chrono::nanoseconds> every_;
  std::shared_ptr<const CronTimeZone> zone_;
};

// Go's time.ParseDuration ("1h30m", "1.5s", "-2m", "0"); nullopt when malformed.
std::optional<std::chrono::nanoseconds> ParseGoDuration(std::string_view s);

}  // namespace kc::controllers
