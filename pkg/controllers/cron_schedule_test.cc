#include "pkg/controllers/cron_schedule.h"

#include <doctest/doctest.h>

#include <string>

#include "pkg/api/time_util.h"

namespace kc::controllers {
namespace {

CronSchedule::TimePoint T(const std::string& rfc3339) {
  std::optional<api::Clock::time_point> t = api::ParseTime(rfc3339);
  REQUIRE_MESSAGE(t, rfc3339);
  return *t;
}

std::string NextOf(const std::string& spec, const std::string& after,
                   const std::string& zone = "UTC") {
  api::Result<std::shared_ptr<const CronTimeZone>> z = CronTimeZone::Load(zone);
  REQUIRE_MESSAGE(z.ok(), z.status().ToString());
  api::Result<CronSchedule> s = CronSchedule::Parse(spec, *z);
  REQUIRE_MESSAGE(s.ok(), std::string(spec + ": " + s.status().ToString()));
  std::optional<CronSchedule::TimePoint> n = s->Next(T(after));
  return n ? api::FormatTime(*n) : "none";
}

std::string ParseError(const std::string& spec) {
  api::Result<CronSchedule> s = CronSchedule::Parse(spec);
  return s.ok() ? "" : s.status().message();
}

int64_t Unix(const std::string& rfc3339) {
  return std::chrono::duration_cast<std::chrono::seconds>(T(rfc3339).time_since_epoch()).count();
}

TEST_CASE("cron schedule: Next in UTC") {
  struct Case {
    const char* spec;
    const char* after;
    const char* want;
  };
  const Case cases[] = {
      {"* * * * *", "2024-01-01T00:00:00Z", "2024-01-01T00:01:00Z"},
      {"* * * * *", "2024-01-01T00:00:59Z", "2024-01-01T00:01:00Z"},
      {"*/15 * * * *", "2024-01-01T00:07:30Z", "2024-01-01T00:15:00Z"},
      {"5/20 * * * *", "2024-01-01T00:26:00Z", "2024-01-01T00:45:00Z"},
      {"0 * * * *", "2024-01-01T10:00:00Z", "2024-01-01T11:00:00Z"},
      {"@hourly", "2024-01-01T10:00:00Z", "2024-01-01T11:00:00Z"},
      {"@hourly", "2024-12-31T23:30:00Z", "2025-01-01T00:00:00Z"},
      {"@daily", "2024-02-28T13:00:00Z", "2024-02-29T00:00:00Z"},
      {"@midnight", "2024-02-29T00:00:00Z", "2024-03-01T00:00:00Z"},
      {"@weekly", "2024-01-03T12:00:00Z", "2024-01-07T00:00:00Z"},  // a Wednesday → Sunday
      {"@monthly", "2024-01-31T12:00:00Z", "2024-02-01T00:00:00Z"},
      {"@yearly", "2024-03-01T00:00:00Z", "2025-01-01T00:00:00Z"},
      {"@annually", "2024-03-01T00:00:00Z", "2025-01-01T00:00:00Z"},
      {"0 0 1 JAN *", "2024-03-01T00:00:00Z", "2025-01-01T00:00:00Z"},
      {"0 9 * * MON-fri", "2024-01-05T09:00:00Z", "2024-01-08T09:00:00Z"},  // Fri → Mon
      {"0 9 * * sat,SUN", "2024-01-01T00:00:00Z", "2024-01-06T09:00:00Z"},
      {"30 6-16/4 * * 1-5", "2024-01-05T15:00:00Z", "2024-01-08T06:30:00Z"},
      {"15 10,14 * * *", "2024-01-01T10:15:00Z", "2024-01-01T14:15:00Z"},
      {"0 0 * JUN-AUG *", "2024-01-01T00:00:00Z", "2024-06-01T00:00:00Z"},
      // Day-of-month and day-of-week are ORed unless one of them is * or ?.
      {"0 0 13 * 5", "2024-01-01T00:00:00Z", "2024-01-05T00:00:00Z"},
      {"0 0 13 * 5", "2024-01-12T00:00:00Z", "2024-01-13T00:00:00Z"},
      {"0 0 * * 5", "2024-01-01T00:00:00Z", "2024-01-05T00:00:00Z"},
      {"0 0 ? * 5", "2024-01-01T00:00:00Z", "2024-01-05T00:00:00Z"},
      {"0 0 */2 * 5", "2024-01-01T00:00:00Z", "2024-01-03T00:00:00Z"},
      {"? ? ? ? ?", "2024-01-01T00:00:00Z", "2024-01-01T00:01:00Z"},
      {"0 0 29 2 *", "2024-03-01T00:00:00Z", "2028-02-29T00:00:00Z"},
      {"0 0 31 * *", "2024-04-01T00:00:00Z", "2024-05-31T00:00:00Z"},
      // Impossible dates have no next time (robfig gives up after five years).
      {"0 0 30 2 *", "2024-01-01T00:00:00Z", "none"},
      {"@every 1h30m", "2024-01-01T00:00:00Z", "2024-01-01T01:30:00Z"},
      {"@every 10s", "2024-01-01T00:00:59Z", "2024-01-01T00:01:09Z"},
  };
  for (const Case& c : cases) {
    SUBCASE((std::string(c.spec) + " after " + c.after).c_str()) {
      CHECK(NextOf(c.spec, c.after) == c.want);
    }
  }
}

TEST_CASE("cron schedule: Next drops sub-second parts") {
  api::Result<CronSchedule> s = CronSchedule::Parse("* * * * *");
  REQUIRE(s.ok());
  auto t = T("2024-01-01T00:00:59Z") + std::chrono::milliseconds(999);
  CHECK(api::FormatTime(*s->Next(t)) == "2024-01-01T00:01:00Z");
  api::Result<CronSchedule> every = CronSchedule::Parse("@every 1m");
  REQUIRE(every.ok());
  CHECK(*every->Next(T("2024-01-01T00:00:00Z") + std::chrono::milliseconds(400)) ==
        T("2024-01-01T00:01:00Z"));
}

TEST_CASE("cron schedule: Next in time zones") {
  struct Case {
    const char* spec;
    const char* zone;
    const char* after;
    const char* want;
  };
  const Case cases[] = {
      // No DST: 09:00 JST is 00:00Z; "after" is strict.
      {"0 9 * * *", "Asia/Tokyo", "2024-01-01T00:00:00Z", "2024-01-02T00:00:00Z"},
      {"0 9 * * *", "Asia/Tokyo", "2023-12-31T23:59:00Z", "2024-01-01T00:00:00Z"},
      {"@daily", "Asia/Kolkata", "2024-01-01T00:00:00Z", "2024-01-01T18:30:00Z"},
      {"0 9 * * *", "Europe/Berlin", "2024-01-01T00:00:00Z", "2024-01-01T08:00:00Z"},
      {"0 9 * * *", "Europe/Berlin", "2024-07-01T00:00:00Z", "2024-07-01T07:00:00Z"},
      // Far beyond the TZif transitions the footer rule applies.
      {"0 9 * * *", "Europe/Berlin", "2100-07-01T00:00:00Z", "2100-07-01T07:00:00Z"},
      {"0 9 * * *", "Australia/Sydney", "2024-01-14T23:00:00Z", "2024-01-15T22:00:00Z"},
      {"0 9 * * *", "Australia/Sydney", "2024-07-14T00:00:00Z", "2024-07-14T23:00:00Z"},
      // 02:30 does not exist on 2024-03-10 in New York: robfig skips that day.
      {"30 2 * * *", "America/New_York", "2024-03-09T07:31:00Z", "2024-03-11T06:30:00Z"},
      // 01:30 happens twice on 2024-11-03: robfig runs at both.
      {"30 1 * * *", "America/New_York", "2024-11-02T06:00:00Z", "2024-11-03T05:30:00Z"},
      {"30 1 * * *", "America/New_York", "2024-11-03T05:30:00Z", "2024-11-03T06:30:00Z"},
  };
  for (const Case& c : cases) {
    SUBCASE((std::string(c.spec) + " in " + c.zone + " after " + c.after).c_str()) {
      CHECK(NextOf(c.spec, c.after, c.zone) == c.want);
    }
  }
}

TEST_CASE("cron schedule: a TZ= prefix overrides the default zone") {
  CHECK(NextOf("TZ=Europe/Berlin 0 9 * * *", "2024-01-01T00:00:00Z", "Asia/Tokyo") ==
        "2024-01-01T08:00:00Z");
  CHECK(NextOf("CRON_TZ=Asia/Tokyo @daily", "2024-01-01T00:00:00Z") == "2024-01-01T15:00:00Z");
  CHECK(ParseError("TZ=Mars/Olympus * * * * *") ==
        "provided bad location Mars/Olympus: unknown time zone Mars/Olympus");
}

TEST_CASE("cron schedule: parse errors carry robfig/cron's messages") {
  struct Case {
    const char* spec;
    const char* want;
  };
  const Case cases[] = {
      {"", "empty spec string"},
      {"* * * *", "expected exactly 5 fields, found 4: [* * * *]"},
      {"0 0 * * * *", "expected exactly 5 fields, found 6: [0 0 * * * *]"},
      {"60 * * * *", "end of range (60) above maximum (59): 60"},
      {"* 24 * * *", "end of range (24) above maximum (23): 24"},
      {"* * 0 * *", "beginning of range (0) below minimum (1): 0"},
      {"* * * 13 *", "end of range (13) above maximum (12): 13"},
      {"* * * * 7", "end of range (7) above maximum (6): 7"},
      {"5-2 * * * *", "beginning of range (5) beyond end of range (2): 5-2"},
      {"*/0 * * * *", "step of range should be a positive number: */0"},
      {"1-2-3 * * * *", "too many hyphens: 1-2-3"},
      {"*/2/3 * * * *", "too many slashes: */2/3"},
      {"x * * * *", "failed to parse int from x: strconv.Atoi: parsing \"x\": invalid syntax"},
      {"* * * FOO *",
       "failed to parse int from FOO: strconv.Atoi: parsing \"FOO\": invalid syntax"},
      {"-1 * * * *", "failed to parse int from : strconv.Atoi: parsing \"\": invalid syntax"},
      {"@often", "unrecognized descriptor: @often"},
      {"@every 5x", "failed to parse duration @every 5x: time: invalid duration \"5x\""},
  };
  for (const Case& c : cases) {
    SUBCASE(c.spec) { CHECK(ParseError(c.spec) == c.want); }
  }
}

TEST_CASE("cron schedule: Go durations") {
  CHECK(*ParseGoDuration("1h30m") == std::chrono::minutes(90));
  CHECK(*ParseGoDuration("1.5s") == std::chrono::milliseconds(1500));
  CHECK(*ParseGoDuration("-2m") == std::chrono::minutes(-2));
  CHECK(*ParseGoDuration("0") == std::chrono::nanoseconds(0));
  CHECK(*ParseGoDuration("300ms") == std::chrono::milliseconds(300));
  CHECK_FALSE(ParseGoDuration(""));
  CHECK_FALSE(ParseGoDuration("5"));
  CHECK_FALSE(ParseGoDuration("h"));
  CHECK_FALSE(ParseGoDuration("99999999999999999999h"));
}

TEST_CASE("cron time zone: lookups from the tz database and POSIX rules") {
  api::Result<std::shared_ptr<const CronTimeZone>> berlin = CronTimeZone::Load("Europe/Berlin");
  REQUIRE(berlin.ok());
  CHECK((*berlin)->LookUp(Unix("2024-01-15T00:00:00Z")).offset == 3600);
  CHECK((*berlin)->LookUp(Unix("2024-07-15T00:00:00Z")).offset == 7200);
  CronTimeZone::Period p = (*berlin)->LookUp(Unix("2024-03-31T00:59:59Z"));
  CHECK(p.offset == 3600);
  CHECK(p.end == Unix("2024-03-31T01:00:00Z"));
  CHECK((*berlin)->LookUp(Unix("2024-03-31T01:00:00Z")).offset == 7200);
  CHECK((*berlin)->LookUp(Unix("2100-03-28T00:59:59Z")).offset == 3600);
  CHECK((*berlin)->LookUp(Unix("2100-03-28T01:00:00Z")).offset == 7200);
  CHECK((*berlin)->LookUp(Unix("2100-10-31T00:59:59Z")).offset == 7200);
  CHECK((*berlin)->LookUp(Unix("2100-10-31T01:00:00Z")).offset == 3600);
  CHECK((*berlin)->FormatRfc3339(Unix("2024-07-01T07:00:00Z")) == "2024-07-01T09:00:00+02:00");
  CHECK(CronTimeZone::Utc()->FormatRfc3339(Unix("2024-07-01T07:00:00Z")) == "2024-07-01T07:00:00Z");
  api::Result<std::shared_ptr<const CronTimeZone>> ny = CronTimeZone::Load("America/New_York");
  REQUIRE(ny.ok());
  CHECK((*ny)->FormatRfc3339(Unix("2024-01-01T14:00:00Z")) == "2024-01-01T09:00:00-05:00");
  CHECK((*ny)->FromCivil({2024, 7, 1, 9, 0, 0}) == Unix("2024-07-01T13:00:00Z"));

  // Southern hemisphere rule: DST from October to April.
  api::Result<std::shared_ptr<const CronTimeZone>> syd =
      CronTimeZone::FromPosixRule("Sydney", "AEST-10AEDT,M10.1.0,M4.1.0/3");
  REQUIRE(syd.ok());
  CHECK((*syd)->LookUp(Unix("2024-01-15T00:00:00Z")).offset == 11 * 3600);
  CHECK((*syd)->LookUp(Unix("2024-07-15T00:00:00Z")).offset == 10 * 3600);
  CHECK((*syd)->LookUp(Unix("2024-04-06T15:59:59Z")).offset == 11 * 3600);
  CHECK((*syd)->LookUp(Unix("2024-04-06T16:00:00Z")).offset == 10 * 3600);
  api::Result<std::shared_ptr<const CronTimeZone>> fixed =
      CronTimeZone::FromPosixRule("X", "<+0530>-5:30");
  REQUIRE(fixed.ok());
  CHECK((*fixed)->LookUp(0).offset == 5 * 3600 + 1800);
}

TEST_CASE("cron time zone: bad names and data are errors") {
  api::Result<std::shared_ptr<const CronTimeZone>> z = CronTimeZone::Load("Mars/Olympus");
  REQUIRE_FALSE(z.ok());
  CHECK(z.status().message() == "unknown time zone Mars/Olympus");
  CHECK(CronTimeZone::Load("../etc/passwd").status().message() == "time: invalid location name");
  CHECK(CronTimeZone::Load("/etc/localtime").status().message() == "time: invalid location name");
  CHECK_FALSE(CronTimeZone::Load("Europe").ok());  // a directory
  CHECK(CronTimeZone::Load("").ok());
  CHECK(CronTimeZone::Load("UTC").ok());
  CHECK_FALSE(CronTimeZone::FromTzif("x", "").ok());
  CHECK_FALSE(CronTimeZone::FromTzif("x", "TZif2\0\0\0garbage").ok());
  CHECK_FALSE(CronTimeZone::FromPosixRule("x", "CET-1CEST,M3.5").ok());
  CHECK_FALSE(CronTimeZone::FromPosixRule("x", "").ok());
}

TEST_CASE("cron time zone: civil conversions") {
  CivilTime c = CivilFromUnix(Unix("2024-02-29T13:14:15Z"));
  CHECK(c.year == 2024);
  CHECK(c.month == 2);
  CHECK(c.day == 29);
  CHECK(c.hour == 13);
  CHECK(c.minute == 14);
  CHECK(c.second == 15);
  CHECK(c.weekday == 4);  // Thursday
  CHECK(CivilFromUnix(-1).year == 1969);
  CHECK(UnixFromCivil({2024, 13, 1, 0, 0, 0}) == Unix("2025-01-01T00:00:00Z"));
  CHECK(UnixFromCivil({2024, 3, 0, 0, 0, 0}) == Unix("2024-02-29T00:00:00Z"));
  CHECK(UnixFromCivil({2024, 1, 32, 0, 0, 0}) == Unix("2024-02-01T00:00:00Z"));
}

}  // namespace
}  // namespace kc::controllers
