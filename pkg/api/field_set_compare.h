// CompareObjects: what changed between two versions of an object, as three FieldSets (upstream's
// typed.Comparison). Field managers use it to decide which fields a write takes over (added and
// modified) and which it took away from everyone (removed).
//
// Leaves are compared by value (numbers numerically). Keyed lists and sets are matched item by
// item; an item that appears or disappears is itself added or removed. A map-typed field
// (labels, annotations, ...) that appears or disappears is added or removed as a whole too, so
// a write that creates metadata.labels owns ".metadata.labels" as upstream records it.
//
// AddedFieldsV1 is the create case written straight to FieldsV1: what a new object's managedFields
// entry holds, without building FieldSets (a create pays for this on every request).
//
// Thread-safety: pure functions.
#pragma once

#include <string_view>

#include <boost/json/object.hpp>

#include "pkg/api/field_set.h"

namespace kc::api {

struct FieldSetComparison {
  FieldSet added;
  FieldSet modified;
  FieldSet removed;

  bool Empty() const { return added.Empty() && modified.Empty() && removed.Empty(); }
  // Drops every path at or beneath one of `prefixes` from all three sets.
  void Filter(const FieldSet& prefixes);
};

// `old_obj` nullptr means the object did not exist (everything in `new_obj` is added).
FieldSetComparison CompareObjects(const boost::json::object* old_obj,
                                  const boost::json::object* new_obj, std::string_view group,
                                  std::string_view kind);

// The FieldsV1 encoding of CompareObjects(nullptr, &obj, ...).added, leaving out the paths in
// `without` (their descendants stay) and everything at or beneath a path in `without_beneath`;
// byte for byte what FieldSet::ToFieldsV1 gives for that set.
boost::json::object AddedFieldsV1(const boost::json::object& obj, std::string_view group,
                                  std::string_view kind, const FieldSet& without,
                                  const FieldSet& without_beneath);

}  // namespace kc::api
