#include "pkg/pki/identity.h"

#include <doctest/doctest.h>

#include "pkg/pki/cert_issue.h"
#include "pkg/pki/test_util.h"

namespace kc::pki {

TEST_CASE("IdentityFromCert maps CN to the user and O entries to groups") {
  struct Case {
    const char* cn;
    std::vector<std::string> orgs;
  };
  for (const Case& c : std::vector<Case>{
           {"system:admin", {"system:masters"}},
           {"alice", {}},
           {"system:node:worker-1", {"system:nodes", "system:authenticated", "dev"}},
           {"jos\xc3\xa9", {"\xc3\xa9quipe"}},  // UTF-8 survives
       }) {
    CAPTURE(c.cn);
    CertSpec spec;
    spec.common_name = c.cn;
    spec.organizations = c.orgs;
    spec.usage = CertUsage::kCa;  // self-signed is enough to carry a subject
    auto bundle = IssueCert(spec, nullptr);
    REQUIRE(bundle.ok());
    X509Ptr cert = testing::ParseCert(bundle->cert_pem);
    REQUIRE(cert);
    Identity id = IdentityFromCert(cert.get());
    CHECK(id.user == c.cn);
    CHECK(id.groups == c.orgs);
  }
}

TEST_CASE("IdentityFromCert of a null or CN-less certificate is empty") {
  Identity none = IdentityFromCert(nullptr);
  CHECK(none.user.empty());
  CHECK(none.groups.empty());

  X509Ptr cert(X509_new());
  REQUIRE(cert);
  X509_NAME* name = X509_get_subject_name(cert.get());
  REQUIRE(X509_NAME_add_entry_by_txt(name, "O", MBSTRING_ASC,
                                     reinterpret_cast<const unsigned char*>("g1"), -1, -1,
                                     0) == 1);
  Identity id = IdentityFromCert(cert.get());
  CHECK(id.user.empty());
  CHECK(id.groups == std::vector<std::string>{"g1"});
}

}  // namespace kc::pki
