#include "pkg/api/managed_fields.h"

#include <doctest/doctest.h>

#include <string>

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>

#include "pkg/api/managed_fields_entry.h"

namespace kc::api {
namespace {

constexpr char kT0[] = "2024-05-01T12:00:00Z";
constexpr char kT1[] = "2024-05-01T12:05:00Z";

boost::json::object Obj(const char* s) { return boost::json::parse(s).as_object(); }

const char* kDeployment = R"({
  "apiVersion": "apps/v1", "kind": "Deployment",
  "metadata": {"name": "web", "namespace": "default", "uid": "u1", "resourceVersion": "5",
               "generation": 1, "creationTimestamp": "2024-05-01T12:00:00Z",
               "labels": {"app": "web"}},
  "spec": {"replicas": 1, "selector": {"matchLabels": {"app": "web"}},
           "template": {"metadata": {"labels": {"app": "web"}},
                        "spec": {"containers": [{"name": "web", "image": "nginx:1.27"}]}}},
  "status": {"replicas": 1}
})";

// Applies a write: old -> new via UpdateManagedFields.
boost::json::object Write(const boost::json::object* old_obj, boost::json::object next,
                          const char* manager, const char* now, const char* subresource = "") {
  UpdateManagedFields(old_obj, next, manager, "apps/v1", subresource, now, "apps", "Deployment");
  return next;
}

std::vector<ManagedFieldsEntry> Entries(const boost::json::object& obj) {
  return ManagedFieldsOf(obj);
}

const ManagedFieldsEntry* Find(const std::vector<ManagedFieldsEntry>& es, const char* manager) {
  for (const auto& e : es) {
    if (e.manager == manager) return &e;
  }
  return nullptr;
}

std::string FieldsJson(const ManagedFieldsEntry& e) {
  return boost::json::serialize(e.fields.ToFieldsV1());
}

}  // namespace

TEST_CASE("create records every field but server-owned metadata and status") {
  auto created = Write(nullptr, Obj(kDeployment), "kubectl-create", kT0);
  const auto& mf = created["metadata"].as_object()["managedFields"].as_array();
  REQUIRE(mf.size() == 1);
  CHECK(boost::json::serialize(mf[0]) ==
        R"({"manager":"kubectl-create","operation":"Update","apiVersion":"apps/v1",)"
        R"("time":"2024-05-01T12:00:00Z","fieldsType":"FieldsV1","fieldsV1":)"
        R"({"f:metadata":{"f:labels":{".":{},"f:app":{}}},"f:spec":{"f:replicas":{},)"
        R"("f:selector":{},"f:template":{"f:metadata":{"f:labels":{".":{},"f:app":{}}},)"
        R"("f:spec":{"f:containers":{"k:{\"name\":\"web\"}":{".":{},"f:image":{},)"
        R"("f:name":{}}}}}}}})");
}

TEST_CASE("updates take changed fields from other managers") {
  auto v1 = Write(nullptr, Obj(kDeployment), "kubectl-create", kT0);

  SUBCASE("changed field moves to the new manager") {
    auto next = v1;
    next["spec"].as_object()["replicas"] = 5;
    auto v2 = Write(&v1, next, "kubectl-edit", kT1);
    auto es = Entries(v2);
    REQUIRE(es.size() == 2);
    const auto* edit = Find(es, "kubectl-edit");
    REQUIRE(edit != nullptr);
    CHECK(edit->operation == "Update");
    CHECK(edit->time == kT1);
    CHECK(FieldsJson(*edit) == R"({"f:spec":{"f:replicas":{}}})");
    const auto* create = Find(es, "kubectl-create");
    REQUIRE(create != nullptr);
    CHECK_FALSE(create->fields.Has(MakeFieldPath({"spec", "replicas"})));
    CHECK(create->time == kT0);
    // Encoded in upstream order: by operation, then time.
    const auto& mf = v2["metadata"].as_object()["managedFields"].as_array();
    CHECK(mf[0].as_object().at("manager") == "kubectl-create");
    CHECK(mf[1].as_object().at("manager") == "kubectl-edit");
  }

  SUBCASE("a write changing nothing leaves managedFields alone") {
    auto v2 = Write(&v1, v1, "kubectl-edit", kT1);
    CHECK(boost::json::serialize(v2) == boost::json::serialize(v1));
  }

  SUBCASE("request without managedFields keeps the live ones") {
    auto next = v1;
    next["metadata"].as_object().stable_erase("managedFields");
    next["spec"].as_object()["replicas"] = 2;
    auto es = Entries(Write(&v1, next, "kubectl-edit", kT1));
    CHECK(es.size() == 2);
    CHECK(Find(es, "kubectl-create") != nullptr);
  }

  SUBCASE("the same manager's entry grows and keeps one entry") {
    auto next = v1;
    next["spec"].as_object()["replicas"] = 2;
    auto v2 = Write(&v1, next, "kubectl-create", kT1);
    auto es = Entries(v2);
    REQUIRE(es.size() == 1);
    CHECK(es[0].time == kT1);
    CHECK(es[0].fields.Has(MakeFieldPath({"spec", "replicas"})));
    CHECK(es[0].fields.Has(MakeFieldPath({"metadata", "labels", "app"})));
  }

  SUBCASE("removed fields leave every entry and empty entries are dropped") {
    auto next = v1;
    next["spec"].as_object()["replicas"] = 5;
    auto v2 = Write(&v1, next, "kubectl-scale", kT1);
    auto next3 = v2;
    next3["spec"].as_object().erase("replicas");
    auto es = Entries(Write(&v2, next3, "kubectl-edit", kT1));
    CHECK(Find(es, "kubectl-scale") == nullptr);
    CHECK(Find(es, "kubectl-edit") == nullptr);  // removing a field owns nothing
    REQUIRE(Find(es, "kubectl-create") != nullptr);
  }

  SUBCASE("main-resource writes do not own status") {
    auto next = v1;
    next["status"].as_object()["replicas"] = 3;
    auto es = Entries(Write(&v1, next, "kubectl-edit", kT1));
    CHECK(Find(es, "kubectl-edit") == nullptr);
  }

  SUBCASE("status writes own status, recorded with the subresource") {
    auto next = v1;
    next["status"].as_object()["readyReplicas"] = 1;
    next["spec"].as_object()["replicas"] = 9;  // ignored on /status
    auto v2 = Write(&v1, next, "kube-controller-manager", kT1, "status");
    auto es = Entries(v2);
    const auto* kcm = Find(es, "kube-controller-manager");
    REQUIRE(kcm != nullptr);
    CHECK(kcm->subresource == "status");
    CHECK(FieldsJson(*kcm) == R"({"f:status":{"f:readyReplicas":{}}})");
    const auto& mf = v2["metadata"].as_object()["managedFields"].as_array();
    CHECK(mf[1].as_object().at("subresource") == "status");
    CHECK_FALSE(mf[0].as_object().contains("subresource"));
  }
}

TEST_CASE("incoming managedFields: reset, replace, invalid") {
  auto v1 = Write(nullptr, Obj(kDeployment), "kubectl-create", kT0);
  struct Case {
    const char* name;
    const char* managed_fields;
    bool change;
    std::vector<std::string> managers;
  };
  Case cases[] = {
      {"[] resets; nothing changed leaves none", "[]", false, {}},
      {"[{}] resets; change records only this write", "[{}]", true, {"kubectl-edit"}},
      {"valid list replaces",
       R"([{"manager":"migrated","operation":"Apply","apiVersion":"apps/v1",)"
       R"("fieldsType":"FieldsV1","fieldsV1":{"f:spec":{"f:replicas":{}}}}])",
       false,
       {"migrated"}},
      {"invalid list falls back to live",
       R"([{"manager":"x","operation":"Sideways","fieldsType":"FieldsV1","fieldsV1":{}}])", false,
       {"kubectl-create"}},
  };
  for (const Case& c : cases) {
    SUBCASE(c.name) {
      auto next = v1;
      next["metadata"].as_object()["managedFields"] = boost::json::parse(c.managed_fields);
      if (c.change) next["spec"].as_object()["replicas"] = 7;
      auto out = Write(&v1, next, "kubectl-edit", kT1);
      std::vector<std::string> got;
      for (const auto& e : Entries(out)) got.push_back(e.manager);
      CHECK(got == c.managers);
      CHECK(out["metadata"].as_object().contains("managedFields") == !c.managers.empty());
    }
  }

  SUBCASE("subresource writes ignore incoming managedFields") {
    auto next = v1;
    next["metadata"].as_object()["managedFields"] = boost::json::array();
    next["status"].as_object()["replicas"] = 2;
    auto es = Entries(Write(&v1, next, "kcm", kT1, "status"));
    CHECK(es.size() == 2);
  }
}

TEST_CASE("at most ten Update managers; older ones fold into ancient-changes") {
  auto obj = Write(nullptr, Obj(kDeployment), "m00", "2024-05-01T12:00:00Z");
  for (int i = 1; i <= 11; ++i) {
    auto next = obj;
    std::string key = "k" + std::to_string(i);
    next["metadata"].as_object()["labels"].as_object()[key] = "v";
    std::string manager = (i < 10 ? "m0" : "m") + std::to_string(i);
    std::string now = "2024-05-01T12:" + std::string(i < 10 ? "0" : "") + std::to_string(i) +
                      ":00Z";
    obj = Write(&obj, next, manager.c_str(), now.c_str());
  }
  auto es = Entries(obj);
  CHECK(es.size() == 10);
  const auto* ancient = Find(es, "ancient-changes");
  REQUIRE(ancient != nullptr);
  CHECK(Find(es, "m00") == nullptr);
  CHECK(Find(es, "m01") == nullptr);
  CHECK(Find(es, "m02") == nullptr);
  CHECK(ancient->fields.Has(MakeFieldPath({"spec", "replicas"})));       // from m00
  CHECK(ancient->fields.Has(MakeFieldPath({"metadata", "labels", "k2"})));  // from m02
  CHECK(Find(es, "m11") != nullptr);
}

TEST_CASE("managedFields entries decode, describe and reject junk") {
  auto ok = DecodeManagedFields(boost::json::parse(
      R"([{"manager":"kubectl","operation":"Apply","apiVersion":"apps/v1","time":"t",)"
      R"("fieldsType":"FieldsV1","fieldsV1":{"f:spec":{"f:replicas":{}}}},)"
      R"({"manager":"kubectl","operation":"Update","apiVersion":"apps/v1",)"
      R"("fieldsType":"FieldsV1","fieldsV1":{},"subresource":"scale"}])"));
  REQUIRE(ok.ok());
  REQUIRE(ok->size() == 2);
  CHECK((*ok)[0].Describe() == "\"kubectl\"");
  CHECK((*ok)[1].Describe() == "\"kubectl\" with subresource \"scale\" using apps/v1");
  CHECK_FALSE((*ok)[0].SameOwner((*ok)[1]));

  const char* bad[] = {
      R"({})",
      R"([1])",
      R"([{"manager":"a","operation":"Patch"}])",
      R"([{"manager":"a","operation":"Apply","fieldsType":"FieldsV2","fieldsV1":{}}])",
      R"([{"manager":"a","operation":"Apply","fieldsType":"FieldsV1","fieldsV1":{"q":{}}}])",
      R"([{"manager":"a","operation":"Apply"},{"manager":"a","operation":"Apply"}])",
      R"([{"manager":7,"operation":"Apply"}])",
  };
  for (const char* text : bad) {
    SUBCASE(text) {
      auto r = DecodeManagedFields(boost::json::parse(text));
      CHECK_FALSE(r.ok());
      CHECK(r.status().reason() == Reason::kBadRequest);
    }
  }
}

TEST_CASE("objects without metadata are left alone") {
  auto obj = Obj(R"({"kind":"X"})");
  UpdateManagedFields(nullptr, obj, "m", "v1", "", kT0, "", "X");
  CHECK(boost::json::serialize(obj) == R"({"kind":"X"})");
}

}  // namespace kc::api
