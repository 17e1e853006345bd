// Proxier against real iptables, inside a network namespace the test makes (so the host's rules
// are untouched): rules appear, traffic to a ClusterIP reaches the endpoint, a Service without
// endpoints is refused, removed Services leave no chains behind; partial syncs write only what
// changed and never run iptables-save, full syncs remove stale chains of an earlier run, a
// sequence of partial syncs ends in the same rules as one full sync, and a failed restore
// leaves consistent rules and forces a full resync.
#include "pkg/proxy/proxier.h"

#include <doctest/doctest.h>
#include <unistd.h>

#include <boost/json/parse.hpp>
#include <cstdlib>
#include <algorithm>
#include <map>
#include <memory>
#include <mutex>
#include <set>
#include <sstream>
#include <thread>
#include <utility>

#include "pkg/client/fake_client.h"
#include "pkg/client/informer_factory.h"

namespace kc::proxy {
namespace {

const client::ResourceRef kServices{"", "v1", "services"};
const client::ResourceRef kSlices{"discovery.k8s.io", "v1", "endpointslices"};

client::Object Json(const std::string& s) { return boost::json::parse(s).as_object(); }

bool CanRun() {
  return geteuid() == 0 && std::system("command -v iptables-restore >/dev/null 2>&1") == 0 &&
         std::system("command -v ip >/dev/null 2>&1") == 0;
}

int g_netns_seq = 0;

struct Netns {
  std::string name = "kcpx" + std::to_string(getpid()) + "-" + std::to_string(++g_netns_seq);
  bool ok = false;
  Netns() {
    std::string n = name;
    ok = std::system(("ip netns add " + n + " && ip -n " + n + " link set lo up && ip -n " + n +
                      " link add dummy0 type veth peer name dummy1 && ip -n " + n + " link set dummy1 up && ip -n " + n +
                      " addr add 10.42.0.5/24 dev dummy0 && ip -n " + n +
                      " link set dummy0 up && ip -n " + n + " route add default dev dummy0")
                         .c_str()) == 0;
  }
  ~Netns() {
    std::system(("ip netns pids " + name + " 2>/dev/null | xargs -r kill -9").c_str());
    std::system(("ip netns del " + name).c_str());
  }
  std::string Exec(const std::string& cmd) const {
    std::string full = "ip netns exec " + name + " " + cmd + " 2>&1";
    std::string out;
    FILE* f = popen(full.c_str(), "r");
    if (!f) return out;
    char buf[4096];
    size_t n;
    while ((n = fread(buf, 1, sizeof(buf), f)) > 0) out.append(buf, n);
    pclose(f);
    return out;
  }
};

const char kConnect[] =
    "/usr/bin/python3 -c \"import socket,sys\n"
    "try:\n"
    "  s=socket.create_connection(('10.43.0.99',%d),2); print('got:'+s.recv(100).decode())\n"
    "except Exception as e: print('error:'+type(e).__name__)\"";

std::string Connect(const Netns& ns, int port) {
  char cmd[512];
  std::snprintf(cmd, sizeof(cmd), kConnect, port);
  return ns.Exec(cmd);
}

TEST_CASE("proxier: real iptables in a network namespace") {
  if (!CanRun()) {
    MESSAGE("skipped: needs root, iproute2 and iptables");
    return;
  }
  Netns ns;
  REQUIRE(ns.ok);
  // A TCP server on the "pod" address answering "hello".
  std::system(("ip netns exec " + ns.name +
               " /usr/bin/python3 -c \"import socket\n"
               "s=socket.socket(); s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)\n"
               "s.bind(('10.42.0.5',8080)); s.listen(8)\n"
               "while True:\n"
               "  c,_=s.accept(); c.sendall(b'hello'); c.close()\" >/dev/null 2>&1 &")
                  .c_str());

  client::FakeClient fake;
  client::SharedInformerFactory factory(fake);
  ProxierOptions opts;
  opts.command_prefix = {"ip", "netns", "exec", ns.name};
  Proxier proxier(factory, opts);
  factory.Start();
  REQUIRE(factory.WaitForCacheSync(std::chrono::seconds(5)));

  REQUIRE(fake.Create(kServices, "default",
                      Json(R"({"metadata":{"name":"web","namespace":"default"},"spec":{"clusterIP":"10.43.0.99","ports":[{"name":"http","port":80,"targetPort":8080}]}})"))
              .ok());
  REQUIRE(fake.Create(kServices, "default",
                      Json(R"({"metadata":{"name":"empty","namespace":"default"},"spec":{"clusterIP":"10.43.0.99","ports":[{"port":81}]}})"))
              .ok());
  REQUIRE(fake.Create(kSlices, "default",
                      Json(R"({"metadata":{"name":"web-1","namespace":"default","labels":{"kubernetes.io/service-name":"web"}},"addressType":"IPv4","ports":[{"name":"http","port":8080,"protocol":"TCP"}],"endpoints":[{"addresses":["10.42.0.5"],"conditions":{"ready":true}}]})"))
              .ok());
  auto caught_up = [&](size_t svcs, size_t slices) {
    for (int i = 0; i < 500; ++i) {
      if (factory.ForResource(kServices)->List().size() == svcs &&
          factory.ForResource(kSlices)->List().size() == slices) {
        return true;
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
    return false;
  };
  REQUIRE(caught_up(2, 1));
  api::Status st = proxier.SyncOnce();
  REQUIRE_MESSAGE(st.ok(), st.ToString());
  CHECK(proxier.writes() == 1);
  // Same state → nothing rewritten.
  REQUIRE(proxier.SyncOnce().ok());
  CHECK(proxier.writes() == 1);

  std::string nat = ns.Exec("iptables-save -t nat");
  CHECK(nat.find("-A PREROUTING -m comment --comment \"kubernetes service portals\" -j KUBE-SERVICES") !=
        std::string::npos);
  CHECK(nat.find("--to-destination 10.42.0.5:8080") != std::string::npos);

  std::string got;
  for (int i = 0; i < 50 && got.find("got:hello") == std::string::npos; ++i) {
    got = Connect(ns, 80);  // the server may still be starting
    if (got.find("got:hello") == std::string::npos) {
      std::this_thread::sleep_for(std::chrono::milliseconds(100));
    }
  }
  CHECK_MESSAGE(got.find("got:hello") != std::string::npos, got);
  // No endpoints: refused at once, not a timeout.
  std::string refused = Connect(ns, 81);
  CHECK_MESSAGE(refused.find("error:ConnectionRefusedError") != std::string::npos, refused);

  // The Service goes: its chains go.
  REQUIRE(fake.Delete(kServices, "default", "web").ok());
  REQUIRE(caught_up(1, 1));
  REQUIRE(proxier.SyncOnce().ok());
  nat = ns.Exec("iptables-save -t nat");
  CHECK(nat.find("KUBE-SVC-") == std::string::npos);
  CHECK(nat.find("KUBE-SEP-") == std::string::npos);

  REQUIRE(proxier.Cleanup().ok());
  CHECK(ns.Exec("iptables-save").find("KUBE-") == std::string::npos);
  proxier.Stop();
  factory.Stop();
}


// --- Partial and full syncs -------------------------------------------------------------------

// Services and EndpointSlices in a FakeClient, seen through shared informers.
struct Cluster {
  client::FakeClient fake;
  client::SharedInformerFactory factory{fake};

  // Creates or replaces the object, and waits until the informer cache has this version.
  void Apply(const client::ResourceRef& res, const std::string& json) {
    client::Object obj = Json(json);
    const std::string ns = client::ObjectMetaString(obj, "namespace");
    const std::string name = client::ObjectMetaString(obj, "name");
    api::Result<client::Object> r =
        fake.Get(res, ns, name).ok() ? fake.Update(res, ns, obj) : fake.Create(res, ns, obj);
    REQUIRE_MESSAGE(r.ok(), r.status().ToString());
    const std::string rv = client::ObjectMetaString(*r, "resourceVersion");
    REQUIRE(WaitCache(res, ns, name, [&](const client::ObjectPtr& o) {
      return o && client::ObjectMetaString(*o, "resourceVersion") == rv;
    }));
  }
  void Remove(const client::ResourceRef& res, const std::string& ns, const std::string& name) {
    REQUIRE(fake.Delete(res, ns, name).ok());
    REQUIRE(WaitCache(res, ns, name, [](const client::ObjectPtr& o) { return o == nullptr; }));
  }

 private:
  template <typename Pred>
  bool WaitCache(const client::ResourceRef& res, const std::string& ns, const std::string& name,
                 Pred pred) {
    for (int i = 0; i < 500; ++i) {
      if (pred(factory.ForResource(res)->Get(ns, name))) return true;
      std::this_thread::sleep_for(std::chrono::milliseconds(5));
    }
    return false;
  }
};

std::string ServiceJson(const std::string& name, int idx, const std::string& extra_spec = "",
                        const std::string& proto = "TCP") {
  return R"({"metadata":{"name":")" + name +
         R"(","namespace":"default"},"spec":{"clusterIP":"10.43.1.)" + std::to_string(idx) +
         R"(","ports":[{"name":"p","port":80,"protocol":")" + proto + R"("}])" + extra_spec +
         "}}";
}

std::string SliceJson(const std::string& svc, const std::vector<std::string>& ips,
                      const std::string& proto = "TCP") {
  std::string eps;
  for (const std::string& ip : ips) {
    if (!eps.empty()) eps += ",";
    eps += R"({"addresses":[")" + ip + R"("],"conditions":{"ready":true}})";
  }
  return R"({"metadata":{"name":")" + svc +
         R"(-1","namespace":"default","labels":{"kubernetes.io/service-name":")" + svc +
         R"("}},"addressType":"IPv4","ports":[{"name":"p","port":8080,"protocol":")" + proto +
         R"("}],"endpoints":[)" + eps + "]}";
}

ServicePort PortOf(const std::string& svc, const std::string& proto = "TCP") {
  ServicePort sp;
  sp.ns = "default";
  sp.name = svc;
  sp.port_name = "p";
  sp.protocol = proto;
  return sp;
}

std::string SepOf(const std::string& svc, const std::string& ip) {
  ProxyEndpoint ep;
  ep.ip = ip;
  ep.port = 8080;
  return EndpointChain(PortOf(svc), ep);
}

// A command the proxier ran, as its hook saw it.
struct Command {
  std::vector<std::string> argv;
  std::string input;
};

// A Proxier over a Cluster, running its commands in `ns`, recording them, and failing the
// iptables-restore numbered `fail_restore` (counting from 0 over the rig's life) when set.
struct Rig {
  Cluster cluster;
  std::mutex mu;
  std::vector<Command> commands;  // guarded by mu
  int restores_seen = 0;          // guarded by mu
  int fail_restore = -1;          // guarded by mu
  std::unique_ptr<Proxier> proxier;

  Rig(const Netns& ns, ProxierOptions opts = {}) {
    opts.netns_path = "/run/netns/" + ns.name;
    opts.set_sysctls = false;
    opts.command_hook = [this](const std::vector<std::string>& argv, const std::string& input) {
      std::lock_guard<std::mutex> l(mu);
      commands.push_back({argv, input});
      if (argv[0] == "iptables-restore" && restores_seen++ == fail_restore) {
        return api::Status::Internal("injected restore failure");
      }
      return api::Status::Ok();
    };
    proxier = std::make_unique<Proxier>(cluster.factory, opts);
    cluster.factory.Start();
    REQUIRE(cluster.factory.WaitForCacheSync(std::chrono::seconds(5)));
  }
  ~Rig() {
    proxier->Stop();
    cluster.factory.Stop();
  }
  void FailRestoreAfter(int n) {
    std::lock_guard<std::mutex> l(mu);
    fail_restore = restores_seen + n;
  }
  std::vector<Command> Take() {
    std::lock_guard<std::mutex> l(mu);
    return std::exchange(commands, {});
  }
  void Sync() {
    api::Status st = proxier->SyncOnce();
    REQUIRE_MESSAGE(st.ok(), st.ToString());
  }
};

int Count(const std::vector<Command>& cmds, const std::string& program) {
  int n = 0;
  for (const Command& c : cmds) n += c.argv[0] == program;
  return n;
}

bool Has(const std::string& text, const std::string& needle) {
  return text.find(needle) != std::string::npos;
}

// `iptables-save -t <table>` as chain → rules in order (each without "-A CHAIN "), with the
// chain policies, and without comments and counters.
std::map<std::string, std::vector<std::string>> Table(const Netns& ns, const std::string& table) {
  std::map<std::string, std::vector<std::string>> out;
  std::istringstream in(ns.Exec("iptables-save -t " + table));
  std::string line;
  while (std::getline(in, line)) {
    if (line.empty() || line[0] == '#' || line[0] == '*' || line == "COMMIT") continue;
    if (line[0] == ':') {
      std::string name = line.substr(1, line.find(' ') - 1);
      std::string policy = line.substr(line.find(' ') + 1);
      out[name].insert(out[name].begin(), "policy " + policy.substr(0, policy.find(' ')));
    } else if (line.rfind("-A ", 0) == 0) {
      size_t sp = line.find(' ', 3);
      out[line.substr(3, sp - 3)].push_back(line.substr(sp + 1));
    } else {
      out["?"].push_back(line);
    }
  }
  return out;
}

std::string Dump(const std::map<std::string, std::vector<std::string>>& t) {
  std::string s;
  for (const auto& [chain, rules] : t) {
    s += chain + ":\n";
    for (const std::string& r : rules) s += "  " + r + "\n";
  }
  return s;
}

// The DNAT destinations a Service's chain leads to (via its endpoint chains).
std::set<std::string> Destinations(const std::map<std::string, std::vector<std::string>>& nat,
                                   const std::string& svc_chain) {
  std::set<std::string> out;
  auto it = nat.find(svc_chain);
  if (it == nat.end()) return out;
  for (const std::string& r : it->second) {
    size_t j = r.find("-j KUBE-SEP-");
    if (j == std::string::npos) continue;
    auto sep = nat.find(r.substr(j + 3));
    if (sep == nat.end()) {
      out.insert("missing:" + r.substr(j + 3));
      continue;
    }
    for (const std::string& sr : sep->second) {
      size_t d = sr.find("--to-destination ");
      if (d != std::string::npos) out.insert(sr.substr(d + 17));
    }
  }
  return out;
}

TEST_CASE("proxier: a partial sync writes only what changed, without iptables-save") {
  if (!CanRun()) {
    MESSAGE("skipped: needs root, iproute2 and iptables");
    return;
  }
  Netns ns;
  REQUIRE(ns.ok);
  Rig rig(ns);
  for (int i = 0; i < 3; ++i) {
    const std::string svc = "svc" + std::to_string(i);
    rig.cluster.Apply(kServices, ServiceJson(svc, i + 1));
    rig.cluster.Apply(kSlices, SliceJson(svc, {"10.42.1." + std::to_string(10 * i + 1),
                                               "10.42.1." + std::to_string(10 * i + 2)}));
  }
  rig.cluster.Apply(kServices, ServiceJson("dns", 9, "", "UDP"));
  rig.cluster.Apply(kSlices, SliceJson("dns", {"10.42.1.91"}, "UDP"));
  rig.Sync();
  CHECK(rig.proxier->last_sync().full);
  std::vector<Command> cmds = rig.Take();
  CHECK(Count(cmds, "iptables-save") == 2);  // nat and filter, once each

  SUBCASE("an endpoint replaced: one restore with that Service's chains and the top-level ones") {
    rig.cluster.Apply(kSlices, SliceJson("svc1", {"10.42.1.11", "10.42.1.13"}));
    rig.Sync();
    SyncStats st = rig.proxier->last_sync();
    CHECK_FALSE(st.full);
    CHECK(st.wrote);
    CHECK(st.restores == 1);
    CHECK(st.chains_written == 2);  // KUBE-SVC of svc1, the new KUBE-SEP
    CHECK(st.chains_deleted == 1);  // the old KUBE-SEP
    CHECK(st.ports_rebuilt == 1);
    cmds = rig.Take();
    REQUIRE(cmds.size() == 1);
    CHECK(cmds[0].argv[0] == "iptables-restore");
    const std::string& in = cmds[0].input;
    CHECK(Has(in, ":" + ServiceChain(PortOf("svc1")) + " - [0:0]\n"));
    CHECK(Has(in, ":" + SepOf("svc1", "10.42.1.13") + " - [0:0]\n"));
    CHECK(Has(in, "-X " + SepOf("svc1", "10.42.1.12") + "\n"));
    CHECK_FALSE(Has(in, ":" + SepOf("svc1", "10.42.1.11")));  // unchanged endpoint chain
    CHECK_FALSE(Has(in, ":" + ServiceChain(PortOf("svc0"))));
    CHECK_FALSE(Has(in, ":" + ServiceChain(PortOf("svc2"))));
    CHECK(Has(in, ":KUBE-SERVICES - [0:0]\n"));
    CHECK(Has(in, "-A KUBE-SERVICES"));
    CHECK(Has(in, "*filter\n"));

    auto nat = Table(ns, "nat");
    CHECK(Destinations(nat, ServiceChain(PortOf("svc1"))) ==
          std::set<std::string>{"10.42.1.11:8080", "10.42.1.13:8080"});
    CHECK(Destinations(nat, ServiceChain(PortOf("svc0"))) ==
          std::set<std::string>{"10.42.1.1:8080", "10.42.1.2:8080"});
    CHECK(nat.count(SepOf("svc1", "10.42.1.12")) == 0);

    // Nothing changed since: nothing runs at all.
    rig.Sync();
    CHECK_FALSE(rig.proxier->last_sync().wrote);
    CHECK(rig.Take().empty());
  }

  SUBCASE("a removed Service: its chains are deleted, still without iptables-save") {
    rig.cluster.Remove(kServices, "default", "svc2");
    rig.Sync();
    SyncStats st = rig.proxier->last_sync();
    CHECK_FALSE(st.full);
    CHECK(st.chains_written == 0);
    CHECK(st.chains_deleted == 3);
    cmds = rig.Take();
    REQUIRE(cmds.size() == 1);
    CHECK(cmds[0].argv[0] == "iptables-restore");
    CHECK(Has(cmds[0].input, "-X " + ServiceChain(PortOf("svc2")) + "\n"));
    CHECK(Has(cmds[0].input, "-X " + SepOf("svc2", "10.42.1.21") + "\n"));
    CHECK(Has(cmds[0].input, "-X " + SepOf("svc2", "10.42.1.22") + "\n"));
    auto nat = Table(ns, "nat");
    CHECK(nat.count(ServiceChain(PortOf("svc2"))) == 0);
    CHECK(nat.count(SepOf("svc2", "10.42.1.21")) == 0);
    CHECK(nat.count(ServiceChain(PortOf("svc1"))) == 1);
  }

  SUBCASE("a UDP endpoint that went away has its conntrack entries cleared") {
    rig.cluster.Apply(kSlices, SliceJson("dns", {"10.42.1.92"}, "UDP"));
    rig.Sync();
    cmds = rig.Take();
    REQUIRE(cmds.size() == 2);
    CHECK(cmds[0].argv[0] == "iptables-restore");
    CHECK(cmds[1].argv == std::vector<std::string>{"conntrack", "-D", "-p", "udp", "--dst-nat",
                                                   "10.42.1.91"});
  }
}

TEST_CASE("proxier: a full sync removes stale chains of an earlier run") {
  if (!CanRun()) {
    MESSAGE("skipped: needs root, iproute2 and iptables");
    return;
  }
  Netns ns;
  REQUIRE(ns.ok);
  {
    Rig earlier(ns);
    earlier.cluster.Apply(kServices, ServiceJson("old", 1));
    earlier.cluster.Apply(kSlices, SliceJson("old", {"10.42.1.1"}));
    earlier.cluster.Apply(kServices, ServiceJson("kept", 2));
    earlier.cluster.Apply(kSlices, SliceJson("kept", {"10.42.1.2"}));
    earlier.Sync();
  }  // gone without Cleanup: its rules stay
  ns.Exec("iptables -t nat -N KUBE-SEP-HANDMADEHANDMADE");
  ns.Exec("iptables -t nat -N SOMEONE-ELSES");
  REQUIRE(Table(ns, "nat").count(ServiceChain(PortOf("old"))) == 1);

  Rig now(ns);
  now.cluster.Apply(kServices, ServiceJson("kept", 2));
  now.cluster.Apply(kSlices, SliceJson("kept", {"10.42.1.2"}));
  now.cluster.Apply(kServices, ServiceJson("new", 3));
  now.cluster.Apply(kSlices, SliceJson("new", {"10.42.1.3"}));
  now.Sync();
  CHECK(now.proxier->last_sync().full);
  CHECK(now.proxier->last_sync().chains_deleted == 3);
  std::vector<Command> cmds = now.Take();
  CHECK(Count(cmds, "iptables-save") == 2);
  CHECK(Count(cmds, "iptables") == 0);  // jump rules found in the save: no -C / -I
  auto nat = Table(ns, "nat");
  INFO(Dump(nat));
  CHECK(nat.count(ServiceChain(PortOf("old"))) == 0);
  CHECK(nat.count(SepOf("old", "10.42.1.1")) == 0);
  CHECK(nat.count("KUBE-SEP-HANDMADEHANDMADE") == 0);
  CHECK(nat.count("SOMEONE-ELSES") == 1);
  CHECK(Destinations(nat, ServiceChain(PortOf("kept"))) == std::set<std::string>{"10.42.1.2:8080"});
  CHECK(Destinations(nat, ServiceChain(PortOf("new"))) == std::set<std::string>{"10.42.1.3:8080"});

  // Jump rules exist exactly once, also after further full syncs.
  now.proxier->RequestFullSync();
  now.Sync();
  CHECK(now.proxier->last_sync().full);
  for (const JumpRule& j : JumpRules()) {
    auto t = Table(ns, j.table);
    std::string rule = JumpRuleSaveLine(j).substr(4 + j.chain.size());
    CHECK_MESSAGE(std::count(t[j.chain].begin(), t[j.chain].end(), rule) == 1,
                  j.table << " " << j.chain << " " << rule);
  }
}

TEST_CASE("proxier: partial syncs end in the same rules as one full sync") {
  if (!CanRun()) {
    MESSAGE("skipped: needs root, iproute2 and iptables");
    return;
  }
  ProxierOptions opts;
  opts.restore_chunk_lines = 8;                   // big writes go in several restores
  opts.rules.large_cluster_endpoints_threshold = 6;  // crossed back and forth below
  Netns partial_ns;
  REQUIRE(partial_ns.ok);
  Rig rig(partial_ns, opts);
  std::map<std::string, std::pair<client::ResourceRef, std::string>> objects;  // the final set
  auto apply = [&](const client::ResourceRef& res, const std::string& json) {
    rig.cluster.Apply(res, json);
    client::Object o = Json(json);
    objects[res.resource + "/" + client::ObjectMetaString(o, "name")] = {res, json};
  };
  auto remove = [&](const client::ResourceRef& res, const std::string& name) {
    rig.cluster.Remove(res, "default", name);
    objects.erase(res.resource + "/" + name);
  };
  auto sync = [&](bool want_full) {
    rig.Sync();
    CHECK(rig.proxier->last_sync().full == want_full);
    CHECK(Count(rig.Take(), "iptables-save") == (want_full ? 2 : 0));
  };

  apply(kServices, ServiceJson("a", 1));
  apply(kSlices, SliceJson("a", {"10.42.2.1", "10.42.2.2"}));
  apply(kServices, ServiceJson("b", 2, R"(,"type":"NodePort","externalIPs":["192.0.2.7"])"));
  apply(kServices, ServiceJson("c", 3));  // no endpoints yet
  sync(true);
  apply(kSlices, SliceJson("b", {"10.42.2.11"}));
  sync(false);
  apply(kSlices, SliceJson("a", {"10.42.2.1", "10.42.2.3", "10.42.2.4"}));
  apply(kServices, ServiceJson("d", 4));
  apply(kSlices, SliceJson("d", {"10.42.2.31", "10.42.2.32"}));
  sync(false);  // 6 endpoints: not above the threshold
  apply(kSlices, SliceJson("b", {"10.42.2.11", "10.42.2.12", "10.42.2.13"}));
  sync(false);  // 8: large cluster mode, every chain with comments is rewritten
  CHECK(rig.proxier->last_sync().restores > 1);
  remove(kServices, "a");
  remove(kSlices, "a-1");
  apply(kSlices, SliceJson("c", {"10.42.2.21"}));
  apply(kServices, ServiceJson("d", 4, R"(,"sessionAffinity":"ClientIP","sessionAffinityConfig":{"clientIP":{"timeoutSeconds":30}})"));
  sync(false);
  apply(kSlices, SliceJson("b", {}));  // b: REJECT; 3 endpoints left, comments come back
  sync(false);

  Netns full_ns;
  REQUIRE(full_ns.ok);
  Rig fresh(full_ns, opts);
  for (const auto& [key, obj] : objects) fresh.cluster.Apply(obj.first, obj.second);
  fresh.Sync();
  CHECK(fresh.proxier->last_sync().full);
  for (const char* table : {"nat", "filter"}) {
    std::string got = Dump(Table(partial_ns, table));
    std::string want = Dump(Table(full_ns, table));
    CHECK_MESSAGE(got == want, table << " after partial syncs:\n" << got << "after one full sync:\n" << want);
  }
  CHECK(Has(Dump(Table(partial_ns, "filter")), "default/b:p has no endpoints"));
  CHECK(Has(Dump(Table(partial_ns, "nat")), "-m recent --rcheck --seconds 30"));
}

TEST_CASE("proxier: a failed restore keeps the rules consistent and forces a full resync") {
  if (!CanRun()) {
    MESSAGE("skipped: needs root, iproute2 and iptables");
    return;
  }
  ProxierOptions opts;
  opts.restore_chunk_lines = 8;  // one Service a restore below
  Netns ns;
  REQUIRE(ns.ok);
  Rig rig(ns, opts);
  auto old_ips = [](int i) {
    return std::vector<std::string>{"10.42.3." + std::to_string(10 * i + 1),
                                    "10.42.3." + std::to_string(10 * i + 2)};
  };
  auto new_ips = [](int i) {
    return std::vector<std::string>{"10.42.4." + std::to_string(10 * i + 1),
                                    "10.42.4." + std::to_string(10 * i + 2)};
  };
  auto dests = [](const std::vector<std::string>& ips) {
    std::set<std::string> s;
    for (const std::string& ip : ips) s.insert(ip + ":8080");
    return s;
  };
  for (int i = 0; i < 4; ++i) {
    rig.cluster.Apply(kServices, ServiceJson("s" + std::to_string(i), i + 1));
    rig.cluster.Apply(kSlices, SliceJson("s" + std::to_string(i), old_ips(i)));
  }
  rig.Sync();
  for (int i = 0; i < 4; ++i) rig.cluster.Apply(kSlices, SliceJson("s" + std::to_string(i), new_ips(i)));
  rig.Take();

  rig.FailRestoreAfter(2);  // the third restore of the next sync
  api::Status st = rig.proxier->SyncOnce();
  CHECK_FALSE(st.ok());
  CHECK(Count(rig.Take(), "iptables-restore") == 3);
  // Two Services were switched whole, two not at all; every jump has its target.
  auto nat = Table(ns, "nat");
  INFO(Dump(nat));
  CHECK(Destinations(nat, ServiceChain(PortOf("s0"))) == dests(new_ips(0)));
  CHECK(Destinations(nat, ServiceChain(PortOf("s1"))) == dests(new_ips(1)));
  CHECK(Destinations(nat, ServiceChain(PortOf("s2"))) == dests(old_ips(2)));
  CHECK(Destinations(nat, ServiceChain(PortOf("s3"))) == dests(old_ips(3)));
  for (int i = 0; i < 4; ++i) {
    CHECK(Has(Dump(nat), "-j " + ServiceChain(PortOf("s" + std::to_string(i)))));
  }

  // The next sync is a full one, and cleans up.
  rig.Sync();
  CHECK(rig.proxier->last_sync().full);
  CHECK(Count(rig.Take(), "iptables-save") == 2);
  nat = Table(ns, "nat");
  for (int i = 0; i < 4; ++i) {
    CHECK(Destinations(nat, ServiceChain(PortOf("s" + std::to_string(i)))) == dests(new_ips(i)));
    for (const std::string& ip : old_ips(i)) CHECK(nat.count(SepOf("s" + std::to_string(i), ip)) == 0);
  }
  CHECK_FALSE(Has(Dump(nat), "10.42.3."));
}

}  // namespace
}  // namespace kc::proxy
