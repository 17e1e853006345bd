#include <doctest/doctest.h>

#include "pkg/printers/printers.h"

namespace kc::printers {

TEST_CASE("HumanDuration matches upstream duration.HumanDuration") {
  using std::chrono::seconds;
  struct Case {
    long long secs;
    const char* want;
  };
  const long long kMin = 60, kHour = 3600, kDay = 86400, kYear = 365 * kDay;
  const Case cases[] = {
      {-5, "<invalid>"},
      {-2, "<invalid>"},
      {-1, "0s"},
      {0, "0s"},
      {59, "59s"},
      {119, "119s"},
      {120, "2m"},
      {182, "3m2s"},
      {9 * kMin + 59, "9m59s"},
      {10 * kMin + 30, "10m"},
      {179 * kMin + 59, "179m"},
      {3 * kHour, "3h"},
      {7 * kHour + 59 * kMin, "7h59m"},
      {8 * kHour + 30 * kMin, "8h"},
      {47 * kHour, "47h"},
      {2 * kDay, "2d"},
      {2 * kDay + 3 * kHour, "2d3h"},
      {7 * kDay + 23 * kHour, "7d23h"},
      {8 * kDay, "8d"},
      {729 * kDay, "729d"},
      {2 * kYear, "2y"},
      {2 * kYear + 45 * kDay, "2y45d"},
      {5 * kYear + 123 * kDay, "5y123d"},
      {8 * kYear, "8y"},
      {20 * kYear + 100 * kDay, "20y"},
  };
  for (const auto& c : cases) {
    SUBCASE(std::to_string(c.secs).c_str()) { CHECK(HumanDuration(seconds(c.secs)) == c.want); }
  }
}

}  // namespace kc::printers
