// Sync planning without iptables: which chains a partial or full sync writes, how the writes are
// split into restores, and what is deleted.
#include "pkg/proxy/sync_plan.h"

#include <doctest/doctest.h>

#include <algorithm>

namespace kc::proxy {
namespace {

// Service port `i` of Service "svc<i>" with `n` endpoints; `shift` moves the endpoints.
ServicePort Port(int i, int n, int shift = 0) {
  ServicePort sp;
  sp.ns = "default";
  sp.name = "svc" + std::to_string(i);
  sp.port_name = "http";
  sp.type = "ClusterIP";
  sp.cluster_ip = "10.43.0." + std::to_string(i + 1);
  sp.port = 80;
  for (int j = 0; j < n; ++j) {
    ProxyEndpoint ep;
    ep.ip = "10.42." + std::to_string(i) + "." + std::to_string(j + 1 + shift);
    ep.port = 8080;
    ep.ready = ep.serving = true;
    sp.endpoints.push_back(ep);
  }
  return sp;
}

bool Has(const std::string& text, const std::string& needle) {
  return text.find(needle) != std::string::npos;
}

// Declared nat chains (":NAME" lines after "*nat") of one restore input.
std::vector<std::string> NatDeclarations(const std::string& restore) {
  std::vector<std::string> out;
  size_t nat = restore.find("*nat\n");
  if (nat == std::string::npos) return out;
  size_t pos = nat + 5;
  while (pos < restore.size() && restore[pos] == ':') {
    size_t end = restore.find(' ', pos);
    out.push_back(restore.substr(pos + 1, end - pos - 1));
    pos = restore.find('\n', pos) + 1;
  }
  return out;
}

WrittenState StateOf(const DesiredRules& d) {
  return PlanFullSync(d, {}, {}, 1u << 30).after;
}

TEST_CASE("sync plan: a partial sync writes only the chains that changed") {
  RulesConfig cfg;
  std::vector<ServicePort> ports = {Port(0, 3), Port(1, 3), Port(2, 3)};
  WrittenState written = StateOf(BuildDesiredRules(ports, cfg));
  REQUIRE(written.chains.size() == 3 * 4);

  SUBCASE("nothing changed: nothing to write") {
    SyncPlan plan = PlanPartialSync(BuildDesiredRules(ports, cfg), written, 3000);
    CHECK(plan.restores.empty());
    CHECK(plan.chains_written == 0);
  }

  SUBCASE("one endpoint replaced: its service chain, the new endpoint chain, the old one deleted") {
    std::vector<ServicePort> next = ports;
    const std::string old_sep = EndpointChain(next[1], next[1].endpoints[2]);
    next[1].endpoints[2].ip = "10.42.1.99";
    const std::string new_sep = EndpointChain(next[1], next[1].endpoints[2]);
    SyncPlan plan = PlanPartialSync(BuildDesiredRules(next, cfg), written, 3000);
    REQUIRE(plan.restores.size() == 1);
    const std::string& r = plan.restores[0];
    std::vector<std::string> decl = NatDeclarations(r);
    std::vector<std::string> want = {"KUBE-MARK-MASQ", "KUBE-NODEPORTS", "KUBE-POSTROUTING",
                                     "KUBE-SERVICES", ServiceChain(next[1]), new_sep, old_sep};
    std::sort(want.begin(), want.end());
    CHECK(decl == want);  // sorted, and nothing of svc0/svc2
    CHECK_FALSE(Has(r, ServiceChain(next[0]) + " - [0:0]"));
    CHECK(Has(r, "-A KUBE-SERVICES"));  // the top-level chains are always rewritten
    CHECK(Has(r, "*filter\n"));
    // The old endpoint chain goes after the rewritten service chain stopped using it.
    CHECK(r.find("-X " + old_sep + "\n") > r.find("-A " + ServiceChain(next[1])));
    CHECK(plan.chains_written == 2);
    CHECK(plan.chains_deleted == 1);
    CHECK(plan.after.chains.count(new_sep) == 1);
    CHECK(plan.after.chains.count(old_sep) == 0);
  }

  SUBCASE("a removed service: its chains are deleted, nothing else written") {
    std::vector<ServicePort> next = {ports[0], ports[2]};
    SyncPlan plan = PlanPartialSync(BuildDesiredRules(next, cfg), written, 3000);
    REQUIRE(plan.restores.size() == 1);
    CHECK(plan.chains_written == 0);
    CHECK(plan.chains_deleted == 4);
    CHECK(Has(plan.restores[0], "-X " + ServiceChain(ports[1]) + "\n"));
    for (const ProxyEndpoint& ep : ports[1].endpoints) {
      CHECK(Has(plan.restores[0], "-X " + EndpointChain(ports[1], ep) + "\n"));
    }
    CHECK_FALSE(Has(plan.restores[0], ServiceChain(ports[0])  + " - [0:0]"));
  }

  SUBCASE("a service without endpoints any more: REJECT in filter, chains deleted") {
    std::vector<ServicePort> next = ports;
    next[2].endpoints.clear();
    SyncPlan plan = PlanPartialSync(BuildDesiredRules(next, cfg), written, 3000);
    REQUIRE(plan.restores.size() == 1);
    CHECK(Has(plan.restores[0], "default/svc2:http has no endpoints"));
    CHECK(Has(plan.restores[0], "-X " + ServiceChain(ports[2]) + "\n"));
  }

  SUBCASE("only a top-level change (filter REJECT rules of a port without endpoints)") {
    std::vector<ServicePort> with_empty = ports;
    with_empty.push_back(Port(3, 0));
    SyncPlan plan = PlanPartialSync(BuildDesiredRules(with_empty, cfg), written, 3000);
    REQUIRE(plan.restores.size() == 1);
    CHECK(plan.chains_written == 0);
    CHECK(Has(plan.restores[0], "default/svc3:http has no endpoints"));
  }
}

TEST_CASE("sync plan: large writes are chunked by service, top-level chains last") {
  RulesConfig cfg;
  std::vector<ServicePort> ports;
  for (int i = 0; i < 10; ++i) ports.push_back(Port(i, 4));
  DesiredRules d = BuildDesiredRules(ports, cfg);
  // svc chain 1 masquerade + 4 balancing rules, 4 endpoint chains of 2 rules: 13 lines a port.
  const std::set<std::string> existing = {"KUBE-SERVICES", "KUBE-SVC-OLDOLDOLDOLDOLDO",
                                          "KUBE-SEP-OLDOLDOLDOLDOLDO", "KUBE-EXT-OLDOLDOLDOLDOLDO",
                                          "OTHER-CHAIN", "PREROUTING"};

  SUBCASE("chunks of ~30 lines: two ports a restore") {
    SyncPlan plan = PlanFullSync(d, existing, {}, 30);
    REQUIRE(plan.restores.size() == 5 + 1);
    for (size_t k = 0; k + 1 < plan.restores.size(); ++k) {
      const std::string& r = plan.restores[k];
      CHECK_FALSE(Has(r, "*filter"));
      CHECK_FALSE(Has(r, "-A KUBE-SERVICES"));
      CHECK_FALSE(Has(r, "-X "));
      // Whole services: each restore has two service chains and their 8 endpoint chains.
      CHECK(NatDeclarations(r).size() == 2 * 5);
      for (int i : {int(2 * k), int(2 * k + 1)}) {
        CHECK(Has(r, ":" + ServiceChain(ports[i]) + " "));
        for (const ProxyEndpoint& ep : ports[i].endpoints) {
          CHECK(Has(r, ":" + EndpointChain(ports[i], ep) + " "));
        }
      }
    }
    const std::string& last = plan.restores.back();
    CHECK(Has(last, "*filter\n"));
    CHECK(Has(last, "-A KUBE-SERVICES"));
    CHECK_FALSE(Has(last, "-A " + ServiceChain(ports[0])));
    // Stale kube chains listed by iptables-save go; other chains stay.
    CHECK(Has(last, "-X KUBE-SVC-OLDOLDOLDOLDOLDO\n"));
    CHECK(Has(last, "-X KUBE-SEP-OLDOLDOLDOLDOLDO\n"));
    CHECK(Has(last, "-X KUBE-EXT-OLDOLDOLDOLDOLDO\n"));
    CHECK_FALSE(Has(last, "OTHER-CHAIN"));
    CHECK_FALSE(Has(last, "-X KUBE-SERVICES"));
    CHECK(plan.chains_written == 50);
    CHECK(plan.chains_deleted == 3);
  }

  SUBCASE("a write that fits one chunk is one restore") {
    SyncPlan plan = PlanFullSync(d, existing, {}, 1000);
    REQUIRE(plan.restores.size() == 1);
    CHECK(NatDeclarations(plan.restores[0]).size() == 4 + 50 + 3);
  }

  SUBCASE("a full sync also deletes chains it wrote earlier that iptables-save missed") {
    WrittenState written = StateOf(d);
    std::vector<ServicePort> fewer(ports.begin(), ports.begin() + 9);
    SyncPlan plan = PlanFullSync(BuildDesiredRules(fewer, cfg), {}, written, 1000);
    REQUIRE(plan.restores.size() == 1);
    CHECK(Has(plan.restores[0], "-X " + ServiceChain(ports[9]) + "\n"));
  }

  SUBCASE("a large partial write is chunked the same way") {
    WrittenState written = StateOf(d);
    std::vector<ServicePort> next = ports;
    for (ServicePort& sp : next) sp.endpoints[0].ip = "10.99.0." + sp.cluster_ip.substr(8);
    SyncPlan plan = PlanPartialSync(BuildDesiredRules(next, cfg), written, 10);
    // Each port: its service chain and one new endpoint chain (10 lines); one old one deleted.
    CHECK(plan.restores.size() == 10 + 1);
    CHECK(plan.chains_written == 20);
    CHECK(plan.chains_deleted == 10);
    CHECK(Has(plan.restores.back(), "-X "));
    CHECK_FALSE(Has(plan.restores.front(), "-X "));
  }
}

}  // namespace
}  // namespace kc::proxy
