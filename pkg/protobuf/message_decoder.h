// Schema-driven decoding of one protobuf message into its Kubernetes JSON form.
//
// Fields whose numbers the schema does not list are skipped (after their wire format has been
// checked); fields the schema lists must arrive with a matching wire type. Repeated message
// fields append, repeated scalars accept packed or unpacked encoding, a message field seen
// twice merges (as protobuf specifies), and a scalar seen twice keeps the last value. Nesting
// deeper than kMaxMessageDepth is refused, so hostile input cannot exhaust the stack.
//
// Thread-safety: pure functions.
#pragma once

#include <boost/json/object.hpp>
#include <string_view>

#include "pkg/api/status.h"
#include "pkg/protobuf/schema.h"

namespace kc::protobuf {

inline constexpr int kMaxMessageDepth = 64;

// Decodes `bytes` as a message of `schema` into `out` (merging into what is already there).
// `depth` is the nesting level of this message (the top-level object is 0).
api::Status DecodeMessageInto(std::string_view bytes, const MessageSchema& schema, int depth,
                              boost::json::object* out);

// Decodes `bytes` as a top-level message of `schema`.
api::Result<boost::json::object> DecodeMessage(std::string_view bytes,
                                               const MessageSchema& schema);

}  // namespace kc::protobuf
