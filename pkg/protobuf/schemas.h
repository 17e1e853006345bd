// The schema tables shared between files (one namespace per Kubernetes API package, mirroring
// the generated.proto packages) and the table of top-level kinds the decoder accepts.
//
// Thread-safety: all functions return immutable constants.
#pragma once

#include <string_view>

#include "pkg/protobuf/schema.h"

namespace kc::protobuf {

namespace meta {  // k8s.io/apimachinery/pkg/apis/meta/v1
const MessageSchema& ObjectMeta();
const MessageSchema& LabelSelector();
const MessageSchema& LabelSelectorRequirement();
const MessageSchema& FieldSelectorRequirement();
const MessageSchema& Condition();
const MessageSchema& DeleteOptions();
}  // namespace meta

namespace core {  // k8s.io/api/core/v1
const MessageSchema& ObjectReference();
const MessageSchema& LocalObjectReference();
const MessageSchema& TypedLocalObjectReference();
const MessageSchema& PodTemplateSpec();
const MessageSchema& PodSpec();
const MessageSchema& PersistentVolumeClaim();
// Shared between the core schema files.
const MessageSchema& Container();
const MessageSchema& EphemeralContainer();
const MessageSchema& ResourceRequirements();
const MessageSchema& PodSecurityContext();
const MessageSchema& ObjectFieldSelector();
const MessageSchema& ResourceFieldSelector();
const MessageSchema& Volume();
// Top-level kinds.
const MessageSchema& Namespace();
const MessageSchema& ConfigMap();
const MessageSchema& Secret();
const MessageSchema& Service();
const MessageSchema& ServiceAccount();
const MessageSchema& ResourceQuota();
const MessageSchema& LimitRange();
const MessageSchema& Pod();
const MessageSchema& ReplicationController();
}  // namespace core

namespace apps {  // k8s.io/api/apps/v1
const MessageSchema& Deployment();
const MessageSchema& ReplicaSet();
const MessageSchema& DaemonSet();
const MessageSchema& StatefulSet();
}  // namespace apps

namespace batch {  // k8s.io/api/batch/v1
const MessageSchema& Job();
const MessageSchema& CronJob();
}  // namespace batch

namespace rbac {  // k8s.io/api/rbac/v1
const MessageSchema& Role();
const MessageSchema& ClusterRole();
const MessageSchema& RoleBinding();
const MessageSchema& ClusterRoleBinding();
}  // namespace rbac

namespace policy {  // k8s.io/api/policy/v1
const MessageSchema& PodDisruptionBudget();
const MessageSchema& Eviction();
}  // namespace policy

namespace networking {  // k8s.io/api/networking/v1
const MessageSchema& Ingress();
const MessageSchema& IngressClass();
const MessageSchema& NetworkPolicy();
}  // namespace networking

namespace autoscaling_v1 {  // k8s.io/api/autoscaling/v1
const MessageSchema& HorizontalPodAutoscaler();
}  // namespace autoscaling_v1

namespace autoscaling_v2 {  // k8s.io/api/autoscaling/v2
const MessageSchema& HorizontalPodAutoscaler();
}  // namespace autoscaling_v2

namespace scheduling {  // k8s.io/api/scheduling/v1
const MessageSchema& PriorityClass();
}  // namespace scheduling

namespace authorization {  // k8s.io/api/authorization/v1
const MessageSchema& SelfSubjectAccessReview();
const MessageSchema& SelfSubjectRulesReview();
const MessageSchema& SubjectAccessReview();
const MessageSchema& LocalSubjectAccessReview();
}  // namespace authorization

namespace authentication {  // k8s.io/api/authentication/v1
const MessageSchema& SelfSubjectReview();
const MessageSchema& TokenRequest();
const MessageSchema& TokenReview();
}  // namespace authentication

namespace certificates {  // k8s.io/api/certificates/v1
const MessageSchema& CertificateSigningRequest();
}  // namespace certificates

// The schema of a top-level object, or nullptr when (apiVersion, kind) is not supported.
// Kind "DeleteOptions" is accepted with any apiVersion (typed clients encode it with the
// group/version of the resource being deleted).
const MessageSchema* FindKindSchema(std::string_view api_version, std::string_view kind);

}  // namespace kc::protobuf
