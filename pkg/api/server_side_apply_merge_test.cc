#include "pkg/api/server_side_apply_merge.h"

#include <doctest/doctest.h>

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>

namespace kc::api {
namespace {

boost::json::object Obj(const char* s) { return boost::json::parse(s).as_object(); }

std::string Merge(const char* live, const char* applied, const char* kind = "Pod") {
  return boost::json::serialize(
      MergeAppliedConfig(Obj(live), Obj(applied), SchemaScope{"", kind}));
}

}  // namespace

TEST_CASE("MergeAppliedConfig") {
  struct Case {
    const char* name;
    const char* live;
    const char* applied;
    const char* want;
  };
  Case cases[] = {
      {"scalars replaced, others kept", R"({"a":1,"b":2})", R"({"a":3})", R"({"a":3,"b":2})"},
      {"structs merge", R"({"spec":{"x":1,"y":{"z":1}}})", R"({"spec":{"y":{"w":2}}})",
       R"({"spec":{"x":1,"y":{"z":1,"w":2}}})"},
      {"null removes", R"({"spec":{"x":1,"y":2}})", R"({"spec":{"x":null}})",
       R"({"spec":{"y":2}})"},
      {"nulls inside new subtrees dropped", R"({})", R"({"spec":{"x":{"a":null,"b":1}}})",
       R"({"spec":{"x":{"b":1}}})"},
      {"atomic map replaced", R"({"spec":{"nodeSelector":{"a":"1"}}})",
       R"({"spec":{"nodeSelector":{"b":"2"}}})", R"({"spec":{"nodeSelector":{"b":"2"}}})"},
      {"atomic list replaced", R"({"spec":{"tolerations":[{"key":"a"}]}})",
       R"({"spec":{"tolerations":[{"key":"b"}]}})", R"({"spec":{"tolerations":[{"key":"b"}]}})"},
      {"keyed items merge by key", R"({"spec":{"containers":[{"name":"a","image":"1","x":1}]}})",
       R"({"spec":{"containers":[{"name":"a","image":"2"}]}})",
       R"({"spec":{"containers":[{"name":"a","image":"2","x":1}]}})"},
      {"live-only items stay, new ones appended",
       R"({"spec":{"containers":[{"name":"side"},{"name":"a"}]}})",
       R"({"spec":{"containers":[{"name":"a"},{"name":"b"}]}})",
       R"({"spec":{"containers":[{"name":"side"},{"name":"a"},{"name":"b"}]}})"},
      {"shared items follow the applied order",
       R"({"spec":{"containers":[{"name":"a"},{"name":"x"},{"name":"b"}]}})",
       R"({"spec":{"containers":[{"name":"b"},{"name":"a"}]}})",
       R"({"spec":{"containers":[{"name":"b"},{"name":"x"},{"name":"a"}]}})"},
      {"container ports keyed with defaulted protocol",
       R"({"spec":{"containers":[{"name":"a","ports":[{"containerPort":80,"protocol":"TCP","name":"http"}]}]}})",
       R"({"spec":{"containers":[{"name":"a","ports":[{"containerPort":80,"hostPort":8080}]}]}})",
       R"({"spec":{"containers":[{"name":"a","ports":[{"containerPort":80,"protocol":"TCP","name":"http","hostPort":8080}]}]}})"},
      {"sets union by value", R"({"metadata":{"finalizers":["a","b"]}})",
       R"({"metadata":{"finalizers":["c","a"]}})",
       R"({"metadata":{"finalizers":["c","a","b"]}})"},
      {"live list with bad keys is replaced", R"({"spec":{"containers":[{"image":"x"}]}})",
       R"({"spec":{"containers":[{"name":"a"}]}})", R"({"spec":{"containers":[{"name":"a"}]}})"},
      {"list where live has a scalar", R"({"spec":{"containers":"junk"}})",
       R"({"spec":{"containers":[{"name":"a"}]}})", R"({"spec":{"containers":[{"name":"a"}]}})"},
  };
  for (const Case& c : cases) {
    SUBCASE(c.name) { CHECK(Merge(c.live, c.applied) == c.want); }
  }
}

TEST_CASE("RemoveFieldPaths") {
  auto obj = Obj(R"({"metadata":{"labels":{"a":"1","b":"2"},"finalizers":["x","y"]},
                     "spec":{"containers":[{"name":"a","image":"1"},{"name":"b","image":"2"}],
                             "ports":[{"port":80,"protocol":"TCP"}]}})");
  FieldSet remove;
  remove.Insert(MakeFieldPath({"metadata", "labels", "a"}));
  remove.Insert({PathElement::Field("metadata"), PathElement::Field("finalizers"),
                 PathElement::Value(boost::json::value("x"))});
  remove.Insert({PathElement::Field("spec"), PathElement::Field("containers"),
                 PathElement::Key({{"name", boost::json::value("b")}})});
  remove.Insert({PathElement::Field("spec"), PathElement::Field("containers"),
                 PathElement::Key({{"name", boost::json::value("a")}}),
                 PathElement::Field("image")});
  // Resolves through the defaulted key and removes the item.
  remove.Insert({PathElement::Field("spec"), PathElement::Field("ports"),
                 PathElement::Key({{"port", boost::json::value(80)},
                                   {"protocol", boost::json::value("TCP")}})});
  // Paths that do not resolve are ignored.
  remove.Insert(MakeFieldPath({"spec", "missing", "deep"}));
  remove.Insert({PathElement::Field("spec"), PathElement::Field("containers"),
                 PathElement::Key({{"name", boost::json::value("zzz")}})});
  RemoveFieldPaths(obj, remove, SchemaScope{"", "Service"});
  CHECK(boost::json::serialize(obj) ==
        R"({"metadata":{"labels":{"b":"2"},"finalizers":["y"]},)"
        R"("spec":{"containers":[{"name":"a"}],"ports":[]}})");
}

}  // namespace kc::api
