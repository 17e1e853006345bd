// NodePortAllocator: hands out Service NodePorts from --service-node-port-range (default
// 30000-32767) and refuses to hand one out twice — upstream's portallocator.PortAllocator.
//
// As with ServiceIpAllocator, the API server persists Snapshot() in its store and Restore()s it
// on start. Dynamic allocation prefers the upper part of the range; the lowest
// min(max(16, size/32), 128) ports (86 for the default range: 30000-30085; none when the range
// has 16 ports or fewer) are used only once the rest is full, leaving them for requested ports
// (upstream KEP-3668).
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
#include "pkg/allocator/port_range.h"
#include "pkg/allocator/range_snapshot.h"
#include "pkg/api/status.h"

namespace kc::allocator {

class NodePortAllocator {
 public:
  explicit NodePortAllocator(PortRange range);
  NodePortAllocator(PortRange range, uint64_t seed);  // reproducible AllocateNext (tests)

  // Size of the low band kept for static allocation (upstream calculateRangeOffset).
  static uint64_t StaticBandSize(const PortRange& range);

  const PortRange& range() const { return range_; }

  // A free port. When the range is full: InternalError
  // "Internal error occurred: failed to allocate a nodePort: range is full".
  api::Result<int> AllocateNext();

  // Takes the requested `port`. Errors are Invalid with one cause (reason FieldValueInvalid, field
  // `field_path`, e.g. "spec.ports[0].nodePort") as upstream's Service REST builds it:
  //   spec.ports[0].nodePort: Invalid value: 80: provided port is not in the valid range. The
  //   range of valid ports is 30000-32767
  //   spec.ports[0].nodePort: Invalid value: 30080: provided port is already allocated
  // The Status message is "<field>: <cause message>"; wrap with
  // api::Status::InvalidFor("Service", name, status.details().causes).
  api::Status Allocate(int64_t port, std::string_view field_path);

  // Frees `port`; a no-op for free or out-of-range ports.
  void Release(int64_t port);
  bool Has(int64_t port) const;
  uint64_t Free() const;
  uint64_t Used() const;
  // Allocated ports in ascending order.
  std::vector<int> Allocated() const;

  // {range: "30000-32767", data: base64 bitmap}.
  RangeSnapshot Snapshot() const;
  // Replaces the state with `snapshot`. BadRequest "the provided port range does not match the
  // current port range" when snapshot.range differs from range().String(), or when data is
  // corrupt; the state is unchanged on error.
  api::Status Restore(const RangeSnapshot& snapshot);

 private:
  const PortRange range_;

  mutable std::mutex mu_;
  // Guarded by mu_.
  BitmapAllocator bitmap_;
};

}  // namespace kc::allocator
