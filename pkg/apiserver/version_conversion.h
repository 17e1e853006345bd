// Version conversion at the API boundary: a kind served in several versions over one storage key
// is stored in one version's shape (its storage version); request bodies of the other versions
// are converted into that shape when decoded, and stored objects are converted back into the
// request's version when encoded for a response (GET, LIST items, WATCH events, the objects
// write verbs return). Tables are built from the stored shape by the storage version's printer
// (ToTable in response_util.h); only an included object is converted.
//
// Each conversion is one row of a small table (version_conversion.cc): the served catalog entry,
// the catalog entry its objects are stored as, and the two conversion functions. Today:
//
//   autoscaling/v1 horizontalpodautoscalers -> autoscaling/v2 (pkg/api/hpa_conversion.h)
//   autoscaling/v2 horizontalpodautoscalers -> itself; bodies and responses lose the round-trip
//                                              annotations v1 uses, as upstream does on every v2
//                                              decode and encode
//   events.k8s.io/v1 events                 -> core/v1 events (pkg/api/event_conversion.h); an
//                                              events.k8s.io/v1 body is also checked against the
//                                              events.k8s.io/v1 validation, in its own shape,
//                                              before it is converted (the registry then
//                                              validates the core shape with core/v1's rules)
//
// The in-process LocalClient converts at its boundary the same way, so components may use any
// served version.
//
// A version that is stored as it is served (core/v1 events, apps/v1 deployments, ...) has no row.
// Versions stored as one share its storage keys (keys.cc asks StorageResource), so e.g. core/v1
// and events.k8s.io/v1 list, get and watch the same Events. Another kind joins by adding rows.
//
// The checks compare `&ri` with the table's catalog entries (three pointer compares), so every
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

// One served version whose objects are stored in another shape (or cleaned on the way).
struct Conversion {
  const api::ResourceInfo* served;
  const api::ResourceInfo* storage;  // the catalog entry the objects are stored as
  // Served shape -> storage shape, in place; a failure leaves obj unchanged.
  api::Status (*to_storage)(boost::json::object& obj);
  // Storage shape -> served shape, in place (apiVersion included). Never fails.
  void (*from_storage)(boost::json::object& obj);
};

inline constexpr int kConversionCount = 3;
// Resolved from the catalog during static initialization (all-null before it: nothing matches).
extern const Conversion kConversions[kConversionCount];

inline const Conversion* FindConversion(const api::ResourceInfo& ri) {
  for (const Conversion& c : kConversions) {
    if (c.served == &ri) return &c;
  }
  return nullptr;
}

}  // namespace version_conversion_internal

// True when bodies and responses of `ri` go through ToStorage/FromStorage (a served version
// with a row in the table).
inline bool HasVersionConversion(const api::ResourceInfo& ri) {
  return version_conversion_internal::FindConversion(ri) != nullptr;
}

// The catalog entry of the version `ri`'s objects are stored as: `ri` itself except for
// autoscaling/v1 HPAs (stored as autoscaling/v2) and events.k8s.io/v1 Events (stored as core/v1
// Events). Storage keys and registry writes of decoded bodies use it, so keys, defaulting,
// validation, apiVersion and the storage shape are the storage version's.
inline const api::ResourceInfo& StorageResource(const api::ResourceInfo& ri) {
  const auto* c = version_conversion_internal::FindConversion(ri);
  return c ? *c->storage : ri;
}

// Turns `obj`, an object in `ri`'s version (a request body or a patched view), into the storage
// shape in place. A no-op for kinds without conversion. Returns an error, obj unchanged, when
// the object cannot be converted: BadRequest for a v1 HPA whose targetCPUUtilizationPercentage is
// not an int32, Invalid (422) for an events.k8s.io/v1 Event that fails that version's validation.
inline api::Status ToStorage(const api::ResourceInfo& ri, boost::json::object& obj) {
  const auto* c = version_conversion_internal::FindConversion(ri);
  return c ? c->to_storage(obj) : api::Status::Ok();
}

// Turns a stored object into what a client of `ri`'s version sees, in place (apiVersion
// included). A no-op for kinds without conversion. Never fails.
inline void FromStorage(const api::ResourceInfo& ri, boost::json::object& obj) {
  if (const auto* c = version_conversion_internal::FindConversion(ri)) c->from_storage(obj);
}

}  // namespace kc::apiserver
