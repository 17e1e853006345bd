#include "pkg/pki/key_util.h"

#include <openssl/err.h>
#include <openssl/pem.h>

#include <climits>

namespace kc::pki {

api::Status OpenSslError(const std::string& what) {
  std::string msg = what;
  unsigned long code = 0;
  bool first = true;
  while ((code = ERR_get_error()) != 0) {
    char buf[256];
    ERR_error_string_n(code, buf, sizeof(buf));
    msg += first ? ": " : "; ";
    msg += buf;
    first = false;
  }
  return api::Status::Internal(msg);
}

namespace {

std::string BioContents(BIO* bio) {
  char* data = nullptr;
  long len = BIO_get_mem_data(bio, &data);
  return len > 0 ? std::string(data, static_cast<size_t>(len)) : std::string();
}

api::Result<BioPtr> ReadBio(const std::string& pem) {
  if (pem.empty() || pem.size() > INT_MAX) return api::Status::Invalid("empty or oversized PEM");
  BioPtr bio(BIO_new_mem_buf(pem.data(), static_cast<int>(pem.size())));
  if (!bio) return OpenSslError("BIO_new_mem_buf");
  return bio;
}

// Refuses encrypted PEM instead of letting OpenSSL prompt on the terminal.
int NoPassword(char*, int, int, void*) { return -1; }

api::Status ParseError(const char* what) {
  ERR_clear_error();
  return api::Status::Invalid(std::string("cannot parse PEM ") + what);
}

}  // namespace

api::Result<PkeyPtr> GenerateEcKey() {
  PkeyPtr key(EVP_PKEY_Q_keygen(nullptr, nullptr, "EC", "P-256"));
  if (!key) return OpenSslError("generating P-256 key");
  return key;
}

api::Result<std::string> KeyToPem(EVP_PKEY* key) {
  BioPtr bio(BIO_new(BIO_s_mem()));
  if (!bio ||
      PEM_write_bio_PrivateKey(bio.get(), key, nullptr, nullptr, 0, nullptr, nullptr) != 1) {
    return OpenSslError("encoding private key");
  }
  return BioContents(bio.get());
}

api::Result<std::string> CertToPem(X509* cert) {
  BioPtr bio(BIO_new(BIO_s_mem()));
  if (!bio || PEM_write_bio_X509(bio.get(), cert) != 1) return OpenSslError("encoding certificate");
  return BioContents(bio.get());
}

api::Result<PkeyPtr> KeyFromPem(const std::string& pem) {
  auto bio = ReadBio(pem);
  if (!bio.ok()) return bio.status();
  PkeyPtr key(PEM_read_bio_PrivateKey(bio->get(), nullptr, NoPassword, nullptr));
  if (!key) return ParseError("private key");
  return key;
}

api::Result<X509Ptr> CertFromPem(const std::string& pem) {
  auto bio = ReadBio(pem);
  if (!bio.ok()) return bio.status();
  X509Ptr cert(PEM_read_bio_X509(bio->get(), nullptr, NoPassword, nullptr));
  if (!cert) return ParseError("certificate");
  return cert;
}

}  // namespace kc::pki
