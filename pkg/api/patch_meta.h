// Patch metadata for strategic merge patch: which fields of the built-in types merge lists by key
// and what type lives below each field, i.e. the `patchStrategy` / `patchMergeKey` struct tags
// of the Kubernetes Go types, written down as a table keyed by (type name, JSON field).
//
// Type names are the Go struct names ("PodSpec", "Container"). Each kind maps to a root type; a
// kind without special rules maps to "Object", which only knows metadata. Every type that embeds
// a PodTemplateSpec reaches the PodSpec rules through its `template` field.
//
// Thread-safety: immutable static tables; safe from any thread.
#pragma once

#include <string_view>

namespace kc::api {

struct PatchField {
  std::string_view type;        // the owning type, e.g. "PodSpec"
  std::string_view field;       // JSON field name, e.g. "containers"
  std::string_view value_type;  // type of the value, or of each list element; "" = no rules
  bool merge = false;           // patchStrategy "merge": lists merge by key / union primitives
  bool retain_keys = false;     // patchStrategy "retainKeys"
  std::string_view merge_key;   // patchMergeKey for lists of objects
};

// The type of a kind's top-level object ("Deployment"), "Object" for kinds without rules.
std::string_view PatchRootType(std::string_view group, std::string_view kind);

// The rules for `field` inside a value of `type`; nullptr when there are none (then maps merge
// recursively without rules and lists are replaced).
const PatchField* LookupPatchField(std::string_view type, std::string_view field);

}  // namespace kc::api
