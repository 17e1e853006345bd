#include "pkg/pki/cert_issue.h"

#include <openssl/err.h>
#include <openssl/rand.h>

#include <arpa/inet.h>

#include "pkg/fsutil/file_util.h"
#include "pkg/pki/key_util.h"
#include "pkg/pki/server_pki.h"

namespace kc::pki {

namespace {

constexpr int kMaxDays = 36500;
constexpr long kBackdateSeconds = 5 * 60;  // tolerate small clock skew between machines

api::Status SetRandomSerial(X509* cert) {
  BignumPtr bn(BN_new());
  // 127 random bits: positive, unique in practice, well under the 20-octet limit of RFC 5280.
  if (!bn || BN_rand(bn.get(), 127, BN_RAND_TOP_ANY, BN_RAND_BOTTOM_ANY) != 1 ||
      BN_add_word(bn.get(), 1) != 1) {
    return OpenSslError("generating serial number");
  }
  Asn1IntegerPtr serial(BN_to_ASN1_INTEGER(bn.get(), nullptr));
  if (!serial || X509_set_serialNumber(cert, serial.get()) != 1) {
    return OpenSslError("setting serial number");
  }
  return api::Status::Ok();
}

api::Result<X509NamePtr> BuildSubject(const CertSpec& spec) {
  X509NamePtr name(X509_NAME_new());
  if (!name) return OpenSslError("X509_NAME_new");
  auto add = [&](const char* field, const std::string& value) {
    return X509_NAME_add_entry_by_txt(name.get(), field, MBSTRING_UTF8,
                                      reinterpret_cast<const unsigned char*>(value.data()),
                                      static_cast<int>(value.size()), -1, 0) == 1;
  };
  for (const std::string& org : spec.organizations) {
    if (org.empty() || org.size() > 64 || !add("O", org)) {
      ERR_clear_error();
      return api::Status::Invalid("invalid organization \"" + org + "\"");
    }
  }
  if (!add("CN", spec.common_name)) {
    ERR_clear_error();
    return api::Status::Invalid("invalid common name \"" + spec.common_name + "\"");
  }
  return name;
}

// Adds one extension given in openssl.cnf syntax ("critical,CA:TRUE"); the values used here are
// fixed strings, never user input.
api::Status AddExt(X509* cert, X509* issuer, int nid, const char* value) {
  X509V3_CTX ctx;
  X509V3_set_ctx_nodb(&ctx);
  X509V3_set_ctx(&ctx, issuer, cert, nullptr, nullptr, 0);
  X509ExtPtr ext(X509V3_EXT_conf_nid(nullptr, &ctx, nid, value));
  if (!ext || X509_add_ext(cert, ext.get(), -1) != 1) {
    return OpenSslError(std::string("adding extension ") + OBJ_nid2sn(nid));
  }
  return api::Status::Ok();
}

// SANs are built as GENERAL_NAMEs rather than a config string so a --tls-san value can never
// inject extra entries.
api::Status AddSans(X509* cert, const ServerCertOptions& sans) {
  GeneralNamesPtr names(GENERAL_NAMES_new());
  if (!names) return OpenSslError("GENERAL_NAMES_new");
  for (const std::string& dns : sans.dns_names) {
    GeneralNamePtr gn(GENERAL_NAME_new());
    ASN1_IA5STRING* str = ASN1_IA5STRING_new();
    if (!gn || !str || ASN1_STRING_set(str, dns.data(), static_cast<int>(dns.size())) != 1) {
      ASN1_IA5STRING_free(str);
      return OpenSslError("encoding DNS SAN");
    }
    GENERAL_NAME_set0_value(gn.get(), GEN_DNS, str);
    if (!sk_GENERAL_NAME_push(names.get(), gn.get())) return OpenSslError("adding DNS SAN");
    gn.release();
  }
  for (const std::string& ip : sans.ips) {
    unsigned char buf[16];
    int len = 0;
    if (inet_pton(AF_INET, ip.c_str(), buf) == 1) {
      len = 4;
    } else if (inet_pton(AF_INET6, ip.c_str(), buf) == 1) {
      len = 16;
    } else {
      return api::Status::Invalid("invalid IP SAN \"" + ip + "\"");
    }
    GeneralNamePtr gn(GENERAL_NAME_new());
    ASN1_OCTET_STRING* oct = ASN1_OCTET_STRING_new();
    if (!gn || !oct || ASN1_OCTET_STRING_set(oct, buf, len) != 1) {
      ASN1_OCTET_STRING_free(oct);
      return OpenSslError("encoding IP SAN");
    }
    GENERAL_NAME_set0_value(gn.get(), GEN_IPADD, oct);
    if (!sk_GENERAL_NAME_push(names.get(), gn.get())) return OpenSslError("adding IP SAN");
    gn.release();
  }
  if (X509_add1_ext_i2d(cert, NID_subject_alt_name, names.get(), 0, X509V3_ADD_DEFAULT) != 1) {
    return OpenSslError("adding subjectAltName");
  }
  return api::Status::Ok();
}

api::Status AddUsageExtensions(X509* cert, X509* issuer, const CertSpec& spec) {
  struct Ext {
    int nid;
    const char* value;
  };
  std::vector<Ext> exts;
  switch (spec.usage) {
    case CertUsage::kCa:
      exts = {{NID_basic_constraints, "critical,CA:TRUE"},
              {NID_key_usage, "critical,digitalSignature,keyCertSign,cRLSign"},
              {NID_subject_key_identifier, "hash"}};
      break;
    case CertUsage::kServer:
      exts = {{NID_basic_constraints, "critical,CA:FALSE"},
              {NID_key_usage, "critical,digitalSignature"},
              {NID_ext_key_usage, "serverAuth"},
              {NID_authority_key_identifier, "keyid:always"}};
      break;
    case CertUsage::kClient:
      exts = {{NID_basic_constraints, "critical,CA:FALSE"},
              {NID_key_usage, "critical,digitalSignature"},
              {NID_ext_key_usage, "clientAuth"},
              {NID_authority_key_identifier, "keyid:always"}};
      break;
  }
  for (const Ext& e : exts) {
    api::Status s = AddExt(cert, issuer, e.nid, e.value);
    if (!s.ok()) return s;
  }
  if (spec.usage == CertUsage::kServer) return AddSans(cert, spec.sans);
  return api::Status::Ok();
}

}  // namespace

api::Result<CertBundle> IssueCert(const CertSpec& spec, const CertBundle* issuer) {
  if (spec.common_name.empty()) return api::Status::Invalid("certificate needs a common name");
  if (spec.days < 1 || spec.days > kMaxDays) {
    return api::Status::Invalid("certificate validity must be 1.." + std::to_string(kMaxDays) +
                                " days, got " + std::to_string(spec.days));
  }
  if (spec.usage == CertUsage::kServer && spec.sans.dns_names.empty() && spec.sans.ips.empty()) {
    return api::Status::Invalid("server certificate needs at least one SAN");
  }
  auto subject = BuildSubject(spec);
  if (!subject.ok()) return subject.status();

  X509Ptr issuer_cert;
  PkeyPtr issuer_key;
  if (issuer != nullptr) {
    auto c = CertFromPem(issuer->cert_pem);
    if (!c.ok()) return api::Status::Invalid("issuer: " + c.status().message());
    auto k = KeyFromPem(issuer->key_pem);
    if (!k.ok()) return api::Status::Invalid("issuer: " + k.status().message());
    if (X509_check_private_key(c->get(), k->get()) != 1) {
      ERR_clear_error();
      return api::Status::Invalid("issuer certificate and key do not match");
    }
    issuer_cert = std::move(*c);
    issuer_key = std::move(*k);
  }

  auto key = GenerateEcKey();
  if (!key.ok()) return key.status();
  X509Ptr cert(X509_new());
  if (!cert) return OpenSslError("X509_new");
  X509* x = cert.get();
  X509* signer_cert = issuer_cert ? issuer_cert.get() : x;
  EVP_PKEY* signer_key = issuer_key ? issuer_key.get() : key->get();

  if (X509_set_version(x, X509_VERSION_3) != 1 || X509_set_subject_name(x, subject->get()) != 1 ||
      X509_set_issuer_name(x, X509_get_subject_name(signer_cert)) != 1 ||
      X509_set_pubkey(x, key->get()) != 1 ||
      X509_gmtime_adj(X509_getm_notBefore(x), -kBackdateSeconds) == nullptr ||
      X509_gmtime_adj(X509_getm_notAfter(x), static_cast<long>(spec.days) * 86400) == nullptr) {
    return OpenSslError("filling certificate");
  }
  api::Status s = SetRandomSerial(x);
  if (!s.ok()) return s;
  s = AddUsageExtensions(x, signer_cert, spec);
  if (!s.ok()) return s;
  if (X509_sign(x, signer_key, EVP_sha256()) <= 0) return OpenSslError("signing certificate");

  auto cert_pem = CertToPem(x);
  if (!cert_pem.ok()) return cert_pem.status();
  auto key_pem = KeyToPem(key->get());
  if (!key_pem.ok()) return key_pem.status();
  return CertBundle{std::move(*cert_pem), std::move(*key_pem)};
}

api::Result<CertBundle> IssueClientCert(const std::string& tls_dir, const std::string& cn,
                                        const std::vector<std::string>& groups, int days) {
  CertBundle ca;
  auto cert = fsutil::ReadFile(tls_dir + "/" + kClientCaCert);
  if (!cert.ok()) return cert.status();
  auto key = fsutil::ReadFile(tls_dir + "/" + kClientCaKey);
  if (!key.ok()) return key.status();
  ca.cert_pem = std::move(*cert);
  ca.key_pem = std::move(*key);
  CertSpec spec;
  spec.common_name = cn;
  spec.organizations = groups;
  spec.usage = CertUsage::kClient;
  spec.days = days;
  return IssueCert(spec, &ca);
}

}  // namespace kc::pki
