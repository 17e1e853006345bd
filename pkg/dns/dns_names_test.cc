#include "pkg/dns/dns_names.h"

#include <doctest/doctest.h>

#include "pkg/dns/forwarder.h"
#include "pkg/dns/net_util.h"

namespace kc::dns {
namespace {

TEST_CASE("DnameLabels lowercases and escapes") {
  RdfPtr name(ldns_dname_new_frm_str("Web.DEFAULT.svc.cluster.local."));
  CHECK(DnameLabels(name.get()) ==
        std::vector<std::string>{"web", "default", "svc", "cluster", "local"});
  RdfPtr odd(ldns_dname_new_frm_str("a\\.b.c."));
  CHECK(DnameLabels(odd.get()) == std::vector<std::string>{"a\\.b", "c"});
  RdfPtr root(ldns_dname_new_frm_str("."));
  CHECK(DnameLabels(root.get()).empty());
  CHECK(DnameLabels(nullptr).empty());
}

TEST_CASE("dashed addresses") {
  CHECK(DashedIp("10.42.0.5") == "10-42-0-5");
  CHECK(DashedIp("fd00::1") == "fd00--1");
  struct Case {
    const char* label;
    const char* ip;  // "" = not an address
  };
  const Case cases[] = {
      {"10-42-0-5", "10.42.0.5"}, {"fd00--1", "fd00::1"}, {"10-42-0", ""},
      {"10-42-0-256", ""},        {"web-0", ""},          {"", ""},
      {"1-2-3-4-5", ""},
  };
  for (const Case& c : cases) {
    SUBCASE(c.label) {
      std::optional<std::string> ip = IpFromDashed(c.label);
      if (std::string(c.ip).empty()) {
        CHECK_FALSE(ip.has_value());
      } else {
        REQUIRE(ip.has_value());
        CHECK(*ip == c.ip);
      }
    }
  }
}

TEST_CASE("reverse names") {
  auto labels = [](const char* name) {
    RdfPtr r(ldns_dname_new_frm_str(name));
    return DnameLabels(r.get());
  };
  CHECK(IpFromReverseLabels(labels("4.3.2.10.in-addr.arpa.")) ==
        std::optional<std::string>("10.2.3.4"));
  CHECK(IpFromReverseLabels(labels("4.3.2.10.IN-ADDR.ARPA.")) ==
        std::optional<std::string>("10.2.3.4"));
  CHECK_FALSE(IpFromReverseLabels(labels("3.2.10.in-addr.arpa.")));
  CHECK_FALSE(IpFromReverseLabels(labels("4.3.2.300.in-addr.arpa.")));
  CHECK_FALSE(IpFromReverseLabels(labels("4.3.2.010.in-addr.arpa.")));
  CHECK_FALSE(IpFromReverseLabels(labels("x.3.2.1.in-addr.arpa.")));
  CHECK(IpFromReverseLabels(
            labels("1.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.d.f.ip6.arpa.")) ==
        std::optional<std::string>("fd00::1"));
}

TEST_CASE("host:port parsing") {
  api::Result<SockAddr> a = ParseHostPort("10.43.0.10:53", 0);
  REQUIRE(a.ok());
  CHECK(a->ToString() == "10.43.0.10:53");
  a = ParseHostPort("8.8.8.8", 53);
  REQUIRE(a.ok());
  CHECK(a->ToString() == "8.8.8.8:53");
  a = ParseHostPort("[fd00::10]:5353", 53);
  REQUIRE(a.ok());
  CHECK(a->ToString() == "[fd00::10]:5353");
  a = ParseHostPort("fd00::10", 53);
  REQUIRE(a.ok());
  CHECK(a->ToString() == "[fd00::10]:53");
  CHECK_FALSE(ParseHostPort("dns.google:53", 53).ok());
  CHECK_FALSE(ParseHostPort("1.2.3.4:99999", 53).ok());
  CHECK_FALSE(ParseHostPort("1.2.3.4:x", 53).ok());
  CHECK_FALSE(ParseHostPort("[::1", 53).ok());
}

TEST_CASE("resolv.conf nameservers") {
  std::string text =
      "# generated\n"
      "search default.svc.cluster.local svc.cluster.local\n"
      "nameserver 10.0.0.2\n"
      "  nameserver\t1.1.1.1   # second\n"
      "; nameserver 9.9.9.9\n"
      "options ndots:5\n"
      "nameserver\n"
      "nameserver fd00::53\n";
  CHECK(ParseResolvConfNameservers(text) ==
        std::vector<std::string>{"10.0.0.2", "1.1.1.1", "fd00::53"});
  CHECK(ParseResolvConfNameservers("").empty());
}

}  // namespace
}  // namespace kc::dns
