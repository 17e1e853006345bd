// Decoding of Kubernetes protobuf request bodies (Content-Type
// application/vnd.kubernetes.protobuf, as kubectl's typed clients send for `create <kind>`,
// `autoscale`, `auth can-i`, `auth whoami`, `create token`, ...) into the JSON wire form the
// rest of kcluster works with.
//
// The result looks like what kubectl would have sent as JSON for the same command: "kind" and
// "apiVersion" from the envelope, zero-valued omitempty fields dropped, the zero
// metav1.Time as null ("creationTimestamp": null), empty non-pointer structs as {}, bytes as
// base64, IntOrString as a number or a string, quantities as strings. Fields the tables do
// not know are skipped.
//
// Errors: BadRequest for malformed input (bad magic, truncated varints, lengths past the end,
// wrong wire types, nesting deeper than 64 messages, a non-empty contentEncoding);
// UnsupportedMediaType for an apiVersion/kind with no schema table (see kinds.cc).
//
// Thread-safety: pure functions; safe to call concurrently.
#pragma once

#include <boost/json/object.hpp>
#include <string_view>

#include "pkg/api/status.h"

namespace kc::protobuf {

inline constexpr std::string_view kProtobufMediaType = "application/vnd.kubernetes.protobuf";

// Decodes a protobuf request body (with the "k8s\0" envelope) into the object's JSON form.
api::Result<boost::json::object> DecodeObject(std::string_view body);

// Decodes a DeleteOptions body (kind DeleteOptions; any apiVersion, since typed clients encode
// it with the group/version of the resource: "v1", "apps/v1", "meta.k8s.io/v1", ...).
// BadRequest when the body holds another kind.
api::Result<boost::json::object> DecodeDeleteOptions(std::string_view body);

}  // namespace kc::protobuf
