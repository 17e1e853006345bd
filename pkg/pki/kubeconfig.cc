#include "pkg/pki/kubeconfig.h"

#include <openssl/evp.h>

#include <filesystem>
#include <vector>

#include "pkg/fsutil/file_util.h"
#include "pkg/pki/server_pki.h"

namespace kc::pki {

namespace {

// A YAML double-quoted scalar; the URL has been checked to hold no control characters.
std::string Quote(const std::string& s) {
  std::string out = "\"";
  for (char c : s) {
    if (c == '"' || c == '\\') out += '\\';
    out += c;
  }
  return out + "\"";
}

}  // namespace

std::string Base64Encode(const std::string& data) {
  if (data.empty()) return "";
  std::vector<unsigned char> out(4 * ((data.size() + 2) / 3) + 1);
  int n = EVP_EncodeBlock(out.data(), reinterpret_cast<const unsigned char*>(data.data()),
                          static_cast<int>(data.size()));
  return std::string(reinterpret_cast<const char*>(out.data()), static_cast<size_t>(n));
}

api::Result<std::string> RenderKubeconfig(const std::string& server_url, const std::string& ca_pem,
                                          const std::string& client_cert_pem,
                                          const std::string& client_key_pem) {
  if (server_url.rfind("https://", 0) != 0 && server_url.rfind("http://", 0) != 0) {
    return api::Status::Invalid("kubeconfig server URL must start with https://, got \"" +
                                server_url + "\"");
  }
  for (char c : server_url) {
    if (static_cast<unsigned char>(c) < 0x20 || c == 0x7f) {
      return api::Status::Invalid("kubeconfig server URL contains a control character");
    }
  }
  std::string y;
  y += "apiVersion: v1\n";
  y += "kind: Config\n";
  y += "clusters:\n";
  y += "- cluster:\n";
  y += "    certificate-authority-data: " + Base64Encode(ca_pem) + "\n";
  y += "    server: " + Quote(server_url) + "\n";
  y += "  name: default\n";
  y += "contexts:\n";
  y += "- context:\n";
  y += "    cluster: default\n";
  y += "    user: default\n";
  y += "  name: default\n";
  y += "current-context: default\n";
  y += "preferences: {}\n";
  y += "users:\n";
  y += "- name: default\n";
  y += "  user:\n";
  y += "    client-certificate-data: " + Base64Encode(client_cert_pem) + "\n";
  y += "    client-key-data: " + Base64Encode(client_key_pem) + "\n";
  return y;
}

api::Status WriteAdminKubeconfig(const std::string& tls_dir, const std::string& path,
                                 const std::string& server_url) {
  if (path.empty()) return api::Status::Invalid("empty kubeconfig path");
  std::string files[3] = {kServerCaCert, kAdminCert, kAdminKey};
  std::string pems[3];
  for (int i = 0; i < 3; ++i) {
    auto data = fsutil::ReadFile(tls_dir + "/" + files[i]);
    if (!data.ok()) return data.status();
    pems[i] = std::move(*data);
  }
  auto yaml = RenderKubeconfig(server_url, pems[0], pems[1], pems[2]);
  if (!yaml.ok()) return yaml.status();
  std::string parent = std::filesystem::path(path).parent_path().string();
  if (!parent.empty()) {
    api::Status s = fsutil::EnsureDirectory(parent, 0755);
    if (!s.ok()) return s;
  }
  return fsutil::WriteFileAtomic(path, *yaml, 0600);
}

}  // namespace kc::pki
