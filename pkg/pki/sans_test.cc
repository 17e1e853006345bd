#include "pkg/pki/sans.h"

#include <doctest/doctest.h>

#include <unistd.h>

#include <algorithm>

namespace kc::pki {

namespace {

bool Has(const std::vector<std::string>& v, const std::string& s) {
  return std::find(v.begin(), v.end(), s) != v.end();
}

}  // namespace

TEST_CASE("CanonicalIp") {
  struct Case {
    const char* in;
    const char* want;
  };
  for (const Case& c : std::vector<Case>{{"127.0.0.1", "127.0.0.1"},
                                         {"::1", "::1"},
                                         {"0:0:0:0:0:0:0:1", "::1"},
                                         {"FE80::0001", "fe80::1"},
                                         {"10.43.0.1", "10.43.0.1"},
                                         {"10.43.0", ""},
                                         {"1.2.3.4.5", ""},
                                         {"localhost", ""},
                                         {"", ""}}) {
    CAPTURE(c.in);
    CHECK(CanonicalIp(c.in) == c.want);
  }
}

TEST_CASE("AddSan classifies and validates names") {
  struct Case {
    const char* in;
    bool ok;
    const char* dns;  // expected DNS entry, or null
    const char* ip;   // expected IP entry, or null
  };
  for (const Case& c : std::vector<Case>{
           {"example.com", true, "example.com", nullptr},
           {"Node-1.Example.COM", true, "node-1.example.com", nullptr},
           {"*.apps.example.com", true, "*.apps.example.com", nullptr},
           {"my_host", true, "my_host", nullptr},
           {"192.168.1.10", true, nullptr, "192.168.1.10"},
           {"2001:DB8::1", true, nullptr, "2001:db8::1"},
           {"", true, nullptr, nullptr},
           {"a,DNS:evil.com", false, nullptr, nullptr},
           {"has space", false, nullptr, nullptr},
           {"trailing.", false, nullptr, nullptr},
           {".leading", false, nullptr, nullptr},
           {"double..dot", false, nullptr, nullptr},
           {"*", false, nullptr, nullptr},
           {"a.*.b", false, nullptr, nullptr},
           {"new\nline", false, nullptr, nullptr},
       }) {
    CAPTURE(c.in);
    ServerCertOptions opts;
    api::Status s = AddSan(c.in, &opts);
    CHECK(s.ok() == c.ok);
    if (!c.ok) CHECK(s.reason() == api::Reason::kInvalid);
    CHECK(opts.dns_names.size() == (c.dns ? 1u : 0u));
    CHECK(opts.ips.size() == (c.ip ? 1u : 0u));
    if (c.dns) CHECK(opts.dns_names[0] == c.dns);
    if (c.ip) CHECK(opts.ips[0] == c.ip);
  }
  ServerCertOptions too_long;
  CHECK_FALSE(AddSan(std::string(64, 'a') + ".com", &too_long).ok());
}

TEST_CASE("BuildServerSans holds the fixed names, host names and extras without duplicates") {
  auto sans = BuildServerSans({"MyHost", "192.168.5.5", "bad host"},
                              {"api.example.com", "203.0.113.7", "localhost", "::0001"});
  REQUIRE(sans.ok());
  for (const char* dns : {"localhost", "myhost", "kubernetes", "kubernetes.default",
                          "kubernetes.default.svc", "kubernetes.default.svc.cluster.local",
                          "api.example.com"}) {
    CAPTURE(dns);
    CHECK(Has(sans->dns_names, dns));
  }
  for (const char* ip : {"127.0.0.1", "::1", "192.168.5.5", "10.43.0.1", "203.0.113.7"}) {
    CAPTURE(ip);
    CHECK(Has(sans->ips, ip));
  }
  CHECK(sans->dns_names.size() == 7);  // "bad host" skipped, "localhost" not repeated
  CHECK(sans->ips.size() == 5);        // "::0001" is "::1"

  auto bad = BuildServerSans({}, {"ok.example.com", "not valid!"});
  CHECK(bad.status().reason() == api::Reason::kInvalid);
  CHECK(bad.status().message().find("not valid!") != std::string::npos);
}

TEST_CASE("ServerCertOptions compare as sets after Sorted") {
  ServerCertOptions a{{"b", "a"}, {"10.0.0.1", "::1"}};
  ServerCertOptions b{{"a", "b"}, {"::1", "10.0.0.1"}};
  CHECK_FALSE(a == b);
  CHECK(a.Sorted() == b.Sorted());
  b.ips.push_back("10.0.0.2");
  CHECK_FALSE(a.Sorted() == b.Sorted());
}

TEST_CASE("LocalHostNamesAndIps lists the host name and no loopback address") {
  std::vector<std::string> names = LocalHostNamesAndIps();
  REQUIRE_FALSE(names.empty());
  char host[256] = {};
  REQUIRE(gethostname(host, sizeof(host) - 1) == 0);
  CHECK(names[0] == host);
  CHECK_FALSE(Has(names, "127.0.0.1"));
  CHECK_FALSE(Has(names, "::1"));
  for (size_t i = 1; i < names.size(); ++i) {
    CAPTURE(names[i]);
    CHECK_FALSE(CanonicalIp(names[i]).empty());
    CHECK(names[i].rfind("fe80:", 0) != 0);
  }
}

}  // namespace kc::pki
