// Helpers the workload controllers (ReplicaSet, ReplicationController, Deployment) share, after
// upstream's pkg/controller/controller_utils.go: pod state predicates, controller ownerReferences,
// adoption/release patches, the stable template hash behind pod-template-hash, int-or-percent
// values, and ControllerExpectations.
//
// Thread-safety: free functions over caller-owned values; ControllerExpectations is safe to use
// from any thread.
#pragma once

#include <boost/json/object.hpp>
#include <boost/json/value.hpp>
#include <chrono>
#include <cstdint>
#include <map>
#include <mutex>
#include <optional>
#include <set>
#include <string>

#include "pkg/api/status.h"
#include "pkg/client/client.h"
#include "pkg/controllers/object_meta.h"

namespace kc::controllers {

// Not Succeeded/Failed and not being deleted (upstream's IsPodActive).
bool IsPodActive(const client::Object& pod);
// The Ready condition is True.
bool IsPodReady(const client::Object& pod);
// Ready for at least `min_ready_seconds` (by the Ready condition's lastTransitionTime) at `now`.
bool IsPodAvailable(const client::Object& pod, int64_t min_ready_seconds,
                    std::chrono::system_clock::time_point now);
// lastTransitionTime of the Ready condition when it is True.
std::optional<std::chrono::system_clock::time_point> PodReadySince(const client::Object& pod);

// The ownerReference with controller=true, if any.
std::optional<OwnerRef> ControllerOf(const client::Object& obj);
// {apiVersion, kind, name, uid, controller: true, blockOwnerDeletion: true} naming `owner`.
boost::json::object ControllerRefFor(const client::Object& owner);

// Merge patches (with a resourceVersion precondition) that add `owner` as the controller of
// `obj`, or remove the reference with `owner_uid`.
std::string AdoptPatch(const client::Object& obj, const client::Object& owner);
std::string ReleasePatch(const client::Object& obj, const std::string& owner_uid);

// What ClaimObject decided for one object.
enum class ClaimAction { kIgnore, kOwned, kAdopt, kRelease };
// Upstream's ControllerRefManager rules: an object controlled by `owner` is kept while it
// matches and released when it stops matching; an orphan that matches is adopted unless either
// side is being deleted; anything controlled by someone else is ignored.
ClaimAction ClaimObject(const client::Object& obj, const client::Object& owner, bool matches);

// The JSON text of `v` with object members sorted by key (a stable form for hashing).
std::string CanonicalJson(const boost::json::value& v);
// Upstream's ComputeHash rendering: FNV-32a over the canonical template (plus the collision
// count when set), the decimal value encoded with the generateName alphabet, e.g. "6d4b75cb6d".
std::string ComputeTemplateHash(const boost::json::value& pod_template,
                                std::optional<int64_t> collision_count);

// An IntOrString value against `total`: ints as they are, "25%" scaled (rounded up or down).
// Missing → `def`. A malformed value is an error.
api::Result<int64_t> ScaledValue(const boost::json::value* v, int64_t total, bool round_up,
                                 int64_t def);

// Sets/removes a condition in `conditions` (status.conditions) the way upstream's
// SetDeploymentCondition/SetCondition do: nothing changes when the status and reason are the
// same; lastTransitionTime is kept when only the reason changes. Returns true on a change.
bool SetCondition(boost::json::array& conditions, const std::string& type,
                  const std::string& status, const std::string& reason, const std::string& message,
                  const std::string& now);
bool RemoveCondition(boost::json::array& conditions, const std::string& type);
const boost::json::object* FindCondition(const boost::json::array& conditions,
                                         const std::string& type);

// ControllerExpectations: what a controller is waiting to see in its informer after it created
// or deleted objects, so that a sync running before the cache caught up does not create or
// delete again (upstream's UIDTrackingControllerExpectations, deletions tracked by pod key).
// Expectations older than the timeout count as satisfied.
class ControllerExpectations {
 public:
  explicit ControllerExpectations(std::chrono::milliseconds timeout = std::chrono::minutes(5))
      : timeout_(timeout) {}

  void ExpectCreations(const std::string& key, int n);
  void ExpectDeletions(const std::string& key, const std::set<std::string>& pod_keys);
  void CreationObserved(const std::string& key);
  void DeletionObserved(const std::string& key, const std::string& pod_key);
  // True when nothing is pending for `key` (or no record exists, or it expired).
  bool Satisfied(const std::string& key) const;
  void Delete(const std::string& key);

 private:
  struct Record {
    int adds = 0;
    std::set<std::string> deletes;
    std::chrono::steady_clock::time_point at;
  };
  const std::chrono::milliseconds timeout_;
  mutable std::mutex mu_;
  std::map<std::string, Record> records_;  // guarded by mu_
};

}  // namespace kc::controllers
