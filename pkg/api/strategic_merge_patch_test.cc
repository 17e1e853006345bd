#include "pkg/api/strategic_merge_patch.h"

#include <doctest/doctest.h>

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>

#include "pkg/api/field_set_path.h"  // JsonEqual

namespace kc::api {
namespace {

namespace json = boost::json;

constexpr char kDeployment[] = R"({
  "apiVersion":"apps/v1","kind":"Deployment",
  "metadata":{"name":"web","namespace":"default","labels":{"app":"web"},"finalizers":["a/x"]},
  "spec":{"replicas":1,"selector":{"matchLabels":{"app":"web"}},
    "strategy":{"type":"RollingUpdate","rollingUpdate":{"maxSurge":"25%","maxUnavailable":"25%"}},
    "template":{"metadata":{"labels":{"app":"web"}},
      "spec":{"containers":[
        {"name":"web","image":"nginx:1.25","imagePullPolicy":"IfNotPresent",
         "ports":[{"containerPort":80,"protocol":"TCP"}],
         "env":[{"name":"A","value":"1"},{"name":"B","value":"2"}],
         "volumeMounts":[{"name":"data","mountPath":"/data"}],
         "args":["--x","--y"]},
        {"name":"sidecar","image":"envoy:1"}],
        "volumes":[{"name":"data","emptyDir":{}}],
        "tolerations":[{"key":"k","operator":"Exists"}]}}},
  "status":{"conditions":[{"type":"Available","status":"True"},{"type":"Progressing","status":"True"}]}})";

struct Case {
  const char* name;
  const char* patch;
  const char* want_at;  // JSON pointer into the result
  const char* want;     // expected JSON at that pointer ("<absent>" when it must be missing)
};

void RunCases(const char* original, std::string_view group, std::string_view kind,
              const Case* cases, size_t n) {
  for (size_t i = 0; i < n; ++i) {
    const Case& c = cases[i];
    SUBCASE(c.name) {
      json::value doc = json::parse(original);
      Status s = ApplyStrategicMergePatch(doc, json::parse(c.patch), group, kind);
      REQUIRE_MESSAGE(s.ok(), s.ToString());
      std::error_code ec;
      const json::value* got = doc.find_pointer(c.want_at, ec);
      if (std::string_view(c.want) == "<absent>") {
        CHECK_MESSAGE(got == nullptr, json::serialize(doc));
        continue;
      }
      REQUIRE_MESSAGE(got != nullptr, json::serialize(doc));
      CHECK_MESSAGE(JsonEqual(*got, json::parse(c.want)), json::serialize(*got));
    }
  }
}

}  // namespace

TEST_CASE("strategic merge patch on a Deployment") {
  const Case cases[] = {
      {"kubectl apply keeps other container fields",
       R"({"metadata":{"annotations":{"kubectl.kubernetes.io/last-applied-configuration":"{}\n"}},
           "spec":{"replicas":3,"template":{"spec":{"$setElementOrder/containers":[{"name":"web"},{"name":"sidecar"}],
           "containers":[{"image":"nginx:1.26","name":"web"}]}}}})",
       "/spec/template/spec/containers",
       R"([{"name":"web","image":"nginx:1.26","imagePullPolicy":"IfNotPresent",
            "ports":[{"containerPort":80,"protocol":"TCP"}],
            "env":[{"name":"A","value":"1"},{"name":"B","value":"2"}],
            "volumeMounts":[{"name":"data","mountPath":"/data"}],"args":["--x","--y"]},
           {"name":"sidecar","image":"envoy:1"}])"},
      {"kubectl apply sets annotation and replicas",
       R"({"metadata":{"annotations":{"a":"b"}},"spec":{"replicas":3}})", "/metadata",
       R"({"name":"web","namespace":"default","labels":{"app":"web"},"finalizers":["a/x"],
           "annotations":{"a":"b"}})"},
      {"rollout restart adds a template annotation",
       R"({"spec":{"template":{"metadata":{"annotations":{"kubectl.kubernetes.io/restartedAt":"t"}}}}})",
       "/spec/template/metadata",
       R"({"labels":{"app":"web"},"annotations":{"kubectl.kubernetes.io/restartedAt":"t"}})"},
      {"rollout resume deletes with null", R"({"spec":{"paused":null,"replicas":null}})",
       "/spec/replicas", "<absent>"},
      {"delete a container by merge key",
       R"({"spec":{"template":{"spec":{"containers":[{"$patch":"delete","name":"sidecar"}]}}}})",
       "/spec/template/spec/containers/1", "<absent>"},
      {"a new container goes first without setElementOrder (as upstream)",
       R"({"spec":{"template":{"spec":{"containers":[{"name":"new","image":"busybox"}]}}}})",
       "/spec/template/spec/containers/0", R"({"name":"new","image":"busybox"})"},
      {"setElementOrder reorders",
       R"({"spec":{"template":{"spec":{"$setElementOrder/containers":[{"name":"sidecar"},{"name":"web"}]}}}})",
       "/spec/template/spec/containers/0/name", R"("sidecar")"},
      {"env merges by name",
       R"({"spec":{"template":{"spec":{"containers":[{"name":"web","env":[{"name":"B","value":"3"},{"name":"C","value":"4"}]}]}}}})",
       "/spec/template/spec/containers/0/env",
       R"([{"name":"A","value":"1"},{"name":"B","value":"3"},{"name":"C","value":"4"}])"},
      {"env element deleted",
       R"({"spec":{"template":{"spec":{"containers":[{"name":"web","env":[{"$patch":"delete","name":"A"}]}]}}}})",
       "/spec/template/spec/containers/0/env", R"([{"name":"B","value":"2"}])"},
      {"ports merge by containerPort",
       R"({"spec":{"template":{"spec":{"containers":[{"name":"web","ports":[{"containerPort":443}]}]}}}})",
       "/spec/template/spec/containers/0/ports",
       R"([{"containerPort":443},{"containerPort":80,"protocol":"TCP"}])"},
      {"volumeMounts merge by mountPath",
       R"({"spec":{"template":{"spec":{"containers":[{"name":"web","volumeMounts":[{"mountPath":"/data","readOnly":true}]}]}}}})",
       "/spec/template/spec/containers/0/volumeMounts",
       R"([{"name":"data","mountPath":"/data","readOnly":true}])"},
      {"args are replaced",
       R"({"spec":{"template":{"spec":{"containers":[{"name":"web","args":["--z"]}]}}}})",
       "/spec/template/spec/containers/0/args", R"(["--z"])"},
      {"tolerations are replaced",
       R"({"spec":{"template":{"spec":{"tolerations":[{"key":"other","operator":"Exists"}]}}}})",
       "/spec/template/spec/tolerations", R"([{"key":"other","operator":"Exists"}])"},
      {"retainKeys on the strategy",
       R"({"spec":{"strategy":{"$retainKeys":["type"],"type":"Recreate","rollingUpdate":null}}})",
       "/spec/strategy", R"({"type":"Recreate"})"},
      {"retainKeys in a volume",
       R"({"spec":{"template":{"spec":{"volumes":[{"name":"data","$retainKeys":["configMap","name"],"configMap":{"name":"cm"}}]}}}})",
       "/spec/template/spec/volumes", R"([{"name":"data","configMap":{"name":"cm"}}])"},
      {"patch replace on a list",
       R"({"spec":{"template":{"spec":{"containers":[{"name":"only","image":"i"},{"$patch":"replace"}]}}}})",
       "/spec/template/spec/containers", R"([{"name":"only","image":"i"}])"},
      {"patch replace on a map",
       R"({"spec":{"selector":{"$patch":"replace","matchLabels":{"x":"y"}}}})", "/spec/selector",
       R"({"matchLabels":{"x":"y"}})"},
      {"patch delete on a map", R"({"spec":{"template":{"metadata":{"$patch":"delete"}}}})",
       "/spec/template/metadata", "{}"},
      {"patch merge is the default",
       R"({"spec":{"selector":{"$patch":"merge","matchLabels":{"x":"y"}}}})",
       "/spec/selector/matchLabels", R"({"app":"web","x":"y"})"},
      {"finalizers are a union", R"({"metadata":{"finalizers":["b/y","a/x"]}})",
       "/metadata/finalizers", R"(["b/y","a/x"])"},
      {"deleteFromPrimitiveList", R"({"metadata":{"$deleteFromPrimitiveList/finalizers":["a/x"]}})",
       "/metadata/finalizers", "[]"},
      {"status conditions merge by type",
       R"({"status":{"conditions":[{"type":"Available","status":"False"}]}})", "/status/conditions",
       R"([{"type":"Available","status":"False"},{"type":"Progressing","status":"True"}])"},
      {"new list with directives is cleaned",
       R"({"spec":{"template":{"spec":{"$setElementOrder/initContainers":[{"name":"i"}],
           "initContainers":[{"name":"i","image":"busybox","env":[{"name":"X","value":"1"},{"$patch":"delete","name":"Y"}]}]}}}})",
       "/spec/template/spec/initContainers",
       R"([{"name":"i","image":"busybox","env":[{"name":"X","value":"1"}]}])"},
  };
  RunCases(kDeployment, "apps", "Deployment", cases, std::size(cases));
}

TEST_CASE("strategic merge patch path context per kind") {
  SUBCASE("Pod: kubectl edit body") {
    json::value pod = json::parse(
        R"({"spec":{"containers":[{"name":"c","image":"nginx:1","ports":[{"containerPort":80}]}]}})");
    json::value patch = json::parse(
        R"({"spec":{"$setElementOrder/containers":[{"name":"c"}],"containers":[{"image":"nginx:2","name":"c"}]}})");
    REQUIRE(ApplyStrategicMergePatch(pod, patch, "", "Pod").ok());
    CHECK(JsonEqual(
        pod,
        json::parse(
            R"({"spec":{"containers":[{"name":"c","image":"nginx:2","ports":[{"containerPort":80}]}]}})")));
  }
  SUBCASE("Pod: kubectl debug adds an ephemeral container") {
    json::value pod = json::parse(
        R"({"spec":{"containers":[{"name":"c"}],"ephemeralContainers":[{"name":"d1","image":"busybox"}]}})");
    REQUIRE(
        ApplyStrategicMergePatch(
            pod,
            json::parse(
                R"({"spec":{"ephemeralContainers":[{"name":"d2","image":"busybox","stdin":true}]}})"),
            "", "Pod")
            .ok());
    CHECK(pod.at_pointer("/spec/ephemeralContainers").as_array().size() == 2);
  }
  SUBCASE("CronJob: containers under jobTemplate merge by name") {
    json::value cj = json::parse(
        R"({"spec":{"jobTemplate":{"spec":{"template":{"spec":{"containers":[{"name":"c","image":"a","command":["x"]}]}}}}}})");
    REQUIRE(
        ApplyStrategicMergePatch(
            cj,
            json::parse(
                R"({"spec":{"jobTemplate":{"spec":{"template":{"spec":{"containers":[{"name":"c","image":"b"}]}}}}}})"),
            "batch", "CronJob")
            .ok());
    CHECK(JsonEqual(cj.at_pointer("/spec/jobTemplate/spec/template/spec/containers"),
                    json::parse(R"([{"name":"c","image":"b","command":["x"]}])")));
  }
  struct Workload {
    const char* group;
    const char* kind;
  };
  const Workload workloads[] = {{"apps", "ReplicaSet"},
                                {"apps", "StatefulSet"},
                                {"apps", "DaemonSet"},
                                {"batch", "Job"},
                                {"", "ReplicationController"}};
  for (const Workload& w : workloads) {
    SUBCASE(w.kind) {
      json::value obj = json::parse(
          R"({"spec":{"template":{"spec":{"containers":[{"name":"c","image":"a","tty":true}]}}}})");
      REQUIRE(
          ApplyStrategicMergePatch(
              obj,
              json::parse(
                  R"({"spec":{"template":{"spec":{"containers":[{"name":"c","image":"b"}]}}}})"),
              w.group, w.kind)
              .ok());
      CHECK(JsonEqual(obj.at_pointer("/spec/template/spec/containers"),
                      json::parse(R"([{"name":"c","image":"b","tty":true}])")));
    }
  }
  SUBCASE("unknown kind replaces lists") {
    json::value obj =
        json::parse(R"({"spec":{"containers":[{"name":"c","image":"a","tty":true}]}})");
    REQUIRE(ApplyStrategicMergePatch(
                obj, json::parse(R"({"spec":{"containers":[{"name":"c","image":"b"}]}})"),
                "example.com", "Widget")
                .ok());
    CHECK(JsonEqual(obj.at_pointer("/spec/containers"),
                    json::parse(R"([{"name":"c","image":"b"}])")));
  }
  SUBCASE("Node: cordon, conditions and addresses") {
    json::value node = json::parse(
        R"({"spec":{},"status":{"conditions":[{"type":"Ready","status":"False"},{"type":"DiskPressure","status":"False"}],
            "addresses":[{"type":"InternalIP","address":"10.0.0.1"}]}})");
    REQUIRE(ApplyStrategicMergePatch(node, json::parse(R"({"spec":{"unschedulable":true}})"), "",
                                     "Node")
                .ok());
    REQUIRE(ApplyStrategicMergePatch(
                node, json::parse(R"({"status":{"conditions":[{"type":"Ready","status":"True"}],
                                             "addresses":[{"type":"Hostname","address":"n1"}]}})"),
                "", "Node")
                .ok());
    CHECK(node.at_pointer("/spec/unschedulable") == true);
    CHECK(node.at_pointer("/status/conditions/0/status") == "True");
    CHECK(node.at_pointer("/status/conditions").as_array().size() == 2);
    CHECK(node.at_pointer("/status/addresses").as_array().size() == 2);
  }
  SUBCASE("Service: ports merge by port; ownerReferences by uid") {
    json::value svc = json::parse(
        R"({"metadata":{"ownerReferences":[{"uid":"1","name":"a"}]},
            "spec":{"ports":[{"port":80,"targetPort":8080},{"port":443}]}})");
    REQUIRE(ApplyStrategicMergePatch(
                svc, json::parse(R"({"metadata":{"ownerReferences":[{"uid":"2","name":"b"}]},
                                     "spec":{"ports":[{"port":80,"targetPort":9090}]}})"),
                "", "Service")
                .ok());
    CHECK(JsonEqual(svc.at_pointer("/spec/ports"),
                    json::parse(R"([{"port":80,"targetPort":9090},{"port":443}])")));
    CHECK(svc.at_pointer("/metadata/ownerReferences").as_array().size() == 2);
  }
}

TEST_CASE("setElementOrder keeps server-only elements in place") {
  json::value pod = json::parse(
      R"({"spec":{"containers":[{"name":"a","image":"1"},{"name":"injected","image":"x"},{"name":"b","image":"1"}]}})");
  json::value patch = json::parse(
      R"({"spec":{"$setElementOrder/containers":[{"name":"a"},{"name":"b"}],"containers":[{"name":"b","image":"2"}]}})");
  REQUIRE(ApplyStrategicMergePatch(pod, patch, "", "Pod").ok());
  CHECK(JsonEqual(
      pod.at_pointer("/spec/containers"),
      json::parse(
          R"([{"name":"a","image":"1"},{"name":"injected","image":"x"},{"name":"b","image":"2"}])")));
}

TEST_CASE("malformed strategic merge patches are rejected and leave the object unchanged") {
  struct Bad {
    const char* name;
    const char* patch;
    Reason reason;
  };
  const Bad cases[] = {
      {"not an object", "[1]", Reason::kBadRequest},
      {"element without merge key",
       R"({"spec":{"template":{"spec":{"containers":[{"image":"x"}]}}}})", Reason::kBadRequest},
      {"delete without merge key",
       R"({"spec":{"template":{"spec":{"containers":[{"$patch":"delete"}]}}}})",
       Reason::kBadRequest},
      {"unknown patch directive in a map", R"({"spec":{"$patch":"frob"}})", Reason::kBadRequest},
      {"unknown patch directive in a list",
       R"({"spec":{"template":{"spec":{"containers":[{"$patch":"frob","name":"web"}]}}}})",
       Reason::kBadRequest},
      {"setElementOrder not a list",
       R"({"spec":{"template":{"spec":{"$setElementOrder/containers":{"name":"web"}}}}})",
       Reason::kBadRequest},
      {"patch list out of setElementOrder order",
       R"({"spec":{"template":{"spec":{"$setElementOrder/containers":[{"name":"web"},{"name":"sidecar"}],
           "containers":[{"name":"sidecar","image":"s"},{"name":"web","image":"w"}]}}}})",
       Reason::kBadRequest},
      {"retainKeys not a list", R"({"spec":{"strategy":{"$retainKeys":"type"}}})",
       Reason::kBadRequest},
      {"retainKeys missing a patched key",
       R"({"spec":{"strategy":{"$retainKeys":["type"],"rollingUpdate":{"maxSurge":1}}}})",
       Reason::kBadRequest},
      {"deleteFromPrimitiveList not a list",
       R"({"metadata":{"$deleteFromPrimitiveList/finalizers":"a/x"}})", Reason::kBadRequest},
      {"list of lists in a merge list", R"({"metadata":{"finalizers":[["x"]]}})", Reason::kInvalid},
      {"mixed element kinds", R"({"metadata":{"finalizers":[{"a":1}]}})", Reason::kBadRequest},
  };
  for (const Bad& b : cases) {
    SUBCASE(b.name) {
      json::value doc = json::parse(kDeployment);
      Status s = ApplyStrategicMergePatch(doc, json::parse(b.patch), "apps", "Deployment");
      CHECK_FALSE(s.ok());
      CHECK(s.reason() == b.reason);
      CHECK(JsonEqual(doc, json::parse(kDeployment)));
    }
  }
}

TEST_CASE("CreateStrategicMergePatch round-trips") {
  json::value original = json::parse(kDeployment);
  const char* modifieds[] = {
      // container image changed, sidecar removed, new env, finalizer swapped, strategy switched
      R"({"apiVersion":"apps/v1","kind":"Deployment",
          "metadata":{"name":"web","namespace":"default","labels":{"app":"web"},"finalizers":["b/y"]},
          "spec":{"replicas":2,"selector":{"matchLabels":{"app":"web"}},"strategy":{"type":"Recreate"},
            "template":{"metadata":{"labels":{"app":"web"}},
              "spec":{"containers":[
                {"name":"web","image":"nginx:1.26","imagePullPolicy":"IfNotPresent",
                 "ports":[{"containerPort":80,"protocol":"TCP"}],
                 "env":[{"name":"B","value":"2"},{"name":"A","value":"1"},{"name":"C","value":"3"}],
                 "volumeMounts":[{"name":"data","mountPath":"/data"}],"args":["--x"]}],
                "volumes":[{"name":"data","configMap":{"name":"cm"}}],
                "tolerations":[{"key":"k","operator":"Exists"}]}}},
          "status":{"conditions":[{"type":"Progressing","status":"True"},{"type":"Available","status":"True"}]}})",
      // containers reordered, new one inserted in the middle
      R"({"apiVersion":"apps/v1","kind":"Deployment",
          "metadata":{"name":"web","namespace":"default","labels":{"app":"web"},"finalizers":["a/x"]},
          "spec":{"replicas":1,"selector":{"matchLabels":{"app":"web"}},
            "strategy":{"type":"RollingUpdate","rollingUpdate":{"maxSurge":"25%","maxUnavailable":"25%"}},
            "template":{"metadata":{"labels":{"app":"web"}},
              "spec":{"containers":[{"name":"sidecar","image":"envoy:2"},{"name":"new","image":"n"},
                {"name":"web","image":"nginx:1.25","imagePullPolicy":"IfNotPresent",
                 "ports":[{"containerPort":80,"protocol":"TCP"}],
                 "env":[{"name":"A","value":"1"},{"name":"B","value":"2"}],
                 "volumeMounts":[{"name":"data","mountPath":"/data"}],"args":["--x","--y"]}],
                "volumes":[{"name":"data","emptyDir":{}}],
                "tolerations":[{"key":"k","operator":"Exists"}]}}}})",
  };
  for (const char* m : modifieds) {
    SUBCASE(m) {
      json::value modified = json::parse(m);
      auto patch = CreateStrategicMergePatch(original, modified, "apps", "Deployment");
      REQUIRE(patch.ok());
      json::value doc = original;
      Status s = ApplyStrategicMergePatch(doc, *patch, "apps", "Deployment");
      REQUIRE_MESSAGE(s.ok(), (s.ToString() + " patch: " + json::serialize(*patch)));
      CHECK_MESSAGE(JsonEqual(doc, modified),
                    (json::serialize(doc) + "\npatch: " + json::serialize(*patch)));
    }
  }
  SUBCASE("equal objects give an empty patch") {
    auto patch = CreateStrategicMergePatch(original, original, "apps", "Deployment");
    REQUIRE(patch.ok());
    CHECK(patch->as_object().empty());
  }
  SUBCASE("the diff uses directives") {
    json::value modified = original;
    modified.at_pointer("/spec/template/spec/containers").as_array().pop_back();
    auto patch = CreateStrategicMergePatch(original, modified, "apps", "Deployment");
    REQUIRE(patch.ok());
    CHECK(JsonEqual(*patch, json::parse(R"({"spec":{"template":{"spec":{
        "containers":[{"name":"sidecar","$patch":"delete"}],
        "$setElementOrder/containers":[{"name":"web"}]}}}})")));
  }
}

}  // namespace kc::api

namespace kc::api {

// Vectors from upstream's strategicpatch tests, with their generic `mergingList` (merge key
// "name") played by Pod spec.containers and `mergingIntList` by metadata.finalizers.
TEST_CASE("upstream strategic merge patch vectors") {
  namespace json = boost::json;
  struct Vector {
    const char* name;
    const char* current;
    const char* patch;
    const char* want;  // nullptr: the patch must fail
  };
  const Vector vectors[] = {
      {"unique scalars when merging lists", R"({"metadata":{"finalizers":["1","2"]}})",
       R"({"metadata":{"finalizers":["2","3"]}})", R"({"metadata":{"finalizers":["1","2","3"]}})"},
      {"preserve the order from the patch",
       R"({"spec":{"containers":[{"name":"1"},{"name":"2","value":"b"},{"name":"3"}]}})",
       R"({"spec":{"containers":[{"name":"3","value":"c"},{"name":"1","value":"a"},{"name":"2","other":"x"}]}})",
       R"({"spec":{"containers":[{"name":"3","value":"c"},{"name":"1","value":"a"},{"name":"2","value":"b","other":"x"}]}})"},
      {"preserve the order from the patch 2",
       R"({"spec":{"containers":[{"name":"1"},{"name":"2","value":"b"},{"name":"3"}]}})",
       R"({"spec":{"containers":[{"name":"3","value":"c"},{"name":"1","value":"a"}]}})",
       R"({"spec":{"containers":[{"name":"2","value":"b"},{"name":"3","value":"c"},{"name":"1","value":"a"}]}})"},
      {"preserve the order in a primitive list", R"({"metadata":{"finalizers":["1","2","3"]}})",
       R"({"metadata":{"finalizers":["3","1"]}})", R"({"metadata":{"finalizers":["2","3","1"]}})"},
      {"setElementOrder names a missing item",
       R"({"spec":{"containers":[{"name":"1"},{"name":"3"}]}})",
       R"({"spec":{"$setElementOrder/containers":[{"name":"3"},{"name":"2"},{"name":"1"}],
                   "containers":[{"name":"3","value":"3"},{"name":"1","value":"1"}]}})",
       R"({"spec":{"containers":[{"name":"3","value":"3"},{"name":"1","value":"1"}]}})"},
      {"setElementOrder alone reorders a primitive list",
       R"({"metadata":{"finalizers":["1","3"]}})",
       R"({"metadata":{"$setElementOrder/finalizers":["3","2","1"]}})",
       R"({"metadata":{"finalizers":["3","1"]}})"},
      {"patch list out of setElementOrder order",
       R"({"spec":{"containers":[{"name":"1"},{"name":"3"},{"name":"2"}]}})",
       R"({"spec":{"$setElementOrder/containers":[{"name":"1"},{"name":"2"},{"name":"3"}],
                   "containers":[{"name":"3","value":"3"},{"name":"1","value":"1"}]}})",
       nullptr},
      {"missing merge key", R"({"spec":{"containers":[{"name":"1","value":"a"}]}})",
       R"({"spec":{"containers":[{"value":"b"}]}})", nullptr},
      {"delete items in a primitive list", R"({"metadata":{"finalizers":["1","2","3","3","4"]}})",
       R"({"metadata":{"$setElementOrder/finalizers":["1","2"],"$deleteFromPrimitiveList/finalizers":["3"]}})",
       R"({"metadata":{"finalizers":["1","2","4"]}})"},
      {"add and delete items in a primitive list",
       R"({"metadata":{"finalizers":["1","2","3","4"]}})",
       R"({"metadata":{"$setElementOrder/finalizers":["1","2","4"],"$deleteFromPrimitiveList/finalizers":["3"],"finalizers":["4"]}})",
       R"({"metadata":{"finalizers":["1","2","4"]}})"},
      {"merge lists of maps (three-way)",
       R"({"spec":{"containers":[{"name":"1","other":"a"},{"name":"2","value":"2","other":"b"}]}})",
       R"({"spec":{"$setElementOrder/containers":[{"name":"4"},{"name":"1"},{"name":"2"},{"name":"3"}],
                   "containers":[{"name":"4","value":"4"},{"name":"3","value":"3"}]}})",
       R"({"spec":{"containers":[{"name":"4","value":"4"},{"name":"1","other":"a"},{"name":"2","value":"2","other":"b"},{"name":"3","value":"3"}]}})"},
      {"merge lists of maps with conflict",
       R"({"spec":{"containers":[{"name":"1","other":"a"},{"name":"2","value":"3","other":"b"}]}})",
       R"({"spec":{"$setElementOrder/containers":[{"name":"1"},{"name":"2"},{"name":"3"}],
                   "containers":[{"name":"2","value":"2"},{"name":"3","value":"3"}]}})",
       R"({"spec":{"containers":[{"name":"1","other":"a"},{"name":"2","value":"2","other":"b"},{"name":"3","value":"3"}]}})"},
      {"delete all maps from a merging list",
       R"({"spec":{"containers":[{"name":"1"},{"name":"2"}]}})",
       R"({"spec":{"containers":[{"name":"1","$patch":"delete"},{"name":"2","$patch":"delete"}]}})",
       R"({"spec":{"containers":[]}})"},
      {"delete all items with replace", R"({"spec":{"containers":[{"name":"1"},{"name":"2"}]}})",
       R"({"spec":{"containers":[{"$patch":"replace"}]}})", R"({"spec":{"containers":[]}})"},
      {"delete map from nested map", R"({"metadata":{"labels":{"k1":"1","k2":"1"}}})",
       R"({"metadata":{"labels":{"$patch":"delete"}}})", R"({"metadata":{"labels":{}}})"},
      {"add key and delete all keys from map", R"({"name":"1","value":"1"})",
       R"({"other":"a","$patch":"replace"})", R"({"other":"a"})"},
      {"null values are not stored", R"({"name":"2"})", R"({"name":"1","value":"1","other":null})",
       R"({"name":"1","value":"1"})"},
  };
  for (const Vector& v : vectors) {
    SUBCASE(v.name) {
      json::value doc = json::parse(v.current);
      Status s = ApplyStrategicMergePatch(doc, json::parse(v.patch), "", "Pod");
      if (!v.want) {
        CHECK_FALSE(s.ok());
        CHECK(JsonEqual(doc, json::parse(v.current)));
        continue;
      }
      REQUIRE_MESSAGE(s.ok(), s.ToString());
      CHECK_MESSAGE(JsonEqual(doc, json::parse(v.want)), json::serialize(doc));
    }
  }
}

}  // namespace kc::api
