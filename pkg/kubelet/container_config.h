// ContainerConfig for one container of a pod (upstream kuberuntime generateContainerConfig):
// metadata/attempt, image, command/args with $(VAR) expansion, env, mounts, labels and
// annotations (restart count, spec hash, termination message settings), log path
// "<container>/<restartCount>.log", stdin/tty, Linux resources and security context.
//
// Thread-safety: pure functions.
#pragma once

#include <boost/json/object.hpp>
#include <optional>
#include <string>
#include <vector>

#include "pkg/api/status.h"
#include "pkg/kubelet/cri/runtime.h"
#include "pkg/kubelet/env.h"

namespace kc::kubelet {

namespace json = boost::json;

struct ContainerConfigInput {
  const json::object* pod = nullptr;
  const json::object* container = nullptr;
  int restart_count = 0;
  std::string image;  // what to hand the runtime (image id or normalised name)
  EnvList env;
  std::vector<cri::v1::Mount> mounts;
  int64_t memory_capacity = 0;  // node memory, for Burstable oom_score_adj
  // The image's user, from ImageStatus (for runAsNonRoot).
  std::optional<int64_t> image_uid;
  std::string image_username;
};

// Fails (CreateContainerConfigError text) when runAsNonRoot cannot be honoured.
api::Result<cri::v1::ContainerConfig> BuildContainerConfig(const ContainerConfigInput& in);

// "<container>/<restartCount>.log" relative to the sandbox log directory.
std::string ContainerLogPath(const std::string& container, int restart_count);

}  // namespace kc::kubelet
