// Serialises registry types as gnostic openapi_v2.Schema messages (the `definitions` of the
// /openapi/v2 document), shaped the way kubectl's OpenAPI v2 reader (kube-openapi
// pkg/util/proto) accepts them: references are a bare `$ref` (plus description, never allOf or a
// type), objects with fields carry `properties`, maps carry `additionalProperties`, arrays exactly
// one `items` schema, and kind roots carry x-kubernetes-group-version-kind as a YAML list.
// Also the vendor-extension helpers (gnostic NamedAny with the value as YAML text).
//
// Thread-safety: pure functions over the immutable registry.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "pkg/openapi/proto_writer.h"
#include "pkg/openapi/schema_registry.h"

namespace kc::openapi::internal {

// "#/definitions/<name>"
std::string V2Ref(const std::string& name);

// A double-quoted YAML (and JSON) string scalar.
std::string YamlQuote(std::string_view s);

// x-kubernetes-group-version-kind as operations carry it (a single mapping):
// group: "apps"\nkind: "Deployment"\nversion: "v1"\n
std::string GvkYamlMap(const Gvk& gvk);
// ... and as definitions carry it (a list of mappings).
std::string GvkYamlList(const std::vector<Gvk>& gvks);

// An openapi_v2.NamedAny {name, Any{yaml}}.
ProtoWriter NamedAnyYaml(std::string_view name, const std::string& yaml);

// The schema of a definition.
ProtoWriter V2TypeSchema(const TypeDef& type);

// The <Kind>List definition for a kind's root type (items + ListMeta).
ProtoWriter V2ListSchema(const TypeDef& kind_type, const Gvk& gvk);

// A schema that is only a reference: {"$ref": "#/definitions/<name>"}.
ProtoWriter V2RefSchema(const std::string& name);

}  // namespace kc::openapi::internal
