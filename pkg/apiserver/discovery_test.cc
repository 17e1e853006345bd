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

// The item (APIGroupDiscovery) named `group` in an APIGroupDiscoveryList, or an empty object.
json::object Group(const json::object& list, const std::string& group) {
  for (const auto& g : list.at("items").get_array()) {
    if (Str(g.get_object(), "metadata.name") == group) return g.get_object();
  }
  return {};
}

// The version entry `version` of an APIGroupDiscovery, or an empty object.
json::object Version(const json::object& group, const std::string& version) {
  for (const auto& v : group.at("versions").get_array()) {
    if (v.get_object().at("version") == version.c_str()) return v.get_object();
  }
  return {};
}

// The APIResourceDiscovery (or APISubresourceDiscovery with key "subresource") named `name`.
json::object Named(const json::object& parent, const char* list_key, const char* name_key,
                   const std::string& name) {
  if (const json::value* l = parent.if_contains(list_key); l && l->is_array()) {
    for (const auto& r : l->get_array()) {
      if (r.get_object().at(name_key) == name.c_str()) return r.get_object();
    }
  }
  return {};
}

std::vector<std::string> Names(const json::array& a, const char* path) {
  std::vector<std::string> out;
  for (const auto& e : a) out.push_back(Str(e.get_object(), path));
  return out;
}

TEST_CASE("aggregated discovery: /api holds only the core group") {
  ApiSurface s = MustBuild("");
  json::object list = Obj(s.AggregatedDiscoveryJson(true));
  CHECK(Str(list, "kind") == "APIGroupDiscoveryList");
  CHECK(Str(list, "apiVersion") == "apidiscovery.k8s.io/v2");
  REQUIRE(list.at("items").as_array().size() == 1);
  CHECK(testing::Has(list, "items.0.metadata.name"));
  CHECK(Str(list, "items.0.metadata.name") == "");
  json::object core = Group(list, "");
  REQUIRE(core.at("versions").as_array().size() == 1);
  json::object v1 = Version(core, "v1");
  CHECK(Str(v1, "freshness") == "Current");

  json::object pods = Named(v1, "resources", "resource", "pods");
  REQUIRE_FALSE(pods.empty());
  CHECK(Str(pods, "scope") == "Namespaced");
  CHECK(Str(pods, "singularResource") == "pod");
  CHECK(testing::Has(pods, "responseKind.group"));
  CHECK(Str(pods, "responseKind.group") == "");
  CHECK(Str(pods, "responseKind.version") == "v1");
  CHECK(Str(pods, "responseKind.kind") == "Pod");
  CHECK(Strings(pods, "shortNames") == std::vector<std::string>{"po"});
  CHECK(Strings(pods, "categories") == std::vector<std::string>{"all"});

  struct Sub {
    const char* name;
    const char* group;
    const char* version;
    const char* kind;
    std::vector<std::string> verbs;
  };
  const Sub subs[] = {
      {"attach", "", "v1", "PodAttachOptions", {"create", "get"}},
      {"binding", "", "v1", "Binding", {"create"}},
      {"ephemeralcontainers", "", "v1", "Pod", {"get", "patch", "update"}},
      {"eviction", "policy", "v1", "Eviction", {"create"}},
      {"exec", "", "v1", "PodExecOptions", {"create", "get"}},
      {"log", "", "v1", "Pod", {"get"}},
      {"portforward", "", "v1", "PodPortForwardOptions", {"create", "get"}},
      {"status", "", "v1", "Pod", {"get", "patch", "update"}},
  };
  // Sorted by name, as upstream lists them.
  std::vector<std::string> want_order;
  for (const Sub& x : subs) want_order.push_back(x.name);
  CHECK(Names(pods.at("subresources").as_array(), "subresource") == want_order);
  for (const Sub& x : subs) {
    SUBCASE(x.name) {
      json::object e = Named(pods, "subresources", "subresource", x.name);
      REQUIRE_FALSE(e.empty());
      CHECK(testing::Has(e, "responseKind.group"));
      CHECK(Str(e, "responseKind.group") == x.group);
      CHECK(Str(e, "responseKind.version") == x.version);
      CHECK(Str(e, "responseKind.kind") == x.kind);
      CHECK(Strings(e, "verbs") == x.verbs);
    }
  }

  SUBCASE("cluster-scoped namespaces with finalize") {
    json::object ns = Named(v1, "resources", "resource", "namespaces");
    CHECK(Str(ns, "scope") == "Cluster");
    CHECK(Strings(Named(ns, "subresources", "subresource", "finalize"), "verbs") ==
          std::vector<std::string>{"update"});
  }
  SUBCASE("serviceaccounts/token is an authentication.k8s.io TokenRequest") {
    json::object sa = Named(v1, "resources", "resource", "serviceaccounts");
    json::object token = Named(sa, "subresources", "subresource", "token");
    CHECK(Str(token, "responseKind.group") == "authentication.k8s.io");
    CHECK(Str(token, "responseKind.kind") == "TokenRequest");
  }
  SUBCASE("a resource without subresources has no subresources field") {
    json::object cm = Named(v1, "resources", "resource", "configmaps");
    REQUIRE_FALSE(cm.empty());
    CHECK_FALSE(cm.contains("subresources"));
    CHECK_FALSE(cm.contains("categories"));
  }
}

TEST_CASE("aggregated discovery: /apis holds every other group") {
  ApiSurface s = MustBuild("");
  json::object list = Obj(s.AggregatedDiscoveryJson(false));
  CHECK(Str(list, "kind") == "APIGroupDiscoveryList");
  CHECK(Group(list, "").empty());  // core is only on /api

  SUBCASE("groups in the same order as the legacy APIGroupList") {
    json::object legacy = Obj(s.ApiGroupListJson());
    CHECK(Names(list.at("items").as_array(), "metadata.name") ==
          Names(legacy.at("groups").as_array(), "name"));
  }
  SUBCASE("preferred version first") {
    json::object autoscaling = Group(list, "autoscaling");
    REQUIRE_FALSE(autoscaling.empty());
    CHECK(Names(autoscaling.at("versions").as_array(), "version") ==
          std::vector<std::string>{"v2", "v1"});
    json::object legacy = Obj(*s.ApiGroupJson("autoscaling"));
    CHECK(Str(autoscaling, "versions.0.version") == Str(legacy, "preferredVersion.version"));
  }
  SUBCASE("apps/v1 deployments") {
    json::object deploy = Named(Version(Group(list, "apps"), "v1"), "resources", "resource",
                                "deployments");
    REQUIRE_FALSE(deploy.empty());
    CHECK(Str(deploy, "scope") == "Namespaced");
    CHECK(Str(deploy, "singularResource") == "deployment");
    CHECK(Str(deploy, "responseKind.group") == "apps");
    CHECK(Str(deploy, "responseKind.version") == "v1");
    CHECK(Str(deploy, "responseKind.kind") == "Deployment");
    CHECK(Strings(deploy, "verbs") ==
          std::vector<std::string>{"create", "delete", "deletecollection", "get", "list",
                                   "patch", "update", "watch"});
    CHECK(Strings(deploy, "shortNames") == std::vector<std::string>{"deploy"});
    CHECK(Strings(deploy, "categories") == std::vector<std::string>{"all"});
    json::object scale = Named(deploy, "subresources", "subresource", "scale");
    CHECK(Str(scale, "responseKind.group") == "autoscaling");
    CHECK(Str(scale, "responseKind.version") == "v1");
    CHECK(Str(scale, "responseKind.kind") == "Scale");
    CHECK(Strings(scale, "verbs") == std::vector<std::string>{"get", "patch", "update"});
    json::object status = Named(deploy, "subresources", "subresource", "status");
    CHECK(Str(status, "responseKind.group") == "apps");
    CHECK(Str(status, "responseKind.kind") == "Deployment");
    CHECK(Strings(status, "verbs") == std::vector<std::string>{"get", "patch", "update"});
  }
  SUBCASE("every resource and subresource names a response kind") {
    // client-go silently drops entries without one.
    for (const auto& g : list.at("items").as_array()) {
      for (const auto& v : g.at("versions").as_array()) {
        CHECK_FALSE(v.at("resources").as_array().empty());
        for (const auto& r : v.at("resources").as_array()) {
          CHECK_FALSE(Str(r.as_object(), "responseKind.kind").empty());
          CHECK_FALSE(Str(r.as_object(), "responseKind.version").empty());
          if (const json::value* subs = r.as_object().if_contains("subresources")) {
            for (const auto& x : subs->as_array()) {
              CHECK_FALSE(Str(x.as_object(), "responseKind.kind").empty());
            }
          }
        }
      }
    }
  }
}

TEST_CASE("aggregated discovery follows --runtime-config") {
  SUBCASE("a disabled resource is absent, its siblings stay") {
    ApiSurface s = MustBuild("apps/v1/deployments=false");
    json::object v1 = Version(Group(Obj(s.AggregatedDiscoveryJson(false)), "apps"), "v1");
    CHECK(Named(v1, "resources", "resource", "deployments").empty());
    CHECK_FALSE(Named(v1, "resources", "resource", "replicasets").empty());
  }
  SUBCASE("a disabled group-version is absent") {
    ApiSurface s = MustBuild("autoscaling/v2=false,batch/v1=false");
    json::object list = Obj(s.AggregatedDiscoveryJson(false));
    CHECK(Group(list, "batch").empty());
    json::object autoscaling = Group(list, "autoscaling");
    CHECK(Names(autoscaling.at("versions").as_array(), "version") ==
          std::vector<std::string>{"v1"});
  }
  SUBCASE("core switched off leaves /api with no items") {
    ApiSurface s = MustBuild("api/all=false,apps/v1=true");
    CHECK(Obj(s.AggregatedDiscoveryJson(true)).at("items").as_array().empty());
    CHECK_FALSE(Group(Obj(s.AggregatedDiscoveryJson(false)), "apps").empty());
  }
}

TEST_CASE("WantsAggregatedDiscovery") {
  struct Case {
    const char* name;
    const char* accept;
    bool want;
  };
  const Case cases[] = {
      {"kubectl 1.32",
       "application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList,"
       "application/json;g=apidiscovery.k8s.io;v=v2beta1;as=APIGroupDiscoveryList,"
       "application/json",
       true},
      {"parameters in another order with spaces",
       "application/json; as=APIGroupDiscoveryList; v=v2; g=apidiscovery.k8s.io", true},
      {"v2 listed after v2beta1 and an extra parameter",
       "application/json;g=apidiscovery.k8s.io;v=v2beta1;as=APIGroupDiscoveryList, "
       "Application/JSON;charset=utf-8;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList",
       true},
      {"plain json", "application/json", false},
      {"kubectl legacy per-group request", "application/json, */*", false},
      {"empty", "", false},
      {"v2beta1 only",
       "application/json;g=apidiscovery.k8s.io;v=v2beta1;as=APIGroupDiscoveryList,"
       "application/json",
       false},
      {"protobuf only",
       "application/vnd.kubernetes.protobuf;g=apidiscovery.k8s.io;v=v2;"
       "as=APIGroupDiscoveryList",
       false},
      {"missing g", "application/json;v=v2;as=APIGroupDiscoveryList", false},
      {"other as", "application/json;g=apidiscovery.k8s.io;v=v2;as=Table", false},
      {"refused with q=0",
       "application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList;q=0,"
       "application/json",
       false},
      {"malformed", ";;,=,application/json;g;v=;as", false},
  };
  for (const Case& c : cases) {
    SUBCASE(c.name) { CHECK(WantsAggregatedDiscovery(c.accept) == c.want); }
  }
}

TEST_CASE("DiscoveryRootResponse") {
  ApiSurface s = MustBuild("");
  HttpRequest req;
  req.method = "GET";
  auto vary = [](const HttpResponse& r) {
    for (const auto& [k, v] : r.headers) {
      if (k == "Vary") return v;
    }
    return std::string();
  };

  SUBCASE("aggregated when asked, with the exact content type") {
    req.headers["accept"] =
        "application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList,"
        "application/json;g=apidiscovery.k8s.io;v=v2beta1;as=APIGroupDiscoveryList,"
        "application/json";
    for (bool core : {true, false}) {
      HttpResponse r = DiscoveryRootResponse(s, req, core);
      CHECK(r.status == 200);
      CHECK(r.content_type ==
            "application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList");
      CHECK(Str(Obj(r.body), "kind") == "APIGroupDiscoveryList");
      CHECK(vary(r) == "Accept");
    }
  }
  SUBCASE("legacy otherwise") {
    req.headers["accept"] = "application/json, */*";
    HttpResponse api = DiscoveryRootResponse(s, req, true);
    CHECK(api.content_type == "application/json");
    CHECK(Str(Obj(api.body), "kind") == "APIVersions");
    CHECK(vary(api) == "Accept");
    HttpResponse apis = DiscoveryRootResponse(s, req, false);
    CHECK(Str(Obj(apis.body), "kind") == "APIGroupList");
  }
  SUBCASE("no Accept header") {
    HttpResponse r = DiscoveryRootResponse(s, req, false);
    CHECK(Str(Obj(r.body), "kind") == "APIGroupList");
  }
}

}  // namespace
}  // namespace kc::apiserver
