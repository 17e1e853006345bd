// Registry credentials from a pod's imagePullSecrets (kubernetes.io/dockerconfigjson
// ".dockerconfigjson" or legacy kubernetes.io/dockercfg ".dockercfg"), matched to an image's
// registry host the way upstream's credentialprovider keyring does for exact hosts
// (docker.io also answers to index.docker.io / registry-1.docker.io / https://index.docker.io/v1/).
//
// Thread-safety: pure functions apart from the ConfigSource they are given.
#pragma once

#include <boost/json/object.hpp>
#include <optional>
#include <string>

#include "pkg/kubelet/config_source.h"
#include "pkg/kubelet/cri/runtime.h"

namespace kc::kubelet {

// The registry host of a normalised image reference ("docker.io/library/x:1" → "docker.io").
std::string RegistryHost(const std::string& normalized_image);

// Credentials for `host` in a docker config JSON text ({"auths":{...}} or the legacy flat map).
std::optional<cri::v1::AuthConfig> FindAuth(const std::string& docker_config_json,
                                            const std::string& host);

// The first matching credentials among the pod's imagePullSecrets (missing secrets are skipped).
std::optional<cri::v1::AuthConfig> PullAuthFor(const boost::json::object& pod,
                                               const std::string& normalized_image,
                                               ConfigSource& config);

}  // namespace kc::kubelet
