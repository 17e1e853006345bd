// Serialises registry types as OpenAPI v3 schema objects (components.schemas entries), the way
// upstream shapes them: properties referencing other types through allOf/$ref, lists with
// `items`, maps with `additionalProperties`, kinds carrying x-kubernetes-group-version-kind.
//
// Thread-safety: pure functions over the immutable registry.
#pragma once

#include <boost/json/object.hpp>

#include <set>
#include <string>

#include "pkg/openapi/schema_registry.h"

namespace kc::openapi::internal {

// "#/components/schemas/<name>"
std::string SchemaRef(const std::string& name);

boost::json::object TypeSchemaJson(const TypeDef& type);

// The <Kind>List schema for a kind's root type (items + ListMeta), named type.name + "List".
boost::json::object ListSchemaJson(const TypeDef& kind_type, const Gvk& gvk);

// Adds `name` and every type reachable from it to `out`.
void CollectReachable(const SchemaRegistry& reg, const std::string& name, std::set<std::string>* out);

}  // namespace kc::openapi::internal
