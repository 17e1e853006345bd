#include "pkg/kubelet/cri/image_ref.h"

#include <string_view>

namespace kc::cri {
namespace {

constexpr std::string_view kDefaultDomain = "docker.io";
constexpr std::string_view kLegacyDefaultDomain = "index.docker.io";
constexpr std::string_view kOfficialRepoPrefix = "library/";
constexpr size_t kMaxNameLength = 255;

bool IsLowerAlnum(char c) { return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9'); }
bool IsAlnum(char c) { return IsLowerAlnum(c) || (c >= 'A' && c <= 'Z'); }
bool IsHexLower(char c) { return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'); }

// One path component: [a-z0-9]+ ((\.|_|__|-+) [a-z0-9]+)*
bool ValidPathComponent(std::string_view s) {
  if (s.empty() || !IsLowerAlnum(s.front()) || !IsLowerAlnum(s.back())) return false;
  size_t i = 0;
  while (i < s.size()) {
    if (IsLowerAlnum(s[i])) {
      ++i;
      continue;
    }
    // A separator run; it must be followed by an alphanumeric (guaranteed by the back() check).
    size_t j = i;
    while (j < s.size() && !IsLowerAlnum(s[j])) ++j;
    std::string_view sep = s.substr(i, j - i);
    bool ok = sep == "." || sep == "_" || sep == "__" ||
              sep.find_first_not_of('-') == std::string_view::npos;
    if (!ok) return false;
    i = j;
  }
  return true;
}

// host[:port], host = label(.label)*, label = [a-zA-Z0-9]([a-zA-Z0-9-]*[a-zA-Z0-9])?
bool ValidDomain(std::string_view s) {
  size_t colon = s.find(':');
  std::string_view host = s.substr(0, colon);
  if (colon != std::string_view::npos) {
    std::string_view port = s.substr(colon + 1);
    if (port.empty() || port.find_first_not_of("0123456789") != std::string_view::npos) return false;
  }
  if (host.empty()) return false;
  size_t start = 0;
  while (true) {
    size_t dot = host.find('.', start);
    std::string_view label = host.substr(start, dot == std::string_view::npos ? dot : dot - start);
    if (label.empty() || !IsAlnum(label.front()) || !IsAlnum(label.back())) return false;
    for (char c : label) {
      if (!IsAlnum(c) && c != '-') return false;
    }
    if (dot == std::string_view::npos) break;
    start = dot + 1;
  }
  return true;
}

// [\w][\w.-]{0,127}
bool ValidTag(std::string_view s) {
  if (s.empty() || s.size() > 128) return false;
  auto word = [](char c) { return IsAlnum(c) || c == '_'; };
  if (!word(s.front())) return false;
  for (char c : s) {
    if (!word(c) && c != '.' && c != '-') return false;
  }
  return true;
}

// algorithm ":" encoded; sha256 needs 64 lower-case hex digits.
bool ValidDigest(std::string_view s) {
  size_t colon = s.find(':');
  if (colon == std::string_view::npos || colon == 0 || colon + 1 == s.size()) return false;
  std::string_view alg = s.substr(0, colon);
  std::string_view enc = s.substr(colon + 1);
  for (char c : alg) {
    if (!IsLowerAlnum(c) && c != '+' && c != '.' && c != '_' && c != '-') return false;
  }
  if (!IsLowerAlnum(alg.front()) || !IsLowerAlnum(alg.back())) return false;
  if (alg == "sha256") {
    if (enc.size() != 64) return false;
    for (char c : enc) {
      if (!IsHexLower(c)) return false;
    }
    return true;
  }
  if (enc.size() < 32) return false;
  for (char c : enc) {
    if (!IsAlnum(c) && c != '=' && c != '_' && c != '-') return false;
  }
  return true;
}

api::Status Malformed(const std::string& ref, const char* why) {
  return api::Status::BadRequest("invalid image reference \"" + ref + "\": " + why);
}

}  // namespace

api::Result<std::string> NormalizeImageName(const std::string& ref) {
  if (ref.empty()) return Malformed(ref, "empty reference");

  std::string_view rest = ref;
  std::string_view digest;
  if (size_t at = rest.find('@'); at != std::string_view::npos) {
    digest = rest.substr(at + 1);
    rest = rest.substr(0, at);
    if (!ValidDigest(digest)) return Malformed(ref, "invalid digest");
  }
  std::string_view tag;
  size_t last_slash = rest.rfind('/');
  size_t tag_colon = rest.rfind(':');
  if (tag_colon != std::string_view::npos &&
      (last_slash == std::string_view::npos || tag_colon > last_slash)) {
    tag = rest.substr(tag_colon + 1);
    rest = rest.substr(0, tag_colon);
    if (!ValidTag(tag)) return Malformed(ref, "invalid tag");
  }
  if (rest.empty()) return Malformed(ref, "empty repository name");

  // Domain detection as in docker's splitDockerDomain: the first component is a registry when it
  // contains '.' or ':', is "localhost", or has upper-case letters.
  std::string domain(kDefaultDomain);
  std::string path;
  size_t slash = rest.find('/');
  std::string_view first = rest.substr(0, slash);
  bool first_is_domain = false;
  if (slash != std::string_view::npos) {
    bool has_upper = false;
    for (char c : first) has_upper |= (c >= 'A' && c <= 'Z');
    first_is_domain = first.find_first_of(".:") != std::string_view::npos ||
                      first == "localhost" || has_upper;
  }
  if (first_is_domain) {
    if (!ValidDomain(first)) return Malformed(ref, "invalid registry host");
    domain = std::string(first);
    path = std::string(rest.substr(slash + 1));
  } else {
    path = std::string(rest);
  }
  if (domain == kLegacyDefaultDomain) domain = std::string(kDefaultDomain);
  if (domain == kDefaultDomain && path.find('/') == std::string::npos) {
    path = std::string(kOfficialRepoPrefix) + path;
  }

  // Validate the path components.
  for (char c : path) {
    if (c >= 'A' && c <= 'Z') return Malformed(ref, "repository name must be lowercase");
  }
  size_t start = 0;
  while (true) {
    size_t next = path.find('/', start);
    std::string_view comp =
        std::string_view(path).substr(start, next == std::string::npos ? next : next - start);
    if (!ValidPathComponent(comp)) return Malformed(ref, "invalid repository name");
    if (next == std::string::npos) break;
    start = next + 1;
  }

  std::string out = domain + "/" + path;
  if (out.size() > kMaxNameLength) return Malformed(ref, "repository name too long");
  if (!digest.empty()) {
    out += "@";
    out += digest;  // a tag given together with a digest is dropped, as containerd does
  } else {
    out += ":";
    out += tag.empty() ? std::string_view("latest") : tag;
  }
  return out;
}

}  // namespace kc::cri
