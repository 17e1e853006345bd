// IpRange: an IPv4 service CIDR (--service-cidr, default 10.43.0.0/16) seen as the list of its
// usable addresses. The network address and the broadcast address are never usable, so offset 0
// is the first host address (10.43.0.1, the `kubernetes` Service's IP) and Size() is
// 2^(32-prefix) - 2, as in upstream's ipallocator.Range.
//
// Thread-safety: an immutable value type.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "pkg/api/status.h"

namespace kc::allocator {

// Parses dotted-quad IPv4 text ("10.43.0.1", no leading zeros); nullopt if malformed.
std::optional<uint32_t> ParseIpv4(std::string_view ip);
std::string FormatIpv4(uint32_t ip);

class IpRange {
 public:
  IpRange() = default;  // empty range (Size() == 0); use Parse

  // "10.43.0.0/16". Host bits are masked off ("10.43.0.1/16" → 10.43.0.0/16). BadRequest when not
  // IPv4 CIDR text, when the prefix is shorter than /12 (upstream's limit on the service range)
  // or when it leaves no usable address (/31, /32).
  static api::Result<IpRange> Parse(std::string_view cidr);

  // True for the usable addresses (not the network or broadcast address); false for malformed text.
  bool Contains(std::string_view ip) const { return OffsetOf(ip).has_value(); }
  // The address at `offset` (0 → first host address). Offsets >= Size() abort.
  std::string At(uint64_t offset) const;
  // Inverse of At; nullopt when `ip` is malformed or not a usable address of the range.
  std::optional<uint64_t> OffsetOf(std::string_view ip) const;
  // Number of usable addresses.
  uint64_t Size() const;
  // Canonical CIDR text, "10.43.0.0/16".
  std::string cidr() const;
  int prefix() const { return prefix_; }

 private:
  IpRange(uint32_t network, int prefix) : network_(network), prefix_(prefix) {}

  uint32_t network_ = 0;
  int prefix_ = 32;
};

}  // namespace kc::allocator
