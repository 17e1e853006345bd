#include "pkg/pki/server_pki.h"

#include <doctest/doctest.h>
#include <openssl/x509v3.h>
#include <sys/stat.h>

#include <algorithm>

#include "pkg/pki/identity.h"
#include "pkg/pki/test_util.h"

namespace kc::pki {

using testing::ModeOf;
using testing::OpensslVerify;
using testing::ParseCert;
using testing::Slurp;
using testing::TempDir;

namespace {

const char* const kAllFiles[] = {kServerCaCert, kServerCaKey, kServingCert, kServingKey,
                                 kClientCaCert, kClientCaKey, kAdminCert,   kAdminKey};

bool HasGenerated(const std::vector<std::string>& generated, const std::string& base) {
  return std::find(generated.begin(), generated.end(), base) != generated.end();
}

}  // namespace

TEST_CASE("EnsureServerPki creates every file with the right mode") {
  TempDir dir;
  std::string tls = dir.File("server/tls");
  std::vector<std::string> generated;
  REQUIRE(EnsureServerPki(tls, {}, &generated).ok());
  CHECK(generated.size() == 4);
  CHECK(ModeOf(tls) == 0700);
  for (const char* f : kAllFiles) {
    CAPTURE(f);
    std::string name(f);
    bool is_key = name.size() > 4 && name.compare(name.size() - 4, 4, ".key") == 0;
    CHECK(ModeOf(tls + "/" + f) == (is_key ? 0600 : 0644));
    CHECK_FALSE(Slurp(tls + "/" + f).empty());
  }
}

TEST_CASE("the serving certificate verifies against the server CA and carries the SANs") {
  TempDir dir;
  REQUIRE(EnsureServerPki(dir.path(), {"api.example.com", "203.0.113.9"}).ok());
  std::string serving = Slurp(dir.File(kServingCert));
  std::string server_ca = Slurp(dir.File(kServerCaCert));
  CHECK(OpensslVerify(serving, server_ca));
  CHECK(OpensslVerify(serving, server_ca, X509_PURPOSE_SSL_SERVER));
  CHECK_FALSE(OpensslVerify(serving, Slurp(dir.File(kClientCaCert))));
  CHECK(OpensslVerify(server_ca, server_ca));

  X509Ptr cert = ParseCert(serving);
  REQUIRE(cert);
  for (const char* host : {"localhost", "kubernetes", "kubernetes.default",
                           "kubernetes.default.svc", "kubernetes.default.svc.cluster.local",
                           "api.example.com"}) {
    CAPTURE(host);
    CHECK(X509_check_host(cert.get(), host, 0, 0, nullptr) == 1);
  }
  for (const char* ip : {"127.0.0.1", "::1", "10.43.0.1", "203.0.113.9"}) {
    CAPTURE(ip);
    CHECK(X509_check_ip_asc(cert.get(), ip, 0) == 1);
  }
  CHECK(X509_check_host(cert.get(), "evil.example.com", 0, 0, nullptr) == 0);
  CHECK(X509_check_ip_asc(cert.get(), "203.0.113.10", 0) == 0);
  char host[256] = {};
  REQUIRE(gethostname(host, sizeof(host) - 1) == 0);
  CHECK(X509_check_host(cert.get(), host, 0, 0, nullptr) == 1);
}

TEST_CASE("the admin certificate is system:admin in system:masters, signed by the client CA") {
  TempDir dir;
  REQUIRE(EnsureServerPki(dir.path(), {}).ok());
  std::string admin = Slurp(dir.File(kAdminCert));
  CHECK(OpensslVerify(admin, Slurp(dir.File(kClientCaCert)), X509_PURPOSE_SSL_CLIENT));
  CHECK_FALSE(OpensslVerify(admin, Slurp(dir.File(kServerCaCert))));
  X509Ptr cert = ParseCert(admin);
  REQUIRE(cert);
  Identity id = IdentityFromCert(cert.get());
  CHECK(id.user == "system:admin");
  CHECK(id.groups == std::vector<std::string>{"system:masters"});
}

TEST_CASE("a second call reuses every file byte for byte") {
  TempDir dir;
  REQUIRE(EnsureServerPki(dir.path(), {"extra.example.com"}).ok());
  std::vector<std::string> before;
  for (const char* f : kAllFiles) before.push_back(Slurp(dir.File(f)));
  std::vector<std::string> generated;
  REQUIRE(EnsureServerPki(dir.path(), {"extra.example.com"}, &generated).ok());
  CHECK(generated.empty());
  for (size_t i = 0; i < before.size(); ++i) {
    CAPTURE(kAllFiles[i]);
    CHECK(Slurp(dir.File(kAllFiles[i])) == before[i]);
  }
}

TEST_CASE("changing the extra SANs regenerates only the serving certificate") {
  TempDir dir;
  REQUIRE(EnsureServerPki(dir.path(), {"one.example.com"}).ok());
  std::string ca = Slurp(dir.File(kServerCaCert));
  std::string serving = Slurp(dir.File(kServingCert));
  std::string admin = Slurp(dir.File(kAdminCert));

  std::vector<std::string> generated;
  REQUIRE(EnsureServerPki(dir.path(), {"two.example.com"}, &generated).ok());
  CHECK(generated == std::vector<std::string>{"serving-kube-apiserver"});
  std::string serving2 = Slurp(dir.File(kServingCert));
  CHECK(serving2 != serving);
  CHECK(Slurp(dir.File(kServerCaCert)) == ca);
  CHECK(Slurp(dir.File(kAdminCert)) == admin);
  CHECK(OpensslVerify(serving2, ca));
  X509Ptr cert = ParseCert(serving2);
  REQUIRE(cert);
  CHECK(X509_check_host(cert.get(), "two.example.com", 0, 0, nullptr) == 1);
  CHECK(X509_check_host(cert.get(), "one.example.com", 0, 0, nullptr) == 0);

  // The same SANs in another spelling are the same set: nothing is regenerated.
  generated.clear();
  REQUIRE(EnsureServerPki(dir.path(), {"TWO.example.com", "two.example.com"}, &generated).ok());
  CHECK(generated.empty());
}

TEST_CASE("damaged or missing files are regenerated, and a new CA re-signs its leaves") {
  TempDir dir;
  REQUIRE(EnsureServerPki(dir.path(), {}).ok());
  std::vector<std::string> generated;
  SUBCASE("corrupt serving key") {
    REQUIRE(testing::ModeOf(dir.File(kServingKey)) == 0600);
    FILE* f = std::fopen(dir.File(kServingKey).c_str(), "w");
    REQUIRE(f);
    std::fputs("garbage", f);
    std::fclose(f);
    REQUIRE(EnsureServerPki(dir.path(), {}, &generated).ok());
    CHECK(generated == std::vector<std::string>{"serving-kube-apiserver"});
  }
  SUBCASE("missing client CA key") {
    std::string admin = Slurp(dir.File(kAdminCert));
    REQUIRE(std::remove(dir.File(kClientCaKey).c_str()) == 0);
    REQUIRE(EnsureServerPki(dir.path(), {}, &generated).ok());
    CHECK(generated == std::vector<std::string>{"client-ca", "client-admin"});
    CHECK(Slurp(dir.File(kAdminCert)) != admin);
    CHECK(OpensslVerify(Slurp(dir.File(kAdminCert)), Slurp(dir.File(kClientCaCert))));
  }
  SUBCASE("serving pair from another CA") {
    TempDir other;
    REQUIRE(EnsureServerPki(other.path(), {}).ok());
    std::filesystem::copy_file(other.File(kServingCert), dir.File(kServingCert),
                               std::filesystem::copy_options::overwrite_existing);
    std::filesystem::copy_file(other.File(kServingKey), dir.File(kServingKey),
                               std::filesystem::copy_options::overwrite_existing);
    REQUIRE(EnsureServerPki(dir.path(), {}, &generated).ok());
    CHECK(HasGenerated(generated, "serving-kube-apiserver"));
    CHECK(OpensslVerify(Slurp(dir.File(kServingCert)), Slurp(dir.File(kServerCaCert))));
  }
  SUBCASE("a reused key that became world-readable is tightened") {
    REQUIRE(::chmod(dir.File(kAdminKey).c_str(), 0644) == 0);
    REQUIRE(EnsureServerPki(dir.path(), {}, &generated).ok());
    CHECK(generated.empty());
    CHECK(ModeOf(dir.File(kAdminKey)) == 0600);
  }
}

TEST_CASE("EnsureServerPki rejects a bad --tls-san without touching the directory") {
  TempDir dir;
  std::string tls = dir.File("tls");
  api::Status s = EnsureServerPki(tls, {"bad name"});
  CHECK(s.reason() == api::Reason::kInvalid);
  CHECK(ModeOf(tls) == -1);
}

}  // namespace kc::pki
