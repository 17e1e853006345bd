// RFC 3339 timestamps with nanoseconds, as Go's time.RFC3339Nano writes them (the CRI log format
// and kubelet's `--timestamps` prefix): "2026-11-21T23:32:25.02254038Z" — the fraction's trailing
// zeros are dropped, and the fraction is left out when zero.
//
// Thread-safety: pure functions.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace kc::streaming {

// Nanoseconds since the Unix epoch. Accepts "Z" or "±hh:mm" offsets and 0–9 fraction digits.
std::optional<int64_t> ParseRfc3339Nano(std::string_view s);
// Formats in UTC with Go's RFC3339Nano rules.
std::string FormatRfc3339Nano(int64_t unix_nanos);

}  // namespace kc::streaming
