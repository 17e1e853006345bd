// AtomicWriter: writes the files of a configMap/secret/downwardAPI/projected volume so that a
// container never sees a half-updated set (upstream pkg/volume/util/atomic_writer.go layout):
//
//   <dir>/..2024_05_01_12_00_00.123456789/<files>   the payload of one version
//   <dir>/..data -> ..2024_05_01_12_00_00.123456789  switched with one rename()
//   <dir>/<top-level name> -> ..data/<top-level name>
//
// Write is a no-op when the payload did not change.
//
// Thread-safety: not thread-safe per directory; the kubelet writes a pod's volumes from that
// pod's worker only.
#pragma once

#include <map>
#include <string>

#include "pkg/api/status.h"

namespace kc::kubelet {

struct FileProjection {
  std::string data;
  int mode = 0644;
};

// `payload`: relative path (may contain '/', never "..") → content. `changed` (optional) tells
// whether anything was written.
api::Status WriteAtomically(const std::string& dir,
                            const std::map<std::string, FileProjection>& payload,
                            bool* changed = nullptr);

// mkdir -p with `mode` for created directories.
api::Status MakeDirs(const std::string& path, int mode = 0755);
// rm -rf (does not cross into mounted filesystems' contents differently; callers unmount first).
api::Status RemoveAll(const std::string& path);
// Whether `rel` is a relative path with no ".." component and no leading '/'.
bool IsSafeRelativePath(const std::string& rel);

}  // namespace kc::kubelet
