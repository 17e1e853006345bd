#include "pkg/kubelet/pull_secrets.h"

#include <boost/json/parse.hpp>

#include "pkg/api/json_path.h"
#include "pkg/kubelet/pod_util.h"

namespace kc::kubelet {
namespace json = boost::json;
namespace {

// "https://index.docker.io/v1/" → "index.docker.io"; "myreg:5000/path" → "myreg:5000".
std::string HostOf(std::string key) {
  if (auto p = key.find("://"); p != std::string::npos) key = key.substr(p + 3);
  if (auto p = key.find('/'); p != std::string::npos) key = key.substr(0, p);
  return key;
}

bool SameRegistry(const std::string& a, const std::string& b) {
  auto canon = [](const std::string& h) {
    if (h == "index.docker.io" || h == "registry-1.docker.io" || h == "registry.hub.docker.com") {
      return std::string("docker.io");
    }
    return h;
  };
  return canon(a) == canon(b);
}

}  // namespace

std::string RegistryHost(const std::string& normalized_image) {
  return normalized_image.substr(0, normalized_image.find('/'));
}

std::optional<cri::v1::AuthConfig> FindAuth(const std::string& text, const std::string& host) {
  boost::system::error_code ec;
  json::value v = json::parse(text, ec);
  if (ec || !v.is_object()) return std::nullopt;
  const json::object* auths = api::GetObject(v.get_object(), "auths");
  if (!auths) auths = &v.get_object();  // .dockercfg: the map itself
  for (const auto& kv : *auths) {
    if (!kv.value().is_object() || !SameRegistry(HostOf(std::string(kv.key())), host)) continue;
    const json::object& e = kv.value().get_object();
    cri::v1::AuthConfig auth;
    auth.set_username(api::GetString(e, "username"));
    auth.set_password(api::GetString(e, "password"));
    auth.set_auth(api::GetString(e, "auth"));
    auth.set_identity_token(api::GetString(e, "identitytoken"));
    auth.set_registry_token(api::GetString(e, "registrytoken"));
    auth.set_server_address(host);
    return auth;
  }
  return std::nullopt;
}

std::optional<cri::v1::AuthConfig> PullAuthFor(const json::object& pod,
                                               const std::string& normalized_image,
                                               ConfigSource& config) {
  const json::array* secrets = api::GetArray(PodSpec(pod), "imagePullSecrets");
  if (!secrets) return std::nullopt;
  std::string host = RegistryHost(normalized_image);
  for (const json::value& s : *secrets) {
    if (!s.is_object()) continue;
    auto data = config.Secret(PodNamespace(pod), api::GetString(s.get_object(), "name"));
    if (!data.ok()) continue;
    for (const char* key : {".dockerconfigjson", ".dockercfg"}) {
      auto it = data->find(key);
      if (it == data->end()) continue;
      if (auto auth = FindAuth(it->second, host)) return auth;
    }
  }
  return std::nullopt;
}

}  // namespace kc::kubelet
