#include "pkg/api/json_patch.h"

#include <doctest/doctest.h>

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>

namespace kc::api {
namespace {

namespace json = boost::json;

constexpr char kDoc[] = R"({"a":{"b":[1,2,3],"c":"x"},"m~n":1,"s/t":2})";

}  // namespace

TEST_CASE("RFC 6902 operations") {
  struct Case {
    const char* name;
    const char* patch;
    const char* want;
  };
  const Case cases[] = {
      {"add member", R"([{"op":"add","path":"/a/d","value":{"e":null}}])",
       R"({"a":{"b":[1,2,3],"c":"x","d":{"e":null}},"m~n":1,"s/t":2})"},
      {"add replaces member", R"([{"op":"add","path":"/a/c","value":"y"}])",
       R"({"a":{"b":[1,2,3],"c":"y"},"m~n":1,"s/t":2})"},
      {"insert into array", R"([{"op":"add","path":"/a/b/1","value":9}])",
       R"({"a":{"b":[1,9,2,3],"c":"x"},"m~n":1,"s/t":2})"},
      {"append with -", R"([{"op":"add","path":"/a/b/-","value":4}])",
       R"({"a":{"b":[1,2,3,4],"c":"x"},"m~n":1,"s/t":2})"},
      {"append at size", R"([{"op":"add","path":"/a/b/3","value":4}])",
       R"({"a":{"b":[1,2,3,4],"c":"x"},"m~n":1,"s/t":2})"},
      {"remove", R"([{"op":"remove","path":"/a/b/0"},{"op":"remove","path":"/m~0n"}])",
       R"({"a":{"b":[2,3],"c":"x"},"s/t":2})"},
      {"replace escaped", R"([{"op":"replace","path":"/s~1t","value":[]}])",
       R"({"a":{"b":[1,2,3],"c":"x"},"m~n":1,"s/t":[]})"},
      {"move", R"([{"op":"move","from":"/a/c","path":"/z"}])",
       R"({"a":{"b":[1,2,3]},"m~n":1,"s/t":2,"z":"x"})"},
      {"move within array", R"([{"op":"move","from":"/a/b/0","path":"/a/b/-"}])",
       R"({"a":{"b":[2,3,1],"c":"x"},"m~n":1,"s/t":2})"},
      {"copy", R"([{"op":"copy","from":"/a/b","path":"/a/b2"}])",
       R"({"a":{"b":[1,2,3],"c":"x","b2":[1,2,3]},"m~n":1,"s/t":2})"},
      {"test passes numerically", R"([{"op":"test","path":"/a/b/0","value":1.0}])", kDoc},
      {"test then replace", R"([{"op":"test","path":"/a/c","value":"x"},
                               {"op":"replace","path":"/a/c","value":"z"}])",
       R"({"a":{"b":[1,2,3],"c":"z"},"m~n":1,"s/t":2})"},
      {"replace root", R"([{"op":"replace","path":"","value":{"k":1}}])", R"({"k":1})"},
      {"empty patch", "[]", kDoc},
  };
  for (const Case& c : cases) {
    SUBCASE(c.name) {
      json::value doc = json::parse(kDoc);
      Status s = ApplyJsonPatch(doc, json::parse(c.patch));
      REQUIRE_MESSAGE(s.ok(), s.ToString());
      CHECK(json::serialize(doc) == json::serialize(json::parse(c.want)));
    }
  }
}

TEST_CASE("JSON patch failures leave the document unchanged") {
  struct Case {
    const char* name;
    const char* patch;
    Reason reason;
  };
  const Case cases[] = {
      {"not an array", R"({"op":"add"})", Reason::kBadRequest},
      {"op not an object", R"([1])", Reason::kBadRequest},
      {"missing op", R"([{"path":"/a"}])", Reason::kBadRequest},
      {"missing path", R"([{"op":"remove"}])", Reason::kBadRequest},
      {"missing value", R"([{"op":"add","path":"/x"}])", Reason::kBadRequest},
      {"missing from", R"([{"op":"move","path":"/x"}])", Reason::kBadRequest},
      {"unknown op", R"([{"op":"frob","path":"/a"}])", Reason::kBadRequest},
      {"bad pointer", R"([{"op":"remove","path":"a"}])", Reason::kBadRequest},
      {"bad escape", R"([{"op":"remove","path":"/m~2n"}])", Reason::kBadRequest},
      {"add to missing parent", R"([{"op":"add","path":"/x/y","value":1}])", Reason::kInvalid},
      {"remove missing", R"([{"op":"remove","path":"/a/zz"}])", Reason::kInvalid},
      {"replace missing", R"([{"op":"replace","path":"/zz","value":1}])", Reason::kInvalid},
      {"index out of range", R"([{"op":"add","path":"/a/b/4","value":1}])", Reason::kInvalid},
      {"leading zero index", R"([{"op":"remove","path":"/a/b/01"}])", Reason::kInvalid},
      {"remove with -", R"([{"op":"remove","path":"/a/b/-"}])", Reason::kInvalid},
      {"test fails", R"([{"op":"test","path":"/a/c","value":"nope"}])", Reason::kInvalid},
      {"move into own child", R"([{"op":"move","from":"/a","path":"/a/x"}])", Reason::kInvalid},
      {"second op fails", R"([{"op":"add","path":"/q","value":1},{"op":"remove","path":"/zz"}])",
       Reason::kInvalid},
  };
  for (const Case& c : cases) {
    SUBCASE(c.name) {
      json::value doc = json::parse(kDoc);
      Status s = ApplyJsonPatch(doc, json::parse(c.patch));
      CHECK_FALSE(s.ok());
      CHECK(s.reason() == c.reason);
      CHECK(json::serialize(doc) == json::serialize(json::parse(kDoc)));
    }
  }
}

TEST_CASE("kubectl rollout undo style JSON patch") {
  json::value dep = json::parse(
      R"({"metadata":{"annotations":{"deployment.kubernetes.io/revision":"2"}},
          "spec":{"template":{"spec":{"containers":[{"name":"c","image":"nginx:2"}]}}}})");
  json::value patch = json::parse(
      R"([{"op":"replace","path":"/spec/template","value":{"spec":{"containers":[{"name":"c","image":"nginx:1"}]}}},
          {"op":"replace","path":"/metadata/annotations","value":{"deployment.kubernetes.io/revision":"1"}}])");
  REQUIRE(ApplyJsonPatch(dep, patch).ok());
  CHECK(dep.at_pointer("/spec/template/spec/containers/0/image") == "nginx:1");
  CHECK(dep.at_pointer("/metadata/annotations/deployment.kubernetes.io~1revision") == "1");
}

}  // namespace kc::api
