#include "pkg/controllers/endpoints_controller.h"

#include <doctest/doctest.h>

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>

#include "pkg/api/json_path.h"
#include "pkg/client/fake_client.h"
#include "pkg/controllers/controller_test_util.h"
#include "pkg/controllers/endpointslice_controller.h"
#include "pkg/controllers/replica_set_test_util.h"
#include "pkg/controllers/service_endpoints.h"

namespace kc::controllers {
namespace {

using testing::kPods;
const client::ResourceRef kServices{"", "v1", "services"};
const client::ResourceRef kEndpoints{"", "v1", "endpoints"};
const client::ResourceRef kSlices{"discovery.k8s.io", "v1", "endpointslices"};

client::Object Json(const std::string& s) { return boost::json::parse(s).as_object(); }

client::Object Service(const std::string& name, const std::string& extra_spec = "") {
  return Json(R"({"apiVersion":"v1","kind":"Service","metadata":{"name":")" + name +
              R"(","namespace":"default","uid":"svc-uid-)" + name +
              R"(","labels":{"team":"a"}},"spec":{"selector":{"app":"web"},"ports":[{"name":"http","port":80,"targetPort":"web","protocol":"TCP"}])" +
              extra_spec + "}}");
}

client::Object Pod(const std::string& name, const std::string& ip, bool ready,
                   const std::string& port_name = "web", int port = 8080) {
  std::string j = R"({"apiVersion":"v1","kind":"Pod","metadata":{"name":")" + name +
                  R"(","namespace":"default","uid":"uid-)" + name +
                  R"(","labels":{"app":"web"}},"spec":{"nodeName":"n1","containers":[{"name":"c","image":"busybox","ports":[{"name":")" +
                  port_name + R"(","containerPort":)" + std::to_string(port) +
                  R"(}]}]},"status":{"phase":"Running")";
  if (!ip.empty()) j += R"(,"podIP":")" + ip + "\"";
  j += R"(,"conditions":[{"type":"Ready","status":")" + std::string(ready ? "True" : "False") +
       R"("}]}})";
  return Json(j);
}

TEST_CASE("service endpoints: named ports resolve per pod; not-ready and IP-less pods") {
  client::Object svc = Service("web");
  std::vector<client::ObjectPtr> pods = {
      std::make_shared<client::Object>(Pod("b", "10.42.0.3", true)),
      std::make_shared<client::Object>(Pod("a", "10.42.0.2", false)),
      std::make_shared<client::Object>(Pod("c", "", true)),                  // no IP yet
      std::make_shared<client::Object>(Pod("d", "10.42.0.5", true, "other")),  // no "web" port
      std::make_shared<client::Object>(Pod("e", "10.42.0.6", true, "web", 9090)),
  };
  std::vector<PodEndpoint> eps = ServiceEndpoints(svc, pods);
  REQUIRE(eps.size() == 3);
  CHECK(eps[0].pod_name == "a");
  CHECK_FALSE(eps[0].ready);
  CHECK(eps[1].ports.at(0).port == 8080);
  CHECK(eps[2].ports.at(0).port == 9090);

  boost::json::array subsets = EndpointsSubsets(svc, eps);
  // Two port sets (8080 and 9090) → two subsets; a is not ready.
  REQUIRE(subsets.size() == 2);
  const boost::json::object& s0 = subsets[0].as_object();
  CHECK(s0.at("addresses").as_array().size() == 1);
  CHECK(s0.at("addresses").as_array()[0].at("ip") == "10.42.0.3");
  CHECK(s0.at("notReadyAddresses").as_array()[0].at("ip") == "10.42.0.2");
  CHECK(s0.at("ports").as_array()[0].at("port") == 8080);
  CHECK(s0.at("ports").as_array()[0].at("name") == "http");
  CHECK(subsets[1].at("addresses").as_array()[0].at("targetRef").at("name") == "e");

  SUBCASE("publishNotReadyAddresses lists every pod as ready") {
    client::Object pub = Service("web", R"(,"publishNotReadyAddresses":true)");
    boost::json::array s = EndpointsSubsets(pub, ServiceEndpoints(pub, pods));
    CHECK(s[0].at("addresses").as_array().size() == 2);
    CHECK_FALSE(s[0].as_object().contains("notReadyAddresses"));
  }
  SUBCASE("a Service without a selector has no computed endpoints") {
    client::Object bare = Json(R"({"metadata":{"name":"x","namespace":"default"},"spec":{"ports":[{"port":80}]}})");
    CHECK_FALSE(ServiceHasSelector(bare));
    CHECK(ServiceEndpoints(bare, pods).empty());
  }
}

struct Fixture {
  client::FakeClient client;
  client::SharedInformerFactory factory{client};
  EndpointsController ep{client, factory};
  EndpointSliceController slices{client, factory, 2};
  Fixture() {
    factory.Start();
    REQUIRE(factory.WaitForCacheSync(std::chrono::seconds(5)));
    ep.Start(1);
    slices.Start(1);
  }
  ~Fixture() {
    ep.Stop();
    slices.Stop();
    factory.Stop();
  }
  std::vector<client::Object> Slices() {
    api::Result<client::ObjectList> l = client.List(kSlices, "default", {});
    REQUIRE(l.ok());
    return l->items;
  }
  size_t SliceEndpoints() {
    size_t n = 0;
    for (const client::Object& s : Slices()) {
      if (const boost::json::value* e = s.if_contains("endpoints"); e && e->is_array()) {
        n += e->get_array().size();
      }
    }
    return n;
  }
};

TEST_CASE("endpoints and endpointslice controllers follow pods of a Service") {
  Fixture f;
  api::Result<client::Object> svc = f.client.Create(kServices, "default", Service("web"));
  REQUIRE(svc.ok());
  const std::string svc_uid = client::ObjectMetaString(*svc, "uid");
  for (int i = 0; i < 3; ++i) {
    REQUIRE(f.client.Create(kPods, "default", Pod("p" + std::to_string(i),
                                                  "10.42.0." + std::to_string(10 + i), true))
                .ok());
  }
  auto ready_ips = [&]() -> size_t {
    api::Result<client::Object> e = f.client.Get(kEndpoints, "default", "web");
    if (!e.ok() || !e->contains("subsets")) return 0;
    size_t n = 0;
    for (const auto& s : e->at("subsets").as_array()) {
      if (s.as_object().contains("addresses")) n += s.at("addresses").as_array().size();
    }
    return n;
  };
  REQUIRE(testing::WaitFor([&] { return ready_ips() == 3; }));
  // Three endpoints, at most 2 per slice → 2 slices, labelled and owned by the Service.
  REQUIRE(testing::WaitFor([&] { return f.SliceEndpoints() == 3 && f.Slices().size() == 2; }));
  for (const client::Object& s : f.Slices()) {
    CHECK(s.at("metadata").at("labels").at(kServiceNameLabel) == "web");
    CHECK(s.at("metadata").at("labels").at(kManagedByLabel) == kSliceControllerName);
    CHECK(s.at("metadata").at("ownerReferences").as_array()[0].at("uid").as_string() == svc_uid.c_str());
    CHECK(s.at("addressType") == "IPv4");
  }

  // One pod goes away → both objects shrink.
  REQUIRE(f.client.Delete(kPods, "default", "p0").ok());
  REQUIRE(testing::WaitFor([&] { return ready_ips() == 2; }));
  REQUIRE(testing::WaitFor([&] { return f.SliceEndpoints() == 2 && f.Slices().size() == 1; }));

  // A user edit of the managed Endpoints is reverted.
  api::Result<client::Object> cur = f.client.Get(kEndpoints, "default", "web");
  REQUIRE(cur.ok());
  client::Object edited = *cur;
  edited.erase("subsets");
  REQUIRE(f.client.Update(kEndpoints, "default", edited).ok());
  REQUIRE(testing::WaitFor([&] { return ready_ips() == 2; }));

  // The Service goes → its Endpoints go (slices are left to the garbage collector upstream; we
  // delete them as well).
  REQUIRE(f.client.Delete(kServices, "default", "web").ok());
  REQUIRE(testing::WaitFor(
      [&] { return !f.client.Get(kEndpoints, "default", "web").ok() && f.Slices().empty(); }));
}

TEST_CASE("a Service without a selector keeps user Endpoints, mirrored into slices") {
  Fixture f;
  REQUIRE(f.client
              .Create(kServices, "default",
                      Json(R"({"apiVersion":"v1","kind":"Service","metadata":{"name":"ext","namespace":"default","uid":"u-ext"},"spec":{"ports":[{"port":80}]}})"))
              .ok());
  client::Object user_ep = Json(
      R"({"apiVersion":"v1","kind":"Endpoints","metadata":{"name":"ext","namespace":"default"},"subsets":[{"addresses":[{"ip":"192.0.2.10"}],"ports":[{"port":8080}]}]})");
  REQUIRE(f.client.Create(kEndpoints, "default", user_ep).ok());
  REQUIRE(testing::WaitFor([&] { return f.Slices().size() == 1; }));
  client::Object s = f.Slices()[0];
  CHECK(s.at("metadata").at("labels").at(kManagedByLabel) == kMirrorControllerName);
  CHECK(s.at("endpoints").as_array()[0].at("addresses").as_array()[0] == "192.0.2.10");
  CHECK(s.at("ports").as_array()[0].at("port") == 8080);
  // The endpoints controller never rewrote the user's object.
  api::Result<client::Object> e = f.client.Get(kEndpoints, "default", "ext");
  REQUIRE(e.ok());
  CHECK(e->at("subsets").as_array()[0].at("addresses").as_array()[0].at("ip") == "192.0.2.10");
}

}  // namespace
}  // namespace kc::controllers
