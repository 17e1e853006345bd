#include "pkg/allocator/port_range.h"

#include <doctest/doctest.h>

namespace kc::allocator {

TEST_CASE("PortRange parses the upstream notations") {
  struct Case {
    const char* in;
    int base;
    uint64_t size;
    const char* str;
  };
  const Case cases[] = {
      {"30000-32767", 30000, 2768, "30000-32767"},
      {" 30000-32767 ", 30000, 2768, "30000-32767"},
      {"30000+2768", 30000, 2768, "30000-32767"},
      {"80", 80, 1, "80-80"},
      {"0-65535", 0, 65536, "0-65535"},
      {"32000-32000", 32000, 1, "32000-32000"},
  };
  for (const Case& c : cases) {
    SUBCASE(c.in) {
      api::Result<PortRange> r = PortRange::Parse(c.in);
      REQUIRE(r.ok());
      CHECK(r->base() == c.base);
      CHECK(r->Size() == c.size);
      CHECK(r->String() == c.str);
    }
  }
}

TEST_CASE("PortRange rejects bad ranges") {
  const char* bad[] = {"",        "abc",   "30000-", "-32767",      "32767-30000",  "30000-70000",
                       "30000+0", "1-2-3", "1+2-3",  "99999999999", "30000 - 32767"};
  for (const char* in : bad) {
    SUBCASE(in) {
      api::Result<PortRange> r = PortRange::Parse(in);
      CHECK_FALSE(r.ok());
      CHECK(r.status().reason() == api::Reason::kBadRequest);
    }
  }
}

TEST_CASE("PortRange Contains and OffsetOf") {
  PortRange r = PortRange::Parse("30000-32767").value();
  CHECK(r.OffsetOf(30000) == 0u);
  CHECK(r.OffsetOf(32767) == 2767u);
  CHECK_FALSE(r.OffsetOf(29999).has_value());
  CHECK_FALSE(r.OffsetOf(32768).has_value());
  CHECK_FALSE(r.Contains(80));
  CHECK_FALSE(r.Contains(-1));
  CHECK(r.Contains(31000));
  for (uint64_t i = 0; i < r.Size(); ++i) REQUIRE(r.OffsetOf(r.At(i)) == i);
}

}  // namespace kc::allocator
