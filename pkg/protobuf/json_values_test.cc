#include "pkg/protobuf/json_values.h"

#include <doctest/doctest.h>

#include <cstdint>
#include <string>

namespace kc::protobuf {
namespace {

TEST_CASE("FormatTimestamp") {
  struct Case {
    int64_t seconds;
    int64_t nanos;
    bool micro;
    const char* want;
  };
  const Case cases[] = {
      {0, 0, false, "1970-01-01T00:00:00Z"},
      {1714564800, 0, false, "2024-05-01T12:00:00Z"},
      {1714564800, 999999999, false, "2024-05-01T12:00:00Z"},
      {1714564800, 123456789, true, "2024-05-01T12:00:00.123456Z"},
      {1714564800, 0, true, "2024-05-01T12:00:00.000000Z"},
      {951782400, 0, false, "2000-02-29T00:00:00Z"},
      {-1, 0, false, "1969-12-31T23:59:59Z"},
      {-62135596800, 0, false, "0001-01-01T00:00:00Z"},
      {253402300799, 0, false, "9999-12-31T23:59:59Z"},
  };
  for (const Case& c : cases) {
    CAPTURE(c.seconds);
    auto got = FormatTimestamp(c.seconds, c.nanos, c.micro);
    REQUIRE(got.has_value());
    CHECK(*got == c.want);
  }
  CHECK_FALSE(FormatTimestamp(253402300800, 0, false).has_value());
  CHECK_FALSE(FormatTimestamp(-62167219201, 0, false).has_value());
  CHECK_FALSE(FormatTimestamp(INT64_MIN, 0, false).has_value());
  CHECK_FALSE(FormatTimestamp(0, -1, false).has_value());
  CHECK_FALSE(FormatTimestamp(0, 1000000000, true).has_value());
}

TEST_CASE("FormatGoDuration") {
  struct Case {
    int64_t ns;
    const char* want;
  };
  const Case cases[] = {
      {0, "0s"},
      {1, "1ns"},
      {1100, "1.1µs"},
      {2200000, "2.2ms"},
      {1000000000, "1s"},
      {1500000000, "1.5s"},
      {90000000000, "1m30s"},
      {3600000000000, "1h0m0s"},
      {3723000000000, "1h2m3s"},
      {-5, "-5ns"},
      {-1500000000, "-1.5s"},
      {INT64_MIN, "-2562047h47m16.854775808s"},
      {INT64_MAX, "2562047h47m16.854775807s"},
  };
  for (const Case& c : cases) {
    CAPTURE(c.ns);
    CHECK(FormatGoDuration(c.ns) == c.want);
  }
}

TEST_CASE("Base64Encode") {
  CHECK(Base64Encode("") == "");
  CHECK(Base64Encode("v") == "dg==");
  CHECK(Base64Encode("ab") == "YWI=");
  CHECK(Base64Encode("abc") == "YWJj");
  CHECK(Base64Encode("hello world") == "aGVsbG8gd29ybGQ=");
  CHECK(Base64Encode(std::string("\x00\xff\xfe", 3)) == "AP/+");
}

TEST_CASE("SanitizeUtf8") {
  CHECK(SanitizeUtf8("plain") == "plain");
  CHECK(SanitizeUtf8("caf\xc3\xa9 \xe2\x82\xac \xf0\x9f\x98\x80") ==
        "caf\xc3\xa9 \xe2\x82\xac \xf0\x9f\x98\x80");
  CHECK(SanitizeUtf8("a\xff" "b") == "a\xef\xbf\xbd" "b");
  CHECK(SanitizeUtf8("\xc3") == "\xef\xbf\xbd");                    // truncated sequence
  CHECK(SanitizeUtf8("\xc0\xaf") == "\xef\xbf\xbd\xef\xbf\xbd");    // overlong
  CHECK(SanitizeUtf8("\xed\xa0\x80") == "\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd");  // surrogate
  CHECK(SanitizeUtf8(std::string("a\0b", 3)) == std::string("a\0b", 3));
}

}  // namespace
}  // namespace kc::protobuf
