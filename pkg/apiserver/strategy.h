// Strategy: what a kind adds to the generic Registry — the Kubernetes "RESTCreateStrategy /
// RESTUpdateStrategy" hooks, looked up by kind. The generic part (registry.cc) owns keys,
// resourceVersion checks, list/watch, graceful deletion and finalizers; a strategy only says how
// this kind's status and generation behave, which fields a field selector may use, and how the
// kind initialises itself on create.
//
// Thread-safety: stateless; safe from any thread.
#pragma once

#include <boost/json/object.hpp>
#include <string>
#include <string_view>
#include <vector>

#include "pkg/api/resource_info.h"

namespace kc::apiserver {

// True if the kind keeps metadata.generation (Deployment, ReplicaSet, Job, ...).
bool ManagesGeneration(const api::ResourceInfo& ri);

// Create: reset status to the kind's initial status, set generation, kind-specific mutation
// (Pod: phase Pending + qosClass; Namespace: phase Active + spec.finalizers).
void PrepareForCreate(const api::ResourceInfo& ri, boost::json::object& obj);

// Update of the main resource: status copied from old (when the kind has a status
// subresource), generation bumped when spec (Deployment: or annotations) changed.
void PrepareForUpdate(const api::ResourceInfo& ri, boost::json::object& obj,
                      const boost::json::object& old);

// Update through /status: everything but status (and metadata labels/annotations) restored
// from old.
void PrepareForStatusUpdate(const api::ResourceInfo& ri, boost::json::object& obj,
                            const boost::json::object& old);

// Field-selector fields this kind supports besides metadata.name and metadata.namespace.
bool SupportsFieldSelector(const api::ResourceInfo& ri, std::string_view field);

// The path in the stored object that supported field selector label `field` of `ri` reads: the
// label itself, except for Events ("source" reads source.component; events.k8s.io/v1's
// regarding.* and reportingController read the stored core/v1 involvedObject.* and
// reportingComponent).
std::string_view FieldSelectorPath(const api::ResourceInfo& ri, std::string_view field);

// Upstream's kind-specific default propagation when DeleteOptions names none: "Orphan" for
// Job and ReplicationController, else "Background".
std::string DefaultPropagation(const api::ResourceInfo& ri);

// Pods and a few others return the object (not a Status) from DELETE.
bool ReturnsDeletedObject(const api::ResourceInfo& ri);

// Computes a Pod's status.qosClass (BestEffort, Burstable, Guaranteed) from its spec.
std::string ComputeQosClass(const boost::json::object& pod);

}  // namespace kc::apiserver
