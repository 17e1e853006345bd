#include "pkg/controllers/cronjob_controller.h"

#include <doctest/doctest.h>

#include <algorithm>

#include "pkg/api/json_path.h"
#include "pkg/api/time_util.h"
#include "pkg/controllers/controller_test_util.h"
#include "pkg/controllers/controller_utils.h"
#include "pkg/controllers/cronjob_utils.h"
#include "pkg/controllers/deletion_fake_client.h"
#include "pkg/controllers/job_test_util.h"
#include "pkg/controllers/replica_set_test_util.h"

namespace kc::controllers {
namespace {

using testing::kCronJobsRes;
using testing::kJobsRes;

CronTime At(const std::string& s) { return *api::ParseTime(s); }

CronJobControllerOptions Options(client::FakeClock& clock, CronTime start) {
  CronJobControllerOptions o;
  o.clock = &clock;
  o.start_time = start;
  o.default_zone = CronTimeZone::Utc();
  o.base_delay = std::chrono::milliseconds(1);
  o.max_delay = std::chrono::milliseconds(10);
  return o;
}

// A CronJob whose previous run was at `last` (so the tests do not depend on the fake's real
// creationTimestamp).
client::Object CronJobObject(const std::string& schedule, const std::string& policy,
                             const std::string& last = "2024-01-01T00:00:00Z") {
  client::Object cj = testing::MakeObject("batch/v1", "CronJob", "default", "cj");
  cj["spec"] = boost::json::object{
      {"schedule", schedule},
      {"concurrencyPolicy", policy},
      {"suspend", false},
      {"successfulJobsHistoryLimit", 3},
      {"failedJobsHistoryLimit", 1},
      {"jobTemplate",
       boost::json::object{
           {"metadata",
            boost::json::object{{"labels", boost::json::object{{"app", "report"}}},
                                {"annotations", boost::json::object{{"team", "data"}}}}},
           {"spec",
            boost::json::object{
                {"backoffLimit", 2},
                {"template", boost::json::object{
                                 {"spec", boost::json::object{
                                              {"restartPolicy", "OnFailure"},
                                              {"containers",
                                               boost::json::array{boost::json::object{
                                                   {"name", "c"}, {"image", "busybox"}}}}}}}}}}}}};
  cj["status"] = boost::json::object{{"lastScheduleTime", last}};
  return cj;
}

struct Fixture {
  testing::DeletionFakeClient client;
  client::FakeClock clock;
  client::SharedInformerFactory factory{client};
  CronJobController cc;

  explicit Fixture(CronTime start = At("2024-01-01T00:00:30Z"))
      : cc(client, factory, Options(clock, start)) {
    factory.Start();
    REQUIRE(factory.WaitForCacheSync(std::chrono::seconds(5)));
  }
  ~Fixture() {
    cc.Stop();
    factory.Stop();
  }
  client::FakeClient& fake() { return client.fake(); }
  // The Events written so far with `reason` (events are written asynchronously: flush first).
  std::vector<std::string> Events(const std::string& reason) {
    cc.FlushEvents();
    return testing::EventsWithReason(fake(), reason);
  }
  void CatchUp() {
    REQUIRE(testing::CacheCaughtUp(fake(), factory, kCronJobsRes));
    REQUIRE(testing::CacheCaughtUp(fake(), factory, kJobsRes));
  }
  void Sync() {
    CatchUp();
    api::Status st = cc.Sync("default/cj");
    REQUIRE_MESSAGE(st.ok(), st.ToString());
    CatchUp();
  }
  client::Object Seed(const client::Object& cj) {
    api::Result<client::Object> r = fake().Seed(kCronJobsRes, cj);
    REQUIRE(r.ok());
    return *r;
  }
  client::Object CronJob() { return *fake().Get(kCronJobsRes, "default", "cj"); }
  std::vector<std::string> JobNames() {
    std::vector<std::string> out;
    api::Result<client::ObjectList> l = fake().List(kJobsRes, "default", {});
    REQUIRE(l.ok());
    for (const client::Object& j : l->items) {
      if (!IsDeleting(j)) out.push_back(client::ObjectMetaString(j, "name"));
    }
    std::sort(out.begin(), out.end());
    return out;
  }
  std::vector<std::string> ActiveNames() {
    std::vector<std::string> out;
    client::Object cj = CronJob();
    if (const boost::json::value* a = api::Lookup(cj, "status.active"); a && a->is_array()) {
      for (const boost::json::value& r : a->get_array()) {
        out.push_back(api::GetString(r.as_object(), "name"));
      }
    }
    return out;
  }
  std::string StatusTime(const char* field) {
    client::Object cj = CronJob();
    const boost::json::value* v = api::Lookup(cj, std::string("status.") + field);
    return v && v->is_string() ? std::string(v->get_string()) : "";
  }
  // Marks the Job finished ("Complete" or "Failed") at `when`.
  void FinishJob(const std::string& name, const std::string& type, const std::string& when,
                 const std::string& started = "") {
    api::Result<client::Object> j = fake().Get(kJobsRes, "default", name);
    REQUIRE(j.ok());
    boost::json::object& st = api::EnsureObject(*j, "status");
    st["conditions"] = boost::json::array{
        boost::json::object{{"type", type}, {"status", "True"}, {"lastTransitionTime", when}}};
    if (type == "Complete") st["completionTime"] = when;
    st["startTime"] = started.empty() ? when : started;
    client::WriteOptions w;
    w.subresource = "status";
    REQUIRE(fake().Update(kJobsRes, "default", *j, w).ok());
  }
  void Advance(std::chrono::seconds d) { clock.Advance(d); }
};

// Job names carry the scheduled time in minutes since the epoch.
const char kJob0001[] = "cj-28401121";  // 2024-01-01T00:01:00Z
const char kJob0002[] = "cj-28401122";  // 2024-01-01T00:02:00Z

TEST_CASE("cronjob: job names and missed-schedule arithmetic") {
  CHECK(CronJobJobName("cj", At("2024-01-01T00:01:00Z")) == kJob0001);
  api::Result<CronSchedule> every_minute = CronSchedule::Parse("* * * * *");
  REQUIRE(every_minute.ok());
  client::Object cj = CronJobObject("* * * * *", "Allow");
  ScheduleCheck c = MostRecentScheduleTime(cj, At("2024-01-01T00:00:30Z"), *every_minute, true);
  CHECK_FALSE(c.most_recent);
  c = MostRecentScheduleTime(cj, At("2024-01-01T00:05:10Z"), *every_minute, true);
  REQUIRE(c.most_recent);
  CHECK(api::FormatTime(*c.most_recent) == "2024-01-01T00:05:00Z");
  CHECK(c.missed == MissedSchedules::kFew);
  c = MostRecentScheduleTime(cj, At("2024-01-02T00:00:10Z"), *every_minute, true);
  CHECK(c.missed == MissedSchedules::kMany);
  CHECK(api::FormatTime(*c.most_recent) == "2024-01-02T00:00:00Z");
  std::optional<std::chrono::milliseconds> d =
      NextScheduleDelay(cj, At("2024-01-01T00:00:30Z"), *every_minute);
  REQUIRE(d);
  CHECK(*d == std::chrono::milliseconds(30100));
  api::Result<CronSchedule> never = CronSchedule::Parse("0 0 30 2 *");
  REQUIRE(never.ok());
  c = MostRecentScheduleTime(cj, At("2024-01-01T00:05:10Z"), *never, true);
  CHECK(c.error == "time difference between two schedules is less than 1 second");
  CHECK(FormatRfc1123z(At("2024-01-01T00:01:00Z")) == "Mon, 01 Jan 2024 00:01:00 +0000");
}

TEST_CASE("cronjob: Allow starts a Job per schedule time, named and annotated as upstream") {
  Fixture f;
  client::Object cj = f.Seed(CronJobObject("* * * * *", "Allow"));
  f.Sync();
  CHECK(f.JobNames().empty());  // next time is 00:01

  f.Advance(std::chrono::seconds(31));
  f.Sync();
  REQUIRE(f.JobNames() == std::vector<std::string>{kJob0001});
  client::Object job = *f.fake().Get(kJobsRes, "default", kJob0001);
  const boost::json::object& meta = *api::GetObject(job, "metadata");
  CHECK(api::GetString(*api::GetObject(meta, "annotations"),
                       kCronJobScheduledTimestampAnnotation) == "2024-01-01T00:01:00Z");
  CHECK(api::GetString(*api::GetObject(meta, "annotations"), "team") == "data");
  CHECK(api::GetString(*api::GetObject(meta, "labels"), "app") == "report");
  std::optional<OwnerRef> ref = ControllerOf(job);
  REQUIRE(ref);
  CHECK(ref->kind == "CronJob");
  CHECK(ref->api_version == "batch/v1");
  CHECK(ref->uid == client::ObjectMetaString(cj, "uid"));
  CHECK(api::GetInt64(*api::GetObject(job, "spec"), "backoffLimit") == 2);
  CHECK(f.ActiveNames() == std::vector<std::string>{kJob0001});
  CHECK(f.StatusTime("lastScheduleTime") == "2024-01-01T00:01:00Z");
  CHECK(f.Events("SuccessfulCreate") ==
        std::vector<std::string>{std::string("Normal SuccessfulCreate: Created job ") + kJob0001});

  f.Sync();  // the same time is not started twice
  CHECK(f.JobNames().size() == 1);

  f.Advance(std::chrono::seconds(60));
  f.Sync();
  CHECK(f.JobNames() == std::vector<std::string>{kJob0001, kJob0002});
  CHECK(f.ActiveNames() == std::vector<std::string>{kJob0001, kJob0002});

  // A finished Job leaves the active list; its completion becomes lastSuccessfulTime.
  f.FinishJob(kJob0001, "Complete", "2024-01-01T00:01:40Z");
  f.Sync();
  CHECK(f.ActiveNames() == std::vector<std::string>{kJob0002});
  CHECK(f.Events("SawCompletedJob") ==
        std::vector<std::string>{std::string("Normal SawCompletedJob: Saw completed job: ") +
                                 kJob0001 + ", condition: Complete"});
  f.Sync();
  CHECK(f.StatusTime("lastSuccessfulTime") == "2024-01-01T00:01:40Z");
}

TEST_CASE("cronjob: Forbid skips a run while the previous one is active") {
  Fixture f;
  f.Seed(CronJobObject("* * * * *", "Forbid"));
  f.Advance(std::chrono::seconds(31));
  f.Sync();
  REQUIRE(f.JobNames() == std::vector<std::string>{kJob0001});
  f.Advance(std::chrono::seconds(60));
  f.Sync();
  CHECK(f.JobNames() == std::vector<std::string>{kJob0001});
  CHECK(f.Events("JobAlreadyActive").size() == 1);
  // Once the first finished, the due run starts.
  f.FinishJob(kJob0001, "Complete", "2024-01-01T00:01:50Z");
  f.Sync();
  CHECK(f.JobNames() == std::vector<std::string>{kJob0001, kJob0002});
  CHECK(f.ActiveNames() == std::vector<std::string>{kJob0002});
}

TEST_CASE("cronjob: Replace deletes the running Job before starting the next") {
  Fixture f;
  f.Seed(CronJobObject("* * * * *", "Replace"));
  f.Advance(std::chrono::seconds(31));
  f.Sync();
  REQUIRE(f.JobNames() == std::vector<std::string>{kJob0001});
  f.Advance(std::chrono::seconds(60));
  f.Sync();
  CHECK(f.JobNames() == std::vector<std::string>{kJob0002});
  CHECK(f.ActiveNames() == std::vector<std::string>{kJob0002});
  std::vector<client::FakeClient::Action> deletes = f.fake().ActionsFor("delete", "jobs");
  REQUIRE(deletes.size() == 1);
  CHECK(deletes[0].name == kJob0001);
  CHECK(deletes[0].delete_options.propagation_policy == "Background");
  CHECK(f.Events("SuccessfulDelete") ==
        std::vector<std::string>{std::string("Normal SuccessfulDelete: Deleted job ") + kJob0001});
}

TEST_CASE("cronjob: history limits delete the oldest finished Jobs") {
  Fixture f;
  client::Object cj = CronJobObject("0 0 1 1 *", "Allow");
  cj["spec"].as_object()["successfulJobsHistoryLimit"] = 2;
  cj["spec"].as_object()["failedJobsHistoryLimit"] = 1;
  cj = f.Seed(cj);
  auto seed_job = [&](const std::string& name) {
    client::Object j =
        testing::MakeObject("batch/v1", "Job", "default", name, {testing::OwnerRefJson(cj, true)});
    REQUIRE(f.fake().Seed(kJobsRes, j).ok());
  };
  for (const char* n : {"ok-a", "ok-b", "ok-c", "bad-a", "bad-b", "running"}) seed_job(n);
  f.FinishJob("ok-a", "Complete", "2024-01-01T00:00:03Z", "2023-12-31T23:00:00Z");
  f.FinishJob("ok-b", "Complete", "2024-01-01T00:00:01Z", "2023-12-31T23:00:01Z");
  f.FinishJob("ok-c", "Complete", "2024-01-01T00:00:02Z", "2023-12-31T23:00:02Z");
  f.FinishJob("bad-a", "Failed", "2024-01-01T00:00:04Z", "2023-12-31T23:00:04Z");
  f.FinishJob("bad-b", "Failed", "2024-01-01T00:00:05Z", "2023-12-31T23:00:03Z");
  f.Sync();
  // Oldest by startTime go: ok-a (successful) and bad-b (failed).
  CHECK(f.JobNames() == std::vector<std::string>{"bad-a", "ok-b", "ok-c", "running"});
  CHECK(f.Events("SuccessfulDelete").size() == 2);
  // The unfinished Job we did not start is reported.
  CHECK(f.Events("UnexpectedJob").size() == 1);
}

TEST_CASE("cronjob: a suspended CronJob starts nothing until resumed") {
  Fixture f;
  client::Object cj = CronJobObject("* * * * *", "Allow");
  cj["spec"].as_object()["suspend"] = true;
  f.Seed(cj);
  f.Advance(std::chrono::seconds(91));
  f.Sync();
  CHECK(f.JobNames().empty());
  f.fake().Patch(kCronJobsRes, "default", "cj", client::PatchType::kMerge,
                 R"({"spec":{"suspend":false}})");
  f.Sync();
  CHECK(f.JobNames() == std::vector<std::string>{kJob0002});  // the most recent time only
}

TEST_CASE("cronjob: startingDeadlineSeconds skips runs that are too late") {
  Fixture f;
  client::Object cj = CronJobObject("* * * * *", "Allow");
  cj["spec"].as_object()["startingDeadlineSeconds"] = 10;
  f.Seed(cj);
  f.Advance(std::chrono::seconds(60));  // 00:01:30, 30 s after 00:01
  f.Sync();
  CHECK(f.JobNames().empty());
  f.Advance(std::chrono::seconds(35));  // 00:02:05
  f.Sync();
  CHECK(f.JobNames() == std::vector<std::string>{kJob0002});
}

TEST_CASE("cronjob: too many missed times warns and starts only the most recent") {
  Fixture f;
  f.Seed(CronJobObject("* * * * *", "Allow", "2023-12-01T00:00:00Z"));
  f.Sync();
  CHECK(f.JobNames() == std::vector<std::string>{"cj-28401120"});  // 2024-01-01T00:00:00Z
  CHECK(f.Events("TooManyMissedTimes") ==
        std::vector<std::string>{
            "Warning TooManyMissedTimes: too many missed start times. Set or decrease "
            ".spec.startingDeadlineSeconds or check clock skew"});
}

TEST_CASE("cronjob: an unparseable schedule or unknown time zone is a warning, not a Job") {
  SUBCASE("schedule") {
    Fixture f;
    f.Seed(CronJobObject("not a cron", "Allow"));
    f.Advance(std::chrono::seconds(120));
    f.Sync();
    CHECK(f.JobNames().empty());
    CHECK(f.Events("UnparseableSchedule") ==
          std::vector<std::string>{"Warning UnparseableSchedule: unparseable schedule: \"not a "
                                   "cron\" : expected exactly 5 fields, found 3: [not a cron]"});
  }
  SUBCASE("time zone") {
    Fixture f;
    client::Object cj = CronJobObject("* * * * *", "Allow");
    cj["spec"].as_object()["timeZone"] = "Mars/Olympus";
    f.Seed(cj);
    f.Advance(std::chrono::seconds(120));
    f.Sync();
    CHECK(f.JobNames().empty());
    CHECK(f.Events("UnknownTimeZone") ==
          std::vector<std::string>{"Warning UnknownTimeZone: invalid timeZone: \"Mars/Olympus\": "
                                   "unknown time zone Mars/Olympus"});
  }
  SUBCASE("impossible date") {
    Fixture f;
    f.Seed(CronJobObject("0 0 30 2 *", "Allow"));
    f.Sync();
    CHECK(f.JobNames().empty());
    CHECK(f.Events("InvalidSchedule").size() == 1);
  }
}

TEST_CASE("cronjob: timeZone schedules in that zone and annotates with its offset") {
  Fixture f(At("2024-01-02T00:00:30Z"));
  client::Object cj = CronJobObject("0 9 * * *", "Allow", "2024-01-01T00:00:00Z");
  cj["spec"].as_object()["timeZone"] = "Asia/Tokyo";
  f.Seed(cj);
  f.Sync();
  std::string name = CronJobJobName("cj", At("2024-01-02T00:00:00Z"));
  REQUIRE(f.JobNames() == std::vector<std::string>{name});
  client::Object job = *f.fake().Get(kJobsRes, "default", name);
  CHECK(api::GetString(*api::GetObject(*api::GetObject(job, "metadata"), "annotations"),
                       kCronJobScheduledTimestampAnnotation) == "2024-01-02T09:00:00+09:00");
}

TEST_CASE("cronjob: an active Job that vanished is dropped from status") {
  Fixture f;
  client::Object cj = CronJobObject("0 0 1 1 *", "Allow");
  cj["status"].as_object()["active"] =
      boost::json::array{boost::json::object{{"kind", "Job"},
                                             {"namespace", "default"},
                                             {"name", "cj-gone"},
                                             {"uid", "uid-gone"},
                                             {"apiVersion", "batch/v1"}}};
  f.Seed(cj);
  f.Sync();
  CHECK(f.ActiveNames().empty());
  CHECK(f.Events("MissingJob") ==
        std::vector<std::string>{"Normal MissingJob: Active job went missing: cj-gone"});
}

TEST_CASE("cronjob: workers requeue at the next schedule time of the fake clock") {
  Fixture f;
  f.cc.Start(1);
  f.Seed(CronJobObject("* * * * *", "Allow"));
  REQUIRE(testing::WaitFor([&] { return f.cc.Running(); }));
  std::this_thread::sleep_for(std::chrono::milliseconds(100));
  CHECK(f.JobNames().empty());
  f.Advance(std::chrono::seconds(31));
  REQUIRE(testing::WaitFor([&] { return f.JobNames().size() == 1; }));
  REQUIRE(testing::WaitFor([&] { return f.ActiveNames().size() == 1; }));
  f.Advance(std::chrono::seconds(60));
  REQUIRE(testing::WaitFor([&] { return f.JobNames().size() == 2; }));
}

}  // namespace
}  // namespace kc::controllers
