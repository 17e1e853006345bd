// Inspecting existing certificates: does a stored certificate still fit what we would issue?
//
// Internal to kc_pki; EnsureServerPki uses it to decide between reusing and regenerating files.
//
// Thread-safety: stateless functions, callable from any thread.
#pragma once

#include <ctime>
#include <string>

#include "pkg/pki/cert_issue.h"
#include "pkg/pki/ssl_ptr.h"

namespace kc::pki {

// The DNS and IP SANs of `cert`, canonical as in ServerCertOptions.
ServerCertOptions SansOf(X509* cert);

// True when `leaf` chains to `ca` (signature, issuer name, validity period at `now`).
bool VerifiesAgainst(X509* leaf, X509* ca, time_t now);

// Why `existing` cannot be reused for `spec` (signed by `issuer`, or self-signed when null), or
// "" when it can. It cannot when it does not parse, the key does not match, it does not verify,
// the subject or SAN set differs from `spec`, or it expires within `renew_before_seconds`.
std::string ReuseProblem(const CertBundle& existing, const CertSpec& spec, const CertBundle* issuer,
                         time_t now, long renew_before_seconds);

}  // namespace kc::pki
