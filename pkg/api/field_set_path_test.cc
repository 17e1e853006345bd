#include "pkg/api/field_set_path.h"

#include <doctest/doctest.h>

#include <boost/json/parse.hpp>

namespace kc::api {
namespace {

PathElement KeyName(const char* name) {
  return PathElement::Key({{"name", boost::json::value(name)}});
}

}  // namespace

TEST_CASE("path elements print like upstream conflict paths") {
  struct Case {
    const char* name;
    FieldPath path;
    const char* want;
  };
  Case cases[] = {
      {"fields", MakeFieldPath({"spec", "replicas"}), ".spec.replicas"},
      {"keyed item",
       {PathElement::Field("spec"), PathElement::Field("containers"), KeyName("web"),
        PathElement::Field("image")},
       ".spec.containers[name=\"web\"].image"},
      {"two keys sorted by name",
       {PathElement::Field("ports"),
        PathElement::Key({{"protocol", boost::json::value("TCP")},
                          {"containerPort", boost::json::value(80)}})},
       ".ports[containerPort=80,protocol=\"TCP\"]"},
      {"set member",
       {PathElement::Field("metadata"), PathElement::Field("finalizers"),
        PathElement::Value(boost::json::value("example.com/x"))},
       ".metadata.finalizers[=\"example.com/x\"]"},
      {"index", {PathElement::Field("args"), PathElement::Index(3)}, ".args[3]"},
  };
  for (const Case& c : cases) {
    SUBCASE(c.name) { CHECK(FieldPathString(c.path) == c.want); }
  }
}

TEST_CASE("FieldsV1 keys round-trip") {
  const char* keys[] = {
      "f:spec",
      "f:kubectl.kubernetes.io/last-applied-configuration",
      "k:{\"name\":\"web\"}",
      "k:{\"containerPort\":80,\"protocol\":\"TCP\"}",
      "v:\"kubernetes.io/pvc-protection\"",
      "v:3",
      "i:0",
  };
  for (const char* key : keys) {
    SUBCASE(key) {
      auto pe = PathElement::FromFieldsV1Key(key);
      REQUIRE(pe.has_value());
      CHECK(pe->ToFieldsV1Key() == key);
    }
  }
}

TEST_CASE("malformed FieldsV1 keys are rejected") {
  const char* bad[] = {".", "", "x:y", "f", "k:[1]", "k:{}", "k:{bad", "v:", "i:-1", "i:x"};
  for (const char* key : bad) {
    SUBCASE(key) { CHECK_FALSE(PathElement::FromFieldsV1Key(key).has_value()); }
  }
}

TEST_CASE("key elements sort their fields and compare by value") {
  auto a = PathElement::Key(
      {{"protocol", boost::json::value("TCP")}, {"containerPort", boost::json::value(80)}});
  auto b = PathElement::Key(
      {{"containerPort", boost::json::value(80)}, {"protocol", boost::json::value("TCP")}});
  CHECK(a == b);
  CHECK(a.ToFieldsV1Key() == "k:{\"containerPort\":80,\"protocol\":\"TCP\"}");
  auto c = PathElement::Key(
      {{"containerPort", boost::json::value(443)}, {"protocol", boost::json::value("TCP")}});
  CHECK(a < c);  // 80 < 443 numerically
}

TEST_CASE("element order: fields, then keys, then values, then indexes") {
  auto f = PathElement::Field("zzz");
  auto k = KeyName("a");
  auto v = PathElement::Value(boost::json::value("a"));
  auto i = PathElement::Index(0);
  CHECK(f < k);
  CHECK(k < v);
  CHECK(v < i);
  CHECK(PathElement::Field("a") < PathElement::Field("b"));
  CHECK_FALSE(PathElement::Field("b") < PathElement::Field("a"));
  // Keys with fewer fields come first.
  CHECK(KeyName("z") < PathElement::Key({{"a", boost::json::value(1)},
                                         {"b", boost::json::value(1)}}));
}

TEST_CASE("JSON ordering and equality") {
  using boost::json::parse;
  CHECK(JsonCompare(parse("1"), parse("\"a\"")) < 0);
  CHECK(JsonCompare(parse("\"a\""), parse("true")) < 0);
  CHECK(JsonCompare(parse("true"), parse("[]")) < 0);
  CHECK(JsonCompare(parse("[]"), parse("{}")) < 0);
  CHECK(JsonCompare(parse("{}"), parse("null")) < 0);
  CHECK(JsonCompare(parse("2"), parse("10")) < 0);
  CHECK(JsonCompare(parse("-1"), parse("18446744073709551615")) < 0);
  CHECK(JsonEqual(parse("3"), parse("3.0")));
  CHECK(JsonEqual(parse(R"({"a":1,"b":[1,2]})"), parse(R"({"b":[1,2],"a":1})")));
  CHECK_FALSE(JsonEqual(parse(R"({"a":1})"), parse(R"({"a":1,"b":2})")));
  CHECK_FALSE(JsonEqual(parse("[1,2]"), parse("[2,1]")));
}

TEST_CASE("path prefixes") {
  CHECK(IsPathPrefix(MakeFieldPath({"spec"}), MakeFieldPath({"spec", "replicas"})));
  CHECK(IsPathPrefix(MakeFieldPath({"spec"}), MakeFieldPath({"spec"})));
  CHECK_FALSE(IsPathPrefix(MakeFieldPath({"spec", "replicas"}), MakeFieldPath({"spec"})));
  CHECK_FALSE(IsPathPrefix(MakeFieldPath({"status"}), MakeFieldPath({"spec", "replicas"})));
}

}  // namespace kc::api
