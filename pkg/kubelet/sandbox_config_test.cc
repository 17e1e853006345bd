#include "pkg/kubelet/sandbox_config.h"

#include <doctest/doctest.h>

#include <boost/json/parse.hpp>

namespace kc::kubelet {
namespace {

json::object Pod(const std::string& spec) {
  return json::parse(R"({"metadata":{"name":"web-0","namespace":"shop","uid":"u1",
      "labels":{"app":"web"},"annotations":{"a":"b"}},"spec":)" + spec + "}")
      .as_object();
}

SandboxOptions Opts() {
  SandboxOptions o;
  o.cluster_dns = "10.43.0.10";
  o.cluster_domain = "cluster.local";
  o.pod_log_dir = "/var/log/pods";
  ParseResolvConf("# comment\nnameserver 1.1.1.1\nnameserver 8.8.8.8\nsearch corp.example lan\n"
                  "options timeout:2\n",
                  &o);
  return o;
}

std::vector<std::string> V(const google::protobuf::RepeatedPtrField<std::string>& f) {
  return {f.begin(), f.end()};
}

TEST_CASE("resolv.conf parsing") {
  SandboxOptions o = Opts();
  CHECK(o.host_servers == std::vector<std::string>{"1.1.1.1", "8.8.8.8"});
  CHECK(o.host_searches == std::vector<std::string>{"corp.example", "lan"});
  CHECK(o.host_options == std::vector<std::string>{"timeout:2"});
}

TEST_CASE("pod DNS per dnsPolicy") {
  SandboxOptions o = Opts();
  SUBCASE("ClusterFirst (default)") {
    auto dns = PodDnsConfig(Pod(R"({"containers":[]})"), o);
    CHECK(V(dns.servers()) == std::vector<std::string>{"10.43.0.10"});
    CHECK(V(dns.searches()) ==
          std::vector<std::string>{"shop.svc.cluster.local", "svc.cluster.local", "cluster.local",
                                   "corp.example", "lan"});
    CHECK(V(dns.options()) == std::vector<std::string>{"ndots:5"});
  }
  SUBCASE("ClusterFirst on the host network falls back to the host's") {
    auto dns = PodDnsConfig(Pod(R"({"hostNetwork":true})"), o);
    CHECK(V(dns.servers()) == std::vector<std::string>{"1.1.1.1", "8.8.8.8"});
  }
  SUBCASE("ClusterFirstWithHostNet") {
    auto dns = PodDnsConfig(Pod(R"({"hostNetwork":true,"dnsPolicy":"ClusterFirstWithHostNet"})"), o);
    CHECK(V(dns.servers()) == std::vector<std::string>{"10.43.0.10"});
  }
  SUBCASE("Default") {
    auto dns = PodDnsConfig(Pod(R"({"dnsPolicy":"Default"})"), o);
    CHECK(V(dns.servers()) == std::vector<std::string>{"1.1.1.1", "8.8.8.8"});
    CHECK(V(dns.searches()) == std::vector<std::string>{"corp.example", "lan"});
    CHECK(V(dns.options()) == std::vector<std::string>{"timeout:2"});
  }
  SUBCASE("None with dnsConfig") {
    auto dns = PodDnsConfig(Pod(R"({"dnsPolicy":"None","dnsConfig":{"nameservers":["9.9.9.9"],
        "searches":["a.b"],"options":[{"name":"ndots","value":"2"},{"name":"edns0"}]}})"), o);
    CHECK(V(dns.servers()) == std::vector<std::string>{"9.9.9.9"});
    CHECK(V(dns.searches()) == std::vector<std::string>{"a.b"});
    CHECK(V(dns.options()) == std::vector<std::string>{"ndots:2", "edns0"});
  }
  SUBCASE("dnsConfig merges into ClusterFirst; options override by name") {
    auto dns = PodDnsConfig(
        Pod(R"({"dnsConfig":{"searches":["extra.io"],"options":[{"name":"ndots","value":"1"}]}})"),
        o);
    CHECK(V(dns.searches()).back() == "extra.io");
    CHECK(V(dns.options()) == std::vector<std::string>{"ndots:1"});
  }
}

TEST_CASE("sandbox config") {
  SandboxOptions o = Opts();
  auto cfg = BuildSandboxConfig(Pod(R"({"hostname":"h1","hostPID":true,
      "securityContext":{"runAsUser":1000,"fsGroup":2000,"sysctls":[{"name":"net.core.somaxconn","value":"1024"}]},
      "containers":[{"name":"c","resources":{"limits":{"cpu":"1","memory":"1Gi"},"requests":{"cpu":"1","memory":"1Gi"}},
                     "securityContext":{"privileged":true},
                     "ports":[{"containerPort":53,"hostPort":5353,"protocol":"UDP","hostIP":"127.0.0.1"}]}]})"),
                                3, o);
  CHECK(cfg.metadata().attempt() == 3);
  CHECK(cfg.hostname() == "h1");
  CHECK(cfg.log_directory() == "/var/log/pods/shop_web-0_u1");
  CHECK(cfg.labels().at("app") == "web");
  CHECK(cfg.labels().at("io.kubernetes.pod.name") == "web-0");
  CHECK(cfg.labels().at("io.kubernetes.pod.namespace") == "shop");
  CHECK(cfg.annotations().at("a") == "b");
  CHECK(cfg.linux().cgroup_parent() == "/kubepods/podu1");  // Guaranteed
  CHECK(cfg.linux().sysctls().at("net.core.somaxconn") == "1024");
  const auto& sc = cfg.linux().security_context();
  CHECK(sc.namespace_options().pid() == cri::v1::NODE);
  CHECK(sc.namespace_options().network() == cri::v1::POD);
  CHECK(sc.run_as_user().value() == 1000);
  CHECK(sc.supplemental_groups(0) == 2000);
  CHECK(sc.privileged());
  REQUIRE(cfg.port_mappings_size() == 1);
  CHECK(cfg.port_mappings(0).protocol() == cri::v1::UDP);
  CHECK(cfg.port_mappings(0).host_ip() == "127.0.0.1");

  auto host = BuildSandboxConfig(Pod(R"({"hostNetwork":true,"containers":[{"name":"c"}]})"), 0, o);
  CHECK(host.hostname().empty());
  CHECK(host.linux().security_context().namespace_options().network() == cri::v1::NODE);
  CHECK(host.linux().cgroup_parent() == "/kubepods/besteffort/podu1");
}

TEST_CASE("pod hostname is cut to 63 characters") {
  std::string longname(70, 'a');
  longname[62] = '-';
  json::object pod = json::parse(R"({"metadata":{"name":")" + longname + R"("},"spec":{}})").as_object();
  CHECK(PodHostname(pod) == std::string(62, 'a'));
}

}  // namespace
}  // namespace kc::kubelet
