#include "pkg/api/patch_meta.h"

namespace kc::api {

namespace {

struct KindRoot {
  std::string_view group;
  std::string_view kind;
};

// Kinds whose root type has its own rows below (root type name = kind).
// clang-format off
constexpr KindRoot kKinds[] = {
    {"", "Pod"}, {"", "PodTemplate"}, {"", "ReplicationController"}, {"", "Node"},
    {"", "Service"}, {"", "Namespace"}, {"", "PersistentVolumeClaim"}, {"", "ServiceAccount"},
    {"apps", "Deployment"}, {"apps", "ReplicaSet"}, {"apps", "StatefulSet"},
    {"apps", "DaemonSet"}, {"batch", "Job"}, {"batch", "CronJob"},
    {"policy", "PodDisruptionBudget"}, {"autoscaling", "HorizontalPodAutoscaler"},
};
// clang-format on

// Row builders, named for the struct tags they stand for.
constexpr PatchField Typed(std::string_view type, std::string_view field, std::string_view vt) {
  return {type, field, vt, false, false, ""};
}
constexpr PatchField Merge(std::string_view type, std::string_view field, std::string_view key,
                           std::string_view vt = "") {
  return {type, field, vt, true, false, key};
}
constexpr PatchField MergeRetain(std::string_view type, std::string_view field,
                                 std::string_view key) {
  return {type, field, "", true, true, key};
}
constexpr PatchField Retain(std::string_view type, std::string_view field) {
  return {type, field, "", false, true, ""};
}

constexpr PatchField kFields[] = {
    // metav1.ObjectMeta, reached from every root type and template.
    Merge("ObjectMeta", "ownerReferences", "uid"),
    Merge("ObjectMeta", "finalizers", ""),
    // The pod: template, spec, containers, status.
    Typed("PodTemplateSpec", "metadata", "ObjectMeta"),
    Typed("PodTemplateSpec", "spec", "PodSpec"),
    MergeRetain("PodSpec", "volumes", "name"),
    Merge("PodSpec", "initContainers", "name", "Container"),
    Merge("PodSpec", "containers", "name", "Container"),
    Merge("PodSpec", "ephemeralContainers", "name", "Container"),
    Merge("PodSpec", "imagePullSecrets", "name"),
    Merge("PodSpec", "hostAliases", "ip"),
    Merge("PodSpec", "topologySpreadConstraints", "topologyKey"),
    MergeRetain("PodSpec", "resourceClaims", "name"),
    Merge("PodSpec", "schedulingGates", "name"),
    Merge("Container", "ports", "containerPort"),
    Merge("Container", "env", "name"),
    Merge("Container", "volumeMounts", "mountPath"),
    Merge("Container", "volumeDevices", "devicePath"),
    Merge("PodStatus", "conditions", "type"),
    Merge("PodStatus", "podIPs", "ip"),
    Merge("PodStatus", "hostIPs", "ip"),
    MergeRetain("PodStatus", "resourceClaimStatuses", "name"),
    // Kinds, and the path from each to its PodTemplateSpec. "WorkloadSpec" stands for every spec
    // whose only rule-carrying field is `template`; "ConditionsStatus" for every status whose only
    // one is `conditions` merged by type.
    Typed("Pod", "spec", "PodSpec"),
    Typed("Pod", "status", "PodStatus"),
    Typed("PodTemplate", "template", "PodTemplateSpec"),
    Typed("ReplicationController", "spec", "WorkloadSpec"),
    Typed("ReplicationController", "status", "ConditionsStatus"),
    Typed("Deployment", "spec", "DeploymentSpec"),
    Typed("Deployment", "status", "ConditionsStatus"),
    Typed("DeploymentSpec", "template", "PodTemplateSpec"),
    Retain("DeploymentSpec", "strategy"),
    Typed("ReplicaSet", "spec", "WorkloadSpec"),
    Typed("ReplicaSet", "status", "ConditionsStatus"),
    Typed("StatefulSet", "spec", "WorkloadSpec"),
    Typed("StatefulSet", "status", "ConditionsStatus"),
    Typed("DaemonSet", "spec", "WorkloadSpec"),
    Typed("DaemonSet", "status", "ConditionsStatus"),
    Typed("Job", "spec", "WorkloadSpec"),
    Typed("Job", "status", "ConditionsStatus"),
    Typed("CronJob", "spec", "CronJobSpec"),
    Typed("CronJobSpec", "jobTemplate", "JobTemplateSpec"),
    Typed("JobTemplateSpec", "metadata", "ObjectMeta"),
    Typed("JobTemplateSpec", "spec", "WorkloadSpec"),
    Typed("WorkloadSpec", "template", "PodTemplateSpec"),
    Merge("ConditionsStatus", "conditions", "type"),
    Typed("Node", "spec", "NodeSpec"),
    Typed("Node", "status", "NodeStatus"),
    Merge("NodeSpec", "podCIDRs", ""),
    Merge("NodeStatus", "conditions", "type"),
    Merge("NodeStatus", "addresses", "type"),
    Typed("Service", "spec", "ServiceSpec"),
    Typed("Service", "status", "ConditionsStatus"),
    Merge("ServiceSpec", "ports", "port"),
    Typed("Namespace", "status", "ConditionsStatus"),
    Typed("PersistentVolumeClaim", "status", "ConditionsStatus"),
    Merge("ServiceAccount", "secrets", "name"),
    Typed("PodDisruptionBudget", "status", "ConditionsStatus"),
    Typed("HorizontalPodAutoscaler", "status", "ConditionsStatus"),
};

constexpr PatchField kObjectMetadata = Typed("", "metadata", "ObjectMeta");

bool IsRootType(std::string_view type) {
  if (type == "Object") return true;
  for (const KindRoot& k : kKinds) {
    if (k.kind == type) return true;
  }
  return false;
}

}  // namespace

std::string_view PatchRootType(std::string_view group, std::string_view kind) {
  for (const KindRoot& k : kKinds) {
    if (k.group == group && k.kind == kind) return k.kind;
  }
  return "Object";
}

const PatchField* LookupPatchField(std::string_view type, std::string_view field) {
  if (type.empty()) return nullptr;
  for (const PatchField& f : kFields) {
    if (f.type == type && f.field == field) return &f;
  }
  if (field == "metadata" && IsRootType(type)) return &kObjectMetadata;
  return nullptr;
}

}  // namespace kc::api
