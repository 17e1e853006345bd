// Pod helpers of the node lifecycle controller and its pod GC: reading the node of a pod, and
// upstream's UpdatePodCondition for writing one status condition.
//
// Thread-safety: free functions over caller-owned values.
#pragma once

#include <boost/json/object.hpp>
#include <string>
#include <vector>

#include "pkg/client/client.h"

namespace kc::controllers {

// spec.nodeName ("" when unscheduled).
std::string PodNodeName(const client::Object& pod);
// For SharedInformer::AddIndex: a pod under its spec.nodeName (none when unscheduled).
std::vector<std::string> PodNodeNameIndexFunc(const client::Object& pod);

// Upstream's UpdatePodCondition on `status` (a pod's .status): the condition of cond["type"] is
// replaced (or appended). lastTransitionTime becomes `now`, or stays what it was when the status
// did not change. Returns false, leaving `status` alone, when status, reason, message and
// lastProbeTime are all unchanged.
bool UpdatePodCondition(boost::json::object& status, boost::json::object cond,
                        const std::string& now);

}  // namespace kc::controllers
