// The version kcluster reports at /version: the Kubernetes API version it serves (so kubectl's
// version-skew check stays quiet) with a kcluster suffix.
#pragma once

#include <string>

namespace kc::apiserver {

inline constexpr const char* kKubernetesMinor = "32";
inline constexpr const char* kGitVersion = "v1.32.4+kcluster";

std::string VersionJson();

}  // namespace kc::apiserver
