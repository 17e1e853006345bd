#include "pkg/kubelet/config_source.h"

#include <optional>

#include "pkg/api/json_path.h"

namespace kc::kubelet {
namespace json = boost::json;

std::optional<std::string> DecodeBase64(const std::string& text) {
  auto val = [](char c) -> int {
    if (c >= 'A' && c <= 'Z') return c - 'A';
    if (c >= 'a' && c <= 'z') return c - 'a' + 26;
    if (c >= '0' && c <= '9') return c - '0' + 52;
    if (c == '+') return 62;
    if (c == '/') return 63;
    return -1;
  };
  if (text.size() % 4 != 0) return std::nullopt;
  std::string out;
  out.reserve(text.size() / 4 * 3);
  for (size_t i = 0; i < text.size(); i += 4) {
    int v[4];
    int pad = 0;
    for (int j = 0; j < 4; ++j) {
      char c = text[i + j];
      if (c == '=') {
        if (i + 4 != text.size() || j < 2) return std::nullopt;
        v[j] = 0;
        pad++;
        continue;
      }
      if (pad) return std::nullopt;
      v[j] = val(c);
      if (v[j] < 0) return std::nullopt;
    }
    uint32_t n = (v[0] << 18) | (v[1] << 12) | (v[2] << 6) | v[3];
    out.push_back(static_cast<char>((n >> 16) & 0xff));
    if (pad < 2) out.push_back(static_cast<char>((n >> 8) & 0xff));
    if (pad < 1) out.push_back(static_cast<char>(n & 0xff));
  }
  return out;
}

namespace {

void CopyStrings(const json::object* src, ConfigSource::Data* out) {
  if (!src) return;
  for (const auto& kv : *src) {
    if (kv.value().is_string()) (*out)[std::string(kv.key())] = std::string(kv.value().get_string());
  }
}

bool CopyDecoded(const json::object* src, ConfigSource::Data* out) {
  if (!src) return true;
  for (const auto& kv : *src) {
    if (!kv.value().is_string()) continue;
    auto d = DecodeBase64(std::string(kv.value().get_string()));
    if (!d) return false;
    (*out)[std::string(kv.key())] = std::move(*d);
  }
  return true;
}

}  // namespace

api::Result<ConfigSource::Data> ConfigSource::ConfigMap(const std::string& ns,
                                                        const std::string& name) {
  std::string key = "cm/" + ns + "/" + name;
  if (auto it = cache_.find(key); it != cache_.end()) return it->second;
  auto got = client_.Get({"", "v1", "configmaps"}, ns, name);
  api::Result<Data> result = api::Status::Internal("unset");
  if (!got.ok()) {
    if (got.status().reason() == api::Reason::kNotFound) {
      result = api::Status::NotFound("configmap \"" + name + "\" not found");
    } else {
      result = got.status();
    }
  } else {
    Data d;
    CopyStrings(api::GetObject(*got, "data"), &d);
    CopyDecoded(api::GetObject(*got, "binaryData"), &d);
    result = std::move(d);
  }
  cache_.emplace(key, result);
  return result;
}

api::Result<ConfigSource::Data> ConfigSource::Secret(const std::string& ns,
                                                     const std::string& name) {
  std::string key = "secret/" + ns + "/" + name;
  if (auto it = cache_.find(key); it != cache_.end()) return it->second;
  auto got = client_.Get({"", "v1", "secrets"}, ns, name);
  api::Result<Data> result = api::Status::Internal("unset");
  if (!got.ok()) {
    if (got.status().reason() == api::Reason::kNotFound) {
      result = api::Status::NotFound("secret \"" + name + "\" not found");
    } else {
      result = got.status();
    }
  } else {
    Data d;
    if (!CopyDecoded(api::GetObject(*got, "data"), &d)) {
      result = api::Status::Internal("secret \"" + name + "\" has malformed base64 data");
    } else {
      CopyStrings(api::GetObject(*got, "stringData"), &d);
      result = std::move(d);
    }
  }
  cache_.emplace(key, result);
  return result;
}

}  // namespace kc::kubelet
