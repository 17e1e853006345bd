// CronTimeZone: an IANA time zone read from the system tz database (TZif files under
// /usr/share/zoneinfo, including the POSIX TZ rule in their footer for times after the last
// listed transition), so CronSchedule can evaluate a CronJob's schedule in spec.timeZone and the
// CronJob controller can render scheduled times with the zone's UTC offset.
//
// libstdc++ 12 has no std::chrono::tzdb, and setenv("TZ")+localtime_r would change the zone of
// the whole process, so the TZif data is parsed here. Lookups mirror Go's time.Location (the
// zone Kubernetes evaluates schedules in): LookUp(unix) gives the offset in effect and the
// [start, end) period it holds for; FromCivil resolves a wall-clock time the way time.Date does,
// including in DST gaps and overlaps.
//
// Thread-safety: a CronTimeZone is immutable; Load's cache is guarded by a mutex, so every
// function may be called from any thread.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "pkg/api/status.h"

namespace kc::controllers {

// A broken-down wall-clock time. Fields may be out of range for FromCivil, which normalizes them
// like Go's time.Date (month 13 is January of the next year, day 0 the last day of the month
// before, ...).
struct CivilTime {
  int64_t year = 1970;
  int month = 1;  // 1..12
  int day = 1;    // 1..31
  int hour = 0;
  int minute = 0;
  int second = 0;
  int weekday = 4;  // 0 = Sunday; filled by CronTimeZone::ToCivil

  bool operator==(const CivilTime& o) const {
    return year == o.year && month == o.month && day == o.day && hour == o.hour &&
           minute == o.minute && second == o.second;
  }
};

// Civil-calendar arithmetic in UTC (proleptic Gregorian), on Unix seconds.
CivilTime CivilFromUnix(int64_t unix_seconds);
int64_t UnixFromCivil(const CivilTime& c);  // normalizes out-of-range fields

class CronTimeZone {
 public:
  // The period of constant offset that contains a lookup time: [start, end) in Unix seconds.
  struct Period {
    int32_t offset = 0;  // seconds east of UTC
    bool dst = false;
    int64_t start = 0;
    int64_t end = 0;
  };

  // "UTC" (also what "" means, as in Go's LoadLocation).
  static std::shared_ptr<const CronTimeZone> Utc();
  // The process's local zone: $TZ when set (empty = UTC), else /etc/localtime, else UTC.
  static std::shared_ptr<const CronTimeZone> Local();
  // A zone by IANA name from /usr/share/zoneinfo ("" and "UTC" give Utc(), "Local" gives
  // Local()). Errors (Invalid) carry Go's texts: "unknown time zone <name>",
  // "time: invalid location name". Loaded zones are cached.
  static api::Result<std::shared_ptr<const CronTimeZone>> Load(std::string_view name);
  // Parses TZif data (RFC 8536, versions 1-4).
  static api::Result<std::shared_ptr<const CronTimeZone>> FromTzif(std::string name,
                                                                   std::string_view data);
  // A zone described only by a POSIX TZ rule, e.g. "CET-1CEST,M3.5.0,M10.5.0/3".
  static api::Result<std::shared_ptr<const CronTimeZone>> FromPosixRule(std::string name,
                                                                        std::string_view rule);

  const std::string& name() const { return name_; }
  Period LookUp(int64_t unix_seconds) const;
  // The wall-clock time at `unix_seconds` in this zone.
  CivilTime ToCivil(int64_t unix_seconds) const;
  // The instant of wall-clock time `c` in this zone (Go's time.Date resolution: in a gap or an
  // overlap one of the two candidate offsets is used, as Go picks it).
  int64_t FromCivil(const CivilTime& c) const;
  // RFC 3339 in this zone: "2024-05-01T09:00:00+02:00", or "...Z" when the offset is 0.
  std::string FormatRfc3339(int64_t unix_seconds) const;

  // The POSIX TZ rule of a TZif footer. Public for the parser; not part of the API.
  struct RuleDate {
    enum class Kind { kJulianNoLeap, kJulianZero, kMonthWeekDay };
    Kind kind = Kind::kMonthWeekDay;
    int day = 0;
    int week = 0;
    int month = 0;
    int32_t time = 7200;  // seconds after local midnight
  };
  struct PosixRule {
    int32_t std_offset = 0;
    bool has_dst = false;
    int32_t dst_offset = 0;
    RuleDate start;
    RuleDate end;
  };

 private:
  struct LocalType {
    int32_t offset = 0;
    bool dst = false;
  };
  CronTimeZone() = default;
  Period RulePeriod(int64_t unix_seconds, int64_t after) const;

  std::string name_;
  std::vector<int64_t> when_;     // transition times, ascending
  std::vector<uint8_t> type_of_;  // local type index per transition
  std::vector<LocalType> types_;
  std::optional<PosixRule> rule_;  // for times after the last transition
};

}  // namespace kc::controllers
