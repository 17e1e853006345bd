// Fast paths over stored object bytes: the store keeps each object as the JSON the API server
// serialized, without metadata.resourceVersion (that is the row's revision). Answering a GET
// needs only that one field added, which a scan of the top-level keys can do without building a
// JSON DOM and serializing it again.
//
// Thread-safety: pure functions.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace kc::apiserver {

// `stored` with `"resourceVersion":"<rv>"` added as the first member of the top-level
// "metadata" object. nullopt when `stored` is not a JSON object with a top-level "metadata"
// object (the caller then takes the DOM path). Does not check that metadata lacks a
// resourceVersion: stored objects never carry one (EncodeForStorage drops it).
std::optional<std::string> WithResourceVersion(std::string_view stored, int64_t rv);

}  // namespace kc::apiserver
