// File helpers for kc_containerd: whole-file reads, atomic writes and directory creation.
//
// Internal to kc_containerd. WriteFileAtomic writes a temporary file in the *same directory* as
// the target and renames it there. That matters for the CNI config: containerd 1.6 ignores
// fsnotify CREATE events in its conf_dir, so a file moved in from elsewhere is never loaded,
// while a rename inside the directory is (reference containerd-1.6-cri.md §1.4).
//
// Thread-safety: stateless functions, callable from any thread.
#pragma once

#include <sys/types.h>

#include <string>

#include "pkg/api/status.h"

namespace kc::containerd {

// NotFound when the file does not exist; Internal for other I/O errors.
api::Result<std::string> ReadFile(const std::string& path);

// Writes `data` to `path` via `<dir>/.<name>.tmp.XXXXXX` + fsync + rename, with permission bits
// `mode`. A reader never sees a half-written file.
api::Status WriteFileAtomic(const std::string& path, const std::string& data, mode_t mode);

// Creates `dir` and its parents with `mode` (existing directories are left alone).
api::Status EnsureDirectory(const std::string& dir, mode_t mode);

}  // namespace kc::containerd
