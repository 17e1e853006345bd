// OpenAPI documents for the built-in kinds, as kubectl 1.32 reads them: `/openapi/v3` (the
// index of group-versions), `/openapi/v3/<gv>` (paths + components.schemas), used by kubectl's
// field-validation check (a PATCH operation carrying the `fieldValidation` query parameter makes
// kubectl leave validation to the server) and by `kubectl explain`. The same schemas back
// UnknownFields, the server's strict field validation. The protobuf /openapi/v2 document is
// kubectl's fallback when v3 fails.
//
// The schemas are compiled in (a compact text description per API area, see schema_sources.h).
//
// Thread-safety: all functions may be called concurrently. Built documents are cached per
// (group-version, set of enabled resources) behind a mutex (the v2 document per set of enabled
// resources); the schema registry is an immutable function-local static.
#pragma once

#include <boost/json/value.hpp>

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "pkg/api/resource_info.h"

namespace kc::openapi {

// GET /openapi/v3 body:
// {"paths":{"api/v1":{"serverRelativeURL":"/openapi/v3/api/v1?hash=<h>"},"apis/apps/v1":{...}}}
// listing every group-version of `enabled`, in catalog order. The hash is a stable hash of the
// group-version's document.
std::string V3Index(const std::vector<const api::ResourceInfo*>& enabled);

// GET /openapi/v3/<gv_path> ("api/v1", "apis/apps/v1"; a leading '/' is accepted): the document
// for the enabled resources of that group-version, or nullopt when none is enabled.
std::optional<std::string> V3Document(std::string_view gv_path,
                                      const std::vector<const api::ResourceInfo*>& enabled);

// The hash V3Index advertises for gv_path ("" when unknown), for ETag / cache-control handling.
std::string V3DocumentHash(std::string_view gv_path,
                           const std::vector<const api::ResourceInfo*>& enabled);

// GET /openapi/v2 body: the swagger 2.0 document for every resource of `enabled` (paths,
// definitions keyed like upstream, kinds tagged with x-kubernetes-group-version-kind), serialised
// as the gnostic openapi_v2.Document protobuf message. kubectl 1.32 asks only for it (Accept:
// application/com.github.proto-openapi.spec.v2@v1.0+protobuf) and cannot read JSON here. Serve it
// with Content-Type kV2ProtoContentType, the dotted form upstream answers with: client-go parses
// the response Content-Type and rejects the '@' form ("mime: unexpected content after media
// subtype").
inline constexpr const char* kV2ProtoContentType =
    "application/com.github.proto-openapi.spec.v2.v1.0+protobuf";
std::string V2DocumentProto(const std::vector<const api::ResourceInfo*>& enabled);

// Strict field validation: the paths of fields in `obj` that the kind's schema does not know,
// formatted like upstream's strict decoding errors ("spec.foo",
// "spec.template.spec.containers[0].imagee"); the caller wraps each as `unknown field "<path>"`.
// Open parts (status, free-form maps, RawExtension) accept anything. Kinds without a schema
// report nothing. Duplicate-field detection is the caller's job.
std::vector<std::string> UnknownFields(const api::ResourceInfo& ri, const boost::json::value& obj);

}  // namespace kc::openapi
