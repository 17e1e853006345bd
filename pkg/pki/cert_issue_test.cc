#include "pkg/pki/cert_issue.h"

#include <doctest/doctest.h>

#include "pkg/pki/identity.h"
#include "pkg/pki/server_pki.h"
#include "pkg/pki/test_util.h"

namespace kc::pki {

using testing::OpensslVerify;
using testing::ParseCert;

namespace {

CertBundle MakeCa(const std::string& cn) {
  CertSpec spec;
  spec.common_name = cn;
  spec.usage = CertUsage::kCa;
  spec.days = 3650;
  auto ca = IssueCert(spec, nullptr);
  REQUIRE(ca.ok());
  return *ca;
}

}  // namespace

TEST_CASE("a self-signed CA verifies against itself and is a CA") {
  CertBundle ca = MakeCa("test-ca");
  CHECK(OpensslVerify(ca.cert_pem, ca.cert_pem));
  X509Ptr cert = ParseCert(ca.cert_pem);
  REQUIRE(cert);
  CHECK(X509_check_ca(cert.get()) != 0);
  CHECK(X509_get_version(cert.get()) == X509_VERSION_3);
}

TEST_CASE("leaf certificates chain to their issuer only, with the right purpose") {
  CertBundle ca = MakeCa("ca-1");
  CertBundle other = MakeCa("ca-2");
  CertSpec spec;
  spec.common_name = "bob";
  spec.organizations = {"dev"};
  spec.usage = CertUsage::kClient;
  auto leaf = IssueCert(spec, &ca);
  REQUIRE(leaf.ok());
  CHECK(OpensslVerify(leaf->cert_pem, ca.cert_pem, X509_PURPOSE_SSL_CLIENT));
  CHECK_FALSE(OpensslVerify(leaf->cert_pem, ca.cert_pem, X509_PURPOSE_SSL_SERVER));
  CHECK_FALSE(OpensslVerify(leaf->cert_pem, other.cert_pem));
  X509Ptr cert = ParseCert(leaf->cert_pem);
  REQUIRE(cert);
  CHECK(X509_check_ca(cert.get()) == 0);

  // Two certificates of the same spec differ in serial number and key.
  auto again = IssueCert(spec, &ca);
  REQUIRE(again.ok());
  X509Ptr cert2 = ParseCert(again->cert_pem);
  CHECK(ASN1_INTEGER_cmp(X509_get0_serialNumber(cert.get()),
                         X509_get0_serialNumber(cert2.get())) != 0);
  CHECK(leaf->key_pem != again->key_pem);
}

TEST_CASE("IssueCert rejects unusable specs and issuers") {
  CertBundle ca = MakeCa("ca");
  CertSpec spec;
  spec.common_name = "x";
  spec.usage = CertUsage::kClient;
  SUBCASE("no common name") {
    spec.common_name = "";
    CHECK(IssueCert(spec, &ca).status().reason() == api::Reason::kInvalid);
  }
  SUBCASE("days out of range") {
    spec.days = 0;
    CHECK(IssueCert(spec, &ca).status().reason() == api::Reason::kInvalid);
    spec.days = 40000;
    CHECK(IssueCert(spec, &ca).status().reason() == api::Reason::kInvalid);
  }
  SUBCASE("common name longer than RFC 5280 allows") {
    spec.common_name = std::string(65, 'a');
    CHECK(IssueCert(spec, &ca).status().reason() == api::Reason::kInvalid);
  }
  SUBCASE("invalid UTF-8 group") {
    spec.organizations = {"\xff\xfe"};
    CHECK(IssueCert(spec, &ca).status().reason() == api::Reason::kInvalid);
  }
  SUBCASE("server certificate without SANs") {
    spec.usage = CertUsage::kServer;
    CHECK(IssueCert(spec, &ca).status().reason() == api::Reason::kInvalid);
  }
  SUBCASE("issuer key does not match issuer certificate") {
    CertBundle other = MakeCa("other");
    CertBundle mixed{ca.cert_pem, other.key_pem};
    CHECK(IssueCert(spec, &mixed).status().reason() == api::Reason::kInvalid);
  }
  SUBCASE("garbage issuer") {
    CertBundle junk{"junk", "junk"};
    CHECK(IssueCert(spec, &junk).status().reason() == api::Reason::kInvalid);
  }
  CHECK(ERR_peek_error() == 0);
}

TEST_CASE("IssueClientCert signs with the client CA of a TLS directory") {
  testing::TempDir dir;
  REQUIRE(EnsureServerPki(dir.path(), {}).ok());
  auto bundle = IssueClientCert(dir.path(), "bench-user", {"bench", "system:authenticated"}, 30);
  REQUIRE(bundle.ok());
  std::string client_ca = testing::Slurp(dir.File(kClientCaCert));
  std::string server_ca = testing::Slurp(dir.File(kServerCaCert));
  CHECK(OpensslVerify(bundle->cert_pem, client_ca, X509_PURPOSE_SSL_CLIENT));
  CHECK_FALSE(OpensslVerify(bundle->cert_pem, server_ca));
  X509Ptr cert = ParseCert(bundle->cert_pem);
  REQUIRE(cert);
  Identity id = IdentityFromCert(cert.get());
  CHECK(id.user == "bench-user");
  CHECK(id.groups == std::vector<std::string>{"bench", "system:authenticated"});
  // About 30 days of validity.
  int days = 0, secs = 0;
  REQUIRE(ASN1_TIME_diff(&days, &secs, X509_get0_notBefore(cert.get()),
                         X509_get0_notAfter(cert.get())) == 1);
  CHECK(days == 30);

  CHECK(IssueClientCert(dir.path(), "u", {}, 0).status().reason() == api::Reason::kInvalid);
  CHECK(IssueClientCert(dir.File("nope"), "u", {}, 1).status().reason() ==
        api::Reason::kNotFound);
}

}  // namespace kc::pki
