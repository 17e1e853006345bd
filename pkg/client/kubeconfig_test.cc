#include <doctest/doctest.h>

#include <unistd.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <string>

#include "pkg/client/http_client.h"

namespace kc::client {
namespace {

const char kCaPem[] = "-----BEGIN CERTIFICATE-----\nCAAA\n-----END CERTIFICATE-----\n";
const char kCertPem[] = "-----BEGIN CERTIFICATE-----\nCERT\n-----END CERTIFICATE-----\n";
const char kKeyPem[] = "-----BEGIN EC PRIVATE KEY-----\nKEY\n-----END EC PRIVATE KEY-----\n";

std::string Base64(const std::string& in) {
  static const char kAlphabet[] =
      "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  std::string out;
  size_t i = 0;
  for (; i + 2 < in.size(); i += 3) {
    uint32_t v = (uint8_t(in[i]) << 16) | (uint8_t(in[i + 1]) << 8) | uint8_t(in[i + 2]);
    for (int s = 18; s >= 0; s -= 6) out.push_back(kAlphabet[(v >> s) & 63]);
  }
  if (i + 1 == in.size()) {
    uint32_t v = uint8_t(in[i]) << 16;
    out += {kAlphabet[(v >> 18) & 63], kAlphabet[(v >> 12) & 63], '=', '='};
  } else if (i + 2 == in.size()) {
    uint32_t v = (uint8_t(in[i]) << 16) | (uint8_t(in[i + 1]) << 8);
    out += {kAlphabet[(v >> 18) & 63], kAlphabet[(v >> 12) & 63], kAlphabet[(v >> 6) & 63], '='};
  }
  return out;
}

std::string SampleKubeconfig() {
  return R"(apiVersion: v1
kind: Config
clusters:
- name: other
  cluster:
    server: https://10.0.0.1:6443
    insecure-skip-tls-verify: true
- name: kcluster
  cluster:
    server: https://127.0.0.1:6443
    certificate-authority-data: )" +
         Base64(kCaPem) + R"(
contexts:
- name: other-ctx
  context:
    cluster: other
    user: token-user
    namespace: dev
- name: default
  context:
    cluster: kcluster
    user: admin
current-context: default
users:
- name: admin
  user:
    client-certificate-data: )" +
         Base64(kCertPem) + R"(
    client-key-data: )" +
         Base64(kKeyPem) + R"(
- name: token-user
  user:
    token: abc.def
)";
}

TEST_CASE("ParseKubeconfig reads the current context with -data fields") {
  api::Result<HttpClientConfig> r = HttpClient::ParseKubeconfig(SampleKubeconfig(), "/etc/kc");
  REQUIRE(r.ok());
  CHECK(r->server == "https://127.0.0.1:6443");
  CHECK(r->ca_pem == kCaPem);
  CHECK(r->cert_pem == kCertPem);
  CHECK(r->key_pem == kKeyPem);
  CHECK(r->ca_file.empty());
  CHECK(r->cert_file.empty());
  CHECK(r->bearer_token.empty());
  CHECK_FALSE(r->insecure_skip_verify);
  CHECK(r->default_namespace.empty());
}

TEST_CASE("ParseKubeconfig with an explicit context") {
  api::Result<HttpClientConfig> r =
      HttpClient::ParseKubeconfig(SampleKubeconfig(), "/etc/kc", "other-ctx");
  REQUIRE(r.ok());
  CHECK(r->server == "https://10.0.0.1:6443");
  CHECK(r->insecure_skip_verify);
  CHECK(r->bearer_token == "abc.def");
  CHECK(r->default_namespace == "dev");
  CHECK(r->ca_pem.empty());
}

TEST_CASE("LoadKubeconfig resolves file paths against the kubeconfig's directory") {
  namespace fs = std::filesystem;
  fs::path dir = fs::temp_directory_path() / ("kc-kubeconfig-test-" + std::to_string(::getpid()));
  fs::create_directories(dir);
  {
    std::ofstream(dir / "token") << "file-token\n";
    std::ofstream(dir / "config") << R"(
clusters:
- name: c
  cluster:
    server: https://example:6443
    certificate-authority: ca.crt
contexts:
- name: x
  context: {cluster: c, user: u}
current-context: x
users:
- name: u
  user:
    client-certificate: certs/admin.crt
    client-key: /abs/admin.key
    tokenFile: token
)";
  }
  api::Result<HttpClientConfig> r = HttpClient::LoadKubeconfig((dir / "config").string());
  REQUIRE(r.ok());
  CHECK(r->ca_file == (dir / "ca.crt").string());
  CHECK(r->cert_file == (dir / "certs/admin.crt").string());
  CHECK(r->key_file == "/abs/admin.key");
  CHECK(r->bearer_token == "file-token");
  fs::remove_all(dir);

  api::Result<HttpClientConfig> missing = HttpClient::LoadKubeconfig((dir / "nope").string());
  CHECK(missing.status().reason() == api::Reason::kInvalid);
}

TEST_CASE("ParseKubeconfig rejects broken kubeconfigs with an error value") {
  struct Case {
    const char* name;
    std::string yaml;
    const char* context;
    std::string want;  // part of the message
  };
  const Case cases[] = {
      {"malformed yaml", "clusters: [unclosed", "", "kubeconfig: "},
      {"not a map", "- a\n- b\n", "", "not a YAML map"},
      {"empty", "", "", "not a YAML map"},
      {"no current context", "clusters: []\n", "", "no current-context"},
      {"unknown context", SampleKubeconfig(), "nope", "context \"nope\" not found"},
      {"missing cluster",
       "current-context: a\ncontexts:\n- name: a\n  context: {cluster: zz, user: u}\n", "",
       "cluster \"zz\" not found"},
      {"missing server",
       "current-context: a\ncontexts:\n- name: a\n  context: {cluster: c}\nclusters:\n- name: c\n"
       "  cluster: {}\n",
       "", "has no server"},
      {"bad base64",
       "current-context: a\ncontexts:\n- name: a\n  context: {cluster: c}\nclusters:\n- name: c\n"
       "  cluster: {server: 'https://x', certificate-authority-data: 'not*base64'}\n",
       "", "certificate-authority-data is not base64"},
      {"contexts is a scalar", "current-context: a\ncontexts: 5\n", "", "context \"a\" not found"},
      {"unknown user",
       "current-context: a\ncontexts:\n- name: a\n  context: {cluster: c, user: nobody}\n"
       "clusters:\n- name: c\n  cluster: {server: 'https://x'}\n",
       "", "user \"nobody\" not found"},
  };
  for (const Case& c : cases) {
    std::string name = c.name;
    CAPTURE(name);
    api::Result<HttpClientConfig> r = HttpClient::ParseKubeconfig(c.yaml, "/tmp", c.context);
    CHECK_FALSE(r.ok());
    CHECK(r.status().reason() == api::Reason::kInvalid);
    CHECK(r.status().message().find(c.want) != std::string::npos);
  }
}

}  // namespace
}  // namespace kc::client
