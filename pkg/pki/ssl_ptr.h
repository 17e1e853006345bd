// Owning smart pointers for the OpenSSL objects kc_pki handles, so every early return frees them.
//
// Internal to kc_pki (and its tests); the public headers keep OpenSSL types out.
//
// Thread-safety: plain unique_ptr aliases; the pointees follow OpenSSL's rules (an object is used
// by one thread at a time).
#pragma once

#include <openssl/bio.h>
#include <openssl/bn.h>
#include <openssl/evp.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>

#include <memory>

namespace kc::pki {

template <auto FreeFn>
struct SslDeleter {
  template <typename T>
  void operator()(T* p) const {
    FreeFn(p);
  }
};

using BioPtr = std::unique_ptr<BIO, SslDeleter<BIO_free_all>>;
using BignumPtr = std::unique_ptr<BIGNUM, SslDeleter<BN_free>>;
using PkeyPtr = std::unique_ptr<EVP_PKEY, SslDeleter<EVP_PKEY_free>>;
using X509Ptr = std::unique_ptr<X509, SslDeleter<X509_free>>;
using X509NamePtr = std::unique_ptr<X509_NAME, SslDeleter<X509_NAME_free>>;
using X509StorePtr = std::unique_ptr<X509_STORE, SslDeleter<X509_STORE_free>>;
using X509StoreCtxPtr = std::unique_ptr<X509_STORE_CTX, SslDeleter<X509_STORE_CTX_free>>;
using X509ExtPtr = std::unique_ptr<X509_EXTENSION, SslDeleter<X509_EXTENSION_free>>;
using GeneralNamesPtr = std::unique_ptr<GENERAL_NAMES, SslDeleter<GENERAL_NAMES_free>>;
using GeneralNamePtr = std::unique_ptr<GENERAL_NAME, SslDeleter<GENERAL_NAME_free>>;
using Asn1IntegerPtr = std::unique_ptr<ASN1_INTEGER, SslDeleter<ASN1_INTEGER_free>>;
using Asn1OctetStringPtr =
    std::unique_ptr<ASN1_OCTET_STRING, SslDeleter<ASN1_OCTET_STRING_free>>;

}  // namespace kc::pki
