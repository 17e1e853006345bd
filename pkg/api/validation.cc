// Dispatch of ValidateObject / ValidateUpdate to the per-kind validators.
#include "pkg/api/validation.h"

#include <set>
#include <string_view>

#include "pkg/api/validation_internal.h"

namespace kc::api {
namespace {

namespace v = validation;

using CreateFn = v::ErrorList (*)(const ResourceInfo&, const boost::json::object&);
using UpdateFn = v::ErrorList (*)(const ResourceInfo&, const boost::json::object&,
                                  const boost::json::object&);

struct KindValidators {
  std::string_view group;
  std::string_view kind;
  CreateFn create;
  UpdateFn update;  // nullptr: metadata update rules only
};

constexpr KindValidators kValidators[] = {
    {"", "Pod", v::ValidatePod, v::ValidatePodUpdate},
    {"", "PodTemplate", v::ValidatePodTemplate, nullptr},
    {"", "ReplicationController", v::ValidateReplicationController, nullptr},
    {"", "Service", v::ValidateService, v::ValidateServiceUpdate},
    {"", "Endpoints", v::ValidateEndpoints, nullptr},
    {"", "ConfigMap", v::ValidateConfigMap, v::ValidateConfigMapUpdate},
    {"", "Secret", v::ValidateSecret, v::ValidateSecretUpdate},
    {"", "ServiceAccount", v::ValidateMetaOnly, nullptr},
    {"", "Namespace", v::ValidateNamespace, nullptr},
    {"", "Node", v::ValidateNode, v::ValidateNodeUpdate},
    {"", "Event", v::ValidateCoreEvent, nullptr},
    {"", "PersistentVolumeClaim", v::ValidatePersistentVolumeClaim,
     v::ValidatePersistentVolumeClaimUpdate},
    {"", "PersistentVolume", v::ValidatePersistentVolume, v::ValidatePersistentVolumeUpdate},
    {"", "ResourceQuota", v::ValidateResourceQuota, v::ValidateResourceQuotaUpdate},
    {"", "LimitRange", v::ValidateLimitRange, nullptr},
    {"apps", "Deployment", v::ValidateDeployment, v::ValidateSelectorUpdate},
    {"apps", "ReplicaSet", v::ValidateReplicaSet, v::ValidateSelectorUpdate},
    {"apps", "DaemonSet", v::ValidateDaemonSet, v::ValidateSelectorUpdate},
    {"apps", "StatefulSet", v::ValidateStatefulSet, v::ValidateStatefulSetUpdate},
    {"apps", "ControllerRevision", v::ValidateControllerRevision,
     v::ValidateControllerRevisionUpdate},
    {"batch", "Job", v::ValidateJob, v::ValidateJobUpdate},
    {"batch", "CronJob", v::ValidateCronJob, nullptr},
    {"autoscaling", "HorizontalPodAutoscaler", v::ValidateHorizontalPodAutoscaler, nullptr},
    {"coordination.k8s.io", "Lease", v::ValidateLease, nullptr},
    {"discovery.k8s.io", "EndpointSlice", v::ValidateEndpointSlice, v::ValidateEndpointSliceUpdate},
    {"events.k8s.io", "Event", v::ValidateEventsV1Event, nullptr},
    {"networking.k8s.io", "Ingress", v::ValidateIngress, nullptr},
    {"policy", "PodDisruptionBudget", v::ValidatePodDisruptionBudget, nullptr},
    {"rbac.authorization.k8s.io", "Role", v::ValidateRole, nullptr},
    {"rbac.authorization.k8s.io", "ClusterRole", v::ValidateRole, nullptr},
    {"rbac.authorization.k8s.io", "RoleBinding", v::ValidateRoleBinding,
     v::ValidateRoleBindingUpdate},
    {"rbac.authorization.k8s.io", "ClusterRoleBinding", v::ValidateRoleBinding,
     v::ValidateRoleBindingUpdate},
};

const KindValidators* Find(const ResourceInfo& ri) {
  for (const auto& kv : kValidators) {
    if (kv.group == ri.group && kv.kind == ri.kind) return &kv;
  }
  return nullptr;
}

// Upstream's aggregate drops errors whose full text repeats.
std::vector<StatusCause> Dedupe(v::ErrorList errs) {
  std::vector<StatusCause> out;
  std::set<std::string> seen;
  for (auto& e : errs) {
    if (seen.insert(e.field + "\x1f" + e.message).second) out.push_back(std::move(e));
  }
  return out;
}

}  // namespace

std::vector<StatusCause> ValidateObject(const ResourceInfo& ri, const boost::json::object& obj) {
  const KindValidators* kv = Find(ri);
  // Kinds without specific rules (e.g. custom resources) get the generic metadata checks.
  return Dedupe(kv ? kv->create(ri, obj) : v::ValidateObjectMeta(ri, obj));
}

std::vector<StatusCause> ValidateUpdate(const ResourceInfo& ri, const boost::json::object& obj,
                                        const boost::json::object& old) {
  const KindValidators* kv = Find(ri);
  if (kv && kv->update) return Dedupe(kv->update(ri, obj, old));
  return Dedupe(v::ValidateObjectMetaUpdate(obj, old));
}

}  // namespace kc::api
