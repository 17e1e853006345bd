// YAML ⇄ JSON for request bodies (application/yaml, application/apply-patch+yaml). YAML 1.2 core
// schema scalars: plain `true/false`, `null`/`~`/empty, integers and floats become typed JSON;
// quoted scalars stay strings.
//
// Thread-safety: pure functions.
#pragma once

#include <boost/json/value.hpp>
#include <string_view>

#include "pkg/api/status.h"

namespace kc::apiserver {

// Parses one YAML (or JSON) document. BadRequest on malformed input or multiple documents.
api::Result<boost::json::value> YamlToJson(std::string_view yaml);

}  // namespace kc::apiserver
