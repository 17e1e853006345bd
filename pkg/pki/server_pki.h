// The certificate authority `kcluster server` creates on first start (like k3s's
// /var/lib/rancher/k3s/server/tls).
//
// Layout of the TLS directory (keys 0600, certificates 0644, directory 0700 when created):
//   server-ca.crt/.key                 self-signed CA for serving certificates (10 years)
//   serving-kube-apiserver.crt/.key    the API server's certificate, signed by server-ca (1 year)
//   client-ca.crt/.key                 self-signed CA for client certificates (10 years)
//   client-admin.crt/.key              CN=system:admin, O=system:masters, signed by client-ca
//
// Thread-safety: stateless, but two processes must not run EnsureServerPki on the same directory
// at the same time (each file is replaced atomically, yet a CA and the certificate it signs are
// two files).
#pragma once

#include <string>
#include <vector>

#include "pkg/api/status.h"

namespace kc::pki {

inline constexpr const char* kServerCaCert = "server-ca.crt";
inline constexpr const char* kServerCaKey = "server-ca.key";
inline constexpr const char* kServingCert = "serving-kube-apiserver.crt";
inline constexpr const char* kServingKey = "serving-kube-apiserver.key";
inline constexpr const char* kClientCaCert = "client-ca.crt";
inline constexpr const char* kClientCaKey = "client-ca.key";
inline constexpr const char* kAdminCert = "client-admin.crt";
inline constexpr const char* kAdminKey = "client-admin.key";

inline constexpr const char* kAdminUser = "system:admin";
inline constexpr const char* kAdminGroup = "system:masters";

// Makes sure `tls_dir` holds the files above. Idempotent: a file pair that still parses, matches,
// verifies against its CA, has the wanted subject (and, for the serving certificate, exactly the
// wanted SANs: see BuildServerSans with LocalHostNamesAndIps() and `extra_sans`) and does not
// expire within 90 days is kept byte for byte; anything else is regenerated. A regenerated CA
// makes the certificates it signs regenerate too. CAs are only replaced when unusable or expired.
//
// `generated`, when given, receives the base names ("server-ca", "serving-kube-apiserver", ...)
// of the pairs written by this call. Invalid for a bad --tls-san value; Internal for I/O errors.
api::Status EnsureServerPki(const std::string& tls_dir, const std::vector<std::string>& extra_sans,
                            std::vector<std::string>* generated = nullptr);

}  // namespace kc::pki
