// Conversions from protobuf scalar payloads to the strings the Kubernetes JSON form uses:
// metav1.Time / MicroTime timestamps, metav1.Duration, base64 for bytes, and Go's treatment
// of invalid UTF-8 in strings.
//
// Thread-safety: pure functions.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace kc::protobuf {

// RFC 3339 in UTC: "2006-01-02T15:04:05Z", or with `micro` "2006-01-02T15:04:05.000000Z"
// (nanoseconds truncated, as Go formats them). nullopt when the year is outside 0000..9999 or
// nanos is outside 0..999999999 (Go refuses to marshal those).
std::optional<std::string> FormatTimestamp(int64_t seconds, int64_t nanos, bool micro);

// Go's time.Duration.String(): "0s", "1.5s", "2m0s", "1h0m0s", "300ms", "1µs", "-5ns".
std::string FormatGoDuration(int64_t nanoseconds);

// Standard base64 with padding (encoding/base64.StdEncoding).
std::string Base64Encode(std::string_view bytes);

// The bytes unchanged when they are valid UTF-8; otherwise each invalid byte becomes U+FFFD,
// as encoding/json does.
std::string SanitizeUtf8(std::string_view bytes);

}  // namespace kc::protobuf
