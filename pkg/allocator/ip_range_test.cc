#include "pkg/allocator/ip_range.h"

#include <doctest/doctest.h>

namespace kc::allocator {

TEST_CASE("IpRange parses IPv4 CIDRs") {
  struct Case {
    const char* in;
    const char* cidr;
    uint64_t size;
    const char* first;
    const char* last;
  };
  const Case cases[] = {
      {"10.43.0.0/16", "10.43.0.0/16", 65534, "10.43.0.1", "10.43.255.254"},
      {"10.43.0.1/16", "10.43.0.0/16", 65534, "10.43.0.1", "10.43.255.254"},  // host bits masked
      {"192.168.1.0/24", "192.168.1.0/24", 254, "192.168.1.1", "192.168.1.254"},
      {"10.0.0.8/29", "10.0.0.8/29", 6, "10.0.0.9", "10.0.0.14"},
      {"10.0.0.4/30", "10.0.0.4/30", 2, "10.0.0.5", "10.0.0.6"},
      {"10.96.0.0/12", "10.96.0.0/12", 1048574, "10.96.0.1", "10.111.255.254"},
  };
  for (const Case& c : cases) {
    SUBCASE(c.in) {
      api::Result<IpRange> r = IpRange::Parse(c.in);
      REQUIRE(r.ok());
      CHECK(r->cidr() == c.cidr);
      CHECK(r->Size() == c.size);
      CHECK(r->At(0) == c.first);
      CHECK(r->At(r->Size() - 1) == c.last);
    }
  }
}

TEST_CASE("IpRange rejects malformed, IPv6, too large and too small ranges") {
  const char* bad[] = {"",
                       "10.43.0.0",
                       "10.43.0.0/",
                       "10.43.0/16",
                       "10.43.0.0/33",
                       "10.43.0.256/16",
                       "010.43.0.0/16",
                       "10.43.0.0/016",
                       "fd00::/108",
                       "10.43.0.0/-1",
                       "10.43.0.0/16 ",
                       "a.b.c.d/16",
                       "10.0.0.0/8",
                       "10.0.0.0/31",
                       "10.0.0.1/32",
                       "10..0.0/16"};
  for (const char* in : bad) {
    SUBCASE(in) {
      api::Result<IpRange> r = IpRange::Parse(in);
      CHECK_FALSE(r.ok());
      CHECK(r.status().reason() == api::Reason::kBadRequest);
    }
  }
  CHECK(IpRange::Parse("10.0.0.0/8").status().message() ==
        "specified --service-cluster-ip-range is too large; for 32-bit addresses, the mask must "
        "be >= 12");
}

TEST_CASE("IpRange Contains and OffsetOf exclude network and broadcast") {
  IpRange r = IpRange::Parse("10.43.0.0/16").value();
  struct Case {
    const char* ip;
    std::optional<uint64_t> offset;
  };
  const Case cases[] = {
      {"10.43.0.0", std::nullopt},      // network
      {"10.43.255.255", std::nullopt},  // broadcast
      {"10.43.0.1", 0},
      {"10.43.0.10", 9},
      {"10.43.1.0", 255},
      {"10.43.255.254", 65533},
      {"10.44.0.1", std::nullopt},
      {"10.42.255.255", std::nullopt},
      {"0.0.0.0", std::nullopt},
      {"None", std::nullopt},
      {"10.43.0.1 ", std::nullopt},
      {"", std::nullopt},
  };
  for (const Case& c : cases) {
    SUBCASE(c.ip) {
      CHECK(r.OffsetOf(c.ip) == c.offset);
      CHECK(r.Contains(c.ip) == c.offset.has_value());
      if (c.offset) CHECK(r.At(*c.offset) == c.ip);
    }
  }
}

TEST_CASE("IpRange offset round trip over a whole /24") {
  IpRange r = IpRange::Parse("172.16.5.0/24").value();
  for (uint64_t i = 0; i < r.Size(); ++i) {
    REQUIRE(r.OffsetOf(r.At(i)) == i);
  }
}

TEST_CASE("ParseIpv4 and FormatIpv4") {
  CHECK(ParseIpv4("255.255.255.255") == 0xffffffffu);
  CHECK(ParseIpv4("1.2.3.4") == 0x01020304u);
  CHECK_FALSE(ParseIpv4("1.2.3").has_value());
  CHECK_FALSE(ParseIpv4("1.2.3.4.5").has_value());
  CHECK_FALSE(ParseIpv4("1.2.3.04").has_value());
  CHECK(FormatIpv4(0x0a2b0001u) == "10.43.0.1");
}

}  // namespace kc::allocator
