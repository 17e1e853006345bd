#include "pkg/dns/dns_names.h"

#include <arpa/inet.h>

#include <cstdlib>

namespace kc::dns {

std::string AsciiLower(std::string_view s) {
  std::string out(s);
  for (char& c : out) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  }
  return out;
}

std::vector<std::string> DnameLabels(const ldns_rdf* name) {
  std::vector<std::string> labels;
  if (!name || ldns_rdf_get_type(name) != LDNS_RDF_TYPE_DNAME) return labels;
  uint8_t count = ldns_dname_label_count(name);
  for (uint8_t i = 0; i < count; ++i) {
    ldns_rdf* label = ldns_dname_label(name, i);
    if (!label) break;
    char* text = ldns_rdf2str(label);
    ldns_rdf_deep_free(label);
    if (!text) break;
    std::string s(text);
    free(text);
    if (!s.empty() && s.back() == '.') s.pop_back();
    labels.push_back(AsciiLower(s));
  }
  return labels;
}

std::optional<std::string> CanonicalIp(const std::string& s) {
  unsigned char buf[16];
  char out[INET6_ADDRSTRLEN];
  if (inet_pton(AF_INET, s.c_str(), buf) == 1) {
    if (!inet_ntop(AF_INET, buf, out, sizeof(out))) return std::nullopt;
    return std::string(out);
  }
  if (inet_pton(AF_INET6, s.c_str(), buf) == 1) {
    if (!inet_ntop(AF_INET6, buf, out, sizeof(out))) return std::nullopt;
    return std::string(out);
  }
  return std::nullopt;
}

bool IsIpv6(const std::string& ip) { return ip.find(':') != std::string::npos; }

std::string DashedIp(const std::string& ip) {
  std::string out = ip;
  for (char& c : out) {
    if (c == '.' || c == ':') c = '-';
  }
  return out;
}

std::optional<std::string> IpFromDashed(const std::string& label) {
  if (label.empty()) return std::nullopt;
  size_t dashes = 0;
  for (char c : label) dashes += c == '-';
  std::string v4 = label;
  for (char& c : v4) {
    if (c == '-') c = '.';
  }
  if (dashes == 3) {
    unsigned char buf[4];
    if (inet_pton(AF_INET, v4.c_str(), buf) == 1) return CanonicalIp(v4);
  }
  std::string v6 = label;
  for (char& c : v6) {
    if (c == '-') c = ':';
  }
  unsigned char buf[16];
  if (inet_pton(AF_INET6, v6.c_str(), buf) == 1) return CanonicalIp(v6);
  return std::nullopt;
}

namespace {

bool IsDecimalOctet(const std::string& s) {
  if (s.empty() || s.size() > 3) return false;
  for (char c : s) {
    if (c < '0' || c > '9') return false;
  }
  if (s.size() > 1 && s[0] == '0') return false;
  return std::atoi(s.c_str()) <= 255;
}

bool IsNibble(const std::string& s) {
  return s.size() == 1 && ((s[0] >= '0' && s[0] <= '9') || (s[0] >= 'a' && s[0] <= 'f'));
}

}  // namespace

std::optional<std::string> IpFromReverseLabels(const std::vector<std::string>& labels) {
  size_t n = labels.size();
  if (n == 6 && labels[4] == "in-addr" && labels[5] == "arpa") {
    for (size_t i = 0; i < 4; ++i) {
      if (!IsDecimalOctet(labels[i])) return std::nullopt;
    }
    return CanonicalIp(labels[3] + "." + labels[2] + "." + labels[1] + "." + labels[0]);
  }
  if (n == 34 && labels[32] == "ip6" && labels[33] == "arpa") {
    std::string hex;
    for (size_t i = 0; i < 32; ++i) {
      const std::string& nibble = labels[31 - i];
      if (!IsNibble(nibble)) return std::nullopt;
      hex += nibble;
      if (i % 4 == 3 && i != 31) hex += ':';
    }
    return CanonicalIp(hex);
  }
  return std::nullopt;
}

}  // namespace kc::dns
