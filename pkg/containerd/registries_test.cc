#include "pkg/containerd/registries.h"

#include <doctest/doctest.h>

#include <filesystem>
#include <string>

#include "pkg/fsutil/file_util.h"
#include "pkg/containerd/test_util.h"

namespace kc::containerd {
namespace {

bool Contains(const std::string& haystack, const std::string& needle) {
  return haystack.find(needle) != std::string::npos;
}

constexpr char kFullYaml[] = R"(
mirrors:
  docker.io:
    endpoint:
      - "http://127.0.0.1:5000"
      - "https://mirror.example:8443/"
  "myreg.example:5000":
    endpoint: ["http://myreg.example:5000"]
  "*":
    endpoint: [any-mirror.example]
configs:
  "mirror.example:8443":
    auth:
      username: alice
      password: s3cret
    tls:
      insecure_skip_verify: true
      ca_file: /etc/ssl/mirror-ca.pem
      cert_file: /etc/ssl/client.pem
      key_file: /etc/ssl/client-key.pem
  docker.io:
    auth:
      auth: YWxpY2U6czNjcmV0
  ghcr.io:
    auth:
      identity_token: tok
  secure.example:
    tls:
      ca_file: /ca.pem
)";

TEST_CASE("ParseRegistriesYaml reads mirrors and configs") {
  auto r = ParseRegistriesYaml(kFullYaml);
  REQUIRE(r.ok());
  REQUIRE(r->mirrors.size() == 3);
  CHECK(r->mirrors.at("docker.io") ==
        std::vector<std::string>{"http://127.0.0.1:5000", "https://mirror.example:8443"});
  CHECK(r->mirrors.at("myreg.example:5000") ==
        std::vector<std::string>{"http://myreg.example:5000"});
  // A scheme-less endpoint defaults to https, as in k3s.
  CHECK(r->mirrors.at("*") == std::vector<std::string>{"https://any-mirror.example"});

  REQUIRE(r->configs.size() == 4);
  const RegistryConfig& m = r->configs.at("mirror.example:8443");
  CHECK(m.auth.username == "alice");
  CHECK(m.auth.password == "s3cret");
  CHECK(m.tls.insecure_skip_verify);
  CHECK(m.tls.ca_file == "/etc/ssl/mirror-ca.pem");
  CHECK(m.tls.cert_file == "/etc/ssl/client.pem");
  CHECK(m.tls.key_file == "/etc/ssl/client-key.pem");
  CHECK(r->configs.at("docker.io").auth.auth == "YWxpY2U6czNjcmV0");
  CHECK(r->configs.at("ghcr.io").auth.identity_token == "tok");
  CHECK(r->configs.at("secure.example").tls.ca_file == "/ca.pem");
}

TEST_CASE("ParseRegistriesYaml: empty documents") {
  for (const char* text : {"", "\n", "# nothing\n", "mirrors:\nconfigs:\n", "mirrors: {}\n"}) {
    SUBCASE(text) {
      auto r = ParseRegistriesYaml(text);
      REQUIRE(r.ok());
      CHECK(r->mirrors.empty());
      CHECK(r->configs.empty());
    }
  }
}

TEST_CASE("ParseRegistriesYaml rejects malformed files") {
  struct Case {
    const char* yaml;
    const char* why;
  };
  const Case cases[] = {
      {"mirrors: [\n", "registries.yaml"},  // YAML syntax error
      {"- a\n- b\n", "top level: must be a mapping"},
      {"mirror:\n  docker.io: {}\n", "unknown field"},
      {"mirrors: [a]\n", "mirrors: must be a mapping"},
      {"mirrors:\n  docker.io:\n    endpoints: [x]\n",
       "mirrors.docker.io.endpoints: unknown field"},
      {"mirrors:\n  docker.io:\n    endpoint: http://x\n", "must be a list"},
      {"mirrors:\n  docker.io:\n    endpoint: [ftp://x]\n", "is not an http(s) URL"},
      {"mirrors:\n  docker.io:\n    endpoint: [\"http://\"]\n", "is not an http(s) URL"},
      {"mirrors:\n  docker.io:\n    endpoint: [{a: b}]\n", "must be a string"},
      {"mirrors:\n  \"http://docker.io\":\n    endpoint: []\n", "not a registry host name"},
      {"configs:\n  x:\n    auth: {user: a}\n", "configs.x.auth.user: unknown field"},
      {"configs:\n  x:\n    tls: {insecure_skip_verify: maybe}\n", "must be true or false"},
      {"configs:\n  x:\n    tls: {cert_file: /c.pem}\n", "cert_file and key_file"},
      {"configs:\n  x:\n    tlss: {}\n", "unknown field"},
      {"configs:\n  x: [1]\n", "must be a mapping"},
  };
  for (const Case& c : cases) {
    SUBCASE(c.yaml) {
      auto r = ParseRegistriesYaml(c.yaml);
      REQUIRE_FALSE(r.ok());
      CHECK(r.status().reason() == api::Reason::kInvalid);
      INFO(r.status().message());
      CHECK(Contains(r.status().message(), c.why));
    }
  }
}

TEST_CASE("HostDirName follows containerd's certs.d lookup") {
  struct Case {
    const char* host;
    const char* dir;
  };
  const Case cases[] = {
      {"docker.io", "docker.io"},
      {"*", "_default"},
      {"myreg.example:5000", "myreg.example_5000_"},
      {"127.0.0.1:5077", "127.0.0.1_5077_"},
      {"[::1]:5000", "[::1]_5000_"},
      {"localhost", "localhost"},
  };
  for (const Case& c : cases) {
    SUBCASE(c.host) { CHECK(HostDirName(c.host) == c.dir); }
  }
}

TEST_CASE("RenderHostsTomls") {
  auto r = ParseRegistriesYaml(kFullYaml);
  REQUIRE(r.ok());
  auto files = RenderHostsTomls(*r);
  // docker.io, myreg (mirrors), _default (*), mirror.example_8443_ and secure.example (TLS only).
  REQUIRE(files.size() == 5);

  SUBCASE("docker.io: upstream server, mirrors in order, TLS of the endpoint host") {
    const std::string& t = files.at("docker.io");
    CHECK(Contains(t, "server = \"https://registry-1.docker.io\"\n"));
    size_t http =
        t.find("[host.\"http://127.0.0.1:5000\"]\n  capabilities = [\"pull\", \"resolve\"]\n");
    size_t https = t.find(
        "[host.\"https://mirror.example:8443\"]\n  capabilities = [\"pull\", \"resolve\"]\n"
        "  skip_verify = true\n"
        "  ca = \"/etc/ssl/mirror-ca.pem\"\n"
        "  client = [[\"/etc/ssl/client.pem\", \"/etc/ssl/client-key.pem\"]]\n");
    REQUIRE(http != std::string::npos);
    REQUIRE(https != std::string::npos);
    CHECK(http < https);
    CHECK(t.find("skip_verify") > http);  // nothing for the plain-http mirror
  }
  SUBCASE("registry with a port: plain http mirror of itself") {
    const std::string& t = files.at("myreg.example_5000_");
    CHECK(Contains(t, "server = \"https://myreg.example:5000\"\n"));
    CHECK(Contains(t, "[host.\"http://myreg.example:5000\"]\n"));
  }
  SUBCASE("wildcard: _default without a server line") {
    const std::string& t = files.at("_default");
    CHECK_FALSE(Contains(t, "server ="));
    CHECK(Contains(t, "[host.\"https://any-mirror.example\"]\n"));
  }
  SUBCASE("TLS-only registry: top-level settings for its own server") {
    const std::string& t = files.at("secure.example");
    CHECK(Contains(t, "server = \"https://secure.example\"\nca = \"/ca.pem\"\n"));
    CHECK_FALSE(Contains(t, "[host."));
  }
}

TEST_CASE("RegistryAuths: credentials for config.toml") {
  auto r = ParseRegistriesYaml(kFullYaml);
  REQUIRE(r.ok());
  auto auths = RegistryAuths(*r);
  REQUIRE(auths.size() == 4);
  CHECK(auths.at("mirror.example:8443").username == "alice");
  CHECK(auths.at("docker.io").auth == "YWxpY2U6czNjcmV0");
  // containerd asks for Docker Hub credentials under the host it contacts.
  CHECK(auths.at("registry-1.docker.io").auth == "YWxpY2U6czNjcmV0");
  CHECK(auths.at("ghcr.io").identity_token == "tok");
  CHECK(auths.count("secure.example") == 0);
}

TEST_CASE("WriteHostsDir replaces earlier hosts.toml directories") {
  testing::TempDir tmp;
  std::string certs = tmp.path() + "/certs.d";
  auto first = ParseRegistriesYaml(kFullYaml);
  REQUIRE(first.ok());
  REQUIRE(WriteHostsDir(certs, *first).ok());
  CHECK(std::filesystem::exists(certs + "/docker.io/hosts.toml"));
  CHECK(std::filesystem::exists(certs + "/myreg.example_5000_/hosts.toml"));
  CHECK(std::filesystem::exists(certs + "/_default/hosts.toml"));
  // A directory someone else put there without a hosts.toml is not ours: kept.
  std::filesystem::create_directories(certs + "/foreign");

  auto second =
      ParseRegistriesYaml("mirrors:\n  docker.io:\n    endpoint: [\"http://10.0.0.1:5000\"]\n");
  REQUIRE(second.ok());
  REQUIRE(WriteHostsDir(certs, *second).ok());
  auto t = fsutil::ReadFile(certs + "/docker.io/hosts.toml");
  REQUIRE(t.ok());
  CHECK(Contains(*t, "http://10.0.0.1:5000"));
  CHECK_FALSE(Contains(*t, "127.0.0.1"));
  CHECK_FALSE(std::filesystem::exists(certs + "/myreg.example_5000_"));
  CHECK_FALSE(std::filesystem::exists(certs + "/_default"));
  CHECK(std::filesystem::exists(certs + "/foreign"));

  REQUIRE(WriteHostsDir(certs, Registries{}).ok());
  CHECK_FALSE(std::filesystem::exists(certs + "/docker.io"));
}

TEST_CASE("LoadRegistriesFile") {
  testing::TempDir tmp;
  SUBCASE("missing file is NotFound") {
    CHECK(LoadRegistriesFile(tmp.path() + "/nope.yaml").status().reason() ==
          api::Reason::kNotFound);
  }
  SUBCASE("bad file names the path") {
    std::string path = tmp.path() + "/registries.yaml";
    REQUIRE(fsutil::WriteFileAtomic(path, "mirrors: [\n", 0600).ok());
    auto r = LoadRegistriesFile(path);
    REQUIRE_FALSE(r.ok());
    CHECK(r.status().reason() == api::Reason::kInvalid);
    CHECK(Contains(r.status().message(), path));
  }
}

}  // namespace
}  // namespace kc::containerd
