#include "pkg/api/time_util.h"

#include <doctest/doctest.h>

#include <set>
#include <string>

namespace kc::api {

TEST_CASE("timestamps round-trip in both precisions") {
  auto t = ParseTime("2024-05-01T12:00:00Z");
  REQUIRE(t.has_value());
  CHECK(FormatTime(*t) == "2024-05-01T12:00:00Z");
  auto m = ParseTime("2024-05-01T12:00:00.123456Z");
  REQUIRE(m.has_value());
  CHECK(FormatMicroTime(*m) == "2024-05-01T12:00:00.123456Z");
  CHECK(FormatTime(*m) == "2024-05-01T12:00:00Z");
  auto o = ParseTime("2024-05-01T14:00:00+02:00");
  REQUIRE(o.has_value());
  CHECK(FormatTime(*o) == "2024-05-01T12:00:00Z");
  CHECK_FALSE(ParseTime("2024-05-01").has_value());
  CHECK_FALSE(ParseTime("2024-05-01T12:00:00").has_value());
  CHECK_FALSE(ParseTime("garbage").has_value());
}

TEST_CASE("uids are v4 and distinct") {
  std::set<std::string> seen;
  for (int i = 0; i < 1000; ++i) {
    std::string u = NewUid();
    CHECK(u.size() == 36);
    CHECK(u[14] == '4');
    CHECK(std::string("89ab").find(u[19]) != std::string::npos);  // RFC 4122 variant
    for (size_t i = 0; i < u.size(); ++i) {
      if (i == 8 || i == 13 || i == 18 || i == 23) {
        CHECK(u[i] == '-');
      } else {
        CHECK(std::string("0123456789abcdef").find(u[i]) != std::string::npos);
      }
    }
    seen.insert(u);
  }
  CHECK(seen.size() == 1000);
  CHECK(RandomSuffix(5).size() == 5);
}

}  // namespace kc::api
