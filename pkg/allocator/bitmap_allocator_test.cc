#include "pkg/allocator/bitmap_allocator.h"

#include <doctest/doctest.h>

#include <set>

#include "pkg/allocator/base64.h"

namespace kc::allocator {

TEST_CASE("base64 round trips and rejects garbage") {
  const std::string samples[] = {"",     "f",     "fo",     "foo",
                                 "foob", "fooba", "foobar", std::string("\x00\xff\x80", 3)};
  const char* encoded[] = {"", "Zg==", "Zm8=", "Zm9v", "Zm9vYg==", "Zm9vYmE=", "Zm9vYmFy", "AP+A"};
  for (size_t i = 0; i < std::size(samples); ++i) {
    CHECK(internal::Base64Encode(samples[i]) == encoded[i]);
    CHECK(internal::Base64Decode(encoded[i]) == samples[i]);
  }
  for (const char* bad : {"Zg=", "Z===", "Zm9v!A==", "====", "Zg==Zg=="}) {
    CAPTURE(bad);
    CHECK_FALSE(internal::Base64Decode(bad).has_value());
  }
}

TEST_CASE("BitmapAllocator static allocation, release and reallocation") {
  BitmapAllocator b(10, 0, 1);
  CHECK(b.Allocate(3).ok());
  CHECK(b.Has(3));
  api::Status again = b.Allocate(3);
  CHECK(again.reason() == api::Reason::kAlreadyExists);
  CHECK(b.Allocate(10).reason() == api::Reason::kBadRequest);
  CHECK(b.Used() == 1);
  CHECK(b.Free() == 9);
  b.Release(3);
  b.Release(3);   // releasing a free offset is a no-op
  b.Release(99);  // as is an out-of-range one
  CHECK_FALSE(b.Has(3));
  CHECK(b.Free() == 10);
  CHECK(b.Allocate(3).ok());
}

TEST_CASE("BitmapAllocator AllocateNext never repeats and reports full") {
  for (uint64_t size : {1u, 7u, 64u, 65u, 1000u}) {
    CAPTURE(size);
    BitmapAllocator b(size, size / 16, size);
    std::set<uint64_t> seen;
    for (uint64_t i = 0; i < size; ++i) {
      std::optional<uint64_t> o = b.AllocateNext();
      REQUIRE(o.has_value());
      REQUIRE(*o < size);
      REQUIRE(seen.insert(*o).second);
    }
    CHECK(b.Free() == 0);
    CHECK_FALSE(b.AllocateNext().has_value());
  }
  BitmapAllocator empty(0, 0, 1);
  CHECK_FALSE(empty.AllocateNext().has_value());
}

TEST_CASE("BitmapAllocator dynamic allocation uses the lower band only when the upper is full") {
  BitmapAllocator b(100, 20, 42);
  for (int i = 0; i < 80; ++i) {
    std::optional<uint64_t> o = b.AllocateNext();
    REQUIRE(o.has_value());
    CHECK(*o >= 20);
  }
  for (uint64_t i = 0; i < 20; ++i) CHECK_FALSE(b.Has(i));
  for (int i = 0; i < 20; ++i) {
    std::optional<uint64_t> o = b.AllocateNext();
    REQUIRE(o.has_value());
    CHECK(*o < 20);
  }
  CHECK_FALSE(b.AllocateNext().has_value());
}

TEST_CASE("BitmapAllocator snapshot uses big.Int byte order and restores") {
  BitmapAllocator b(20, 0, 1);
  CHECK(b.Snapshot() == "");
  REQUIRE(b.Allocate(0).ok());
  CHECK(b.Snapshot() == internal::Base64Encode(std::string("\x01", 1)));
  REQUIRE(b.Allocate(9).ok());  // bit 9 → second byte from the end, bit 1
  CHECK(b.Snapshot() == internal::Base64Encode(std::string("\x02\x01", 2)));
  REQUIRE(b.Allocate(19).ok());
  CHECK(b.Snapshot() == internal::Base64Encode(std::string("\x08\x02\x01", 3)));

  BitmapAllocator c(20, 0, 2);
  REQUIRE(c.Restore(b.Snapshot()).ok());
  CHECK(c.AllocatedOffsets() == std::vector<uint64_t>{0, 9, 19});
  CHECK(c.Used() == 3);
  CHECK(c.Snapshot() == b.Snapshot());
  // Leading zero bytes are accepted.
  REQUIRE(c.Restore(internal::Base64Encode(std::string("\x00\x00\x01", 3))).ok());
  CHECK(c.AllocatedOffsets() == std::vector<uint64_t>{0});
  // Restoring "" clears everything.
  REQUIRE(c.Restore("").ok());
  CHECK(c.Used() == 0);
}

TEST_CASE("BitmapAllocator Restore rejects corrupt data and keeps its state") {
  BitmapAllocator b(10, 0, 1);
  REQUIRE(b.Allocate(4).ok());
  CHECK(b.Restore("not base64!").reason() == api::Reason::kBadRequest);
  // Bit 10 is outside a range of 10.
  CHECK(b.Restore(internal::Base64Encode(std::string("\x04\x00", 2))).reason() ==
        api::Reason::kBadRequest);
  CHECK(b.AllocatedOffsets() == std::vector<uint64_t>{4});
}

}  // namespace kc::allocator
