#include "pkg/api/resource_info.h"

namespace kc::api {
namespace {

ResourceInfo R(std::string group, std::string version, std::string kind, std::string plural,
               bool namespaced, std::vector<std::string> short_names,
               std::vector<std::string> categories, bool status, bool scale,
               std::vector<std::string> extra = {}, Stability stability = Stability::kStable) {
  ResourceInfo r;
  r.group = std::move(group);
  r.version = std::move(version);
  r.kind = std::move(kind);
  r.plural = std::move(plural);
  r.singular.reserve(r.kind.size());
  for (char c : r.kind) r.singular.push_back(static_cast<char>(c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : c));
  r.namespaced = namespaced;
  r.short_names = std::move(short_names);
  r.categories = std::move(categories);
  r.has_status = status;
  r.has_scale = scale;
  r.extra_subresources = std::move(extra);
  r.stability = stability;
  return r;
}

std::vector<ResourceInfo> BuildCatalog() {
  const bool kNs = true, kCluster = false, kStatus = true, kNoStatus = false, kScale = true,
             kNoScale = false;
  std::vector<ResourceInfo> v;
  // core/v1
  v.push_back(R("", "v1", "Namespace", "namespaces", kCluster, {"ns"}, {}, kStatus, kNoScale,
                {"finalize"}));
  v.push_back(R("", "v1", "Pod", "pods", kNs, {"po"}, {"all"}, kStatus, kNoScale,
                {"binding", "eviction", "log", "exec", "attach", "portforward",
                 "ephemeralcontainers"}));
  v.push_back(R("", "v1", "Node", "nodes", kCluster, {"no"}, {}, kStatus, kNoScale));
  v.push_back(R("", "v1", "Service", "services", kNs, {"svc"}, {"all"}, kStatus, kNoScale));
  v.push_back(R("", "v1", "Endpoints", "endpoints", kNs, {"ep"}, {}, kNoStatus, kNoScale));
  v.back().singular = "endpoints";
  v.push_back(R("", "v1", "ConfigMap", "configmaps", kNs, {"cm"}, {}, kNoStatus, kNoScale));
  v.push_back(R("", "v1", "Secret", "secrets", kNs, {}, {}, kNoStatus, kNoScale));
  v.push_back(R("", "v1", "ServiceAccount", "serviceaccounts", kNs, {"sa"}, {}, kNoStatus,
                kNoScale, {"token"}));
  v.push_back(R("", "v1", "Event", "events", kNs, {"ev"}, {}, kNoStatus, kNoScale));
  v.push_back(R("", "v1", "ReplicationController", "replicationcontrollers", kNs, {"rc"}, {"all"},
                kStatus, kScale));
  v.push_back(R("", "v1", "PersistentVolume", "persistentvolumes", kCluster, {"pv"}, {}, kStatus,
                kNoScale));
  v.push_back(R("", "v1", "PersistentVolumeClaim", "persistentvolumeclaims", kNs, {"pvc"}, {},
                kStatus, kNoScale));
  v.push_back(R("", "v1", "ResourceQuota", "resourcequotas", kNs, {"quota"}, {}, kStatus,
                kNoScale));
  v.push_back(R("", "v1", "LimitRange", "limitranges", kNs, {"limits"}, {}, kNoStatus, kNoScale));
  v.push_back(R("", "v1", "PodTemplate", "podtemplates", kNs, {}, {}, kNoStatus, kNoScale));
  // apps/v1
  v.push_back(R("apps", "v1", "Deployment", "deployments", kNs, {"deploy"}, {"all"}, kStatus,
                kScale));
  v.push_back(R("apps", "v1", "ReplicaSet", "replicasets", kNs, {"rs"}, {"all"}, kStatus, kScale));
  v.push_back(R("apps", "v1", "StatefulSet", "statefulsets", kNs, {"sts"}, {"all"}, kStatus,
                kScale));
  v.push_back(R("apps", "v1", "DaemonSet", "daemonsets", kNs, {"ds"}, {"all"}, kStatus, kNoScale));
  v.push_back(R("apps", "v1", "ControllerRevision", "controllerrevisions", kNs, {}, {}, kNoStatus,
                kNoScale));
  // autoscaling
  v.push_back(R("autoscaling", "v2", "HorizontalPodAutoscaler", "horizontalpodautoscalers", kNs,
                {"hpa"}, {"all"}, kStatus, kNoScale));
  v.push_back(R("autoscaling", "v1", "HorizontalPodAutoscaler", "horizontalpodautoscalers", kNs,
                {"hpa"}, {"all"}, kStatus, kNoScale));
  // batch/v1
  v.push_back(R("batch", "v1", "Job", "jobs", kNs, {}, {"all"}, kStatus, kNoScale));
  v.push_back(R("batch", "v1", "CronJob", "cronjobs", kNs, {"cj"}, {"all"}, kStatus, kNoScale));
  // coordination, discovery, events, networking, policy, rbac
  v.push_back(R("coordination.k8s.io", "v1", "Lease", "leases", kNs, {}, {}, kNoStatus,
                kNoScale));
  v.push_back(R("discovery.k8s.io", "v1", "EndpointSlice", "endpointslices", kNs, {}, {},
                kNoStatus, kNoScale));
  v.push_back(R("events.k8s.io", "v1", "Event", "events", kNs, {"ev"}, {}, kNoStatus, kNoScale));
  v.push_back(R("networking.k8s.io", "v1", "Ingress", "ingresses", kNs, {"ing"}, {}, kStatus,
                kNoScale));
  v.push_back(R("policy", "v1", "PodDisruptionBudget", "poddisruptionbudgets", kNs, {"pdb"}, {},
                kStatus, kNoScale));
  v.push_back(R("rbac.authorization.k8s.io", "v1", "ClusterRole", "clusterroles", kCluster, {},
                {}, kNoStatus, kNoScale));
  v.push_back(R("rbac.authorization.k8s.io", "v1", "ClusterRoleBinding", "clusterrolebindings",
                kCluster, {}, {}, kNoStatus, kNoScale));
  v.push_back(R("rbac.authorization.k8s.io", "v1", "Role", "roles", kNs, {}, {}, kNoStatus,
                kNoScale));
  v.push_back(R("rbac.authorization.k8s.io", "v1", "RoleBinding", "rolebindings", kNs, {}, {},
                kNoStatus, kNoScale));
  return v;
}

}  // namespace

const std::vector<ResourceInfo>& BuiltinResources() {
  static const std::vector<ResourceInfo> catalog = BuildCatalog();
  return catalog;
}

const ResourceInfo* FindResource(std::string_view group, std::string_view version,
                                 std::string_view plural) {
  for (const auto& r : BuiltinResources()) {
    if (r.group == group && r.version == version && r.plural == plural) return &r;
  }
  return nullptr;
}

const ResourceInfo* FindKind(std::string_view group, std::string_view version,
                             std::string_view kind) {
  for (const auto& r : BuiltinResources()) {
    if (r.group == group && r.version == version && r.kind == kind) return &r;
  }
  return nullptr;
}

void SplitGroupVersion(std::string_view api_version, std::string* group, std::string* version) {
  auto slash = api_version.find('/');
  if (slash == std::string_view::npos) {
    group->clear();
    *version = std::string(api_version);
  } else {
    *group = std::string(api_version.substr(0, slash));
    *version = std::string(api_version.substr(slash + 1));
  }
}

}  // namespace kc::api
