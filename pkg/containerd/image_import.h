// Importing image tarballs (docker-archive or OCI layout tars) into kcluster's containerd.
//
// Images go into containerd namespace `k8s.io` (the only one the CRI plugin sees) and are
// unpacked into the snapshotter the CRI plugin uses (overlayfs), so pods can start from them
// without a registry. The work is done by `ctr images import`, which accepts both formats.
//
// Thread-safety: stateless functions, callable from any thread.
#pragma once

#include <chrono>
#include <string>
#include <vector>

#include "pkg/api/status.h"

namespace kc::containerd {

struct ImportOptions {
  std::string ctr_binary = "ctr";
  std::string snapshotter = "overlayfs";
  std::chrono::milliseconds timeout{10 * 60 * 1000};
};

// Imports the tarball at `path` through containerd at `socket`. Returns the image names ctr
// reported ("docker.io/library/busybox:1.35", ...). NotFound when the file does not exist,
// Internal with ctr's output when the import fails.
api::Result<std::vector<std::string>> ImportImageTarball(const std::string& socket,
                                                         const std::string& path,
                                                         const ImportOptions& options = {});

// The argv of `kcluster ctr ARGS...`: `ctr --address <socket> ARGS...`. CONTAINERD_NAMESPACE
// defaults to k8s.io (set it before exec'ing, see RunCtr).
std::vector<std::string> CtrArgv(const std::string& socket, const std::vector<std::string>& args,
                                 const std::string& ctr_binary = "ctr");

// Replaces the current process with `ctr --address <socket> ARGS...` (namespace k8s.io unless
// CONTAINERD_NAMESPACE is set). Returns only on failure, with the exit code to use (127).
int ExecCtr(const std::string& socket, const std::vector<std::string>& args,
            const std::string& ctr_binary = "ctr");

}  // namespace kc::containerd
