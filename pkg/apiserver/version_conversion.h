// Version conversion at the API boundary: a kind served in several versions over one storage key
// is stored in one version's shape (its storage version); request bodies of the other versions
// are converted into that shape when decoded, and stored objects are converted back into the
// request's version when encoded for a response (GET, LIST items, WATCH events, the objects
// write verbs return). Tables read the stored shape and need no conversion.
//
// Today this covers HorizontalPodAutoscaler: autoscaling/v1 is converted to and from the
// autoscaling/v2 storage shape (pkg/api/hpa_conversion.h); autoscaling/v2 bodies and responses
// lose the round-trip annotations v1 uses, as upstream does on every v2 decode and encode.
// Another kind joins by adding its catalog entries to HasVersionConversion/StorageResource and
// its conversion calls to version_conversion.cc.
//
// The checks are pointer compares against catalog entries (api::BuiltinResources), so every
// other kind pays nothing measurable. ResourceInfo references must therefore come from the
// catalog (ApiSurface::Find, api::FindResource), as they do everywhere in the server.
//
// Thread-safety: pure functions over the caller's object; safe from any thread.
#pragma once

#include <boost/json/object.hpp>

#include "pkg/api/resource_info.h"
#include "pkg/api/status.h"

namespace kc::apiserver {

namespace version_conversion_internal {
// The catalog entries of autoscaling/v1 and autoscaling/v2 horizontalpodautoscalers, resolved
// during static initialization.
extern const api::ResourceInfo* const kHpaV1;
extern const api::ResourceInfo* const kHpaV2;

api::Status ToStorageSlow(const api::ResourceInfo& ri, boost::json::object& obj);
void FromStorageSlow(const api::ResourceInfo& ri, boost::json::object& obj);
}  // namespace version_conversion_internal

// True when bodies and responses of `ri` go through ToStorage/FromStorage (every served
// version of a converted kind, the storage version included).
inline bool HasVersionConversion(const api::ResourceInfo& ri) {
  return &ri == version_conversion_internal::kHpaV1 || &ri == version_conversion_internal::kHpaV2;
}

// The catalog entry of the version `ri`'s kind is stored as: `ri` itself except for
// autoscaling/v1 HPAs, stored as autoscaling/v2. Registry writes of decoded bodies use it, so
// defaulting, validation, apiVersion and the storage shape are the storage version's.
inline const api::ResourceInfo& StorageResource(const api::ResourceInfo& ri) {
  return &ri == version_conversion_internal::kHpaV1 ? *version_conversion_internal::kHpaV2 : ri;
}

// Turns `obj`, an object in `ri`'s version (a request body or a patched view), into the storage
// shape in place. A no-op for kinds without conversion. Returns BadRequest (obj unchanged) when
// the object cannot be converted, e.g. a v1 HPA whose targetCPUUtilizationPercentage is not an
// int32.
inline api::Status ToStorage(const api::ResourceInfo& ri, boost::json::object& obj) {
  if (!HasVersionConversion(ri)) return api::Status::Ok();
  return version_conversion_internal::ToStorageSlow(ri, obj);
}

// Turns a stored object into what a client of `ri`'s version sees, in place (apiVersion
// included). A no-op for kinds without conversion. Never fails.
inline void FromStorage(const api::ResourceInfo& ri, boost::json::object& obj) {
  if (HasVersionConversion(ri)) version_conversion_internal::FromStorageSlow(ri, obj);
}

}  // namespace kc::apiserver
