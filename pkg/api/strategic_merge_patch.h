// Strategic merge patch, as served for `Content-Type: application/strategic-merge-patch+json`
// (`kubectl apply`, `edit`, `patch`, `rollout restart`, `set image`, `cordon`, `debug`).
//
// Like a JSON merge patch (maps merge recursively, null deletes), except that lists whose field
// carries patchStrategy=merge (see patch_meta.h) are merged: lists of objects element by element
// using the field's merge key (containers by name, ports by containerPort, ...), lists of
// primitives (finalizers) as a union. All other lists are replaced. Directives understood:
//   {"$patch": "replace"}        in a map: replace the map; as a list element: replace the list
//   {"$patch": "delete"}         in a map: empty it; as a list element with the merge key: remove
//                                the matching element
//   {"$patch": "merge"}          the default; accepted and ignored
//   "$setElementOrder/<list>"    the final order of a merged list, as kubectl apply sends it
//   "$retainKeys": [...]         drop the map's keys not listed (patchStrategy=retainKeys)
//   "$deleteFromPrimitiveList/<list>": [...]  remove these values from a primitive list
//
// Thread-safety: free functions over caller-owned values.
#pragma once

#include <boost/json/value.hpp>
#include <string_view>

#include "pkg/api/status.h"

namespace kc::api {

// Applies `patch` (a JSON object) to `target` (the object of kind `group`/`kind`). A malformed
// patch gives BadRequest (Invalid for lists of lists, as upstream); `target` is then unchanged.
Status ApplyStrategicMergePatch(boost::json::value& target, const boost::json::value& patch,
                                std::string_view group, std::string_view kind);

// The two-way strategic merge patch that turns `original` into `modified` (both objects):
// removed fields are null, merge lists get per-element diffs, `$patch: delete` elements,
// `$deleteFromPrimitiveList` and `$setElementOrder` directives. {} when they are equal.
Result<boost::json::value> CreateStrategicMergePatch(const boost::json::value& original,
                                                     const boost::json::value& modified,
                                                     std::string_view group, std::string_view kind);

}  // namespace kc::api
