// The query options of pods/log, pods/exec, pods/attach and pods/portforward, parsed and
// validated as upstream's pod REST storage does, and the choice of a pod's container.
//
// Query booleans follow apimachinery's conversion: absent, "", "false" (any case) and "0" are
// false, anything else true.
//
// Thread-safety: pure functions.
#pragma once

#include <boost/json/object.hpp>
#include <cstdint>
#include <string>
#include <vector>

#include "pkg/api/status.h"
#include "pkg/apiserver/http_types.h"
#include "pkg/streaming/cri_log.h"
#include "pkg/streaming/upgrade.h"

namespace kc::apiserver {

bool QueryBool(const HttpRequest& req, const std::string& name);

struct PodLogRequest {
  std::string container;  // as given ("" = default)
  bool previous = false;
  streaming::LogReadOptions read;
};
// `now_nanos` turns sinceSeconds into an absolute bound. Invalid values → 422 PodLogOptions.
api::Result<PodLogRequest> ParsePodLogOptions(const HttpRequest& req, const std::string& pod,
                                              int64_t now_nanos);

struct PodExecRequest {
  std::string container;             // as given ("" = default)
  std::vector<std::string> command;  // exec only
  streaming::ExecStreams streams;
};
// `exec` false for attach (no command).
api::Result<PodExecRequest> ParsePodExecOptions(const HttpRequest& req, bool exec);

// `ports` (repeated, or comma-separated), each 1..65535; may be empty.
api::Result<std::vector<int32_t>> ParsePortForwardPorts(const HttpRequest& req);

// The container a request means: `requested` if the pod has it (containers, init or ephemeral
// containers), else 400 "container x is not valid for pod y". Empty: the
// kubectl.kubernetes.io/default-container annotation when it names a container, else the first
// container.
api::Result<std::string> ResolveContainer(const boost::json::object& pod,
                                          const std::string& requested);

// exec/attach/port-forward need a scheduled, running pod: 400 otherwise.
api::Status CheckPodRunning(const boost::json::object& pod, const std::string& subresource);

}  // namespace kc::apiserver
