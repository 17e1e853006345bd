// Standard base64 (RFC 4648, with padding) for allocator snapshots. Internal to pkg/allocator.
//
// Thread-safety: pure functions.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace kc::allocator::internal {

std::string Base64Encode(std::string_view bytes);
// nullopt when `text` is not valid padded base64.
std::optional<std::string> Base64Decode(std::string_view text);

}  // namespace kc::allocator::internal
