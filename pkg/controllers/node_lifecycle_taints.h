// The taint and toleration rules of the node lifecycle controller, after upstream's
// nodelifecycle (TaintNodesByCondition, taint-based eviction), tainteviction and the
// DefaultTolerationSeconds admission plugin:
//  - node conditions and spec.unschedulable map to NoSchedule taints
//    (Ready False → not-ready, Ready Unknown → unreachable, MemoryPressure/DiskPressure/
//    PIDPressure/NetworkUnavailable True → memory-/disk-/pid-pressure, network-unavailable,
//    spec.unschedulable → unschedulable);
//  - Ready False / Unknown map to the NoExecute taint not-ready / unreachable (mutually
//    exclusive);
//  - a pod on a node with NoExecute taints is evicted at once when a taint is not tolerated,
//    after the smallest tolerationSeconds of the tolerations used, or never.
//
// Thread-safety: free functions over caller-owned values.
#pragma once

#include <boost/json/array.hpp>
#include <boost/json/object.hpp>
#include <cstdint>
#include <optional>
#include <string>

#include "pkg/client/client.h"

namespace kc::controllers {

inline constexpr const char kTaintNodeNotReady[] = "node.kubernetes.io/not-ready";
inline constexpr const char kTaintNodeUnreachable[] = "node.kubernetes.io/unreachable";
inline constexpr const char kTaintNodeUnschedulable[] = "node.kubernetes.io/unschedulable";
inline constexpr const char kTaintNodeMemoryPressure[] = "node.kubernetes.io/memory-pressure";
inline constexpr const char kTaintNodeDiskPressure[] = "node.kubernetes.io/disk-pressure";
inline constexpr const char kTaintNodePIDPressure[] = "node.kubernetes.io/pid-pressure";
inline constexpr const char kTaintNodeNetworkUnavailable[] =
    "node.kubernetes.io/network-unavailable";
inline constexpr const char kTaintNodeOutOfService[] = "node.kubernetes.io/out-of-service";
inline constexpr const char kEffectNoSchedule[] = "NoSchedule";
inline constexpr const char kEffectNoExecute[] = "NoExecute";

// The condition of `type` in status.conditions, nullptr when absent.
const boost::json::object* FindNodeCondition(const client::Object& node, const std::string& type);
// Its status ("True", "False", "Unknown"), "" when absent.
std::string NodeConditionStatus(const client::Object& node, const std::string& type);

// What to do with the not-ready / unreachable NoExecute taints of a node.
enum class NoExecuteMode {
  kNormal,  // follow the Ready condition: add, swap or remove
  kHold,    // evictions paused (disrupted zone): swap or remove existing ones, add none
  kRemove,  // every zone is fully disrupted: remove both
};

// The spec.taints the controller wants for `node`: its taints with the controller-managed
// NoSchedule and NoExecute taints reconciled. Taints are matched by key and effect; kept ones
// keep their value and timeAdded, added ones get timeAdded `now` (RFC 3339). nullopt when
// nothing changes.
std::optional<boost::json::array> ReconcileNodeTaints(const client::Object& node,
                                                      NoExecuteMode mode, const std::string& now);

// The node's taints with effect NoExecute.
boost::json::array NoExecuteTaints(const client::Object& node);
// The node carries a taint with this key (any effect).
bool HasTaintKey(const client::Object& node, const std::string& key);

// spec.tolerations plus, unless the pod already tolerates them, not-ready:NoExecute and
// unreachable:NoExecute for `default_seconds` (upstream's DefaultTolerationSeconds admission,
// which kcluster's API server does not run). `default_seconds` < 0 adds nothing.
boost::json::array EffectiveTolerations(const client::Object& pod, int64_t default_seconds);

// When a pod must leave a node with the given NoExecute taints.
struct EvictionPlan {
  enum Kind { kNone, kForever, kAfter } kind = kNone;  // no taints / tolerated forever / evict
  int64_t after_seconds = 0;                           // for kAfter; 0 = now
};
// Upstream's GetMatchingTolerations + getMinTolerationTime: each taint is matched by the first
// toleration tolerating it; an untolerated taint means now; else the smallest tolerationSeconds
// among the matched (<= 0 means now), forever when none of them has one.
EvictionPlan PlanEviction(const boost::json::array& no_execute_taints,
                          const boost::json::array& tolerations);

}  // namespace kc::controllers
