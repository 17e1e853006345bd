#include "pkg/api/json_path.h"

#include <doctest/doctest.h>

#include <boost/json/parse.hpp>

namespace kc::api {

TEST_CASE("dotted lookups and typed getters") {
  boost::json::value v = boost::json::parse(
      R"({"metadata":{"name":"web","generation":3},"spec":{"containers":[{"image":"nginx"}]}})");
  const boost::json::object& o = v.as_object();
  struct Case {
    const char* path;
    const char* want;  // serialized string value, nullptr when missing
  };
  const Case cases[] = {
      {"metadata.name", "web"},       {"spec.containers.0.image", "nginx"},
      {"spec.containers.1", nullptr}, {"spec.containers.x", nullptr},
      {"metadata.name.x", nullptr},   {"nope", nullptr},
  };
  for (const Case& c : cases) {
    SUBCASE(c.path) {
      const boost::json::value* got = Lookup(v, c.path);
      if (!c.want) {
        CHECK(got == nullptr);
      } else {
        REQUIRE(got != nullptr);
        CHECK(got->as_string() == c.want);
        CHECK(Lookup(o, c.path) == got);
      }
    }
  }
  CHECK(Lookup(v, "") == &v);
  CHECK(GetString(o, "metadata").empty());
  const boost::json::object* meta = GetObject(o, "metadata");
  REQUIRE(meta != nullptr);
  CHECK(GetString(*meta, "name") == "web");
  CHECK(GetInt64(*meta, "generation") == 3);
  CHECK(GetInt64(*meta, "name", -1) == -1);
  CHECK(GetArray(o, "metadata") == nullptr);
  CHECK(GetArray(*GetObject(o, "spec"), "containers")->size() == 1);

  boost::json::object m;
  EnsureObject(m, "a")["b"] = 1;
  EnsureObject(m, "a")["c"] = 2;
  CHECK(m.at("a").as_object().size() == 2);
}

}  // namespace kc::api
