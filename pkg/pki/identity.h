// The user a TLS client certificate authenticates as, the way Kubernetes' x509 authenticator
// reads it: subject CN is the user name, each subject O is a group.
//
// Thread-safety: stateless; the certificate must not be modified concurrently.
#pragma once

#include <string>
#include <vector>

struct x509_st;  // OpenSSL's X509, kept out of this header

namespace kc::pki {

struct Identity {
  std::string user;
  std::vector<std::string> groups;
};

// CN -> user (the last CN when there are several, as Go's pkix does), O entries -> groups in
// order. A null certificate yields an empty identity.
Identity IdentityFromCert(x509_st* cert);

}  // namespace kc::pki
