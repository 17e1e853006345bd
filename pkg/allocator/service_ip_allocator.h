// ServiceIpAllocator: hands out Service ClusterIPs from the service CIDR and refuses to hand one
// out twice — upstream's ipallocator.Range (single-stack IPv4).
//
// The allocator itself keeps no durable state: the API server persists Snapshot() in its store
// (as upstream persists a RangeAllocation) and Restore()s it on start, so allocations survive a
// restart. Dynamic allocation prefers the upper part of the range; the lowest
// min(max(16, 2^(32-prefix)/16), 256) addresses (none for a /28 or smaller) are used only once the
// rest is full, leaving them for requested IPs (upstream KEP-3070). Offset 0 (10.43.0.1 for the
// default range) is the `kubernetes` Service's address; the caller Allocate()s it explicitly.
//
// Headless Services (clusterIP "None") and ExternalName Services never reach the allocator; the
// Service strategy skips them.
//
// Thread-safety: safe for concurrent use; every method is atomic under an internal mutex. A caller
// that persists the snapshot after an allocation must serialize allocate+persist itself.
#pragma once

#include <cstdint>
#include <mutex>
#include <string>
#include <string_view>
#include <vector>

#include "pkg/allocator/bitmap_allocator.h"
#include "pkg/allocator/ip_range.h"
#include "pkg/allocator/range_snapshot.h"
#include "pkg/api/status.h"

namespace kc::allocator {

class ServiceIpAllocator {
 public:
  explicit ServiceIpAllocator(IpRange range);
  ServiceIpAllocator(IpRange range, uint64_t seed);  // reproducible AllocateNext (tests)

  // Size of the low band kept for static allocation (upstream calculateRangeOffset).
  static uint64_t StaticBandSize(const IpRange& range);

  const IpRange& range() const { return range_; }

  // A free IP. When the range is full: InternalError
  // "Internal error occurred: failed to allocate a serviceIP: range is full".
  api::Result<std::string> AllocateNext();

  // Takes the requested `ip`. Errors are Invalid with one cause (reason FieldValueInvalid, field
  // "spec.clusterIPs") exactly as upstream's Service REST builds it, e.g.
  //   spec.clusterIPs: Invalid value: []string{"10.0.0.1"}: failed to allocate IP 10.0.0.1: the
  //   provided IP (10.0.0.1) is not in the valid range. The range of valid IPs is 10.43.0.0/16
  //   spec.clusterIPs: Invalid value: []string{"10.43.0.10"}: failed to allocate IP 10.43.0.10:
  //   provided IP is already allocated
  // The Status message is "<field>: <cause message>"; the caller wraps the cause with
  // api::Status::InvalidFor("Service", name, status.details().causes). `cluster_ips` is the
  // Service's spec.clusterIPs as sent (rendered in the message); empty means {ip}.
  api::Status Allocate(std::string_view ip, const std::vector<std::string>& cluster_ips = {});

  // Frees `ip`; a no-op for free, malformed or out-of-range IPs.
  void Release(std::string_view ip);
  bool Has(std::string_view ip) const;
  uint64_t Free() const;
  uint64_t Used() const;
  // Allocated IPs in ascending order.
  std::vector<std::string> Allocated() const;

  // {range: "10.43.0.0/16", data: base64 bitmap}.
  RangeSnapshot Snapshot() const;
  // Replaces the state with `snapshot`. BadRequest "the provided network does not match the
  // current range" when snapshot.range differs from range().cidr(), or when data is corrupt; the
  // state is unchanged on error.
  api::Status Restore(const RangeSnapshot& snapshot);

 private:
  const IpRange range_;

  mutable std::mutex mu_;
  // Guarded by mu_.
  BitmapAllocator bitmap_;
};

}  // namespace kc::allocator
