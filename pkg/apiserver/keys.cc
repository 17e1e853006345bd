#include "pkg/apiserver/keys.h"

#include <boost/beast/core/detail/base64.hpp>

#include "pkg/apiserver/version_conversion.h"

namespace kc::apiserver {

std::string ResourcePrefix(const api::ResourceInfo& ri) {
  const api::ResourceInfo& stored = StorageResource(ri);  // events.k8s.io/v1 Events: core's keys
  return "/registry/" + (stored.group.empty() ? std::string("core") : stored.group) + "/" +
         stored.plural + "/";
}

std::string ListPrefix(const api::ResourceInfo& ri, const std::string& ns) {
  if (!ri.namespaced || ns.empty()) return ResourcePrefix(ri);
  return ResourcePrefix(ri) + ns + "/";
}

std::string ObjectKey(const api::ResourceInfo& ri, const std::string& ns, const std::string& name) {
  if (!ri.namespaced) return ResourcePrefix(ri) + name;
  return ResourcePrefix(ri) + ns + "/" + name;
}

std::string EncodeContinue(int64_t revision, const std::string& last_key) {
  std::string raw = std::to_string(revision) + ":" + last_key;
  std::string out(boost::beast::detail::base64::encoded_size(raw.size()), '\0');
  out.resize(boost::beast::detail::base64::encode(out.data(), raw.data(), raw.size()));
  return out;
}

api::Status DecodeContinue(const std::string& token, int64_t* revision, std::string* last_key) {
  std::string raw(boost::beast::detail::base64::decoded_size(token.size()), '\0');
  auto [written, read] = boost::beast::detail::base64::decode(raw.data(), token.data(), token.size());
  raw.resize(written);
  // The decoder stops at '=' padding; everything before it must have been consumed.
  size_t unpadded = token.size();
  while (unpadded > 0 && token[unpadded - 1] == '=') --unpadded;
  auto colon = raw.find(':');
  if (read != unpadded || token.size() - unpadded > 2 || colon == std::string::npos || colon == 0 ||
      raw.compare(colon + 1, 10, "/registry/") != 0) {
    return api::Status::BadRequest("continue key is not valid: " + token);
  }
  try {
    *revision = std::stoll(raw.substr(0, colon));
  } catch (...) {
    return api::Status::BadRequest("continue key is not valid: " + token);
  }
  *last_key = raw.substr(colon + 1);
  return api::Status::Ok();
}

}  // namespace kc::apiserver
