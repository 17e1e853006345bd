// Which nodes a DaemonSet's pod belongs on, after upstream's daemon controller
// (NodeShouldRunDaemonPod and its predicates) and the core helpers it uses: taints and
// tolerations, the pod's required node affinity (spec.nodeSelector plus
// requiredDuringSchedulingIgnoredDuringExecution), the tolerations every daemon pod gets, and the
// node-name affinity that pins a daemon pod to its node.
//
// These are small copies of what pkg/scheduler also implements: the controllers library must not
// depend on the scheduler library.
//
// Thread-safety: free functions over caller-owned values.
#pragma once

#include <boost/json/array.hpp>
#include <boost/json/object.hpp>
#include <functional>
#include <string>

#include "pkg/client/client.h"

namespace kc::controllers {

// The label pods of a DaemonSet carry with the template generation
// (annotation deprecated.daemonset.template.generation).
inline constexpr const char kPodTemplateGenerationLabel[] = "pod-template-generation";
inline constexpr const char kTemplateGenerationAnnotation[] =
    "deprecated.daemonset.template.generation";

// Toleration.ToleratesTaint: effect and key (when set) equal; operator Exists, or Equal/"" with
// an equal value.
bool ToleratesTaint(const boost::json::object& toleration, const boost::json::object& taint);
// The first taint in `taints` that passes `filter` and no toleration tolerates; nullptr if none.
// Either list may be null.
const boost::json::object* FindUntoleratedTaint(
    const boost::json::array* taints, const boost::json::array* tolerations,
    const std::function<bool(const boost::json::object& taint)>& filter);

// One NodeSelectorTerm against `node`: every matchExpressions requirement (In, NotIn, Exists,
// DoesNotExist, Gt, Lt over labels) and matchFields requirement (metadata.name, In/NotIn) holds.
// A term without requirements, or with an unknown operator or field, matches nothing.
bool NodeSelectorTermMatches(const boost::json::object& term, const client::Object& node);
// The pod spec's spec.nodeSelector (every key=value) and required node affinity (any term) hold
// for `node`.
bool PodMatchesNodeAffinity(const boost::json::object& pod_spec, const client::Object& node);

// Adds (or replaces, when key/operator/value/effect equal) upstream's default daemon pod
// tolerations: not-ready and unreachable NoExecute; disk-pressure, memory-pressure, pid-pressure
// and unschedulable NoSchedule; network-unavailable NoSchedule for hostNetwork pods.
void AddDaemonPodTolerations(boost::json::object& pod_spec);
// Makes the required node affinity exactly one term with matchFields metadata.name In [node]
// (upstream's ReplaceDaemonSetPodNodeNameNodeAffinity); other affinity parts stay.
void SetDaemonPodNodeAffinity(boost::json::object& pod_spec, const std::string& node);
// The node a daemon pod is for: spec.nodeName, else the single metadata.name In [x] of its
// required node affinity. "" when neither says.
std::string DaemonPodTargetNode(const client::Object& pod);

// Whether `ds` should run a pod on `node` now, and whether an existing pod may keep running
// (taints that are NoSchedule-only block new pods but not running ones).
struct DaemonNodeFit {
  bool should_run = false;
  bool should_continue_running = false;
  bool operator==(const DaemonNodeFit&) const = default;
};
DaemonNodeFit NodeShouldRunDaemonPod(const client::Object& node, const client::Object& ds);

}  // namespace kc::controllers
