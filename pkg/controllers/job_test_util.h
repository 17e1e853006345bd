// Helpers for the Job and CronJob controller tests (tests only): Job objects, pod outcomes in the
// fake, and reading Events and conditions back.
#pragma once

#include <doctest/doctest.h>

#include <boost/json/object.hpp>
#include <chrono>
#include <optional>
#include <string>
#include <vector>

#include "pkg/api/json_path.h"
#include "pkg/api/time_util.h"
#include "pkg/client/fake_client.h"
#include "pkg/controllers/controller_test_util.h"
#include "pkg/controllers/job_utils.h"

namespace kc::controllers::testing {

inline const client::ResourceRef kJobsRes{"batch", "v1", "jobs"};
inline const client::ResourceRef kCronJobsRes{"batch", "v1", "cronjobs"};

// A Job selecting its pods by batch.kubernetes.io/job-name (the API server would also add the
// controller-uid labels and selector; the controller only needs a matching selector).
inline client::Object JobObject(const std::string& name, std::optional<int64_t> completions,
                                int64_t parallelism) {
  client::Object job = MakeObject("batch/v1", "Job", "default", name);
  boost::json::object labels{{kJobNameLabel, name}, {"job-name", name}};
  boost::json::object spec;
  if (completions) spec["completions"] = *completions;
  spec["parallelism"] = parallelism;
  spec["backoffLimit"] = 6;
  spec["completionMode"] = "NonIndexed";
  spec["suspend"] = false;
  spec["selector"] =
      boost::json::object{{"matchLabels", boost::json::object{{kJobNameLabel, name}}}};
  spec["template"] = boost::json::object{
      {"metadata", boost::json::object{{"labels", labels}}},
      {"spec", boost::json::object{{"restartPolicy", "Never"},
                                   {"containers", boost::json::array{boost::json::object{
                                                      {"name", "c"}, {"image", "busybox"}}}}}}};
  job["spec"] = std::move(spec);
  return job;
}

// Sets the pod's phase; a terminal phase gets a terminated container with `exit_code` that
// finished at `finished`. `conditions` replaces status.conditions when not empty.
inline void SetPodPhase(client::FakeClient& fake, const std::string& name, const std::string& phase,
                        int64_t exit_code, std::chrono::system_clock::time_point finished,
                        boost::json::array conditions = {}) {
  api::Result<client::Object> p = fake.Get(kPods, "default", name);
  REQUIRE_MESSAGE(p.ok(), name);
  boost::json::object& st = api::EnsureObject(*p, "status");
  st["phase"] = phase;
  if (phase == "Succeeded" || phase == "Failed") {
    st["containerStatuses"] = boost::json::array{boost::json::object{
        {"name", "c"},
        {"restartCount", 0},
        {"state",
         boost::json::object{
             {"terminated", boost::json::object{{"exitCode", exit_code},
                                                {"finishedAt", api::FormatTime(finished)}}}}}}};
  }
  if (!conditions.empty()) st["conditions"] = std::move(conditions);
  client::WriteOptions w;
  w.subresource = "status";
  REQUIRE(fake.Update(kPods, "default", *p, w).ok());
}

// The Events whose reason is `reason`, as "type reason: message".
inline std::vector<std::string> EventsWithReason(client::FakeClient& fake,
                                                 const std::string& reason) {
  std::vector<std::string> out;
  api::Result<client::ObjectList> l = fake.List(kCoreEvents, "default", {});
  if (!l.ok()) return out;
  for (const client::Object& e : l->items) {
    if (api::GetString(e, "reason") != reason) continue;
    out.push_back(api::GetString(e, "type") + " " + reason + ": " + api::GetString(e, "message"));
  }
  return out;
}

// "type=status/reason" of every condition, in order.
inline std::vector<std::string> ConditionSummary(const client::Object& obj) {
  std::vector<std::string> out;
  const boost::json::value* c = api::Lookup(obj, "status.conditions");
  if (!c || !c->is_array()) return out;
  for (const boost::json::value& v : c->get_array()) {
    if (!v.is_object()) continue;
    out.push_back(api::GetString(v.get_object(), "type") + "=" +
                  api::GetString(v.get_object(), "status") + "/" +
                  api::GetString(v.get_object(), "reason"));
  }
  return out;
}

}  // namespace kc::controllers::testing
