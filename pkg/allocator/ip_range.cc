#include "pkg/allocator/ip_range.h"

#include <cstdio>
#include <cstdlib>

namespace kc::allocator {
namespace {

// Decimal digits only, no sign, no leading zeros (except "0"), value <= max.
std::optional<uint32_t> ParseDecimal(std::string_view s, uint32_t max) {
  if (s.empty() || s.size() > 10) return std::nullopt;
  if (s.size() > 1 && s[0] == '0') return std::nullopt;
  uint64_t v = 0;
  for (char c : s) {
    if (c < '0' || c > '9') return std::nullopt;
    v = v * 10 + uint64_t(c - '0');
  }
  if (v > max) return std::nullopt;
  return uint32_t(v);
}

constexpr int kMinPrefix = 12;  // upstream: a service range may hold at most 2^20 addresses
constexpr int kMaxPrefix = 30;  // /31 and /32 have no usable address once network+broadcast go

}  // namespace

std::optional<uint32_t> ParseIpv4(std::string_view ip) {
  uint32_t out = 0;
  for (int part = 0; part < 4; ++part) {
    size_t dot = ip.find('.');
    if ((part < 3) != (dot != std::string_view::npos)) return std::nullopt;
    std::optional<uint32_t> octet = ParseDecimal(ip.substr(0, dot), 255);
    if (!octet) return std::nullopt;
    out = (out << 8) | *octet;
    ip = part < 3 ? ip.substr(dot + 1) : std::string_view();
  }
  return out;
}

std::string FormatIpv4(uint32_t ip) {
  char buf[16];
  std::snprintf(buf, sizeof(buf), "%u.%u.%u.%u", (ip >> 24) & 255, (ip >> 16) & 255,
                (ip >> 8) & 255, ip & 255);
  return buf;
}

api::Result<IpRange> IpRange::Parse(std::string_view cidr) {
  const std::string quoted = "\"" + std::string(cidr) + "\"";
  size_t slash = cidr.find('/');
  if (slash == std::string_view::npos) {
    return api::Status::BadRequest("invalid CIDR address: " + std::string(cidr));
  }
  std::optional<uint32_t> ip = ParseIpv4(cidr.substr(0, slash));
  std::optional<uint32_t> prefix = ParseDecimal(cidr.substr(slash + 1), 32);
  if (!ip || !prefix) {
    if (cidr.substr(0, slash).find(':') != std::string_view::npos) {
      return api::Status::BadRequest("service CIDR " + quoted +
                                     " is not IPv4; only IPv4 service CIDRs are supported");
    }
    return api::Status::BadRequest("invalid CIDR address: " + std::string(cidr));
  }
  if (int(*prefix) < kMinPrefix) {
    return api::Status::BadRequest(
        "specified --service-cluster-ip-range is too large; for 32-bit addresses, the mask must "
        "be >= " +
        std::to_string(kMinPrefix));
  }
  if (int(*prefix) > kMaxPrefix) {
    return api::Status::BadRequest("service CIDR " + quoted +
                                   " is too small: it has no usable address (the mask must be <= " +
                                   std::to_string(kMaxPrefix) + ")");
  }
  uint32_t mask = *prefix == 0 ? 0 : ~uint32_t{0} << (32 - *prefix);
  return IpRange(*ip & mask, int(*prefix));
}

uint64_t IpRange::Size() const {
  uint64_t total = uint64_t{1} << (32 - prefix_);
  return total > 2 ? total - 2 : 0;
}

std::string IpRange::At(uint64_t offset) const {
  if (offset >= Size()) {
    std::fprintf(stderr, "IpRange::At(%llu) out of range %s\n", (unsigned long long)offset,
                 cidr().c_str());
    std::abort();
  }
  return FormatIpv4(network_ + 1 + uint32_t(offset));
}

std::optional<uint64_t> IpRange::OffsetOf(std::string_view ip) const {
  std::optional<uint32_t> v = ParseIpv4(ip);
  if (!v || *v <= network_) return std::nullopt;
  uint64_t offset = uint64_t(*v - network_) - 1;
  if (offset >= Size()) return std::nullopt;
  return offset;
}

std::string IpRange::cidr() const { return FormatIpv4(network_) + "/" + std::to_string(prefix_); }

}  // namespace kc::allocator
