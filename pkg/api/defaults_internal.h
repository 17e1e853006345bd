// Internal interface between the defaulting dispatcher (defaults.cc) and the per-kind
// defaulters (defaults_pod.cc, defaults_workloads.cc, defaults_service.cc, defaults_misc.cc).
// Not part of the public API; see defaults.h.
//
// Thread-safety: functions over the object passed in; safe from any thread.
#pragma once

#include <boost/json/object.hpp>
#include <string_view>

#include "pkg/api/resource_info.h"

namespace kc::api::defaults {

namespace json = boost::json;

// ---- pods (defaults_pod.cc) ----
// PodSpec defaults for pods (is_pod: also the Pod-only ones) and templates.
void DefaultPodSpec(json::object& spec, bool is_pod);
// A PodTemplateSpec held at parent[key]: template metadata and spec defaults.
void DefaultPodTemplateAt(json::object& parent, std::string_view key);
void DefaultPod(json::object& obj);
// Rewrites every quantity of parent[key] in canonical form (optionally rounded up to milli).
void CanonicalizeResourceList(json::object& parent, std::string_view key, bool round_to_milli);

// ---- workloads (defaults_workloads.cc) ----
void DefaultDeployment(json::object& obj);
void DefaultReplicaSet(json::object& obj);
void DefaultReplicationController(json::object& obj);
void DefaultStatefulSet(json::object& obj);
void DefaultDaemonSet(json::object& obj);
void DefaultJob(json::object& obj);
void DefaultCronJob(json::object& obj);
void DefaultPodTemplate(json::object& obj);

// ---- services (defaults_service.cc) ----
void DefaultService(json::object& obj);
void DefaultEndpoints(json::object& obj);
void DefaultEndpointSlice(json::object& obj);

// ---- other kinds (defaults_misc.cc) ----
void DefaultNamespace(json::object& obj);
void DefaultSecret(json::object& obj);
void DefaultPersistentVolumeClaimSpec(json::object& pvc);  // spec + status of one claim
void DefaultPersistentVolume(json::object& obj);
void DefaultNode(json::object& obj);
void DefaultResourceQuota(json::object& obj);
void DefaultLimitRange(json::object& obj);
void DefaultHorizontalPodAutoscaler(const ResourceInfo& ri, json::object& obj);
void DefaultRoleBinding(json::object& obj);

}  // namespace kc::api::defaults
