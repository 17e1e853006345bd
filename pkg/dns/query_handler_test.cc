#include "pkg/dns/query_handler.h"

#include <doctest/doctest.h>

#include <mutex>
#include <string>
#include <vector>

#include "pkg/client/fake_client.h"
#include "pkg/client/informer_factory.h"
#include "pkg/dns/dns_test_util.h"

namespace kc::dns {
namespace {

using namespace std::chrono_literals;
using namespace testing;
using Strings = std::vector<std::string>;

// An in-process Upstream: answers A with 192.0.2.1, fails when told to, and records questions.
class FakeUpstream : public Upstream {
 public:
  api::Result<PktPtr> Exchange(const ldns_pkt* query) override {
    const ldns_rr* q = ldns_rr_list_rr(ldns_pkt_question(query), 0);
    {
      std::lock_guard<std::mutex> l(mu_);
      asked_.push_back(RdfText(ldns_rr_owner(q)));
    }
    if (fail_) return api::Status::Unavailable("upstream down");
    PktPtr resp = NewResponse(query, LDNS_RCODE_NOERROR);
    if (ldns_rr_get_type(q) == LDNS_RR_TYPE_A) {
      ldns_rr* rr = nullptr;
      std::string text = RdfText(ldns_rr_owner(q)) + " 30 IN A 192.0.2.1";
      REQUIRE(ldns_rr_new_frm_str(&rr, text.c_str(), 0, nullptr, nullptr) == LDNS_STATUS_OK);
      ldns_pkt_push_rr(resp.get(), LDNS_SECTION_ANSWER, rr);
    }
    return resp;
  }
  Strings asked() {
    std::lock_guard<std::mutex> l(mu_);
    return asked_;
  }
  void set_fail(bool f) { fail_ = f; }

 private:
  std::mutex mu_;
  Strings asked_;
  std::atomic<bool> fail_{false};
};

client::InformerOptions Fast() {
  client::InformerOptions o;
  o.initial_backoff = 5ms;
  o.max_backoff = 20ms;
  o.min_watch_duration = 0ms;
  return o;
}

struct Env {
  client::FakeClient fake;
  client::SharedInformerFactory factory{fake, Fast()};
  ClusterView view{factory};
  FakeUpstream upstream;
  DnsOptions options;
  QueryHandler handler{view, options, &upstream};

  explicit Env(bool start = true) {
    REQUIRE(fake.Seed(kServices, Service("default", "web", "10.43.0.20",
                                         {{"http", 80}, {"dns", 53, "UDP"}, {"", 8080}}))
                .ok());
    REQUIRE(fake.Seed(kServices, Service("default", "db", "None", {{"pg", 5432}})).ok());
    REQUIRE(fake.Seed(kSlices, Slice("default", "db-abc", "db",
                                     {{"10.42.0.7", "web-0"},
                                      {"10.42.0.8", "web-1"},
                                      {"10.42.0.9", ""},
                                      {"10.42.0.10", "web-3", /*ready=*/false}},
                                     {{"pg", 5432}}))
                .ok());
    REQUIRE(fake.Seed(kServices, ExternalNameService("default", "ext", "Example.COM.")).ok());
    REQUIRE(fake.Seed(kServices,
                      ExternalNameService("default", "alias", "web.default.svc.cluster.local"))
                .ok());
    REQUIRE(fake.Seed(kServices, Service("other", "web2", "10.43.0.30")).ok());
    REQUIRE(fake.Seed(kServices, Service("default", "pending", "")).ok());
    if (start) {
      factory.Start();
      REQUIRE(factory.WaitForCacheSync(5s));
    }
  }

  Outcome Ask(const std::string& name, ldns_rr_type type, bool may_block = true) {
    PktPtr q = MakeQuery(name, type);
    return handler.Handle(q.get(), may_block);
  }
  // The answer to a query that must be answered.
  PktPtr Resolve(const std::string& name, ldns_rr_type type) {
    Outcome o = Ask(name, type);
    REQUIRE(o.disposition == Disposition::kReply);
    REQUIRE(o.response);
    CHECK(ldns_pkt_qr(o.response.get()));
    return std::move(o.response);
  }
};

uint8_t Rcode(const PktPtr& p) { return ldns_pkt_get_rcode(p.get()); }

const char kSoa[] = "cluster.local. SOA";

bool HasSoaAuthority(const PktPtr& p) {
  Strings auth = Records(p.get(), LDNS_SECTION_AUTHORITY);
  return auth.size() == 1 && auth[0].rfind(kSoa, 0) == 0;
}

TEST_CASE("cluster names resolve to A, CNAME, SRV and TXT records") {
  Env env;
  struct Case {
    const char* name;
    ldns_rr_type type;
    Strings answers;
  };
  const Case cases[] = {
      {"web.default.svc.cluster.local.",
       LDNS_RR_TYPE_A,
       {"web.default.svc.cluster.local. A 10.43.0.20"}},
      {"web2.other.svc.cluster.local.",
       LDNS_RR_TYPE_A,
       {"web2.other.svc.cluster.local. A 10.43.0.30"}},
      // Headless: the ready endpoints only.
      {"db.default.svc.cluster.local.",
       LDNS_RR_TYPE_A,
       {"db.default.svc.cluster.local. A 10.42.0.7", "db.default.svc.cluster.local. A 10.42.0.8",
        "db.default.svc.cluster.local. A 10.42.0.9"}},
      {"web-0.db.default.svc.cluster.local.",
       LDNS_RR_TYPE_A,
       {"web-0.db.default.svc.cluster.local. A 10.42.0.7"}},
      {"10-42-0-9.db.default.svc.cluster.local.",
       LDNS_RR_TYPE_A,
       {"10-42-0-9.db.default.svc.cluster.local. A 10.42.0.9"}},
      {"ext.default.svc.cluster.local.",
       LDNS_RR_TYPE_CNAME,
       {"ext.default.svc.cluster.local. CNAME example.com."}},
      {"_http._tcp.web.default.svc.cluster.local.",
       LDNS_RR_TYPE_SRV,
       {"_http._tcp.web.default.svc.cluster.local. SRV 0 100 80 web.default.svc.cluster.local."}},
      {"_dns._udp.web.default.svc.cluster.local.",
       LDNS_RR_TYPE_SRV,
       {"_dns._udp.web.default.svc.cluster.local. SRV 0 100 53 web.default.svc.cluster.local."}},
      {"_pg._tcp.db.default.svc.cluster.local.",
       LDNS_RR_TYPE_SRV,
       {"_pg._tcp.db.default.svc.cluster.local. SRV 0 33 5432 "
        "10-42-0-9.db.default.svc.cluster.local.",
        "_pg._tcp.db.default.svc.cluster.local. SRV 0 33 5432 web-0.db.default.svc.cluster.local.",
        "_pg._tcp.db.default.svc.cluster.local. SRV 0 33 5432 "
        "web-1.db.default.svc.cluster.local."}},
      {"10-42-0-5.default.pod.cluster.local.",
       LDNS_RR_TYPE_A,
       {"10-42-0-5.default.pod.cluster.local. A 10.42.0.5"}},
      {"dns-version.cluster.local.",
       LDNS_RR_TYPE_TXT,
       {"dns-version.cluster.local. TXT \"1.1.0\""}},
      {"cluster.local.", LDNS_RR_TYPE_NS, {"cluster.local. NS ns.dns.cluster.local."}},
  };
  for (const Case& c : cases) {
    SUBCASE(c.name) {
      PktPtr r = env.Resolve(c.name, c.type);
      CHECK(Rcode(r) == LDNS_RCODE_NOERROR);
      CHECK(ldns_pkt_aa(r.get()));
      CHECK(Answers(r.get()) == c.answers);
      for (uint32_t ttl : Ttls(r.get())) CHECK(ttl == 5);
      CHECK(Records(r.get(), LDNS_SECTION_AUTHORITY).empty());
    }
  }
}

TEST_CASE("SRV answers carry the targets' addresses in the additional section") {
  Env env;
  PktPtr r = env.Resolve("_http._tcp.web.default.svc.cluster.local.", LDNS_RR_TYPE_SRV);
  CHECK(Records(r.get(), LDNS_SECTION_ADDITIONAL) ==
        Strings{"web.default.svc.cluster.local. A 10.43.0.20"});
  r = env.Resolve("_pg._tcp.db.default.svc.cluster.local.", LDNS_RR_TYPE_SRV);
  CHECK(Records(r.get(), LDNS_SECTION_ADDITIONAL) ==
        Strings{"10-42-0-9.db.default.svc.cluster.local. A 10.42.0.9",
                "web-0.db.default.svc.cluster.local. A 10.42.0.7",
                "web-1.db.default.svc.cluster.local. A 10.42.0.8"});
}

TEST_CASE("names match without regard to case and keep the question's spelling") {
  Env env;
  PktPtr r = env.Resolve("WEB.Default.SVC.Cluster.LOCAL.", LDNS_RR_TYPE_A);
  CHECK(Rcode(r) == LDNS_RCODE_NOERROR);
  CHECK(Answers(r.get()) == Strings{"WEB.Default.SVC.Cluster.LOCAL. A 10.43.0.20"});
  r = env.Resolve("_HTTP._TCP.web.default.svc.cluster.local.", LDNS_RR_TYPE_SRV);
  CHECK(Answers(r.get()).size() == 1);
}

TEST_CASE("unknown names in the zone are NXDOMAIN with the SOA") {
  Env env;
  const char* names[] = {
      "nope.default.svc.cluster.local.",
      "web.nope.svc.cluster.local.",
      "foo.cluster.local.",
      "nope.svc.cluster.local.",
      "_http._udp.web.default.svc.cluster.local.",  // no such port/protocol
      "_nope._tcp.web.default.svc.cluster.local.",
      "_udp.db.default.svc.cluster.local.",
      "web-3.db.default.svc.cluster.local.",   // not ready
      "web-0.web.default.svc.cluster.local.",  // endpoint names: headless services only
      "_pg._tcp.ext.default.svc.cluster.local.",
      "a.b.c.d.e.default.svc.cluster.local.",
      "not-an-ip.default.pod.cluster.local.",
      "10-42-0-5.x.default.pod.cluster.local.",
  };
  for (const char* name : names) {
    SUBCASE(name) {
      PktPtr r = env.Resolve(name, LDNS_RR_TYPE_A);
      CHECK(Rcode(r) == LDNS_RCODE_NXDOMAIN);
      CHECK(ldns_pkt_aa(r.get()));
      CHECK(Answers(r.get()).empty());
      CHECK(HasSoaAuthority(r));
    }
  }
  CHECK(env.upstream.asked().empty());
}

TEST_CASE("known names without records of the asked type are NODATA with the SOA") {
  Env env;
  struct Case {
    const char* name;
    ldns_rr_type type;
  };
  const Case cases[] = {
      {"web.default.svc.cluster.local.", LDNS_RR_TYPE_AAAA},
      {"web.default.svc.cluster.local.", LDNS_RR_TYPE_MX},
      {"web.default.svc.cluster.local.", LDNS_RR_TYPE_SRV},
      {"_http._tcp.web.default.svc.cluster.local.", LDNS_RR_TYPE_A},
      {"_tcp.web.default.svc.cluster.local.", LDNS_RR_TYPE_A},  // an empty non-terminal
      {"default.svc.cluster.local.", LDNS_RR_TYPE_A},
      {"svc.cluster.local.", LDNS_RR_TYPE_A},
      {"cluster.local.", LDNS_RR_TYPE_A},
      {"pending.default.svc.cluster.local.", LDNS_RR_TYPE_A},  // no cluster IP yet
      {"10-42-0-5.default.pod.cluster.local.", LDNS_RR_TYPE_AAAA},
      {"default.pod.cluster.local.", LDNS_RR_TYPE_A},
  };
  for (const Case& c : cases) {
    SUBCASE(c.name) {
      PktPtr r = env.Resolve(c.name, c.type);
      CHECK(Rcode(r) == LDNS_RCODE_NOERROR);
      CHECK(Answers(r.get()).empty());
      CHECK(HasSoaAuthority(r));
    }
  }
}

TEST_CASE("the zone apex has an SOA record") {
  Env env;
  PktPtr r = env.Resolve("cluster.local.", LDNS_RR_TYPE_SOA);
  Strings a = Answers(r.get());
  REQUIRE(a.size() == 1);
  CHECK(a[0].rfind("cluster.local. SOA ns.dns.cluster.local. hostmaster.cluster.local. ", 0) == 0);
}

TEST_CASE("ExternalName services alias their target, which is resolved") {
  Env env;
  SUBCASE("outside the zone through the upstream") {
    Outcome o = env.Ask("ext.default.svc.cluster.local.", LDNS_RR_TYPE_A, /*may_block=*/false);
    CHECK(o.disposition == Disposition::kNeedsUpstream);
    PktPtr r = env.Resolve("ext.default.svc.cluster.local.", LDNS_RR_TYPE_A);
    CHECK(Rcode(r) == LDNS_RCODE_NOERROR);
    CHECK(Answers(r.get()) ==
          Strings{"example.com. A 192.0.2.1", "ext.default.svc.cluster.local. CNAME example.com."});
    CHECK(env.upstream.asked() == Strings{"example.com."});
  }
  SUBCASE("the upstream failing leaves the CNAME alone") {
    env.upstream.set_fail(true);
    PktPtr r = env.Resolve("ext.default.svc.cluster.local.", LDNS_RR_TYPE_A);
    CHECK(Rcode(r) == LDNS_RCODE_NOERROR);
    CHECK(Answers(r.get()) == Strings{"ext.default.svc.cluster.local. CNAME example.com."});
  }
  SUBCASE("inside the zone directly") {
    Outcome o = env.Ask("alias.default.svc.cluster.local.", LDNS_RR_TYPE_A, false);
    REQUIRE(o.disposition == Disposition::kReply);
    CHECK(Answers(o.response.get()) ==
          Strings{"alias.default.svc.cluster.local. CNAME web.default.svc.cluster.local.",
                  "web.default.svc.cluster.local. A 10.43.0.20"});
    CHECK(env.upstream.asked().empty());
  }
}

TEST_CASE("PTR records for cluster IPs and headless endpoints; other addresses go upstream") {
  Env env;
  PktPtr r = env.Resolve("20.0.43.10.in-addr.arpa.", LDNS_RR_TYPE_PTR);
  CHECK(Rcode(r) == LDNS_RCODE_NOERROR);
  CHECK(Answers(r.get()) == Strings{"20.0.43.10.in-addr.arpa. PTR web.default.svc.cluster.local."});
  r = env.Resolve("7.0.42.10.in-addr.arpa.", LDNS_RR_TYPE_PTR);
  CHECK(Answers(r.get()) ==
        Strings{"7.0.42.10.in-addr.arpa. PTR web-0.db.default.svc.cluster.local."});
  r = env.Resolve("9.0.42.10.in-addr.arpa.", LDNS_RR_TYPE_PTR);
  CHECK(Answers(r.get()) ==
        Strings{"9.0.42.10.in-addr.arpa. PTR 10-42-0-9.db.default.svc.cluster.local."});
  CHECK(env.upstream.asked().empty());
  // Not ready, unknown, and not a reverse name of a full address: forwarded.
  for (const char* name :
       {"10.0.42.10.in-addr.arpa.", "1.2.0.192.in-addr.arpa.", "0.42.10.in-addr.arpa."}) {
    CHECK(env.Ask(name, LDNS_RR_TYPE_PTR, false).disposition == Disposition::kNeedsUpstream);
  }
}

TEST_CASE("names outside the zone are forwarded; SERVFAIL when the upstream fails") {
  Env env;
  CHECK(env.Ask("example.org.", LDNS_RR_TYPE_A, false).disposition == Disposition::kNeedsUpstream);
  PktPtr r = env.Resolve("example.org.", LDNS_RR_TYPE_A);
  CHECK(Rcode(r) == LDNS_RCODE_NOERROR);
  CHECK(Answers(r.get()) == Strings{"example.org. A 192.0.2.1"});
  // A lookalike of the zone is not in it.
  env.Resolve("xcluster.local.", LDNS_RR_TYPE_A);
  CHECK(env.upstream.asked() == Strings{"example.org.", "xcluster.local."});
  env.upstream.set_fail(true);
  r = env.Resolve("example.org.", LDNS_RR_TYPE_A);
  CHECK(Rcode(r) == LDNS_RCODE_SERVFAIL);
}

TEST_CASE("answers follow changes of services and endpoints") {
  Env env;
  REQUIRE(env.fake.Delete(kServices, "default", "web").ok());
  CHECK(Eventually([&] {
    return Rcode(env.Resolve("web.default.svc.cluster.local.", LDNS_RR_TYPE_A)) ==
           LDNS_RCODE_NXDOMAIN;
  }));
  REQUIRE(env.fake
              .Create(kSlices, "default",
                      Slice("default", "db-def", "db", {{"10.42.1.1", "web-5"}}, {{"pg", 5432}}))
              .ok());
  CHECK(Eventually([&] {
    return Answers(env.Resolve("web-5.db.default.svc.cluster.local.", LDNS_RR_TYPE_A).get())
               .size() == 1;
  }));
  CHECK(Answers(env.Resolve("db.default.svc.cluster.local.", LDNS_RR_TYPE_A).get()).size() == 4);
}

TEST_CASE("before the caches synced, zone names get SERVFAIL") {
  Env env(/*start=*/false);
  PktPtr r = env.Resolve("web.default.svc.cluster.local.", LDNS_RR_TYPE_A);
  CHECK(Rcode(r) == LDNS_RCODE_SERVFAIL);
}

TEST_CASE("odd queries: responses dropped, other opcodes NOTIMP, no question FORMERR") {
  Env env;
  PktPtr q = MakeQuery("web.default.svc.cluster.local.", LDNS_RR_TYPE_A);
  SUBCASE("a response is never answered") {
    ldns_pkt_set_qr(q.get(), true);
    CHECK(env.handler.Handle(q.get(), true).disposition == Disposition::kDrop);
  }
  SUBCASE("NOTIFY") {
    ldns_pkt_set_opcode(q.get(), LDNS_PACKET_NOTIFY);
    Outcome o = env.handler.Handle(q.get(), true);
    REQUIRE(o.response);
    CHECK(Rcode(o.response) == LDNS_RCODE_NOTIMPL);
  }
  SUBCASE("no question") {
    PktPtr empty(ldns_pkt_new());
    ldns_pkt_set_id(empty.get(), 77);
    Outcome o = env.handler.Handle(empty.get(), true);
    REQUIRE(o.response);
    CHECK(Rcode(o.response) == LDNS_RCODE_FORMERR);
    CHECK(ldns_pkt_id(o.response.get()) == 77);
  }
  SUBCASE("chaos class inside the zone") {
    PktPtr ch = MakeQuery("web.default.svc.cluster.local.", LDNS_RR_TYPE_A, LDNS_RR_CLASS_CH);
    Outcome o = env.handler.Handle(ch.get(), true);
    REQUIRE(o.response);
    CHECK(Rcode(o.response) == LDNS_RCODE_REFUSED);
  }
}

TEST_CASE("another cluster domain") {
  Env env;
  DnsOptions opts;
  opts.cluster_domain = "Corp.Example.";
  QueryHandler h(env.view, opts, &env.upstream);
  PktPtr q = MakeQuery("web.default.svc.corp.example.", LDNS_RR_TYPE_A);
  Outcome o = h.Handle(q.get(), true);
  REQUIRE(o.response);
  CHECK(Answers(o.response.get()) == Strings{"web.default.svc.corp.example. A 10.43.0.20"});
  q = MakeQuery("web.default.svc.cluster.local.", LDNS_RR_TYPE_A);
  CHECK(h.Handle(q.get(), false).disposition == Disposition::kNeedsUpstream);
}

}  // namespace
}  // namespace kc::dns
