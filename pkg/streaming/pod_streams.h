// PodStreams: what the API server needs from the node that runs a pod to serve pods/log,
// pods/exec, pods/attach and pods/portforward.
//
// The kubelet implements it (in-process on the server; an agent's kubelet will be reached over
// HTTPS later). Exec/Attach/PortForward return the CRI streaming URL (containerd's stream server,
// e.g. "http://127.0.0.1:10010/exec/AbCdEfGh"): single use, valid ~60 s; the API server then
// speaks to that URL itself (WebSocket v4 / SPDY) and relays kubectl's stream to it.
//
// Errors are Kubernetes Status values (NotFound for an unknown pod or container, BadRequest for
// "container \"x\" in pod \"p\" is waiting to start: ContainerCreating", ...).
//
// Thread-safety: implementations are safe to call from any thread.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "pkg/api/status.h"

namespace kc::streaming {

struct ExecParams {
  std::string ns;
  std::string pod;
  std::string container;         // resolved by the caller ("" = the pod's only/first container)
  std::vector<std::string> cmd;  // empty for attach
  bool stdin = false;
  bool stdout = false;
  bool stderr = false;
  bool tty = false;
};

struct LogTarget {
  std::string path;      // absolute path of the CRI log file (/var/log/pods/<ns>_<pod>_<uid>/<c>/<n>.log)
  bool running = false;  // the container is still running (follow keeps waiting for lines)
};

class PodStreams {
 public:
  virtual ~PodStreams() = default;
  virtual api::Result<std::string> ExecUrl(const ExecParams& p) = 0;
  virtual api::Result<std::string> AttachUrl(const ExecParams& p) = 0;
  // `ports` may be empty (SPDY port-forward names the port per stream).
  virtual api::Result<std::string> PortForwardUrl(const std::string& ns, const std::string& pod,
                                                  const std::vector<int32_t>& ports) = 0;
  // The log file of the container's current instance, or of the previous one (`previous`).
  virtual api::Result<LogTarget> ContainerLog(const std::string& ns, const std::string& pod,
                                              const std::string& container, bool previous) = 0;
};

}  // namespace kc::streaming
