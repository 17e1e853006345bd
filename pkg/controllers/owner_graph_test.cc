#include "pkg/controllers/owner_graph.h"

#include <doctest/doctest.h>

#include <algorithm>

#include "pkg/controllers/controller_test_util.h"

namespace kc::controllers {
namespace {

using testing::kPods;
using testing::kReplicaSets;
using testing::MakeObject;
using testing::OwnerRefJson;

client::Object WithUid(client::Object obj, const std::string& uid) {
  obj["metadata"].get_object()["uid"] = uid;
  return obj;
}

bool Contains(const std::vector<std::string>& v, const std::string& x) {
  return std::find(v.begin(), v.end(), x) != v.end();
}

TEST_CASE("owner graph: edges follow ownerReferences") {
  OwnerGraph g;
  client::Object rs = WithUid(MakeObject("apps/v1", "ReplicaSet", "ns", "rs"), "rs-uid");
  client::Object pod =
      WithUid(MakeObject("v1", "Pod", "ns", "p", {OwnerRefJson(rs, true)}), "pod-uid");

  SUBCASE("a dependent seen before its owner creates a virtual owner") {
    std::vector<std::string> sync = g.Upsert(kPods, "Pod", pod);
    CHECK(Contains(sync, "pod-uid"));
    std::optional<NodeSnapshot> owner = g.Get("rs-uid");
    REQUIRE(owner);
    CHECK_FALSE(owner->observed);
    REQUIRE(owner->dependents.size() == 1);
    CHECK(owner->dependents[0].id.name == "p");
    CHECK(owner->dependents[0].block_owner_deletion);

    g.Upsert(kReplicaSets, "ReplicaSet", rs);
    owner = g.Get("rs-uid");
    CHECK(owner->observed);
    CHECK(owner->id.kind == "ReplicaSet");
    CHECK(owner->dependents.size() == 1);
  }

  SUBCASE("an unchanged update enqueues nothing") {
    g.Upsert(kReplicaSets, "ReplicaSet", rs);
    g.Upsert(kPods, "Pod", pod);
    CHECK(g.Upsert(kPods, "Pod", pod).empty());
  }

  SUBCASE("dropping a reference removes the edge and a virtual owner") {
    g.Upsert(kPods, "Pod", pod);
    client::Object bare = WithUid(MakeObject("v1", "Pod", "ns", "p"), "pod-uid");
    g.Upsert(kPods, "Pod", bare);
    CHECK_FALSE(g.Get("rs-uid"));
    CHECK(g.Size() == 1);
  }

  SUBCASE("removing an owner enqueues its dependents and marks it absent") {
    g.Upsert(kReplicaSets, "ReplicaSet", rs);
    g.Upsert(kPods, "Pod", pod);
    std::vector<std::string> sync = g.Remove(rs);
    CHECK(Contains(sync, "pod-uid"));
    CHECK(g.KnownAbsent("rs-uid"));
    std::optional<NodeSnapshot> owner = g.Get("rs-uid");
    REQUIRE(owner);  // kept as virtual while it has dependents
    CHECK_FALSE(owner->observed);
    g.Remove(pod);
    CHECK(g.Size() == 0);
  }

  SUBCASE("an owner entering foreground deletion enqueues itself and its dependents") {
    g.Upsert(kReplicaSets, "ReplicaSet", rs);
    g.Upsert(kPods, "Pod", pod);
    client::Object deleting = rs;
    auto& meta = deleting["metadata"].get_object();
    meta["deletionTimestamp"] = "2024-01-01T00:00:00Z";
    meta["finalizers"] = boost::json::array{kForegroundFinalizer};
    std::vector<std::string> sync = g.Upsert(kReplicaSets, "ReplicaSet", deleting);
    CHECK(Contains(sync, "rs-uid"));
    CHECK(Contains(sync, "pod-uid"));
    // A dependent going away re-enqueues the waiting owner.
    CHECK(Contains(g.Remove(pod), "rs-uid"));
  }

  SUBCASE("MarkAbsent does not override an observed object") {
    g.Upsert(kReplicaSets, "ReplicaSet", rs);
    g.MarkAbsent("rs-uid");
    CHECK_FALSE(g.KnownAbsent("rs-uid"));
    g.MarkAbsent("other");
    CHECK(g.KnownAbsent("other"));
  }
}

TEST_CASE("object meta: owner kinds resolve through the catalog") {
  SUBCASE("exact version") {
    const api::ResourceInfo* r = ResolveKind("apps/v1", "ReplicaSet");
    REQUIRE(r);
    CHECK(r->plural == "replicasets");
  }
  SUBCASE("another version of the same group") {
    const api::ResourceInfo* r = ResolveKind("apps/v1beta2", "Deployment");
    REQUIRE(r);
    CHECK(r->version == "v1");
  }
  SUBCASE("core") {
    const api::ResourceInfo* r = ResolveKind("v1", "Node");
    REQUIRE(r);
    CHECK_FALSE(r->namespaced);
  }
  SUBCASE("unknown") { CHECK(ResolveKind("example.com/v1", "Widget") == nullptr); }
}

TEST_CASE("object meta: merge patch of a metadata list") {
  CHECK(MetadataListPatch("7", "finalizers", boost::json::array{"a"}) ==
        R"({"metadata":{"resourceVersion":"7","finalizers":["a"]}})");
  CHECK(MetadataListPatch("7", "ownerReferences", boost::json::array{}) ==
        R"({"metadata":{"resourceVersion":"7","ownerReferences":null}})");
}

}  // namespace
}  // namespace kc::controllers
