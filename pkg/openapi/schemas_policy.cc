// policy/v1 PodDisruptionBudget, rbac.authorization.k8s.io/v1, coordination.k8s.io/v1 Lease and
// events.k8s.io/v1 Event.
#include "pkg/openapi/schema_sources.h"

namespace kc::openapi::internal {

std::string_view PolicySchemas() {
  return R"DSL(
package policy.v1
PodDisruptionBudget @policy/v1/PodDisruptionBudget Limits how many pods of a set may be down at once through voluntary disruptions such as evictions.
  spec PodDisruptionBudgetSpec Desired budget.
  status PodDisruptionBudgetStatus Current status. Read-only.

PodDisruptionBudgetSpec A disruption budget.
  maxUnavailable ios Pods that may be unavailable after an eviction, as a number or percentage.
  minAvailable ios Pods that must remain available after an eviction, as a number or percentage.
  selector meta.v1.LabelSelector Label query over the pods the budget covers.
  unhealthyPodEvictionPolicy string IfHealthyBudget (default) or AlwaysAllow: when unhealthy running pods may be evicted.

PodDisruptionBudgetStatus +open Status of a disruption budget.
  conditions []meta.v1.Condition Current conditions, e.g. DisruptionAllowed.
  currentHealthy! int32 Healthy pods now.
  desiredHealthy! int32 Minimum healthy pods wanted.
  disruptedPods {}time Pods being evicted, with the time the eviction was granted.
  disruptionsAllowed! int32 Disruptions allowed now.
  expectedPods! int32 Pods counted by the budget.
  observedGeneration int64 Generation most recently observed.

package rbac.v1
Role @rbac.authorization.k8s.io/v1/Role A set of permissions within one namespace.
  rules []PolicyRule The permissions.

ClusterRole @rbac.authorization.k8s.io/v1/ClusterRole A set of permissions, cluster-wide or for use in any namespace.
  aggregationRule AggregationRule Builds the rules from other ClusterRoles selected by label.
  rules []PolicyRule The permissions.

AggregationRule How a ClusterRole is aggregated.
  clusterRoleSelectors []meta.v1.LabelSelector Selectors over ClusterRoles whose rules are combined.

PolicyRule A permission: verbs allowed on resources or non-resource URLs.
  apiGroups []string API groups of the resources; "" is the core group, "*" any group.
  nonResourceURLs []string Non-resource URL paths, e.g. /healthz; only in ClusterRoles.
  resourceNames []string Names of the objects the rule is restricted to.
  resources []string Resources the rule applies to, e.g. pods or pods/log; "*" for all.
  verbs! []string Verbs allowed, e.g. get, list, watch, create; "*" for all.

RoleBinding @rbac.authorization.k8s.io/v1/RoleBinding Grants the permissions of a Role or ClusterRole to subjects within a namespace.
  roleRef! RoleRef The role granted. Immutable.
  subjects []Subject Users, groups and service accounts granted the role.

ClusterRoleBinding @rbac.authorization.k8s.io/v1/ClusterRoleBinding Grants the permissions of a ClusterRole to subjects cluster-wide.
  roleRef! RoleRef The ClusterRole granted. Immutable.
  subjects []Subject Users, groups and service accounts granted the role.

RoleRef The role of a binding.
  apiGroup! string API group of the role: rbac.authorization.k8s.io.
  kind! string Role or ClusterRole.
  name! string Name of the role.

Subject A user, group or service account.
  apiGroup string API group of the subject: "" for ServiceAccount, rbac.authorization.k8s.io for User and Group.
  kind! string User, Group or ServiceAccount.
  name! string Name of the subject.
  namespace string Namespace of a ServiceAccount subject.

package coordination.v1
Lease @coordination.k8s.io/v1/Lease A lease used for leader election and node heartbeats.
  spec LeaseSpec The lease.

LeaseSpec A lease.
  acquireTime microtime When the current holder acquired the lease.
  holderIdentity string Identity of the current holder.
  leaseDurationSeconds int32 Seconds candidates must wait before taking the lease over.
  leaseTransitions int32 Times the lease changed holder.
  preferredHolder string Holder the lease should move to (coordinated leader election).
  renewTime microtime When the holder last renewed the lease.
  strategy string Strategy for picking the leader (coordinated leader election).

package events.v1
Event @events.k8s.io/v1/Event A report of something that happened in the cluster.
  action string What action was taken or failed.
  deprecatedCount int32 Deprecated count, for core/v1 compatibility.
  deprecatedFirstTimestamp time Deprecated first timestamp, for core/v1 compatibility.
  deprecatedLastTimestamp time Deprecated last timestamp, for core/v1 compatibility.
  deprecatedSource core.v1.EventSource Deprecated source, for core/v1 compatibility.
  eventTime microtime When the event was first observed. Required.
  note string Human-readable description.
  reason string Short machine-readable reason.
  regarding core.v1.ObjectReference The object the event is about.
  related core.v1.ObjectReference A secondary object involved.
  reportingController string Controller that emitted the event, e.g. kubernetes.io/kubelet.
  reportingInstance string Instance of the controller, e.g. the node name.
  series EventSeries Data about a series of repeated events.
  type string Normal or Warning.

EventSeries A series of repeated events.
  count! int32 Occurrences in the series so far.
  lastObservedTime! microtime Time of the last occurrence.
)DSL";
}

}  // namespace kc::openapi::internal
