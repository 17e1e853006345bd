// HttpClient::LoadKubeconfig / ParseKubeconfig: reading the cluster and user of one kubeconfig
// context into an HttpClientConfig.

#include <yaml-cpp/yaml.h>

#include <fstream>
#include <optional>
#include <sstream>

#include "pkg/client/http_client.h"

namespace kc::client {
namespace {

api::Status ConfigError(const std::string& msg) { return api::Status::Invalid("kubeconfig: " + msg); }

// Standard base64 (padding optional, whitespace ignored). False on any other character.
bool Base64Decode(const std::string& in, std::string* out) {
  out->clear();
  uint32_t acc = 0;
  int bits = 0;
  bool padding = false;
  for (unsigned char c : in) {
    int v;
    if (c >= 'A' && c <= 'Z') {
      v = c - 'A';
    } else if (c >= 'a' && c <= 'z') {
      v = c - 'a' + 26;
    } else if (c >= '0' && c <= '9') {
      v = c - '0' + 52;
    } else if (c == '+') {
      v = 62;
    } else if (c == '/') {
      v = 63;
    } else if (c == '=') {
      padding = true;
      continue;
    } else if (c == ' ' || c == '\n' || c == '\r' || c == '\t') {
      continue;
    } else {
      return false;
    }
    if (padding) return false;  // data after '='
    acc = (acc << 6) | static_cast<uint32_t>(v);
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      out->push_back(static_cast<char>((acc >> bits) & 0xff));
    }
  }
  return bits < 6;  // a lone trailing sextet cannot encode a byte
}

bool ReadFile(const std::string& path, std::string* out) {
  std::ifstream f(path, std::ios::binary);
  if (!f) return false;
  std::ostringstream ss;
  ss << f.rdbuf();
  *out = ss.str();
  return true;
}

std::string Resolve(const std::string& base_dir, const std::string& path) {
  if (path.empty() || path[0] == '/' || base_dir.empty()) return path;
  return base_dir.back() == '/' ? base_dir + path : base_dir + "/" + path;
}

std::string Str(const YAML::Node& node, const char* key) {
  YAML::Node v = node[key];
  return v && v.IsScalar() ? v.as<std::string>() : "";
}

// The `field` map (cluster/context/user) of the entry named `name` in list `list`; nullopt when
// there is no such entry.
std::optional<YAML::Node> FindNamed(const YAML::Node& root, const char* list, const char* field,
                                    const std::string& name) {
  YAML::Node entries = root[list];
  if (!entries || !entries.IsSequence()) return std::nullopt;
  for (const YAML::Node& e : entries) {
    if (e.IsMap() && Str(e, "name") == name) {
      YAML::Node f = e[field];
      return f && f.IsMap() ? f : YAML::Node(YAML::NodeType::Map);
    }
  }
  return std::nullopt;
}

// Fills *pem from `<key>-data` (base64) or *file from `<key>` (a path).
api::Status PemField(const YAML::Node& node, const std::string& key, const std::string& base_dir,
                     std::string* pem, std::string* file) {
  std::string data = Str(node, (key + "-data").c_str());
  if (!data.empty()) {
    if (!Base64Decode(data, pem) || pem->empty()) return ConfigError(key + "-data is not base64");
    return api::Status::Ok();
  }
  *file = Resolve(base_dir, Str(node, key.c_str()));
  return api::Status::Ok();
}

api::Result<HttpClientConfig> ParseRoot(const YAML::Node& root, const std::string& base_dir,
                                        const std::string& context_name) {
  if (!root.IsMap()) return ConfigError("not a YAML map");
  std::string ctx_name = context_name.empty() ? Str(root, "current-context") : context_name;
  if (ctx_name.empty()) return ConfigError("no current-context");
  std::optional<YAML::Node> found_ctx = FindNamed(root, "contexts", "context", ctx_name);
  if (!found_ctx) return ConfigError("context \"" + ctx_name + "\" not found");
  const YAML::Node& ctx = *found_ctx;
  std::string cluster_name = Str(ctx, "cluster");
  std::optional<YAML::Node> found_cluster = FindNamed(root, "clusters", "cluster", cluster_name);
  if (!found_cluster) return ConfigError("cluster \"" + cluster_name + "\" not found");
  const YAML::Node& cluster = *found_cluster;

  HttpClientConfig cfg;
  cfg.default_namespace = Str(ctx, "namespace");
  cfg.server = Str(cluster, "server");
  if (cfg.server.empty()) return ConfigError("cluster \"" + cluster_name + "\" has no server");
  cfg.insecure_skip_verify = Str(cluster, "insecure-skip-tls-verify") == "true";
  api::Status st = PemField(cluster, "certificate-authority", base_dir, &cfg.ca_pem, &cfg.ca_file);
  if (!st.ok()) return st;

  std::string user_name = Str(ctx, "user");
  if (!user_name.empty()) {
    std::optional<YAML::Node> found_user = FindNamed(root, "users", "user", user_name);
    if (!found_user) return ConfigError("user \"" + user_name + "\" not found");
    const YAML::Node& user = *found_user;
    st = PemField(user, "client-certificate", base_dir, &cfg.cert_pem, &cfg.cert_file);
    if (!st.ok()) return st;
    st = PemField(user, "client-key", base_dir, &cfg.key_pem, &cfg.key_file);
    if (!st.ok()) return st;
    cfg.bearer_token = Str(user, "token");
    std::string token_file = Str(user, "tokenFile");
    if (cfg.bearer_token.empty() && !token_file.empty()) {
      std::string path = Resolve(base_dir, token_file);
      if (!ReadFile(path, &cfg.bearer_token)) return ConfigError("cannot read tokenFile " + path);
      while (!cfg.bearer_token.empty() &&
             (cfg.bearer_token.back() == '\n' || cfg.bearer_token.back() == '\r')) {
        cfg.bearer_token.pop_back();
      }
    }
  }
  return cfg;
}

}  // namespace

api::Result<HttpClientConfig> HttpClient::ParseKubeconfig(const std::string& yaml,
                                                          const std::string& base_dir,
                                                          const std::string& context) {
  try {
    return ParseRoot(YAML::Load(yaml), base_dir, context);
  } catch (const std::exception& e) {
    return ConfigError(e.what());
  }
}

api::Result<HttpClientConfig> HttpClient::LoadKubeconfig(const std::string& path,
                                                         const std::string& context) {
  std::string text;
  if (!ReadFile(path, &text)) return ConfigError("cannot read " + path);
  std::string dir;
  if (size_t slash = path.rfind('/'); slash != std::string::npos) {
    dir = slash == 0 ? "/" : path.substr(0, slash);
  }
  return ParseKubeconfig(text, dir, context);
}

}  // namespace kc::client
