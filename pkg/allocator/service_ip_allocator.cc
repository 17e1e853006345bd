#include "pkg/allocator/service_ip_allocator.h"

#include <cstdio>

namespace kc::allocator {
namespace {

// Go's %q for the strings that can appear in spec.clusterIPs.
std::string GoQuote(std::string_view s) {
  std::string out = "\"";
  for (char c : s) {
    auto u = static_cast<unsigned char>(c);
    switch (c) {
      case '"':
        out += "\\\"";
        break;
      case '\\':
        out += "\\\\";
        break;
      case '\n':
        out += "\\n";
        break;
      case '\t':
        out += "\\t";
        break;
      case '\r':
        out += "\\r";
        break;
      default:
        if (u < 0x20 || u == 0x7f) {
          char buf[8];
          std::snprintf(buf, sizeof(buf), "\\x%02x", u);
          out += buf;
        } else {
          out += c;
        }
    }
  }
  return out + "\"";
}

// Go's %#v of a []string.
std::string RenderStringSlice(const std::vector<std::string>& v) {
  std::string out = "[]string{";
  for (size_t i = 0; i < v.size(); ++i) {
    if (i) out += ", ";
    out += GoQuote(v[i]);
  }
  return out + "}";
}

api::Status ClusterIpsInvalid(std::string_view ip, const std::vector<std::string>& cluster_ips,
                              const std::string& why) {
  std::vector<std::string> value = cluster_ips;
  if (value.empty()) value.emplace_back(ip);
  api::StatusCause cause;
  cause.reason = "FieldValueInvalid";
  cause.field = "spec.clusterIPs";
  cause.message = "Invalid value: " + RenderStringSlice(value) + ": failed to allocate IP " +
                  std::string(ip) + ": " + why;
  api::Status s = api::Status::Invalid(cause.field + ": " + cause.message);
  s.WithCause(std::move(cause));
  return s;
}

}  // namespace

ServiceIpAllocator::ServiceIpAllocator(IpRange range)
    : range_(range), bitmap_(range.Size(), StaticBandSize(range)) {}

ServiceIpAllocator::ServiceIpAllocator(IpRange range, uint64_t seed)
    : range_(range), bitmap_(range.Size(), StaticBandSize(range), seed) {}

uint64_t ServiceIpAllocator::StaticBandSize(const IpRange& range) {
  constexpr uint64_t kMin = 16;
  constexpr uint64_t kMax = 256;
  constexpr uint64_t kStep = 16;
  uint64_t cidr_size = range.Size() + 2;  // network and broadcast included, as upstream counts
  if (cidr_size <= kMin) return 0;
  uint64_t offset = cidr_size / kStep;
  if (offset < kMin) return kMin;
  if (offset > kMax) return kMax;
  return offset;
}

api::Result<std::string> ServiceIpAllocator::AllocateNext() {
  std::lock_guard<std::mutex> lock(mu_);
  std::optional<uint64_t> offset = bitmap_.AllocateNext();
  if (!offset) {
    api::Status s = api::Status::Internal(
        "Internal error occurred: failed to allocate a serviceIP: range is full");
    s.WithCause({"", "failed to allocate a serviceIP: range is full", ""});
    return s;
  }
  return range_.At(*offset);
}

api::Status ServiceIpAllocator::Allocate(std::string_view ip,
                                         const std::vector<std::string>& cluster_ips) {
  std::optional<uint64_t> offset = range_.OffsetOf(ip);
  if (!offset) {
    // Go prints an unparsable (nil) net.IP as <nil>.
    std::string shown = ParseIpv4(ip) ? std::string(ip) : "<nil>";
    return ClusterIpsInvalid(ip, cluster_ips,
                             "the provided IP (" + shown +
                                 ") is not in the valid range. The range of valid IPs is " +
                                 range_.cidr());
  }
  std::lock_guard<std::mutex> lock(mu_);
  if (!bitmap_.Allocate(*offset).ok()) {
    return ClusterIpsInvalid(ip, cluster_ips, "provided IP is already allocated");
  }
  return api::Status::Ok();
}

void ServiceIpAllocator::Release(std::string_view ip) {
  std::optional<uint64_t> offset = range_.OffsetOf(ip);
  if (!offset) return;
  std::lock_guard<std::mutex> lock(mu_);
  bitmap_.Release(*offset);
}

bool ServiceIpAllocator::Has(std::string_view ip) const {
  std::optional<uint64_t> offset = range_.OffsetOf(ip);
  if (!offset) return false;
  std::lock_guard<std::mutex> lock(mu_);
  return bitmap_.Has(*offset);
}

uint64_t ServiceIpAllocator::Free() const {
  std::lock_guard<std::mutex> lock(mu_);
  return bitmap_.Free();
}

uint64_t ServiceIpAllocator::Used() const {
  std::lock_guard<std::mutex> lock(mu_);
  return bitmap_.Used();
}

std::vector<std::string> ServiceIpAllocator::Allocated() const {
  std::vector<uint64_t> offsets;
  {
    std::lock_guard<std::mutex> lock(mu_);
    offsets = bitmap_.AllocatedOffsets();
  }
  std::vector<std::string> out;
  out.reserve(offsets.size());
  for (uint64_t o : offsets) out.push_back(range_.At(o));
  return out;
}

RangeSnapshot ServiceIpAllocator::Snapshot() const {
  std::lock_guard<std::mutex> lock(mu_);
  return {range_.cidr(), bitmap_.Snapshot()};
}

api::Status ServiceIpAllocator::Restore(const RangeSnapshot& snapshot) {
  if (snapshot.range != range_.cidr()) {
    return api::Status::BadRequest("the provided network does not match the current range");
  }
  std::lock_guard<std::mutex> lock(mu_);
  return bitmap_.Restore(snapshot.data);
}

}  // namespace kc::allocator
