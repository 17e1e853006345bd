// Fast read-only scan of stored objects: extracts metadata.labels from the stored JSON bytes
// with simdjson's on-demand parser, without building a DOM, so a label-selected LIST or WATCH
// only fully decodes the objects that match.
//
// Thread-safety: uses a thread-local parser; safe from any thread.
#pragma once

#include <boost/json/object.hpp>
#include <string_view>

namespace kc::apiserver {

// Fills `labels` with metadata.labels (empty if absent). Returns false when the bytes cannot be
// scanned; callers then fall back to a full decode.
bool ScanLabels(std::string_view json, boost::json::object* labels);

}  // namespace kc::apiserver
