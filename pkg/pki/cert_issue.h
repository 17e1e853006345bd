// Issuing X.509 certificates: self-signed CAs and leaf certificates signed by a CA.
//
// kcluster keeps two CAs (see server_pki.h): the server CA signs the API server's serving
// certificate; the client CA signs client certificates, whose subject is the identity the API
// server authenticates (CN = user, O = groups, as in Kubernetes' x509 authenticator).
//
// Thread-safety: stateless functions, callable from any thread. IssueClientCert only reads the
// client CA files.
#pragma once

#include <string>
#include <vector>

#include "pkg/api/status.h"
#include "pkg/pki/sans.h"

namespace kc::pki {

// A certificate and its private key, both PEM.
struct CertBundle {
  std::string cert_pem;
  std::string key_pem;
};

enum class CertUsage { kCa, kServer, kClient };

// What to put in a certificate.
struct CertSpec {
  std::string common_name;
  std::vector<std::string> organizations;  // subject O entries, in order
  CertUsage usage = CertUsage::kClient;
  ServerCertOptions sans;                  // only for kServer
  int days = 365;                          // validity, 1..36500
};

// Issues a certificate with a fresh P-256 key. `issuer` signs it; when null the certificate is
// self-signed (used for CAs). Invalid for an unusable spec or issuer.
api::Result<CertBundle> IssueCert(const CertSpec& spec, const CertBundle* issuer);

// Issues a client certificate (CN=`cn`, one O per group, extendedKeyUsage clientAuth) signed by
// the client CA in `tls_dir` (client-ca.crt/.key), valid for `days`. Nothing is written to disk.
api::Result<CertBundle> IssueClientCert(const std::string& tls_dir, const std::string& cn,
                                        const std::vector<std::string>& groups, int days);

}  // namespace kc::pki
