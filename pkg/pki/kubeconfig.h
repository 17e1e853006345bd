// The admin kubeconfig `kcluster server` writes for kubectl (like k3s's k3s.yaml).
//
// One cluster, user and context, all named "default": the server CA as
// certificate-authority-data and the system:admin client certificate as client-certificate-data /
// client-key-data, all base64 of the PEM files in the TLS directory (see server_pki.h).
//
// Thread-safety: stateless functions, callable from any thread.
#pragma once

#include <string>

#include "pkg/api/status.h"

namespace kc::pki {

// Standard base64 (RFC 4648, with padding, no line breaks).
std::string Base64Encode(const std::string& data);

// The kubeconfig YAML for `server_url` (e.g. "https://127.0.0.1:6443"). Invalid when the URL is
// not http(s) or contains control characters.
api::Result<std::string> RenderKubeconfig(const std::string& server_url, const std::string& ca_pem,
                                          const std::string& client_cert_pem,
                                          const std::string& client_key_pem);

// Reads server-ca.crt, client-admin.crt and client-admin.key from `tls_dir` and writes the
// kubeconfig to `path` (mode 0600, atomically via a temporary file and rename), creating missing
// parent directories (0755).
api::Status WriteAdminKubeconfig(const std::string& tls_dir, const std::string& path,
                                 const std::string& server_url);

}  // namespace kc::pki
