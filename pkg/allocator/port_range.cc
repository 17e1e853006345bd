#include "pkg/allocator/port_range.h"

#include <cstdio>
#include <cstdlib>

namespace kc::allocator {
namespace {

constexpr int64_t kMaxPort = 65535;

std::optional<int64_t> ParsePort(std::string_view s) {
  if (s.empty() || s.size() > 6) return std::nullopt;
  int64_t v = 0;
  for (char c : s) {
    if (c < '0' || c > '9') return std::nullopt;
    v = v * 10 + (c - '0');
  }
  return v;
}

std::string_view Trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

}  // namespace

api::Result<PortRange> PortRange::Parse(std::string_view text) {
  const std::string value(Trim(text));
  auto fail = [&](const std::string& why) {
    return api::Status::BadRequest("unable to parse port range \"" + value + "\": " + why);
  };
  if (value.empty()) return fail("the port range is empty");
  size_t hyphen = value.find('-');
  size_t plus = value.find('+');
  int64_t low = 0;
  int64_t high = 0;
  if (hyphen != std::string::npos && plus != std::string::npos) {
    return fail("the port range has both '-' and '+'");
  }
  if (hyphen != std::string::npos) {
    std::optional<int64_t> a = ParsePort(std::string_view(value).substr(0, hyphen));
    std::optional<int64_t> b = ParsePort(std::string_view(value).substr(hyphen + 1));
    if (!a || !b) return fail("expected <start>-<end>");
    low = *a;
    high = *b;
  } else if (plus != std::string::npos) {
    std::optional<int64_t> a = ParsePort(std::string_view(value).substr(0, plus));
    std::optional<int64_t> n = ParsePort(std::string_view(value).substr(plus + 1));
    if (!a || !n || *n == 0) return fail("expected <start>+<size> with size > 0");
    low = *a;
    high = *a + *n - 1;
  } else {
    std::optional<int64_t> a = ParsePort(value);
    if (!a) return fail("expected a port number");
    low = high = *a;
  }
  if (low > kMaxPort || high > kMaxPort) {
    return fail("the port range cannot be greater than 65535: " + value);
  }
  if (high < low) return fail("end port cannot be less than start port: " + value);
  return PortRange(int(low), uint64_t(high - low + 1));
}

int PortRange::At(uint64_t offset) const {
  if (offset >= size_) {
    std::fprintf(stderr, "PortRange::At(%llu) out of range %s\n", (unsigned long long)offset,
                 String().c_str());
    std::abort();
  }
  return base_ + int(offset);
}

std::optional<uint64_t> PortRange::OffsetOf(int64_t port) const {
  if (port < base_ || uint64_t(port - base_) >= size_) return std::nullopt;
  return uint64_t(port - base_);
}

std::string PortRange::String() const {
  if (size_ == 0) return "";
  return std::to_string(base_) + "-" + std::to_string(base_ + int64_t(size_) - 1);
}

}  // namespace kc::allocator
