#include "pkg/apiserver/service_allocation.h"

#include <doctest/doctest.h>

#include <boost/json/parse.hpp>

namespace kc::apiserver {
namespace {

boost::json::object Svc(const std::string& spec) {
  return boost::json::parse(R"({"metadata":{"name":"s"},"spec":)" + spec + "}").as_object();
}

TEST_CASE("service allocation: type changes on update allocate, carry over and release") {
  auto alloc = ServiceAllocation::Create("10.43.0.0/29", "30000-30001");
  REQUIRE(alloc.ok());
  ServiceAllocation& a = **alloc;
  boost::json::object cip = Svc(R"({"type":"ClusterIP","ports":[{"port":80}]})");
  REQUIRE(a.Assign(cip).ok());
  const std::string ip(cip["spec"].at("clusterIP").as_string());

  // ClusterIP → NodePort: the IP carries over (even when the PUT left it empty), a port is taken.
  boost::json::object np = Svc(R"({"type":"NodePort","ports":[{"port":80}]})");
  auto c = a.AssignForUpdate(np, cip);
  REQUIRE(c.ok());
  CHECK(np["spec"].at("clusterIP").as_string() == ip.c_str());
  int64_t port = np["spec"].at("ports").as_array()[0].at("nodePort").as_int64();
  CHECK(c->node_ports == std::vector<int64_t>{port});
  a.ReleaseDropped(np, cip);

  // A second NodePort Service gets the other port; a third finds the range full.
  boost::json::object other = Svc(R"({"type":"NodePort","ports":[{"port":81}]})");
  REQUIRE(a.Assign(other).ok());
  boost::json::object full = Svc(R"({"type":"NodePort","ports":[{"port":82}]})");
  CHECK_FALSE(a.Assign(full).ok());

  // NodePort → ClusterIP drops the unchanged nodePort and, once stored, frees it.
  boost::json::object back = np;
  back["spec"].as_object()["type"] = "ClusterIP";
  back["spec"].as_object()["externalTrafficPolicy"] = "Cluster";
  boost::json::object np_with_policy = np;
  np_with_policy["spec"].as_object()["externalTrafficPolicy"] = "Cluster";
  auto c2 = a.AssignForUpdate(back, np_with_policy);
  REQUIRE(c2.ok());
  CHECK_FALSE(back["spec"].at("ports").as_array()[0].as_object().contains("nodePort"));
  CHECK_FALSE(back["spec"].as_object().contains("externalTrafficPolicy"));
  a.ReleaseDropped(back, np);
  boost::json::object again = Svc(R"({"type":"NodePort","ports":[{"port":83}]})");
  CHECK(a.Assign(again).ok());  // the freed port is available again

  // An update that is not stored gives back what it allocated.
  boost::json::object ext = Svc(R"({"type":"ExternalName","externalName":"x.example"})");
  REQUIRE(a.Assign(ext).ok());
  boost::json::object to_cip = Svc(R"({"type":"ClusterIP","ports":[{"port":80}]})");
  auto c3 = a.AssignForUpdate(to_cip, ext);
  REQUIRE(c3.ok());
  REQUIRE(c3->ips.size() == 1);
  a.Undo(*c3);
  boost::json::object want = Svc(R"({"type":"ClusterIP","clusterIP":")" + c3->ips[0] +
                                 R"(","ports":[{"port":80}]})");
  CHECK(a.Assign(want).ok());  // that IP is free again
}

}  // namespace
}  // namespace kc::apiserver
