// The status conditions a terminating Namespace carries while its content is deleted
// (upstream's NamespaceDeletionDiscoveryFailure, NamespaceDeletionGroupVersionParsingFailure,
// NamespaceDeletionContentFailure, NamespaceContentRemaining, NamespaceFinalizersRemaining), with
// upstream's reasons and messages, and merging them into a Namespace's status.
//
// Thread-safety: plain values and free functions.
#pragma once

#include <boost/json/object.hpp>
#include <map>
#include <string>
#include <vector>

namespace kc::controllers {

// What one content-deletion pass over a namespace found.
struct NamespaceContentReport {
  std::vector<std::string> errors;        // list/delete failures
  std::map<std::string, int> remaining;   // "<resource>.<group>" ("pods." for core) → objects
  std::map<std::string, int> finalizers;  // finalizer → remaining objects carrying it
};

struct NamespaceCondition {
  std::string type;
  std::string status;  // "True" / "False"
  std::string reason;
  std::string message;
};

// The five deletion conditions for a pass, in upstream's order.
std::vector<NamespaceCondition> DeletionConditions(const NamespaceContentReport& report);

// Writes `conditions` into ns.status.conditions, replacing entries of the same type and keeping
// their lastTransitionTime when the status did not change (else `now`). Returns whether the
// object changed.
bool MergeConditions(boost::json::object& ns, const std::vector<NamespaceCondition>& conditions,
                     const std::string& now);

}  // namespace kc::controllers
