// Name and label syntax checks (apimachinery util/validation): each returns the list of
// problems with the value, worded exactly as upstream so they can be shown to kubectl users.
// An empty list means the value is valid.
//
// Thread-safety: pure functions; safe from any thread.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "pkg/api/resource_info.h"

namespace kc::api {

// DNS-1123 subdomain: lowercase alphanumerics, '-', '.', at most 253 characters.
std::vector<std::string> IsDNS1123Subdomain(std::string_view value);
// DNS-1123 label: lowercase alphanumerics and '-', at most 63 characters.
std::vector<std::string> IsDNS1123Label(std::string_view value);
// DNS-1035 label: like a DNS-1123 label but must start with a letter (Service names).
std::vector<std::string> IsDNS1035Label(std::string_view value);
// Qualified name: optional DNS-subdomain prefix and '/', then a 63-character name (label keys).
std::vector<std::string> IsQualifiedName(std::string_view value);
// Label value: empty, or up to 63 alphanumerics, '-', '_', '.' starting and ending alphanumeric.
std::vector<std::string> IsValidLabelValue(std::string_view value);
// ConfigMap / Secret data key: [-._a-zA-Z0-9]+, at most 253, not '.', '..' or '..'-prefixed.
std::vector<std::string> IsConfigMapKey(std::string_view value);
// IANA service name used for named ports: at most 15 of [-a-z0-9] with one letter.
std::vector<std::string> IsValidPortName(std::string_view value);
// A port number in 1..65535.
std::vector<std::string> IsValidPortNum(long long port);
// A name usable as one URL path segment: not '.' or '..', no '/' or '%'.
std::vector<std::string> IsValidPathSegmentName(std::string_view value);
// Relaxed (1.32 default) environment variable name: printable ASCII except '='.
std::vector<std::string> IsRelaxedEnvVarName(std::string_view value);
// A percent string "^[0-9]+%$".
std::vector<std::string> IsValidPercent(std::string_view value);
// A literal IPv4 or IPv6 address (no zone, no CIDR).
bool IsValidIP(std::string_view value);
bool IsIPv6(std::string_view value);

// Shared message fragments.
std::string MaxLenError(size_t length);  // "must be no more than N characters"
std::string InclusiveRangeError(long long lo,
                                long long hi);  // "must be between lo and hi, inclusive"

// The name rule a kind applies to metadata.name (or metadata.generateName when `prefix`, which
// tolerates a trailing '-'): DNS-1123 subdomain for most kinds, DNS-1123 label for Namespace and
// StatefulSet, DNS-1035 label for Service, path segment for RBAC kinds and core/v1 Events.
std::vector<std::string> ValidateObjectName(const ResourceInfo& ri, std::string_view name);
std::vector<std::string> ValidateObjectNamePrefix(const ResourceInfo& ri, std::string_view prefix);

}  // namespace kc::api
