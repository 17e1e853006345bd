#include "pkg/pki/kubeconfig.h"

#include <doctest/doctest.h>
#include <yaml-cpp/yaml.h>

#include "pkg/pki/server_pki.h"
#include "pkg/pki/test_util.h"

namespace kc::pki {

using testing::Base64Decode;
using testing::ModeOf;
using testing::Slurp;
using testing::TempDir;

TEST_CASE("Base64Encode matches RFC 4648 vectors") {
  struct Case {
    const char* in;
    const char* out;
  };
  for (const Case& c : std::vector<Case>{{"", ""},
                                         {"f", "Zg=="},
                                         {"fo", "Zm8="},
                                         {"foo", "Zm9v"},
                                         {"foobar", "Zm9vYmFy"}}) {
    CAPTURE(c.in);
    CHECK(Base64Encode(c.in) == c.out);
  }
  std::string binary("\x00\xff\n", 3);
  CHECK(Base64Decode(Base64Encode(binary)) == binary);
}

TEST_CASE("WriteAdminKubeconfig writes a kubeconfig kubectl can use") {
  TempDir dir;
  std::string tls = dir.File("tls");
  REQUIRE(EnsureServerPki(tls, {}).ok());
  std::string path = dir.File("etc/kcluster/kcluster.yaml");
  REQUIRE(WriteAdminKubeconfig(tls, path, "https://127.0.0.1:6443").ok());
  CHECK(ModeOf(path) == 0600);

  YAML::Node doc;
  REQUIRE_NOTHROW(doc = YAML::Load(Slurp(path)));
  CHECK(doc["apiVersion"].as<std::string>() == "v1");
  CHECK(doc["kind"].as<std::string>() == "Config");
  CHECK(doc["current-context"].as<std::string>() == "default");

  REQUIRE(doc["clusters"].size() == 1);
  YAML::Node cluster = doc["clusters"][0];
  CHECK(cluster["name"].as<std::string>() == "default");
  CHECK(cluster["cluster"]["server"].as<std::string>() == "https://127.0.0.1:6443");
  CHECK(Base64Decode(cluster["cluster"]["certificate-authority-data"].as<std::string>()) ==
        Slurp(tls + "/" + kServerCaCert));

  REQUIRE(doc["users"].size() == 1);
  YAML::Node user = doc["users"][0];
  CHECK(user["name"].as<std::string>() == "default");
  CHECK(Base64Decode(user["user"]["client-certificate-data"].as<std::string>()) ==
        Slurp(tls + "/" + kAdminCert));
  CHECK(Base64Decode(user["user"]["client-key-data"].as<std::string>()) ==
        Slurp(tls + "/" + kAdminKey));

  REQUIRE(doc["contexts"].size() == 1);
  YAML::Node ctx = doc["contexts"][0];
  CHECK(ctx["name"].as<std::string>() == "default");
  CHECK(ctx["context"]["cluster"].as<std::string>() == "default");
  CHECK(ctx["context"]["user"].as<std::string>() == "default");

  // Rewriting replaces the file (new server URL) and keeps the mode.
  REQUIRE(WriteAdminKubeconfig(tls, path, "https://[::1]:7443").ok());
  CHECK(YAML::Load(Slurp(path))["clusters"][0]["cluster"]["server"].as<std::string>() ==
        "https://[::1]:7443");
  CHECK(ModeOf(path) == 0600);
}

TEST_CASE("WriteAdminKubeconfig errors are status values") {
  TempDir dir;
  std::string tls = dir.File("tls");
  SUBCASE("no PKI yet") {
    CHECK(WriteAdminKubeconfig(tls, dir.File("k.yaml"), "https://127.0.0.1:6443").reason() ==
          api::Reason::kNotFound);
  }
  SUBCASE("bad server URL") {
    REQUIRE(EnsureServerPki(tls, {}).ok());
    for (const char* url : {"", "127.0.0.1:6443", "https://a\nb: c"}) {
      CAPTURE(url);
      CHECK(WriteAdminKubeconfig(tls, dir.File("k.yaml"), url).reason() ==
            api::Reason::kInvalid);
    }
    CHECK(ModeOf(dir.File("k.yaml")) == -1);
  }
  SUBCASE("empty path") {
    REQUIRE(EnsureServerPki(tls, {}).ok());
    CHECK(WriteAdminKubeconfig(tls, "", "https://127.0.0.1:6443").reason() ==
          api::Reason::kInvalid);
  }
}

TEST_CASE("RenderKubeconfig quotes the server URL safely") {
  auto yaml = RenderKubeconfig("https://host:6443/#\"x\\", "ca", "cert", "key");
  REQUIRE(yaml.ok());
  YAML::Node doc = YAML::Load(*yaml);
  CHECK(doc["clusters"][0]["cluster"]["server"].as<std::string>() == "https://host:6443/#\"x\\");
}

}  // namespace kc::pki
