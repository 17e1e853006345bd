#include "pkg/api/merge_patch.h"

#include <doctest/doctest.h>

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>

namespace kc::api {
namespace {

namespace json = boost::json;

std::string Canon(const json::value& v) { return json::serialize(v); }

}  // namespace

TEST_CASE("RFC 7386 examples") {
  // The test vectors of RFC 7386 appendix A.
  struct Case {
    const char* target;
    const char* patch;
    const char* want;
  };
  const Case cases[] = {
      {R"({"a":"b"})", R"({"a":"c"})", R"({"a":"c"})"},
      {R"({"a":"b"})", R"({"b":"c"})", R"({"a":"b","b":"c"})"},
      {R"({"a":"b"})", R"({"a":null})", R"({})"},
      {R"({"a":"b","b":"c"})", R"({"a":null})", R"({"b":"c"})"},
      {R"({"a":["b"]})", R"({"a":"c"})", R"({"a":"c"})"},
      {R"({"a":"c"})", R"({"a":["b"]})", R"({"a":["b"]})"},
      {R"({"a":{"b":"c"}})", R"({"a":{"b":"d","c":null}})", R"({"a":{"b":"d"}})"},
      {R"({"a":[{"b":"c"}]})", R"({"a":[1]})", R"({"a":[1]})"},
      {R"(["a","b"])", R"(["c","d"])", R"(["c","d"])"},
      {R"({"a":"b"})", R"(["c"])", R"(["c"])"},
      {R"({"a":"foo"})", "null", "null"},
      {R"({"a":"foo"})", R"("bar")", R"("bar")"},
      {R"({"e":null})", R"({"a":1})", R"({"e":null,"a":1})"},
      {R"([1,2])", R"({"a":"b","c":null})", R"({"a":"b"})"},
      {R"({})", R"({"a":{"bb":{"ccc":null}}})", R"({"a":{"bb":{}}})"},
      // Not in the RFC: deleting a member keeps the order of the others.
      {R"({"a":1,"b":2,"c":3})", R"({"a":null})", R"({"b":2,"c":3})"},
  };
  for (const Case& c : cases) {
    SUBCASE(c.patch) {
      json::value target = json::parse(c.target);
      ApplyMergePatch(target, json::parse(c.patch));
      CHECK(Canon(target) == Canon(json::parse(c.want)));
    }
  }
}

TEST_CASE("kubectl label / scale merge patches") {
  json::value obj = json::parse(
      R"({"metadata":{"name":"web","labels":{"app":"web","old":"x"}},"spec":{"replicas":1}})");
  ApplyMergePatch(obj, json::parse(R"({"metadata":{"labels":{"env":"prod","old":null}}})"));
  ApplyMergePatch(obj, json::parse(R"({"spec":{"replicas":4}})"));
  CHECK(Canon(obj) ==
        Canon(json::parse(R"({"metadata":{"name":"web","labels":{"app":"web","env":"prod"}},
                              "spec":{"replicas":4}})")));
}

TEST_CASE("CreateMergePatch round-trips") {
  struct Case {
    const char* original;
    const char* modified;
    const char* want;
  };
  const Case cases[] = {
      {R"({"a":1,"b":2})", R"({"a":1,"b":2})", "{}"},
      {R"({"a":1,"b":2})", R"({"a":1})", R"({"b":null})"},
      {R"({"a":{"x":1,"y":2}})", R"({"a":{"x":1,"y":3,"z":4}})", R"({"a":{"y":3,"z":4}})"},
      {R"({"a":[1,2]})", R"({"a":[2]})", R"({"a":[2]})"},
      {R"({"a":{"x":1}})", R"({"a":"s"})", R"({"a":"s"})"},
      {R"({"a":1})", R"([1])", R"([1])"},
  };
  for (const Case& c : cases) {
    SUBCASE(c.modified) {
      json::value original = json::parse(c.original);
      json::value modified = json::parse(c.modified);
      json::value patch = CreateMergePatch(original, modified);
      CHECK(Canon(patch) == Canon(json::parse(c.want)));
      ApplyMergePatch(original, patch);
      CHECK(Canon(original) == Canon(modified));
    }
  }
}

}  // namespace kc::api
