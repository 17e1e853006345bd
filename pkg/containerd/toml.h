// Writing TOML values: kc_containerd renders containerd's config.toml and hosts.toml as text.
//
// Thread-safety: stateless functions, callable from any thread.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace kc::containerd {

// A TOML basic string: "..." with \" \\ and control characters escaped.
std::string TomlString(std::string_view s);

// ["a", "b"]
std::string TomlStringArray(const std::vector<std::string>& items);

}  // namespace kc::containerd
