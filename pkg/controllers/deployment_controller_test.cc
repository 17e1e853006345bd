#include "pkg/controllers/deployment_controller.h"

#include <doctest/doctest.h>

#include <thread>

#include "pkg/api/json_path.h"
#include "pkg/controllers/controller_test_util.h"
#include "pkg/controllers/controller_utils.h"
#include "pkg/controllers/deletion_fake_client.h"
#include "pkg/controllers/replica_set_controller.h"
#include "pkg/controllers/replica_set_test_util.h"

namespace kc::controllers {
namespace {

using testing::kDeployments;
using testing::kPods;
using testing::kReplicaSets;
using testing::MakeObject;

client::Object DeploymentObject(int64_t replicas, const std::string& image,
                                boost::json::object strategy) {
  client::Object d = MakeObject("apps/v1", "Deployment", "default", "web");
  d["spec"] = boost::json::object{
      {"replicas", replicas},
      {"selector", boost::json::object{{"matchLabels", boost::json::object{{"app", "web"}}}}},
      {"strategy", std::move(strategy)},
      {"template", testing::PodTemplate("web", image)}};
  return d;
}

boost::json::object Rolling(boost::json::value surge, boost::json::value unavailable) {
  return boost::json::object{
      {"type", "RollingUpdate"},
      {"rollingUpdate", boost::json::object{{"maxSurge", surge}, {"maxUnavailable", unavailable}}}};
}

struct Fixture {
  testing::DeletionFakeClient client;
  client::SharedInformerFactory factory{client};
  ReplicaSetController rsc{client, factory};
  DeploymentController dc{client, factory};
  bool auto_ready = true;

  Fixture() {
    factory.Start();
    REQUIRE(factory.WaitForCacheSync(std::chrono::seconds(5)));
  }
  ~Fixture() {
    dc.Stop();
    rsc.Stop();
    factory.Stop();
  }
  void CatchUp() {
    REQUIRE(testing::CacheCaughtUp(client.fake(), factory, kPods));
    REQUIRE(testing::CacheCaughtUp(client.fake(), factory, kReplicaSets));
    REQUIRE(testing::CacheCaughtUp(client.fake(), factory, kDeployments));
  }
  std::vector<client::Object> List(const client::ResourceRef& res) {
    api::Result<client::ObjectList> l = client.fake().List(res, "default", {});
    REQUIRE(l.ok());
    return l->items;
  }
  client::Object Deployment() { return *client.fake().Get(kDeployments, "default", "web"); }
  // One deployment sync followed by one sync of every ReplicaSet.
  void Step() {
    CatchUp();
    api::Status st = dc.Sync("default/web");
    REQUIRE_MESSAGE(st.ok(), st.ToString());
    CatchUp();
    for (const client::Object& rs : List(kReplicaSets)) {
      api::Status r = rsc.Sync("default/" + client::ObjectMetaString(rs, "name"));
      REQUIRE_MESSAGE(r.ok(), r.ToString());
    }
    CatchUp();
  }
  void MakePodsReady() {
    for (const client::Object& p : List(kPods)) {
      if (!IsPodReady(p))
        testing::SetPodReady(client.fake(), client::ObjectMetaString(p, "name"), true);
    }
  }
  int ReadyPods() {
    int n = 0;
    for (const client::Object& p : List(kPods)) n += IsPodActive(p) && IsPodReady(p) ? 1 : 0;
    return n;
  }
  int64_t SpecTotal() {
    int64_t n = 0;
    for (const client::Object& rs : List(kReplicaSets))
      n += api::GetInt64(*api::GetObject(rs, "spec"), "replicas");
    return n;
  }
  bool Complete() {
    client::Object d = Deployment();
    const boost::json::value* c = api::Lookup(d, "status.conditions");
    if (!c || !c->is_array()) return false;
    const boost::json::object* p = FindCondition(c->get_array(), "Progressing");
    const boost::json::object& st = *api::GetObject(d, "status");
    int64_t want = api::GetInt64(*api::GetObject(d, "spec"), "replicas");
    return p && api::GetString(*p, "reason") == "NewReplicaSetAvailable" &&
           api::GetInt64(st, "observedGeneration") ==
               api::GetInt64(*api::GetObject(d, "metadata"), "generation") &&
           api::GetInt64(st, "updatedReplicas") == want && api::GetInt64(st, "replicas") == want &&
           api::GetInt64(st, "availableReplicas") == want;
  }
  // Steps (making pods ready in between) until the rollout completed; calls `check` each step.
  void Settle(const std::function<void()>& check = {}) {
    for (int i = 0; i < 40 && !Complete(); ++i) {
      Step();
      if (check) check();
      if (auto_ready) MakePodsReady();
    }
    Step();
    REQUIRE(Complete());
  }
  void SetImage(const std::string& image) {
    client::Object d = Deployment();
    d["spec"].as_object()["template"] = testing::PodTemplate("web", image);
    REQUIRE(client.fake().Update(kDeployments, "default", d).ok());
  }
  std::optional<client::Object> RsWithImage(const std::string& image) {
    for (const client::Object& rs : List(kReplicaSets)) {
      const boost::json::value* i = api::Lookup(rs, "spec.template.spec.containers.0.image");
      if (i && i->is_string() && i->get_string() == image) return rs;
    }
    return std::nullopt;
  }
};

std::string Ann(const client::Object& o, const std::string& k) {
  const boost::json::value* a = api::Lookup(o, "metadata.annotations");
  return a && a->is_object() ? api::GetString(a->get_object(), k) : "";
}

TEST_CASE("deployment: fenceposts round surge up and unavailable down") {
  struct Row {
    int64_t replicas;
    boost::json::value surge, unavailable;
    int64_t want_surge, want_unavailable;
  };
  std::vector<Row> rows = {{10, "25%", "25%", 3, 2}, {4, 1, 1, 1, 1},       {3, "50%", "10%", 2, 0},
                           {1, 0, 0, 0, 1},          {5, "0%", "0%", 0, 1}, {10, "100%", 0, 10, 0}};
  for (const Row& r : rows) {
    CAPTURE(r.replicas);
    api::Result<Fenceposts> fp =
        ResolveFenceposts(DeploymentObject(r.replicas, "x", Rolling(r.surge, r.unavailable)));
    REQUIRE(fp.ok());
    CHECK(fp->max_surge == r.want_surge);
    CHECK(fp->max_unavailable == r.want_unavailable);
  }
  CHECK_FALSE(ResolveFenceposts(DeploymentObject(3, "x", Rolling("abc", 1))).ok());
  api::Result<Fenceposts> rec =
      ResolveFenceposts(DeploymentObject(3, "x", boost::json::object{{"type", "Recreate"}}));
  REQUIRE(rec.ok());
  CHECK(rec->max_surge == 0);
}

TEST_CASE("deployment: creates a hashed ReplicaSet and reports a complete rollout") {
  Fixture f;
  f.client.fake().Seed(kDeployments, DeploymentObject(3, "nginx:1", Rolling(1, 0)));
  f.Settle();
  std::vector<client::Object> rss = f.List(kReplicaSets);
  REQUIRE(rss.size() == 1);
  const client::Object& rs = rss[0];
  std::string hash = api::GetString(*api::GetObject(*api::GetObject(rs, "metadata"), "labels"),
                                    kPodTemplateHashLabel);
  REQUIRE_FALSE(hash.empty());
  CHECK(client::ObjectMetaString(rs, "name") == "web-" + hash);
  CHECK(hash.find_first_not_of("bcdfghjklmnpqrstvwxz2456789") == std::string::npos);
  const boost::json::value* ml = api::Lookup(rs, "spec.selector.matchLabels");
  REQUIRE(ml);
  REQUIRE(ml->is_object());
  CHECK(api::GetString(ml->get_object(), kPodTemplateHashLabel) == hash);
  CHECK(Ann(rs, kRevisionAnnotation) == "1");
  CHECK(Ann(rs, kDesiredReplicasAnnotation) == "3");
  CHECK(Ann(rs, kMaxReplicasAnnotation) == "4");
  CHECK(ControllerOf(rs)->kind == "Deployment");
  client::Object d = f.Deployment();
  CHECK(Ann(d, kRevisionAnnotation) == "1");
  const boost::json::object& st = *api::GetObject(d, "status");
  CHECK(api::GetInt64(st, "readyReplicas") == 3);
  CHECK(api::GetInt64(st, "unavailableReplicas") == 0);
  const boost::json::array& conds = *api::GetArray(st, "conditions");
  const boost::json::object* avail = FindCondition(conds, "Available");
  REQUIRE(avail);
  CHECK(api::GetString(*avail, "status") == "True");
  CHECK(api::GetString(*avail, "reason") == "MinimumReplicasAvailable");
  const boost::json::object* prog = FindCondition(conds, "Progressing");
  REQUIRE(prog);
  CHECK(api::GetString(*prog, "message") ==
        "ReplicaSet \"web-" + hash + "\" has successfully progressed.");
  // The hash is stable for the same template.
  CHECK(ComputeTemplateHash(testing::PodTemplate("web", "nginx:1"), std::nullopt) == hash);
}

TEST_CASE("deployment: rolling update respects maxSurge and maxUnavailable at every step") {
  struct Row {
    boost::json::value surge, unavailable;
    int64_t max_total, min_ready;
  };
  std::vector<Row> rows = {{1, 1, 5, 3}, {"50%", 0, 6, 4}, {0, 2, 4, 2}};
  for (const Row& r : rows) {
    CAPTURE(r.max_total);
    Fixture f;
    f.client.fake().Seed(kDeployments,
                         DeploymentObject(4, "nginx:1", Rolling(r.surge, r.unavailable)));
    f.Settle();
    f.SetImage("nginx:2");
    int steps = 0;
    f.Settle([&] {
      ++steps;
      CHECK(f.SpecTotal() <= r.max_total);
      int active = 0;
      for (const client::Object& p : f.List(kPods)) active += IsPodActive(p) ? 1 : 0;
      CHECK(active <= r.max_total);
      CHECK(f.ReadyPods() >= r.min_ready);
    });
    CHECK(steps > 1);
    std::optional<client::Object> old_rs = f.RsWithImage("nginx:1");
    std::optional<client::Object> new_rs = f.RsWithImage("nginx:2");
    REQUIRE(old_rs);
    REQUIRE(new_rs);
    CHECK(api::GetInt64(*api::GetObject(*old_rs, "spec"), "replicas") == 0);
    CHECK(api::GetInt64(*api::GetObject(*new_rs, "spec"), "replicas") == 4);
    CHECK(Ann(*new_rs, kRevisionAnnotation) == "2");
    CHECK(Ann(f.Deployment(), kRevisionAnnotation) == "2");
    CHECK(f.ReadyPods() == 4);
  }
}

TEST_CASE("deployment: Recreate scales the old ReplicaSet to zero before creating the new one") {
  Fixture f;
  f.client.fake().Seed(kDeployments,
                       DeploymentObject(2, "nginx:1", boost::json::object{{"type", "Recreate"}}));
  f.Settle();
  f.SetImage("nginx:2");
  f.CatchUp();
  REQUIRE(f.dc.Sync("default/web").ok());
  f.CatchUp();
  CHECK(f.List(kReplicaSets).size() == 1);
  CHECK(f.SpecTotal() == 0);
  f.Settle([&] {
    // While an old pod is still active, the new ReplicaSet has no replicas.
    std::optional<client::Object> old_rs = f.RsWithImage("nginx:1");
    std::optional<client::Object> new_rs = f.RsWithImage("nginx:2");
    int active = 0;
    for (const client::Object& p : f.List(kPods)) active += IsPodActive(p) ? 1 : 0;
    if (new_rs && api::GetInt64(*api::GetObject(*new_rs, "spec"), "replicas") > 0) {
      CHECK(api::GetInt64(*api::GetObject(*old_rs, "status"), "replicas") == 0);
    }
    CHECK(active <= 2);
  });
  CHECK(f.RsWithImage("nginx:2"));
}

TEST_CASE("deployment: revision history, rollback to an old template and cleanup") {
  Fixture f;
  client::Object d = DeploymentObject(1, "nginx:1", Rolling(1, 0));
  d["spec"].as_object()["revisionHistoryLimit"] = 1;
  f.client.fake().Seed(kDeployments, d);
  f.Settle();
  f.SetImage("nginx:2");
  f.Settle();
  CHECK(f.List(kReplicaSets).size() == 2);
  // Back to nginx:1: its ReplicaSet becomes revision 3 and remembers revision 1.
  f.SetImage("nginx:1");
  f.Settle();
  std::optional<client::Object> rs1 = f.RsWithImage("nginx:1");
  REQUIRE(rs1);
  CHECK(Ann(*rs1, kRevisionAnnotation) == "3");
  CHECK(Ann(*rs1, kRevisionHistoryAnnotation) == "1");
  CHECK(Ann(f.Deployment(), kRevisionAnnotation) == "3");
  f.SetImage("nginx:3");
  f.Settle();
  // Limit 1: the new one plus one old ReplicaSet (the newest old revision) remain.
  std::vector<client::Object> rss = f.List(kReplicaSets);
  CHECK(rss.size() == 2);
  CHECK_FALSE(f.RsWithImage("nginx:2"));
  CHECK(f.RsWithImage("nginx:1"));
  CHECK(f.RsWithImage("nginx:3"));
}

TEST_CASE("deployment: scaling and pausing") {
  Fixture f;
  f.client.fake().Seed(kDeployments, DeploymentObject(2, "nginx:1", Rolling(1, 0)));
  f.Settle();
  testing::SetReplicas(f.client.fake(), kDeployments, "web", 5);
  f.Settle();
  CHECK(f.ReadyPods() == 5);
  std::optional<client::Object> rs = f.RsWithImage("nginx:1");
  REQUIRE(rs);
  CHECK(Ann(*rs, kDesiredReplicasAnnotation) == "5");
  // Paused: a template change creates nothing, but the condition says so.
  f.client.fake().Patch(kDeployments, "default", "web", client::PatchType::kMerge,
                        R"({"spec":{"paused":true}})");
  f.SetImage("nginx:2");
  f.Step();
  CHECK(f.List(kReplicaSets).size() == 1);
  client::Object d = f.Deployment();
  const boost::json::object* p =
      FindCondition(*api::GetArray(*api::GetObject(d, "status"), "conditions"), "Progressing");
  REQUIRE(p);
  CHECK(api::GetString(*p, "reason") == "DeploymentPaused");
  CHECK(api::GetString(*p, "status") == "Unknown");
}

TEST_CASE("deployment: unavailable pods keep the Available condition False") {
  Fixture f;
  f.auto_ready = false;
  f.client.fake().Seed(kDeployments, DeploymentObject(2, "nginx:1", Rolling(0, 1)));
  for (int i = 0; i < 3; ++i) f.Step();
  client::Object d = f.Deployment();
  const boost::json::object& st = *api::GetObject(d, "status");
  CHECK(api::GetInt64(st, "unavailableReplicas") == 2);
  const boost::json::object* a = FindCondition(*api::GetArray(st, "conditions"), "Available");
  REQUIRE(a);
  CHECK(api::GetString(*a, "reason") == "MinimumReplicasUnavailable");
  const boost::json::object* p = FindCondition(*api::GetArray(st, "conditions"), "Progressing");
  REQUIRE(p);
  CHECK(api::GetString(*p, "status") == "True");
}

}  // namespace
}  // namespace kc::controllers

namespace kc::controllers {
namespace {

TEST_CASE("deployment: scaling in the middle of a rollout scales ReplicaSets proportionally") {
  Fixture f;
  f.client.fake().Seed(kDeployments, DeploymentObject(4, "nginx:1", Rolling(1, 0)));
  f.Settle();
  f.auto_ready = false;
  f.SetImage("nginx:2");
  f.Step();
  f.Step();
  auto spec = [&](const std::string& image) {
    std::optional<client::Object> rs = f.RsWithImage(image);
    REQUIRE(rs);
    return api::GetInt64(*api::GetObject(*rs, "spec"), "replicas");
  };
  REQUIRE(spec("nginx:1") == 4);
  REQUIRE(spec("nginx:2") == 1);
  testing::SetReplicas(f.client.fake(), kDeployments, "web", 8);
  f.Step();
  // 8 + maxSurge 1 = 9 split like 4:1 of the old 5 (upstream's getReplicaSetFraction).
  CHECK(spec("nginx:1") == 7);
  CHECK(spec("nginx:2") == 2);
  for (const client::Object& rs : f.List(kReplicaSets)) {
    CHECK(Ann(rs, kDesiredReplicasAnnotation) == "8");
    CHECK(Ann(rs, kMaxReplicasAnnotation) == "9");
  }
}

TEST_CASE("deployment: a rollout that makes no progress exceeds its deadline") {
  Fixture f;
  f.auto_ready = false;
  client::Object d = DeploymentObject(1, "nginx:1", Rolling(1, 0));
  d["spec"].as_object()["progressDeadlineSeconds"] = 1;
  f.client.fake().Seed(kDeployments, d);
  for (int i = 0; i < 4; ++i) f.Step();  // until nothing changes any more
  std::this_thread::sleep_for(std::chrono::milliseconds(2100));
  f.Step();
  client::Object got = f.Deployment();
  const boost::json::object* p =
      FindCondition(*api::GetArray(*api::GetObject(got, "status"), "conditions"), "Progressing");
  REQUIRE(p);
  CHECK(api::GetString(*p, "status") == "False");
  CHECK(api::GetString(*p, "reason") == "ProgressDeadlineExceeded");
  CHECK(api::GetString(*p, "message").find("has timed out progressing.") != std::string::npos);
}

TEST_CASE("deployment: running controllers roll out through their event handlers") {
  testing::DeletionFakeClient client;
  client::SharedInformerFactory factory{client};
  ReplicaSetController rsc{client, factory};
  DeploymentController dc{client, factory};
  factory.Start();
  rsc.Start(2);
  dc.Start(2);
  REQUIRE(testing::WaitFor([&] { return rsc.Running() && dc.Running(); }));
  client.fake().Seed(testing::kDeployments, DeploymentObject(3, "nginx:1", Rolling("25%", "25%")));
  auto rolled_out = [&](const std::string& image) {
    // Kubelet stand-in: every pod becomes ready.
    api::Result<client::ObjectList> pods = client.fake().List(testing::kPods, "default", {});
    if (pods.ok()) {
      for (const client::Object& p : pods->items) {
        if (!IsPodReady(p))
          testing::SetPodReady(client.fake(), client::ObjectMetaString(p, "name"), true);
      }
    }
    api::Result<client::Object> d = client.fake().Get(testing::kDeployments, "default", "web");
    if (!d.ok()) return false;
    const boost::json::value* c = api::Lookup(*d, "status.conditions");
    const boost::json::value* img = api::Lookup(*d, "spec.template.spec.containers.0.image");
    if (!c || !c->is_array() || !img || img->as_string() != image) return false;
    const boost::json::object* p = FindCondition(c->get_array(), "Progressing");
    return p && api::GetString(*p, "reason") == "NewReplicaSetAvailable" &&
           api::GetInt64(*api::GetObject(*d, "status"), "availableReplicas") == 3 &&
           api::GetInt64(*api::GetObject(*d, "status"), "updatedReplicas") == 3 &&
           api::GetInt64(*api::GetObject(*d, "status"), "replicas") == 3 &&
           api::GetInt64(*api::GetObject(*d, "status"), "observedGeneration") ==
               api::GetInt64(*api::GetObject(*d, "metadata"), "generation");
  };
  CHECK(testing::WaitFor([&] { return rolled_out("nginx:1"); }, std::chrono::seconds(10)));
  client.fake().Patch(
      testing::kDeployments, "default", "web", client::PatchType::kMerge,
      R"({"spec":{"template":{"spec":{"containers":[{"name":"c","image":"nginx:2"}]}}}})");
  CHECK(testing::WaitFor([&] { return rolled_out("nginx:2"); }, std::chrono::seconds(10)));
  dc.Stop();
  rsc.Stop();
  factory.Stop();
}

}  // namespace
}  // namespace kc::controllers
