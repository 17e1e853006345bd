// Termination messages (upstream kuberuntime: terminationMessagePath / Policy): each container
// instance gets a host file mounted at its terminationMessagePath; when the container exits its
// content (at most 4096 bytes) becomes state.terminated.message. With FallbackToLogsOnError an
// empty file on a failed exit falls back to the tail of the container log (last 80 lines, at
// most 2048 bytes).
//
// Thread-safety: free functions over files; safe from any thread.
#pragma once

#include <string>

#include "pkg/api/status.h"
#include "pkg/kubelet/runtime_pod.h"

namespace kc::kubelet {

// <root>/pods/<uid>/containers/<name>/<restartCount>
std::string TerminationMessageHostPath(const std::string& root_dir, const std::string& uid,
                                       const std::string& container, int restart_count);

// Creates the (empty, world-writable) file for a new container instance.
api::Status PrepareTerminationMessageFile(const std::string& path);

// The message to report for an exited instance (empty when none).
std::string ReadTerminationMessage(const std::string& root_dir, const std::string& uid,
                                   const RuntimeContainer& c);

// The content of the last lines of a CRI-format log file ("<time> <stream> <P|F> <text>").
std::string TailCriLog(const std::string& path, int max_lines, size_t max_bytes);

}  // namespace kc::kubelet
