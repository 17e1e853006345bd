#include "pkg/pki/key_util.h"

#include <doctest/doctest.h>
#include <openssl/err.h>
#include <openssl/pem.h>

namespace kc::pki {

TEST_CASE("generated P-256 keys survive a PEM round trip") {
  auto key = GenerateEcKey();
  REQUIRE(key.ok());
  CHECK(EVP_PKEY_get_bits(key->get()) == 256);
  auto pem = KeyToPem(key->get());
  REQUIRE(pem.ok());
  CHECK(pem->rfind("-----BEGIN PRIVATE KEY-----", 0) == 0);
  auto back = KeyFromPem(*pem);
  REQUIRE(back.ok());
  CHECK(EVP_PKEY_eq(key->get(), back->get()) == 1);
}

TEST_CASE("malformed PEM is an Invalid status and leaves no OpenSSL error behind") {
  SUBCASE("empty") {
    CHECK(KeyFromPem("").status().reason() == api::Reason::kInvalid);
    CHECK(CertFromPem("").status().reason() == api::Reason::kInvalid);
  }
  SUBCASE("garbage") {
    CHECK(KeyFromPem("not a key").status().reason() == api::Reason::kInvalid);
    CHECK(CertFromPem("-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n")
              .status()
              .reason() == api::Reason::kInvalid);
  }
  SUBCASE("a key is not a certificate") {
    auto key = GenerateEcKey();
    REQUIRE(key.ok());
    auto pem = KeyToPem(key->get());
    REQUIRE(pem.ok());
    CHECK_FALSE(CertFromPem(*pem).ok());
  }
  SUBCASE("encrypted keys are refused, not prompted for") {
    auto key = GenerateEcKey();
    REQUIRE(key.ok());
    BioPtr bio(BIO_new(BIO_s_mem()));
    char pass[] = "secret";
    REQUIRE(PEM_write_bio_PrivateKey(bio.get(), key->get(), EVP_aes_128_cbc(), nullptr, 0,
                                     nullptr, pass) == 1);
    char* data = nullptr;
    long len = BIO_get_mem_data(bio.get(), &data);
    CHECK(KeyFromPem(std::string(data, static_cast<size_t>(len))).status().reason() ==
          api::Reason::kInvalid);
  }
  CHECK(ERR_peek_error() == 0);
}

TEST_CASE("OpenSslError drains the error queue into the message") {
  ERR_raise(ERR_LIB_X509, X509_R_KEY_VALUES_MISMATCH);
  api::Status s = OpenSslError("checking");
  CHECK(s.reason() == api::Reason::kInternalError);
  CHECK(s.message().rfind("checking: ", 0) == 0);
  CHECK(s.message().find("key values mismatch") != std::string::npos);
  CHECK(ERR_peek_error() == 0);
}

}  // namespace kc::pki
