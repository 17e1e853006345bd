// The /var/log/containers symlinks upstream's kubelet keeps for log shippers:
// <dir>/<pod>_<namespace>_<container>-<containerID>.log -> /var/log/pods/.../<n>.log.
//
// Thread-safety: free functions over the filesystem; safe from any thread.
#pragma once

#include <string>

namespace kc::kubelet {

std::string ContainerLogSymlinkPath(const std::string& dir, const std::string& pod,
                                    const std::string& ns, const std::string& container,
                                    const std::string& container_id);
// Best effort: errors are ignored (a missing symlink only hurts log shippers).
void CreateContainerLogSymlink(const std::string& link, const std::string& target);
// Removes every symlink of the pod in `dir` that points into `pod_log_dir`.
void RemovePodLogSymlinks(const std::string& dir, const std::string& pod, const std::string& ns,
                          const std::string& pod_log_dir);

}  // namespace kc::kubelet
