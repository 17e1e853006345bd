// Small read helpers over boost::json objects: dotted-path lookup and typed field access that
// return a default instead of throwing when a field is missing or has another type.
//
// Thread-safety: free functions over caller-owned values; safe wherever the values are.
#pragma once

#include <boost/json/array.hpp>
#include <boost/json/object.hpp>
#include <boost/json/value.hpp>
#include <cstdint>
#include <string>
#include <string_view>

namespace kc::api {

// Walks `dotted_path` ("metadata.name", "spec.containers.0.image") from `root`. A segment
// selects an object member or, when the current value is an array, a decimal index.
// Returns nullptr when any segment is missing. An empty path returns &root.
const boost::json::value* Lookup(const boost::json::value& root, std::string_view dotted_path);
const boost::json::value* Lookup(const boost::json::object& root, std::string_view dotted_path);

// Typed member access; missing or wrongly typed members yield the default / nullptr.
std::string GetString(const boost::json::object& o, std::string_view key);
int64_t GetInt64(const boost::json::object& o, std::string_view key, int64_t def = 0);
const boost::json::object* GetObject(const boost::json::object& o, std::string_view key);
const boost::json::array* GetArray(const boost::json::object& o, std::string_view key);

// Returns o[key] as an object, replacing a missing or non-object member with {}.
boost::json::object& EnsureObject(boost::json::object& o, std::string_view key);

// (Deep JSON equality with numbers compared by value is JsonEqual in field_set_path.h.)

}  // namespace kc::api
