// ApiHandler: HTTP requests → responses, without sockets.
#include "pkg/apiserver/api_handler.h"

#include <doctest/doctest.h>

#include <chrono>
#include <condition_variable>
#include <functional>
#include <mutex>
#include <thread>
#include <utility>

#include "pkg/apiserver/handler_test_util.h"
#include "pkg/apiserver/test_util.h"

namespace kc::apiserver {
namespace {

namespace json = boost::json;
using testing::ConfigMapJson;
using testing::DeploymentJson;
using testing::Has;
using testing::Int;
using testing::Obj;
using testing::PullUntil;
using testing::Str;

constexpr const char* kTableAccept = "application/json;as=Table;v=v1;g=meta.k8s.io";

using Server = testing::HandlerServer;

json::object Body(const HttpResponse& r) { return Obj(r.body); }

std::string HeaderValue(const HttpResponse& r, const std::string& name) {
  for (const auto& [k, v] : r.headers) {
    if (k == name) return v;
  }
  return "";
}

TEST_CASE("ApiHandler: version and discovery endpoints") {
  Server s;
  struct Case {
    const char* path;
    const char* field;
    const char* want;
  };
  const Case cases[] = {
      {"/version", "gitVersion", "v1.32.4+kcluster"},
      {"/version", "minor", "32"},
      {"/api", "kind", "APIVersions"},
      {"/api", "versions.0", "v1"},
      {"/apis", "kind", "APIGroupList"},
      {"/api/v1", "kind", "APIResourceList"},
      {"/api/v1", "groupVersion", "v1"},
      {"/apis/apps", "kind", "APIGroup"},
      {"/apis/apps/v1", "groupVersion", "apps/v1"},
  };
  for (const Case& c : cases) {
    SUBCASE((std::string(c.path) + " " + c.field).c_str()) {
      HttpResponse r = s.Do("GET", c.path);
      CHECK(r.status == 200);
      CHECK(r.content_type == "application/json");
      CHECK(Str(Body(r), c.field) == c.want);
    }
  }
  SUBCASE("unknown group-version is 404") {
    HttpResponse r = s.Do("GET", "/apis/nosuch.example.com/v1");
    CHECK(r.status == 404);
    CHECK(Str(Body(r), "kind") == "Status");
  }
}

TEST_CASE("ApiHandler: authentication") {
  Server s;
  SUBCASE("unauthenticated resource request is a 401 Status") {
    HttpResponse r = s.Do("GET", "/api/v1/namespaces/default/configmaps", "", {}, false);
    CHECK(r.status == 401);
    json::object b = Body(r);
    CHECK(Str(b, "kind") == "Status");
    CHECK(Str(b, "status") == "Failure");
    CHECK(Str(b, "reason") == "Unauthorized");
    CHECK(Str(b, "message") == "Unauthorized");
    CHECK(Int(b, "code") == 401);
  }
  SUBCASE("discovery needs authentication too") {
    CHECK(s.Do("GET", "/api", "", {}, false).status == 401);
  }
  SUBCASE("an authorizer's Deny is a 403 with the upstream message") {
    Server denied(/*deny=*/true);
    HttpResponse r = denied.Do("GET", "/api/v1/namespaces/default/configmaps/x");
    CHECK(r.status == 403);
    json::object b = Body(r);
    CHECK(Str(b, "reason") == "Forbidden");
    CHECK(Str(b, "message") ==
          R"(configmaps "x" is forbidden: User "admin" cannot get resource "configmaps" in API )"
          R"(group "" in the namespace "default")");
    CHECK(denied.Do("GET", "/version").status == 200);  // public paths skip authorization
  }
  SUBCASE("health and version are public") {
    CHECK(s.Do("GET", "/version", "", {}, false).status == 200);
    HttpResponse h = s.Do("GET", "/healthz", "", {}, false);
    CHECK(h.status == 200);
    CHECK(h.body == "ok");
  }
}

TEST_CASE("ApiHandler: create request decoding") {
  Server s;
  const std::string cms = "/api/v1/namespaces/default/configmaps";
  SUBCASE("valid JSON → 201 with the stored object") {
    HttpResponse r = s.Do("POST", cms, ConfigMapJson("c"));
    CHECK(r.status == 201);
    json::object b = Body(r);
    CHECK(Str(b, "metadata.name") == "c");
    CHECK(Has(b, "metadata.uid"));
  }
  SUBCASE("YAML body") {
    HttpResponse r = s.Do("POST", cms, "kind: ConfigMap\napiVersion: v1\nmetadata:\n  name: y\n",
                          {{"content-type", "application/yaml"}});
    CHECK(r.status == 201);
    CHECK(Str(Body(r), "metadata.name") == "y");
  }
  SUBCASE("malformed JSON → 400 Status, reason BadRequest") {
    HttpResponse r = s.Do("POST", cms, "{\"kind\":");
    CHECK(r.status == 400);
    json::object b = Body(r);
    CHECK(Str(b, "kind") == "Status");
    CHECK(Str(b, "status") == "Failure");
    CHECK(Str(b, "reason") == "BadRequest");
    CHECK(Int(b, "code") == 400);
  }
  SUBCASE("malformed protobuf → 400") {
    HttpResponse r = s.Do("POST", cms, std::string("k8s\0\n", 5),
                          {{"content-type", "application/vnd.kubernetes.protobuf"}});
    CHECK(r.status == 400);
    CHECK(Str(Body(r), "reason") == "BadRequest");
  }
  SUBCASE("unknown media type → 415") {
    HttpResponse r = s.Do("POST", cms, "\xa1\x61\x61", {{"content-type", "application/cbor"}});
    CHECK(r.status == 415);
    CHECK(Str(Body(r), "reason") == "UnsupportedMediaType");
  }
  SUBCASE("kind mismatch → 400") {
    HttpResponse r = s.Do("POST", cms, R"({"kind":"Secret","apiVersion":"v1","metadata":{"name":"x"}})");
    CHECK(r.status == 400);
  }
  SUBCASE("existing object → 409 AlreadyExists with details") {
    REQUIRE(s.Do("POST", cms, ConfigMapJson("dup")).status == 201);
    HttpResponse r = s.Do("POST", cms, ConfigMapJson("dup"));
    CHECK(r.status == 409);
    json::object b = Body(r);
    CHECK(Str(b, "reason") == "AlreadyExists");
    CHECK(Str(b, "message") == R"(configmaps "dup" already exists)");
    CHECK(Str(b, "details.name") == "dup");
    CHECK(Str(b, "details.kind") == "configmaps");
  }
  SUBCASE("dryRun=All stores nothing") {
    HttpResponse r = s.Do("POST", cms + "?dryRun=All", ConfigMapJson("dry"));
    CHECK(r.status == 201);
    CHECK(s.Do("GET", cms + "/dry").status == 404);
  }
  SUBCASE("bad dryRun value → 400") {
    CHECK(s.Do("POST", cms + "?dryRun=Yes", ConfigMapJson("dry")).status == 400);
  }
}

TEST_CASE("ApiHandler: field validation") {
  Server s;
  const std::string deploys = "/apis/apps/v1/namespaces/default/deployments";
  json::object d = Obj(DeploymentJson("web"));
  d["spec"].as_object()["bogus"] = 1;
  const std::string body = json::serialize(d);

  SUBCASE("Strict → 400 strict decoding error") {
    HttpResponse r = s.Do("POST", deploys + "?fieldValidation=Strict", body);
    CHECK(r.status == 400);
    json::object b = Body(r);
    CHECK(Str(b, "reason") == "BadRequest");
    CHECK(Str(b, "message") == R"(strict decoding error: unknown field "spec.bogus")");
  }
  SUBCASE("Warn → created, Warning header") {
    HttpResponse r = s.Do("POST", deploys + "?fieldValidation=Warn", body);
    CHECK(r.status == 201);
    CHECK(HeaderValue(r, "Warning") == R"(299 - "unknown field \"spec.bogus\"")");
  }
  SUBCASE("default is Warn") {
    HttpResponse r = s.Do("POST", deploys, body);
    CHECK(r.status == 201);
    CHECK_FALSE(HeaderValue(r, "Warning").empty());
  }
  SUBCASE("Ignore → created, no warning") {
    HttpResponse r = s.Do("POST", deploys + "?fieldValidation=Ignore", body);
    CHECK(r.status == 201);
    CHECK(HeaderValue(r, "Warning").empty());
  }
  SUBCASE("unknown fieldValidation value → 400") {
    CHECK(s.Do("POST", deploys + "?fieldValidation=Loud", body).status == 400);
  }
}

// Regression: unknown fields used to be stored under Warn and Ignore.
TEST_CASE("ApiHandler: unknown fields are dropped under Warn and Ignore") {
  for (const char* mode : {"Warn", "Ignore"}) {
    SUBCASE(mode) {
      Server s;
      json::object d = Obj(DeploymentJson("web"));
      d["spec"].as_object()["bogus"] = 1;
      HttpResponse r = s.Do("POST",
                            std::string("/apis/apps/v1/namespaces/default/deployments?"
                                        "fieldValidation=") + mode,
                            json::serialize(d));
      CHECK(r.status == 201);
      CHECK_FALSE(Has(Body(r), "spec.bogus"));
      HttpResponse g = s.Do("GET", "/apis/apps/v1/namespaces/default/deployments/web");
      CHECK_FALSE(Has(Body(g), "spec.bogus"));
    }
  }
}

TEST_CASE("ApiHandler: lists and Tables") {
  Server s;
  const std::string cms = "/api/v1/namespaces/default/configmaps";
  REQUIRE(s.Do("POST", cms, ConfigMapJson("a")).status == 201);
  REQUIRE(s.Do("POST", cms, ConfigMapJson("b")).status == 201);

  SUBCASE("JSON list") {
    HttpResponse r = s.Do("GET", cms);
    CHECK(r.status == 200);
    json::object b = Body(r);
    CHECK(Str(b, "kind") == "ConfigMapList");
    CHECK(Str(b, "apiVersion") == "v1");
    CHECK_FALSE(Str(b, "metadata.resourceVersion").empty());
    CHECK(b.at("items").as_array().size() == 2);
  }
  SUBCASE("paged list carries continue and remainingItemCount") {
    json::object b = Body(s.Do("GET", cms + "?limit=1"));
    CHECK(b.at("items").as_array().size() == 1);
    CHECK_FALSE(Str(b, "metadata.continue").empty());
    CHECK(Int(b, "metadata.remainingItemCount") == 1);
  }
  SUBCASE("Table list") {
    HttpResponse r = s.Do("GET", cms, "", {{"accept", kTableAccept}});
    CHECK(r.status == 200);
    CHECK(r.content_type.find("as=Table") != std::string::npos);
    json::object t = Body(r);
    CHECK(Str(t, "kind") == "Table");
    CHECK(Str(t, "apiVersion") == "meta.k8s.io/v1");
    CHECK_FALSE(Str(t, "metadata.resourceVersion").empty());
    const json::array& cols = t.at("columnDefinitions").as_array();
    REQUIRE(cols.size() == 3);
    CHECK(Str(cols[0].as_object(), "name") == "Name");
    const json::array& rows = t.at("rows").as_array();
    REQUIRE(rows.size() == 2);
    for (const auto& row : rows) {
      const json::object& ro = row.as_object();
      CHECK(ro.at("cells").as_array().size() == cols.size());
      CHECK(Str(ro, "object.kind") == "PartialObjectMetadata");
      CHECK(Str(ro, "object.apiVersion") == "meta.k8s.io/v1");
      CHECK(Has(ro, "object.metadata.uid"));
      CHECK_FALSE(Has(ro, "object.data"));
    }
    CHECK(Str(rows[0].as_object(), "cells.0") == "a");
    CHECK(Int(rows[0].as_object(), "cells.1") == 1);  // DATA column
  }
  SUBCASE("Table get of one object, includeObject=None") {
    HttpResponse r = s.Do("GET", cms + "/a?includeObject=None", "", {{"accept", kTableAccept}});
    CHECK(r.status == 200);
    json::object t = Body(r);
    CHECK(Str(t, "kind") == "Table");
    REQUIRE(t.at("rows").as_array().size() == 1);
    CHECK_FALSE(Has(t, "rows.0.object"));
  }
  SUBCASE("bad selector → 400") {
    CHECK(s.Do("GET", cms + "?fieldSelector=data.k%3Dv").status == 400);
  }
}

TEST_CASE("ApiHandler: DELETE") {
  Server s;
  const std::string cms = "/api/v1/namespaces/default/configmaps";
  json::object created = Body(s.Do("POST", cms, ConfigMapJson("gone")));
  SUBCASE("configmap → Success Status with details") {
    HttpResponse r = s.Do("DELETE", cms + "/gone");
    CHECK(r.status == 200);
    json::object b = Body(r);
    CHECK(Str(b, "kind") == "Status");
    CHECK(Str(b, "status") == "Success");
    CHECK(Str(b, "details.name") == "gone");
    CHECK(Str(b, "details.kind") == "configmaps");
    CHECK(Str(b, "details.group") == "");
    CHECK(Str(b, "details.uid") == Str(created, "metadata.uid"));
    CHECK(s.Do("GET", cms + "/gone").status == 404);
  }
  SUBCASE("pods return the deleted object") {
    const std::string pods = "/api/v1/namespaces/default/pods";
    REQUIRE(s.Do("POST", pods, testing::PodJson("p")).status == 201);
    HttpResponse r = s.Do("DELETE", pods + "/p");
    CHECK(r.status == 200);
    CHECK(Str(Body(r), "kind") == "Pod");
  }
  SUBCASE("a missing object → 404 NotFound") {
    HttpResponse r = s.Do("DELETE", cms + "/nope");
    CHECK(r.status == 404);
    CHECK(Str(Body(r), "message") == R"(configmaps "nope" not found)");
  }
  SUBCASE("collection delete returns a list") {
    HttpResponse r = s.Do("DELETE", cms);
    CHECK(r.status == 200);
    json::object b = Body(r);
    CHECK(Str(b, "kind") == "ConfigMapList");
    CHECK(b.at("items").as_array().size() == 1);
  }
}

TEST_CASE("ApiHandler: unknown paths are 404 with the upstream message") {
  Server s;
  const char* paths[] = {
      "/api/v1/namespaces/default/widgets",
      "/apis/example.com/v1/widgets",
      "/api/v1/namespaces/default/nodes",           // cluster-scoped under a namespace
      "/api/v1/namespaces/default/configmaps/a/status",  // no status subresource
      "/nosuch",
  };
  for (const char* p : paths) {
    SUBCASE(p) {
      HttpResponse r = s.Do("GET", p);
      CHECK(r.status == 404);
      json::object b = Body(r);
      CHECK(Str(b, "kind") == "Status");
      CHECK(Str(b, "reason") == "NotFound");
      CHECK(Str(b, "message") == "the server could not find the requested resource");
    }
  }
}

TEST_CASE("ApiHandler: update and patch through HTTP") {
  Server s;
  const std::string cm = "/api/v1/namespaces/default/configmaps/c";
  json::object created = Body(s.Do("POST", "/api/v1/namespaces/default/configmaps",
                                    ConfigMapJson("c")));
  SUBCASE("PUT with a stale resourceVersion → 409 Conflict") {
    json::object next = created;
    next["data"].as_object()["k"] = "1";
    REQUIRE(s.Do("PUT", cm, json::serialize(next)).status == 200);
    HttpResponse r = s.Do("PUT", cm, json::serialize(next));
    CHECK(r.status == 409);
    CHECK(Str(Body(r), "reason") == "Conflict");
  }
  SUBCASE("merge patch") {
    HttpResponse r = s.Do("PATCH", cm, R"({"data":{"k":"p"}})",
                          {{"content-type", "application/merge-patch+json"}});
    CHECK(r.status == 200);
    CHECK(Str(Body(r), "data.k") == "p");
  }
  SUBCASE("apply creates with 201") {
    HttpResponse r = s.Do("PATCH", "/api/v1/namespaces/default/configmaps/new?fieldManager=kubectl",
                          "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: new\ndata:\n  k: v\n",
                          {{"content-type", "application/apply-patch+yaml"}});
    CHECK(r.status == 201);
    json::object b = Body(r);
    CHECK(Str(b, "data.k") == "v");
    CHECK(Str(b, "metadata.managedFields.0.manager") == "kubectl");
    CHECK(Str(b, "metadata.managedFields.0.operation") == "Apply");
    HttpResponse again = s.Do("PATCH", "/api/v1/namespaces/default/configmaps/new?fieldManager=kubectl",
                              "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: new\ndata:\n  k: w\n",
                              {{"content-type", "application/apply-patch+yaml"}});
    CHECK(again.status == 200);
    CHECK(Str(Body(again), "data.k") == "w");
  }
  SUBCASE("unknown patch type → 415") {
    CHECK(s.Do("PATCH", cm, "{}", {{"content-type", "text/plain"}}).status == 415);
  }
  SUBCASE("force on a non-apply patch → 400") {
    CHECK(s.Do("PATCH", cm + "?force=true", "{}",
               {{"content-type", "application/merge-patch+json"}})
              .status == 400);
  }
}

TEST_CASE("ApiHandler: scale subresource over HTTP") {
  Server s;
  const std::string base = "/apis/apps/v1/namespaces/default/deployments";
  REQUIRE(s.Do("POST", base, DeploymentJson("web", 2)).status == 201);
  HttpResponse g = s.Do("GET", base + "/web/scale");
  CHECK(g.status == 200);
  CHECK(Str(Body(g), "kind") == "Scale");
  CHECK(Int(Body(g), "spec.replicas") == 2);
  HttpResponse p = s.Do("PATCH", base + "/web/scale", R"({"spec":{"replicas":4}})",
                        {{"content-type", "application/merge-patch+json"}});
  CHECK(p.status == 200);
  CHECK(Int(Body(p), "spec.replicas") == 4);
  CHECK(Int(Body(s.Do("GET", base + "/web")), "spec.replicas") == 4);
}


TEST_CASE("ApiHandler: watch over HTTP") {
  Server s;
  const std::string cms = "/api/v1/namespaces/default/configmaps";
  REQUIRE(s.Do("POST", cms, ConfigMapJson("a")).status == 201);
  SUBCASE("stream of newline-delimited events") {
    HttpResponse r = s.Do("GET", cms + "?watch=true&resourceVersion=0&timeoutSeconds=30");
    CHECK(r.status == 200);
    REQUIRE(r.stream);
    r.stream->Start([] {});
    std::string first = PullUntil(*r.stream, "\n");
    REQUIRE(first.find('\n') != std::string::npos);
    json::object ev = Obj(first.substr(0, first.find('\n')));
    CHECK(Str(ev, "type") == "ADDED");
    CHECK(Str(ev, "object.metadata.name") == "a");
    REQUIRE(s.Do("DELETE", cms + "/a").status == 200);
    std::string next = PullUntil(*r.stream, "DELETED");
    CHECK(next.find(R"("type":"DELETED")") != std::string::npos);
    r.stream->Cancel();
  }
  SUBCASE("a compacted resourceVersion is an ERROR event with a 410 Status") {
    for (int i = 0; i < 3; ++i) {
      REQUIRE(s.Do("POST", cms, ConfigMapJson("x" + std::to_string(i))).status == 201);
    }
    auto& backend = s.registry().backend();
    REQUIRE(backend.Compact(backend.CurrentRevision()).ok());
    HttpResponse r = s.Do("GET", cms + "?watch=true&resourceVersion=2");
    CHECK(r.status == 200);
    CHECK_FALSE(r.stream);
    json::object ev = Obj(r.body);
    CHECK(Str(ev, "type") == "ERROR");
    CHECK(Str(ev, "object.reason") == "Expired");
    CHECK(Int(ev, "object.code") == 410);
  }
}

TEST_CASE("ApiHandler::RunsOnIoThread") {
  auto req = [](const char* method, const char* path, const char* query = "") {
    HttpRequest r;
    r.method = method;
    r.path = path;
    r.query = ParseQuery(query);
    return r;
  };
  CHECK(ApiHandler::RunsOnIoThread(req("GET", "/version")));
  CHECK(ApiHandler::RunsOnIoThread(req("GET", "/api/v1/namespaces/default/pods/p")));
  CHECK_FALSE(ApiHandler::RunsOnIoThread(req("GET", "/api/v1/namespaces/default/pods")));
  CHECK_FALSE(ApiHandler::RunsOnIoThread(req("GET", "/api/v1/namespaces/default/pods/p", "watch=1")));
  // Creates answer asynchronously, so they run on the I/O thread; not Services (allocation
  // writes), subresource posts, dry runs or other writes.
  CHECK(ApiHandler::RunsOnIoThread(req("POST", "/api/v1/namespaces/default/pods")));
  CHECK(ApiHandler::RunsOnIoThread(req("POST", "/apis/apps/v1/namespaces/default/deployments")));
  CHECK_FALSE(ApiHandler::RunsOnIoThread(req("POST", "/api/v1/namespaces/default/services")));
  CHECK_FALSE(ApiHandler::RunsOnIoThread(req("POST", "/api/v1/namespaces/default/pods/p/binding")));
  CHECK_FALSE(ApiHandler::RunsOnIoThread(req("POST", "/api/v1/namespaces/default/pods", "dryRun=All")));
  CHECK_FALSE(ApiHandler::RunsOnIoThread(req("PUT", "/api/v1/namespaces/default/pods/p")));
  CHECK_FALSE(ApiHandler::RunsOnIoThread(req("DELETE", "/api/v1/namespaces/default/pods/p")));
}

// A create that answers through AsyncReply gives the same answers as the synchronous path.
class RecordingReply : public AsyncReply {
 public:
  void Post(std::function<void()> fn) override {
    std::lock_guard<std::mutex> l(mu_);
    posted_.push_back(std::move(fn));
    cv_.notify_all();
  }
  void Send(HttpResponse resp) override {
    sent_ = std::move(resp);
    ++sends_;
  }
  // Waits for the store's callback, then runs the posted work here (as the loop would).
  HttpResponse Await() {
    std::function<void()> fn;
    {
      std::unique_lock<std::mutex> l(mu_);
      REQUIRE(cv_.wait_for(l, std::chrono::seconds(10), [&] { return !posted_.empty(); }));
      fn = std::move(posted_.front());
      posted_.clear();
    }
    fn();
    REQUIRE(sends_ == 1);
    return std::move(sent_);
  }

 private:
  std::mutex mu_;
  std::condition_variable cv_;
  std::vector<std::function<void()>> posted_;
  HttpResponse sent_;
  int sends_ = 0;
};

TEST_CASE("ApiHandler: asynchronous create answers like the synchronous one") {
  Server ts;
  auto post = [&](const std::string& body, std::shared_ptr<RecordingReply> reply) {
    ts.SetReply(reply);
    return ts.Do("POST", "/api/v1/namespaces/default/configmaps", body);
  };
  auto reply = std::make_shared<RecordingReply>();
  HttpResponse first = post(R"({"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"a"},"data":{"k":"v"}})", reply);
  CHECK(first.deferred);
  HttpResponse created = reply->Await();
  CHECK(created.status == 201);
  json::object obj = Body(created);
  CHECK(Str(obj, "metadata.name") == "a");
  CHECK_FALSE(Str(obj, "metadata.resourceVersion").empty());
  CHECK_FALSE(Str(obj, "metadata.uid").empty());

  // The same name again: AlreadyExists through the same path.
  auto reply2 = std::make_shared<RecordingReply>();
  CHECK(post(R"({"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"a"}})", reply2).deferred);
  HttpResponse dup = reply2->Await();
  CHECK(dup.status == 409);
  CHECK(Str(Body(dup), "reason") == "AlreadyExists");

  // Validation errors come back through the reply too (posted at once, no store write).
  auto reply3 = std::make_shared<RecordingReply>();
  CHECK(post(R"({"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"Bad_Name"}})", reply3).deferred);
  HttpResponse bad = reply3->Await();
  CHECK(bad.status == 422);
  CHECK(Str(Body(bad), "reason") == "Invalid");

  // The object is readable with the resourceVersion the create reported.
  HttpResponse got = ts.Do("GET", "/api/v1/namespaces/default/configmaps/a");
  REQUIRE(got.status == 200);
  CHECK(Str(Body(got), "metadata.resourceVersion") ==
        Str(obj, "metadata.resourceVersion"));
  // The create's answer is the stored object: the same as a GET, managedFields included.
  CHECK(Body(got) == obj);
  REQUIRE(obj["metadata"].as_object().contains("managedFields"));
  CHECK(obj["metadata"].as_object()["managedFields"].as_array().size() == 1);
}

}  // namespace
}  // namespace kc::apiserver
