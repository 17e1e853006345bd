#include "pkg/apiserver/stored_json.h"

#include <doctest/doctest.h>

#include <boost/json/parse.hpp>
#include <boost/json/value.hpp>

namespace kc::apiserver {
namespace {

std::string RvOf(const std::string& text) {
  boost::json::value v = boost::json::parse(text);
  return std::string(v.at("metadata").at("resourceVersion").as_string());
}

TEST_CASE("WithResourceVersion adds metadata.resourceVersion to the top-level metadata only") {
  SUBCASE("metadata first") {
    auto out = WithResourceVersion(R"({"metadata":{"name":"a"},"data":{"k":"v"}})", 42);
    REQUIRE(out);
    CHECK(*out == R"({"metadata":{"resourceVersion":"42","name":"a"},"data":{"k":"v"}})");
  }
  SUBCASE("nested metadata keys and tricky strings come before the top-level one") {
    std::string in =
        R"({"spec":{"template":{"metadata":{"labels":{"a":"b"}}},"s":"x\"metadata\":{","n":[1,{"metadata":{}}],"t":true,"z":null,"f":-1.5e3},)"
        R"( "metadata" : { "name":"d" } })";
    auto out = WithResourceVersion(in, 7);
    REQUIRE(out);
    CHECK(RvOf(*out) == "7");
    boost::json::value v = boost::json::parse(*out);
    CHECK_FALSE(v.at("spec").at("template").at("metadata").as_object().contains("resourceVersion"));
    CHECK(v.at("spec").at("s").as_string() == "x\"metadata\":{");
    CHECK(v.at("metadata").at("name").as_string() == "d");
  }
  SUBCASE("empty metadata") {
    auto out = WithResourceVersion(R"({"kind":"X","metadata":{}})", 3);
    REQUIRE(out);
    CHECK(*out == R"({"kind":"X","metadata":{"resourceVersion":"3"}})");
  }
  SUBCASE("no usable metadata: the caller takes the DOM path") {
    CHECK_FALSE(WithResourceVersion(R"({"kind":"X"})", 1));
    CHECK_FALSE(WithResourceVersion(R"({"metadata":null})", 1));
    CHECK_FALSE(WithResourceVersion(R"([1,2])", 1));
    CHECK_FALSE(WithResourceVersion("", 1));
    CHECK_FALSE(WithResourceVersion(R"({"a":"unterminated)", 1));
    CHECK_FALSE(WithResourceVersion(R"({"a":{"b":[}, )", 1));
    CHECK_FALSE(WithResourceVersion(R"({"a" 1,"metadata":{}})", 1));
  }
}

}  // namespace
}  // namespace kc::apiserver
