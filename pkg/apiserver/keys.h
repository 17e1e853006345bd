// Storage keys and continue tokens: how the Registry names objects in the Backend.
//
//   namespaced:      /registry/<group|core>/<resource>/<namespace>/<name>
//   cluster-scoped:  /registry/<group|core>/<resource>/<name>
//
// Keys are those of the version an object is stored as (StorageResource in version_conversion.h):
// versions of one group share a key space (autoscaling/v1 and v2 HPAs are the same objects), and
// events.k8s.io/v1 Events use core/v1's (/registry/core/events/...), as upstream.
// Thread-safety: pure functions.
#pragma once

#include <cstdint>
#include <string>

#include "pkg/api/resource_info.h"
#include "pkg/api/status.h"

namespace kc::apiserver {

std::string ResourcePrefix(const api::ResourceInfo& ri);  // ends with '/'
// Prefix for a namespace's objects ("" ns = all namespaces / cluster-scoped).
std::string ListPrefix(const api::ResourceInfo& ri, const std::string& ns);
std::string ObjectKey(const api::ResourceInfo& ri, const std::string& ns, const std::string& name);

// An opaque continue token carrying the list revision and the last key returned.
std::string EncodeContinue(int64_t revision, const std::string& last_key);
api::Status DecodeContinue(const std::string& token, int64_t* revision, std::string* last_key);

}  // namespace kc::apiserver
