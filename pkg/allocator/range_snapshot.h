// RangeSnapshot: the persisted form of one allocator, shaped like upstream's core/v1
// RangeAllocation object: `range` names the range the bitmap belongs to ("10.43.0.0/16",
// "30000-32767") and `data` is the base64 of the bitmap bytes (big-endian, leading zero bytes
// dropped — the bytes of Go's big.Int that upstream stores).
//
// Thread-safety: a plain value type.
#pragma once

#include <string>

namespace kc::allocator {

struct RangeSnapshot {
  std::string range;
  std::string data;

  bool operator==(const RangeSnapshot&) const = default;
};

}  // namespace kc::allocator
