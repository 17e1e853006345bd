#include "pkg/pki/sans.h"

#include <arpa/inet.h>
#include <ifaddrs.h>
#include <net/if.h>
#include <netinet/in.h>
#include <unistd.h>

#include <algorithm>
#include <cctype>

namespace kc::pki {

namespace {

void AppendUnique(std::vector<std::string>* list, const std::string& v) {
  if (std::find(list->begin(), list->end(), v) == list->end()) list->push_back(v);
}

bool IsDnsLabelChar(char c) {
  return std::isalnum(static_cast<unsigned char>(c)) || c == '-' || c == '_';
}

// Lenient host name check: labels of [A-Za-z0-9_-], 1..63 chars, joined by single dots; the
// first label may be "*".
bool IsDnsName(const std::string& s) {
  if (s.empty() || s.size() > 253) return false;
  size_t start = 0;
  bool first = true;
  while (true) {
    size_t dot = s.find('.', start);
    std::string label = s.substr(start, dot == std::string::npos ? std::string::npos : dot - start);
    if (label.empty() || label.size() > 63) return false;
    bool wildcard = first && label == "*" && dot != std::string::npos;
    if (!wildcard && !std::all_of(label.begin(), label.end(), IsDnsLabelChar)) return false;
    if (dot == std::string::npos) return true;
    start = dot + 1;
    first = false;
  }
}

std::string Lower(std::string s) {
  for (char& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return s;
}

}  // namespace

ServerCertOptions ServerCertOptions::Sorted() const {
  ServerCertOptions out = *this;
  std::sort(out.dns_names.begin(), out.dns_names.end());
  std::sort(out.ips.begin(), out.ips.end());
  return out;
}

std::string CanonicalIp(const std::string& s) {
  unsigned char buf[sizeof(struct in6_addr)];
  char text[INET6_ADDRSTRLEN];
  if (inet_pton(AF_INET, s.c_str(), buf) == 1) {
    return inet_ntop(AF_INET, buf, text, sizeof(text)) ? std::string(text) : std::string();
  }
  if (inet_pton(AF_INET6, s.c_str(), buf) == 1) {
    return inet_ntop(AF_INET6, buf, text, sizeof(text)) ? std::string(text) : std::string();
  }
  return "";
}

api::Status AddSan(const std::string& name, ServerCertOptions* opts) {
  if (name.empty()) return api::Status::Ok();
  std::string ip = CanonicalIp(name);
  if (!ip.empty()) {
    AppendUnique(&opts->ips, ip);
    return api::Status::Ok();
  }
  if (!IsDnsName(name)) {
    return api::Status::Invalid("invalid subject alternative name \"" + name +
                                "\": not an IP address or DNS name");
  }
  AppendUnique(&opts->dns_names, Lower(name));
  return api::Status::Ok();
}

std::vector<std::string> LocalHostNamesAndIps() {
  std::vector<std::string> out;
  char host[256] = {};
  if (gethostname(host, sizeof(host) - 1) == 0 && host[0] != '\0') out.emplace_back(host);

  struct ifaddrs* addrs = nullptr;
  if (getifaddrs(&addrs) != 0) return out;
  for (struct ifaddrs* ifa = addrs; ifa != nullptr; ifa = ifa->ifa_next) {
    if (ifa->ifa_addr == nullptr || (ifa->ifa_flags & IFF_LOOPBACK)) continue;
    char text[INET6_ADDRSTRLEN];
    if (ifa->ifa_addr->sa_family == AF_INET) {
      auto* sin = reinterpret_cast<struct sockaddr_in*>(ifa->ifa_addr);
      if (inet_ntop(AF_INET, &sin->sin_addr, text, sizeof(text))) AppendUnique(&out, text);
    } else if (ifa->ifa_addr->sa_family == AF_INET6) {
      auto* sin6 = reinterpret_cast<struct sockaddr_in6*>(ifa->ifa_addr);
      if (IN6_IS_ADDR_LINKLOCAL(&sin6->sin6_addr) || IN6_IS_ADDR_LOOPBACK(&sin6->sin6_addr)) {
        continue;
      }
      if (inet_ntop(AF_INET6, &sin6->sin6_addr, text, sizeof(text))) AppendUnique(&out, text);
    }
  }
  freeifaddrs(addrs);
  return out;
}

api::Result<ServerCertOptions> BuildServerSans(const std::vector<std::string>& host_names_and_ips,
                                               const std::vector<std::string>& extra_sans) {
  ServerCertOptions opts;
  for (const char* fixed : {"localhost", "127.0.0.1", "::1"}) (void)AddSan(fixed, &opts);
  for (const std::string& h : host_names_and_ips) (void)AddSan(h, &opts);  // skip odd host names
  for (const char* fixed : {"kubernetes", "kubernetes.default", "kubernetes.default.svc",
                            "kubernetes.default.svc.cluster.local", kKubernetesServiceIp}) {
    (void)AddSan(fixed, &opts);
  }
  for (const std::string& extra : extra_sans) {
    api::Status s = AddSan(extra, &opts);
    if (!s.ok()) return api::Status::Invalid("--tls-san: " + s.message());
  }
  return opts;
}

}  // namespace kc::pki
