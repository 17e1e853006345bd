// The `paths` of the /openapi/v2 document as gnostic openapi_v2.PathItem messages: the resource's
// operations (operations.h, shared with the v3 documents) rendered like upstream's swagger 2.0
// operations (parameters inlined rather than `$ref`ed).
//
// What kubectl reads from these: its field-validation check looks for the `patch` operation whose
// x-kubernetes-group-version-kind (a YAML mapping) matches the object and whose parameters include
// the `fieldValidation` query parameter; `kubectl apply` reads the PATCH operation's `consumes` to
// decide whether to build a strategic merge patch from these schemas. strategic-merge-patch+json
// is deliberately not listed (the schemas carry no patch strategies), so kubectl uses its
// compiled-in types for SMP, as with the v3 documents.
//
// Thread-safety: pure functions.
#pragma once

#include <map>
#include <string>

#include "pkg/api/resource_info.h"
#include "pkg/openapi/proto_writer.h"

namespace kc::openapi::internal {

// Adds the resource's path items (encoded PathItem messages) to `paths`, keyed by path.
// `kind_schema` is the kind's definition name; its list definition is kind_schema + "List".
void AddV2ResourcePaths(const api::ResourceInfo& ri, const std::string& kind_schema,
                        std::map<std::string, ProtoWriter>* paths);

}  // namespace kc::openapi::internal
