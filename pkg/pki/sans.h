// Subject alternative names of the API server's serving certificate.
//
// The serving certificate must be valid for every name a client may dial: loopback, this
// machine's host name and addresses, the in-cluster service names and ClusterIP of
// `kubernetes.default`, and whatever the operator passed as --tls-san.
//
// Thread-safety: stateless functions, callable from any thread.
#pragma once

#include <string>
#include <vector>

#include "pkg/api/status.h"

namespace kc::pki {

// The SANs of a server certificate, in canonical form: DNS names lower-case, IPs as
// inet_ntop prints them ("::1", "10.43.0.1"); no duplicates; insertion order kept.
struct ServerCertOptions {
  std::vector<std::string> dns_names;
  std::vector<std::string> ips;

  // Sorts both lists so two option sets compare equal iff they name the same SANs.
  ServerCertOptions Sorted() const;
  bool operator==(const ServerCertOptions&) const = default;
};

// The ClusterIP of the `kubernetes` service (first address of the default 10.43.0.0/16 range).
inline constexpr const char* kKubernetesServiceIp = "10.43.0.1";

// Host name (as returned by gethostname) followed by this machine's non-loopback IPv4 and IPv6
// addresses (getifaddrs; IPv6 link-local addresses are skipped since they need a zone).
std::vector<std::string> LocalHostNamesAndIps();

// The canonical text of an IPv4/IPv6 literal, or "" when `s` is not one.
std::string CanonicalIp(const std::string& s);

// Adds `name` to `opts` as an IP when it is an IP literal, else as a DNS name. Invalid when it is
// neither a valid IP nor a DNS name (letters, digits, '-', '.', '_', a leading "*." wildcard).
// Empty names are ignored.
api::Status AddSan(const std::string& name, ServerCertOptions* opts);

// The full SAN set for the serving certificate: localhost, 127.0.0.1, ::1, `host_names_and_ips`
// (normally LocalHostNamesAndIps(); entries that are not valid names are skipped), the
// kubernetes service names, kKubernetesServiceIp, then `extra_sans` (validated: an invalid
// --tls-san is an Invalid status).
api::Result<ServerCertOptions> BuildServerSans(const std::vector<std::string>& host_names_and_ips,
                                               const std::vector<std::string>& extra_sans);

}  // namespace kc::pki
