// JSON Merge Patch (RFC 7386), as served for `Content-Type: application/merge-patch+json`
// (`kubectl label`, `annotate`, `scale`, `patch --type=merge`): objects merge recursively, null
// deletes a member, every other value (lists included) replaces.
//
// Thread-safety: free functions over caller-owned values.
#pragma once

#include <boost/json/value.hpp>

namespace kc::api {

// Applies `patch` to `target` in place. Cannot fail: any JSON value is a valid merge patch.
void ApplyMergePatch(boost::json::value& target, const boost::json::value& patch);

// The merge patch that turns `original` into `modified`: removed members become null, changed
// ones carry the new value, objects are diffed recursively. {} when they are equal. When either
// side is not an object the patch is `modified` itself.
boost::json::value CreateMergePatch(const boost::json::value& original,
                                    const boost::json::value& modified);

}  // namespace kc::api
