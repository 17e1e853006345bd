#include "pkg/proxy/iptables_rules.h"

#include <doctest/doctest.h>

#include <algorithm>
#include <boost/json/parse.hpp>

#include "pkg/proxy/service_ports.h"

namespace kc::proxy {
namespace {

client::ObjectPtr Obj(const std::string& json) {
  return std::make_shared<client::Object>(boost::json::parse(json).as_object());
}

client::ObjectPtr WebService(const std::string& extra = "") {
  return Obj(R"({"metadata":{"name":"web","namespace":"default"},"spec":{"type":"NodePort","clusterIP":"10.43.0.20","ports":[{"name":"http","port":80,"targetPort":8080,"nodePort":30080,"protocol":"TCP"}])" +
             extra + "}}");
}

client::ObjectPtr WebSlice(int n, bool ready = true) {
  std::string eps;
  for (int i = 0; i < n; ++i) {
    if (i) eps += ",";
    eps += R"({"addresses":["10.42.0.)" + std::to_string(10 + i) +
           R"("],"conditions":{"ready":)" + (ready ? "true" : "false") + "}}";
  }
  return Obj(R"({"metadata":{"name":"web-abc","namespace":"default","labels":{"kubernetes.io/service-name":"web"}},"addressType":"IPv4","ports":[{"name":"http","port":8080,"protocol":"TCP"}],"endpoints":[)" +
             eps + "]}");
}

bool Has(const std::string& text, const std::string& needle) {
  return text.find(needle) != std::string::npos;
}

TEST_CASE("service ports: endpoints matched by port name, not-ready left out") {
  std::vector<ServicePort> ports = BuildServicePorts({WebService()}, {WebSlice(2)});
  REQUIRE(ports.size() == 1);
  CHECK(ports[0].PortName() == "default/web:http");
  CHECK(ports[0].node_port == 30080);
  REQUIRE(ports[0].endpoints.size() == 2);
  CHECK(ports[0].endpoints[0].ip == "10.42.0.10");
  CHECK(ports[0].endpoints[0].port == 8080);
  CHECK(BuildServicePorts({WebService()}, {WebSlice(2, false)})[0].endpoints.empty());
  // Headless and ExternalName Services are not proxied.
  CHECK(BuildServicePorts({Obj(R"({"metadata":{"name":"h","namespace":"d"},"spec":{"clusterIP":"None","ports":[{"port":80}]}})")},
                          {})
            .empty());
}

TEST_CASE("iptables rules: the upstream layout for a NodePort service with 3 endpoints") {
  std::vector<ServicePort> ports = BuildServicePorts({WebService()}, {WebSlice(3)});
  RuleSet rs = BuildRules(ports, RulesConfig{});
  const std::string svc = ServiceChain(ports[0]);
  CHECK(svc.rfind("KUBE-SVC-", 0) == 0);
  CHECK(svc.size() == 9 + 16);
  CHECK(svc == ServiceChain(ports[0]));  // stable
  CHECK(rs.nat_chains.count(svc) == 1);
  const std::string& t = rs.text;
  CHECK(Has(t, "-A KUBE-SERVICES -m comment --comment \"default/web:http cluster IP\" -d 10.43.0.20/32 -p tcp -m tcp --dport 80 -j " + svc));
  CHECK(Has(t, "! -s 10.42.0.0/16 -j KUBE-MARK-MASQ"));
  // Probabilities 1/3, 1/2, then the last endpoint unconditionally.
  CHECK(Has(t, "--probability 0.3333333333 -j "));
  CHECK(Has(t, "--probability 0.5000000000 -j "));
  const std::string sep = EndpointChain(ports[0], ports[0].endpoints[2]);
  CHECK(Has(t, "-A " + svc + " -m comment --comment \"default/web:http -> 10.42.0.12:8080\" -j " + sep + "\n"));
  CHECK(Has(t, "-A " + sep + " -m comment --comment \"default/web:http\" -s 10.42.0.12/32 -j KUBE-MARK-MASQ"));
  CHECK(Has(t, "-j DNAT --to-destination 10.42.0.12:8080"));
  CHECK(Has(t, "-A KUBE-NODEPORTS -m comment --comment \"default/web:http\" -p tcp -m tcp --dport 30080 -j " + ExternalChain(ports[0])));
  CHECK(Has(t, "-j MASQUERADE --random-fully"));
  // The nodeports jump is the last KUBE-SERVICES rule.
  CHECK(t.rfind("-A KUBE-SERVICES") == t.find("-A KUBE-SERVICES -m comment --comment \"kubernetes service nodeports"));
  CHECK_FALSE(Has(t, "REJECT"));
}

TEST_CASE("iptables rules: no endpoints → REJECT in filter, no service chain") {
  std::vector<ServicePort> ports = BuildServicePorts({WebService()}, {});
  RuleSet rs = BuildRules(ports, RulesConfig{});
  CHECK(Has(rs.text, "-A KUBE-SERVICES -m comment --comment \"default/web:http has no endpoints\" -d 10.43.0.20/32 -p tcp -m tcp --dport 80 -j REJECT"));
  CHECK(Has(rs.text, "-A KUBE-EXTERNAL-SERVICES -m comment --comment \"default/web:http has no endpoints\" -m addrtype --dst-type LOCAL -p tcp -m tcp --dport 30080 -j REJECT"));
  CHECK(rs.nat_chains.count(ServiceChain(ports[0])) == 0);
}

TEST_CASE("iptables rules: ClientIP affinity uses recent") {
  std::vector<ServicePort> ports = BuildServicePorts(
      {WebService(R"(,"sessionAffinity":"ClientIP","sessionAffinityConfig":{"clientIP":{"timeoutSeconds":60}})")},
      {WebSlice(2)});
  REQUIRE(ports[0].affinity_timeout == 60);
  RuleSet rs = BuildRules(ports, RulesConfig{});
  const std::string sep = EndpointChain(ports[0], ports[0].endpoints[0]);
  CHECK(Has(rs.text, "-m recent --name " + sep + " --mask 255.255.255.255 --rcheck --seconds 60 --reap -j " + sep));
  CHECK(Has(rs.text, "-m recent --name " + sep + " --mask 255.255.255.255 --set -p tcp -m tcp -j DNAT"));
}

TEST_CASE("iptables rules: stale per-service chains are flushed and deleted") {
  std::string save =
      "# Generated\n*nat\n:PREROUTING ACCEPT [0:0]\n:KUBE-SERVICES - [0:0]\n:KUBE-SVC-OLDOLDOLDOLDOLD1 - [0:0]\n:KUBE-SEP-OLDOLDOLDOLDOLD2 - [0:0]\n:OTHER - [0:0]\nCOMMIT\n*filter\n:KUBE-SVC-INFILTER - [0:0]\nCOMMIT\n";
  std::set<std::string> nat = ParseSaveChains(save, "nat");
  CHECK(nat == std::set<std::string>{"PREROUTING", "KUBE-SERVICES", "KUBE-SVC-OLDOLDOLDOLDOLD1",
                                     "KUBE-SEP-OLDOLDOLDOLDOLD2", "OTHER"});
  RuleSet rs = BuildRules({}, RulesConfig{}, nat);
  CHECK(Has(rs.text, ":KUBE-SVC-OLDOLDOLDOLDOLD1 - [0:0]\n"));
  CHECK(Has(rs.text, "-X KUBE-SVC-OLDOLDOLDOLDOLD1\n"));
  CHECK(Has(rs.text, "-X KUBE-SEP-OLDOLDOLDOLDOLD2\n"));
  CHECK_FALSE(Has(rs.text, "OTHER"));
}


TEST_CASE("iptables rules: large cluster mode drops the per-endpoint comments") {
  std::vector<ServicePort> ports = BuildServicePorts({WebService()}, {WebSlice(3)});
  const std::string svc = ServiceChain(ports[0]);
  const std::string sep = EndpointChain(ports[0], ports[0].endpoints[2]);
  RulesConfig cfg;

  SUBCASE("above the threshold: no comments on KUBE-SEP rules and the jumps to them") {
    cfg.large_cluster_endpoints_threshold = 2;
    CHECK(IsLargeCluster(ports, cfg));
    const std::string t = BuildRules(ports, cfg).text;
    CHECK(Has(t, "-A " + sep + " -s 10.42.0.12/32 -j KUBE-MARK-MASQ\n"));
    CHECK(Has(t, "-A " + sep + " -p tcp -m tcp -j DNAT --to-destination 10.42.0.12:8080\n"));
    CHECK(Has(t, "-A " + svc + " -m statistic --mode random --probability 0.3333333333 -j "));
    CHECK(Has(t, "-A " + svc + " -j " + sep + "\n"));
    CHECK_FALSE(Has(t, "default/web:http -> "));
    // The others keep theirs, as upstream.
    CHECK(Has(t, "-A KUBE-SERVICES -m comment --comment \"default/web:http cluster IP\""));
    CHECK(Has(t, "-A " + svc + " -m comment --comment \"default/web:http cluster IP\""));
    CHECK(Has(t, "-m comment --comment \"masquerade traffic for default/web:http external destinations\""));
    CHECK(Has(t, "-A KUBE-NODEPORTS -m comment --comment \"default/web:http\""));
  }
  SUBCASE("at the threshold: comments stay") {
    cfg.large_cluster_endpoints_threshold = 3;
    CHECK_FALSE(IsLargeCluster(ports, cfg));
    const std::string t = BuildRules(ports, cfg).text;
    CHECK(Has(t, "-A " + sep + " -m comment --comment \"default/web:http\" -s 10.42.0.12/32"));
    CHECK(Has(t, "-A " + svc + " -m comment --comment \"default/web:http -> 10.42.0.12:8080\" -j " + sep));
  }
  SUBCASE("upstream's threshold is 1000 endpoints in total") {
    CHECK(cfg.large_cluster_endpoints_threshold == 1000);
    std::vector<ServicePort> many(100, ports[0]);
    for (ServicePort& sp : many) sp.endpoints.resize(10, sp.endpoints[0]);
    CHECK_FALSE(IsLargeCluster(many, cfg));  // exactly 1000
    many[0].endpoints.push_back(many[0].endpoints[0]);
    CHECK(IsLargeCluster(many, cfg));
  }
  SUBCASE("affinity rules lose their comments too") {
    cfg.large_cluster_endpoints_threshold = 0;
    std::vector<ServicePort> sticky = ports;
    sticky[0].affinity_timeout = 60;
    const std::string t = BuildRules(sticky, cfg).text;
    CHECK(Has(t, "-A " + svc + " -m recent --name " + sep + " --mask 255.255.255.255 --rcheck"));
    CHECK(Has(t, "-A " + sep + " -m recent --name " + sep + " --mask 255.255.255.255 --set -p tcp"));
  }
}

TEST_CASE("iptables rules: chain declarations are sorted, per-port parts hash their rules") {
  std::vector<ServicePort> ports = BuildServicePorts({WebService()}, {WebSlice(5)});
  const std::string t = BuildRules(ports, RulesConfig{}).text;
  std::vector<std::string> decl;
  size_t pos = t.find("*nat\n") + 5;
  while (t[pos] == ':') {
    decl.push_back(t.substr(pos, t.find(' ', pos) - pos));
    pos = t.find('\n', pos) + 1;
  }
  CHECK(decl.size() == 4 + 1 + 1 + 5);
  CHECK(std::is_sorted(decl.begin(), decl.end()));

  ServicePortRules a = BuildServicePortRules(ports[0], RulesConfig{}, false);
  ServicePortRules b = BuildServicePortRules(ports[0], RulesConfig{}, false);
  REQUIRE(a.chains.size() == 7);
  CHECK(a.chains[0].name == ServiceChain(ports[0]));
  CHECK(a.chains[0].lines == 1 + 5);
  CHECK(a.chains[0].hash == b.chains[0].hash);
  ports[0].endpoints[4].port = 9090;
  ServicePortRules c = BuildServicePortRules(ports[0], RulesConfig{}, false);
  CHECK(c.chains[0].hash != a.chains[0].hash);  // jumps to another endpoint chain
  CHECK(c.chains[2].hash == a.chains[2].hash);  // first endpoint unchanged
}

TEST_CASE("iptables rules: jump rules as iptables-save prints them") {
  std::vector<JumpRule> jumps = JumpRules();
  REQUIRE(!jumps.empty());
  CHECK(JumpRuleSaveLine(jumps[0]) ==
        "-A PREROUTING -m comment --comment \"kubernetes service portals\" -j KUBE-SERVICES");
  const std::string save =
      "*nat\n:PREROUTING ACCEPT [0:0]\n"
      "-A PREROUTING -m comment --comment \"kubernetes service portals\" -j KUBE-SERVICES-X\n"
      "-A PREROUTING -m comment --comment \"kubernetes service portals\" -j KUBE-SERVICES\n"
      "COMMIT\n";
  CHECK(SaveHasRule(save, JumpRuleSaveLine(jumps[0])));
  CHECK_FALSE(SaveHasRule(save, JumpRuleSaveLine(jumps[1])));  // OUTPUT
  CHECK_FALSE(SaveHasRule("-A PREROUTING -m comment --comment \"kubernetes service portals\" -j KUBE-SERVICES-X\n",
                          JumpRuleSaveLine(jumps[0])));
}

}  // namespace
}  // namespace kc::proxy
