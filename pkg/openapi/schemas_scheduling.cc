// core/v1 scheduling constraints: affinity, tolerations, topology spread.
#include "pkg/openapi/schema_sources.h"

namespace kc::openapi::internal {

std::string_view SchedulingSchemas() {
  return R"DSL(
package core.v1
Affinity Scheduling constraints relative to nodes and to other pods.
  nodeAffinity NodeAffinity Constraints on the nodes the pod may run on.
  podAffinity PodAffinity Constraints that co-locate the pod with other pods.
  podAntiAffinity PodAntiAffinity Constraints that keep the pod away from other pods.

NodeAffinity Node affinity rules.
  preferredDuringSchedulingIgnoredDuringExecution []PreferredSchedulingTerm Weighted preferences; nodes matching more weight score higher.
  requiredDuringSchedulingIgnoredDuringExecution NodeSelector Rules a node must satisfy for the pod to be scheduled there.

NodeSelector A union of node selector terms: a node matches if any term matches.
  nodeSelectorTerms! []NodeSelectorTerm The terms, ORed.

NodeSelectorTerm Requirements ANDed together. An empty term matches no node.
  matchExpressions []NodeSelectorRequirement Requirements on node labels.
  matchFields []NodeSelectorRequirement Requirements on node fields.

NodeSelectorRequirement A requirement on a node label or field.
  key! string The label key or field name.
  operator! string In, NotIn, Exists, DoesNotExist, Gt or Lt.
  values []string Values for In and NotIn; a single integer for Gt and Lt; empty for Exists and DoesNotExist.

PreferredSchedulingTerm A weighted node preference.
  preference! NodeSelectorTerm The node selector term.
  weight! int32 Weight in the range 1-100.

PodAffinity Inter-pod affinity rules.
  preferredDuringSchedulingIgnoredDuringExecution []WeightedPodAffinityTerm Weighted preferences.
  requiredDuringSchedulingIgnoredDuringExecution []PodAffinityTerm Terms that must all be met at scheduling time.

PodAntiAffinity Inter-pod anti-affinity rules.
  preferredDuringSchedulingIgnoredDuringExecution []WeightedPodAffinityTerm Weighted preferences.
  requiredDuringSchedulingIgnoredDuringExecution []PodAffinityTerm Terms that must all be met at scheduling time.

PodAffinityTerm Pods (selected by labels, in some namespaces) that this pod should, or should not, share a topology domain with.
  labelSelector meta.v1.LabelSelector Label query over the other pods.
  matchLabelKeys []string Label keys whose values are taken from this pod and added to labelSelector.
  mismatchLabelKeys []string Label keys whose values are taken from this pod and excluded via labelSelector.
  namespaceSelector meta.v1.LabelSelector Label query over namespaces to look for the pods in.
  namespaces []string Namespaces to look for the pods in; the pod's own namespace when both this and namespaceSelector are empty.
  topologyKey! string Node label key defining the topology domain, e.g. kubernetes.io/hostname.

WeightedPodAffinityTerm A weighted pod affinity term.
  podAffinityTerm! PodAffinityTerm The term.
  weight! int32 Weight in the range 1-100.

Toleration Lets the pod schedule onto (or stay on) nodes with a matching taint.
  effect string Taint effect to match: NoSchedule, PreferNoSchedule or NoExecute; all effects when empty.
  key string Taint key to match; with operator Exists and an empty key, every taint matches.
  operator string Exists or Equal (default).
  tolerationSeconds int64 For NoExecute: how long the pod stays bound after the taint appears.
  value string Taint value to match; empty with operator Exists.

TopologySpreadConstraint How matching pods spread across a topology.
  labelSelector meta.v1.LabelSelector Finds the pods to count in each domain.
  matchLabelKeys []string Label keys whose values are taken from the incoming pod to narrow the selection.
  maxSkew! int32 The largest allowed difference in matching pods between domains.
  minDomains int32 Minimum number of eligible domains.
  nodeAffinityPolicy string Honor (default) or Ignore the pod's node affinity when computing skew.
  nodeTaintsPolicy string Honor or Ignore (default) node taints when computing skew.
  topologyKey! string Node label key whose values define the domains.
  whenUnsatisfiable! string DoNotSchedule (default) or ScheduleAnyway.
)DSL";
}

}  // namespace kc::openapi::internal
