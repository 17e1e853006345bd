// Keeps kubectl's client-side-apply annotation (kubectl.kubernetes.io/last-applied-configuration)
// in step with server-side applies, as upstream's lastAppliedUpdater does: when the manager is
// exactly "kubectl" and the object already carries the annotation, the annotation becomes the
// applied configuration (without the annotation itself) encoded as Go's encoding/json would:
// object keys sorted, <, > and & escaped, a trailing newline. Other managers and objects without
// the annotation are left alone.
//
// Thread-safety: pure functions.
#pragma once

#include <string>
#include <string_view>

#include <boost/json/object.hpp>
#include <boost/json/value.hpp>

namespace kc::api {

inline constexpr char kLastAppliedAnnotation[] =
    "kubectl.kubernetes.io/last-applied-configuration";

// Compact JSON with sorted object keys and Go's string escaping (no trailing newline).
std::string GoSortedJson(const boost::json::value& v);

void SyncLastAppliedAnnotation(boost::json::object& obj, const boost::json::object& applied,
                               std::string_view manager);

}  // namespace kc::api
