// How a client call turns into a request target: the REST path of a resource (core group under
// /api/v1, others under /apis/<group>/<version>; namespaced or cluster-wide; subresources) and
// the query strings of list, watch and write calls.
//
// Query parameters are sorted by name, as Go's url.Values.Encode (and so kubectl) sends them.
//
// Thread-safety: pure functions.
#pragma once

#include <map>
#include <string>
#include <string_view>

#include "pkg/client/client.h"

namespace kc::client {

// Percent-encodes everything but RFC 3986 unreserved characters.
std::string PercentEncode(std::string_view s);

// Whether `res` is namespaced: the built-in catalog decides for kinds it knows; for others a
// non-empty `ns` means namespaced.
bool IsNamespaced(const ResourceRef& res, const std::string& ns);

// "/api/v1/namespaces/default/pods/web/status", "/apis/apps/v1/deployments" (all namespaces),
// "/api/v1/nodes/n1". `name` "" gives the collection path.
std::string ResourcePath(const ResourceRef& res, const std::string& ns, const std::string& name,
                         const std::string& subresource = "");

// Sorted "k=v&k2=v2" (values percent-encoded), with a leading '?' unless empty.
std::string EncodeQuery(const std::map<std::string, std::string>& params);

std::string ListQuery(const ListOptions& opts, bool watch);
std::string WriteQuery(const std::string& field_manager, bool dry_run);
std::string PatchQuery(PatchType type, const PatchOptions& opts);

// "application/merge-patch+json" etc.
const char* PatchContentType(PatchType type);

}  // namespace kc::client
