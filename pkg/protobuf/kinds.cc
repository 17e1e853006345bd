// The top-level kinds the protobuf decoder accepts, by apiVersion and kind.
#include <string_view>

#include "pkg/protobuf/schemas.h"

namespace kc::protobuf {
namespace {

struct KindEntry {
  std::string_view api_version;
  std::string_view kind;
  SchemaRef schema;
};

constexpr KindEntry kKinds[] = {
    {"v1", "Namespace", core::Namespace},
    {"v1", "ConfigMap", core::ConfigMap},
    {"v1", "Secret", core::Secret},
    {"v1", "Service", core::Service},
    {"v1", "ServiceAccount", core::ServiceAccount},
    {"v1", "ResourceQuota", core::ResourceQuota},
    {"v1", "LimitRange", core::LimitRange},
    {"v1", "Pod", core::Pod},
    {"v1", "ReplicationController", core::ReplicationController},
    {"v1", "PersistentVolumeClaim", core::PersistentVolumeClaim},
    {"apps/v1", "Deployment", apps::Deployment},
    {"apps/v1", "ReplicaSet", apps::ReplicaSet},
    {"apps/v1", "DaemonSet", apps::DaemonSet},
    {"apps/v1", "StatefulSet", apps::StatefulSet},
    {"batch/v1", "Job", batch::Job},
    {"batch/v1", "CronJob", batch::CronJob},
    {"rbac.authorization.k8s.io/v1", "Role", rbac::Role},
    {"rbac.authorization.k8s.io/v1", "ClusterRole", rbac::ClusterRole},
    {"rbac.authorization.k8s.io/v1", "RoleBinding", rbac::RoleBinding},
    {"rbac.authorization.k8s.io/v1", "ClusterRoleBinding", rbac::ClusterRoleBinding},
    {"policy/v1", "PodDisruptionBudget", policy::PodDisruptionBudget},
    {"policy/v1", "Eviction", policy::Eviction},
    {"networking.k8s.io/v1", "Ingress", networking::Ingress},
    {"networking.k8s.io/v1", "IngressClass", networking::IngressClass},
    {"networking.k8s.io/v1", "NetworkPolicy", networking::NetworkPolicy},
    {"autoscaling/v1", "HorizontalPodAutoscaler", autoscaling_v1::HorizontalPodAutoscaler},
    {"autoscaling/v2", "HorizontalPodAutoscaler", autoscaling_v2::HorizontalPodAutoscaler},
    {"scheduling.k8s.io/v1", "PriorityClass", scheduling::PriorityClass},
    {"authorization.k8s.io/v1", "SelfSubjectAccessReview",
     authorization::SelfSubjectAccessReview},
    {"authorization.k8s.io/v1", "SelfSubjectRulesReview", authorization::SelfSubjectRulesReview},
    {"authorization.k8s.io/v1", "SubjectAccessReview", authorization::SubjectAccessReview},
    {"authorization.k8s.io/v1", "LocalSubjectAccessReview",
     authorization::LocalSubjectAccessReview},
    {"authentication.k8s.io/v1", "SelfSubjectReview", authentication::SelfSubjectReview},
    {"authentication.k8s.io/v1", "TokenRequest", authentication::TokenRequest},
    {"authentication.k8s.io/v1", "TokenReview", authentication::TokenReview},
    {"certificates.k8s.io/v1", "CertificateSigningRequest",
     certificates::CertificateSigningRequest},
};

}  // namespace

const MessageSchema* FindKindSchema(std::string_view api_version, std::string_view kind) {
  if (kind == "DeleteOptions") return &meta::DeleteOptions();
  for (const KindEntry& e : kKinds) {
    if (e.api_version == api_version && e.kind == kind) return &e.schema();
  }
  return nullptr;
}

}  // namespace kc::protobuf
