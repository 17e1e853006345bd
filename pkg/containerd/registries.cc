#include "pkg/containerd/registries.h"

#include <yaml-cpp/yaml.h>

#include <filesystem>
#include <set>
#include <system_error>

#include "pkg/fsutil/file_util.h"
#include "pkg/containerd/toml.h"

namespace kc::containerd {

namespace {

constexpr char kDockerHub[] = "docker.io";
constexpr char kDockerHubHost[] = "registry-1.docker.io";

api::Status Bad(const std::string& where, const std::string& why) {
  return api::Status::Invalid("registries.yaml: " + where + ": " + why);
}

// A registry host key: "*" or host[:port], no scheme, path or whitespace.
bool ValidHostKey(const std::string& host) {
  if (host == "*") return true;
  if (host.empty()) return false;
  for (char c : host) {
    if (c == '/' || static_cast<unsigned char>(c) <= 0x20 || c == 0x7f) return false;
  }
  return true;
}

// Splits "scheme://host[:port][/path]"; false when it is not an http(s) URL with a host.
bool SplitUrl(const std::string& url, std::string* scheme, std::string* host) {
  size_t sep = url.find("://");
  if (sep == std::string::npos) return false;
  *scheme = url.substr(0, sep);
  if (*scheme != "http" && *scheme != "https") return false;
  std::string rest = url.substr(sep + 3);
  *host = rest.substr(0, rest.find_first_of("/?#"));
  if (host->empty() || host->find('@') != std::string::npos) return false;
  for (char c : url) {
    if (static_cast<unsigned char>(c) <= 0x20 || c == 0x7f) return false;
  }
  return true;
}

api::Result<std::string> ScalarString(const YAML::Node& node, const std::string& where) {
  if (node.IsNull()) return std::string();
  if (!node.IsScalar()) return Bad(where, "must be a string");
  return node.Scalar();
}

// Calls fn(key, value) for each entry of a mapping node (null = empty mapping).
template <typename Fn>
api::Status ForEachEntry(const YAML::Node& node, const std::string& where, Fn fn) {
  if (!node || node.IsNull()) return api::Status::Ok();
  if (!node.IsMap()) return Bad(where, "must be a mapping");
  for (const auto& entry : node) {
    if (!entry.first.IsScalar()) return Bad(where, "keys must be strings");
    if (auto st = fn(entry.first.Scalar(), entry.second); !st.ok()) return st;
  }
  return api::Status::Ok();
}

api::Status ParseMirror(const std::string& host, const YAML::Node& node, Registries* out) {
  std::string where = "mirrors." + host;
  if (!ValidHostKey(host)) return Bad(where, "not a registry host name");
  std::vector<std::string>& endpoints = out->mirrors[host];
  return ForEachEntry(node, where, [&](const std::string& key, const YAML::Node& value) {
    if (key != "endpoint") return Bad(where + "." + key, "unknown field");
    if (value.IsNull()) return api::Status::Ok();
    if (!value.IsSequence()) return Bad(where + ".endpoint", "must be a list of URLs");
    for (const auto& item : value) {
      auto url = ScalarString(item, where + ".endpoint");
      if (!url.ok()) return url.status();
      std::string u = *url;
      if (u.find("://") == std::string::npos)
        u = "https://" + u;  // as k3s: scheme defaults to https
      while (u.size() > 1 && u.back() == '/') u.pop_back();
      std::string scheme, h;
      if (!SplitUrl(u, &scheme, &h)) {
        return Bad(where + ".endpoint", "\"" + *url + "\" is not an http(s) URL");
      }
      endpoints.push_back(u);
    }
    return api::Status::Ok();
  });
}

api::Status ParseAuth(const std::string& where, const YAML::Node& node, RegistryAuth* auth) {
  return ForEachEntry(node, where, [&](const std::string& key, const YAML::Node& value) {
    std::string* field = key == "username"         ? &auth->username
                         : key == "password"       ? &auth->password
                         : key == "auth"           ? &auth->auth
                         : key == "identity_token" ? &auth->identity_token
                                                   : nullptr;
    if (field == nullptr) return Bad(where + "." + key, "unknown field");
    auto s = ScalarString(value, where + "." + key);
    if (!s.ok()) return s.status();
    *field = *s;
    return api::Status::Ok();
  });
}

api::Status ParseTls(const std::string& where, const YAML::Node& node, RegistryTls* tls) {
  auto st = ForEachEntry(node, where, [&](const std::string& key, const YAML::Node& value) {
    if (key == "insecure_skip_verify") {
      bool b = false;
      if (!value.IsScalar() || !YAML::convert<bool>::decode(value, b)) {
        return Bad(where + "." + key, "must be true or false");
      }
      tls->insecure_skip_verify = b;
      return api::Status::Ok();
    }
    std::string* field = key == "ca_file"     ? &tls->ca_file
                         : key == "cert_file" ? &tls->cert_file
                         : key == "key_file"  ? &tls->key_file
                                              : nullptr;
    if (field == nullptr) return Bad(where + "." + key, "unknown field");
    auto s = ScalarString(value, where + "." + key);
    if (!s.ok()) return s.status();
    *field = *s;
    return api::Status::Ok();
  });
  if (!st.ok()) return st;
  if (tls->cert_file.empty() != tls->key_file.empty()) {
    return Bad(where, "cert_file and key_file must be given together");
  }
  return api::Status::Ok();
}

api::Status ParseConfig(const std::string& host, const YAML::Node& node, Registries* out) {
  std::string where = "configs." + host;
  if (!ValidHostKey(host)) return Bad(where, "not a registry host name");
  RegistryConfig& config = out->configs[host];
  return ForEachEntry(node, where, [&](const std::string& key, const YAML::Node& value) {
    if (key == "auth") return ParseAuth(where + ".auth", value, &config.auth);
    if (key == "tls") return ParseTls(where + ".tls", value, &config.tls);
    return Bad(where + "." + key, "unknown field");
  });
}

bool HasTls(const RegistryTls& tls) {
  return tls.insecure_skip_verify || !tls.ca_file.empty() || !tls.cert_file.empty();
}

// TLS lines for a host (indent "" at top level, "  " inside [host."..."]).
std::string TlsLines(const RegistryTls& tls, const std::string& indent) {
  std::string t;
  if (tls.insecure_skip_verify) t += indent + "skip_verify = true\n";
  if (!tls.ca_file.empty()) t += indent + "ca = " + TomlString(tls.ca_file) + "\n";
  if (!tls.cert_file.empty()) {
    t += indent + "client = [" + TomlStringArray({tls.cert_file, tls.key_file}) + "]\n";
  }
  return t;
}

const RegistryTls* TlsFor(const Registries& r, const std::string& host) {
  auto it = r.configs.find(host);
  return it == r.configs.end() ? nullptr : &it->second.tls;
}

// The upstream of a registry host: what containerd would contact without any configuration.
std::string UpstreamUrl(const std::string& host) {
  return "https://" + std::string(host == kDockerHub ? kDockerHubHost : host);
}

std::string RenderOne(const Registries& r, const std::string& host,
                      const std::vector<std::string>& endpoints) {
  std::string t = "# Generated by kcluster from registries.yaml; rewritten on every start.\n";
  std::string server;
  if (host != "*") {
    server = UpstreamUrl(host);
    t += "server = " + TomlString(server) + "\n";
  }
  const RegistryTls* tls = TlsFor(r, host);
  if (tls == nullptr && host == kDockerHub) tls = TlsFor(r, kDockerHubHost);
  if (tls != nullptr) t += TlsLines(*tls, "");
  std::set<std::string> seen{server};
  for (const auto& url : endpoints) {
    if (!seen.insert(url).second) continue;
    t += "\n[host." + TomlString(url) + "]\n";
    t += "  capabilities = [\"pull\", \"resolve\"]\n";
    std::string scheme, endpoint_host;
    SplitUrl(url, &scheme, &endpoint_host);
    const RegistryTls* etls = TlsFor(r, endpoint_host);
    if (scheme == "https" && etls != nullptr) t += TlsLines(*etls, "  ");
  }
  return t;
}

}  // namespace

api::Result<Registries> ParseRegistriesYaml(const std::string& text) {
  Registries out;
  YAML::Node root;
  try {
    root = YAML::Load(text);
  } catch (const YAML::Exception& e) {
    return api::Status::Invalid(std::string("registries.yaml: ") + e.what());
  }
  if (!root || root.IsNull()) return out;
  if (!root.IsMap()) return Bad("top level", "must be a mapping");
  try {
    for (const auto& entry : root) {
      if (!entry.first.IsScalar()) return Bad("top level", "keys must be strings");
      const std::string& key = entry.first.Scalar();
      api::Status st;
      if (key == "mirrors") {
        st = ForEachEntry(entry.second, "mirrors",
                          [&](const std::string& host, const YAML::Node& v) {
                            return ParseMirror(host, v, &out);
                          });
      } else if (key == "configs") {
        st = ForEachEntry(entry.second, "configs",
                          [&](const std::string& host, const YAML::Node& v) {
                            return ParseConfig(host, v, &out);
                          });
      } else {
        st = Bad(key, "unknown field (expected mirrors or configs)");
      }
      if (!st.ok()) return st;
    }
  } catch (const YAML::Exception& e) {
    return api::Status::Invalid(std::string("registries.yaml: ") + e.what());
  }
  return out;
}

api::Result<Registries> LoadRegistriesFile(const std::string& path) {
  auto text = fsutil::ReadFile(path);
  if (!text.ok()) return text.status();
  auto parsed = ParseRegistriesYaml(*text);
  if (!parsed.ok()) return api::Status::Invalid(path + ": " + parsed.status().message());
  return parsed;
}

std::string HostDirName(const std::string& host) {
  if (host == "*") return "_default";
  // Same rule as containerd's hostDirectory(): the last ':' separates the port.
  size_t colon = host.rfind(':');
  if (colon != std::string::npos && colon > 0) {
    return host.substr(0, colon) + "_" + host.substr(colon + 1) + "_";
  }
  return host;
}

std::map<std::string, std::string> RenderHostsTomls(const Registries& registries) {
  std::map<std::string, std::string> files;
  for (const auto& [host, endpoints] : registries.mirrors) {
    files[HostDirName(host)] = RenderOne(registries, host, endpoints);
  }
  // Registries that only have TLS settings. Docker Hub's upstream registry-1.docker.io is
  // looked up by containerd under the image host, docker.io.
  for (const auto& [host, config] : registries.configs) {
    if (!HasTls(config.tls)) continue;
    std::string image_host = host == kDockerHubHost ? std::string(kDockerHub) : host;
    std::string dir = HostDirName(image_host);
    if (files.count(dir) > 0) continue;
    files[dir] = RenderOne(registries, image_host, {});
  }
  return files;
}

std::map<std::string, RegistryAuth> RegistryAuths(const Registries& registries) {
  std::map<std::string, RegistryAuth> auths;
  for (const auto& [host, config] : registries.configs) {
    if (config.auth.empty()) continue;
    auths[host] = config.auth;
    if (host == kDockerHub && registries.configs.count(kDockerHubHost) == 0) {
      auths[kDockerHubHost] = config.auth;
    }
  }
  return auths;
}

api::Status WriteHostsDir(const std::string& certs_dir, const Registries& registries) {
  std::map<std::string, std::string> files = RenderHostsTomls(registries);
  if (auto st = fsutil::EnsureDirectory(certs_dir, 0755); !st.ok()) return st;
  namespace fs = std::filesystem;
  std::error_code ec;
  for (fs::directory_iterator it(certs_dir, ec), end; !ec && it != end; it.increment(ec)) {
    std::string name = it->path().filename().string();
    if (files.count(name) > 0 || !it->is_directory(ec)) continue;
    if (!fs::exists(it->path() / "hosts.toml", ec)) continue;  // not ours
    fs::remove_all(it->path(), ec);
    if (ec) return api::Status::Internal("remove " + it->path().string() + ": " + ec.message());
  }
  if (ec) return api::Status::Internal("list " + certs_dir + ": " + ec.message());
  for (const auto& [dir, text] : files) {
    std::string host_dir = (fs::path(certs_dir) / dir).string();
    if (auto st = fsutil::EnsureDirectory(host_dir, 0755); !st.ok()) return st;
    if (auto st = fsutil::WriteFileAtomic(host_dir + "/hosts.toml", text, 0644); !st.ok()) return st;
  }
  return api::Status::Ok();
}

}  // namespace kc::containerd
