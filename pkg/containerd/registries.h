// k3s-style registries.yaml: parsing it and turning it into containerd 1.6 registry config.
//
// The file (same format as k3s' /etc/rancher/k3s/registries.yaml):
//
//   mirrors:
//     docker.io:
//       endpoint: ["http://127.0.0.1:5000", "https://mirror.example"]
//     "*":                          # every registry without its own entry
//       endpoint: ["https://any-mirror.example"]
//   configs:
//     "mirror.example":             # keyed by the host an endpoint (or registry) is reached at
//       auth: {username: u, password: p}       # or auth: <base64 u:p>, or identity_token
//       tls: {insecure_skip_verify: true, ca_file: /ca.pem, cert_file: /c.pem, key_file: /k.pem}
//
// containerd 1.6 refuses `mirrors` and `configs.*.tls` in config.toml once
// `registry.config_path` is set (the CRI plugin then fails to load), so kcluster renders
// mirrors and TLS into `certs.d/<host-dir>/hosts.toml` files and only the credentials go into
// config.toml as `registry.configs."<host>".auth` (still valid with config_path).
//
// Thread-safety: plain values and stateless functions, callable from any thread.
#pragma once

#include <map>
#include <string>
#include <vector>

#include "pkg/api/status.h"

namespace kc::containerd {

struct RegistryAuth {
  std::string username;
  std::string password;
  std::string auth;            // base64("user:password")
  std::string identity_token;  // written to config.toml as `identitytoken`
  bool empty() const {
    return username.empty() && password.empty() && auth.empty() && identity_token.empty();
  }
};

struct RegistryTls {
  bool insecure_skip_verify = false;
  std::string ca_file;
  std::string cert_file;
  std::string key_file;
};

struct RegistryConfig {
  RegistryAuth auth;
  RegistryTls tls;
};

struct Registries {
  std::map<std::string, std::vector<std::string>>
      mirrors;                                    // registry host ("*" = any) -> endpoints
  std::map<std::string, RegistryConfig> configs;  // endpoint/registry host -> config
};

// Parses registries.yaml text. An empty document is an empty Registries. Invalid for YAML syntax
// errors, wrong node types, unknown keys, endpoints that are not http(s) URLs with a host, and a
// cert_file without key_file (or the reverse).
api::Result<Registries> ParseRegistriesYaml(const std::string& text);

// Reads and parses a file; NotFound when it does not exist.
api::Result<Registries> LoadRegistriesFile(const std::string& path);

// The certs.d directory name containerd 1.6 looks up first for an image host:
// "*" -> "_default", "host:port" -> "host_port_", otherwise the host itself.
std::string HostDirName(const std::string& host);

// The hosts.toml files for `registries`, keyed by directory name (HostDirName). One file per
// mirrored registry and one per `configs` host that has TLS settings and no mirror entry.
std::map<std::string, std::string> RenderHostsTomls(const Registries& registries);

// Credentials for config.toml: configs host -> auth, for hosts with any credential set. Docker
// Hub credentials given for "docker.io" are also returned for "registry-1.docker.io", the host
// containerd actually contacts (and asks the credentials for).
std::map<std::string, RegistryAuth> RegistryAuths(const Registries& registries);

// Replaces the contents of `certs_dir` with RenderHostsTomls(registries): directories holding a
// hosts.toml that is no longer wanted are removed, the others (re)written atomically.
api::Status WriteHostsDir(const std::string& certs_dir, const Registries& registries);

}  // namespace kc::containerd
