// Taints and tolerations as the scheduler reads them from Node.spec.taints and
// Pod.spec.tolerations, with upstream's matching rule (v1.Toleration.ToleratesTaint), plus the
// taints the node lifecycle controller would put on a node for its conditions
// (TaintNodesByCondition): a node that is not Ready carries node.kubernetes.io/not-ready (Ready
// False or missing) or node.kubernetes.io/unreachable (Ready Unknown) with effect NoSchedule, and
// pressure conditions give memory-pressure, disk-pressure, pid-pressure, network-unavailable.
// The node lifecycle controller (pkg/controllers) writes the same taints; the scheduler also
// derives them from the conditions so it never places a pod in the window before they appear.
//
// Thread-safety: plain value types and pure functions.
#pragma once

#include <boost/json/object.hpp>
#include <string>
#include <vector>

namespace kc::scheduler {

struct Taint {
  std::string key;
  std::string value;
  std::string effect;  // NoSchedule, PreferNoSchedule, NoExecute

  friend bool operator==(const Taint&, const Taint&) = default;
};

struct Toleration {
  std::string key;
  std::string op;  // "", Equal, Exists
  std::string value;
  std::string effect;  // "" = every effect

  bool Tolerates(const Taint& taint) const;
};

inline constexpr char kEffectNoSchedule[] = "NoSchedule";
inline constexpr char kEffectPreferNoSchedule[] = "PreferNoSchedule";
inline constexpr char kEffectNoExecute[] = "NoExecute";
inline constexpr char kTaintUnschedulable[] = "node.kubernetes.io/unschedulable";
inline constexpr char kTaintNotReady[] = "node.kubernetes.io/not-ready";
inline constexpr char kTaintUnreachable[] = "node.kubernetes.io/unreachable";

// spec.taints of a Node; malformed entries are skipped.
std::vector<Taint> NodeTaints(const boost::json::object& node);
// spec.tolerations of a Pod; malformed entries are skipped.
std::vector<Toleration> PodTolerations(const boost::json::object& pod);
// The NoSchedule taints implied by the node's status.conditions (see above).
std::vector<Taint> ConditionTaints(const boost::json::object& node);
// NodeTaints plus ConditionTaints that the node does not carry already.
std::vector<Taint> EffectiveTaints(const boost::json::object& node);

bool TolerationsTolerate(const std::vector<Toleration>& tolerations, const Taint& taint);

}  // namespace kc::scheduler
