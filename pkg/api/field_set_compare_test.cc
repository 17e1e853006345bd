#include "pkg/api/field_set_compare.h"

#include <doctest/doctest.h>

#include <string>
#include <vector>

#include <boost/json/parse.hpp>

namespace kc::api {
namespace {

using Paths = std::vector<std::string>;

FieldSetComparison Diff(const char* old_json, const char* new_json, const char* kind = "Pod") {
  boost::json::object o, n;
  if (old_json != nullptr) o = boost::json::parse(old_json).as_object();
  n = boost::json::parse(new_json).as_object();
  return CompareObjects(old_json != nullptr ? &o : nullptr, &n, "", kind);
}

}  // namespace

TEST_CASE("CompareObjects") {
  struct Case {
    const char* name;
    const char* old_json;  // nullptr: create
    const char* new_json;
    Paths added, modified, removed;
  };
  Case cases[] = {
      {"no change", R"({"spec":{"a":1}})", R"({"spec":{"a":1}})", {}, {}, {}},
      {"number representations are equal", R"({"spec":{"a":1}})", R"({"spec":{"a":1.0}})", {},
       {}, {}},
      {"scalar modified", R"({"spec":{"a":1}})", R"({"spec":{"a":2}})", {}, {".spec.a"}, {}},
      {"scalar added and removed", R"({"spec":{"a":1}})", R"({"spec":{"b":1}})", {".spec.b"}, {},
       {".spec.a"}},
      {"create adds everything; labels map added as a whole", nullptr,
       R"({"metadata":{"labels":{"app":"x"}},"spec":{"a":1}})",
       {".metadata.labels", ".metadata.labels.app", ".spec.a"}, {}, {}},
      {"labels removed as a whole", R"({"metadata":{"labels":{"app":"x"}}})",
       R"({"metadata":{}})", {}, {}, {".metadata.labels", ".metadata.labels.app"}},
      {"keyed item added", R"({"spec":{"containers":[{"name":"a","image":"1"}]}})",
       R"({"spec":{"containers":[{"name":"a","image":"1"},{"name":"b","image":"2"}]}})",
       {".spec.containers[name=\"b\"]", ".spec.containers[name=\"b\"].image",
        ".spec.containers[name=\"b\"].name"},
       {}, {}},
      {"keyed item reordered is no change",
       R"({"spec":{"containers":[{"name":"a"},{"name":"b"}]}})",
       R"({"spec":{"containers":[{"name":"b"},{"name":"a"}]}})", {}, {}, {}},
      {"keyed item field modified", R"({"spec":{"containers":[{"name":"a","image":"1"}]}})",
       R"({"spec":{"containers":[{"name":"a","image":"2"}]}})", {},
       {".spec.containers[name=\"a\"].image"}, {}},
      {"keyed item removed", R"({"spec":{"containers":[{"name":"a","image":"1"}]}})",
       R"({"spec":{"containers":[]}})", {}, {},
       {".spec.containers[name=\"a\"]", ".spec.containers[name=\"a\"].image",
        ".spec.containers[name=\"a\"].name"}},
      {"atomic list is one leaf", R"({"spec":{"containers":[{"name":"a","args":["x"]}]}})",
       R"({"spec":{"containers":[{"name":"a","args":["x","y"]}]}})", {},
       {".spec.containers[name=\"a\"].args"}, {}},
      {"atomic map is one leaf", R"({"spec":{"nodeSelector":{"a":"1"}}})",
       R"({"spec":{"nodeSelector":{"a":"1","b":"2"}}})", {}, {".spec.nodeSelector"}, {}},
      {"set members", R"({"metadata":{"finalizers":["a","b"]}})",
       R"({"metadata":{"finalizers":["b","c"]}})", {".metadata.finalizers[=\"c\"]"}, {},
       {".metadata.finalizers[=\"a\"]"}},
      {"empty map appears", R"({"spec":{}})", R"({"spec":{"securityContext":{}}})",
       {".spec.securityContext"}, {}, {}},
      {"type change is a modification", R"({"spec":{"a":"x"}})", R"({"spec":{"a":{"b":1}}})", {},
       {".spec.a"}, {}},
      {"null vs absent", R"({"spec":{}})", R"({"spec":{"a":null}})", {".spec.a"}, {}, {}},
  };
  for (const Case& c : cases) {
    SUBCASE(c.name) {
      FieldSetComparison got = Diff(c.old_json, c.new_json);
      CHECK(got.added.ToStrings() == c.added);
      CHECK(got.modified.ToStrings() == c.modified);
      CHECK(got.removed.ToStrings() == c.removed);
      CHECK(got.Empty() == (c.added.empty() && c.modified.empty() && c.removed.empty()));
    }
  }
}

TEST_CASE("CompareObjects filter drops whole subtrees") {
  FieldSetComparison got = Diff(R"({"spec":{"a":1},"status":{"x":1}})",
                                R"({"spec":{"a":2},"status":{"x":2,"y":{"z":1}}})");
  CHECK(got.added.Size() == 1);
  FieldSet status;
  status.Insert(MakeFieldPath({"status"}));
  got.Filter(status);
  CHECK(got.added.Empty());
  CHECK(got.modified.ToStrings() == Paths{".spec.a"});
}

}  // namespace kc::api
