#include "pkg/client/fake_client.h"

#include <doctest/doctest.h>

#include <boost/json/parse.hpp>

namespace kc::client {
namespace {

const ResourceRef kPods{"", "v1", "pods"};
const ResourceRef kNodes{"", "v1", "nodes"};
const ResourceRef kDeployments{"apps", "v1", "deployments"};

Object Json(const char* text) { return boost::json::parse(text).as_object(); }

std::string Meta(const Object& o, const char* f) {
  const boost::json::value* v = o.at("metadata").as_object().if_contains(f);
  return v && v->is_string() ? std::string(v->get_string()) : "";
}

TEST_CASE("FakeClient create fills metadata, get finds it, duplicates are AlreadyExists") {
  FakeClient fake;
  api::Result<Object> c = fake.Create(kPods, "ns", Json(R"({"metadata":{"name":"p"},"spec":{}})"));
  REQUIRE(c.ok());
  CHECK(Meta(*c, "namespace") == "ns");
  CHECK_FALSE(Meta(*c, "uid").empty());
  CHECK_FALSE(Meta(*c, "creationTimestamp").empty());
  CHECK(Meta(*c, "resourceVersion") == "1");
  CHECK(c->at("metadata").at("generation").as_int64() == 1);

  api::Result<Object> g = fake.Get(kPods, "ns", "p");
  REQUIRE(g.ok());
  CHECK(*g == *c);
  CHECK(fake.Get(kPods, "other", "p").status().reason() == api::Reason::kNotFound);
  CHECK(fake.Get(kPods, "other", "p").status().message() == "pods \"p\" not found");

  api::Result<Object> dup = fake.Create(kPods, "ns", Json(R"({"metadata":{"name":"p"}})"));
  CHECK(dup.status().reason() == api::Reason::kAlreadyExists);

  api::Result<Object> gen = fake.Create(kPods, "ns", Json(R"({"metadata":{"generateName":"web-"}})"));
  REQUIRE(gen.ok());
  CHECK(Meta(*gen, "name").size() == 9);
  CHECK(Meta(*gen, "name").rfind("web-", 0) == 0);
  CHECK(fake.Create(kPods, "ns", Json(R"({"metadata":{}})")).status().reason() ==
        api::Reason::kInvalid);

  // Cluster-scoped objects ignore the namespace.
  REQUIRE(fake.Create(kNodes, "", Json(R"({"metadata":{"name":"n1"}})")).ok());
  CHECK(fake.Get(kNodes, "whatever", "n1").ok());
}

TEST_CASE("FakeClient update: conflicts, no-ops, status subresource, generation") {
  FakeClient fake;
  Object d = *fake.Create(kDeployments, "ns",
                          Json(R"({"metadata":{"name":"d"},"spec":{"replicas":1},"status":{"x":1}})"));
  Object stale = d;
  Object next = d;
  next["spec"].as_object()["replicas"] = 3;
  next["status"] = Json(R"({"x":2})");
  api::Result<Object> u = fake.Update(kDeployments, "ns", next);
  REQUIRE(u.ok());
  CHECK(u->at("spec").at("replicas").as_int64() == 3);
  CHECK(u->at("status").at("x").as_int64() == 1);  // main update keeps status
  CHECK(u->at("metadata").at("generation").as_int64() == 2);
  CHECK(Meta(*u, "resourceVersion") != Meta(d, "resourceVersion"));

  api::Result<Object> conflict = fake.Update(kDeployments, "ns", stale);
  CHECK(conflict.status().reason() == api::Reason::kConflict);

  int64_t rv = fake.ResourceVersion();
  api::Result<Object> noop = fake.Update(kDeployments, "ns", *u);
  REQUIRE(noop.ok());
  CHECK(fake.ResourceVersion() == rv);

  WriteOptions status;
  status.subresource = "status";
  Object st = *u;
  st["status"] = Json(R"({"x":5})");
  st["spec"].as_object()["replicas"] = 9;
  api::Result<Object> su = fake.Update(kDeployments, "ns", st, status);
  REQUIRE(su.ok());
  CHECK(su->at("status").at("x").as_int64() == 5);
  CHECK(su->at("spec").at("replicas").as_int64() == 3);  // status update keeps spec
  CHECK(su->at("metadata").at("generation").as_int64() == 2);

  CHECK(fake.Update(kDeployments, "ns", Json(R"({"metadata":{"name":"zz"}})")).status().reason() ==
        api::Reason::kNotFound);
}

TEST_CASE("FakeClient patches") {
  FakeClient fake;
  REQUIRE(fake.Create(kPods, "ns", Json(R"({"metadata":{"name":"p","labels":{"a":"1","b":"2"}}})")).ok());
  SUBCASE("merge") {
    api::Result<Object> r = fake.Patch(kPods, "ns", "p", PatchType::kMerge,
                                       R"({"metadata":{"labels":{"a":null,"c":"3"}}})");
    REQUIRE(r.ok());
    CHECK(r->at("metadata").at("labels") == boost::json::parse(R"({"b":"2","c":"3"})"));
  }
  SUBCASE("json") {
    api::Result<Object> r = fake.Patch(kPods, "ns", "p", PatchType::kJson,
                                       R"([{"op":"replace","path":"/metadata/labels/a","value":"9"}])");
    REQUIRE(r.ok());
    CHECK(r->at("metadata").at("labels").at("a").as_string() == "9");
    CHECK_FALSE(fake.Patch(kPods, "ns", "p", PatchType::kJson,
                           R"([{"op":"remove","path":"/nope"}])").ok());
  }
  SUBCASE("stale resourceVersion in a patch conflicts") {
    CHECK(fake.Patch(kPods, "ns", "p", PatchType::kMerge, R"({"metadata":{"resourceVersion":"0"}})")
              .status().reason() == api::Reason::kConflict);
  }
  SUBCASE("malformed patch") {
    CHECK(fake.Patch(kPods, "ns", "p", PatchType::kMerge, "{nope").status().reason() ==
          api::Reason::kBadRequest);
  }
  SUBCASE("apply creates a missing object") {
    api::Result<Object> r =
        fake.Patch(kPods, "ns", "q", PatchType::kApply, R"({"metadata":{"labels":{"x":"y"}}})");
    REQUIRE(r.ok());
    CHECK(fake.Get(kPods, "ns", "q").ok());
    CHECK(fake.Patch(kPods, "ns", "r", PatchType::kMerge, "{}").status().reason() ==
          api::Reason::kNotFound);
  }
}

TEST_CASE("FakeClient delete: preconditions, finalizers, binding and eviction") {
  FakeClient fake;
  Object p = *fake.Create(kPods, "ns", Json(R"({"metadata":{"name":"p","finalizers":["x"]}})"));
  DeleteOptions wrong_uid;
  wrong_uid.precondition_uid = "nope";
  CHECK(fake.Delete(kPods, "ns", "p", wrong_uid).status().reason() == api::Reason::kConflict);
  DeleteOptions wrong_rv;
  wrong_rv.precondition_resource_version = "999";
  CHECK(fake.Delete(kPods, "ns", "p", wrong_rv).status().reason() == api::Reason::kConflict);

  api::Result<Object> d = fake.Delete(kPods, "ns", "p");
  REQUIRE(d.ok());
  CHECK_FALSE(Meta(*d, "deletionTimestamp").empty());
  REQUIRE(fake.Get(kPods, "ns", "p").ok());
  // Removing the last finalizer removes the object.
  REQUIRE(fake.Patch(kPods, "ns", "p", PatchType::kMerge, R"({"metadata":{"finalizers":null}})").ok());
  CHECK(fake.Get(kPods, "ns", "p").status().reason() == api::Reason::kNotFound);
  CHECK(fake.Delete(kPods, "ns", "p").status().reason() == api::Reason::kNotFound);

  REQUIRE(fake.Create(kPods, "ns", Json(R"({"metadata":{"name":"b"},"spec":{}})")).ok());
  WriteOptions binding;
  binding.subresource = "binding";
  REQUIRE(fake.Create(kPods, "ns", Json(R"({"metadata":{"name":"b"},"target":{"name":"n1"}})"),
                      binding).ok());
  CHECK(fake.Get(kPods, "ns", "b")->at("spec").at("nodeName").as_string() == "n1");
  CHECK(fake.Create(kPods, "ns", Json(R"({"metadata":{"name":"b"},"target":{"name":"n2"}})"),
                    binding).status().reason() == api::Reason::kConflict);
  WriteOptions eviction;
  eviction.subresource = "eviction";
  REQUIRE(fake.Create(kPods, "ns", Json(R"({"metadata":{"name":"b"}})"), eviction).ok());
  CHECK(fake.Get(kPods, "ns", "b").status().reason() == api::Reason::kNotFound);
}

TEST_CASE("FakeClient list: namespaces, selectors and paging") {
  FakeClient fake;
  REQUIRE(fake.Create(kPods, "a", Json(R"({"metadata":{"name":"p1","labels":{"app":"web"}},"spec":{"nodeName":"n1"}})")).ok());
  REQUIRE(fake.Create(kPods, "a", Json(R"({"metadata":{"name":"p2","labels":{"app":"db"}}})")).ok());
  REQUIRE(fake.Create(kPods, "b", Json(R"({"metadata":{"name":"p3","labels":{"app":"web"}}})")).ok());
  CHECK(fake.List(kPods, "", {})->items.size() == 3);
  CHECK(fake.List(kPods, "a", {})->items.size() == 2);
  ListOptions web;
  web.label_selector = "app=web";
  CHECK(fake.List(kPods, "", web)->items.size() == 2);
  ListOptions node;
  node.field_selector = "spec.nodeName=n1";
  CHECK(fake.List(kPods, "", node)->items.size() == 1);
  ListOptions by_name;
  by_name.field_selector = "metadata.name=p3";
  CHECK(fake.List(kPods, "", by_name)->items.size() == 1);
  ListOptions bad;
  bad.label_selector = "app in (";
  CHECK(fake.List(kPods, "", bad).status().reason() == api::Reason::kBadRequest);

  ListOptions page;
  page.limit = 2;
  api::Result<ObjectList> first = fake.List(kPods, "", page);
  REQUIRE(first.ok());
  CHECK(first->items.size() == 2);
  REQUIRE_FALSE(first->continue_token.empty());
  page.continue_token = first->continue_token;
  api::Result<ObjectList> second = fake.List(kPods, "", page);
  REQUIRE(second.ok());
  CHECK(second->items.size() == 1);
  CHECK(second->continue_token.empty());
  CHECK(Meta(second->items[0], "name") == "p3");
}

TEST_CASE("FakeClient watch: initial state, replay from a resourceVersion, 410 when too old") {
  FakeClient fake;
  REQUIRE(fake.Create(kPods, "a", Json(R"({"metadata":{"name":"p1"}})")).ok());
  std::string rv1 = std::to_string(fake.ResourceVersion());
  REQUIRE(fake.Create(kPods, "a", Json(R"({"metadata":{"name":"p2"}})")).ok());

  WatchEvent ev;
  auto all = fake.Watch(kPods, "", {});
  REQUIRE(all.ok());
  REQUIRE((*all)->Next(&ev, 100));
  CHECK(ev.type == WatchEventType::kAdded);
  REQUIRE((*all)->Next(&ev, 100));
  CHECK_FALSE((*all)->Next(&ev, 10));

  ListOptions from;
  from.resource_version = rv1;
  auto replay = fake.Watch(kPods, "a", from);
  REQUIRE(replay.ok());
  REQUIRE((*replay)->Next(&ev, 100));
  CHECK(Meta(ev.object, "name") == "p2");
  CHECK_FALSE((*replay)->Next(&ev, 10));

  REQUIRE(fake.Delete(kPods, "a", "p1").ok());
  REQUIRE((*replay)->Next(&ev, 100));
  CHECK(ev.type == WatchEventType::kDeleted);
  CHECK(Meta(ev.object, "name") == "p1");
  CHECK(fake.OpenWatches() == 2);
  replay->reset();
  CHECK(fake.OpenWatches() == 1);

  fake.ExpireWatches();
  REQUIRE((*all)->Next(&ev, 100));  // p1 deleted
  REQUIRE((*all)->Next(&ev, 100));
  CHECK(ev.type == WatchEventType::kError);
  CHECK((*all)->ended());
  CHECK((*all)->status().reason() == api::Reason::kExpired);

  auto old = fake.Watch(kPods, "", from);
  REQUIRE(old.ok());
  REQUIRE((*old)->Next(&ev, 100));
  CHECK(ev.type == WatchEventType::kError);
  CHECK((*old)->status().reason() == api::Reason::kExpired);

  ListOptions bad;
  bad.resource_version = "abc";
  CHECK(fake.Watch(kPods, "", bad).status().reason() == api::Reason::kBadRequest);
}

TEST_CASE("FakeClient records actions and runs reactors") {
  FakeClient fake;
  fake.AddReactor("create", "pods", [](const FakeClient::Action& a) -> std::optional<api::Status> {
    if (a.name == "bad") return api::Status::Forbidden("denied");
    return std::nullopt;
  });
  CHECK(fake.Create(kPods, "a", Json(R"({"metadata":{"name":"bad"}})")).status().reason() ==
        api::Reason::kForbidden);
  REQUIRE(fake.Create(kPods, "a", Json(R"({"metadata":{"name":"good"}})")).ok());
  REQUIRE(fake.Patch(kPods, "a", "good", PatchType::kMerge, "{}").ok());
  std::vector<FakeClient::Action> actions = fake.Actions();
  REQUIRE(actions.size() == 3);
  CHECK(actions[0].verb == "create");
  CHECK(actions[0].name == "bad");
  CHECK(actions[2].verb == "patch");
  CHECK(actions[2].patch == "{}");
  CHECK(fake.ActionsFor("create", "pods").size() == 2);
  CHECK(fake.ActionsFor("create", "nodes").empty());
  fake.ClearActions();
  CHECK(fake.Actions().empty());
}

}  // namespace
}  // namespace kc::client
