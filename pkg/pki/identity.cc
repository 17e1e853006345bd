#include "pkg/pki/identity.h"

#include <openssl/crypto.h>
#include <openssl/x509.h>

namespace kc::pki {

namespace {

std::string EntryText(const X509_NAME_ENTRY* entry) {
  unsigned char* utf8 = nullptr;
  int len = ASN1_STRING_to_UTF8(&utf8, X509_NAME_ENTRY_get_data(entry));
  if (len < 0) return "";
  std::string out(reinterpret_cast<char*>(utf8), static_cast<size_t>(len));
  OPENSSL_free(utf8);
  return out;
}

}  // namespace

Identity IdentityFromCert(x509_st* cert) {
  Identity id;
  if (cert == nullptr) return id;
  const X509_NAME* subject = X509_get_subject_name(cert);
  if (subject == nullptr) return id;
  for (int i = 0; i < X509_NAME_entry_count(subject); ++i) {
    const X509_NAME_ENTRY* entry = X509_NAME_get_entry(subject, i);
    int nid = OBJ_obj2nid(X509_NAME_ENTRY_get_object(entry));
    if (nid == NID_commonName) {
      id.user = EntryText(entry);
    } else if (nid == NID_organizationName) {
      std::string group = EntryText(entry);
      if (!group.empty()) id.groups.push_back(std::move(group));
    }
  }
  return id;
}

}  // namespace kc::pki
