#include "pkg/controllers/servicelb_controller.h"

#include <doctest/doctest.h>

#include <boost/json/parse.hpp>

#include "pkg/client/fake_client.h"
#include "pkg/controllers/controller_test_util.h"

namespace kc::controllers {
namespace {

const client::ResourceRef kServices{"", "v1", "services"};
const client::ResourceRef kNodes{"", "v1", "nodes"};

client::Object Json(const std::string& s) { return boost::json::parse(s).as_object(); }

std::string Ingress(client::FakeClient& c, const std::string& name) {
  api::Result<client::Object> s = c.Get(kServices, "default", name);
  if (!s.ok()) return "?";
  const boost::json::value* st = s->if_contains("status");
  if (!st || !st->as_object().contains("loadBalancer")) return "";
  const boost::json::object& lb = st->at("loadBalancer").as_object();
  if (!lb.contains("ingress")) return "";
  std::string out;
  for (const auto& i : lb.at("ingress").as_array()) out += std::string(i.at("ip").as_string()) + ";";
  return out;
}

TEST_CASE("servicelb: LoadBalancer Services get the Ready nodes' InternalIPs") {
  client::FakeClient c;
  client::SharedInformerFactory f(c);
  ServiceLBController lb(c, f);
  f.Start();
  REQUIRE(f.WaitForCacheSync(std::chrono::seconds(5)));
  lb.Start(1);
  REQUIRE(c.Create(kNodes, "", Json(R"({"metadata":{"name":"n1"},"status":{"addresses":[{"type":"InternalIP","address":"192.0.2.7"}],"conditions":[{"type":"Ready","status":"True"}]}})")).ok());
  REQUIRE(c.Create(kNodes, "", Json(R"({"metadata":{"name":"n2"},"status":{"addresses":[{"type":"InternalIP","address":"192.0.2.8"}],"conditions":[{"type":"Ready","status":"False"}]}})")).ok());
  REQUIRE(c.Create(kServices, "default", Json(R"({"metadata":{"name":"lb","namespace":"default"},"spec":{"type":"LoadBalancer","ports":[{"port":80}]}})")).ok());
  REQUIRE(c.Create(kServices, "default", Json(R"({"metadata":{"name":"plain","namespace":"default"},"spec":{"type":"ClusterIP","ports":[{"port":80}]}})")).ok());
  CHECK(testing::WaitFor([&] { return Ingress(c, "lb") == "192.0.2.7;"; }));
  CHECK(Ingress(c, "plain") == "");
  // The second node becomes Ready → listed too.
  client::Object n2 = *c.Get(kNodes, "", "n2");
  n2["status"].as_object()["conditions"] = boost::json::parse(R"([{"type":"Ready","status":"True"}])");
  client::WriteOptions status;
  status.subresource = "status";
  REQUIRE(c.Update(kNodes, "", n2, status).ok());
  CHECK(testing::WaitFor([&] { return Ingress(c, "lb") == "192.0.2.7;192.0.2.8;"; }));
  // No longer a LoadBalancer → ingress cleared.
  client::Object s = *c.Get(kServices, "default", "lb");
  s["spec"].as_object()["type"] = "ClusterIP";
  REQUIRE(c.Update(kServices, "default", s).ok());
  CHECK(testing::WaitFor([&] { return Ingress(c, "lb") == ""; }));
  lb.Stop();
  f.Stop();
}

}  // namespace
}  // namespace kc::controllers
