// Time and identity helpers shared by the API server and components: RFC 3339 timestamps in
// the two precisions Kubernetes uses (metav1.Time = seconds, metav1.MicroTime = microseconds) and
// random UUIDs for metadata.uid.
//
// Thread-safety: all functions are safe to call concurrently.
#pragma once

#include <chrono>
#include <optional>
#include <string>
#include <string_view>

namespace kc::api {

using Clock = std::chrono::system_clock;

// "2024-05-01T12:00:00Z"
std::string FormatTime(Clock::time_point t);
// "2024-05-01T12:00:00.123456Z"
std::string FormatMicroTime(Clock::time_point t);
// Parses RFC 3339 ("Z" or "+hh:mm" offsets, optional fraction). nullopt if malformed.
std::optional<Clock::time_point> ParseTime(std::string_view s);

// A random RFC 4122 version-4 UUID, e.g. "0d5c7d1e-3c2b-4a57-9b1e-8f0e2f6f1a2b".
std::string NewUid();
// `n` random characters from [bcdfghjklmnpqrstvwxz2456789] (upstream's generateName alphabet).
std::string RandomSuffix(int n);

}  // namespace kc::api
