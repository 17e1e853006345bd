// Small file helpers shared by the PKI and the containerd setup: whole-file reads and atomic
// writes with an exact mode. Writes go to a temporary file in the same directory, are fsync'ed and then
// renamed over the target, so a reader (or a crash) never sees a half-written key or kubeconfig.
//
// Thread-safety: stateless; concurrent writers of the same path race only on which rename wins.
#pragma once

#include <sys/types.h>

#include <string>

#include "pkg/api/status.h"

namespace kc::fsutil {

// NotFound when the file does not exist; Internal for other I/O errors.
api::Result<std::string> ReadFile(const std::string& path);

// Writes `data` to `path` atomically with permission bits `mode` (umask is not applied).
api::Status WriteFileAtomic(const std::string& path, const std::string& data, mode_t mode);

// Creates `dir` and its parents. Directories this call creates get `mode`; existing ones are
// left as they are.
api::Status EnsureDirectory(const std::string& dir, mode_t mode);

}  // namespace kc::fsutil
