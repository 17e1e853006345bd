#include "pkg/apiserver/request_info.h"

#include <doctest/doctest.h>

namespace kc::apiserver {
namespace {

HttpRequest Req(const char* method, const char* path, const char* query = "") {
  HttpRequest r;
  r.method = method;
  r.path = path;
  r.query = ParseQuery(query);
  return r;
}

TEST_CASE("ParseRequestInfo: resource paths") {
  struct Case {
    const char* method;
    const char* path;
    const char* query;
    const char* group;
    const char* version;
    const char* ns;
    const char* resource;
    const char* name;
    const char* subresource;
    const char* verb;
  };
  const Case cases[] = {
      // core, namespaced
      {"GET", "/api/v1/namespaces/default/pods", "", "", "v1", "default", "pods", "", "", "list"},
      {"GET", "/api/v1/namespaces/default/pods/web", "", "", "v1", "default", "pods", "web", "",
       "get"},
      {"GET", "/api/v1/namespaces/default/pods/web/log", "", "", "v1", "default", "pods", "web",
       "log", "get"},
      {"POST", "/api/v1/namespaces/default/pods", "", "", "v1", "default", "pods", "", "",
       "create"},
      {"PUT", "/api/v1/namespaces/default/pods/web/status", "", "", "v1", "default", "pods", "web",
       "status", "update"},
      {"PATCH", "/api/v1/namespaces/kube-system/configmaps/c", "", "", "v1", "kube-system",
       "configmaps", "c", "", "patch"},
      {"DELETE", "/api/v1/namespaces/default/pods/web", "", "", "v1", "default", "pods", "web", "",
       "delete"},
      {"DELETE", "/api/v1/namespaces/default/pods", "", "", "v1", "default", "pods", "", "",
       "deletecollection"},
      // all namespaces
      {"GET", "/api/v1/pods", "", "", "v1", "", "pods", "", "", "list"},
      // group paths
      {"GET", "/apis/apps/v1/namespaces/ns1/deployments", "", "apps", "v1", "ns1", "deployments",
       "", "", "list"},
      {"PUT", "/apis/apps/v1/namespaces/ns1/deployments/d/scale", "", "apps", "v1", "ns1",
       "deployments", "d", "scale", "update"},
      {"GET", "/apis/rbac.authorization.k8s.io/v1/clusterroles/admin", "",
       "rbac.authorization.k8s.io", "v1", "", "clusterroles", "admin", "", "get"},
      {"DELETE", "/apis/apps/v1/namespaces/ns1/replicasets", "", "apps", "v1", "ns1",
       "replicasets", "", "", "deletecollection"},
      // the namespaces resource itself and its subresources
      {"GET", "/api/v1/namespaces", "", "", "v1", "", "namespaces", "", "", "list"},
      {"GET", "/api/v1/namespaces/foo", "", "", "v1", "", "namespaces", "foo", "", "get"},
      {"DELETE", "/api/v1/namespaces/foo", "", "", "v1", "", "namespaces", "foo", "", "delete"},
      {"PUT", "/api/v1/namespaces/foo/status", "", "", "v1", "", "namespaces", "foo", "status",
       "update"},
      {"PUT", "/api/v1/namespaces/foo/finalize", "", "", "v1", "", "namespaces", "foo",
       "finalize", "update"},
      // a namespaced resource *called* status/finalize stays namespaced when named
      {"GET", "/api/v1/namespaces/foo/configmaps/status", "", "", "v1", "foo", "configmaps",
       "status", "", "get"},
      // watch
      {"GET", "/api/v1/namespaces/default/pods", "watch=true", "", "v1", "default", "pods", "",
       "", "watch"},
      {"GET", "/api/v1/pods", "watch=1&resourceVersion=5", "", "v1", "", "pods", "", "", "watch"},
      {"GET", "/api/v1/namespaces/default/pods/web", "watch=true", "", "v1", "default", "pods",
       "web", "", "watch"},
      {"GET", "/api/v1/pods", "watch=false", "", "v1", "", "pods", "", "", "list"},
      // repeated slashes are ignored
      {"GET", "//api/v1//namespaces/default//pods/", "", "", "v1", "default", "pods", "", "",
       "list"},
  };
  for (const Case& c : cases) {
    SUBCASE((std::string(c.method) + " " + c.path + "?" + c.query).c_str()) {
      RequestInfo info = ParseRequestInfo(Req(c.method, c.path, c.query));
      CHECK(info.is_resource);
      CHECK(info.group == c.group);
      CHECK(info.version == c.version);
      CHECK(info.namespace_ == c.ns);
      CHECK(info.resource == c.resource);
      CHECK(info.name == c.name);
      CHECK(info.subresource == c.subresource);
      CHECK(info.verb == c.verb);
    }
  }
}

TEST_CASE("ParseRequestInfo: non-resource paths") {
  const char* paths[] = {
      "/",        "/version", "/healthz", "/api",   "/api/",  "/apis", "/apis/apps",
      "/apis/apps/v1", "/api/v1", "/openapi/v3", "/metrics",
      "/api/v1/namespaces/default/pods/web/log/extra",  // deeper than the grammar
  };
  for (const char* p : paths) {
    SUBCASE(p) {
      RequestInfo info = ParseRequestInfo(Req("GET", p));
      CHECK_FALSE(info.is_resource);
      CHECK(info.verb.empty());
    }
  }
}

TEST_CASE("ParseRequestInfo: group and version are reported for discovery paths") {
  RequestInfo info = ParseRequestInfo(Req("GET", "/apis/apps/v1"));
  CHECK_FALSE(info.is_resource);
  CHECK(info.group == "apps");
  CHECK(info.version == "v1");
}

TEST_CASE("ParseRequestInfo: unknown methods get verb 'unknown'") {
  RequestInfo info = ParseRequestInfo(Req("OPTIONS", "/api/v1/pods"));
  CHECK(info.is_resource);
  CHECK(info.verb == "unknown");
}

}  // namespace
}  // namespace kc::apiserver
