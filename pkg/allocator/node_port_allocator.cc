#include "pkg/allocator/node_port_allocator.h"

namespace kc::allocator {
namespace {

api::Status NodePortInvalid(std::string_view field_path, int64_t port, const std::string& why) {
  api::StatusCause cause;
  cause.reason = "FieldValueInvalid";
  cause.field = std::string(field_path);
  cause.message = "Invalid value: " + std::to_string(port) + ": " + why;
  api::Status s = api::Status::Invalid(cause.field + ": " + cause.message);
  s.WithCause(std::move(cause));
  return s;
}

}  // namespace

NodePortAllocator::NodePortAllocator(PortRange range)
    : range_(range), bitmap_(range.Size(), StaticBandSize(range)) {}

NodePortAllocator::NodePortAllocator(PortRange range, uint64_t seed)
    : range_(range), bitmap_(range.Size(), StaticBandSize(range), seed) {}

uint64_t NodePortAllocator::StaticBandSize(const PortRange& range) {
  constexpr uint64_t kMin = 16;
  constexpr uint64_t kMax = 128;
  constexpr uint64_t kStep = 32;
  uint64_t size = range.Size();
  if (size <= kMin) return 0;
  uint64_t offset = size / kStep;
  if (offset < kMin) return kMin;
  if (offset > kMax) return kMax;
  return offset;
}

api::Result<int> NodePortAllocator::AllocateNext() {
  std::lock_guard<std::mutex> lock(mu_);
  std::optional<uint64_t> offset = bitmap_.AllocateNext();
  if (!offset) {
    api::Status s = api::Status::Internal(
        "Internal error occurred: failed to allocate a nodePort: range is full");
    s.WithCause({"", "failed to allocate a nodePort: range is full", ""});
    return s;
  }
  return range_.At(*offset);
}

api::Status NodePortAllocator::Allocate(int64_t port, std::string_view field_path) {
  std::optional<uint64_t> offset = range_.OffsetOf(port);
  if (!offset) {
    return NodePortInvalid(
        field_path, port,
        "provided port is not in the valid range. The range of valid ports is " + range_.String());
  }
  std::lock_guard<std::mutex> lock(mu_);
  if (!bitmap_.Allocate(*offset).ok()) {
    return NodePortInvalid(field_path, port, "provided port is already allocated");
  }
  return api::Status::Ok();
}

void NodePortAllocator::Release(int64_t port) {
  std::optional<uint64_t> offset = range_.OffsetOf(port);
  if (!offset) return;
  std::lock_guard<std::mutex> lock(mu_);
  bitmap_.Release(*offset);
}

bool NodePortAllocator::Has(int64_t port) const {
  std::optional<uint64_t> offset = range_.OffsetOf(port);
  if (!offset) return false;
  std::lock_guard<std::mutex> lock(mu_);
  return bitmap_.Has(*offset);
}

uint64_t NodePortAllocator::Free() const {
  std::lock_guard<std::mutex> lock(mu_);
  return bitmap_.Free();
}

uint64_t NodePortAllocator::Used() const {
  std::lock_guard<std::mutex> lock(mu_);
  return bitmap_.Used();
}

std::vector<int> NodePortAllocator::Allocated() const {
  std::vector<uint64_t> offsets;
  {
    std::lock_guard<std::mutex> lock(mu_);
    offsets = bitmap_.AllocatedOffsets();
  }
  std::vector<int> out;
  out.reserve(offsets.size());
  for (uint64_t o : offsets) out.push_back(range_.At(o));
  return out;
}

RangeSnapshot NodePortAllocator::Snapshot() const {
  std::lock_guard<std::mutex> lock(mu_);
  return {range_.String(), bitmap_.Snapshot()};
}

api::Status NodePortAllocator::Restore(const RangeSnapshot& snapshot) {
  if (snapshot.range != range_.String()) {
    return api::Status::BadRequest("the provided port range does not match the current port range");
  }
  std::lock_guard<std::mutex> lock(mu_);
  return bitmap_.Restore(snapshot.data);
}

}  // namespace kc::allocator
