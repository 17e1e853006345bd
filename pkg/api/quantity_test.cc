#include "pkg/api/quantity.h"

#include <doctest/doctest.h>

#include <boost/json/parse.hpp>

namespace kc::api {

TEST_CASE("quantities parse to canonical form") {
  struct Case {
    const char* in;
    const char* canonical;
    int64_t milli;
    int64_t value;
  };
  // Canonical forms from the reference table (api-defaults-validation.md §2.4).
  const Case cases[] = {
      {"100m", "100m", 100, 1},
      {"0.5", "500m", 500, 1},
      {"1000m", "1", 1000, 1},
      {"1000", "1k", 1000000, 1000},
      {"1500", "1500", 1500000, 1500},
      {"1.5M", "1500k", 1500000000, 1500000},
      {"1Gi", "1Gi", 1073741824000, 1073741824},
      {"1.5Gi", "1536Mi", 1610612736000, 1610612736},
      {"1024Mi", "1Gi", 1073741824000, 1073741824},
      {"2048Ki", "2Mi", 2097152000, 2097152},
      {"0.5Ki", "512", 512000, 512},
      {"1.5Ki", "1536", 1536000, 1536},
      {"1e3", "1e3", 1000000, 1000},
      {"1.5e3", "1500", 1500000, 1500},
      {"2e3", "2e3", 2000000, 2000},
      {"12e6", "12e6", 12000000000, 12000000},
      {"1e-3", "1e-3", 1, 1},
      {"0.1m", "100u", 1, 1},
      {"+5", "5", 5000, 5},
      {"-5", "-5", -5000, -5},
      {"-1.5", "-1500m", -1500, -1},
      {"1k", "1k", 1000000, 1000},
      {"500M", "500M", 500000000000, 500000000},
      {"128Mi", "128Mi", 134217728000, 134217728},
      {"0", "0", 0, 0},
      {"0Mi", "0", 0, 0},
      {".5", "500m", 500, 1},
      {"5.", "5", 5000, 5},
      {"1n", "1n", 1, 1},
      {"0.0000000001", "1n", 1, 1},  // rounded up to nano precision
      {"1E", "1E", INT64_MAX, 1000000000000000000},
      {"1Ei", "1Ei", INT64_MAX, 1152921504606846976},
      {"123456789012345678901234567890", "9223372036854775807", INT64_MAX, INT64_MAX},  // capped
  };
  for (const Case& c : cases) {
    SUBCASE(c.in) {
      auto q = Quantity::Parse(c.in);
      REQUIRE_MESSAGE(q.ok(), q.status().ToString());
      CHECK(q->ToString() == c.canonical);
      CHECK(q->MilliValue() == c.milli);
      CHECK(q->Value() == c.value);
      // The canonical form parses back to the same value.
      auto again = Quantity::Parse(q->ToString());
      REQUIRE(again.ok());
      CHECK(*again == *q);
    }
  }
}

TEST_CASE("malformed quantities") {
  struct Case {
    const char* in;
    const char* message;
  };
  const char* kRegex =
      "quantities must match the regular expression '^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$'";
  const Case cases[] = {
      {"", kRegex},
      {"abc", kRegex},
      {"1 Gi", kRegex},
      {"-", kRegex},
      {"1Gb", kRegex},
      {".", "unable to parse numeric part of quantity"},
      {"1.2.3", "unable to parse numeric part of quantity"},
      {"1K", "unable to parse quantity's suffix"},
      {"1e", "unable to parse quantity's suffix"},
      {"1mi", "unable to parse quantity's suffix"},
      {"5MiB", kRegex},
  };
  for (const Case& c : cases) {
    SUBCASE(c.in) {
      auto q = Quantity::Parse(c.in);
      REQUIRE_FALSE(q.ok());
      CHECK(q.status().reason() == Reason::kBadRequest);
      CHECK(q.status().message() == c.message);
    }
  }
}

TEST_CASE("quantity arithmetic, comparison and JSON") {
  Quantity a = *Quantity::Parse("100m");
  Quantity b = *Quantity::Parse("0.2");
  CHECK(a < b);
  CHECK(b > a);
  CHECK(*Quantity::Parse("1Gi") == *Quantity::Parse("1024Mi"));
  a.Add(b);
  CHECK(a.ToString() == "300m");
  a.Sub(*Quantity::Parse("1"));
  CHECK(a.ToString() == "-700m");
  CHECK(a.Sign() == -1);
  CHECK(a.Value() == 0);  // ceil(-0.7)

  Quantity mem;  // zero takes the format of what is added
  mem.Add(*Quantity::Parse("512Mi"));
  mem.Add(*Quantity::Parse("512Mi"));
  CHECK(mem.ToString() == "1Gi");

  Quantity r = *Quantity::Parse("100.5m");
  r.RoundUpToMilli();
  CHECK(r.ToString() == "101m");
  Quantity tiny = *Quantity::Parse("0.0001");
  tiny.RoundUpToMilli();
  CHECK(tiny.ToString() == "1m");

  CHECK(Quantity::FromMilli(1500).ToString() == "1500m");
  CHECK(Quantity::FromValue(2048, Quantity::Format::kBinarySI).ToString() == "2Ki");
  CHECK(Quantity::FromJson(boost::json::parse("2"))->ToString() == "2");
  CHECK(Quantity::FromJson(boost::json::parse("0.5"))->ToString() == "500m");
  CHECK(Quantity::FromJson(boost::json::parse("\"64Mi\""))->ToString() == "64Mi");
  CHECK_FALSE(Quantity::FromJson(boost::json::parse("true")).ok());
  CHECK(Quantity::Parse("250m")->AsApproximateDouble() == doctest::Approx(0.25));
}

}  // namespace kc::api
