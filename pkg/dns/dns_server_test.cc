#include "pkg/dns/dns_server.h"

#include <doctest/doctest.h>

#include <chrono>
#include <cstdio>
#include <functional>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "pkg/client/fake_client.h"
#include "pkg/client/informer_factory.h"
#include "pkg/dns/dns_test_util.h"

namespace kc::dns {
namespace {

using namespace std::chrono_literals;
using namespace testing;
using Strings = std::vector<std::string>;

client::InformerOptions Fast() {
  client::InformerOptions o;
  o.initial_backoff = 5ms;
  o.max_backoff = 20ms;
  o.min_watch_duration = 0ms;
  return o;
}

DnsOptions TestOptions(const FakeUpstreamServer& upstream) {
  DnsOptions o;
  o.listen = {"127.0.0.1:0"};
  o.upstreams = {upstream.endpoint()};
  o.upstream_timeout = 500ms;
  o.forward_workers = 2;
  return o;
}

// A DnsServer on 127.0.0.1:<free port> over informers fed by a FakeClient, forwarding to a
// FakeUpstreamServer.
struct ServerEnv {
  client::FakeClient fake;
  client::SharedInformerFactory factory{fake, Fast()};
  FakeUpstreamServer upstream;
  std::unique_ptr<DnsServer> server;
  std::string addr;

  explicit ServerEnv(std::function<void(DnsOptions*)> tweak = nullptr) {
    REQUIRE(upstream.tcp_ok());
    REQUIRE(fake.Seed(kServices, Service("default", "web", "10.43.0.20", {{"http", 80}})).ok());
    REQUIRE(fake.Seed(kServices, Service("default", "db", "None", {{"pg", 5432}})).ok());
    REQUIRE(fake.Seed(kSlices,
                      Slice("default", "db-1", "db",
                            {{"10.42.0.7", "db-0"}, {"10.42.0.8", "db-1", false}}, {{"pg", 5432}}))
                .ok());
    REQUIRE(fake.Seed(kServices, ExternalNameService("default", "ext", "www.example.com")).ok());
    std::vector<EndpointSpec> many;
    for (int i = 1; i <= 100; ++i) many.push_back({"10.42.3." + std::to_string(i), ""});
    REQUIRE(fake.Seed(kServices, Service("default", "many", "None")).ok());
    REQUIRE(fake.Seed(kSlices, Slice("default", "many-1", "many", many)).ok());
    DnsOptions opts = TestOptions(upstream);
    if (tweak) tweak(&opts);
    server = std::make_unique<DnsServer>(factory, opts);
    api::Status st = server->Start();
    REQUIRE_MESSAGE(st.ok(), st.ToString());
    factory.Start();
    REQUIRE(factory.WaitForCacheSync(5s));
    REQUIRE(server->ListenAddresses().size() == 1);
    addr = server->ListenAddresses()[0];
  }

  uint16_t port() const {
    return static_cast<uint16_t>(std::stoi(addr.substr(addr.find(':') + 1)));
  }
};

uint8_t Rcode(const PktPtr& p) { return ldns_pkt_get_rcode(p.get()); }

// A query through libldns' own resolver (an independent client implementation).
PktPtr LdnsResolve(uint16_t port, const std::string& name, ldns_rr_type type, bool tcp) {
  ldns_resolver* res = ldns_resolver_new();
  ldns_rdf* ns = ldns_rdf_new_frm_str(LDNS_RDF_TYPE_A, "127.0.0.1");
  ldns_resolver_push_nameserver(res, ns);
  ldns_rdf_deep_free(ns);
  ldns_resolver_set_port(res, port);
  ldns_resolver_set_usevc(res, tcp);
  ldns_resolver_set_retry(res, 1);
  ldns_resolver_set_timeout(res, timeval{3, 0});
  ldns_resolver_set_recursive(res, true);
  ldns_rdf* qname = ldns_dname_new_frm_str(name.c_str());
  ldns_pkt* answer = nullptr;
  ldns_status st = ldns_resolver_send(&answer, res, qname, type, LDNS_RR_CLASS_IN, LDNS_RD);
  ldns_rdf_deep_free(qname);
  ldns_resolver_deep_free(res);
  if (st != LDNS_STATUS_OK && answer) {
    ldns_pkt_free(answer);
    answer = nullptr;
  }
  return PktPtr(answer);
}

Wire ToWire(const PktPtr& p) {
  api::Result<Wire> w = EncodeMessage(p.get());
  REQUIRE(w.ok());
  return *w;
}

TEST_CASE("DnsServer answers cluster names over UDP") {
  ServerEnv env;
  PktPtr r = UdpQuery(env.addr, "web.default.svc.cluster.local.", LDNS_RR_TYPE_A);
  REQUIRE(r);
  CHECK(Rcode(r) == LDNS_RCODE_NOERROR);
  CHECK(ldns_pkt_aa(r.get()));
  CHECK(Answers(r.get()) == Strings{"web.default.svc.cluster.local. A 10.43.0.20"});

  r = UdpQuery(env.addr, "db.default.svc.cluster.local.", LDNS_RR_TYPE_A);
  REQUIRE(r);
  CHECK(Answers(r.get()) == Strings{"db.default.svc.cluster.local. A 10.42.0.7"});

  r = UdpQuery(env.addr, "_pg._tcp.db.default.svc.cluster.local.", LDNS_RR_TYPE_SRV);
  REQUIRE(r);
  CHECK(Answers(r.get()) == Strings{"_pg._tcp.db.default.svc.cluster.local. SRV 0 100 5432 "
                                    "db-0.db.default.svc.cluster.local."});
  CHECK(Records(r.get(), LDNS_SECTION_ADDITIONAL) ==
        Strings{"db-0.db.default.svc.cluster.local. A 10.42.0.7"});

  r = UdpQuery(env.addr, "20.0.43.10.in-addr.arpa.", LDNS_RR_TYPE_PTR);
  REQUIRE(r);
  CHECK(Answers(r.get()) == Strings{"20.0.43.10.in-addr.arpa. PTR web.default.svc.cluster.local."});

  r = UdpQuery(env.addr, "missing.default.svc.cluster.local.", LDNS_RR_TYPE_A);
  REQUIRE(r);
  CHECK(Rcode(r) == LDNS_RCODE_NXDOMAIN);
  REQUIRE(Records(r.get(), LDNS_SECTION_AUTHORITY).size() == 1);
  CHECK(Records(r.get(), LDNS_SECTION_AUTHORITY)[0].rfind("cluster.local. SOA", 0) == 0);

  r = UdpQuery(env.addr, "web.default.svc.cluster.local.", LDNS_RR_TYPE_AAAA);
  REQUIRE(r);
  CHECK(Rcode(r) == LDNS_RCODE_NOERROR);
  CHECK(Answers(r.get()).empty());
  CHECK(Records(r.get(), LDNS_SECTION_AUTHORITY).size() == 1);

  r = UdpQuery(env.addr, "ext.default.svc.cluster.local.", LDNS_RR_TYPE_A);
  REQUIRE(r);
  CHECK(Answers(r.get()) == Strings{"ext.default.svc.cluster.local. CNAME www.example.com.",
                                    "www.example.com. A 192.0.2.1"});
  CHECK(env.upstream.names() == Strings{"www.example.com."});

  r = UdpQuery(env.addr, "10-42-9-9.kube-system.pod.cluster.local.", LDNS_RR_TYPE_A);
  REQUIRE(r);
  CHECK(Answers(r.get()) == Strings{"10-42-9-9.kube-system.pod.cluster.local. A 10.42.9.9"});
}

TEST_CASE("DnsServer answers over TCP, several queries per connection") {
  ServerEnv env;
  PktPtr r = LdnsResolve(env.port(), "web.default.svc.cluster.local.", LDNS_RR_TYPE_A, true);
  REQUIRE(r);
  CHECK(Answers(r.get()) == Strings{"web.default.svc.cluster.local. A 10.43.0.20"});

  std::vector<PktPtr> replies =
      TcpExchange(env.addr, {ToWire(MakeQuery("db.default.svc.cluster.local.", LDNS_RR_TYPE_A)),
                             ToWire(MakeQuery("nope.default.svc.cluster.local.", LDNS_RR_TYPE_A)),
                             ToWire(MakeQuery("www.example.org.", LDNS_RR_TYPE_A))});
  REQUIRE(replies.size() == 3);
  REQUIRE(replies[0]);
  CHECK(Answers(replies[0].get()) == Strings{"db.default.svc.cluster.local. A 10.42.0.7"});
  REQUIRE(replies[1]);
  CHECK(Rcode(replies[1]) == LDNS_RCODE_NXDOMAIN);
  REQUIRE(replies[2]);
  CHECK(Answers(replies[2].get()) == Strings{"www.example.org. A 192.0.2.1"});
}

TEST_CASE("DnsServer forwards other names to the upstream and relays its answers") {
  ServerEnv env;
  SUBCASE("an address over UDP, keeping the client's id") {
    PktPtr q = MakeQuery("www.example.org.", LDNS_RR_TYPE_A);
    ldns_pkt_set_id(q.get(), 4242);
    PktPtr r = UdpQuery(env.addr, q.get());
    REQUIRE(r);
    CHECK(ldns_pkt_id(r.get()) == 4242);
    CHECK(Rcode(r) == LDNS_RCODE_NOERROR);
    CHECK(Answers(r.get()) == Strings{"www.example.org. A 192.0.2.1"});
    CHECK(env.upstream.udp_queries() == 1);
  }
  SUBCASE("NXDOMAIN") {
    PktPtr r = UdpQuery(env.addr, "nx.example.org.", LDNS_RR_TYPE_A);
    REQUIRE(r);
    CHECK(Rcode(r) == LDNS_RCODE_NXDOMAIN);
  }
  SUBCASE("a truncated answer is fetched again over TCP for TCP clients") {
    PktPtr r = UdpQuery(env.addr, "big.example.org.", LDNS_RR_TYPE_A);
    REQUIRE(r);
    CHECK(ldns_pkt_tc(r.get()));
    CHECK(Answers(r.get()).empty());
    r = LdnsResolve(env.port(), "big.example.org.", LDNS_RR_TYPE_A, true);
    REQUIRE(r);
    CHECK_FALSE(ldns_pkt_tc(r.get()));
    CHECK(Answers(r.get()).size() == 60);
    CHECK(env.upstream.tcp_queries() >= 1);
  }
  SUBCASE("a silent upstream: SERVFAIL after the timeout, cluster answers meanwhile") {
    env.upstream.set_silent(true);
    auto start = std::chrono::steady_clock::now();
    PktPtr forwarded;
    std::thread client([&] { forwarded = UdpQuery(env.addr, "www.example.org.", LDNS_RR_TYPE_A); });
    REQUIRE(Eventually([&] { return env.upstream.udp_queries() == 1; }));
    PktPtr local = UdpQuery(env.addr, "web.default.svc.cluster.local.", LDNS_RR_TYPE_A);
    auto local_done = std::chrono::steady_clock::now();
    client.join();
    REQUIRE(local);
    CHECK(Rcode(local) == LDNS_RCODE_NOERROR);
    CHECK(local_done - start < 400ms);  // not held up behind the waiting forward
    REQUIRE(forwarded);
    CHECK(Rcode(forwarded) == LDNS_RCODE_SERVFAIL);
    CHECK(std::chrono::steady_clock::now() - start >= 450ms);
  }
}

TEST_CASE("DnsServer tries the next upstream when one does not answer") {
  FakeUpstreamServer dead;
  dead.set_silent(true);
  ServerEnv env([&](DnsOptions* o) { o->upstreams.insert(o->upstreams.begin(), dead.endpoint()); });
  PktPtr r = UdpQuery(env.addr, "www.example.org.", LDNS_RR_TYPE_A);
  REQUIRE(r);
  CHECK(Answers(r.get()) == Strings{"www.example.org. A 192.0.2.1"});
  CHECK(dead.udp_queries() == 1);
  CHECK(env.upstream.udp_queries() == 1);
}

TEST_CASE("DnsServer truncates large UDP answers; TCP carries them whole") {
  ServerEnv env;
  PktPtr r = UdpQuery(env.addr, "many.default.svc.cluster.local.", LDNS_RR_TYPE_A);
  REQUIRE(r);
  CHECK(ldns_pkt_tc(r.get()));
  CHECK(Answers(r.get()).empty());
  CHECK(Rcode(r) == LDNS_RCODE_NOERROR);
  r = LdnsResolve(env.port(), "many.default.svc.cluster.local.", LDNS_RR_TYPE_A, true);
  REQUIRE(r);
  CHECK_FALSE(ldns_pkt_tc(r.get()));
  CHECK(Answers(r.get()).size() == 100);
}

TEST_CASE("DnsServer survives malformed messages") {
  ServerEnv env;
  SUBCASE("garbage shorter than a header is dropped") {
    CHECK(UdpExchangeRaw(env.addr, {1, 2, 3, 4, 5}, 300ms).empty());
  }
  SUBCASE("a header announcing a missing question gets FORMERR") {
    std::vector<uint8_t> msg = {0x12, 0x34, 0x01, 0x00, 0x00, 0x01, 0, 0, 0, 0, 0, 0};
    std::vector<uint8_t> reply = UdpExchangeRaw(env.addr, msg);
    PktPtr r = DecodeMessage(reply.data(), reply.size());
    REQUIRE(r);
    CHECK(ldns_pkt_id(r.get()) == 0x1234);
    CHECK(ldns_pkt_qr(r.get()));
    CHECK(Rcode(r) == LDNS_RCODE_FORMERR);
  }
  SUBCASE("a name running past the end gets FORMERR") {
    std::vector<uint8_t> msg = {0xab, 0xcd, 0x01, 0x00, 0x00, 0x01, 0,   0,
                                0,    0,    0,    0,    0x3f, 'w',  'e', 'b'};
    std::vector<uint8_t> reply = UdpExchangeRaw(env.addr, msg);
    PktPtr r = DecodeMessage(reply.data(), reply.size());
    REQUIRE(r);
    CHECK(Rcode(r) == LDNS_RCODE_FORMERR);
  }
  SUBCASE("responses are never answered") {
    PktPtr q = MakeQuery("web.default.svc.cluster.local.", LDNS_RR_TYPE_A);
    ldns_pkt_set_qr(q.get(), true);
    CHECK(UdpExchangeRaw(env.addr, ToWire(q), 300ms).empty());
  }
  SUBCASE("over TCP: FORMERR, and the connection goes on") {
    std::vector<PktPtr> replies = TcpExchange(
        env.addr, {{0x00, 0x07, 0x01, 0x00, 0x00, 0x02, 0, 0, 0, 0, 0, 0, 9},
                   ToWire(MakeQuery("web.default.svc.cluster.local.", LDNS_RR_TYPE_A))});
    REQUIRE(replies.size() == 2);
    REQUIRE(replies[0]);
    CHECK(Rcode(replies[0]) == LDNS_RCODE_FORMERR);
    REQUIRE(replies[1]);
    CHECK(Answers(replies[1].get()).size() == 1);
  }
  // Whatever came before, the server still answers.
  PktPtr r = UdpQuery(env.addr, "web.default.svc.cluster.local.", LDNS_RR_TYPE_A);
  REQUIRE(r);
  CHECK(Answers(r.get()).size() == 1);
}

TEST_CASE("DnsServer never forwards to itself") {
  // Find a free port, then listen on it and list it as an upstream too.
  UniqueFd probe(socket(AF_INET, SOCK_DGRAM, 0));
  SockAddr a = Loopback(0);
  REQUIRE(bind(probe.get(), a.get(), a.len) == 0);
  a.len = sizeof(a.storage);
  REQUIRE(getsockname(probe.get(), a.get(), &a.len) == 0);
  probe.Reset();
  std::string self = a.ToString();
  ServerEnv env([&](DnsOptions* o) {
    o->listen = {self};
    o->upstreams.insert(o->upstreams.begin(), self);
  });
  CHECK(env.addr == self);
  CHECK(env.server->Upstreams() == Strings{env.upstream.endpoint()});
}

TEST_CASE("DnsServer reads upstreams from resolv.conf") {
  FakeUpstreamServer up;
  std::string path = "/tmp/kc_dns_test_resolv_" + std::to_string(getpid()) + ".conf";
  {
    std::FILE* f = std::fopen(path.c_str(), "w");
    REQUIRE(f);
    std::fprintf(f, "search example\nnameserver 192.0.2.53\nnameserver 127.0.0.2 # x\n");
    std::fclose(f);
  }
  client::FakeClient fake;
  client::SharedInformerFactory factory(fake, Fast());
  DnsOptions o = TestOptions(up);
  o.upstreams.clear();
  o.resolv_conf_path = path;
  DnsServer server(factory, o);
  REQUIRE(server.Start().ok());
  CHECK(server.Upstreams() == Strings{"192.0.2.53:53", "127.0.0.2:53"});
  server.Stop();
  std::remove(path.c_str());
}

TEST_CASE("DnsServer without upstreams answers other names with SERVFAIL") {
  ServerEnv env([](DnsOptions* o) {
    o->upstreams.clear();
    o->resolv_conf_path = "/nonexistent/resolv.conf";
  });
  CHECK(env.server->Upstreams().empty());
  PktPtr r = UdpQuery(env.addr, "www.example.org.", LDNS_RR_TYPE_A);
  REQUIRE(r);
  CHECK(Rcode(r) == LDNS_RCODE_SERVFAIL);
}

TEST_CASE("DnsServer Start errors and a prompt Stop") {
  FakeUpstreamServer up;
  client::FakeClient fake;
  client::SharedInformerFactory factory(fake, Fast());
  SUBCASE("bad listen address") {
    DnsOptions o = TestOptions(up);
    o.listen = {"localhost:53"};
    DnsServer s(factory, o);
    CHECK(s.Start().reason() == api::Reason::kInvalid);
  }
  SUBCASE("bad cluster domain") {
    DnsOptions o = TestOptions(up);
    o.cluster_domain = "";
    DnsServer s(factory, o);
    CHECK(s.Start().reason() == api::Reason::kInvalid);
  }
  SUBCASE("port in use") {
    DnsOptions o = TestOptions(up);
    DnsServer first(factory, o);
    REQUIRE(first.Start().ok());
    o.listen = first.ListenAddresses();
    DnsServer second(factory, o);
    CHECK_FALSE(second.Start().ok());
    CHECK(second.ListenAddresses().empty());
  }
  SUBCASE("Stop cuts a waiting forward short") {
    up.set_silent(true);
    DnsOptions o = TestOptions(up);
    o.upstream_timeout = 10s;
    DnsServer s(factory, o);
    REQUIRE(s.Start().ok());
    std::string addr = s.ListenAddresses()[0];
    std::thread client(
        [&] { UdpExchangeRaw(addr, ToWire(MakeQuery("a.example.", LDNS_RR_TYPE_A)), 1s); });
    REQUIRE(Eventually([&] { return up.udp_queries() == 1; }));
    auto start = std::chrono::steady_clock::now();
    s.Stop();
    CHECK(std::chrono::steady_clock::now() - start < 2s);
    client.join();
    s.Stop();  // idempotent
  }
}

}  // namespace
}  // namespace kc::dns
