// ConfigSource: reads the ConfigMaps and Secrets a pod refers to (env, envFrom and volumes)
// through the API client, caching each object for the lifetime of the ConfigSource (one sync).
//
// Errors use the kubelet's upstream texts: NotFound `configmap "x" not found` /
// `secret "x" not found`. Secret data comes back base64-decoded.
//
// Thread-safety: not thread-safe; one instance per pod sync.
#pragma once

#include <map>
#include <string>

#include "pkg/api/status.h"
#include "pkg/client/client.h"

namespace kc::kubelet {

class ConfigSource {
 public:
  using Data = std::map<std::string, std::string>;

  explicit ConfigSource(client::Client& client) : client_(client) {}

  // data + binaryData (decoded) of the ConfigMap.
  api::Result<Data> ConfigMap(const std::string& ns, const std::string& name);
  // data (decoded) + stringData of the Secret.
  api::Result<Data> Secret(const std::string& ns, const std::string& name);

 private:
  client::Client& client_;
  std::map<std::string, api::Result<Data>> cache_;  // "cm/ns/name", "secret/ns/name"
};

// Standard base64 with padding; nullopt when malformed.
std::optional<std::string> DecodeBase64(const std::string& text);

}  // namespace kc::kubelet
