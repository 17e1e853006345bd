#include "pkg/client/informer.h"

#include <doctest/doctest.h>

#include <algorithm>
#include <boost/json/parse.hpp>
#include <chrono>
#include <functional>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "pkg/client/fake_client.h"
#include "pkg/client/informer_factory.h"

namespace kc::client {
namespace {

using namespace std::chrono_literals;

const ResourceRef kPods{"", "v1", "pods"};
const ResourceRef kNodes{"", "v1", "nodes"};

Object Pod(const std::string& ns, const std::string& name, const std::string& node = "",
           const std::string& app = "web") {
  Object o = boost::json::parse(R"({"apiVersion":"v1","kind":"Pod","metadata":{},"spec":{}})")
                 .as_object();
  o["metadata"].as_object()["namespace"] = ns;
  o["metadata"].as_object()["name"] = name;
  o["metadata"].as_object()["labels"] = boost::json::object{{"app", app}};
  if (!node.empty()) o["spec"].as_object()["nodeName"] = node;
  return o;
}

std::string FieldNodeName(const Object& o) {
  const boost::json::value* spec = o.if_contains("spec");
  const boost::json::value* n = spec && spec->is_object() ? spec->get_object().if_contains("nodeName")
                                                           : nullptr;
  return n && n->is_string() ? std::string(n->get_string()) : "";
}

std::string Rv(const ObjectPtr& o) { return ObjectMetaString(*o, "resourceVersion"); }

// Collects handler calls as strings: "add ns/name", "update ns/name", "delete ns/name".
class Recorder {
 public:
  EventHandler Handler() {
    EventHandler h;
    h.on_add = [this](const ObjectPtr& o) { Push("add " + ObjectKey(*o)); };
    h.on_update = [this](const ObjectPtr& old_obj, const ObjectPtr& new_obj) {
      CHECK(ObjectKey(*old_obj) == ObjectKey(*new_obj));
      CHECK(Rv(old_obj) != Rv(new_obj));
      Push("update " + ObjectKey(*new_obj));
    };
    h.on_delete = [this](const ObjectPtr& o) { Push("delete " + ObjectKey(*o)); };
    return h;
  }
  std::vector<std::string> Events() {
    std::lock_guard<std::mutex> l(mu_);
    return events_;
  }
  bool Has(const std::string& e) {
    auto ev = Events();
    return std::find(ev.begin(), ev.end(), e) != ev.end();
  }
  size_t Count() { return Events().size(); }
  void Clear() {
    std::lock_guard<std::mutex> l(mu_);
    events_.clear();
  }

 private:
  void Push(std::string e) {
    std::lock_guard<std::mutex> l(mu_);
    events_.push_back(std::move(e));
  }
  std::mutex mu_;
  std::vector<std::string> events_;
};

bool Eventually(const std::function<bool()>& pred, std::chrono::milliseconds timeout = 3s) {
  auto deadline = std::chrono::steady_clock::now() + timeout;
  while (std::chrono::steady_clock::now() < deadline) {
    if (pred()) return true;
    std::this_thread::sleep_for(2ms);
  }
  return pred();
}

InformerOptions FastOptions(const ResourceRef& res, const std::string& ns = "") {
  InformerOptions o;
  o.resource = res;
  o.ns = ns;
  o.initial_backoff = 5ms;
  o.max_backoff = 20ms;
  o.min_watch_duration = 0ms;
  return o;
}

TEST_CASE("SharedInformer lists, syncs and fills the cache") {
  FakeClient fake;
  REQUIRE(fake.Seed(kPods, Pod("a", "p1")).ok());
  REQUIRE(fake.Seed(kPods, Pod("a", "p2")).ok());
  REQUIRE(fake.Seed(kPods, Pod("b", "p3")).ok());
  SharedInformer inf(fake, FastOptions(kPods));
  Recorder rec;
  inf.AddEventHandler(rec.Handler());
  CHECK_FALSE(inf.HasSynced());
  inf.Start();
  REQUIRE(inf.WaitForSync(3s));
  CHECK(inf.HasSynced());
  CHECK(inf.List().size() == 3);
  CHECK(inf.LastSyncResourceVersion() == std::to_string(fake.ResourceVersion()));
  REQUIRE(inf.Get("a/p1"));
  CHECK(ObjectMetaString(*inf.Get("a", "p2"), "name") == "p2");
  CHECK(inf.Get("a/nope") == nullptr);
  std::vector<std::string> ev = rec.Events();
  std::sort(ev.begin(), ev.end());
  CHECK(ev == std::vector<std::string>{"add a/p1", "add a/p2", "add b/p3"});
  CHECK(inf.ByIndex(kNamespaceIndex, "a").size() == 2);
  CHECK(inf.ByIndex(kNamespaceIndex, "b").size() == 1);
  CHECK(inf.ListCount() == 1);

  // The watch starts from the list's resourceVersion with bookmarks and a 300..600 s timeout.
  REQUIRE(Eventually([&] { return fake.ActionsFor("watch").size() == 1; }));
  FakeClient::Action w = fake.ActionsFor("watch")[0];
  CHECK(w.list_options.resource_version == inf.LastSyncResourceVersion());
  CHECK(w.list_options.allow_bookmarks);
  CHECK(w.list_options.timeout_seconds >= 300);
  CHECK(w.list_options.timeout_seconds <= 600);
  inf.Stop();
}

TEST_CASE("SharedInformer lists in pages") {
  FakeClient fake;
  for (int i = 0; i < 5; ++i) REQUIRE(fake.Seed(kPods, Pod("a", "p" + std::to_string(i))).ok());
  InformerOptions o = FastOptions(kPods);
  o.page_size = 2;
  SharedInformer inf(fake, o);
  inf.Start();
  REQUIRE(inf.WaitForSync(3s));
  CHECK(inf.List().size() == 5);
  std::vector<FakeClient::Action> lists = fake.ActionsFor("list");
  REQUIRE(lists.size() == 3);
  CHECK(lists[0].list_options.limit == 2);
  CHECK(lists[0].list_options.continue_token.empty());
  CHECK_FALSE(lists[1].list_options.continue_token.empty());
  CHECK_FALSE(lists[2].list_options.continue_token.empty());
}

TEST_CASE("SharedInformer delivers add, update and delete from the watch") {
  FakeClient fake;
  SharedInformer inf(fake, FastOptions(kPods));
  Recorder rec;
  inf.AddEventHandler(rec.Handler());
  inf.Start();
  REQUIRE(inf.WaitForSync(3s));
  REQUIRE(Eventually([&] { return fake.OpenWatches() == 1; }));

  REQUIRE(fake.Create(kPods, "a", Pod("a", "p1")).ok());
  REQUIRE(Eventually([&] { return rec.Has("add a/p1"); }));
  REQUIRE(inf.Get("a/p1"));

  REQUIRE(fake.Patch(kPods, "a", "p1", PatchType::kMerge, R"({"spec":{"nodeName":"n1"}})").ok());
  REQUIRE(Eventually([&] { return rec.Has("update a/p1"); }));
  CHECK(FieldNodeName(*inf.Get("a/p1")) == "n1");

  REQUIRE(fake.Delete(kPods, "a", "p1").ok());
  REQUIRE(Eventually([&] { return rec.Has("delete a/p1"); }));
  CHECK(inf.Get("a/p1") == nullptr);
  CHECK(rec.Events() == std::vector<std::string>{"add a/p1", "update a/p1", "delete a/p1"});
  inf.Stop();
}

TEST_CASE("SharedInformer relists after 410 Expired: deletes vanished, updates changed, adds new") {
  FakeClient fake;
  REQUIRE(fake.Seed(kPods, Pod("a", "keep")).ok());
  REQUIRE(fake.Seed(kPods, Pod("a", "change")).ok());
  REQUIRE(fake.Seed(kPods, Pod("a", "vanish")).ok());
  SharedInformer inf(fake, FastOptions(kPods));
  Recorder rec;
  inf.AddEventHandler(rec.Handler());
  inf.Start();
  REQUIRE(inf.WaitForSync(3s));
  REQUIRE(Eventually([&] { return fake.OpenWatches() == 1; }));
  rec.Clear();

  // Changes the informer never hears about, then the watch expires.
  fake.SetSilent(true);
  REQUIRE(fake.Delete(kPods, "a", "vanish").ok());
  REQUIRE(fake.Patch(kPods, "a", "change", PatchType::kMerge, R"({"spec":{"nodeName":"n9"}})").ok());
  REQUIRE(fake.Create(kPods, "a", Pod("a", "fresh")).ok());
  fake.SetSilent(false);
  CHECK(inf.Get("a/vanish") != nullptr);
  fake.ExpireWatches();

  REQUIRE(Eventually([&] { return inf.ListCount() == 2 && rec.Count() == 3; }));
  std::vector<std::string> ev = rec.Events();
  std::sort(ev.begin(), ev.end());
  CHECK(ev == std::vector<std::string>{"add a/fresh", "delete a/vanish", "update a/change"});
  CHECK(inf.Get("a/vanish") == nullptr);
  CHECK(FieldNodeName(*inf.Get("a/change")) == "n9");
  CHECK(inf.List().size() == 3);
  // It watches again, from the relist's resourceVersion.
  REQUIRE(Eventually([&] { return fake.ActionsFor("watch").size() == 2; }));
  CHECK(fake.ActionsFor("watch")[1].list_options.resource_version ==
        std::to_string(fake.ResourceVersion()));
  inf.Stop();
}

TEST_CASE("SharedInformer resumes a cleanly closed watch from the last resourceVersion") {
  FakeClient fake;
  SharedInformer inf(fake, FastOptions(kPods));
  Recorder rec;
  inf.AddEventHandler(rec.Handler());
  inf.Start();
  REQUIRE(inf.WaitForSync(3s));
  REQUIRE(Eventually([&] { return fake.OpenWatches() == 1; }));
  REQUIRE(fake.Create(kPods, "a", Pod("a", "p1")).ok());
  REQUIRE(Eventually([&] { return rec.Has("add a/p1"); }));
  std::string rv_after_p1 = std::to_string(fake.ResourceVersion());

  fake.CloseWatches();
  REQUIRE(fake.Create(kPods, "a", Pod("a", "p2")).ok());  // replayed to the next watch
  REQUIRE(Eventually([&] { return rec.Has("add a/p2"); }));
  CHECK(inf.ListCount() == 1);  // no relist
  std::vector<FakeClient::Action> watches = fake.ActionsFor("watch");
  REQUIRE(watches.size() >= 2);
  CHECK(watches[1].list_options.resource_version == rv_after_p1);
  inf.Stop();
}

TEST_CASE("SharedInformer retries a failing list with backoff and relists after a watch error") {
  FakeClient fake;
  REQUIRE(fake.Seed(kPods, Pod("a", "p1")).ok());
  int list_failures = 2;
  fake.AddReactor("list", "pods", [&](const FakeClient::Action&) -> std::optional<api::Status> {
    if (list_failures > 0) {
      list_failures--;
      return api::Status::Unavailable("down");
    }
    return std::nullopt;
  });
  int watch_failures = 1;
  fake.AddReactor("watch", "*", [&](const FakeClient::Action&) -> std::optional<api::Status> {
    if (watch_failures > 0) {
      watch_failures--;
      return api::Status::Internal("boom");
    }
    return std::nullopt;
  });
  SharedInformer inf(fake, FastOptions(kPods));
  inf.Start();
  REQUIRE(inf.WaitForSync(3s));
  CHECK(fake.ActionsFor("list").size() >= 3);
  // The failed watch makes it list again, then watch successfully.
  REQUIRE(Eventually([&] { return fake.OpenWatches() == 1; }));
  CHECK(inf.ListCount() == 2);
  CHECK(inf.List().size() == 1);
  inf.Stop();
}

TEST_CASE("SharedInformer indexes follow updates") {
  FakeClient fake;
  REQUIRE(fake.Seed(kPods, Pod("a", "p1", "n1")).ok());
  REQUIRE(fake.Seed(kPods, Pod("a", "p2", "n1")).ok());
  REQUIRE(fake.Seed(kPods, Pod("b", "p3", "n2")).ok());
  REQUIRE(fake.Seed(kPods, Pod("b", "p4")).ok());
  SharedInformer inf(fake, FastOptions(kPods));
  inf.AddIndex("node", [](const Object& o) -> std::vector<std::string> {
    std::string n = FieldNodeName(o);
    if (n.empty()) return {};
    return {n};
  });
  inf.Start();
  REQUIRE(inf.WaitForSync(3s));
  CHECK(inf.ByIndex("node", "n1").size() == 2);
  CHECK(inf.ByIndex("node", "n2").size() == 1);
  CHECK(inf.ByIndex("node", "n3").empty());
  CHECK(inf.ByIndex("no-such-index", "n1").empty());
  CHECK(inf.indexer().IndexKeys("node", "n2") == std::vector<std::string>{"b/p3"});

  REQUIRE(fake.Patch(kPods, "a", "p2", PatchType::kMerge, R"({"spec":{"nodeName":"n2"}})").ok());
  REQUIRE(Eventually([&] { return inf.ByIndex("node", "n2").size() == 2; }));
  CHECK(inf.ByIndex("node", "n1").size() == 1);
  REQUIRE(fake.Delete(kPods, "b", "p3").ok());
  REQUIRE(Eventually([&] { return inf.ByIndex("node", "n2").size() == 1; }));

  // An index added late covers what is cached already.
  inf.AddIndex("app", [](const Object& o) -> std::vector<std::string> { return {"x"}; });
  CHECK(inf.ByIndex("app", "x").size() == 3);
  inf.Stop();
}

TEST_CASE("SharedInformer gives a late handler synthetic adds, and removed handlers stop") {
  FakeClient fake;
  REQUIRE(fake.Seed(kPods, Pod("a", "p1")).ok());
  REQUIRE(fake.Seed(kPods, Pod("a", "p2")).ok());
  SharedInformer inf(fake, FastOptions(kPods));
  inf.Start();
  REQUIRE(inf.WaitForSync(3s));
  Recorder late;
  int handle = inf.AddEventHandler(late.Handler());
  CHECK(late.Count() == 2);
  CHECK(late.Has("add a/p1"));
  CHECK(late.Has("add a/p2"));
  REQUIRE(fake.Create(kPods, "a", Pod("a", "p3")).ok());
  REQUIRE(Eventually([&] { return late.Has("add a/p3"); }));
  inf.RemoveEventHandler(handle);
  REQUIRE(fake.Create(kPods, "a", Pod("a", "p4")).ok());
  REQUIRE(Eventually([&] { return inf.Get("a/p4") != nullptr; }));
  CHECK_FALSE(late.Has("add a/p4"));
  inf.Stop();
}

TEST_CASE("SharedInformer with a label selector sees objects enter and leave it") {
  FakeClient fake;
  REQUIRE(fake.Seed(kPods, Pod("a", "web1", "", "web")).ok());
  REQUIRE(fake.Seed(kPods, Pod("a", "db1", "", "db")).ok());
  InformerOptions o = FastOptions(kPods, "a");
  o.label_selector = "app=web";
  SharedInformer inf(fake, o);
  Recorder rec;
  inf.AddEventHandler(rec.Handler());
  inf.Start();
  REQUIRE(inf.WaitForSync(3s));
  CHECK(inf.List().size() == 1);
  CHECK(fake.ActionsFor("list")[0].list_options.label_selector == "app=web");
  REQUIRE(Eventually([&] { return fake.OpenWatches() == 1; }));
  REQUIRE(fake.Patch(kPods, "a", "web1", PatchType::kMerge, R"({"metadata":{"labels":{"app":"x"}}})")
              .ok());
  REQUIRE(Eventually([&] { return rec.Has("delete a/web1"); }));
  REQUIRE(fake.Patch(kPods, "a", "db1", PatchType::kMerge, R"({"metadata":{"labels":{"app":"web"}}})")
              .ok());
  REQUIRE(Eventually([&] { return rec.Has("add a/db1"); }));
  CHECK(inf.List().size() == 1);
  inf.Stop();
}

TEST_CASE("SharedInformer Stop returns promptly while a watch is open") {
  FakeClient fake;
  SharedInformer inf(fake, FastOptions(kNodes));
  inf.Start();
  REQUIRE(inf.WaitForSync(3s));
  REQUIRE(Eventually([&] { return fake.OpenWatches() == 1; }));
  auto t0 = std::chrono::steady_clock::now();
  inf.Stop();
  CHECK(std::chrono::steady_clock::now() - t0 < 500ms);
  CHECK(fake.OpenWatches() == 0);
}

TEST_CASE("SharedInformerFactory shares one informer per resource and namespace") {
  FakeClient fake;
  REQUIRE(fake.Seed(kNodes, boost::json::parse(R"({"metadata":{"name":"n1"}})").as_object()).ok());
  REQUIRE(fake.Seed(kPods, Pod("a", "p1")).ok());
  InformerOptions defaults;
  defaults.initial_backoff = 5ms;
  SharedInformerFactory factory(fake, defaults);
  SharedInformer* pods = factory.ForResource(kPods);
  CHECK(factory.ForResource(kPods) == pods);
  CHECK(factory.ForResource(kPods, "a") != pods);
  SharedInformer* nodes = factory.ForResource(kNodes);
  CHECK(nodes != pods);
  CHECK(pods->options().initial_backoff == 5ms);
  factory.Start();
  REQUIRE(factory.WaitForCacheSync(3s));
  CHECK(nodes->Get("n1") != nullptr);
  CHECK(pods->Get("a/p1") != nullptr);
  // Made after Start: started at once.
  SharedInformer* late = factory.ForResource(kPods, "b");
  CHECK(late->WaitForSync(3s));
  factory.Stop();
}

}  // namespace
}  // namespace kc::client
