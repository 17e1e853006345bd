#include "pkg/controllers/controller_revision.h"

#include <doctest/doctest.h>

#include <boost/json/serialize.hpp>

#include "pkg/api/json_path.h"
#include "pkg/client/fake_client.h"
#include "pkg/controllers/controller_test_util.h"
#include "pkg/controllers/controller_utils.h"
#include "pkg/controllers/replica_set_test_util.h"

namespace kc::controllers {
namespace {

using testing::MakeObject;

client::Object SetWithImage(const std::string& image) {
  client::Object set = MakeObject("apps/v1", "StatefulSet", "default", "web");
  set["metadata"].as_object()["uid"] = "uid-web";
  set["metadata"].as_object()["annotations"] =
      boost::json::object{{"kubernetes.io/change-cause", "image " + image}};
  set["spec"] =
      boost::json::object{{"replicas", 3}, {"template", testing::PodTemplate("web", image)}};
  return set;
}

client::Object Revision(const std::string& name, int64_t number, const std::string& image,
                        const std::string& created = "2024-05-01T12:00:00Z") {
  client::Object r = MakeObject("apps/v1", "ControllerRevision", "default", name);
  r["metadata"].as_object()["creationTimestamp"] = created;
  r["data"] = RevisionPatch(SetWithImage(image));
  r["revision"] = number;
  return r;
}

TEST_CASE("controllerrevision: the data is the template as a replace patch, keys sorted") {
  client::Object set = SetWithImage("nginx:1");
  boost::json::object patch = RevisionPatch(set);
  CHECK(boost::json::serialize(patch) ==
        R"({"spec":{"template":{"$patch":"replace","metadata":{"labels":{"app":"web"}},)"
        R"("spec":{"containers":[{"image":"nginx:1","name":"c"}]}}}})");
  // The owner is not changed.
  CHECK(api::Lookup(set, "spec.template.$patch") == nullptr);
}

TEST_CASE("controllerrevision: hash depends on data and collision count, names are bounded") {
  boost::json::object a = RevisionPatch(SetWithImage("nginx:1"));
  boost::json::object b = RevisionPatch(SetWithImage("nginx:2"));
  std::string ha = HashRevisionData(a, std::nullopt);
  CHECK(ha == HashRevisionData(a, std::nullopt));
  CHECK(ha != HashRevisionData(b, std::nullopt));
  CHECK(ha != HashRevisionData(a, 1));
  CHECK(HashRevisionData(a, 1) != HashRevisionData(a, 2));
  for (char c : ha) CHECK(std::string("bcdfghjklmnpqrstvwxz2456789").find(c) != std::string::npos);
  CHECK(ControllerRevisionName("web", "abc") == "web-abc");
  std::string long_name(300, 'x');
  CHECK(ControllerRevisionName(long_name, "abc") == std::string(223, 'x') + "-abc");
}

TEST_CASE("controllerrevision: a new revision carries owner, labels, annotations and data") {
  client::Object set = SetWithImage("nginx:1");
  boost::json::object labels{{"app", "web"}};
  client::Object cr = NewControllerRevision(set, labels, RevisionPatch(set), 4, std::nullopt);
  std::string hash = HashRevisionData(RevisionPatch(set), std::nullopt);
  CHECK(client::ObjectMetaString(cr, "name") == "web-" + hash);
  CHECK(client::ObjectMetaString(cr, "namespace") == "default");
  CHECK(RevisionHashLabel(cr) == hash);
  CHECK(api::GetString(api::Lookup(cr, "metadata.labels")->get_object(), "app") == "web");
  CHECK(RevisionNumber(cr) == 4);
  CHECK(api::GetString(cr, "kind") == "ControllerRevision");
  const boost::json::value* ann = api::Lookup(cr, "metadata.annotations");
  REQUIRE(ann);
  CHECK(api::GetString(ann->get_object(), "kubernetes.io/change-cause") == "image nginx:1");
  std::optional<OwnerRef> ref = ControllerOf(cr);
  REQUIRE(ref);
  CHECK(ref->uid == "uid-web");
  CHECK(ref->kind == "StatefulSet");
  CHECK(RevisionDataEquals(cr, RevisionPatch(set)));
  CHECK_FALSE(RevisionDataEquals(cr, RevisionPatch(SetWithImage("nginx:2"))));
}

TEST_CASE("controllerrevision: equality, sorting, next revision") {
  std::vector<client::Object> revs = {Revision("web-c", 3, "nginx:3"),
                                      Revision("web-a", 1, "nginx:1"),
                                      Revision("web-b2", 2, "nginx:2", "2024-05-01T12:00:05Z"),
                                      Revision("web-b1", 2, "nginx:2", "2024-05-01T12:00:05Z")};
  SortRevisions(revs);
  std::vector<std::string> names;
  for (const auto& r : revs) names.push_back(client::ObjectMetaString(r, "name"));
  CHECK(names == std::vector<std::string>{"web-a", "web-b1", "web-b2", "web-c"});
  CHECK(NextRevision(revs) == 4);
  CHECK(NextRevision({}) == 1);
  client::Object needle = Revision("other", 9, "nginx:2");
  CHECK(FindEqualRevisions(revs, needle) == std::vector<size_t>{1, 2});
  CHECK(EqualRevision(revs[1], revs[2]));
  CHECK_FALSE(EqualRevision(revs[0], revs[1]));
  // Numeric hash labels that differ make revisions unequal even with equal data.
  client::Object x = revs[1], y = revs[2];
  x["metadata"].as_object()["labels"] = boost::json::object{{kControllerRevisionHashLabel, "12"}};
  y["metadata"].as_object()["labels"] = boost::json::object{{kControllerRevisionHashLabel, "13"}};
  CHECK_FALSE(EqualRevision(x, y));
}

TEST_CASE("controllerrevision: applying a revision replaces the owner's template") {
  client::Object set = SetWithImage("nginx:2");
  api::Result<client::Object> applied = ApplyRevision(set, Revision("web-a", 1, "nginx:1"));
  REQUIRE(applied.ok());
  const boost::json::value* img = api::Lookup(*applied, "spec.template.spec.containers.0.image");
  REQUIRE(img);
  CHECK(img->get_string() == "nginx:1");
  CHECK(api::Lookup(*applied, "spec.template.$patch") == nullptr);
  CHECK(api::GetInt64(*api::GetObject(*applied, "spec"), "replicas") == 3);
  client::Object broken = MakeObject("apps/v1", "ControllerRevision", "default", "x");
  broken["data"] = boost::json::object{{"spec", boost::json::object{}}};
  CHECK(ApplyRevision(set, broken).status().reason() == api::Reason::kInvalid);
}

TEST_CASE("controllerrevision: pruning keeps live revisions and the newest history") {
  std::vector<client::Object> revs;
  for (int i = 1; i <= 5; ++i) {
    revs.push_back(Revision("web-" + std::to_string(i), i, "nginx:" + std::to_string(i)));
  }
  struct Row {
    std::set<std::string> live;
    int64_t limit;
    std::vector<std::string> pruned;
  };
  std::vector<Row> rows = {
      {{"web-5"}, 10, {}},
      {{"web-5"}, 2, {"web-1", "web-2"}},
      {{"web-5", "web-1"}, 2, {"web-2"}},
      {{"web-5", "web-4"}, 0, {"web-1", "web-2", "web-3"}},
      {{}, 5, {}},
  };
  for (const Row& row : rows) {
    CAPTURE(row.limit);
    std::vector<std::string> got;
    for (const client::Object* r : RevisionsToPrune(revs, row.live, row.limit)) {
      got.push_back(client::ObjectMetaString(*r, "name"));
    }
    CHECK(got == row.pruned);
  }
}

TEST_CASE("controllerrevision: create reuses equal data and steps past hash collisions") {
  client::FakeClient fake;
  client::Object set = SetWithImage("nginx:1");
  boost::json::object data = RevisionPatch(set);
  client::Object cr = NewControllerRevision(set, {}, data, 1, 0);

  SUBCASE("a fresh name is created") {
    int64_t collisions = 0;
    api::Result<client::Object> r = CreateControllerRevision(fake, set, cr, &collisions);
    REQUIRE(r.ok());
    CHECK(collisions == 0);
    CHECK(client::ObjectMetaString(*r, "name") == "web-" + HashRevisionData(data, 0));
    // Again: the stored revision with equal data comes back, nothing new is made.
    api::Result<client::Object> again = CreateControllerRevision(fake, set, cr, &collisions);
    REQUIRE(again.ok());
    CHECK(client::ObjectMetaString(*again, "uid") == client::ObjectMetaString(*r, "uid"));
    CHECK(fake.List(kControllerRevisionsResource, "default", {})->items.size() == 1);
  }
  SUBCASE("a name taken by other data raises the collision count") {
    client::Object squatter = Revision("web-" + HashRevisionData(data, 0), 1, "busybox");
    REQUIRE(fake.Seed(kControllerRevisionsResource, squatter).ok());
    int64_t collisions = 0;
    api::Result<client::Object> r = CreateControllerRevision(fake, set, cr, &collisions);
    REQUIRE(r.ok());
    CHECK(collisions == 1);
    CHECK(client::ObjectMetaString(*r, "name") == "web-" + HashRevisionData(data, 1));
    CHECK(RevisionHashLabel(*r) == HashRevisionData(data, 1));
    CHECK(RevisionDataEquals(*r, data));
  }
  SUBCASE("renumbering updates the stored revision") {
    int64_t collisions = 0;
    api::Result<client::Object> r = CreateControllerRevision(fake, set, cr, &collisions);
    REQUIRE(r.ok());
    api::Result<client::Object> up = UpdateRevisionNumber(fake, *r, 7);
    REQUIRE(up.ok());
    CHECK(RevisionNumber(*up) == 7);
    // A stale copy still gets there (conflict, then a fresh read).
    api::Result<client::Object> stale = UpdateRevisionNumber(fake, *r, 8);
    REQUIRE(stale.ok());
    CHECK(RevisionNumber(*fake.Get(kControllerRevisionsResource, "default",
                                   client::ObjectMetaString(*r, "name"))) == 8);
  }
}

}  // namespace
}  // namespace kc::controllers
