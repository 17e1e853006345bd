#include "pkg/kubelet/env.h"

#include <doctest/doctest.h>

#include <boost/json/parse.hpp>

#include "pkg/client/fake_client.h"
#include "pkg/kubelet/pull_secrets.h"
#include "pkg/kubelet/service_env.h"

namespace kc::kubelet {
namespace {

std::optional<std::string> Lookup(const std::string& name) {
  if (name == "A") return std::string("1");
  if (name == "EMPTY") return std::string();
  return std::nullopt;
}

TEST_CASE("$(VAR) expansion follows upstream") {
  struct Case {
    const char* in;
    const char* want;
  };
  Case cases[] = {
      {"$(A)", "1"},          {"x$(A)y", "x1y"},        {"$(B)", "$(B)"},
      {"$$(A)", "$(A)"},      {"$$", "$"},              {"$(A", "$(A"},
      {"$A", "$A"},           {"$", "$"},               {"$()", "$()"},
      {"$(EMPTY)z", "z"},     {"$(A)$(A)", "11"},       {"a$$b", "a$b"},
  };
  for (const Case& c : cases) {
    CAPTURE(c.in);
    CHECK(ExpandVars(c.in, Lookup) == c.want);
  }
}

TEST_CASE("environment resolution") {
  client::FakeClient client;
  REQUIRE(client.Seed({"", "v1", "configmaps"}, json::parse(R"({"metadata":{"name":"cm","namespace":"ns"},
      "data":{"k":"v"}})").as_object()).ok());
  json::object pod = json::parse(R"({"metadata":{"name":"p","namespace":"ns","uid":"u",
      "labels":{"tier":"db"},"annotations":{"note":"hi"}},
      "spec":{"nodeName":"n1","serviceAccountName":"sa","containers":[{"name":"c",
        "resources":{"requests":{"memory":"64Mi"},"limits":{"memory":"128Mi"}}}]}})").as_object();
  ConfigSource config(client);
  EnvContext ctx;
  ctx.pod = &pod;
  ctx.pod_ip = "10.42.0.9";
  ctx.pod_ips = {"10.42.0.9"};
  ctx.host_ip = "10.0.0.5";
  ctx.config = &config;
  ctx.service_env = ServiceEnvVars(
      {std::make_shared<const json::object>(
          json::parse(R"({"metadata":{"name":"kubernetes","namespace":"default"},
              "spec":{"clusterIP":"10.43.0.1","ports":[{"name":"https","port":443}]}})")
              .as_object())},
      "ns", true);
  const json::object& c = pod.at("spec").at("containers").at(0).as_object();

  json::object container = c;
  container["envFrom"] = json::parse(R"([{"configMapRef":{"name":"cm"},"prefix":"P_"},
      {"secretRef":{"name":"nosecret","optional":true}}])");
  container["env"] = json::parse(R"J([
      {"name":"LABEL","valueFrom":{"fieldRef":{"fieldPath":"metadata.labels['tier']"}}},
      {"name":"NOTE","valueFrom":{"fieldRef":{"fieldPath":"metadata.annotations['note']"}}},
      {"name":"UID","valueFrom":{"fieldRef":{"fieldPath":"metadata.uid"}}},
      {"name":"SA","valueFrom":{"fieldRef":{"fieldPath":"spec.serviceAccountName"}}},
      {"name":"HOST","valueFrom":{"fieldRef":{"fieldPath":"status.hostIP"}}},
      {"name":"IPS","valueFrom":{"fieldRef":{"fieldPath":"status.podIPs"}}},
      {"name":"MEM","valueFrom":{"resourceFieldRef":{"resource":"limits.memory","divisor":"1Mi"}}},
      {"name":"REQ","valueFrom":{"resourceFieldRef":{"resource":"requests.memory"}}},
      {"name":"P_k","value":"override-$(P_k)"},
      {"name":"K8S","value":"$(KUBERNETES_SERVICE_HOST)"}])J");
  auto env = MakeEnvironment(container, ctx);
  REQUIRE(env.ok());
  std::map<std::string, std::string> m(env->begin(), env->end());
  CHECK(m["LABEL"] == "db");
  CHECK(m["NOTE"] == "hi");
  CHECK(m["UID"] == "u");
  CHECK(m["SA"] == "sa");
  CHECK(m["HOST"] == "10.0.0.5");
  CHECK(m["IPS"] == "10.42.0.9");
  CHECK(m["MEM"] == "128");
  CHECK(m["REQ"] == std::to_string(64 * 1024 * 1024));
  CHECK(m["P_k"] == "override-v");
  CHECK(m["K8S"] == "10.43.0.1");
  CHECK(m["KUBERNETES_SERVICE_PORT_HTTPS"] == "443");
  CHECK(env->front().first == "P_k");  // envFrom first, in key order

  SUBCASE("missing sources") {
    json::object bad = c;
    bad["env"] = json::parse(R"([{"name":"X","valueFrom":{"configMapKeyRef":{"name":"nope","key":"k"}}}])");
    auto r = MakeEnvironment(bad, ctx);
    REQUIRE(!r.ok());
    CHECK(r.status().message() == "configmap \"nope\" not found");
    bad["env"] = json::parse(R"([{"name":"X","valueFrom":{"secretKeyRef":{"name":"s","key":"k"}}}])");
    r = MakeEnvironment(bad, ctx);
    REQUIRE(!r.ok());
    CHECK(r.status().message() == "secret \"s\" not found");
    bad["env"] = json::parse(
        R"([{"name":"X","valueFrom":{"configMapKeyRef":{"name":"cm","key":"zz","optional":true}}}])");
    r = MakeEnvironment(bad, ctx);
    REQUIRE(r.ok());
  }
}

TEST_CASE("base64 decoding") {
  CHECK(*DecodeBase64("aHVudGVyMg==") == "hunter2");
  CHECK(*DecodeBase64("") == "");
  CHECK(*DecodeBase64("YQ==") == "a");
  CHECK(!DecodeBase64("abc").has_value());
  CHECK(!DecodeBase64("a=bc").has_value());
  CHECK(!DecodeBase64("@@@@").has_value());
}


TEST_CASE("image pull secrets") {
  CHECK(RegistryHost("docker.io/library/busybox:1") == "docker.io");
  CHECK(RegistryHost("myreg:5000/a/b:2") == "myreg:5000");
  auto a = FindAuth(R"({"auths":{"https://index.docker.io/v1/":{"username":"u","password":"p"}}})",
                    "docker.io");
  REQUIRE(a.has_value());
  CHECK(a->username() == "u");
  CHECK(a->password() == "p");
  CHECK(!FindAuth(R"({"auths":{"other.io":{"auth":"eDp5"}}})", "docker.io").has_value());
  CHECK(FindAuth(R"({"myreg:5000":{"auth":"eDp5"}})", "myreg:5000")->auth() == "eDp5");
  CHECK(!FindAuth("not json", "x").has_value());

  client::FakeClient client;
  REQUIRE(client.Seed({"", "v1", "secrets"}, json::parse(R"({"metadata":{"name":"reg","namespace":"ns"},
      "type":"kubernetes.io/dockerconfigjson",
      "data":{".dockerconfigjson":"eyJhdXRocyI6eyJteXJlZzo1MDAwIjp7InVzZXJuYW1lIjoiYSIsInBhc3N3b3JkIjoiYiJ9fX0="}})")
                                            .as_object()).ok());
  json::object pod = json::parse(R"({"metadata":{"name":"p","namespace":"ns"},
      "spec":{"imagePullSecrets":[{"name":"missing"},{"name":"reg"}]}})").as_object();
  ConfigSource config(client);
  auto auth = PullAuthFor(pod, "myreg:5000/team/app:2", config);
  REQUIRE(auth.has_value());
  CHECK(auth->username() == "a");
  CHECK(auth->server_address() == "myreg:5000");
  CHECK(!PullAuthFor(pod, "docker.io/library/busybox:1", config).has_value());
}

}  // namespace
}  // namespace kc::kubelet
