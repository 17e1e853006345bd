// Registry watch and WatchFilter: synthetic ADDED events, live events, selector transitions.
#include <doctest/doctest.h>

#include <chrono>

#include "pkg/apiserver/registry.h"
#include "pkg/apiserver/test_util.h"
#include "pkg/apiserver/watch_filter.h"

namespace kc::apiserver {
namespace {

namespace json = boost::json;
using testing::ConfigMapJson;
using testing::Ctx;
using testing::Obj;
using testing::Res;
using testing::Str;
using testing::TestRegistry;

const api::ResourceInfo& kConfigMaps = Res("", "configmaps");

struct Seen {
  std::string type;
  std::string name;
  std::string rv;
};

// Collects API events from `h` until `want` arrived or `timeout` passed (bounded polling).
std::vector<Seen> Collect(WatchHandle& h, size_t want,
                          std::chrono::milliseconds timeout = std::chrono::seconds(2)) {
  std::vector<Seen> out;
  auto deadline = std::chrono::steady_clock::now() + timeout;
  while (out.size() < want && std::chrono::steady_clock::now() < deadline) {
    h.watch->Wait(50);
    std::vector<store::Event> evs;
    h.watch->Poll(&evs);
    for (const auto& ev : evs) {
      if (auto api_ev = h.filter->Apply(ev)) {
        out.push_back({api_ev->type, Str(api_ev->object, "metadata.name"),
                       Str(api_ev->object, "metadata.resourceVersion")});
      }
    }
  }
  return out;
}

// Nothing further arrives within a short window (events are delivered on commit, so anything
// pending would already be there).
bool Quiet(WatchHandle& h) { return Collect(h, 1, std::chrono::milliseconds(100)).empty(); }

void Relabel(TestRegistry& t, const std::string& name, const std::string& labels) {
  RequestContext ctx = Ctx();
  json::object cur = *t.reg().Get(kConfigMaps, "default", name);
  cur["metadata"].as_object()["labels"] = Obj(labels);
  auto r = t.reg().Update(kConfigMaps, "default", name, cur, "", ctx);
  REQUIRE_MESSAGE(r.ok(), r.status().ToString());
}

TEST_CASE("Registry::Watch from resourceVersion 0: synthetic ADDED, then live events") {
  TestRegistry t;
  t.MustCreate(kConfigMaps, "default", ConfigMapJson("a"));
  t.MustCreate(kConfigMaps, "default", ConfigMapJson("b"));
  t.MustCreate(kConfigMaps, "kube-system", ConfigMapJson("elsewhere"));

  ListOptions o;
  o.resource_version = "0";
  auto h = t.reg().Watch(kConfigMaps, "default", o);
  REQUIRE_MESSAGE(h.ok(), h.status().ToString());
  REQUIRE(h->initial.size() == 2);
  CHECK(Str(h->initial[0], "metadata.name") == "a");
  CHECK(Str(h->initial[1], "metadata.name") == "b");
  CHECK(h->start_revision == t.backend().CurrentRevision());

  RequestContext ctx = Ctx();
  auto u = t.reg().Update(kConfigMaps, "default", "a",
                          Obj(R"({"metadata":{"name":"a"},"data":{"k":"new"}})"), "", ctx);
  REQUIRE(u.ok());
  REQUIRE(t.reg().Delete(kConfigMaps, "default", "b", DeleteOptions{}, ctx).ok());
  t.MustCreate(kConfigMaps, "kube-system", ConfigMapJson("other-ns"));  // not watched
  t.MustCreate(kConfigMaps, "default", ConfigMapJson("c"));

  std::vector<Seen> seen = Collect(*h, 3);
  REQUIRE(seen.size() == 3);
  CHECK(seen[0].type == "MODIFIED");
  CHECK(seen[0].name == "a");
  CHECK(seen[0].rv == Str(*u, "metadata.resourceVersion"));
  CHECK(seen[1].type == "DELETED");
  CHECK(seen[1].name == "b");
  CHECK(seen[2].type == "ADDED");
  CHECK(seen[2].name == "c");
  CHECK(Quiet(*h));
  h->watch->Stop();
}

TEST_CASE("Registry::Watch from a resourceVersion: only later events, no initial list") {
  TestRegistry t;
  json::object a = t.MustCreate(kConfigMaps, "default", ConfigMapJson("a"));
  t.MustCreate(kConfigMaps, "default", ConfigMapJson("b"));
  ListOptions o;
  o.resource_version = Str(a, "metadata.resourceVersion");
  auto h = t.reg().Watch(kConfigMaps, "default", o);
  REQUIRE(h.ok());
  CHECK(h->initial.empty());
  std::vector<Seen> seen = Collect(*h, 1);  // b was created after a
  REQUIRE(seen.size() == 1);
  CHECK(seen[0].type == "ADDED");
  CHECK(seen[0].name == "b");
  h->watch->Stop();
}

TEST_CASE("Registry::Watch: a compacted resourceVersion is Expired") {
  TestRegistry t;
  json::object a = t.MustCreate(kConfigMaps, "default", ConfigMapJson("a"));
  for (int i = 0; i < 3; ++i) t.MustCreate(kConfigMaps, "default", ConfigMapJson("x" + std::to_string(i)));
  REQUIRE(t.backend().Compact(t.backend().CurrentRevision()).ok());
  ListOptions o;
  o.resource_version = Str(a, "metadata.resourceVersion");
  auto h = t.reg().Watch(kConfigMaps, "default", o);
  REQUIRE_FALSE(h.ok());
  CHECK(h.status().reason() == api::Reason::kExpired);
  CHECK(h.status().message().rfind("too old resource version: ", 0) == 0);
}

TEST_CASE("Registry::Watch with a label selector: matching transitions") {
  TestRegistry t;
  t.MustCreate(kConfigMaps, "default", ConfigMapJson("w", R"({"app":"web"})"));
  t.MustCreate(kConfigMaps, "default", ConfigMapJson("d", R"({"app":"db"})"));
  ListOptions o;
  o.label_selector = "app=web";
  auto h = t.reg().Watch(kConfigMaps, "default", o);  // rv "" behaves like "0"
  REQUIRE(h.ok());
  REQUIRE(h->initial.size() == 1);
  CHECK(Str(h->initial[0], "metadata.name") == "w");

  Relabel(t, "w", R"({"app":"web","v":"2"})");  // still matches → MODIFIED
  Relabel(t, "w", R"({"app":"db"})");            // stops matching → DELETED
  Relabel(t, "d", R"({"app":"db","v":"2"})");    // never matched → nothing
  Relabel(t, "d", R"({"app":"web"})");           // starts matching → ADDED
  std::vector<Seen> seen = Collect(*h, 3);
  REQUIRE(seen.size() == 3);
  CHECK(seen[0].type == "MODIFIED");
  CHECK(seen[0].name == "w");
  CHECK(seen[1].type == "DELETED");
  CHECK(seen[1].name == "w");
  CHECK(seen[2].type == "ADDED");
  CHECK(seen[2].name == "d");
  CHECK(Quiet(*h));
  h->watch->Stop();
}

TEST_CASE("Registry::Watch rejects bad options") {
  TestRegistry t;
  SUBCASE("bad resourceVersion") {
    ListOptions o;
    o.resource_version = "x1";
    auto h = t.reg().Watch(kConfigMaps, "default", o);
    REQUIRE_FALSE(h.ok());
    CHECK(h.status().reason() == api::Reason::kBadRequest);
  }
  SUBCASE("unsupported field selector") {
    ListOptions o;
    o.field_selector = "data.k=v";
    auto h = t.reg().Watch(kConfigMaps, "default", o);
    REQUIRE_FALSE(h.ok());
    CHECK(h.status().reason() == api::Reason::kBadRequest);
  }
}

// WatchFilter on hand-made store events, table-driven.
store::Event Ev(store::EventType type, const std::string& cur, const std::string& prev,
                bool created) {
  store::Event ev;
  ev.type = type;
  ev.kv = {"/registry/core/configmaps/default/x", cur, 1, 9};
  ev.prev_kv = {"/registry/core/configmaps/default/x", prev, 1, 8};
  ev.created = created;
  return ev;
}

TEST_CASE("WatchFilter::Apply") {
  const std::string web = R"({"metadata":{"name":"x","labels":{"app":"web"}}})";
  const std::string db = R"({"metadata":{"name":"x","labels":{"app":"db"}}})";
  const auto kPut = store::EventType::kPut;
  const auto kDel = store::EventType::kDelete;
  struct Case {
    const char* name;
    const char* selector;
    store::Event ev;
    const char* want;  // nullptr: filtered out
  };
  const Case cases[] = {
      {"create, no selector", "", Ev(kPut, db, "", true), "ADDED"},
      {"update, no selector", "", Ev(kPut, db, web, false), "MODIFIED"},
      {"delete, no selector", "", Ev(kDel, db, "", false), "DELETED"},
      {"create matching", "app=web", Ev(kPut, web, "", true), "ADDED"},
      {"create not matching", "app=web", Ev(kPut, db, "", true), nullptr},
      {"update stays matching", "app=web", Ev(kPut, web, web, false), "MODIFIED"},
      {"update stops matching", "app=web", Ev(kPut, db, web, false), "DELETED"},
      {"update starts matching", "app=web", Ev(kPut, web, db, false), "ADDED"},
      {"update never matching", "app=web", Ev(kPut, db, db, false), nullptr},
      {"delete matching", "app=web", Ev(kDel, web, "", false), "DELETED"},
      {"delete not matching", "app=web", Ev(kDel, db, "", false), nullptr},
      {"corrupt value", "", Ev(kPut, "{not json", "", true), nullptr},
  };
  for (const Case& c : cases) {
    SUBCASE(c.name) {
      std::optional<api::LabelSelector> sel;
      if (*c.selector) sel = *api::LabelSelector::Parse(c.selector);
      WatchFilter f(sel, std::nullopt);
      auto out = f.Apply(c.ev);
      if (!c.want) {
        CHECK_FALSE(out.has_value());
      } else {
        REQUIRE(out.has_value());
        CHECK(std::string(out->type) == c.want);
        CHECK(out->revision == 9);
        CHECK(Str(out->object, "metadata.resourceVersion") == "9");
      }
    }
  }
}

}  // namespace
}  // namespace kc::apiserver
