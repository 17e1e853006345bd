// Registry list: paging with continue tokens, selectors, resourceVersion rules.
#include <doctest/doctest.h>

#include "pkg/apiserver/keys.h"
#include "pkg/apiserver/registry.h"
#include "pkg/apiserver/test_util.h"

namespace kc::apiserver {
namespace {

namespace json = boost::json;
using testing::ConfigMapJson;
using testing::PodJson;
using testing::Res;
using testing::Str;
using testing::TestRegistry;

const api::ResourceInfo& kConfigMaps = Res("", "configmaps");
const api::ResourceInfo& kPods = Res("", "pods");

std::vector<std::string> Names(const ListResult& r) {
  std::vector<std::string> out;
  for (const auto& o : r.items) out.push_back(Str(o, "metadata.name"));
  return out;
}

// Five configmaps c0..c4 in "default" (c0, c2, c4 labelled app=web; c1, c3 app=db) and one in
// kube-system.
void Seed(TestRegistry& t) {
  for (int i = 0; i < 5; ++i) {
    std::string app = i % 2 == 0 ? R"({"app":"web"})" : R"({"app":"db"})";
    t.MustCreate(kConfigMaps, "default", ConfigMapJson("c" + std::to_string(i), app));
  }
  t.MustCreate(kConfigMaps, "kube-system", ConfigMapJson("sys", R"({"app":"web"})"));
}

TEST_CASE("Registry::List scopes and order") {
  TestRegistry t;
  Seed(t);
  auto ns = t.reg().List(kConfigMaps, "default", ListOptions{});
  REQUIRE(ns.ok());
  CHECK(Names(*ns) == std::vector<std::string>{"c0", "c1", "c2", "c3", "c4"});
  CHECK(ns->revision == t.backend().CurrentRevision());
  CHECK(ns->continue_token.empty());
  CHECK_FALSE(ns->remaining.has_value());
  // Every item carries its own resourceVersion.
  for (const auto& o : ns->items) CHECK_FALSE(Str(o, "metadata.resourceVersion").empty());

  auto all = t.reg().List(kConfigMaps, "", ListOptions{});
  REQUIRE(all.ok());
  CHECK(all->items.size() == 6);

  auto empty = t.reg().List(kConfigMaps, "kube-public", ListOptions{});
  REQUIRE(empty.ok());
  CHECK(empty->items.empty());
}

TEST_CASE("Registry::List pages with limit and continue") {
  TestRegistry t;
  Seed(t);
  ListOptions o;
  o.limit = 2;
  auto p1 = t.reg().List(kConfigMaps, "default", o);
  REQUIRE(p1.ok());
  CHECK(Names(*p1) == std::vector<std::string>{"c0", "c1"});
  REQUIRE_FALSE(p1->continue_token.empty());
  REQUIRE(p1->remaining.has_value());
  CHECK(*p1->remaining == 3);
  const int64_t list_rev = p1->revision;

  // A write between pages is not seen: the continuation reads at the first page's revision.
  t.MustCreate(kConfigMaps, "default", ConfigMapJson("c9"));

  o.continue_token = p1->continue_token;
  auto p2 = t.reg().List(kConfigMaps, "default", o);
  REQUIRE(p2.ok());
  CHECK(Names(*p2) == std::vector<std::string>{"c2", "c3"});
  CHECK(p2->revision == list_rev);
  REQUIRE(p2->remaining.has_value());
  CHECK(*p2->remaining == 1);

  o.continue_token = p2->continue_token;
  auto p3 = t.reg().List(kConfigMaps, "default", o);
  REQUIRE(p3.ok());
  CHECK(Names(*p3) == std::vector<std::string>{"c4"});
  CHECK(p3->continue_token.empty());
  CHECK_FALSE(p3->remaining.has_value());
  CHECK(p3->revision == list_rev);
}

// Regression: DecodeContinue once rejected base64-padded tokens. Names of four consecutive
// lengths make sure one of the three continue tokens is padded.
TEST_CASE("Registry::List pages through keys of every length") {
  TestRegistry t;
  for (const char* name : {"a", "bb", "ccc", "dddd"}) {
    t.MustCreate(kConfigMaps, "default", ConfigMapJson(name));
  }
  ListOptions o;
  o.limit = 1;
  std::vector<std::string> names;
  for (int page = 0; page < 4; ++page) {
    auto r = t.reg().List(kConfigMaps, "default", o);
    REQUIRE_MESSAGE(r.ok(), "page ", page, ": ", r.status().ToString());
    for (const auto& n : Names(*r)) names.push_back(n);
    if (r->continue_token.empty()) break;
    o.continue_token = r->continue_token;
  }
  CHECK(names == std::vector<std::string>{"a", "bb", "ccc", "dddd"});
}

TEST_CASE("Registry::List: limit equal to the item count needs no continue") {
  TestRegistry t;
  Seed(t);
  ListOptions o;
  o.limit = 5;
  auto r = t.reg().List(kConfigMaps, "default", o);
  REQUIRE(r.ok());
  CHECK(r->items.size() == 5);
  CHECK(r->continue_token.empty());
}

TEST_CASE("Registry::List continue token errors") {
  TestRegistry t;
  Seed(t);
  SUBCASE("garbage token") {
    ListOptions o;
    o.continue_token = "garbage!";
    auto r = t.reg().List(kConfigMaps, "default", o);
    REQUIRE_FALSE(r.ok());
    CHECK(r.status().reason() == api::Reason::kBadRequest);
  }
  SUBCASE("token of another resource") {
    ListOptions o;
    o.continue_token = EncodeContinue(t.backend().CurrentRevision(),
                                      "/registry/core/secrets/default/x");
    auto r = t.reg().List(kConfigMaps, "default", o);
    REQUIRE_FALSE(r.ok());
    CHECK(r.status().reason() == api::Reason::kBadRequest);
  }
  SUBCASE("token at a compacted revision is Expired (410)") {
    ListOptions o;
    o.limit = 1;
    auto p1 = t.reg().List(kConfigMaps, "default", o);
    REQUIRE(p1.ok());
    for (int i = 0; i < 3; ++i) {
      RequestContext ctx = testing::Ctx();
      auto r = t.reg().Update(kConfigMaps, "default", "c0",
                              testing::Obj(R"({"metadata":{"name":"c0"},"data":{"i":")" +
                                           std::to_string(i) + R"("}})"),
                              "", ctx);
      REQUIRE(r.ok());
    }
    REQUIRE(t.backend().Compact(t.backend().CurrentRevision()).ok());
    o.continue_token = p1->continue_token;
    auto r = t.reg().List(kConfigMaps, "default", o);
    REQUIRE_FALSE(r.ok());
    CHECK(r.status().reason() == api::Reason::kExpired);
    CHECK(r.status().http_code() == 410);
  }
}

TEST_CASE("Registry::List selectors") {
  TestRegistry t;
  Seed(t);
  struct Case {
    const char* labels;
    const char* fields;
    std::vector<std::string> names;
  };
  const Case cases[] = {
      {"app=web", "", {"c0", "c2", "c4"}},
      {"app!=web", "", {"c1", "c3"}},
      {"app in (db)", "", {"c1", "c3"}},
      {"app", "", {"c0", "c1", "c2", "c3", "c4"}},
      {"!app", "", {}},
      {"", "metadata.name=c3", {"c3"}},
      {"", "metadata.name!=c3", {"c0", "c1", "c2", "c4"}},
      {"", "metadata.namespace=default", {"c0", "c1", "c2", "c3", "c4"}},
      {"app=web", "metadata.name!=c0", {"c2", "c4"}},
  };
  for (const Case& c : cases) {
    SUBCASE((std::string(c.labels) + " | " + c.fields).c_str()) {
      ListOptions o;
      o.label_selector = c.labels;
      o.field_selector = c.fields;
      auto r = t.reg().List(kConfigMaps, "default", o);
      REQUIRE_MESSAGE(r.ok(), r.status().ToString());
      CHECK(Names(*r) == c.names);
    }
  }
  SUBCASE("selectors with paging: pages are full and carry no remainingItemCount") {
    ListOptions o;
    o.label_selector = "app=web";
    o.limit = 2;
    auto p1 = t.reg().List(kConfigMaps, "default", o);
    REQUIRE(p1.ok());
    CHECK(Names(*p1) == std::vector<std::string>{"c0", "c2"});
    CHECK_FALSE(p1->remaining.has_value());
    REQUIRE_FALSE(p1->continue_token.empty());
    o.continue_token = p1->continue_token;
    auto p2 = t.reg().List(kConfigMaps, "default", o);
    REQUIRE(p2.ok());
    CHECK(Names(*p2) == std::vector<std::string>{"c4"});
    CHECK(p2->continue_token.empty());
  }
}

TEST_CASE("Registry::List: kind-specific field selectors") {
  TestRegistry t;
  t.MustCreate(kPods, "default", PodJson("on-n1", "n1"));
  t.MustCreate(kPods, "default", PodJson("pending"));
  ListOptions o;
  o.field_selector = "spec.nodeName=n1";
  auto r = t.reg().List(kPods, "default", o);
  REQUIRE_MESSAGE(r.ok(), r.status().ToString());
  CHECK(Names(*r) == std::vector<std::string>{"on-n1"});
  o.field_selector = "spec.nodeName=";
  r = t.reg().List(kPods, "default", o);
  REQUIRE(r.ok());
  CHECK(Names(*r) == std::vector<std::string>{"pending"});
  o.field_selector = "status.phase=Pending";
  r = t.reg().List(kPods, "default", o);
  REQUIRE(r.ok());
  CHECK(r->items.size() == 2);
}

TEST_CASE("Registry::List option errors are BadRequest") {
  TestRegistry t;
  struct Case {
    const char* name;
    ListOptions opts;
    api::Reason reason;
    const char* message;  // prefix
  };
  auto with = [](auto f) {
    ListOptions o;
    f(o);
    return o;
  };
  const Case cases[] = {
      {"unsupported field", with([](ListOptions& o) { o.field_selector = "spec.foo=bar"; }),
       api::Reason::kBadRequest, "field label not supported: spec.foo"},
      {"malformed label selector", with([](ListOptions& o) { o.label_selector = "a in (b"; }),
       api::Reason::kBadRequest, ""},
      {"match without version",
       with([](ListOptions& o) { o.resource_version_match = "NotOlderThan"; }),
       api::Reason::kBadRequest, "resourceVersionMatch is forbidden"},
      {"negative limit", with([](ListOptions& o) { o.limit = -1; }), api::Reason::kBadRequest,
       ""},
      {"non-numeric resourceVersion", with([](ListOptions& o) { o.resource_version = "abc"; }),
       api::Reason::kBadRequest, "invalid resource version"},
      {"future resourceVersion", with([](ListOptions& o) { o.resource_version = "999999"; }),
       api::Reason::kTimeout, "Too large resource version"},
  };
  for (const Case& c : cases) {
    SUBCASE(c.name) {
      auto r = t.reg().List(kConfigMaps, "default", c.opts);
      REQUIRE_FALSE(r.ok());
      CHECK(r.status().reason() == c.reason);
      CHECK_MESSAGE(r.status().message().rfind(c.message, 0) == 0, r.status().message());
    }
  }
}

}  // namespace
}  // namespace kc::apiserver
