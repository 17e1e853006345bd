#include "pkg/apiserver/label_scan.h"

#include <doctest/doctest.h>

namespace kc::apiserver {

TEST_CASE("ScanLabels reads metadata.labels from stored bytes") {
  boost::json::object labels;
  SUBCASE("labels present") {
    REQUIRE(ScanLabels(R"({"kind":"Pod","metadata":{"name":"a","labels":{"app":"web","t\"q":"x"}},"spec":{}})",
                       &labels));
    CHECK(labels.size() == 2);
    CHECK(labels.at("app").as_string() == "web");
    CHECK(labels.at("t\"q").as_string() == "x");
  }
  SUBCASE("labels after other fields and nested objects") {
    REQUIRE(ScanLabels(R"({"spec":{"labels":{"no":"1"}},"metadata":{"annotations":{"a":"b"},"labels":{"k":"v"}}})",
                       &labels));
    CHECK(labels.size() == 1);
    CHECK(labels.at("k").as_string() == "v");
  }
  SUBCASE("no labels, no metadata") {
    CHECK(ScanLabels(R"({"metadata":{"name":"a"}})", &labels));
    CHECK(labels.empty());
    CHECK(ScanLabels(R"({"kind":"X"})", &labels));
    CHECK(labels.empty());
  }
  SUBCASE("malformed input falls back") {
    CHECK_FALSE(ScanLabels(R"({"metadata":{"labels":{"a":1}}})", &labels));
    CHECK_FALSE(ScanLabels(R"({"metadata":{"labels":{"a":)", &labels));
    CHECK_FALSE(ScanLabels("[1,2]", &labels));
  }
}

}  // namespace kc::apiserver
