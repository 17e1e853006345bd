#include "pkg/api/server_side_apply.h"

#include <doctest/doctest.h>

#include <string>
#include <vector>

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>

#include "pkg/api/managed_fields.h"
#include "pkg/api/managed_fields_entry.h"

namespace kc::api {
namespace {

constexpr char kT0[] = "2024-05-01T12:00:00Z";
constexpr char kT1[] = "2024-05-01T12:05:00Z";
constexpr char kT2[] = "2024-05-01T12:10:00Z";

boost::json::object Obj(const std::string& s) { return boost::json::parse(s).as_object(); }

// The manifest kubectl sends for `kubectl apply --server-side` (transcript "ssa").
std::string Manifest(int replicas, const std::string& image,
                     const std::string& labels = R"({"app":"web"})") {
  return R"({"apiVersion":"apps/v1","kind":"Deployment","metadata":{"labels":)" + labels +
         R"(,"name":"web","namespace":"default"},"spec":{"replicas":)" +
         std::to_string(replicas) +
         R"(,"selector":{"matchLabels":{"app":"web"}},"template":{"metadata":{"labels":)"
         R"({"app":"web"}},"spec":{"containers":[{"image":")" +
         image + R"(","name":"web"}]}}}})";
}

Result<boost::json::object> Apply(const boost::json::object* live, const std::string& config,
                                  const char* manager, bool force, const char* now) {
  return ServerSideApply(live, Obj(config), manager, force, "apps", "Deployment", "apps/v1", now);
}

// What the API server adds after an apply or write: identity, defaults, status.
boost::json::object Stored(boost::json::object obj, const char* rv) {
  auto& meta = obj["metadata"].as_object();
  meta["uid"] = "d395579c-de2d-4282-ace3-42217fedb5aa";
  meta["resourceVersion"] = rv;
  meta["creationTimestamp"] = kT0;
  meta["generation"] = 1;
  auto& c = obj["spec"].as_object()["template"].as_object()["spec"].as_object()["containers"]
                .as_array()[0]
                .as_object();
  if (!c.contains("imagePullPolicy")) c["imagePullPolicy"] = "IfNotPresent";
  obj["status"] = boost::json::parse(R"({"replicas":1})");
  return obj;
}

// A non-apply write through UpdateManagedFields.
boost::json::object Update(const boost::json::object& live, const char* manager, const char* now,
                           void (*mutate)(boost::json::object&)) {
  boost::json::object next = live;
  mutate(next);
  UpdateManagedFields(&live, next, manager, "apps/v1", "", now, "apps", "Deployment");
  return next;
}

boost::json::value& At(boost::json::object& obj, std::initializer_list<const char*> path) {
  boost::json::value* v = nullptr;
  boost::json::object* o = &obj;
  for (const char* p : path) {
    v = &(*o)[p];
    if (v->is_object()) o = &v->as_object();
  }
  return *v;
}

boost::json::value& Container(boost::json::object& obj, size_t i = 0) {
  return At(obj, {"spec", "template", "spec", "containers"}).as_array()[i];
}

std::vector<std::string> Managers(const boost::json::object& obj) {
  std::vector<std::string> out;
  for (const auto& e : ManagedFieldsOf(obj)) out.push_back(e.manager + "/" + e.operation);
  return out;
}

const ManagedFieldsEntry* Entry(const std::vector<ManagedFieldsEntry>& es, const char* manager) {
  for (const auto& e : es) {
    if (e.manager == manager) return &e;
  }
  return nullptr;
}

void SetReplicas5(boost::json::object& o) { o["spec"].as_object()["replicas"] = 5; }

}  // namespace

TEST_CASE("apply creates the object with one Apply entry") {
  auto created = Apply(nullptr, Manifest(3, "nginx:1.27"), "kubectl", false, kT0);
  REQUIRE(created.ok());
  auto obj = *created;
  auto& meta = obj["metadata"].as_object();
  auto mf = meta["managedFields"];
  meta.stable_erase("managedFields");
  CHECK(boost::json::serialize(obj) == boost::json::serialize(Obj(Manifest(3, "nginx:1.27"))));
  CHECK(boost::json::serialize(mf) ==
        R"([{"manager":"kubectl","operation":"Apply","apiVersion":"apps/v1",)"
        R"("time":"2024-05-01T12:00:00Z","fieldsType":"FieldsV1","fieldsV1":)"
        R"({"f:metadata":{"f:labels":{"f:app":{}}},"f:spec":{"f:replicas":{},"f:selector":{},)"
        R"("f:template":{"f:metadata":{"f:labels":{"f:app":{}}},"f:spec":{"f:containers":)"
        R"({"k:{\"name\":\"web\"}":{".":{},"f:image":{},"f:name":{}}}}}}}}])");
}

TEST_CASE("re-applying") {
  auto v1 = Stored(*Apply(nullptr, Manifest(3, "nginx:1.27"), "kubectl", false, kT0), "1");

  SUBCASE("a changed image updates only the image") {
    auto r = Apply(&v1, Manifest(3, "nginx:1.28"), "kubectl", false, kT1);
    REQUIRE(r.ok());
    auto v2 = *r;
    CHECK(Container(v2).as_object()["image"] == "nginx:1.28");
    CHECK(Container(v2).as_object()["imagePullPolicy"] == "IfNotPresent");  // default kept
    CHECK(At(v2, {"status", "replicas"}) == 1);
    CHECK(At(v2, {"metadata", "uid"}) == At(v1, {"metadata", "uid"}));
    CHECK(At(v2, {"spec", "replicas"}) == 3);
    auto es = ManagedFieldsOf(v2);
    REQUIRE(es.size() == 1);
    CHECK(es[0].time == kT1);
    // Everything but the image and managedFields is unchanged.
    At(v2, {"metadata"}).as_object().stable_erase("managedFields");
    auto v1_plain = v1;
    At(v1_plain, {"metadata"}).as_object().stable_erase("managedFields");
    Container(v2).as_object()["image"] = "nginx:1.27";
    CHECK(boost::json::serialize(v2) == boost::json::serialize(v1_plain));
  }

  SUBCASE("the same config twice is a no-op, managedFields included") {
    auto r = Apply(&v1, Manifest(3, "nginx:1.27"), "kubectl", false, kT1);
    REQUIRE(r.ok());
    CHECK(boost::json::serialize(*r) == boost::json::serialize(v1));
  }

  SUBCASE("creationTimestamp: null in the config keeps the live timestamp") {
    auto config = Obj(Manifest(3, "nginx:1.27"));
    At(config, {"metadata"}).as_object()["creationTimestamp"] = nullptr;
    auto r = ServerSideApply(&v1, config, "kubectl", false, "apps", "Deployment", "apps/v1", kT1);
    REQUIRE(r.ok());
    CHECK(boost::json::serialize(*r) == boost::json::serialize(v1));
  }

  SUBCASE("status in the config is ignored on the main resource") {
    auto config = Obj(Manifest(3, "nginx:1.27"));
    config["status"] = boost::json::parse(R"({"replicas":99})");
    auto r = ServerSideApply(&v1, config, "kubectl", false, "apps", "Deployment", "apps/v1", kT1);
    REQUIRE(r.ok());
    CHECK(At(*r, {"status", "replicas"}) == 1);
    CHECK(boost::json::serialize(*r) == boost::json::serialize(v1));
  }
}

TEST_CASE("fields dropped from the config are removed unless someone else owns them") {
  auto v1 = Stored(
      *Apply(nullptr, Manifest(3, "nginx:1.27", R"({"app":"web","tier":"fe"})"), "kubectl",
             false, kT0),
      "1");

  SUBCASE("nobody else owns it: removed") {
    auto r = Apply(&v1, Manifest(3, "nginx:1.27"), "kubectl", false, kT1);
    REQUIRE(r.ok());
    auto labels = At(*r, {"metadata", "labels"}).as_object();
    CHECK(labels.contains("app"));
    CHECK_FALSE(labels.contains("tier"));
    auto es = ManagedFieldsOf(*r);
    REQUIRE(es.size() == 1);
    CHECK_FALSE(es[0].fields.Has(MakeFieldPath({"metadata", "labels", "tier"})));
  }

  SUBCASE("another manager also set it: kept") {
    auto v2 = Update(v1, "kubectl-label", kT1, [](boost::json::object& o) {
      At(o, {"metadata", "labels"}).as_object()["tier"] = "backend";
    });
    auto r = Apply(&v2, Manifest(3, "nginx:1.27"), "kubectl", false, kT2);
    REQUIRE(r.ok());
    CHECK(At(*r, {"metadata", "labels"}).as_object()["tier"] == "backend");
  }

  SUBCASE("dropping the whole labels map keeps fields others own") {
    auto v2 = Update(v1, "kubectl-label", kT1, [](boost::json::object& o) {
      At(o, {"metadata", "labels"}).as_object()["team"] = "x";
    });
    auto config = Obj(Manifest(3, "nginx:1.27"));
    At(config, {"metadata"}).as_object().stable_erase("labels");
    auto r = ServerSideApply(&v2, config, "kubectl", false, "apps", "Deployment", "apps/v1", kT2);
    REQUIRE(r.ok());
    auto labels = At(*r, {"metadata", "labels"}).as_object();
    CHECK(labels.size() == 1);
    CHECK(labels["team"] == "x");
    CHECK(At(*r, {"metadata", "name"}) == "web");
  }

  SUBCASE("dropping a container removes only that container") {
    auto two = Obj(Manifest(3, "nginx:1.27"));
    At(two, {"spec", "template", "spec", "containers"}).as_array().push_back(
        boost::json::parse(R"({"name":"side","image":"busybox"})"));
    auto v2 = *ServerSideApply(&v1, two, "kubectl", false, "apps", "Deployment", "apps/v1", kT1);
    CHECK(At(v2, {"spec", "template", "spec", "containers"}).as_array().size() == 2);
    auto r = Apply(&v2, Manifest(3, "nginx:1.27"), "kubectl", false, kT2);
    REQUIRE(r.ok());
    auto containers = At(*r, {"spec", "template", "spec", "containers"}).as_array();
    REQUIRE(containers.size() == 1);
    CHECK(containers[0].as_object()["name"] == "web");
  }
}

TEST_CASE("conflicts with other managers") {
  auto v1 = Stored(*Apply(nullptr, Manifest(3, "nginx:1.27"), "kubectl", false, kT0), "1");
  auto v2 = Update(v1, "kubectl-edit", kT1, SetReplicas5);
  // The Update took .spec.replicas from the applier without a conflict.
  {
    auto es = ManagedFieldsOf(v2);
    REQUIRE(Entry(es, "kubectl") != nullptr);
    CHECK_FALSE(Entry(es, "kubectl")->fields.Has(MakeFieldPath({"spec", "replicas"})));
    CHECK(Entry(es, "kubectl-edit")->fields.Has(MakeFieldPath({"spec", "replicas"})));
  }

  SUBCASE("a different value conflicts") {
    auto r = Apply(&v2, Manifest(4, "nginx:1.27"), "kubectl", false, kT2);
    REQUIRE_FALSE(r.ok());
    const Status& s = r.status();
    CHECK(s.reason() == Reason::kConflict);
    CHECK(s.http_code() == 409);
    CHECK(s.message() ==
          "Apply failed with 1 conflict: conflict with \"kubectl-edit\" using apps/v1: "
          ".spec.replicas");
    REQUIRE(s.details().causes.size() == 1);
    CHECK(s.details().causes[0].reason == "FieldManagerConflict");
    CHECK(s.details().causes[0].message == "conflict with \"kubectl-edit\" using apps/v1");
    CHECK(s.details().causes[0].field == ".spec.replicas");
  }

  SUBCASE("the same value is shared, not a conflict") {
    auto r = Apply(&v2, Manifest(5, "nginx:1.27"), "kubectl", false, kT2);
    REQUIRE(r.ok());
    auto es = ManagedFieldsOf(*r);
    CHECK(Entry(es, "kubectl")->fields.Has(MakeFieldPath({"spec", "replicas"})));
    CHECK(Entry(es, "kubectl-edit")->fields.Has(MakeFieldPath({"spec", "replicas"})));
  }

  SUBCASE("force takes ownership") {
    auto r = Apply(&v2, Manifest(4, "nginx:1.27"), "kubectl", true, kT2);
    REQUIRE(r.ok());
    CHECK(At(*r, {"spec", "replicas"}) == 4);
    auto es = ManagedFieldsOf(*r);
    CHECK(Entry(es, "kubectl")->fields.Has(MakeFieldPath({"spec", "replicas"})));
    CHECK(Entry(es, "kubectl-edit") == nullptr);  // its only field moved away
    CHECK(Managers(*r) == std::vector<std::string>{"kubectl/Apply"});
  }

  SUBCASE("several conflicts are grouped by manager") {
    auto v3 = Update(v2, "kubectl-edit", kT2, [](boost::json::object& o) {
      Container(o).as_object()["image"] = "nginx:edited";
    });
    auto v4 = Update(v3, "kubectl-label", kT2, [](boost::json::object& o) {
      At(o, {"metadata", "labels"}).as_object()["app"] = "other";
    });
    auto r = Apply(&v4, Manifest(4, "nginx:1.27"), "kubectl", false, kT2);
    REQUIRE_FALSE(r.ok());
    CHECK(r.status().message() ==
          "Apply failed with 3 conflicts: conflicts with \"kubectl-edit\" using apps/v1:\n"
          "- .spec.replicas\n"
          "- .spec.template.spec.containers[name=\"web\"].image\n"
          "conflicts with \"kubectl-label\" using apps/v1:\n"
          "- .metadata.labels.app");
    REQUIRE(r.status().details().causes.size() == 3);
    CHECK(r.status().details().causes[1].field ==
          ".spec.template.spec.containers[name=\"web\"].image");
  }

  SUBCASE("a scale-subresource owner is named with its subresource") {
    boost::json::object next = v1;
    SetReplicas5(next);
    UpdateManagedFields(&v1, next, "kubectl-scale", "apps/v1", "scale", kT1, "apps",
                        "Deployment");
    auto r = Apply(&next, Manifest(3, "nginx:1.27"), "kubectl", false, kT2);
    REQUIRE_FALSE(r.ok());
    CHECK(r.status().message() ==
          "Apply failed with 1 conflict: conflict with \"kubectl-scale\" with subresource "
          "\"scale\" using apps/v1: .spec.replicas");
  }

  SUBCASE("another applier conflicts without a version") {
    auto r = Apply(&v1, Manifest(7, "nginx:1.27"), "other-tool", false, kT2);
    REQUIRE_FALSE(r.ok());
    CHECK(r.status().message() ==
          "Apply failed with 1 conflict: conflict with \"kubectl\": .spec.replicas");
  }
}

TEST_CASE("identity fields never conflict; created objects conflict per field") {
  boost::json::object created = Obj(Manifest(3, "nginx:1.27"));
  UpdateManagedFields(nullptr, created, "kubectl-create", "apps/v1", "", kT0, "apps",
                      "Deployment");
  auto v1 = Stored(created, "1");

  auto same = Apply(&v1, Manifest(3, "nginx:1.27"), "kubectl", false, kT1);
  REQUIRE(same.ok());
  CHECK(Managers(*same) == std::vector<std::string>{"kubectl/Apply", "kubectl-create/Update"});

  auto changed = Apply(&v1, Manifest(3, "nginx:1.28"), "kubectl", false, kT1);
  REQUIRE_FALSE(changed.ok());
  CHECK(changed.status().message() ==
        "Apply failed with 1 conflict: conflict with \"kubectl-create\" using apps/v1: "
        ".spec.template.spec.containers[name=\"web\"].image");
}

TEST_CASE("bad apply requests") {
  struct Case {
    const char* name;
    std::string config;
    const char* message;
  };
  auto with_mf = Obj(Manifest(1, "x"));
  At(with_mf, {"metadata"}).as_object()["managedFields"] = boost::json::array();
  Case cases[] = {
      {"version mismatch",
       R"({"apiVersion":"apps/v1beta1","kind":"Deployment","metadata":{"name":"web"}})",
       "Incorrect version specified in apply patch. Specified patch version: apps/v1beta1, "
       "expected: apps/v1"},
      {"managedFields in the patch", boost::json::serialize(with_mf),
       "metadata.managedFields must be nil"},
      {"container without a name",
       R"({"apiVersion":"apps/v1","kind":"Deployment","metadata":{"name":"web"},)"
       R"("spec":{"template":{"spec":{"containers":[{"image":"x"}]}}}})",
       "failed to create typed patch object (apps/v1, Kind=Deployment): "
       ".spec.template.spec.containers: element 0: associative list with keys has an element "
       "that omits key field \"name\" (and doesn't have default value)"},
  };
  for (const Case& c : cases) {
    SUBCASE(c.name) {
      auto r = Apply(nullptr, c.config, "kubectl", false, kT0);
      REQUIRE_FALSE(r.ok());
      CHECK(r.status().reason() == Reason::kBadRequest);
      CHECK(r.status().message() == c.message);
    }
  }
}

TEST_CASE("malformed live objects and configs never crash") {
  const char* lives[] = {
      R"({"metadata":"junk","spec":{}})",
      R"({"metadata":{"managedFields":"junk"},"spec":[1,2]})",
      R"({"metadata":{"managedFields":[{"manager":"x","operation":"Apply",)"
      R"("fieldsType":"FieldsV1","fieldsV1":{"nope":{}}}]}})",
      R"({"spec":{"template":{"spec":{"containers":[{"image":"a"},{"image":"b"},null,7]}}}})",
      R"({"spec":{"template":{"spec":{"containers":{"name":"web"}}}}})",
  };
  const char* configs[] = {
      R"({"apiVersion":"apps/v1","kind":"Deployment","metadata":{"name":"web"},)"
      R"("spec":{"template":{"spec":{"containers":[{"name":"web","image":"x"}]}}}})",
      R"({"apiVersion":"apps/v1","kind":"Deployment","spec":{"template":7}})",
      R"({"apiVersion":"apps/v1","kind":"Deployment","metadata":5})",
      R"({"apiVersion":"apps/v1","metadata":{"finalizers":[{"a":1}]}})",
  };
  for (const char* l : lives) {
    for (const char* c : configs) {
      auto live = Obj(l);
      auto r = Apply(&live, c, "kubectl", false, kT1);
      if (r.ok()) {
        CHECK(r->contains("metadata"));
      } else {
        CHECK(r.status().reason() == Reason::kBadRequest);
      }
      boost::json::object next = Obj(c);
      UpdateManagedFields(&live, next, "m", "apps/v1", "", kT1, "apps", "Deployment");
    }
  }
}

TEST_CASE("kubectl keeps an existing last-applied annotation in sync") {
  auto v1 = Stored(*Apply(nullptr, Manifest(3, "nginx:1.27"), "kubectl", false, kT0), "1");
  At(v1, {"metadata"}).as_object()["annotations"] = boost::json::parse(
      R"({"kubectl.kubernetes.io/last-applied-configuration":"{}\n","keep":"me"})");

  auto r = Apply(&v1, Manifest(2, "nginx:1.27"), "kubectl", false, kT1);
  REQUIRE(r.ok());
  auto ann = At(*r, {"metadata", "annotations"}).as_object();
  CHECK(ann["keep"] == "me");
  CHECK(ann["kubectl.kubernetes.io/last-applied-configuration"] ==
        R"({"apiVersion":"apps/v1","kind":"Deployment","metadata":{"labels":{"app":"web"},)"
        R"("name":"web","namespace":"default"},"spec":{"replicas":2,"selector":{"matchLabels":)"
        R"({"app":"web"}},"template":{"metadata":{"labels":{"app":"web"}},"spec":{"containers":)"
        R"([{"image":"nginx:1.27","name":"web"}]}}}})"
        "\n");

  auto other = Apply(&v1, Manifest(3, "nginx:1.27"), "someone-else", false, kT1);
  REQUIRE(other.ok());
  CHECK(At(*other, {"metadata", "annotations", "kubectl.kubernetes.io/last-applied-configuration"})
            .as_string() == "{}\n");
}

}  // namespace kc::api
