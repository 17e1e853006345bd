// Key generation and PEM conversion for certificates and private keys.
//
// Internal to kc_pki. Keys are ECDSA P-256 (fast to generate, accepted by kubectl and Go's TLS);
// private keys are written as PKCS#8 ("BEGIN PRIVATE KEY").
//
// Thread-safety: stateless functions, callable from any thread. Failures drain OpenSSL's
// (thread-local) error queue into the returned Status so it never leaks into later TLS calls.
#pragma once

#include <string>

#include "pkg/api/status.h"
#include "pkg/pki/ssl_ptr.h"

namespace kc::pki {

// "<what>: <OpenSSL error strings>" as an internal error; clears the thread's error queue.
api::Status OpenSslError(const std::string& what);

api::Result<PkeyPtr> GenerateEcKey();

api::Result<std::string> KeyToPem(EVP_PKEY* key);
api::Result<std::string> CertToPem(X509* cert);

// Parse the first PEM block; malformed or empty input is an Invalid status.
api::Result<PkeyPtr> KeyFromPem(const std::string& pem);
api::Result<X509Ptr> CertFromPem(const std::string& pem);

}  // namespace kc::pki
