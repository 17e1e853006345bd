// The compiled-in schema texts, one per API area (format described in schema_registry.h).
// Field names follow the real Kubernetes 1.32 types; descriptions are short summaries.
#pragma once

#include <string_view>

namespace kc::openapi::internal {

std::string_view MetaSchemas();         // meta.v1: ObjectMeta, LabelSelector, Status, ...
std::string_view PodSchemas();          // core.v1 Pod, PodSpec, Container and friends
std::string_view SchedulingSchemas();   // core.v1 Affinity, Toleration, TopologySpreadConstraint
std::string_view VolumeSchemas();       // core.v1 Volume sources, PersistentVolume(Claim)
std::string_view CoreSchemas();         // core.v1 Namespace, Node, Service, ConfigMap, Secret, ...
std::string_view AppsSchemas();         // apps/v1
std::string_view BatchSchemas();        // batch/v1
std::string_view AutoscalingSchemas();  // autoscaling/v1, autoscaling/v2
std::string_view NetworkingSchemas();   // networking.k8s.io/v1, discovery.k8s.io/v1
std::string_view PolicySchemas();       // policy/v1, rbac/v1, coordination/v1, events/v1

}  // namespace kc::openapi::internal
