// Service environment variables, as the kubelet injects them into every container upstream
// (docker-links style): for each Service of the pod's namespace with a ClusterIP (only when
// spec.enableServiceLinks is not false) and always for default/kubernetes:
//   {SVC}_SERVICE_HOST, {SVC}_SERVICE_PORT, {SVC}_SERVICE_PORT_{PORTNAME},
//   {SVC}_PORT, {SVC}_PORT_{port}_{PROTO}, ..._PROTO, ..._PORT, ..._ADDR
// where {SVC} is the Service name upper-cased with '-' → '_'.
//
// Thread-safety: a pure function.
#pragma once

#include <string>
#include <utility>
#include <vector>

#include "pkg/client/client.h"
#include "pkg/client/indexer.h"

namespace kc::kubelet {

// `services`: candidate Services (any namespaces; the function picks the relevant ones). The
// result is sorted by name; container env entries given in the pod spec take precedence over
// these and are applied after them by the caller.
std::vector<std::pair<std::string, std::string>> ServiceEnvVars(
    const std::vector<client::ObjectPtr>& services, const std::string& pod_namespace,
    bool enable_service_links);

}  // namespace kc::kubelet
