#include "pkg/controllers/node_lifecycle_controller.h"

#include <doctest/doctest.h>

#include <boost/json/parse.hpp>
#include <memory>

#include "pkg/api/json_path.h"
#include "pkg/api/time_util.h"
#include "pkg/client/fake_client.h"
#include "pkg/client/indexer.h"
#include "pkg/controllers/controller_test_util.h"

namespace kc::controllers {
namespace {

namespace json = boost::json;
using testing::kPods;
using testing::WaitFor;

const client::ResourceRef kNodes{"", "v1", "nodes"};
const client::ResourceRef kLeases{"coordination.k8s.io", "v1", "leases"};
const client::ResourceRef kEvents{"", "v1", "events"};

struct Fixture {
  client::FakeClient fake;
  client::FakeClock clock;
  client::SharedInformerFactory factory{fake};
  std::unique_ptr<NodeLifecycleController> nlc;

  explicit Fixture(NodeLifecycleControllerOptions opts = {}) {
    opts.clock = &clock;
    opts.base_delay = std::chrono::milliseconds(1);
    opts.max_delay = std::chrono::milliseconds(10);
    nlc = std::make_unique<NodeLifecycleController>(fake, factory, opts);
    factory.Start();
    REQUIRE(factory.WaitForCacheSync(std::chrono::seconds(5)));
  }
  ~Fixture() {
    nlc->Stop();
    factory.Stop();
  }

  std::string Now() { return api::FormatTime(nlc->wall_clock().Now()); }
  void Advance(int seconds) { clock.Advance(std::chrono::seconds(seconds)); }

  // The kubelet's side: register with all conditions posted, and a Lease.
  void AddNode(const std::string& name, const std::string& ready = "True", bool lease = true) {
    client::Object node = testing::MakeObject("v1", "Node", "", name);
    node["spec"] = json::object();
    REQUIRE(fake.Create(kNodes, "", node).ok());
    PostStatus(name, ready);
    if (lease) {
      client::Object l =
          testing::MakeObject("coordination.k8s.io/v1", "Lease", "kube-node-lease", name);
      l["spec"] = json::object{{"holderIdentity", name},
                               {"leaseDurationSeconds", 40},
                               {"renewTime", api::FormatMicroTime(nlc->wall_clock().Now())}};
      REQUIRE(fake.Create(kLeases, "kube-node-lease", l).ok());
    }
  }
  void PostStatus(const std::string& name, const std::string& ready) {
    api::Result<client::Object> n = fake.Get(kNodes, "", name);
    REQUIRE(n.ok());
    json::array conds;
    auto cond = [&](const char* type, const std::string& status) {
      conds.push_back(json::object{{"type", type},
                                   {"status", status},
                                   {"lastHeartbeatTime", Now()},
                                   {"lastTransitionTime", Now()},
                                   {"reason", "Kubelet"},
                                   {"message", "kubelet says"}});
    };
    cond("MemoryPressure", "False");
    cond("DiskPressure", "False");
    cond("PIDPressure", "False");
    cond("Ready", ready);
    (*n)["status"] = json::object{{"conditions", std::move(conds)}};
    client::WriteOptions w;
    w.subresource = "status";
    REQUIRE(fake.Update(kNodes, "", *n, w).ok());
  }
  void Renew(const std::string& name) {
    api::Result<client::Object> l = fake.Get(kLeases, "kube-node-lease", name);
    REQUIRE(l.ok());
    (*l)["spec"].as_object()["renewTime"] = api::FormatMicroTime(nlc->wall_clock().Now());
    REQUIRE(fake.Update(kLeases, "kube-node-lease", *l).ok());
  }
  void SetUnschedulable(const std::string& name, bool v) {
    api::Result<client::Object> n = fake.Get(kNodes, "", name);
    REQUIRE(n.ok());
    (*n)["spec"].as_object()["unschedulable"] = v;
    REQUIRE(fake.Update(kNodes, "", *n).ok());
  }
  void AddTaint(const std::string& name, const std::string& taint_json) {
    api::Result<client::Object> n = fake.Get(kNodes, "", name);
    REQUIRE(n.ok());
    json::value& t = (*n)["spec"].as_object()["taints"];
    if (!t.is_array()) t = json::array();
    t.as_array().push_back(json::parse(taint_json));
    REQUIRE(fake.Update(kNodes, "", *n).ok());
  }
  void AddPod(const std::string& name, const std::string& node,
              const std::string& tolerations = "[]", const std::string& phase = "Running") {
    client::Object pod = testing::MakeObject("v1", "Pod", "default", name);
    pod["spec"] = json::object{{"containers", json::parse(R"([{"name":"c","image":"busybox"}])")},
                               {"tolerations", json::parse(tolerations)}};
    if (!node.empty()) pod["spec"].as_object()["nodeName"] = node;
    pod["status"] = json::object{
        {"phase", phase},
        {"conditions", json::array{json::object{
                           {"type", "Ready"}, {"status", "True"}, {"lastTransitionTime", Now()}}}}};
    REQUIRE(fake.Create(kPods, "default", pod).ok());
  }

  bool CaughtUp(const client::ResourceRef& res, const std::string& ns) {
    client::SharedInformer* inf = factory.ForResource(res, ns);
    api::Result<client::ObjectList> l = fake.List(res, ns, {});
    if (!l.ok() || l->items.size() != inf->indexer().Size()) return false;
    for (const client::Object& o : l->items) {
      client::ObjectPtr c = inf->Get(client::ObjectKey(o));
      if (!c || client::ObjectMetaString(*c, "resourceVersion") !=
                    client::ObjectMetaString(o, "resourceVersion")) {
        return false;
      }
    }
    return true;
  }
  void CatchUp() {
    REQUIRE(WaitFor([&] {
      return CaughtUp(kNodes, "") && CaughtUp(kPods, "") && CaughtUp(kLeases, "kube-node-lease");
    }));
  }
  void Monitor() {
    CatchUp();
    api::Status st = nlc->MonitorNodeHealth();
    REQUIRE_MESSAGE(st.ok(), st.ToString());
    CatchUp();
  }
  void SyncNode(const std::string& name) {
    CatchUp();
    api::Status st = nlc->SyncNode(name);
    REQUIRE_MESSAGE(st.ok(), st.ToString());
    CatchUp();
  }
  void SyncPods() {
    CatchUp();
    api::Result<client::ObjectList> pods = fake.List(kPods, "", {});
    REQUIRE(pods.ok());
    for (const client::Object& p : pods->items) {
      api::Status st = nlc->SyncPod(client::ObjectKey(p));
      REQUIRE_MESSAGE(st.ok(), st.ToString());
    }
    CatchUp();
  }
  void GcPods() {
    CatchUp();
    api::Status st = nlc->GcPods();
    REQUIRE_MESSAGE(st.ok(), st.ToString());
    CatchUp();
  }

  client::Object GetNode(const std::string& name) { return *fake.Get(kNodes, "", name); }
  json::object Condition(const std::string& node, const std::string& type) {
    client::Object n = GetNode(node);
    const json::object* c = FindNodeCondition(n, type);
    return c ? *c : json::object();
  }
  std::string Ready(const std::string& node) {
    return api::GetString(Condition(node, "Ready"), "status");
  }
  // "key:effect" of the node's taints.
  std::vector<std::string> Taints(const std::string& node) {
    std::vector<std::string> out;
    client::Object n = GetNode(node);
    const json::value* t = api::Lookup(n, "spec.taints");
    if (!t || !t->is_array()) return out;
    for (const json::value& v : t->as_array()) {
      out.push_back(api::GetString(v.as_object(), "key") + ":" +
                    api::GetString(v.as_object(), "effect"));
    }
    return out;
  }
  bool PodExists(const std::string& name) { return fake.Get(kPods, "default", name).ok(); }
  std::string PodReady(const std::string& name) {
    api::Result<client::Object> p = fake.Get(kPods, "default", name);
    REQUIRE(p.ok());
    for (const json::value& c : api::Lookup(*p, "status.conditions")->as_array()) {
      if (api::GetString(c.as_object(), "type") == "Ready") {
        return api::GetString(c.as_object(), "status");
      }
    }
    return "";
  }
  // Events with this reason, as "<involved name>|<message>".
  std::vector<std::string> Events(const std::string& reason) {
    nlc->FlushEvents();
    std::vector<std::string> out;
    api::Result<client::ObjectList> events = fake.List(kEvents, "", {});
    REQUIRE(events.ok());
    for (const client::Object& e : events->items) {
      if (api::GetString(e, "reason") != reason) continue;
      out.push_back(api::GetString(e.at("involvedObject").as_object(), "name") + "|" +
                    api::GetString(e, "message"));
    }
    return out;
  }
};

const std::vector<std::string> kUnreachable = {"node.kubernetes.io/unreachable:NoSchedule",
                                               "node.kubernetes.io/unreachable:NoExecute"};

TEST_CASE("node lifecycle: a node whose Lease is not renewed becomes Unknown and tainted") {
  Fixture f;
  f.AddNode("n1");
  f.AddNode("n2");
  f.Monitor();
  CHECK(f.Events("RegisteredNode") ==
        std::vector<std::string>{"n1|Node n1 event: Registered Node n1 in Controller",
                                 "n2|Node n2 event: Registered Node n2 in Controller"});

  // 39 s later (lease renewed on n1 only) both are still fine; at 41 s n2 is not.
  f.Advance(39);
  f.Renew("n1");
  f.Monitor();
  CHECK(f.Ready("n2") == "True");
  f.Advance(2);
  f.Monitor();
  CHECK(f.Ready("n1") == "True");
  json::object ready = f.Condition("n2", "Ready");
  CHECK(api::GetString(ready, "status") == "Unknown");
  CHECK(api::GetString(ready, "reason") == "NodeStatusUnknown");
  CHECK(api::GetString(ready, "message") == "Kubelet stopped posting node status.");
  CHECK(api::GetString(ready, "lastTransitionTime") == f.Now());
  for (const char* type : {"MemoryPressure", "DiskPressure", "PIDPressure"}) {
    CHECK(api::GetString(f.Condition("n2", type), "status") == "Unknown");
  }
  CHECK(f.Events("NodeNotReady") ==
        std::vector<std::string>{"n2|Node n2 status is now: NodeNotReady"});

  f.SyncNode("n2");
  f.SyncNode("n1");
  CHECK(f.Taints("n2") == kUnreachable);
  CHECK(f.Taints("n1").empty());
  client::Object n2 = f.GetNode("n2");
  const json::value* t = api::Lookup(n2, "spec.taints.1.timeAdded");
  REQUIRE(t);
  CHECK(t->as_string() == f.Now());

  SUBCASE("the kubelet posting Ready again removes the taints") {
    f.Renew("n2");
    f.PostStatus("n2", "True");
    f.Monitor();
    f.SyncNode("n2");
    CHECK(f.Ready("n2") == "True");
    CHECK(f.Taints("n2").empty());
  }
  SUBCASE("another pass writes nothing more") {
    f.fake.ClearActions();
    f.Monitor();
    f.SyncNode("n2");
    CHECK(f.fake.ActionsFor("update", "nodes").empty());
  }
}

TEST_CASE("node lifecycle: the Ready condition's heartbeat also counts") {
  Fixture f;
  f.AddNode("n1", "True", /*lease=*/false);
  f.AddNode("n2", "True");
  f.Monitor();
  f.Advance(30);
  f.PostStatus("n1", "True");  // a fresh lastHeartbeatTime
  f.Renew("n2");
  f.Monitor();
  f.Advance(30);
  f.Renew("n2");
  f.Monitor();
  CHECK(f.Ready("n1") == "True");
  f.Advance(11);
  f.Renew("n2");
  f.Monitor();
  CHECK(f.Ready("n1") == "Unknown");
  CHECK(f.Ready("n2") == "True");
}

TEST_CASE("node lifecycle: a node that never posted status gets the startup grace period") {
  Fixture f;
  REQUIRE(f.fake.Create(kNodes, "", testing::MakeObject("v1", "Node", "", "silent")).ok());
  f.AddNode("n2");
  f.Monitor();
  f.Advance(50);
  f.Renew("n2");
  f.Monitor();
  CHECK(f.Condition("silent", "Ready").empty());
  f.Advance(15);
  f.Renew("n2");
  f.Monitor();
  json::object ready = f.Condition("silent", "Ready");
  CHECK(api::GetString(ready, "status") == "Unknown");
  CHECK(api::GetString(ready, "reason") == "NodeStatusNeverUpdated");
  CHECK(api::GetString(ready, "message") == "Kubelet never posted node status.");
  CHECK(api::GetString(f.Condition("silent", "DiskPressure"), "status") == "Unknown");
}

TEST_CASE("node lifecycle: Ready False taints not-ready; cordon mirrors spec.unschedulable") {
  Fixture f;
  f.AddNode("n1");
  f.AddNode("n2");
  f.Monitor();
  f.PostStatus("n1", "False");
  f.SyncNode("n1");
  CHECK(f.Taints("n1") == std::vector<std::string>{"node.kubernetes.io/not-ready:NoSchedule",
                                                   "node.kubernetes.io/not-ready:NoExecute"});
  f.PostStatus("n1", "True");
  f.SyncNode("n1");
  CHECK(f.Taints("n1").empty());

  f.SetUnschedulable("n2", true);
  f.SyncNode("n2");
  CHECK(f.Taints("n2") == std::vector<std::string>{"node.kubernetes.io/unschedulable:NoSchedule"});
  client::Object n2 = f.GetNode("n2");
  CHECK(api::Lookup(n2, "spec.taints.0.timeAdded") != nullptr);
  f.SetUnschedulable("n2", false);
  f.SyncNode("n2");
  CHECK(f.Taints("n2").empty());
}

TEST_CASE("node lifecycle: with every node down there are no NoExecute taints") {
  Fixture f;
  f.AddNode("n1");
  f.Monitor();
  f.AddPod("web", "n1");
  f.Advance(41);
  f.Monitor();
  f.SyncNode("n1");
  CHECK(f.Ready("n1") == "Unknown");
  CHECK(f.Taints("n1") == std::vector<std::string>{"node.kubernetes.io/unreachable:NoSchedule"});
  // The pods are marked not ready, but nothing is evicted.
  CHECK(f.PodReady("web") == "False");
  CHECK(f.Events("NodeNotReady").size() == 2);  // the node's and the pod's
  f.Advance(400);
  f.SyncPods();
  CHECK(f.PodExists("web"));

  // A Ready node appears: the cluster is no longer fully disrupted, evictions resume.
  f.AddNode("n2");
  f.Monitor();
  f.SyncNode("n1");
  CHECK(f.Taints("n1") == kUnreachable);
}

TEST_CASE("node lifecycle: NoExecute eviction honours tolerationSeconds") {
  Fixture f;
  f.AddNode("n1");
  f.AddNode("n2");
  f.Monitor();
  f.AddPod("plain", "n2");  // implied default: 300 s
  f.AddPod(
      "tol60", "n2",
      R"([{"key":"node.kubernetes.io/unreachable","operator":"Exists","effect":"NoExecute","tolerationSeconds":60}])");
  f.AddPod("forever", "n2", R"([{"operator":"Exists"}])");
  f.AddPod("elsewhere", "n1");

  f.Advance(41);
  f.Renew("n1");
  f.Monitor();
  f.SyncNode("n2");
  REQUIRE(f.Taints("n2") == kUnreachable);
  CHECK(f.PodReady("plain") == "False");
  CHECK(f.PodReady("elsewhere") == "True");
  f.SyncPods();  // the timers start now
  CHECK(f.PodExists("tol60"));

  f.Advance(59);
  f.SyncPods();
  CHECK(f.PodExists("tol60"));
  f.Advance(2);
  f.SyncPods();
  CHECK_FALSE(f.PodExists("tol60"));
  CHECK(f.PodExists("plain"));
  // The DisruptionTarget condition was written before the delete.
  bool condition_written = false;
  for (const auto& a : f.fake.ActionsFor("update", "pods")) {
    if (a.name != "tol60" || a.subresource != "status") continue;
    for (const json::value& c : api::Lookup(a.object, "status.conditions")->as_array()) {
      if (api::GetString(c.as_object(), "type") == "DisruptionTarget" &&
          api::GetString(c.as_object(), "reason") == "DeletionByTaintManager") {
        condition_written = true;
      }
    }
  }
  CHECK(condition_written);
  CHECK(f.Events("TaintManagerEviction") ==
        std::vector<std::string>{"tol60|Marking for deletion Pod default/tol60"});

  f.Advance(240);  // 301 s after the taint
  f.SyncPods();
  CHECK_FALSE(f.PodExists("plain"));
  CHECK(f.PodExists("forever"));
  CHECK(f.PodExists("elsewhere"));

  SUBCASE("a NoExecute taint nobody tolerates evicts at once") {
    f.AddTaint("n1", R"({"key":"dedicated","value":"db","effect":"NoExecute"})");
    f.SyncNode("n1");
    f.SyncPods();
    CHECK_FALSE(f.PodExists("elsewhere"));
    CHECK(f.PodExists("forever"));
  }
}

TEST_CASE("node lifecycle: a node that comes back cancels scheduled evictions") {
  Fixture f;
  f.AddNode("n1");
  f.AddNode("n2");
  f.Monitor();
  f.AddPod("web", "n2");
  f.Advance(41);
  f.Renew("n1");
  f.Monitor();
  f.SyncNode("n2");
  f.SyncPods();
  f.Advance(100);
  f.Renew("n2");
  f.PostStatus("n2", "True");
  f.SyncNode("n2");
  REQUIRE(f.Taints("n2").empty());
  f.SyncPods();
  f.Advance(300);
  f.SyncPods();
  CHECK(f.PodExists("web"));
  CHECK(f.Events("TaintManagerEviction") ==
        std::vector<std::string>{"web|Cancelling deletion of Pod default/web"});
}

TEST_CASE("node lifecycle: pod GC deletes orphaned, unscheduled terminating and old pods") {
  NodeLifecycleControllerOptions opts;
  opts.pod_gc.terminated_pod_threshold = 2;
  Fixture f(opts);
  f.AddNode("n1");
  f.AddPod("orphan", "ghost");
  f.AddPod("kept", "n1");
  f.GcPods();
  CHECK(f.PodExists("orphan"));  // quarantined first: the node may still show up
  f.Advance(41);
  f.GcPods();
  CHECK_FALSE(f.PodExists("orphan"));
  CHECK(f.PodExists("kept"));
  bool failed = false;
  for (const auto& a : f.fake.ActionsFor("update", "pods")) {
    if (a.name == "orphan" &&
        api::GetString(a.object.at("status").as_object(), "phase") == "Failed") {
      const json::value* c = api::Lookup(a.object, "status.conditions.1.reason");
      failed = c && c->as_string() == "DeletionByPodGC";
    }
  }
  CHECK(failed);
  bool forced = false;
  for (const auto& a : f.fake.ActionsFor("delete", "pods")) {
    if (a.name == "orphan") forced = a.delete_options.grace_period_seconds == 0;
  }
  CHECK(forced);

  SUBCASE("terminating pods that were never scheduled are force-deleted") {
    client::Object pod =
        testing::MakeObject("v1", "Pod", "default", "stuck", {}, {"example.com/x"});
    REQUIRE(f.fake.Create(kPods, "default", pod).ok());
    REQUIRE(f.fake.Delete(kPods, "default", "stuck").ok());
    f.fake.ClearActions();
    f.GcPods();
    auto deletes = f.fake.ActionsFor("delete", "pods");
    REQUIRE(deletes.size() == 1);
    CHECK(deletes[0].name == "stuck");
    CHECK(deletes[0].delete_options.grace_period_seconds == 0);
  }
  SUBCASE("terminated pods beyond the threshold go, evicted ones first, then oldest") {
    f.AddPod("a", "n1", "[]", "Succeeded");
    f.AddPod("b", "n1", "[]", "Succeeded");
    f.AddPod("c", "n1", "[]", "Failed");
    f.AddPod("d", "n1", "[]", "Failed");
    api::Result<client::Object> d = f.fake.Get(kPods, "default", "d");
    (*d)["status"].as_object()["reason"] = "Evicted";
    client::WriteOptions w;
    w.subresource = "status";
    REQUIRE(f.fake.Update(kPods, "default", *d, w).ok());
    f.GcPods();
    CHECK_FALSE(f.PodExists("d"));
    CHECK_FALSE(f.PodExists("a"));
    CHECK(f.PodExists("b"));
    CHECK(f.PodExists("c"));
  }
}

TEST_CASE("node lifecycle: the running controller monitors on its own") {
  NodeLifecycleControllerOptions opts;
  opts.node_monitor_period = std::chrono::seconds(5);
  Fixture f(opts);
  f.AddNode("n1");
  f.AddNode("n2");
  f.AddPod(
      "web", "n2",
      R"([{"key":"node.kubernetes.io/unreachable","operator":"Exists","effect":"NoExecute","tolerationSeconds":10}])");
  f.CatchUp();  // the first health pass sees both nodes
  f.nlc->Start(2);
  REQUIRE(WaitFor([&] { return f.nlc->Running(); }));
  REQUIRE(WaitFor([&] { return f.Events("RegisteredNode").size() == 2; }));
  // Time passes in 1 s steps while n1's kubelet keeps renewing its Lease.
  auto tick = [&] {
    f.Advance(1);
    f.Renew("n1");
    f.CatchUp();
  };
  CHECK(WaitFor([&] {
    tick();
    return f.Ready("n2") == "Unknown" && f.Taints("n2") == kUnreachable;
  }));
  CHECK(f.Ready("n1") == "True");
  CHECK(WaitFor([&] {
    tick();
    return !f.PodExists("web");
  }));
  CHECK(f.Ready("n1") == "True");
}

}  // namespace
}  // namespace kc::controllers
