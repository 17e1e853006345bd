// The envelope Kubernetes wraps around protobuf bodies (apimachinery
// pkg/runtime/serializer/protobuf): the 4 magic bytes "k8s\0" followed by a runtime.Unknown
// message {1 typeMeta {1 apiVersion, 2 kind}, 2 raw, 3 contentEncoding, 4 contentType}.
//
// Thread-safety: pure functions.
#pragma once

#include <string_view>

#include "pkg/api/status.h"

namespace kc::protobuf {

inline constexpr std::string_view kProtobufMagic{"k8s\0", 4};

// The parts of a runtime.Unknown. The views point into the body passed to ParseEnvelope.
struct Envelope {
  std::string_view api_version;
  std::string_view kind;
  std::string_view raw;  // the object, encoded per its generated.proto
  std::string_view content_encoding;
  std::string_view content_type;
};

// BadRequest when the magic is missing or the Unknown message is malformed.
api::Result<Envelope> ParseEnvelope(std::string_view body);

}  // namespace kc::protobuf
