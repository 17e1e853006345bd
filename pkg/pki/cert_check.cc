#include "pkg/pki/cert_check.h"

#include <openssl/err.h>

#include <arpa/inet.h>

#include "pkg/pki/identity.h"
#include "pkg/pki/key_util.h"

namespace kc::pki {

ServerCertOptions SansOf(X509* cert) {
  ServerCertOptions out;
  GeneralNamesPtr names(static_cast<GENERAL_NAMES*>(
      X509_get_ext_d2i(cert, NID_subject_alt_name, nullptr, nullptr)));
  if (!names) return out;
  for (int i = 0; i < sk_GENERAL_NAME_num(names.get()); ++i) {
    const GENERAL_NAME* gn = sk_GENERAL_NAME_value(names.get(), i);
    if (gn->type == GEN_DNS) {
      const ASN1_IA5STRING* s = gn->d.dNSName;
      std::string name(reinterpret_cast<const char*>(ASN1_STRING_get0_data(s)),
                       static_cast<size_t>(ASN1_STRING_length(s)));
      (void)AddSan(name, &out);
    } else if (gn->type == GEN_IPADD) {
      const ASN1_OCTET_STRING* s = gn->d.iPAddress;
      char text[INET6_ADDRSTRLEN];
      int len = ASN1_STRING_length(s);
      int family = len == 4 ? AF_INET : len == 16 ? AF_INET6 : 0;
      if (family != 0 && inet_ntop(family, ASN1_STRING_get0_data(s), text, sizeof(text))) {
        out.ips.emplace_back(text);
      }
    }
  }
  return out;
}

bool VerifiesAgainst(X509* leaf, X509* ca, time_t now) {
  X509StorePtr store(X509_STORE_new());
  X509StoreCtxPtr ctx(X509_STORE_CTX_new());
  bool ok = store && ctx && X509_STORE_add_cert(store.get(), ca) == 1 &&
            X509_STORE_CTX_init(ctx.get(), store.get(), leaf, nullptr) == 1;
  if (ok) {
    X509_STORE_CTX_set_time(ctx.get(), 0, now);
    ok = X509_verify_cert(ctx.get()) == 1;
  }
  ERR_clear_error();
  return ok;
}

std::string ReuseProblem(const CertBundle& existing, const CertSpec& spec, const CertBundle* issuer,
                         time_t now, long renew_before_seconds) {
  auto cert = CertFromPem(existing.cert_pem);
  if (!cert.ok()) return "certificate does not parse";
  auto key = KeyFromPem(existing.key_pem);
  if (!key.ok()) return "key does not parse";
  if (X509_check_private_key(cert->get(), key->get()) != 1) {
    ERR_clear_error();
    return "key does not match certificate";
  }
  X509Ptr issuer_cert;
  if (issuer != nullptr) {
    auto c = CertFromPem(issuer->cert_pem);
    if (!c.ok()) return "issuer does not parse";
    issuer_cert = std::move(*c);
  }
  if (!VerifiesAgainst(cert->get(), issuer_cert ? issuer_cert.get() : cert->get(), now)) {
    return "does not verify against its CA";
  }
  bool is_ca = X509_check_ca(cert->get()) != 0;
  if (is_ca != (spec.usage == CertUsage::kCa)) return "CA flag differs";
  time_t renew_at = now + renew_before_seconds;
  if (X509_cmp_time(X509_get0_notAfter(cert->get()), &renew_at) <= 0) return "expires soon";
  if (spec.usage != CertUsage::kCa) {  // CA subjects carry a timestamp; only leaves are compared
    Identity id = IdentityFromCert(cert->get());
    if (id.user != spec.common_name || id.groups != spec.organizations) return "subject differs";
  }
  if (spec.usage == CertUsage::kServer && SansOf(cert->get()).Sorted() != spec.sans.Sorted()) {
    return "SANs differ";
  }
  return "";
}

}  // namespace kc::pki
