#include "pkg/allocator/bitmap_allocator.h"

#include <algorithm>
#include <bit>

#include "pkg/allocator/base64.h"

namespace kc::allocator {

BitmapAllocator::BitmapAllocator(uint64_t size, uint64_t reserved, uint64_t seed)
    : size_(size), reserved_(std::min(reserved, size)), words_((size + 63) / 64, 0), rng_(seed) {}

BitmapAllocator::BitmapAllocator(uint64_t size, uint64_t reserved)
    : BitmapAllocator(size, reserved,
                      (uint64_t{std::random_device{}()} << 32) ^ std::random_device{}()) {}

api::Status BitmapAllocator::Allocate(uint64_t offset) {
  if (offset >= size_) {
    return api::Status::BadRequest("offset " + std::to_string(offset) + " out of range [0," +
                                   std::to_string(size_) + "]");
  }
  if (Has(offset)) {
    return api::Status::AlreadyExists("offset " + std::to_string(offset) + " is already allocated");
  }
  Set(offset);
  ++count_;
  return api::Status::Ok();
}

std::optional<uint64_t> BitmapAllocator::ScanBand(uint64_t begin, uint64_t n) {
  if (n == 0) return std::nullopt;
  uint64_t start = std::uniform_int_distribution<uint64_t>(0, n - 1)(rng_);
  for (uint64_t i = 0; i < n; ++i) {
    uint64_t at = begin + (start + i) % n;
    if (!Has(at)) return at;
  }
  return std::nullopt;
}

std::optional<uint64_t> BitmapAllocator::AllocateNext() {
  if (count_ >= size_) return std::nullopt;
  std::optional<uint64_t> at = ScanBand(reserved_, size_ - reserved_);
  if (!at) at = ScanBand(0, reserved_);
  if (!at) return std::nullopt;
  Set(*at);
  ++count_;
  return at;
}

void BitmapAllocator::Release(uint64_t offset) {
  if (!Has(offset)) return;
  words_[offset / 64] &= ~(uint64_t{1} << (offset % 64));
  --count_;
}

bool BitmapAllocator::Has(uint64_t offset) const {
  if (offset >= size_) return false;
  return (words_[offset / 64] >> (offset % 64)) & 1;
}

std::vector<uint64_t> BitmapAllocator::AllocatedOffsets() const {
  std::vector<uint64_t> out;
  out.reserve(count_);
  for (size_t w = 0; w < words_.size(); ++w) {
    for (uint64_t word = words_[w]; word != 0; word &= word - 1) {
      out.push_back(w * 64 + uint64_t(std::countr_zero(word)));
    }
  }
  return out;
}

std::string BitmapAllocator::Snapshot() const {
  // Little-endian bytes first, then trim the high zero bytes and reverse to big-endian.
  std::string bytes;
  bytes.reserve(words_.size() * 8);
  for (uint64_t word : words_) {
    for (int b = 0; b < 8; ++b) bytes += char((word >> (8 * b)) & 0xff);
  }
  while (!bytes.empty() && bytes.back() == 0) bytes.pop_back();
  std::reverse(bytes.begin(), bytes.end());
  return internal::Base64Encode(bytes);
}

api::Status BitmapAllocator::Restore(std::string_view data) {
  std::optional<std::string> bytes = internal::Base64Decode(data);
  if (!bytes) return api::Status::BadRequest("allocation snapshot is not valid base64");
  std::vector<uint64_t> words(words_.size(), 0);
  uint64_t count = 0;
  const size_t n = bytes->size();
  for (size_t j = 0; j < n; ++j) {  // j counts bytes from the least significant end
    auto byte = uint8_t((*bytes)[n - 1 - j]);
    if (byte == 0) continue;
    uint64_t first_bit = uint64_t(j) * 8;
    for (int b = 0; b < 8; ++b) {
      if (!((byte >> b) & 1)) continue;
      uint64_t offset = first_bit + uint64_t(b);
      if (offset >= size_) {
        return api::Status::BadRequest("allocation snapshot marks offset " +
                                       std::to_string(offset) + " outside the range of size " +
                                       std::to_string(size_));
      }
      words[offset / 64] |= uint64_t{1} << (offset % 64);
      ++count;
    }
  }
  words_ = std::move(words);
  count_ = count;
  return api::Status::Ok();
}

}  // namespace kc::allocator
