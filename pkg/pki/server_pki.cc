#include "pkg/pki/server_pki.h"

#include <sys/stat.h>

#include <ctime>

#include "pkg/pki/cert_check.h"
#include "pkg/pki/cert_issue.h"
#include "pkg/fsutil/file_util.h"
#include "pkg/pki/sans.h"

namespace kc::pki {

namespace {

constexpr int kCaDays = 3650;
constexpr int kLeafDays = 365;
constexpr long kLeafRenewBeforeSeconds = 90L * 86400;  // as k3s: renew leaves in their last 90 days

// Reads `<dir>/<crt>` and `<dir>/<key>`; an absent file gives an empty field.
api::Result<CertBundle> ReadPair(const std::string& dir, const std::string& crt,
                                 const std::string& key) {
  CertBundle out;
  auto c = fsutil::ReadFile(dir + "/" + crt);
  if (!c.ok() && c.status().reason() != api::Reason::kNotFound) return c.status();
  auto k = fsutil::ReadFile(dir + "/" + key);
  if (!k.ok() && k.status().reason() != api::Reason::kNotFound) return k.status();
  if (c.ok()) out.cert_pem = std::move(*c);
  if (k.ok()) out.key_pem = std::move(*k);
  return out;
}

// Returns the pair stored as `dir`/`crt` and `dir`/`key`, reusing it when it still fits `spec`
// and issuing (and writing) a new one otherwise.
api::Result<CertBundle> EnsurePair(const std::string& dir, const std::string& crt,
                                   const std::string& key, const CertSpec& spec,
                                   const CertBundle* issuer, long renew_before_seconds,
                                   std::vector<std::string>* generated) {
  auto existing = ReadPair(dir, crt, key);
  if (!existing.ok()) return existing.status();
  if (ReuseProblem(*existing, spec, issuer, std::time(nullptr), renew_before_seconds).empty()) {
    ::chmod((dir + "/" + key).c_str(), 0600);  // tighten a key someone made readable
    return std::move(*existing);
  }
  auto fresh = IssueCert(spec, issuer);
  if (!fresh.ok()) return fresh.status();
  // Key first: a crash in between leaves a mismatched pair, which the next start regenerates.
  api::Status s = fsutil::WriteFileAtomic(dir + "/" + key, fresh->key_pem, 0600);
  if (s.ok()) s = fsutil::WriteFileAtomic(dir + "/" + crt, fresh->cert_pem, 0644);
  if (!s.ok()) return s;
  if (generated != nullptr) generated->push_back(crt.substr(0, crt.rfind('.')));
  return fresh;
}

CertSpec CaSpec(const std::string& prefix) {
  CertSpec spec;
  spec.common_name = prefix + "@" + std::to_string(static_cast<long long>(std::time(nullptr)));
  spec.usage = CertUsage::kCa;
  spec.days = kCaDays;
  return spec;
}

}  // namespace

api::Status EnsureServerPki(const std::string& tls_dir, const std::vector<std::string>& extra_sans,
                            std::vector<std::string>* generated) {
  auto sans = BuildServerSans(LocalHostNamesAndIps(), extra_sans);
  if (!sans.ok()) return sans.status();
  api::Status s = fsutil::EnsureDirectory(tls_dir, 0700);
  if (!s.ok()) return s;

  auto server_ca = EnsurePair(tls_dir, kServerCaCert, kServerCaKey, CaSpec("kcluster-server-ca"),
                              nullptr, 0, generated);
  if (!server_ca.ok()) return server_ca.status();
  CertSpec serving;
  serving.common_name = "kube-apiserver";
  serving.usage = CertUsage::kServer;
  serving.sans = std::move(*sans);
  serving.days = kLeafDays;
  auto serving_pair = EnsurePair(tls_dir, kServingCert, kServingKey, serving, &*server_ca,
                                 kLeafRenewBeforeSeconds, generated);
  if (!serving_pair.ok()) return serving_pair.status();

  auto client_ca = EnsurePair(tls_dir, kClientCaCert, kClientCaKey, CaSpec("kcluster-client-ca"),
                              nullptr, 0, generated);
  if (!client_ca.ok()) return client_ca.status();
  CertSpec admin;
  admin.common_name = kAdminUser;
  admin.organizations = {kAdminGroup};
  admin.usage = CertUsage::kClient;
  admin.days = kLeafDays;
  auto admin_pair = EnsurePair(tls_dir, kAdminCert, kAdminKey, admin, &*client_ca,
                               kLeafRenewBeforeSeconds, generated);
  if (!admin_pair.ok()) return admin_pair.status();
  return api::Status::Ok();
}

}  // namespace kc::pki
