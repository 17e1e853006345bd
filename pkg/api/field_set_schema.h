// The little schema knowledge server-side apply needs for built-in kinds: which lists are
// associative (merged by key fields, like containers by name), which are sets of scalars
// (metadata.finalizers), which maps are atomic (label selectors) and which maps are map-typed
// (labels, annotations, data). Upstream reads these from the OpenAPI markers
// x-kubernetes-list-type / list-map-keys / map-type; kcluster keeps a short table keyed by field
// name, the enclosing field's name and the kind. Anything not in the table is a struct (maps) or
// atomic (lists), which is also what upstream assumes for unannotated lists.
//
// Thread-safety: stateless functions over immutable tables; safe from any thread.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include <boost/json/array.hpp>
#include <boost/json/value.hpp>

#include "pkg/api/field_set_path.h"

namespace kc::api {

// Which object kind the paths belong to; rules may depend on it (Service ports vs EndpointSlice
// ports).
struct SchemaScope {
  std::string_view group;
  std::string_view kind;
};

enum class ListType { kAtomic, kSet, kMap };

struct ListKey {
  std::string name;
  boost::json::value default_value;  // null: the key is required
};

struct ListShape {
  ListType type = ListType::kAtomic;
  std::vector<ListKey> keys;  // for kMap, in upstream's listMapKeys order
};

// The shape of the list found at `list_path` (a path ending in the list's field).
ListShape ListShapeAt(const SchemaScope& scope, const FieldPath& list_path);
// True for maps replaced as a whole (label selectors, nodeSelector, key references).
bool IsAtomicMapAt(const SchemaScope& scope, const FieldPath& map_path);
// True for map[string]X fields whose entries are independent (labels, annotations, data, limits).
bool IsMapTypedAt(const SchemaScope& scope, const FieldPath& map_path);

// The path element naming `item` inside a non-atomic list: a Key for kMap, a Value for kSet. On
// failure returns false and sets `error` to upstream's wording ("element 0: associative list with
// keys has an element that omits key field \"name\" (and doesn't have default value)").
bool ListItemElement(const ListShape& shape, const boost::json::value& item, size_t index,
                     PathElement* out, std::string* error);

// Elements for every item of `list`, in order. Fails on the first bad item or on two items with
// the same element ("duplicate entries for key [name=\"web\"]").
bool IndexListItems(const ListShape& shape, const boost::json::array& list,
                    std::vector<PathElement>* out, std::string* error);

}  // namespace kc::api
