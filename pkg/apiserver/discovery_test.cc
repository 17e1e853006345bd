#include "pkg/apiserver/discovery.h"

#include <doctest/doctest.h>

#include "pkg/apiserver/test_util.h"

namespace kc::apiserver {
namespace {

namespace json = boost::json;
using testing::Obj;
using testing::Str;

ApiSurface MustBuild(const std::string& runtime_config) {
  auto s = ApiSurface::Build(runtime_config);
  REQUIRE_MESSAGE(s.ok(), s.status().ToString());
  return std::move(*s);
}

// The entry named `name` in an APIResourceList document, or an empty object.
json::object Entry(const json::object& list, const std::string& name) {
  for (const auto& r : list.at("resources").get_array()) {
    if (r.get_object().at("name") == name.c_str()) return r.get_object();
  }
  return {};
}

std::vector<std::string> Strings(const json::object& o, const char* key) {
  std::vector<std::string> out;
  if (const json::value* v = o.if_contains(key); v && v->is_array()) {
    for (const auto& s : v->get_array()) out.emplace_back(s.get_string());
  }
  return out;
}

bool HasGroup(const json::object& group_list, const std::string& name) {
  for (const auto& g : group_list.at("groups").get_array()) {
    if (g.get_object().at("name") == name.c_str()) return true;
  }
  return false;
}

TEST_CASE("ApiSurface::Build: --runtime-config switches") {
  SUBCASE("default serves core and apps") {
    ApiSurface s = MustBuild("");
    CHECK(s.Find("", "v1", "pods") != nullptr);
    CHECK(s.Find("apps", "v1", "deployments") != nullptr);
    CHECK(s.ServesGroupVersion("apps", "v1"));
    CHECK(s.Find("apps", "v1", "nonexistent") == nullptr);
    CHECK(s.Find("", "v2", "pods") == nullptr);
  }
  SUBCASE("disabling apps/v1 removes the whole group-version") {
    ApiSurface s = MustBuild("apps/v1=false");
    CHECK(s.Find("apps", "v1", "deployments") == nullptr);
    CHECK(s.Find("apps", "v1", "replicasets") == nullptr);
    CHECK_FALSE(s.ServesGroupVersion("apps", "v1"));
    CHECK_FALSE(s.ApiResourceListJson("apps", "v1").has_value());
    CHECK_FALSE(s.ApiGroupJson("apps").has_value());
    CHECK_FALSE(HasGroup(Obj(s.ApiGroupListJson()), "apps"));
    CHECK(HasGroup(Obj(s.ApiGroupListJson()), "batch"));
    CHECK(s.Find("", "v1", "pods") != nullptr);  // others untouched
  }
  SUBCASE("disabling a single resource keeps its siblings") {
    ApiSurface s = MustBuild("apps/v1/deployments=false");
    CHECK(s.Find("apps", "v1", "deployments") == nullptr);
    CHECK(s.Find("apps", "v1", "replicasets") != nullptr);
    json::object list = Obj(*s.ApiResourceListJson("apps", "v1"));
    CHECK(Entry(list, "deployments").empty());
    CHECK(Entry(list, "deployments/scale").empty());
    CHECK_FALSE(Entry(list, "replicasets").empty());
  }
  SUBCASE("a core resource is named v1/<resource>") {
    ApiSurface s = MustBuild("v1/configmaps=false");
    CHECK(s.Find("", "v1", "configmaps") == nullptr);
    CHECK(s.Find("", "v1", "pods") != nullptr);
  }
  SUBCASE("re-enabling after api/all=false") {
    ApiSurface s = MustBuild("api/all=false,apps/v1=true");
    CHECK(s.Find("apps", "v1", "deployments") != nullptr);
    CHECK(s.Find("", "v1", "pods") == nullptr);
  }
}

TEST_CASE("ApiSurface::Build: invalid --runtime-config is an error") {
  const char* cases[] = {
      "nosuch.example.com/v1=true",
      "apps/v9=false",
      "apps/v1/nosuchresource=false",
      "apps/v1=maybe",
  };
  for (const char* c : cases) {
    SUBCASE(c) {
      auto s = ApiSurface::Build(c);
      CHECK_FALSE(s.ok());
      CHECK(s.status().reason() == api::Reason::kBadRequest);
    }
  }
}

TEST_CASE("discovery documents") {
  ApiSurface s = MustBuild("");

  SUBCASE("/api lists v1") {
    json::object o = Obj(s.ApiVersionsJson());
    CHECK(Str(o, "kind") == "APIVersions");
    CHECK(Strings(o, "versions") == std::vector<std::string>{"v1"});
  }
  SUBCASE("/apis lists groups with a preferred version, no core group") {
    json::object o = Obj(s.ApiGroupListJson());
    CHECK(Str(o, "kind") == "APIGroupList");
    CHECK(HasGroup(o, "apps"));
    CHECK_FALSE(HasGroup(o, ""));
    json::object apps = Obj(*s.ApiGroupJson("apps"));
    CHECK(Str(apps, "kind") == "APIGroup");
    CHECK(Str(apps, "preferredVersion.groupVersion") == "apps/v1");
    CHECK(Str(apps, "versions.0.version") == "v1");
  }
  SUBCASE("unknown group") {
    CHECK_FALSE(s.ApiGroupJson("nosuch.example.com").has_value());
    CHECK_FALSE(s.ApiResourceListJson("nosuch.example.com", "v1").has_value());
  }
}

TEST_CASE("APIResourceList entries") {
  ApiSurface s = MustBuild("");
  json::object core = Obj(*s.ApiResourceListJson("", "v1"));
  json::object apps = Obj(*s.ApiResourceListJson("apps", "v1"));
  CHECK(Str(core, "groupVersion") == "v1");
  CHECK(Str(apps, "groupVersion") == "apps/v1");

  struct Case {
    json::object* list;
    const char* name;
    const char* kind;
    bool namespaced;
    const char* group;    // nullptr: no group/version fields
    const char* version;
    std::vector<std::string> verbs;
  };
  const std::vector<std::string> all_verbs = {"create", "delete", "deletecollection", "get",
                                              "list",   "patch",  "update",           "watch"};
  const Case cases[] = {
      {&core, "pods", "Pod", true, nullptr, nullptr, all_verbs},
      {&core, "pods/status", "Pod", true, nullptr, nullptr, {"get", "patch", "update"}},
      {&core, "pods/eviction", "Eviction", true, "policy", "v1", {"create"}},
      {&core, "pods/binding", "Binding", true, nullptr, nullptr, {"create"}},
      {&core, "pods/log", "Pod", true, nullptr, nullptr, {"get"}},
      {&core, "namespaces", "Namespace", false, nullptr, nullptr, all_verbs},
      {&core, "namespaces/finalize", "Namespace", false, nullptr, nullptr, {"update"}},
      {&apps, "deployments", "Deployment", true, nullptr, nullptr, all_verbs},
      {&apps, "deployments/status", "Deployment", true, nullptr, nullptr,
       {"get", "patch", "update"}},
      {&apps, "deployments/scale", "Scale", true, "autoscaling", "v1", {"get", "patch", "update"}},
  };
  for (const Case& c : cases) {
    SUBCASE(c.name) {
      json::object e = Entry(*c.list, c.name);
      REQUIRE_FALSE(e.empty());
      CHECK(Str(e, "kind") == c.kind);
      CHECK(e.at("namespaced").as_bool() == c.namespaced);
      CHECK(Strings(e, "verbs") == c.verbs);
      if (c.group) {
        CHECK(Str(e, "group") == c.group);
        CHECK(Str(e, "version") == c.version);
      } else {
        CHECK_FALSE(e.contains("group"));
      }
    }
  }

  SUBCASE("configmaps have no status subresource") {
    CHECK_FALSE(Entry(core, "configmaps").empty());
    CHECK(Entry(core, "configmaps/status").empty());
  }
  SUBCASE("shortNames, singularName and categories") {
    json::object pods = Entry(core, "pods");
    CHECK(Strings(pods, "shortNames") == std::vector<std::string>{"po"});
    CHECK(Strings(pods, "categories") == std::vector<std::string>{"all"});
    CHECK(Str(pods, "singularName") == "pod");
    json::object deploy = Entry(apps, "deployments");
    CHECK(Strings(deploy, "shortNames") == std::vector<std::string>{"deploy"});
    CHECK(Strings(deploy, "categories") == std::vector<std::string>{"all"});
    json::object cm = Entry(core, "configmaps");
    CHECK(Strings(cm, "shortNames") == std::vector<std::string>{"cm"});
    CHECK_FALSE(cm.contains("categories"));  // not part of `kubectl get all`
    CHECK(Str(Entry(core, "pods/status"), "singularName").empty());
  }
}

}  // namespace
}  // namespace kc::apiserver
