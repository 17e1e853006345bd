// RunHandler: executes one probe or lifecycle-hook handler against a running container —
// exec (CRI ExecSync), httpGet (GET to the pod IP, 200–399 = success), tcpSocket (connect), and
// for hooks sleep. Upstream pkg/kubelet/prober/prober.go and lifecycle/handlers.go.
//
// Thread-safety: safe from any thread.
#pragma once

#include <boost/json/object.hpp>
#include <string>

#include "pkg/kubelet/cri/runtime.h"

namespace kc::kubelet {

namespace json = boost::json;

enum class HandlerResult {
  kSuccess,
  kFailure,  // the check ran and failed (non-zero exit, HTTP >= 400, refused, timeout)
  kError,    // the check could not run (container gone, unsupported handler)
};

struct HandlerTarget {
  const json::object* pod = nullptr;
  const json::object* container = nullptr;
  std::string container_id;
  std::string pod_ip;
};

// `timeout_seconds` bounds exec/http/tcp. `output` (optional) receives a short description.
HandlerResult RunHandler(cri::Runtime& runtime, const json::object& handler,
                         const HandlerTarget& target, int timeout_seconds, std::string* output);

// A named or numeric port of `container` ("http" → 8080); -1 when unknown.
int ResolvePort(const json::value& port, const json::object& container);

}  // namespace kc::kubelet
