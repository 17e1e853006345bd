// Name helpers of the cluster DNS server: DNS labels as lowercase text, IP addresses written as
// one label ("10-1-2-3"), and reverse-lookup names (in-addr.arpa / ip6.arpa) back to addresses.
//
// Thread-safety: free functions without shared state.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "pkg/dns/ldns_ptr.h"

namespace kc::dns {

std::string AsciiLower(std::string_view s);

// The labels of `name`, leftmost first, lowercased, in presentation form (a label holding a dot
// or an odd byte comes out escaped, "a\.b", so it never equals a Kubernetes name).
std::vector<std::string> DnameLabels(const ldns_rdf* name);

// The canonical text of an IPv4 or IPv6 address, or nullopt when `s` is not one.
std::optional<std::string> CanonicalIp(const std::string& s);
bool IsIpv6(const std::string& ip);

// "10.1.2.3" → "10-1-2-3", "fd00::1" → "fd00--1" (the form of pod and endpoint names).
std::string DashedIp(const std::string& ip);
// The inverse of DashedIp: the canonical address, or nullopt.
std::optional<std::string> IpFromDashed(const std::string& label);

// Labels of "4.3.2.1.in-addr.arpa" (or the 32 nibbles of an ip6.arpa name), leftmost first →
// the canonical address; nullopt for any other name, including partial reverse names.
std::optional<std::string> IpFromReverseLabels(const std::vector<std::string>& labels);

}  // namespace kc::dns
