// The object-shaping half of server-side apply: merging an applied configuration into the live
// object, and removing the fields an applier gave up (pruning). Ownership bookkeeping lives in
// server_side_apply.cc; these functions only move JSON.
//
// Merge rules (structured-merge-diff's): struct fields merge recursively; scalars, atomic lists
// and atomic maps are replaced by the applied value; keyed lists merge item by item on their key
// fields and sets of scalars by value, keeping live-only items where they were and shared items
// in the applied order; a null in the applied configuration removes the field.
//
// Thread-safety: pure functions.
#pragma once

#include <boost/json/object.hpp>

#include "pkg/api/field_set.h"
#include "pkg/api/field_set_schema.h"

namespace kc::api {

// `applied` must already have passed FieldSet::FromAppliedObject (keys present, no duplicates);
// live lists with unusable keys are replaced by the applied list.
boost::json::object MergeAppliedConfig(const boost::json::object& live,
                                       const boost::json::object& applied,
                                       const SchemaScope& scope);

// Removes from `obj` the value at every path of `paths`, with everything beneath it. Paths that
// do not resolve are ignored.
void RemoveFieldPaths(boost::json::object& obj, const FieldSet& paths, const SchemaScope& scope);

}  // namespace kc::api
