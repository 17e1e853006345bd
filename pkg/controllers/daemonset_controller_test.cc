#include "pkg/controllers/daemonset_controller.h"

#include <doctest/doctest.h>

#include <algorithm>
#include <boost/json/parse.hpp>
#include <map>

#include "pkg/api/json_path.h"
#include "pkg/client/fake_client.h"
#include "pkg/controllers/controller_revision.h"
#include "pkg/controllers/controller_test_util.h"
#include "pkg/controllers/controller_utils.h"
#include "pkg/controllers/daemonset_node_eligibility.h"
#include "pkg/controllers/replica_set_test_util.h"

namespace kc::controllers {
namespace {

using testing::kPods;
using testing::MakeObject;

const client::ResourceRef kDaemonSets{"apps", "v1", "daemonsets"};
const client::ResourceRef kNodes{"", "v1", "nodes"};

boost::json::value Json(const std::string& s) { return boost::json::parse(s); }

client::Object NodeObject(const std::string& name, const std::string& labels = "{}",
                          const std::string& taints = "[]") {
  client::Object n = MakeObject("v1", "Node", "", name);
  n["metadata"].as_object()["labels"] = Json(labels);
  n["spec"] = boost::json::object{{"taints", Json(taints)}};
  return n;
}

client::Object DaemonSetObject(const std::string& image,
                               const std::string& strategy =
                                   R"({"type":"RollingUpdate",)"
                                   R"("rollingUpdate":{"maxUnavailable":1,"maxSurge":0}})") {
  client::Object ds = MakeObject("apps/v1", "DaemonSet", "default", "agent");
  ds["metadata"].as_object()["annotations"] =
      boost::json::object{{kTemplateGenerationAnnotation, "1"}};
  ds["spec"] = boost::json::object{
      {"selector", boost::json::object{{"matchLabels", boost::json::object{{"app", "agent"}}}}},
      {"updateStrategy", Json(strategy)},
      {"template", testing::PodTemplate("agent", image)}};
  return ds;
}

struct Fixture {
  client::FakeClient fake;
  client::SharedInformerFactory factory{fake};
  DaemonSetController dsc{fake, factory};

  Fixture() {
    factory.Start();
    REQUIRE(factory.WaitForCacheSync(std::chrono::seconds(5)));
  }
  ~Fixture() {
    dsc.Stop();
    factory.Stop();
  }
  void CatchUp() {
    REQUIRE(testing::CacheCaughtUp(fake, factory, kPods));
    REQUIRE(testing::CacheCaughtUp(fake, factory, kDaemonSets));
    REQUIRE(testing::CacheCaughtUp(fake, factory, kNodes));
    REQUIRE(testing::CacheCaughtUp(fake, factory, kControllerRevisionsResource));
    // The handlers run right after the cache changed; wait for them to count what we made.
    REQUIRE(testing::WaitFor([&] { return dsc.ExpectationsSatisfied("default/agent"); }));
  }
  void Sync() {
    CatchUp();
    api::Status st = dsc.Sync("default/agent");
    REQUIRE_MESSAGE(st.ok(), st.ToString());
    CatchUp();
  }
  client::Object Ds() { return *fake.Get(kDaemonSets, "default", "agent"); }
  boost::json::object Status() {
    client::Object d = Ds();
    const boost::json::object* st = api::GetObject(d, "status");
    return st ? *st : boost::json::object();
  }
  std::vector<client::Object> Pods() {
    api::Result<client::ObjectList> l = fake.List(kPods, "default", {});
    REQUIRE(l.ok());
    return l->items;
  }
  // node → pod names on it.
  std::map<std::string, std::vector<std::string>> ByNode() {
    std::map<std::string, std::vector<std::string>> out;
    for (const client::Object& p : Pods()) {
      out[DaemonPodTargetNode(p)].push_back(client::ObjectMetaString(p, "name"));
    }
    return out;
  }
  std::string Hash(const client::Object& pod) {
    const boost::json::value* l = api::Lookup(pod, "metadata.labels");
    return l ? api::GetString(l->get_object(), kControllerRevisionHashLabel) : "";
  }
  void ReadyAll(std::chrono::seconds ago = std::chrono::seconds(0)) {
    for (const client::Object& p : Pods()) {
      if (!IsPodReady(p))
        testing::SetPodReady(fake, client::ObjectMetaString(p, "name"), true, ago);
    }
  }
  void SetImage(const std::string& image, int generation) {
    REQUIRE(
        fake.Patch(kDaemonSets, "default", "agent", client::PatchType::kMerge,
                   R"({"metadata":{"annotations":{")" + std::string(kTemplateGenerationAnnotation) +
                       R"(":")" + std::to_string(generation) +
                       R"("}},"spec":{"template":{"spec":{"containers":[{"name":"c","image":")" +
                       image + R"("}]}}}})")
            .ok());
  }
  int CountImage(const std::string& image) {
    int n = 0;
    for (const client::Object& p : Pods()) {
      const boost::json::value* i = api::Lookup(p, "spec.containers.0.image");
      if (i && i->get_string() == image) n++;
    }
    return n;
  }
  int ReadyCount() {
    int n = 0;
    for (const client::Object& p : Pods()) n += IsPodReady(p) ? 1 : 0;
    return n;
  }
};

TEST_CASE("daemonset: one pod per eligible node, pinned by node affinity") {
  Fixture f;
  f.fake.Seed(kNodes, NodeObject("a", R"({"role":"worker"})"));
  f.fake.Seed(kNodes,
              NodeObject("b", R"({"role":"worker"})", R"([{"key":"gpu","effect":"NoSchedule"}])"));
  f.fake.Seed(kNodes,
              NodeObject("c", R"({"role":"worker"})",
                         R"([{"key":"node.kubernetes.io/unschedulable","effect":"NoSchedule"}])"));
  f.fake.Seed(kNodes, NodeObject("d", R"({"role":"control"})"));
  client::Object ds = DaemonSetObject("agent:1");
  ds["spec"].as_object()["template"].as_object()["spec"].as_object()["nodeSelector"] =
      boost::json::object{{"role", "worker"}};
  client::Object stored = *f.fake.Seed(kDaemonSets, ds);
  f.Sync();
  auto by_node = f.ByNode();
  CHECK(by_node.size() == 2);
  CHECK(by_node["a"].size() == 1);
  CHECK(by_node["c"].size() == 1);  // cordoned, but daemon pods tolerate unschedulable

  std::vector<client::Object> revs =
      f.fake.List(kControllerRevisionsResource, "default", {})->items;
  REQUIRE(revs.size() == 1);
  std::string hash = RevisionHashLabel(revs[0]);
  CHECK(client::ObjectMetaString(revs[0], "name") == "agent-" + hash);
  CHECK(RevisionNumber(revs[0]) == 1);
  CHECK(RevisionDataEquals(revs[0], RevisionPatch(stored)));

  client::Object pod = f.Pods()[0];
  CHECK(client::ObjectMetaString(pod, "name").rfind("agent-", 0) == 0);
  const boost::json::object& labels = api::Lookup(pod, "metadata.labels")->get_object();
  CHECK(api::GetString(labels, "app") == "agent");
  CHECK(api::GetString(labels, kControllerRevisionHashLabel) == hash);
  CHECK(api::GetString(labels, kPodTemplateGenerationLabel) == "1");
  CHECK(api::Lookup(pod, "spec.nodeName") == nullptr);
  const boost::json::value* field =
      api::Lookup(pod,
                  "spec.affinity.nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution."
                  "nodeSelectorTerms.0.matchFields.0");
  REQUIRE(field);
  CHECK(api::GetString(field->get_object(), "key") == "metadata.name");
  CHECK(api::GetString(field->get_object(), "operator") == "In");
  CHECK(api::Lookup(pod, "spec.tolerations")->get_array().size() == 6);
  std::optional<OwnerRef> ref = ControllerOf(pod);
  REQUIRE(ref);
  CHECK(ref->uid == client::ObjectMetaString(stored, "uid"));
  CHECK(ref->kind == "DaemonSet");

  f.Sync();
  boost::json::object st = f.Status();
  CHECK(api::GetInt64(st, "desiredNumberScheduled") == 2);
  CHECK(api::GetInt64(st, "currentNumberScheduled") == 2);
  CHECK(api::GetInt64(st, "updatedNumberScheduled") == 2);
  CHECK(api::GetInt64(st, "numberReady") == 0);
  CHECK(api::GetInt64(st, "numberAvailable") == 0);
  CHECK(api::GetInt64(st, "numberUnavailable") == 2);
  CHECK(api::GetInt64(st, "numberMisscheduled") == 0);
  CHECK(api::GetInt64(st, "observedGeneration") ==
        api::GetInt64(*api::GetObject(f.Ds(), "metadata"), "generation"));
  f.ReadyAll();
  f.Sync();
  st = f.Status();
  CHECK(api::GetInt64(st, "numberReady") == 2);
  CHECK(api::GetInt64(st, "numberAvailable") == 2);
  CHECK(api::GetInt64(st, "numberUnavailable") == 0);
}

TEST_CASE("daemonset: follows nodes that appear, change and disappear") {
  Fixture f;
  f.fake.Seed(kNodes, NodeObject("a"));
  f.fake.Seed(kDaemonSets, DaemonSetObject("agent:1"));
  f.Sync();
  CHECK(f.ByNode().size() == 1);

  f.fake.Seed(kNodes, NodeObject("b"));
  f.Sync();
  CHECK(f.ByNode().size() == 2);

  // An untolerated NoSchedule taint keeps the running pod; NoExecute removes it.
  REQUIRE(f.fake
              .Patch(kNodes, "", "b", client::PatchType::kMerge,
                     R"({"spec":{"taints":[{"key":"k","effect":"NoSchedule"}]}})")
              .ok());
  f.Sync();
  CHECK(f.ByNode().count("b") == 1);
  CHECK(api::GetInt64(f.Status(), "numberMisscheduled") == 1);
  CHECK(api::GetInt64(f.Status(), "desiredNumberScheduled") == 1);
  REQUIRE(f.fake
              .Patch(kNodes, "", "b", client::PatchType::kMerge,
                     R"({"spec":{"taints":[{"key":"k","effect":"NoExecute"}]}})")
              .ok());
  f.Sync();
  CHECK(f.ByNode().count("b") == 0);

  // A node selector that stops matching removes the pod.
  REQUIRE(f.fake
              .Patch(kDaemonSets, "default", "agent", client::PatchType::kMerge,
                     R"({"spec":{"template":{"spec":{"nodeSelector":{"zone":"x"}}}}})")
              .ok());
  REQUIRE(f.fake
              .Patch(kNodes, "", "a", client::PatchType::kMerge,
                     R"({"metadata":{"labels":{"zone":"y"}}})")
              .ok());
  f.Sync();
  CHECK(f.ByNode().empty());
  REQUIRE(f.fake
              .Patch(kNodes, "", "a", client::PatchType::kMerge,
                     R"({"metadata":{"labels":{"zone":"x"}}})")
              .ok());
  f.Sync();
  CHECK(f.ByNode().size() == 1);

  // A bound pod whose node was deleted goes too.
  std::string pod = f.ByNode()["a"][0];
  REQUIRE(
      f.fake.Patch(kPods, "default", pod, client::PatchType::kMerge, R"({"spec":{"nodeName":"a"}})")
          .ok());
  REQUIRE(f.fake.Delete(kNodes, "", "a").ok());
  f.Sync();
  CHECK(f.Pods().empty());
  CHECK(api::GetInt64(f.Status(), "desiredNumberScheduled") == 0);
}

TEST_CASE("daemonset: failed pods are replaced, surplus pods pruned") {
  Fixture f;
  f.fake.Seed(kNodes, NodeObject("a"));
  f.fake.Seed(kDaemonSets, DaemonSetObject("agent:1"));
  f.Sync();
  client::Object pod = f.Pods()[0];
  std::string name = client::ObjectMetaString(pod, "name");
  pod["status"] = boost::json::object{{"phase", "Failed"}};
  client::WriteOptions w;
  w.subresource = "status";
  REQUIRE(f.fake.Update(kPods, "default", pod, w).ok());
  f.Sync();
  CHECK(f.Pods().empty());
  f.Sync();
  REQUIRE(f.Pods().size() == 1);
  CHECK(client::ObjectMetaString(f.Pods()[0], "name") != name);

  // A second pod for the same node (say, made by hand): the newer one goes.
  client::Object extra = f.Pods()[0];
  boost::json::object& meta = extra["metadata"].as_object();
  meta.erase("uid");
  meta.erase("resourceVersion");
  meta["name"] = "zz-agent-extra";
  REQUIRE(f.fake.Seed(kPods, extra).ok());
  f.Sync();
  REQUIRE(f.Pods().size() == 1);
  CHECK(client::ObjectMetaString(f.Pods()[0], "name") != "zz-agent-extra");
}

TEST_CASE("daemonset: rolling update keeps within maxUnavailable") {
  struct Row {
    const char* max_unavailable;
    int64_t per_step;
  };
  std::vector<Row> rows = {{"1", 1}, {"\"50%\"", 2}, {"\"10%\"", 1}};
  for (const Row& row : rows) {
    CAPTURE(row.max_unavailable);
    Fixture f;
    for (const char* n : {"a", "b", "c", "d"}) f.fake.Seed(kNodes, NodeObject(n));
    f.fake.Seed(kDaemonSets,
                DaemonSetObject("agent:1", std::string(R"({"type":"RollingUpdate",)"
                                                       R"("rollingUpdate":{"maxUnavailable":)") +
                                               row.max_unavailable + R"(,"maxSurge":0}})"));
    f.Sync();
    f.ReadyAll();
    f.Sync();
    REQUIRE(f.ReadyCount() == 4);
    f.SetImage("agent:2", 2);
    int steps = 0;
    while (f.CountImage("agent:2") < 4 || f.ReadyCount() < 4) {
      REQUIRE(++steps < 20);
      f.Sync();
      // Never more than maxUnavailable nodes without a ready pod.
      CHECK(4 - f.ReadyCount() <= row.per_step);
      CHECK(static_cast<int64_t>(f.Pods().size()) <= 4);
      f.ReadyAll();
    }
    f.Sync();
    CHECK(f.CountImage("agent:1") == 0);
    boost::json::object st = f.Status();
    CHECK(api::GetInt64(st, "updatedNumberScheduled") == 4);
    CHECK(api::GetInt64(st, "numberAvailable") == 4);
    for (const client::Object& p : f.Pods()) {
      CHECK(api::GetString(api::Lookup(p, "metadata.labels")->get_object(),
                           kPodTemplateGenerationLabel) == "2");
    }
  }
}

TEST_CASE("daemonset: rolling update with maxSurge starts the new pod first") {
  Fixture f;
  for (const char* n : {"a", "b"}) f.fake.Seed(kNodes, NodeObject(n));
  f.fake.Seed(kDaemonSets, DaemonSetObject("agent:1", R"({"type":"RollingUpdate","rollingUpdate":)"
                                                      R"({"maxUnavailable":0,"maxSurge":1}})"));
  f.Sync();
  f.ReadyAll();
  f.Sync();
  f.SetImage("agent:2", 2);
  f.Sync();
  // One node got a second (new) pod; the old ones still run.
  CHECK(f.Pods().size() == 3);
  CHECK(f.CountImage("agent:2") == 1);
  f.Sync();  // the new pod is not ready: nothing else happens
  CHECK(f.Pods().size() == 3);
  int steps = 0;
  while (f.CountImage("agent:1") > 0) {
    REQUIRE(++steps < 20);
    CHECK(f.ReadyCount() >= 2);  // availability never drops
    CHECK(f.Pods().size() <= 3);
    f.ReadyAll();
    f.Sync();
  }
  f.ReadyAll();
  f.Sync();
  CHECK(f.Pods().size() == 2);
  CHECK(api::GetInt64(f.Status(), "updatedNumberScheduled") == 2);
}

TEST_CASE("daemonset: OnDelete waits for pods to be deleted") {
  Fixture f;
  for (const char* n : {"a", "b"}) f.fake.Seed(kNodes, NodeObject(n));
  f.fake.Seed(kDaemonSets, DaemonSetObject("agent:1", R"({"type":"OnDelete"})"));
  f.Sync();
  f.ReadyAll();
  f.SetImage("agent:2", 2);
  for (int i = 0; i < 3; ++i) f.Sync();
  CHECK(f.CountImage("agent:1") == 2);
  CHECK(api::GetInt64(f.Status(), "updatedNumberScheduled") == 0);
  REQUIRE(f.fake.Delete(kPods, "default", f.ByNode()["a"][0]).ok());
  f.Sync();
  CHECK(f.CountImage("agent:2") == 1);
  CHECK(f.CountImage("agent:1") == 1);
  f.Sync();
  CHECK(api::GetInt64(f.Status(), "updatedNumberScheduled") == 1);
}

TEST_CASE("daemonset: revisions are renumbered on rollback and pruned by the history limit") {
  Fixture f;
  f.fake.Seed(kNodes, NodeObject("a"));
  client::Object ds = DaemonSetObject("agent:1");
  ds["spec"].as_object()["revisionHistoryLimit"] = 1;
  f.fake.Seed(kDaemonSets, ds);
  auto settle = [&] {
    for (int i = 0; i < 8; ++i) {
      f.Sync();
      f.ReadyAll();
    }
  };
  settle();
  std::string first = f.Hash(f.Pods()[0]);
  f.SetImage("agent:2", 2);
  settle();
  std::string second = f.Hash(f.Pods()[0]);
  CHECK(first != second);
  f.SetImage("agent:1", 3);
  settle();
  CHECK(f.Hash(f.Pods()[0]) == first);
  std::vector<client::Object> revs =
      f.fake.List(kControllerRevisionsResource, "default", {})->items;
  SortRevisions(revs);
  REQUIRE(revs.size() == 2);
  CHECK(RevisionHashLabel(revs[0]) == second);
  CHECK(RevisionNumber(revs[0]) == 2);
  CHECK(RevisionHashLabel(revs[1]) == first);
  CHECK(RevisionNumber(revs[1]) == 3);
  f.SetImage("agent:3", 4);
  settle();
  revs = f.fake.List(kControllerRevisionsResource, "default", {})->items;
  SortRevisions(revs);
  // The limit keeps one old revision: agent:2's (revision 2) went.
  REQUIRE(revs.size() == 2);
  CHECK(RevisionHashLabel(revs[0]) == first);
  CHECK(RevisionNumber(revs[1]) == 4);
}

TEST_CASE("daemonset: an everything selector is refused") {
  Fixture f;
  f.fake.Seed(kNodes, NodeObject("a"));
  client::Object ds = DaemonSetObject("agent:1");
  ds["spec"].as_object()["selector"] = boost::json::object{};
  f.fake.Seed(kDaemonSets, ds);
  f.Sync();
  CHECK(f.Pods().empty());
}

TEST_CASE("daemonset: the controller loop reacts to nodes") {
  client::FakeClient fake;
  client::SharedInformerFactory factory{fake};
  DaemonSetController dsc{fake, factory};
  factory.Start();
  dsc.Start(2);
  fake.Seed(kDaemonSets, DaemonSetObject("agent:1"));
  fake.Seed(kNodes, NodeObject("a"));
  CHECK(testing::WaitFor([&] { return fake.List(kPods, "default", {})->items.size() == 1; }));
  fake.Seed(kNodes, NodeObject("b"));
  CHECK(testing::WaitFor([&] { return fake.List(kPods, "default", {})->items.size() == 2; }));
  CHECK(testing::WaitFor([&] {
    client::Object d = *fake.Get(kDaemonSets, "default", "agent");
    const boost::json::value* v = api::Lookup(d, "status.desiredNumberScheduled");
    return v && v->is_int64() && v->get_int64() == 2;
  }));
  dsc.Stop();
  factory.Stop();
}

}  // namespace
}  // namespace kc::controllers
