// JSON Patch (RFC 6902) over a boost::json document, as served for
// `Content-Type: application/json-patch+json` (`kubectl patch --type=json`, `rollout undo`).
//
// Thread-safety: a free function over caller-owned values.
#pragma once

#include <boost/json/value.hpp>

#include "pkg/api/status.h"

namespace kc::api {

// Applies the operations of `patch` (a JSON array of {op, path, value|from}) in order. Supports
// add, remove, replace, move, copy and test, JSON Pointers with ~0/~1 escapes and "-" to append.
// A malformed patch document gives BadRequest; an operation that does not apply (missing path,
// failed test, bad index) gives Invalid (422, as the API server answers). On any error `doc` is
// left unchanged.
Status ApplyJsonPatch(boost::json::value& doc, const boost::json::value& patch);

}  // namespace kc::api
