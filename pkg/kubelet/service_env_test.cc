#include "pkg/kubelet/service_env.h"

#include <doctest/doctest.h>

#include <boost/json/parse.hpp>
#include <map>

namespace kc::kubelet {
namespace {

client::ObjectPtr Svc(const std::string& ns, const std::string& name, const std::string& spec) {
  return std::make_shared<client::Object>(
      boost::json::parse(R"({"metadata":{"name":")" + name + R"(","namespace":")" + ns +
                         R"("},"spec":)" + spec + "}")
          .as_object());
}

TEST_CASE("service env vars: docker-links names for the pod's namespace and kubernetes") {
  std::vector<client::ObjectPtr> svcs = {
      Svc("default", "kubernetes",
          R"({"clusterIP":"10.43.0.1","ports":[{"name":"https","port":443,"protocol":"TCP"}]})"),
      Svc("shop", "redis-master",
          R"({"clusterIP":"10.43.0.11","ports":[{"name":"db","port":6379},{"port":53,"protocol":"UDP"}]})"),
      Svc("shop", "headless", R"({"clusterIP":"None","ports":[{"port":80}]})"),
      Svc("other", "elsewhere", R"({"clusterIP":"10.43.0.12","ports":[{"port":80}]})"),
  };
  auto v = ServiceEnvVars(svcs, "shop", true);
  std::map<std::string, std::string> env(v.begin(), v.end());
  CHECK(env.at("KUBERNETES_SERVICE_HOST") == "10.43.0.1");
  CHECK(env.at("KUBERNETES_SERVICE_PORT") == "443");
  CHECK(env.at("KUBERNETES_SERVICE_PORT_HTTPS") == "443");
  CHECK(env.at("KUBERNETES_PORT") == "tcp://10.43.0.1:443");
  CHECK(env.at("REDIS_MASTER_SERVICE_HOST") == "10.43.0.11");
  CHECK(env.at("REDIS_MASTER_SERVICE_PORT") == "6379");
  CHECK(env.at("REDIS_MASTER_SERVICE_PORT_DB") == "6379");
  CHECK(env.at("REDIS_MASTER_PORT") == "tcp://10.43.0.11:6379");
  CHECK(env.at("REDIS_MASTER_PORT_6379_TCP") == "tcp://10.43.0.11:6379");
  CHECK(env.at("REDIS_MASTER_PORT_6379_TCP_PROTO") == "tcp");
  CHECK(env.at("REDIS_MASTER_PORT_6379_TCP_PORT") == "6379");
  CHECK(env.at("REDIS_MASTER_PORT_6379_TCP_ADDR") == "10.43.0.11");
  CHECK(env.at("REDIS_MASTER_PORT_53_UDP") == "udp://10.43.0.11:53");
  CHECK(env.count("HEADLESS_SERVICE_HOST") == 0);
  CHECK(env.count("ELSEWHERE_SERVICE_HOST") == 0);

  SUBCASE("enableServiceLinks=false keeps only the kubernetes service") {
    auto w = ServiceEnvVars(svcs, "shop", false);
    std::map<std::string, std::string> e(w.begin(), w.end());
    CHECK(e.count("KUBERNETES_SERVICE_HOST") == 1);
    CHECK(e.count("REDIS_MASTER_SERVICE_HOST") == 0);
  }
}

}  // namespace
}  // namespace kc::kubelet
