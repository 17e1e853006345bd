#include "pkg/controllers/daemonset_node_eligibility.h"

#include <doctest/doctest.h>

#include <boost/json/parse.hpp>

#include "pkg/api/json_path.h"
#include "pkg/client/indexer.h"

namespace kc::controllers {
namespace {

boost::json::object Json(const std::string& s) { return boost::json::parse(s).as_object(); }

client::Object Node(const std::string& name, const std::string& labels = "{}",
                    const std::string& taints = "[]") {
  return Json(R"({"apiVersion":"v1","kind":"Node","metadata":{"name":")" + name + R"(","labels":)" +
              labels + R"(},"spec":{"taints":)" + taints + "}}");
}

client::Object DaemonSet(const std::string& pod_spec) {
  return Json(R"({"apiVersion":"apps/v1","kind":"DaemonSet","metadata":{"name":"ds",)"
              R"("namespace":"default"},"spec":{"template":{"metadata":{"labels":{"app":"d"}},)"
              R"("spec":)" +
              pod_spec + "}}}");
}

TEST_CASE("daemonset eligibility: tolerations against taints") {
  struct Row {
    const char* toleration;
    const char* taint;
    bool tolerated;
  };
  std::vector<Row> rows = {
      {R"({"key":"k","operator":"Equal","value":"v","effect":"NoSchedule"})",
       R"({"key":"k","value":"v","effect":"NoSchedule"})", true},
      {R"({"key":"k","value":"v"})", R"({"key":"k","value":"v","effect":"NoExecute"})", true},
      {R"({"key":"k","value":"w"})", R"({"key":"k","value":"v","effect":"NoSchedule"})", false},
      {R"({"key":"k","operator":"Exists"})", R"({"key":"k","value":"v","effect":"NoSchedule"})",
       true},
      {R"({"operator":"Exists"})", R"({"key":"any","effect":"NoExecute"})", true},
      {R"({"key":"k","operator":"Exists","effect":"NoSchedule"})",
       R"({"key":"k","effect":"NoExecute"})", false},
      {R"({"key":"j","operator":"Exists"})", R"({"key":"k","effect":"NoSchedule"})", false},
      {R"({"key":"k","operator":"Bogus"})", R"({"key":"k","effect":"NoSchedule"})", false},
  };
  for (const Row& r : rows) {
    CAPTURE(r.toleration);
    CAPTURE(r.taint);
    CHECK(ToleratesTaint(Json(r.toleration), Json(r.taint)) == r.tolerated);
  }
}

TEST_CASE("daemonset eligibility: node selector terms") {
  client::Object node = Node("n1", R"({"zone":"a","gen":"5"})");
  struct Row {
    const char* term;
    bool matches;
  };
  std::vector<Row> rows = {
      {R"({"matchExpressions":[{"key":"zone","operator":"In","values":["a","b"]}]})", true},
      {R"({"matchExpressions":[{"key":"zone","operator":"NotIn","values":["a"]}]})", false},
      {R"({"matchExpressions":[{"key":"zone","operator":"Exists"}]})", true},
      {R"({"matchExpressions":[{"key":"rack","operator":"DoesNotExist"}]})", true},
      {R"({"matchExpressions":[{"key":"gen","operator":"Gt","values":["4"]}]})", true},
      {R"({"matchExpressions":[{"key":"gen","operator":"Lt","values":["4"]}]})", false},
      {R"({"matchExpressions":[{"key":"gen","operator":"Gt","values":["x"]}]})", false},
      {R"({"matchExpressions":[{"key":"zone","operator":"In","values":[]}]})", false},
      {R"({"matchExpressions":[{"key":"zone","operator":"Near","values":["a"]}]})", false},
      {R"({"matchFields":[{"key":"metadata.name","operator":"In","values":["n1"]}]})", true},
      {R"({"matchFields":[{"key":"metadata.name","operator":"In","values":["n2"]}]})", false},
      {R"({"matchFields":[{"key":"metadata.name","operator":"NotIn","values":["n2"]}]})", true},
      {R"({"matchFields":[{"key":"metadata.uid","operator":"In","values":["n1"]}]})", false},
      {R"({"matchExpressions":[{"key":"zone","operator":"In","values":["a"]}],)"
       R"("matchFields":[{"key":"metadata.name","operator":"In","values":["n2"]}]})",
       false},
      {R"({})", false},
  };
  for (const Row& r : rows) {
    CAPTURE(r.term);
    CHECK(NodeSelectorTermMatches(Json(r.term), node) == r.matches);
  }
}

TEST_CASE("daemonset eligibility: nodeSelector and required affinity together") {
  client::Object node = Node("n1", R"({"zone":"a"})");
  CHECK(PodMatchesNodeAffinity(Json(R"({"nodeSelector":{"zone":"a"}})"), node));
  CHECK_FALSE(PodMatchesNodeAffinity(Json(R"({"nodeSelector":{"zone":"b"}})"), node));
  CHECK_FALSE(PodMatchesNodeAffinity(Json(R"({"nodeSelector":{"rack":"1"}})"), node));
  // Terms are ORed.
  CHECK(PodMatchesNodeAffinity(
      Json(R"({"affinity":{"nodeAffinity":{"requiredDuringSchedulingIgnoredDuringExecution":)"
           R"({"nodeSelectorTerms":[{"matchExpressions":[{"key":"zone","operator":"In",)"
           R"("values":["b"]}]},{"matchExpressions":[{"key":"zone","operator":"In",)"
           R"("values":["a"]}]}]}}}})"),
      node));
  CHECK_FALSE(PodMatchesNodeAffinity(
      Json(R"({"nodeSelector":{"zone":"a"},"affinity":{"nodeAffinity":{)"
           R"("requiredDuringSchedulingIgnoredDuringExecution":{"nodeSelectorTerms":[)"
           R"({"matchFields":[{"key":"metadata.name","operator":"In","values":["n9"]}]}]}}}})"),
      node));
  // Only preferred terms: no requirement.
  CHECK(PodMatchesNodeAffinity(
      Json(
          R"({"affinity":{"nodeAffinity":{"preferredDuringSchedulingIgnoredDuringExecution":[]}}})"),
      node));
}

TEST_CASE("daemonset eligibility: default tolerations and node pinning") {
  boost::json::object spec = Json(
      R"({"tolerations":[{"key":"node.kubernetes.io/not-ready","operator":"Exists",)"
      R"("effect":"NoExecute","tolerationSeconds":300},{"key":"custom","operator":"Exists"}]})");
  AddDaemonPodTolerations(spec);
  const boost::json::array& tol = spec["tolerations"].as_array();
  // not-ready replaced in place (no tolerationSeconds), custom kept, five more added.
  REQUIRE(tol.size() == 7);
  CHECK(api::GetString(tol[0].as_object(), "key") == "node.kubernetes.io/not-ready");
  CHECK(tol[0].as_object().if_contains("tolerationSeconds") == nullptr);
  CHECK(api::GetString(tol[1].as_object(), "key") == "custom");
  std::vector<std::string> keys;
  for (const auto& t : tol) keys.push_back(api::GetString(t.as_object(), "key"));
  CHECK(keys == std::vector<std::string>{
                    "node.kubernetes.io/not-ready", "custom", "node.kubernetes.io/unreachable",
                    "node.kubernetes.io/disk-pressure", "node.kubernetes.io/memory-pressure",
                    "node.kubernetes.io/pid-pressure", "node.kubernetes.io/unschedulable"});
  AddDaemonPodTolerations(spec);  // idempotent
  CHECK(spec["tolerations"].as_array().size() == 7);
  boost::json::object host = Json(R"({"hostNetwork":true})");
  AddDaemonPodTolerations(host);
  CHECK(api::GetString(host["tolerations"].as_array().back().as_object(), "key") ==
        "node.kubernetes.io/network-unavailable");

  boost::json::object pinned = Json(
      R"({"affinity":{"nodeAffinity":{"requiredDuringSchedulingIgnoredDuringExecution":)"
      R"({"nodeSelectorTerms":[{"matchExpressions":[{"key":"zone","operator":"In","values":["a"]}]}]},)"
      R"("preferredDuringSchedulingIgnoredDuringExecution":[{"weight":1,"preference":{}}]}}})");
  SetDaemonPodNodeAffinity(pinned, "n7");
  const boost::json::value* terms = api::Lookup(
      pinned,
      "affinity.nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution.nodeSelectorTerms");
  REQUIRE(terms);
  REQUIRE(terms->as_array().size() == 1);
  CHECK(api::Lookup(terms->as_array()[0], "matchExpressions") == nullptr);
  CHECK(
      api::Lookup(pinned, "affinity.nodeAffinity.preferredDuringSchedulingIgnoredDuringExecution"));
  client::Object pod{{"spec", pinned}};
  CHECK(DaemonPodTargetNode(pod) == "n7");
  CHECK(PodMatchesNodeAffinity(pinned, Node("n7")));
  CHECK_FALSE(PodMatchesNodeAffinity(pinned, Node("n8")));
  pod["spec"].as_object()["nodeName"] = "n9";
  CHECK(DaemonPodTargetNode(pod) == "n9");
  CHECK(DaemonPodTargetNode(client::Object{{"spec", boost::json::object{}}}).empty());
}

TEST_CASE("daemonset eligibility: should run / should continue running") {
  struct Row {
    const char* name;
    client::Object node;
    std::string pod_spec;
    DaemonNodeFit fit;
  };
  const std::string plain = R"({"containers":[{"name":"c","image":"i"}]})";
  std::vector<Row> rows = {
      {"plain node", Node("n1"), plain, {true, true}},
      {"untolerated NoSchedule",
       Node("n1", "{}", R"([{"key":"k","effect":"NoSchedule"}])"),
       plain,
       {false, true}},
      {"untolerated NoExecute",
       Node("n1", "{}", R"([{"key":"k","effect":"NoExecute"}])"),
       plain,
       {false, false}},
      {"PreferNoSchedule is ignored",
       Node("n1", "{}", R"([{"key":"k","effect":"PreferNoSchedule"}])"),
       plain,
       {true, true}},
      {"tolerated taint",
       Node("n1", "{}", R"([{"key":"k","value":"v","effect":"NoExecute"}])"),
       R"({"tolerations":[{"key":"k","value":"v"}]})",
       {true, true}},
      {"default toleration: unschedulable",
       Node("n1", "{}", R"([{"key":"node.kubernetes.io/unschedulable","effect":"NoSchedule"}])"),
       plain,
       {true, true}},
      {"default toleration: not-ready",
       Node("n1", "{}", R"([{"key":"node.kubernetes.io/not-ready","effect":"NoExecute"}])"),
       plain,
       {true, true}},
      {"network-unavailable needs hostNetwork",
       Node("n1", "{}",
            R"([{"key":"node.kubernetes.io/network-unavailable","effect":"NoSchedule"}])"),
       plain,
       {false, true}},
      {"network-unavailable with hostNetwork",
       Node("n1", "{}",
            R"([{"key":"node.kubernetes.io/network-unavailable","effect":"NoSchedule"}])"),
       R"({"hostNetwork":true})",
       {true, true}},
      {"node selector matches",
       Node("n1", R"({"role":"edge"})"),
       R"({"nodeSelector":{"role":"edge"}})",
       {true, true}},
      {"node selector mismatch",
       Node("n1", R"({"role":"core"})"),
       R"({"nodeSelector":{"role":"edge"}})",
       {false, false}},
      {"affinity mismatch",
       Node("n1", R"({"role":"core"})"),
       R"({"affinity":{"nodeAffinity":{"requiredDuringSchedulingIgnoredDuringExecution":)"
       R"({"nodeSelectorTerms":[{"matchExpressions":[{"key":"role","operator":"In",)"
       R"("values":["edge"]}]}]}}}})",
       {false, false}},
      {"template nodeName elsewhere", Node("n1"), R"({"nodeName":"n2"})", {false, false}},
      {"template nodeName here", Node("n1"), R"({"nodeName":"n1"})", {true, true}},
  };
  for (const Row& r : rows) {
    CAPTURE(r.name);
    DaemonNodeFit got = NodeShouldRunDaemonPod(r.node, DaemonSet(r.pod_spec));
    CHECK(got.should_run == r.fit.should_run);
    CHECK(got.should_continue_running == r.fit.should_continue_running);
  }
}

}  // namespace
}  // namespace kc::controllers
