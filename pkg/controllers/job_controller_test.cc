#include "pkg/controllers/job_controller.h"

#include <doctest/doctest.h>

#include <algorithm>
#include <boost/json/serialize.hpp>

#include "pkg/api/json_path.h"
#include "pkg/api/time_util.h"
#include "pkg/controllers/controller_test_util.h"
#include "pkg/controllers/deletion_fake_client.h"
#include "pkg/controllers/job_test_util.h"
#include "pkg/controllers/replica_set_test_util.h"

namespace kc::controllers {
namespace {

using testing::kJobsRes;
using testing::kPods;

WallTime T0() { return *api::ParseTime("2024-01-01T00:00:00Z"); }

JobControllerOptions Options(client::FakeClock& clock, std::optional<WallTime> start) {
  JobControllerOptions o;
  o.clock = &clock;
  o.start_time = start;
  o.sync_batch_period = std::chrono::milliseconds(0);
  o.base_delay = std::chrono::milliseconds(1);
  o.max_delay = std::chrono::milliseconds(10);
  return o;
}

struct Fixture {
  testing::DeletionFakeClient client;
  client::FakeClock clock;
  client::SharedInformerFactory factory{client};
  JobController jc;

  // `start`: the wall time the fake clock starts at (nullopt: now, for tests that compare with
  // timestamps the fake API server writes, such as deletionTimestamp).
  explicit Fixture(std::optional<WallTime> start = T0())
      : jc(client, factory, Options(clock, start)) {
    factory.Start();
    REQUIRE(factory.WaitForCacheSync(std::chrono::seconds(5)));
  }
  ~Fixture() {
    jc.Stop();
    factory.Stop();
  }
  client::FakeClient& fake() { return client.fake(); }
  // The Events written so far with `reason` (events are written asynchronously: flush first).
  std::vector<std::string> Events(const std::string& reason) {
    jc.FlushEvents();
    return testing::EventsWithReason(fake(), reason);
  }
  void CatchUp() {
    REQUIRE(testing::CacheCaughtUp(fake(), factory, kPods));
    REQUIRE(testing::CacheCaughtUp(fake(), factory, kJobsRes));
  }
  void Sync(const std::string& name = "pi") {
    CatchUp();
    api::Status st = jc.Sync("default/" + name);
    REQUIRE_MESSAGE(st.ok(), st.ToString());
    CatchUp();
  }
  client::Object Create(const client::Object& job) {
    api::Result<client::Object> r = fake().Create(kJobsRes, "default", job);
    REQUIRE(r.ok());
    return *r;
  }
  client::Object Job(const std::string& name = "pi") {
    api::Result<client::Object> r = fake().Get(kJobsRes, "default", name);
    REQUIRE(r.ok());
    return *r;
  }
  boost::json::object Status(const std::string& name = "pi") {
    client::Object j = Job(name);
    const boost::json::object* st = api::GetObject(j, "status");
    return st ? *st : boost::json::object();
  }
  // Pods not being deleted, oldest first.
  std::vector<client::Object> Pods() {
    std::vector<client::Object> out;
    api::Result<client::ObjectList> l = fake().List(kPods, "default", {});
    REQUIRE(l.ok());
    for (client::Object& p : l->items) {
      if (!IsDeleting(p)) out.push_back(std::move(p));
    }
    return out;
  }
  std::vector<client::Object> PodsInPhase(const std::string& phase) {
    std::vector<client::Object> out;
    for (client::Object& p : Pods()) {
      if (PodPhase(p) == phase) out.push_back(std::move(p));
    }
    return out;
  }
  std::vector<client::Object> ActivePods() {
    std::vector<client::Object> out;
    for (client::Object& p : Pods()) {
      std::string ph = PodPhase(p);
      if (ph != "Succeeded" && ph != "Failed") out.push_back(std::move(p));
    }
    return out;
  }
  void Finish(const client::Object& pod, const std::string& phase, int64_t exit_code = 0,
              boost::json::array conditions = {}) {
    testing::SetPodPhase(fake(), client::ObjectMetaString(pod, "name"), phase, exit_code,
                         jc.wall_clock().Now(), std::move(conditions));
  }
  void Advance(std::chrono::seconds d) { clock.Advance(d); }
};

std::string Name(const client::Object& o) { return client::ObjectMetaString(o, "name"); }

TEST_CASE("job: runs parallelism pods until completions succeeded, then Complete") {
  Fixture f;
  client::Object job = f.Create(testing::JobObject("pi", 3, 2));
  f.Sync();
  std::vector<client::Object> pods = f.Pods();
  REQUIRE(pods.size() == 2);
  for (const client::Object& p : pods) {
    CHECK(Name(p).rfind("pi-", 0) == 0);
    CHECK(HasJobTrackingFinalizer(p));
    std::optional<OwnerRef> ref = ControllerOf(p);
    REQUIRE(ref);
    CHECK(ref->uid == client::ObjectMetaString(job, "uid"));
    CHECK(ref->kind == "Job");
    CHECK(ref->api_version == "batch/v1");
    CHECK(api::GetString(*api::GetObject(*api::GetObject(p, "metadata"), "labels"),
                         kJobNameLabel) == "pi");
  }
  boost::json::object st = f.Status();
  CHECK(api::GetInt64(st, "active") == 2);
  CHECK(api::GetInt64(st, "ready", -1) == 0);
  CHECK(api::GetInt64(st, "terminating", -1) == 0);
  CHECK(api::GetString(st, "startTime") == "2024-01-01T00:00:00Z");
  CHECK(st.contains("uncountedTerminatedPods"));
  CHECK(f.Events("SuccessfulCreate").size() == 2);

  // One succeeds: it is counted, loses its finalizer, and a third pod starts.
  f.Finish(pods[0], "Succeeded");
  f.Sync();
  st = f.Status();
  CHECK(api::GetInt64(st, "succeeded") == 1);
  CHECK(api::GetInt64(st, "active") == 2);
  CHECK_FALSE(HasJobTrackingFinalizer(*f.fake().Get(kPods, "default", Name(pods[0]))));
  CHECK(f.ActivePods().size() == 2);
  CHECK(testing::ConditionSummary(f.Job()).empty());

  for (const client::Object& p : f.ActivePods()) f.Finish(p, "Succeeded");
  f.Sync();
  client::Object done = f.Job();
  st = f.Status();
  CHECK(api::GetInt64(st, "succeeded") == 3);
  CHECK_FALSE(st.contains("active"));
  CHECK(testing::ConditionSummary(done) ==
        std::vector<std::string>{"SuccessCriteriaMet=True/CompletionsReached",
                                 "Complete=True/CompletionsReached"});
  CHECK(api::GetString(*FindJobCondition(done, "Complete"), "message") ==
        "Reached expected number of succeeded pods");
  CHECK(api::GetString(st, "completionTime") == "2024-01-01T00:00:00Z");
  CHECK(IsJobFinished(done));
  CHECK(f.Events("Completed") ==
        std::vector<std::string>{"Normal Completed: Job completed"});
  // Finished pods are kept, without the finalizer.
  CHECK(f.PodsInPhase("Succeeded").size() == 3);
  for (const client::Object& p : f.Pods()) CHECK_FALSE(HasJobTrackingFinalizer(p));
  // Further syncs of a finished Job change nothing.
  f.fake().ClearActions();
  f.Sync();
  CHECK(f.fake().ActionsFor("create", "pods").empty());
  CHECK(f.fake().ActionsFor("update", "jobs").empty());
}

TEST_CASE("job: without completions it is done when one pod succeeded and none is active") {
  Fixture f;
  client::Object job = testing::JobObject("pi", std::nullopt, 2);
  f.Create(job);
  f.Sync();
  std::vector<client::Object> pods = f.Pods();
  REQUIRE(pods.size() == 2);
  f.Finish(pods[0], "Succeeded");
  f.Sync();
  // No replacement: the remaining pod is left to finish.
  CHECK(f.ActivePods().size() == 1);
  CHECK(api::GetInt64(f.Status(), "active") == 1);
  CHECK_FALSE(IsJobFinished(f.Job()));
  f.Finish(pods[1], "Succeeded");
  f.Sync();
  CHECK(JobFinishedType(f.Job()) == "Complete");
  CHECK(api::GetInt64(f.Status(), "succeeded") == 2);
}

TEST_CASE("job: failed pods back off exponentially and exhaust backoffLimit") {
  Fixture f;
  client::Object job = testing::JobObject("pi", 1, 1);
  job["spec"].as_object()["backoffLimit"] = 2;
  f.Create(job);
  f.Sync();
  REQUIRE(f.ActivePods().size() == 1);

  f.Finish(f.ActivePods()[0], "Failed", 1);
  f.Sync();
  CHECK(api::GetInt64(f.Status(), "failed") == 1);
  CHECK(f.ActivePods().empty());  // 10 s back-off first
  f.Advance(std::chrono::seconds(9));
  f.Sync();
  CHECK(f.ActivePods().empty());
  f.Advance(std::chrono::seconds(2));
  f.Sync();
  REQUIRE(f.ActivePods().size() == 1);

  f.Finish(f.ActivePods()[0], "Failed", 1);
  f.Sync();
  CHECK(api::GetInt64(f.Status(), "failed") == 2);
  f.Advance(std::chrono::seconds(15));  // the second back-off is 20 s
  f.Sync();
  CHECK(f.ActivePods().empty());
  f.Advance(std::chrono::seconds(6));
  f.Sync();
  REQUIRE(f.ActivePods().size() == 1);

  f.Finish(f.ActivePods()[0], "Failed", 1);
  f.Sync();
  client::Object failed = f.Job();
  CHECK(api::GetInt64(f.Status(), "failed") == 3);
  CHECK(testing::ConditionSummary(failed) ==
        std::vector<std::string>{"FailureTarget=True/BackoffLimitExceeded",
                                 "Failed=True/BackoffLimitExceeded"});
  CHECK(api::GetString(*FindJobCondition(failed, "Failed"), "message") ==
        "Job has reached the specified backoff limit");
  CHECK_FALSE(api::GetObject(failed, "status")->contains("completionTime"));
  CHECK(f.Events("BackoffLimitExceeded") ==
        std::vector<std::string>{
            "Warning BackoffLimitExceeded: Job has reached the specified backoff limit"});
  CHECK(f.PodsInPhase("Failed").size() == 3);  // failed pods are kept
}

TEST_CASE("job: with restartPolicy OnFailure, container restarts count against backoffLimit") {
  Fixture f;
  client::Object job = testing::JobObject("pi", 1, 1);
  job["spec"].as_object()["backoffLimit"] = 2;
  job["spec"].as_object()["template"].as_object()["spec"].as_object()["restartPolicy"] =
      "OnFailure";
  f.Create(job);
  f.Sync();
  REQUIRE(f.ActivePods().size() == 1);
  std::string name = Name(f.ActivePods()[0]);
  auto restarts = [&](int64_t n) {
    client::Object p = *f.fake().Get(kPods, "default", name);
    p["status"] = boost::json::object{
        {"phase", "Running"},
        {"containerStatuses",
         boost::json::array{boost::json::object{{"name", "c"}, {"restartCount", n}}}}};
    client::WriteOptions w;
    w.subresource = "status";
    REQUIRE(f.fake().Update(kPods, "default", p, w).ok());
  };
  restarts(1);
  f.Sync();
  CHECK_FALSE(IsJobConditionTrue(f.Job(), "FailureTarget"));
  restarts(2);
  f.Sync();
  CHECK(IsJobConditionTrue(f.Job(), "FailureTarget"));
  CHECK(f.Pods().empty());  // the running pod was deleted and counted
  f.Sync();
  CHECK(JobFinishedType(f.Job()) == "Failed");
  CHECK(api::GetString(*FindJobCondition(f.Job(), "Failed"), "reason") == "BackoffLimitExceeded");
  CHECK(api::GetInt64(f.Status(), "failed") == 1);
}

TEST_CASE("job: back-off delays follow 10s * 2^(n-1) up to the cap") {
  JobBackoffRecord r;
  WallTime t = T0();
  using std::chrono::milliseconds;
  using std::chrono::seconds;
  CHECK(RemainingBackoff(r, t, seconds(10), seconds(360)) == milliseconds(0));
  r.last_failure_time = t;
  for (auto [failures, want] : std::vector<std::pair<int, int>>{
           {1, 10}, {2, 20}, {3, 40}, {4, 80}, {5, 160}, {6, 320}, {7, 360}, {20, 360}}) {
    r.failures_after_last_success = failures;
    CHECK(RemainingBackoff(r, t, seconds(10), seconds(360)) == seconds(want));
  }
  r.failures_after_last_success = 2;
  CHECK(RemainingBackoff(r, t + seconds(5), seconds(10), seconds(360)) == seconds(15));
  CHECK(RemainingBackoff(r, t + seconds(25), seconds(10), seconds(360)) == milliseconds(0));
}

TEST_CASE("job: activeDeadlineSeconds fails the Job and removes its active pods") {
  Fixture f;
  client::Object job = testing::JobObject("pi", 4, 2);
  job["spec"].as_object()["activeDeadlineSeconds"] = 30;
  f.Create(job);
  f.Sync();
  REQUIRE(f.ActivePods().size() == 2);
  f.Advance(std::chrono::seconds(29));
  f.Sync();
  CHECK_FALSE(IsJobConditionTrue(f.Job(), "FailureTarget"));
  f.Advance(std::chrono::seconds(1));
  f.Sync();
  // The pods were deleted; the terminal condition follows once none is terminating.
  CHECK(f.Pods().empty());
  CHECK(IsJobConditionTrue(f.Job(), "FailureTarget"));
  f.Sync();
  client::Object failed = f.Job();
  CHECK(testing::ConditionSummary(failed) ==
        std::vector<std::string>{"FailureTarget=True/DeadlineExceeded",
                                 "Failed=True/DeadlineExceeded"});
  CHECK(api::GetString(*FindJobCondition(failed, "Failed"), "message") ==
        "Job was active longer than specified deadline");
  CHECK(api::GetInt64(f.Status(), "failed") == 2);
  CHECK_FALSE(f.Status().contains("active"));
  CHECK(f.Events("DeadlineExceeded").size() == 1);
}

TEST_CASE("job: Indexed completion mode runs one pod per index and tracks completedIndexes") {
  Fixture f;
  client::Object job = testing::JobObject("idx", 5, 5);
  job["spec"].as_object()["completionMode"] = "Indexed";
  f.Create(job);
  f.Sync("idx");
  std::vector<client::Object> pods = f.Pods();
  REQUIRE(pods.size() == 5);
  std::map<int64_t, client::Object> by_index;
  for (const client::Object& p : pods) {
    int64_t ix = CompletionIndex(p);
    REQUIRE(ix >= 0);
    by_index[ix] = p;
    std::string s = std::to_string(ix);
    CHECK(Name(p).rfind("idx-" + s + "-", 0) == 0);
    CHECK(api::Lookup(p, "spec.hostname")->as_string() == ("idx-" + s).c_str());
    CHECK(api::GetString(*api::GetObject(*api::GetObject(p, "metadata"), "labels"),
                         kJobCompletionIndexAnnotation) == s);
    const boost::json::value* env = api::Lookup(p, "spec.containers.0.env.0");
    REQUIRE(env);
    CHECK(api::GetString(env->as_object(), "name") == "JOB_COMPLETION_INDEX");
    CHECK(api::Lookup(*env, "valueFrom.fieldRef.fieldPath")->as_string() ==
          "metadata.labels['batch.kubernetes.io/job-completion-index']");
  }
  CHECK(by_index.size() == 5);

  f.Finish(by_index[0], "Succeeded");
  f.Finish(by_index[2], "Succeeded");
  f.Sync("idx");
  CHECK(api::GetString(f.Status("idx"), "completedIndexes") == "0,2");
  CHECK(api::GetInt64(f.Status("idx"), "succeeded") == 2);
  f.Finish(by_index[1], "Succeeded");
  f.Finish(by_index[4], "Succeeded");
  f.Sync("idx");
  CHECK(api::GetString(f.Status("idx"), "completedIndexes") == "0-2,4");

  // A failed index is recreated with the same index after the back-off.
  f.Finish(by_index[3], "Failed", 2);
  f.Sync("idx");
  CHECK(f.ActivePods().empty());
  f.Advance(std::chrono::seconds(11));
  f.Sync("idx");
  std::vector<client::Object> active = f.ActivePods();
  REQUIRE(active.size() == 1);
  CHECK(CompletionIndex(active[0]) == 3);
  f.Finish(active[0], "Succeeded");
  f.Sync("idx");
  CHECK(api::GetString(f.Status("idx"), "completedIndexes") == "0-4");
  CHECK(JobFinishedType(f.Job("idx")) == "Complete");
}

TEST_CASE("job: completed index intervals render and parse as upstream") {
  CHECK(OrderedIndexes().With({0, 1, 2, 4}).ToString() == "0-2,4");
  CHECK(OrderedIndexes().With({5, 6}).ToString() == "5,6");
  CHECK(OrderedIndexes().With({3}).ToString() == "3");
  OrderedIndexes p = OrderedIndexes::Parse("0-2,4,x,7-9", 9);
  CHECK(p.ToString() == "0-2,4,7,8");
  CHECK(p.Total() == 6);
  CHECK(p.Has(1));
  CHECK_FALSE(p.Has(3));
  CHECK(p.With({3}).ToString() == "0-4,7,8");
  CHECK(OrderedIndexes::Parse("", 3).Total() == 0);
}

TEST_CASE("job: suspend deletes active pods, resume starts them again") {
  Fixture f;
  f.Create(testing::JobObject("pi", 4, 2));
  f.Sync();
  REQUIRE(f.ActivePods().size() == 2);
  f.fake().Patch(kJobsRes, "default", "pi", client::PatchType::kMerge,
                 R"({"spec":{"suspend":true}})");
  f.Sync();
  CHECK(f.Pods().empty());
  client::Object job = f.Job();
  CHECK(testing::ConditionSummary(job) == std::vector<std::string>{"Suspended=True/JobSuspended"});
  CHECK(api::GetString(*FindJobCondition(job, "Suspended"), "message") == "Job suspended");
  CHECK_FALSE(f.Status().contains("active"));
  CHECK_FALSE(f.Status().contains("failed"));  // deleted by the controller: not failures
  CHECK(f.Events("Suspended").size() == 1);
  f.Sync();
  CHECK(f.Pods().empty());

  f.Advance(std::chrono::seconds(100));
  f.fake().Patch(kJobsRes, "default", "pi", client::PatchType::kMerge,
                 R"({"spec":{"suspend":false}})");
  f.Sync();
  CHECK(f.ActivePods().size() == 2);
  CHECK(testing::ConditionSummary(f.Job()) ==
        std::vector<std::string>{"Suspended=False/JobResumed"});
  CHECK(api::GetString(f.Status(), "startTime") == "2024-01-01T00:01:40Z");
  CHECK(f.Events("Resumed").size() == 1);
}

TEST_CASE("job: a Job created suspended has no startTime and no pods") {
  Fixture f;
  client::Object job = testing::JobObject("pi", 1, 1);
  job["spec"].as_object()["suspend"] = true;
  f.Create(job);
  f.Sync();
  CHECK(f.Pods().empty());
  CHECK_FALSE(f.Status().contains("startTime"));
  CHECK(IsJobConditionTrue(f.Job(), "Suspended"));
}

TEST_CASE("job: podFailurePolicy FailJob on an exit code fails the Job at once") {
  Fixture f;
  client::Object job = testing::JobObject("pi", 3, 1);
  boost::json::object& spec = job["spec"].as_object();
  spec["podFailurePolicy"] = boost::json::object{
      {"rules", boost::json::array{boost::json::object{
                    {"action", "FailJob"},
                    {"onExitCodes", boost::json::object{{"operator", "In"},
                                                        {"values", boost::json::array{42}}}}}}}};
  f.Create(job);
  f.Sync();
  REQUIRE(f.ActivePods().size() == 1);
  client::Object pod = f.ActivePods()[0];
  f.Finish(pod, "Failed", 42);
  f.Sync();
  f.Sync();
  client::Object failed = f.Job();
  CHECK(testing::ConditionSummary(failed) ==
        std::vector<std::string>{"FailureTarget=True/PodFailurePolicy",
                                 "Failed=True/PodFailurePolicy"});
  CHECK(api::GetString(*FindJobCondition(failed, "Failed"), "message") ==
        "Container c for pod default/" + Name(pod) +
            " failed with exit code 42 matching FailJob rule at index 0");
  CHECK(api::GetInt64(f.Status(), "failed") == 1);
}

TEST_CASE("job: podFailurePolicy Ignore does not count a failure against backoffLimit") {
  Fixture f;
  client::Object job = testing::JobObject("pi", 1, 1);
  boost::json::object& spec = job["spec"].as_object();
  spec["backoffLimit"] = 0;
  spec["podFailurePolicy"] = boost::json::object{
      {"rules", boost::json::array{
                    boost::json::object{{"action", "Ignore"},
                                        {"onPodConditions", boost::json::array{boost::json::object{
                                                                {"type", "DisruptionTarget"}}}}},
                    boost::json::object{
                        {"action", "Count"},
                        {"onExitCodes", boost::json::object{{"operator", "NotIn"},
                                                            {"values", boost::json::array{0}}}}}}}};
  f.Create(job);
  f.Sync();
  REQUIRE(f.ActivePods().size() == 1);
  f.Finish(
      f.ActivePods()[0], "Failed", 137,
      boost::json::array{boost::json::object{
          {"type", "DisruptionTarget"}, {"status", "True"}, {"reason", "EvictionByEvictionAPI"}}});
  f.Sync();
  CHECK_FALSE(IsJobFinished(f.Job()));
  CHECK_FALSE(f.Status().contains("failed"));
  f.Advance(std::chrono::seconds(11));
  f.Sync();
  REQUIRE(f.ActivePods().size() == 1);
  // A counted failure exceeds backoffLimit 0.
  f.Finish(f.ActivePods()[0], "Failed", 1);
  f.Sync();
  CHECK(JobFinishedType(f.Job()) == "Failed");
  CHECK(api::GetInt64(f.Status(), "failed") == 1);
}

TEST_CASE("job: podFailurePolicy rule matching") {
  client::Object pod = testing::MakeObject("v1", "Pod", "default", "p");
  pod["status"] = boost::json::object{
      {"phase", "Failed"},
      {"containerStatuses",
       boost::json::array{
           boost::json::object{{"name", "ok"},
                               {"state", boost::json::object{{"terminated", {{"exitCode", 0}}}}}},
           boost::json::object{
               {"name", "main"},
               {"state", boost::json::object{{"terminated", {{"exitCode", 3}}}}}}}}};
  auto policy = [](const char* action, const char* op, int64_t code, const char* container) {
    boost::json::object req{{"operator", op}, {"values", boost::json::array{code}}};
    if (container) req["containerName"] = container;
    return boost::json::object{{"rules", boost::json::array{boost::json::object{
                                             {"action", action}, {"onExitCodes", req}}}}};
  };
  boost::json::object p1 = policy("FailJob", "In", 3, nullptr);
  PodFailurePolicyMatch m = MatchPodFailurePolicy(&p1, pod);
  CHECK(m.action == PodFailureAction::kFailJob);
  CHECK(
      m.fail_job_message ==
      "Container main for pod default/p failed with exit code 3 matching FailJob rule at index 0");
  boost::json::object p2 = policy("Ignore", "NotIn", 3, nullptr);
  CHECK(MatchPodFailurePolicy(&p2, pod).action == PodFailureAction::kNone);  // 0 never matches
  boost::json::object p3 = policy("Ignore", "In", 3, "other");
  CHECK(MatchPodFailurePolicy(&p3, pod).action == PodFailureAction::kNone);
  boost::json::object p4 = policy("Ignore", "NotIn", 1, "main");
  PodFailurePolicyMatch ig = MatchPodFailurePolicy(&p4, pod);
  CHECK(ig.action == PodFailureAction::kIgnore);
  CHECK_FALSE(ig.count_failed);
  CHECK(MatchPodFailurePolicy(nullptr, pod).count_failed);
}

TEST_CASE("job: a pod deleted before it finished counts as failed") {
  Fixture f(std::nullopt);
  f.Create(testing::JobObject("pi", 1, 1));
  f.Sync();
  REQUIRE(f.ActivePods().size() == 1);
  std::string name = Name(f.ActivePods()[0]);
  REQUIRE(f.fake().Delete(kPods, "default", name).ok());  // kept by the finalizer
  f.Sync();
  CHECK(api::GetInt64(f.Status(), "failed") == 1);
  CHECK_FALSE(f.fake().Get(kPods, "default", name).ok());  // finalizer removed: gone
  f.Sync();
  CHECK(f.ActivePods().empty());  // back-off from the deletion time
  f.Advance(std::chrono::seconds(12));
  f.Sync();
  CHECK(f.ActivePods().size() == 1);
}

TEST_CASE("job: surplus pods after lowering parallelism are deleted without counting") {
  Fixture f;
  f.Create(testing::JobObject("pi", 10, 3));
  f.Sync();
  REQUIRE(f.ActivePods().size() == 3);
  f.fake().Patch(kJobsRes, "default", "pi", client::PatchType::kMerge,
                 R"({"spec":{"parallelism":1}})");
  f.Sync();
  CHECK(f.Pods().size() == 1);
  CHECK(api::GetInt64(f.Status(), "active") == 1);
  CHECK_FALSE(f.Status().contains("failed"));
  CHECK(f.Events("SuccessfulDelete").size() == 2);
}

TEST_CASE("job: adopts matching orphan pods with the tracking finalizer") {
  Fixture f;
  client::Object job = f.Create(testing::JobObject("pi", 1, 1));
  client::Object orphan = testing::MakeObject("v1", "Pod", "default", "orphan");
  orphan["metadata"].as_object()["labels"] = boost::json::object{{kJobNameLabel, "pi"}};
  f.fake().Seed(kPods, orphan);
  f.Sync();
  client::Object adopted = *f.fake().Get(kPods, "default", "orphan");
  std::optional<OwnerRef> ref = ControllerOf(adopted);
  REQUIRE(ref);
  CHECK(ref->uid == client::ObjectMetaString(job, "uid"));
  CHECK(HasJobTrackingFinalizer(adopted));
  CHECK(f.Pods().size() == 1);  // the adopted pod fills the only slot
}

TEST_CASE("job: ttlSecondsAfterFinished deletes the finished Job in the foreground") {
  Fixture f;
  client::Object job = testing::JobObject("pi", 1, 1);
  job["spec"].as_object()["ttlSecondsAfterFinished"] = 100;
  job = f.Create(job);
  f.Sync();
  f.Finish(f.ActivePods()[0], "Succeeded");
  f.Sync();
  REQUIRE(JobFinishedType(f.Job()) == "Complete");
  f.Sync();
  CHECK(f.fake().ActionsFor("delete", "jobs").empty());
  f.Advance(std::chrono::seconds(100));
  f.Sync();
  std::vector<client::FakeClient::Action> deletes = f.fake().ActionsFor("delete", "jobs");
  REQUIRE(deletes.size() == 1);
  CHECK(deletes[0].delete_options.propagation_policy == "Foreground");
  CHECK(deletes[0].delete_options.precondition_uid == client::ObjectMetaString(job, "uid"));
  CHECK(IsDeleting(f.Job()));  // foreground: kept until the garbage collector is done
}

TEST_CASE("job: orphan pods lose the tracking finalizer") {
  Fixture f;
  client::Object pod =
      testing::MakeObject("v1", "Pod", "default", "stray", {}, {kJobTrackingFinalizer});
  pod["metadata"].as_object()["ownerReferences"] =
      boost::json::array{boost::json::object{{"apiVersion", "batch/v1"},
                                             {"kind", "Job"},
                                             {"name", "gone"},
                                             {"uid", "uid-gone"},
                                             {"controller", true}}};
  f.fake().Seed(kPods, pod);
  client::Object other =
      testing::MakeObject("v1", "Pod", "default", "rs-pod", {}, {kJobTrackingFinalizer});
  other["metadata"].as_object()["ownerReferences"] =
      boost::json::array{boost::json::object{{"apiVersion", "apps/v1"},
                                             {"kind", "ReplicaSet"},
                                             {"name", "rs"},
                                             {"uid", "uid-rs"},
                                             {"controller", true}}};
  f.fake().Seed(kPods, other);
  f.CatchUp();
  REQUIRE(f.jc.SyncOrphanPod("default/stray").ok());
  REQUIRE(f.jc.SyncOrphanPod("default/rs-pod").ok());
  CHECK_FALSE(HasJobTrackingFinalizer(*f.fake().Get(kPods, "default", "stray")));
  CHECK(HasJobTrackingFinalizer(*f.fake().Get(kPods, "default", "rs-pod")));
}

TEST_CASE("job: workers drive a Job to completion from informer events") {
  Fixture f;
  f.jc.Start(2);
  f.Create(testing::JobObject("pi", 2, 2));
  REQUIRE(testing::WaitFor([&] { return f.ActivePods().size() == 2; }));
  for (const client::Object& p : f.ActivePods()) f.Finish(p, "Succeeded");
  REQUIRE(testing::WaitFor([&] { return JobFinishedType(f.Job()) == "Complete"; }));
  CHECK(api::GetInt64(f.Status(), "succeeded") == 2);
  CHECK(f.Pods().size() == 2);
  REQUIRE(testing::WaitFor([&] {
    for (const client::Object& p : f.Pods()) {
      if (HasJobTrackingFinalizer(p)) return false;
    }
    return true;
  }));
}

}  // namespace
}  // namespace kc::controllers
