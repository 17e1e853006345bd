// PortRange: the NodePort range (--service-node-port-range, default 30000-32767), written as
// upstream's net.PortRange accepts it: "30000-32767", "30000+2768" (base+size) or a single port.
//
// Thread-safety: an immutable value type.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "pkg/api/status.h"

namespace kc::allocator {

class PortRange {
 public:
  PortRange() = default;  // empty range (Size() == 0); use Parse

  // BadRequest for malformed text, ports above 65535, an end below the start or an empty range.
  static api::Result<PortRange> Parse(std::string_view text);

  bool Contains(int64_t port) const { return OffsetOf(port).has_value(); }
  // The port at `offset` (0 → base). Offsets >= Size() abort.
  int At(uint64_t offset) const;
  // Inverse of At; nullopt when the port is outside the range.
  std::optional<uint64_t> OffsetOf(int64_t port) const;
  uint64_t Size() const { return size_; }
  int base() const { return base_; }
  // "30000-32767", as upstream prints it in errors and RangeAllocation.range.
  std::string String() const;

 private:
  PortRange(int base, uint64_t size) : base_(base), size_(size) {}

  int base_ = 0;
  uint64_t size_ = 0;
};

}  // namespace kc::allocator
