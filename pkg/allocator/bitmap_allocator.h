// BitmapAllocator: which offsets of [0, size) are taken, as one bit each — the core of upstream's
// pkg/registry/core/service/allocator (AllocationBitmap).
//
// Dynamic allocation follows upstream's "random scan with offset" strategy (KEP-3070/3668): the
// range is split at `reserved`; AllocateNext picks a random start in the upper band
// [reserved, size) and scans forward (wrapping inside that band) for a free bit, and only when the
// upper band is full does it do the same in the lower band [0, reserved). The lower band is thus
// left to static (user-requested) allocations as long as possible. reserved = 0 gives the plain
// random-scan strategy.
//
// Snapshot/Restore give the bitmap as base64 of its big-endian bytes (bit i is bit i%8 of the
// i/8-th byte counted from the end, leading zero bytes dropped), the encoding upstream stores in a
// RangeAllocation's data.
//
// Thread-safety: not thread-safe; a value type owned by one caller (the typed allocators wrap it
// under a mutex).
#pragma once

#include <cstdint>
#include <optional>
#include <random>
#include <string>
#include <string_view>
#include <vector>

#include "pkg/api/status.h"

namespace kc::allocator {

class BitmapAllocator {
 public:
  // `reserved` is clamped to `size`. The seed makes AllocateNext's choices reproducible.
  BitmapAllocator(uint64_t size, uint64_t reserved, uint64_t seed);
  // Seeded from std::random_device.
  BitmapAllocator(uint64_t size, uint64_t reserved);

  // Takes `offset`. BadRequest if offset >= size, AlreadyExists if it is already taken.
  api::Status Allocate(uint64_t offset);
  // Takes a free offset (upper band first, see above); nullopt when every offset is taken.
  std::optional<uint64_t> AllocateNext();
  // Frees `offset`; freeing a free or out-of-range offset is a no-op.
  void Release(uint64_t offset);
  bool Has(uint64_t offset) const;

  uint64_t Free() const { return size_ - count_; }
  uint64_t Used() const { return count_; }
  uint64_t size() const { return size_; }
  uint64_t reserved() const { return reserved_; }
  // Taken offsets in ascending order.
  std::vector<uint64_t> AllocatedOffsets() const;

  // base64 of the bitmap bytes; "" when nothing is allocated.
  std::string Snapshot() const;
  // Replaces the whole state with a Snapshot() result. BadRequest (state unchanged) when `data`
  // is not base64 or marks an offset >= size.
  api::Status Restore(std::string_view data);

 private:
  // First free offset scanning [begin, begin + n) from begin + start, wrapping inside it.
  std::optional<uint64_t> ScanBand(uint64_t begin, uint64_t n);
  void Set(uint64_t offset) { words_[offset / 64] |= uint64_t{1} << (offset % 64); }

  uint64_t size_;
  uint64_t reserved_;
  uint64_t count_ = 0;
  std::vector<uint64_t> words_;
  std::mt19937_64 rng_;
};

}  // namespace kc::allocator
