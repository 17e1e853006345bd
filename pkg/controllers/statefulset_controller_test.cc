#include "pkg/controllers/statefulset_controller.h"

#include <doctest/doctest.h>

#include <algorithm>

#include "pkg/api/json_path.h"
#include "pkg/client/fake_client.h"
#include "pkg/controllers/controller_revision.h"
#include "pkg/controllers/controller_test_util.h"
#include "pkg/controllers/controller_utils.h"
#include "pkg/controllers/replica_set_test_util.h"
#include "pkg/controllers/statefulset_pods.h"

namespace kc::controllers {
namespace {

using testing::kPods;
using testing::MakeObject;

const client::ResourceRef kStatefulSets{"apps", "v1", "statefulsets"};
const client::ResourceRef kClaims{"", "v1", "persistentvolumeclaims"};

client::Object SetObject(int64_t replicas, const std::string& image,
                         const std::string& policy = "OrderedReady") {
  client::Object set = MakeObject("apps/v1", "StatefulSet", "default", "web");
  set["spec"] = boost::json::object{
      {"replicas", replicas},
      {"serviceName", "web-hl"},
      {"podManagementPolicy", policy},
      {"selector", boost::json::object{{"matchLabels", boost::json::object{{"app", "web"}}}}},
      {"updateStrategy",
       boost::json::object{{"type", "RollingUpdate"},
                           {"rollingUpdate", boost::json::object{{"partition", 0}}}}},
      {"template", testing::PodTemplate("web", image)},
      {"volumeClaimTemplates",
       boost::json::array{boost::json::object{
           {"metadata", boost::json::object{{"name", "data"}}},
           {"spec", boost::json::object{{"accessModes", boost::json::array{"ReadWriteOnce"}}}}}}}};
  return set;
}

struct Fixture {
  client::FakeClient fake;
  client::SharedInformerFactory factory{fake};
  StatefulSetController ssc{fake, factory};

  Fixture() {
    factory.Start();
    REQUIRE(factory.WaitForCacheSync(std::chrono::seconds(5)));
  }
  ~Fixture() {
    ssc.Stop();
    factory.Stop();
  }
  void CatchUp() {
    REQUIRE(testing::CacheCaughtUp(fake, factory, kPods));
    REQUIRE(testing::CacheCaughtUp(fake, factory, kStatefulSets));
    REQUIRE(testing::CacheCaughtUp(fake, factory, kClaims));
    REQUIRE(testing::CacheCaughtUp(fake, factory, kControllerRevisionsResource));
  }
  void Sync() {
    CatchUp();
    api::Status st = ssc.Sync("default/web");
    REQUIRE_MESSAGE(st.ok(), st.ToString());
    CatchUp();
  }
  client::Object Set() { return *fake.Get(kStatefulSets, "default", "web"); }
  boost::json::object Status() {
    client::Object s = Set();
    const boost::json::object* st = api::GetObject(s, "status");
    return st ? *st : boost::json::object();
  }
  std::vector<client::Object> List(const client::ResourceRef& res) {
    api::Result<client::ObjectList> l = fake.List(res, "default", {});
    REQUIRE(l.ok());
    return l->items;
  }
  std::vector<std::string> PodNames() {
    std::vector<std::string> out;
    for (const client::Object& p : List(kPods)) out.push_back(client::ObjectMetaString(p, "name"));
    std::sort(out.begin(), out.end());
    return out;
  }
  client::Object Pod(const std::string& name) {
    api::Result<client::Object> p = fake.Get(kPods, "default", name);
    REQUIRE_MESSAGE(p.ok(), name);
    return *p;
  }
  std::string Revision(const std::string& pod) {
    client::Object p = Pod(pod);
    const boost::json::value* l = api::Lookup(p, "metadata.labels");
    return api::GetString(l->get_object(), kControllerRevisionHashLabel);
  }
  void Ready(const std::string& pod) { testing::SetPodReady(fake, pod, true); }
  void ReadyAll() {
    for (const std::string& p : PodNames()) {
      if (!IsPodReady(Pod(p))) Ready(p);
    }
  }
  void Patch(const std::string& patch) {
    REQUIRE(fake.Patch(kStatefulSets, "default", "web", client::PatchType::kMerge, patch).ok());
  }
  void SetImage(const std::string& image) {
    Patch(R"({"spec":{"template":{"spec":{"containers":[{"name":"c","image":")" + image +
          R"("}]}}}})");
  }
  // Syncs, making every pod ready in between, until the status settles at `replicas` pods on
  // one revision.
  void Settle(int64_t replicas) {
    for (int i = 0; i < 30; ++i) {
      Sync();
      ReadyAll();
      boost::json::object st = Status();
      if (static_cast<int64_t>(PodNames().size()) == replicas &&
          api::GetInt64(st, "readyReplicas") == replicas &&
          api::GetInt64(st, "replicas") == replicas &&
          api::GetInt64(st, "updatedReplicas") == replicas &&
          api::GetString(st, "currentRevision") == api::GetString(st, "updateRevision")) {
        return;
      }
    }
    FAIL("statefulset did not settle");
  }
  std::vector<client::Object> Revisions() {
    std::vector<client::Object> r = List(kControllerRevisionsResource);
    SortRevisions(r);
    return r;
  }
};

TEST_CASE("statefulset: OrderedReady creates claims and pods one ordinal at a time") {
  Fixture f;
  client::Object set = *f.fake.Seed(kStatefulSets, SetObject(3, "nginx:1"));
  f.Sync();
  CHECK(f.PodNames() == std::vector<std::string>{"web-0"});
  // The claim came first.
  std::vector<client::FakeClient::Action> creates = f.fake.ActionsFor("create");
  std::vector<std::string> order;
  for (const auto& a : creates) {
    if (a.resource.resource != "controllerrevisions") order.push_back(a.resource.resource);
  }
  CHECK(order == std::vector<std::string>{"persistentvolumeclaims", "pods"});
  client::Object claim = *f.fake.Get(kClaims, "default", "data-web-0");
  CHECK(api::GetString(api::Lookup(claim, "metadata.labels")->get_object(), "app") == "web");
  CHECK(api::Lookup(claim, "metadata.ownerReferences") == nullptr);  // Retain

  client::Object pod = f.Pod("web-0");
  std::vector<client::Object> revs = f.Revisions();
  REQUIRE(revs.size() == 1);
  std::string rev = client::ObjectMetaString(revs[0], "name");
  CHECK(f.Revision("web-0") == rev);
  CHECK(RevisionNumber(revs[0]) == 1);
  CHECK(api::Lookup(pod, "spec.hostname")->get_string() == "web-0");
  CHECK(api::Lookup(pod, "spec.subdomain")->get_string() == "web-hl");
  CHECK(api::Lookup(pod, "spec.volumes.0.persistentVolumeClaim.claimName")->get_string() ==
        "data-web-0");
  const boost::json::object& labels = api::Lookup(pod, "metadata.labels")->get_object();
  CHECK(api::GetString(labels, kStatefulSetPodNameLabel) == "web-0");
  CHECK(api::GetString(labels, kPodIndexLabel) == "0");
  std::optional<OwnerRef> ref = ControllerOf(pod);
  REQUIRE(ref);
  CHECK(ref->uid == client::ObjectMetaString(set, "uid"));

  // Nothing more until web-0 runs and is ready.
  f.Sync();
  CHECK(f.PodNames() == std::vector<std::string>{"web-0"});
  boost::json::object st = f.Status();
  CHECK(api::GetInt64(st, "replicas") == 1);
  CHECK(api::GetInt64(st, "readyReplicas") == 0);
  CHECK(api::GetString(st, "updateRevision") == rev);
  testing::SetPodReady(f.fake, "web-0", false);  // Running, not Ready
  f.Sync();
  CHECK(f.PodNames().size() == 1);
  f.Ready("web-0");
  f.Sync();
  CHECK(f.PodNames() == std::vector<std::string>{"web-0", "web-1"});
  f.Ready("web-1");
  f.Sync();
  CHECK(f.PodNames() == std::vector<std::string>{"web-0", "web-1", "web-2"});
  f.Ready("web-2");
  f.Sync();
  st = f.Status();
  CHECK(api::GetInt64(st, "replicas") == 3);
  CHECK(api::GetInt64(st, "readyReplicas") == 3);
  CHECK(api::GetInt64(st, "availableReplicas") == 3);
  CHECK(api::GetInt64(st, "currentReplicas") == 3);
  CHECK(api::GetInt64(st, "updatedReplicas") == 3);
  CHECK(api::GetString(st, "currentRevision") == rev);
  CHECK(api::GetInt64(st, "observedGeneration") ==
        api::GetInt64(*api::GetObject(f.Set(), "metadata"), "generation"));
  CHECK(f.List(kClaims).size() == 3);
}

TEST_CASE("statefulset: OrderedReady scale-down removes the highest ordinal first, keeps claims") {
  Fixture f;
  f.fake.Seed(kStatefulSets, SetObject(3, "nginx:1"));
  f.Settle(3);
  testing::SetReplicas(f.fake, kStatefulSets, "web", 1);
  f.Sync();
  CHECK(f.PodNames() == std::vector<std::string>{"web-0", "web-1"});
  f.Sync();
  CHECK(f.PodNames() == std::vector<std::string>{"web-0"});
  f.Sync();
  CHECK(f.PodNames() == std::vector<std::string>{"web-0"});
  CHECK(f.List(kClaims).size() == 3);
  CHECK(api::GetInt64(f.Status(), "replicas") == 1);
}

TEST_CASE("statefulset: OrderedReady scale-down waits for unhealthy lower ordinals") {
  Fixture f;
  f.fake.Seed(kStatefulSets, SetObject(3, "nginx:1"));
  f.Settle(3);
  testing::SetReplicas(f.fake, kStatefulSets, "web", 1);
  testing::SetPodReady(f.fake, "web-0", false);
  f.Sync();
  CHECK(f.PodNames().size() == 3);
  f.Ready("web-0");
  f.Sync();
  CHECK(f.PodNames().size() == 2);
}

TEST_CASE("statefulset: Parallel creates and deletes all at once") {
  Fixture f;
  f.fake.Seed(kStatefulSets, SetObject(4, "nginx:1", "Parallel"));
  f.Sync();
  CHECK(f.PodNames() == std::vector<std::string>{"web-0", "web-1", "web-2", "web-3"});
  CHECK(f.List(kClaims).size() == 4);
  testing::SetReplicas(f.fake, kStatefulSets, "web", 1);
  f.Sync();
  CHECK(f.PodNames() == std::vector<std::string>{"web-0"});
}

TEST_CASE("statefulset: rolling update goes from the highest ordinal down, honouring partition") {
  Fixture f;
  f.fake.Seed(kStatefulSets, SetObject(3, "nginx:1"));
  f.Settle(3);
  std::string old_rev = api::GetString(f.Status(), "currentRevision");
  f.Patch(R"({"spec":{"updateStrategy":{"rollingUpdate":{"partition":1}}}})");
  f.SetImage("nginx:2");
  f.Sync();
  std::vector<client::Object> revs = f.Revisions();
  REQUIRE(revs.size() == 2);
  std::string new_rev = client::ObjectMetaString(revs[1], "name");
  CHECK(RevisionNumber(revs[1]) == 2);
  CHECK(new_rev != old_rev);
  // web-2 went first.
  CHECK(f.PodNames() == std::vector<std::string>{"web-0", "web-1"});
  CHECK(api::GetString(f.Status(), "updateRevision") == new_rev);
  f.Sync();  // recreated at the update revision
  CHECK(f.Revision("web-2") == new_rev);
  CHECK(api::Lookup(f.Pod("web-2"), "spec.containers.0.image")->get_string() == "nginx:2");
  f.Sync();  // web-2 is not ready: web-1 waits
  CHECK(f.PodNames().size() == 3);
  f.Ready("web-2");
  f.Sync();
  CHECK(f.PodNames() == std::vector<std::string>{"web-0", "web-2"});
  f.Sync();
  f.Ready("web-1");
  for (int i = 0; i < 3; ++i) f.Sync();
  // Partition 1: web-0 stays at the old revision.
  CHECK(f.Revision("web-0") == old_rev);
  CHECK(f.Revision("web-1") == new_rev);
  boost::json::object st = f.Status();
  CHECK(api::GetInt64(st, "updatedReplicas") == 2);
  CHECK(api::GetInt64(st, "currentReplicas") == 1);
  CHECK(api::GetString(st, "currentRevision") == old_rev);

  // A pod below the partition that is recreated keeps the current revision.
  REQUIRE(f.fake.Delete(kPods, "default", "web-0").ok());
  f.Sync();
  CHECK(f.Revision("web-0") == old_rev);
  f.Ready("web-0");

  f.Patch(R"({"spec":{"updateStrategy":{"rollingUpdate":{"partition":0}}}})");
  f.Settle(3);
  for (const std::string& p : f.PodNames()) CHECK(f.Revision(p) == new_rev);
  st = f.Status();
  CHECK(api::GetString(st, "currentRevision") == new_rev);
  CHECK(api::GetInt64(st, "currentReplicas") == 3);
}

TEST_CASE("statefulset: rolling back re-uses the old revision with a new number") {
  Fixture f;
  f.fake.Seed(kStatefulSets, SetObject(2, "nginx:1"));
  f.Settle(2);
  std::string first = api::GetString(f.Status(), "currentRevision");
  f.SetImage("nginx:2");
  f.Settle(2);
  std::string second = api::GetString(f.Status(), "currentRevision");
  CHECK(first != second);
  f.SetImage("nginx:1");
  f.Settle(2);
  std::vector<client::Object> revs = f.Revisions();
  REQUIRE(revs.size() == 2);
  CHECK(client::ObjectMetaString(revs[0], "name") == second);
  CHECK(RevisionNumber(revs[0]) == 2);
  CHECK(client::ObjectMetaString(revs[1], "name") == first);
  CHECK(RevisionNumber(revs[1]) == 3);
  CHECK(api::GetString(f.Status(), "currentRevision") == first);
}

TEST_CASE("statefulset: revision history is cut to revisionHistoryLimit") {
  Fixture f;
  client::Object set = SetObject(1, "nginx:1");
  set["spec"].as_object()["revisionHistoryLimit"] = 1;
  f.fake.Seed(kStatefulSets, set);
  f.Settle(1);
  for (int i = 2; i <= 4; ++i) {
    f.SetImage("nginx:" + std::to_string(i));
    f.Settle(1);
  }
  f.Sync();
  std::vector<client::Object> revs = f.Revisions();
  // The live revision plus one of history.
  REQUIRE(revs.size() == 2);
  CHECK(RevisionNumber(revs[0]) == 3);
  CHECK(RevisionNumber(revs[1]) == 4);
}

TEST_CASE("statefulset: OnDelete replaces pods only when they are deleted") {
  Fixture f;
  client::Object set = SetObject(2, "nginx:1");
  set["spec"].as_object()["updateStrategy"] = boost::json::object{{"type", "OnDelete"}};
  f.fake.Seed(kStatefulSets, set);
  f.Settle(2);
  std::string old_rev = api::GetString(f.Status(), "currentRevision");
  f.SetImage("nginx:2");
  for (int i = 0; i < 3; ++i) f.Sync();
  CHECK(f.Revision("web-0") == old_rev);
  CHECK(f.Revision("web-1") == old_rev);
  std::string new_rev = api::GetString(f.Status(), "updateRevision");
  CHECK(new_rev != old_rev);
  REQUIRE(f.fake.Delete(kPods, "default", "web-1").ok());
  f.Sync();
  CHECK(f.Revision("web-1") == new_rev);
  CHECK(f.Revision("web-0") == old_rev);
  CHECK(api::GetInt64(f.Status(), "updatedReplicas") == 0);  // counted once seen
  f.Sync();
  CHECK(api::GetInt64(f.Status(), "updatedReplicas") == 1);
}

TEST_CASE("statefulset: failed pods are deleted and recreated") {
  Fixture f;
  f.fake.Seed(kStatefulSets, SetObject(2, "nginx:1"));
  f.Settle(2);
  std::string uid = client::ObjectMetaString(f.Pod("web-1"), "uid");
  client::Object p = f.Pod("web-1");
  p["status"].as_object()["phase"] = "Failed";
  client::WriteOptions w;
  w.subresource = "status";
  REQUIRE(f.fake.Update(kPods, "default", p, w).ok());
  f.Sync();
  CHECK(f.PodNames() == std::vector<std::string>{"web-0"});
  f.Sync();
  CHECK(f.PodNames() == std::vector<std::string>{"web-0", "web-1"});
  CHECK(client::ObjectMetaString(f.Pod("web-1"), "uid") != uid);
}

TEST_CASE("statefulset: minReadySeconds holds OrderedReady until a pod is available") {
  Fixture f;
  client::Object set = SetObject(2, "nginx:1");
  set["spec"].as_object()["minReadySeconds"] = 30;
  f.fake.Seed(kStatefulSets, set);
  f.Sync();
  f.Ready("web-0");
  f.Sync();
  CHECK(f.PodNames().size() == 1);
  boost::json::object st = f.Status();
  CHECK(api::GetInt64(st, "readyReplicas") == 1);
  CHECK(api::GetInt64(st, "availableReplicas") == 0);
  testing::SetPodReady(f.fake, "web-0", true, std::chrono::seconds(60));
  f.Sync();
  CHECK(f.PodNames().size() == 2);
  CHECK(api::GetInt64(f.Status(), "availableReplicas") == 1);
}

TEST_CASE("statefulset: whenScaled=Delete hands the claims of removed pods to the pods") {
  Fixture f;
  client::Object set = SetObject(2, "nginx:1", "Parallel");
  set["spec"].as_object()["persistentVolumeClaimRetentionPolicy"] =
      boost::json::object{{"whenDeleted", "Retain"}, {"whenScaled", "Delete"}};
  f.fake.Seed(kStatefulSets, set);
  f.Settle(2);
  std::string pod_uid = client::ObjectMetaString(f.Pod("web-1"), "uid");
  testing::SetReplicas(f.fake, kStatefulSets, "web", 1);
  f.Sync();
  CHECK(f.PodNames() == std::vector<std::string>{"web-0"});
  client::Object claim = *f.fake.Get(kClaims, "default", "data-web-1");
  std::vector<OwnerRef> refs = OwnerRefs(claim);
  REQUIRE(refs.size() == 1);
  CHECK(refs[0].kind == "Pod");
  CHECK(refs[0].uid == pod_uid);
  CHECK(OwnerRefs(*f.fake.Get(kClaims, "default", "data-web-0")).empty());
  // Scaling up again waits while the claim still points at the old pod.
  testing::SetReplicas(f.fake, kStatefulSets, "web", 2);
  f.Sync();
  CHECK(f.PodNames() == std::vector<std::string>{"web-0"});
  // Once the garbage collector removed it, a new claim and pod are made.
  REQUIRE(f.fake.Delete(kClaims, "default", "data-web-1").ok());
  f.Sync();
  CHECK(f.PodNames() == std::vector<std::string>{"web-0", "web-1"});
  CHECK(OwnerRefs(*f.fake.Get(kClaims, "default", "data-web-1")).empty());
}

TEST_CASE("statefulset: whenDeleted=Delete makes the set own its claims") {
  Fixture f;
  client::Object set = SetObject(1, "nginx:1");
  set["spec"].as_object()["persistentVolumeClaimRetentionPolicy"] =
      boost::json::object{{"whenDeleted", "Delete"}, {"whenScaled", "Retain"}};
  client::Object stored = *f.fake.Seed(kStatefulSets, set);
  f.Sync();
  std::vector<OwnerRef> refs = OwnerRefs(*f.fake.Get(kClaims, "default", "data-web-0"));
  REQUIRE(refs.size() == 1);
  CHECK(refs[0].kind == "StatefulSet");
  CHECK(refs[0].uid == client::ObjectMetaString(stored, "uid"));
  CHECK_FALSE(refs[0].controller);
  // Switching to Retain drops the reference again.
  f.Ready("web-0");
  f.Patch(R"({"spec":{"persistentVolumeClaimRetentionPolicy":{"whenDeleted":"Retain"}}})");
  f.Sync();
  CHECK(OwnerRefs(*f.fake.Get(kClaims, "default", "data-web-0")).empty());
}

TEST_CASE("statefulset: adopts matching orphans, releases pods that stop matching") {
  Fixture f;
  // OnDelete: an adopted pod without a revision label would otherwise be replaced at once.
  client::Object spec = SetObject(1, "nginx:1");
  spec["spec"].as_object()["updateStrategy"] = boost::json::object{{"type", "OnDelete"}};
  client::Object set = *f.fake.Seed(kStatefulSets, spec);
  client::Object orphan = MakeObject("v1", "Pod", "default", "web-0");
  orphan["metadata"].as_object()["labels"] = boost::json::object{{"app", "web"}};
  orphan["spec"] = boost::json::object{
      {"containers", boost::json::array{boost::json::object{{"name", "c"}, {"image", "x"}}}}};
  f.fake.Seed(kPods, orphan);
  client::Object stranger = orphan;
  stranger["metadata"].as_object()["name"] = "other-0";
  f.fake.Seed(kPods, stranger);
  f.Sync();
  std::optional<OwnerRef> ref = ControllerOf(f.Pod("web-0"));
  REQUIRE(ref);
  CHECK(ref->uid == client::ObjectMetaString(set, "uid"));
  CHECK_FALSE(ControllerOf(f.Pod("other-0")));  // not named like a member
  // Identity labels are put right once the pod runs.
  f.Ready("web-0");
  f.Sync();
  client::Object adopted = f.Pod("web-0");
  CHECK(api::GetString(api::Lookup(adopted, "metadata.labels")->get_object(), kPodIndexLabel) ==
        "0");
  // A label change that breaks the selector releases the pod.
  REQUIRE(f.fake
              .Patch(kPods, "default", "web-0", client::PatchType::kMerge,
                     R"({"metadata":{"labels":{"app":"other"}}})")
              .ok());
  f.CatchUp();
  // Released; the name is now taken by a pod that is not ours, which is an error to retry.
  api::Status st = f.ssc.Sync("default/web");
  CHECK(st.reason() == api::Reason::kAlreadyExists);
  CHECK_FALSE(ControllerOf(f.Pod("web-0")));
}

TEST_CASE("statefulset: the controller loop reacts to events") {
  client::FakeClient fake;
  client::SharedInformerFactory factory{fake};
  StatefulSetController ssc{fake, factory};
  factory.Start();
  ssc.Start(2);
  fake.Seed(kStatefulSets, SetObject(2, "nginx:1", "Parallel"));
  CHECK(testing::WaitFor([&] { return fake.List(kPods, "default", {})->items.size() == 2; }));
  testing::SetPodReady(fake, "web-0", true);
  testing::SetPodReady(fake, "web-1", true);
  CHECK(testing::WaitFor([&] {
    client::Object s = *fake.Get(kStatefulSets, "default", "web");
    const boost::json::value* r = api::Lookup(s, "status.readyReplicas");
    return r && r->is_int64() && r->get_int64() == 2;
  }));
  ssc.Stop();
  factory.Stop();
}

}  // namespace
}  // namespace kc::controllers
