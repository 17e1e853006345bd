// FieldSet: a set of field paths, the unit of ownership in server-side apply. A manager's entry
// in metadata.managedFields is a FieldSet encoded as FieldsV1:
//   {"f:metadata":{"f:labels":{"f:app":{}}},
//    "f:spec":{"f:containers":{"k:{\"name\":\"web\"}":{".":{},"f:image":{}}}}}
// where "f:" is a struct field, "k:" a keyed-list item, "v:" a set member, "i:" a list index,
// "{}" marks a path in the set and "." marks the enclosing path itself as in the set when it
// also has children.
//
// FromObject lists the paths an object sets, as upstream's ToFieldSet does: every scalar, null,
// empty map, atomic list and atomic map is a leaf; items of keyed lists and sets are members and
// keyed items are descended into; struct fields are only containers.
//
// Thread-safety: a value type; distinct objects may be used from different threads.
#pragma once

#include <set>
#include <string>
#include <string_view>
#include <vector>

#include <boost/json/object.hpp>
#include <boost/json/value.hpp>

#include "pkg/api/field_set_path.h"
#include "pkg/api/status.h"

namespace kc::api {

class FieldSet {
 public:
  FieldSet() = default;

  // Every field path `obj` sets, for an object of `group`/`kind`. Keyed lists whose items lack a
  // key or repeat one are treated as atomic (the whole list is one leaf).
  static FieldSet FromObject(const boost::json::value& obj, std::string_view group,
                             std::string_view kind);
  // As FromObject, but an apply configuration must name every keyed item properly: a missing key
  // field or a duplicate key is a BadRequest, worded as upstream ("failed to create typed patch
  // object (apps/v1, Kind=Deployment): .spec.template.spec.containers: element 0: ...").
  static Result<FieldSet> FromAppliedObject(const boost::json::value& obj, std::string_view group,
                                            std::string_view version, std::string_view kind);
  // Decodes a FieldsV1 value; a non-object node or malformed key is a BadRequest.
  static Result<FieldSet> FromFieldsV1(const boost::json::value& fields_v1);
  // Encodes as FieldsV1, keys in upstream's order.
  boost::json::object ToFieldsV1() const;

  FieldSet Union(const FieldSet& other) const;
  FieldSet Intersection(const FieldSet& other) const;
  FieldSet Difference(const FieldSet& other) const;
  // The paths that are neither in `prefixes` nor beneath a path in `prefixes`.
  FieldSet RecursiveDifference(const FieldSet& prefixes) const;
  // This set plus every prefix of its paths that ends in a struct field name (upstream's
  // EnsureNamedFieldsAreMembers): ".spec" and ".spec.template" for ".spec.template.x".
  FieldSet WithFieldPrefixes() const;

  bool Empty() const { return paths_.empty(); }
  size_t Size() const { return paths_.size(); }
  bool Has(const FieldPath& path) const { return paths_.count(path) > 0; }
  // True when some path of the set starts with `prefix` (including `prefix` itself).
  bool HasPrefix(const FieldPath& prefix) const;
  void Insert(FieldPath path) { paths_.insert(std::move(path)); }
  bool Erase(const FieldPath& path) { return paths_.erase(path) > 0; }

  const std::set<FieldPath>& paths() const { return paths_; }
  // Printable paths in set order, e.g. {".metadata.labels.app", ".spec.replicas"}.
  std::vector<std::string> ToStrings() const;

  bool operator==(const FieldSet& other) const { return paths_ == other.paths_; }

 private:
  std::set<FieldPath> paths_;
};

}  // namespace kc::api
