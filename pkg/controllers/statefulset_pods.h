// The identity and storage of a StatefulSet's pods, after upstream's stateful_set_utils.go:
// pod names `<set>-<ordinal>`, the labels statefulset.kubernetes.io/pod-name and
// apps.kubernetes.io/pod-index, hostname/subdomain, the claims `<template>-<set>-<ordinal>` made
// from spec.volumeClaimTemplates and the pod volumes that reference them, and the ownerReferences
// a claim carries under spec.persistentVolumeClaimRetentionPolicy.
//
// Thread-safety: free functions over caller-owned values.
#pragma once

#include <boost/json/object.hpp>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "pkg/client/client.h"

namespace kc::controllers {

inline constexpr const char kStatefulSetPodNameLabel[] = "statefulset.kubernetes.io/pod-name";
inline constexpr const char kPodIndexLabel[] = "apps.kubernetes.io/pod-index";

// "<parent>-<ordinal>" split; ordinal -1 (parent "") when the name has no numeric suffix.
struct StatefulPodIdentity {
  std::string parent;
  int64_t ordinal = -1;
};
StatefulPodIdentity ParseStatefulPodName(const std::string& pod_name);

std::string StatefulSetPodName(const client::Object& set, int64_t ordinal);
// spec.ordinals.start (0 when unset).
int64_t StartOrdinal(const client::Object& set);
// spec.replicas (1 when unset).
int64_t SetReplicas(const client::Object& set);
// The pod's ordinal when its name is `<set name>-<n>`; -1 otherwise.
int64_t PodOrdinal(const client::Object& pod);
// The pod's name says it belongs to `set`.
bool IsMemberOf(const client::Object& set, const client::Object& pod);
// start <= ordinal < start + replicas.
bool OrdinalInRange(const client::Object& set, int64_t ordinal);

// "<claim template name>-<set name>-<ordinal>".
std::string ClaimName(const client::Object& set, const std::string& template_name, int64_t ordinal);
// The PersistentVolumeClaims pod `ordinal` uses, one per volumeClaimTemplate, in template order:
// the template's metadata (labels with the selector's matchLabels added) and spec, the claim name
// and namespace. Retention ownerReferences are not set here (see ClaimOwnerRefs).
std::vector<client::Object> ClaimsForOrdinal(const client::Object& set, int64_t ordinal);

// A new pod for `ordinal` from `set`'s template (which the caller may have replaced with a
// revision's): labels/annotations/finalizers of the template, the controller reference, name,
// namespace, identity labels, hostname, subdomain (spec.serviceName) and one
// persistentVolumeClaim volume per claim template (replacing template volumes of the same name).
client::Object NewStatefulSetPod(const client::Object& set, int64_t ordinal);

// Name, namespace and identity labels are what `set` gives this ordinal.
bool IdentityMatches(const client::Object& set, const client::Object& pod);
// Every claim template has a pod volume of its name referencing the right claim.
bool StorageMatches(const client::Object& set, const client::Object& pod);
// A merge patch (with resourceVersion precondition) that puts the identity labels right.
std::string IdentityLabelsPatch(const client::Object& set, const client::Object& pod);

// spec.persistentVolumeClaimRetentionPolicy: Delete for whenDeleted / whenScaled (else Retain).
struct ClaimRetentionPolicy {
  bool delete_when_deleted = false;
  bool delete_when_scaled = false;
};
ClaimRetentionPolicy RetentionPolicyOf(const client::Object& set);

// The claim's metadata.ownerReferences as the retention policy wants them for `pod` (upstream's
// updateClaimOwnerRefForSetAndPod): a reference to the set when whenDeleted=Delete (dropped for a
// scaled-down pod under whenScaled=Delete), a reference to the pod when whenScaled=Delete and the
// pod's ordinal is outside the set's range; other references kept. nullopt when nothing changes.
// `pod` may be nullptr (a pod not created yet).
std::optional<boost::json::array> ClaimOwnerRefs(const client::Object& claim,
                                                 const client::Object& set,
                                                 const client::Object* pod);
// A claim still references an earlier pod of this name (another uid, or any uid when `pod_uid` is
// empty), so the garbage collector is about to delete it.
bool ClaimHasStalePodRef(const client::Object& claim, const std::string& pod_name,
                         const std::string& pod_uid);

}  // namespace kc::controllers
