#include "pkg/controllers/node_lifecycle_taints.h"

#include <doctest/doctest.h>

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>

#include "pkg/api/json_path.h"
#include "pkg/controllers/node_lifecycle_pods.h"

namespace kc::controllers {
namespace {

namespace json = boost::json;

client::Object Json(const std::string& s) { return json::parse(s).as_object(); }

// A node with the given Ready status ("" = no conditions), extra conditions and taints.
client::Object Node(const std::string& ready, const std::string& taints = "[]",
                    const std::string& extra_conditions = "", bool unschedulable = false) {
  std::string conds;
  if (!ready.empty()) conds = R"({"type":"Ready","status":")" + ready + R"("})";
  if (!extra_conditions.empty()) conds += (conds.empty() ? "" : ",") + extra_conditions;
  return Json(R"({"metadata":{"name":"n"},"spec":{"unschedulable":)" +
              std::string(unschedulable ? "true" : "false") + R"(,"taints":)" + taints +
              R"(},"status":{"conditions":[)" + conds + "]}}");
}

// "key:effect" of every taint, in order.
std::vector<std::string> Keys(const json::array& taints) {
  std::vector<std::string> out;
  for (const json::value& t : taints) {
    out.push_back(api::GetString(t.as_object(), "key") + ":" +
                  api::GetString(t.as_object(), "effect"));
  }
  return out;
}

const std::string kNow = "2024-05-01T12:00:00Z";

TEST_CASE("node lifecycle taints: conditions, cordon and Ready map to managed taints") {
  SUBCASE("a Ready node without taints needs nothing") {
    CHECK_FALSE(ReconcileNodeTaints(Node("True"), NoExecuteMode::kNormal, kNow).has_value());
  }
  SUBCASE("Ready Unknown: unreachable NoSchedule and NoExecute, with timeAdded") {
    auto t = ReconcileNodeTaints(Node("Unknown"), NoExecuteMode::kNormal, kNow);
    REQUIRE(t.has_value());
    CHECK(Keys(*t) == std::vector<std::string>{"node.kubernetes.io/unreachable:NoSchedule",
                                               "node.kubernetes.io/unreachable:NoExecute"});
    CHECK(api::GetString((*t)[0].as_object(), "timeAdded") == kNow);
    CHECK(api::GetString((*t)[1].as_object(), "timeAdded") == kNow);
  }
  SUBCASE("Ready False swaps unreachable for not-ready and keeps user taints") {
    client::Object n = Node("False",
                            R"([{"key":"dedicated","value":"db","effect":"NoSchedule"},
            {"key":"node.kubernetes.io/unreachable","effect":"NoSchedule","timeAdded":"2024-01-01T00:00:00Z"},
            {"key":"node.kubernetes.io/unreachable","effect":"NoExecute","timeAdded":"2024-01-01T00:00:00Z"}])");
    auto t = ReconcileNodeTaints(n, NoExecuteMode::kNormal, kNow);
    REQUIRE(t.has_value());
    CHECK(Keys(*t) == std::vector<std::string>{"dedicated:NoSchedule",
                                               "node.kubernetes.io/not-ready:NoSchedule",
                                               "node.kubernetes.io/not-ready:NoExecute"});
    CHECK(api::GetString((*t)[0].as_object(), "value") == "db");
  }
  SUBCASE("existing managed taints keep their timeAdded; Ready again removes them") {
    client::Object n = Node(
        "Unknown",
        R"([{"key":"node.kubernetes.io/unreachable","effect":"NoSchedule","timeAdded":"2024-01-01T00:00:00Z"},
            {"key":"node.kubernetes.io/unreachable","effect":"NoExecute","timeAdded":"2024-01-01T00:00:00Z"}])");
    CHECK_FALSE(ReconcileNodeTaints(n, NoExecuteMode::kNormal, kNow).has_value());
    n["status"].as_object()["conditions"].as_array()[0].as_object()["status"] = "True";
    auto t = ReconcileNodeTaints(n, NoExecuteMode::kNormal, kNow);
    REQUIRE(t.has_value());
    CHECK(t->empty());
  }
  SUBCASE("pressure conditions, network and cordon") {
    client::Object n = Node("True", "[]",
                            R"({"type":"MemoryPressure","status":"True"},
                               {"type":"DiskPressure","status":"False"},
                               {"type":"PIDPressure","status":"True"},
                               {"type":"NetworkUnavailable","status":"True"})",
                            true);
    auto t = ReconcileNodeTaints(n, NoExecuteMode::kNormal, kNow);
    REQUIRE(t.has_value());
    CHECK(Keys(*t) == std::vector<std::string>{"node.kubernetes.io/memory-pressure:NoSchedule",
                                               "node.kubernetes.io/network-unavailable:NoSchedule",
                                               "node.kubernetes.io/pid-pressure:NoSchedule",
                                               "node.kubernetes.io/unschedulable:NoSchedule"});
  }
  SUBCASE("an unschedulable taint without spec.unschedulable is removed (uncordon)") {
    client::Object n =
        Node("True", R"([{"key":"node.kubernetes.io/unschedulable","effect":"NoSchedule"}])");
    auto t = ReconcileNodeTaints(n, NoExecuteMode::kNormal, kNow);
    REQUIRE(t.has_value());
    CHECK(t->empty());
  }
  SUBCASE("a user's NoExecute taint with a managed key and another effect is left alone") {
    client::Object n =
        Node("True", R"([{"key":"node.kubernetes.io/unschedulable","effect":"NoExecute"}])");
    CHECK_FALSE(ReconcileNodeTaints(n, NoExecuteMode::kNormal, kNow).has_value());
  }
  SUBCASE("no Ready condition: NoExecute taints are left as they are") {
    client::Object n =
        Node("", R"([{"key":"node.kubernetes.io/unreachable","effect":"NoExecute"}])");
    CHECK_FALSE(ReconcileNodeTaints(n, NoExecuteMode::kNormal, kNow).has_value());
  }
  SUBCASE("hold: no new NoExecute taint, but swaps and removals happen") {
    auto t = ReconcileNodeTaints(Node("Unknown"), NoExecuteMode::kHold, kNow);
    REQUIRE(t.has_value());
    CHECK(Keys(*t) == std::vector<std::string>{"node.kubernetes.io/unreachable:NoSchedule"});
    client::Object n =
        Node("Unknown", R"([{"key":"node.kubernetes.io/unreachable","effect":"NoSchedule"},
                      {"key":"node.kubernetes.io/not-ready","effect":"NoExecute"}])");
    t = ReconcileNodeTaints(n, NoExecuteMode::kHold, kNow);
    REQUIRE(t.has_value());
    CHECK(Keys(*t) == std::vector<std::string>{"node.kubernetes.io/unreachable:NoSchedule",
                                               "node.kubernetes.io/unreachable:NoExecute"});
  }
  SUBCASE("remove: every zone is disrupted, NoExecute taints go") {
    client::Object n =
        Node("Unknown", R"([{"key":"node.kubernetes.io/unreachable","effect":"NoSchedule"},
                      {"key":"node.kubernetes.io/unreachable","effect":"NoExecute"}])");
    auto t = ReconcileNodeTaints(n, NoExecuteMode::kRemove, kNow);
    REQUIRE(t.has_value());
    CHECK(Keys(*t) == std::vector<std::string>{"node.kubernetes.io/unreachable:NoSchedule"});
  }
}

TEST_CASE("node lifecycle taints: default tolerations and eviction plans") {
  json::array unreachable =
      json::parse(R"([{"key":"node.kubernetes.io/unreachable","effect":"NoExecute"}])").as_array();

  SUBCASE("a pod without tolerations tolerates not-ready/unreachable for the default") {
    client::Object pod = Json(R"({"spec":{}})");
    json::array tol = EffectiveTolerations(pod, 300);
    REQUIRE(tol.size() == 2);
    CHECK(api::GetString(tol[0].as_object(), "key") == kTaintNodeNotReady);
    CHECK(api::GetInt64(tol[1].as_object(), "tolerationSeconds") == 300);
    EvictionPlan p = PlanEviction(unreachable, tol);
    CHECK(p.kind == EvictionPlan::kAfter);
    CHECK(p.after_seconds == 300);
    CHECK(EffectiveTolerations(pod, -1).empty());
    CHECK(PlanEviction(unreachable, EffectiveTolerations(pod, -1)).after_seconds == 0);
  }
  SUBCASE("the pod's own toleration wins over the default") {
    client::Object pod = Json(R"({"spec":{"tolerations":[
        {"key":"node.kubernetes.io/unreachable","operator":"Exists","effect":"NoExecute","tolerationSeconds":60}]}})");
    json::array tol = EffectiveTolerations(pod, 300);
    CHECK(tol.size() == 2);  // only not-ready is added
    EvictionPlan p = PlanEviction(unreachable, tol);
    CHECK(p.kind == EvictionPlan::kAfter);
    CHECK(p.after_seconds == 60);
  }
  SUBCASE("a wildcard toleration without seconds tolerates forever") {
    client::Object pod = Json(R"({"spec":{"tolerations":[{"operator":"Exists"}]}})");
    json::array tol = EffectiveTolerations(pod, 300);
    CHECK(tol.size() == 1);
    CHECK(PlanEviction(unreachable, tol).kind == EvictionPlan::kForever);
  }
  SUBCASE("an untolerated taint means now; tolerationSeconds <= 0 too; the minimum wins") {
    json::array taints = json::parse(R"([
        {"key":"node.kubernetes.io/unreachable","effect":"NoExecute"},
        {"key":"dedicated","value":"db","effect":"NoExecute"}])")
                             .as_array();
    json::array tol = EffectiveTolerations(Json(R"({"spec":{}})"), 300);
    CHECK(PlanEviction(taints, tol).kind == EvictionPlan::kAfter);
    CHECK(PlanEviction(taints, tol).after_seconds == 0);
    tol.push_back(json::parse(
        R"({"key":"dedicated","operator":"Equal","value":"db","effect":"NoExecute","tolerationSeconds":120})"));
    CHECK(PlanEviction(taints, tol).after_seconds == 120);
    tol.back().as_object()["tolerationSeconds"] = -5;
    CHECK(PlanEviction(taints, tol).after_seconds == 0);
  }
  SUBCASE("no NoExecute taints: nothing to do") {
    CHECK(PlanEviction(json::array(), json::array()).kind == EvictionPlan::kNone);
  }
}

TEST_CASE("node lifecycle pods: UpdatePodCondition keeps the transition time when unchanged") {
  json::object status = json::parse(R"({"conditions":[
      {"type":"Ready","status":"True","lastTransitionTime":"2024-01-01T00:00:00Z"}]})")
                            .as_object();
  json::object c{{"type", "Ready"}, {"status", "True"}};
  CHECK_FALSE(UpdatePodCondition(status, c, kNow));
  c["reason"] = "X";
  CHECK(UpdatePodCondition(status, c, kNow));
  CHECK(api::GetString(status["conditions"].as_array()[0].as_object(), "lastTransitionTime") ==
        "2024-01-01T00:00:00Z");
  c["status"] = "False";
  CHECK(UpdatePodCondition(status, c, kNow));
  CHECK(api::GetString(status["conditions"].as_array()[0].as_object(), "lastTransitionTime") ==
        kNow);
  CHECK(UpdatePodCondition(status, json::object{{"type", "DisruptionTarget"}, {"status", "True"}},
                           kNow));
  CHECK(status["conditions"].as_array().size() == 2);
}

}  // namespace
}  // namespace kc::controllers
