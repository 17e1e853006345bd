#include "pkg/api/field_set_compare.h"

#include <doctest/doctest.h>

#include <string>
#include <vector>

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>

#include "pkg/api/managed_fields_entry.h"

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

namespace kc::api {
namespace {

// What AddedFieldsV1 must equal: the same answer through FieldSets.
std::string SlowCreateFieldsV1(const boost::json::object& obj, const char* group, const char* kind,
                               const FieldSet& without, const FieldSet& without_beneath) {
  FieldSet added = CompareObjects(nullptr, &obj, group, kind).added;
  return boost::json::serialize(
      added.Difference(without).RecursiveDifference(without_beneath).ToFieldsV1());
}

}  // namespace

TEST_CASE("AddedFieldsV1 equals the FieldSet computation byte for byte") {
  struct Case {
    const char* group;
    const char* kind;
    const char* json;
  };
  Case cases[] = {
      {"", "ConfigMap",
       R"({"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"c","namespace":"d","uid":"u",
          "creationTimestamp":"t","labels":{"b":"1","a":"2"},"annotations":{}},
          "data":{"z":"1","payload":"x"},"binaryData":{}})"},
      {"apps", "Deployment",
       R"({"apiVersion":"apps/v1","kind":"Deployment","metadata":{"name":"web","generation":1,
          "finalizers":["b.io/x","a.io/y"],"managedFields":[{"manager":"m"}]},
          "spec":{"replicas":3,"selector":{"matchLabels":{"app":"web"}},
          "template":{"metadata":{"labels":{"app":"web"}},"spec":{"containers":[
            {"name":"web","image":"nginx","ports":[{"containerPort":443,"protocol":"TCP"},
              {"containerPort":80,"protocol":"TCP"},{"containerPort":80,"protocol":"UDP"}],
             "env":[{"name":"B","value":"1"},{"name":"A","valueFrom":{"fieldRef":{"fieldPath":"x"}}}],
             "resources":{"limits":{"cpu":"1"}},"args":["a","b"],"volumeMounts":[]},
            {"name":"side","image":"busybox","ports":[]}],
            "volumes":[{"name":"data","emptyDir":{}}],"nodeSelector":{"k":"v"},
            "tolerations":[{"key":"k","operator":"Exists"}]}},
          "strategy":{"type":"RollingUpdate","rollingUpdate":{"maxSurge":"25%"}}},
          "status":{"replicas":3,"conditions":[{"type":"Available","status":"True"}]}})"},
      {"", "Service",
       R"({"metadata":{"name":"s"},"spec":{"type":"ClusterIP","selector":{"app":"x"},
          "ports":[{"port":443,"protocol":"TCP","targetPort":8443},{"port":80,"protocol":"TCP",
          "name":"http","targetPort":"web"}],"clusterIPs":["10.0.0.1"],"sessionAffinity":null}})"},
      {"", "Pod",
       R"({"metadata":{"name":"p"},"spec":{"containers":[{"name":"a","image":"x"},
          {"name":"a","image":"dup-key"}],"initContainers":[{"image":"no-name"}],
          "volumes":[],"hostAliases":[{"ip":"1.2.3.4","hostnames":["h"]}],
          "readinessGates":[{"conditionType":"x"}]},"status":{"phase":"Pending"}})"},
      {"", "Node", R"({"metadata":{"name":"n","labels":{}},"spec":{"taints":[{"key":"a","effect":
          "NoSchedule"}],"podCIDRs":["10.0.0.0/24"]},"status":{"capacity":{"cpu":"2"}}})"},
      {"", "ConfigMap", R"({"metadata":{"name":"only-server-fields","namespace":"d"}})"},
      {"", "ConfigMap", R"({})"},
  };
  FieldSet status;
  status.Insert(MakeFieldPath({"status"}));
  FieldSet beneath = ServerOwnedSubtrees().Union(status);
  for (const Case& c : cases) {
    SUBCASE(c.json) {
      boost::json::object obj = boost::json::parse(c.json).as_object();
      std::string want = SlowCreateFieldsV1(obj, c.group, c.kind, ServerOwnedFields(), beneath);
      CHECK(boost::json::serialize(
                AddedFieldsV1(obj, c.group, c.kind, ServerOwnedFields(), beneath)) == want);
      // Nothing left out: still the same as the whole added set.
      CHECK(boost::json::serialize(AddedFieldsV1(obj, c.group, c.kind, {}, {})) ==
            SlowCreateFieldsV1(obj, c.group, c.kind, {}, {}));
    }
  }
}

}  // namespace kc::api
