// Container environment as upstream's kubelet builds it (makeEnvironmentVariables): envFrom
// (ConfigMaps/Secrets with prefix), env values with $(VAR) expansion, valueFrom fieldRef /
// resourceFieldRef / configMapKeyRef / secretKeyRef (optional), and the service-link variables
// (service_env.h) for names the container does not define itself.
//
// Also the downward-API value lookups shared with downwardAPI volumes, and the $(VAR) expansion
// of command and args.
//
// Thread-safety: pure functions apart from the ConfigSource they are given.
#pragma once

#include <boost/json/object.hpp>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "pkg/api/status.h"
#include "pkg/kubelet/config_source.h"

namespace kc::kubelet {

namespace json = boost::json;

using EnvList = std::vector<std::pair<std::string, std::string>>;

// Node capacity used as the default for limits in resourceFieldRef.
struct NodeAllocatable {
  int64_t cpu_milli = 1000;
  int64_t memory_bytes = 0;
  int64_t ephemeral_storage_bytes = 0;
};

struct EnvContext {
  const json::object* pod = nullptr;
  std::string pod_ip;
  std::vector<std::string> pod_ips;
  std::string host_ip;
  ConfigSource* config = nullptr;
  // The service-link variables (ServiceEnvVars of service_env.h).
  EnvList service_env;
  NodeAllocatable allocatable;
};

// Upstream expansion.Expand: "$(VAR)" → value when `lookup` knows VAR (else left as is),
// "$$" → "$".
std::string ExpandVars(std::string_view in,
                       const std::function<std::optional<std::string>(const std::string&)>& lookup);

// The value of a downward-API fieldRef path ("metadata.name", "metadata.labels['k']",
// "status.podIP", ...). BadRequest for an unsupported path.
api::Result<std::string> PodFieldValue(const std::string& field_path, const EnvContext& ctx);
// The value of a resourceFieldRef ({resource, divisor, containerName}) for `container`.
api::Result<std::string> ResourceFieldValue(const json::object& ref, const json::object& container,
                                            const NodeAllocatable& alloc);

// The full environment of `container`. Errors (missing ConfigMap/Secret/key) are the message
// of CreateContainerConfigError.
api::Result<EnvList> MakeEnvironment(const json::object& container, const EnvContext& ctx);

// command and args with $(VAR) expanded from `env`.
std::vector<std::string> ExpandCommand(const json::object& container, const char* field,
                                       const EnvList& env);

}  // namespace kc::kubelet
