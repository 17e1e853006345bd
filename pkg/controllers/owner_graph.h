// OwnerGraph: the garbage collector's view of ownership across every watched resource. Nodes are
// keyed by uid; an edge runs from an owner's uid to each object whose metadata.ownerReferences
// names it. An owner that is referenced but has not been observed by an informer is a "virtual"
// node: it exists only to hold its dependents' edges.
//
// Upsert/Remove are fed by informer event handlers and return the uids whose state a worker
// should re-examine because of the change (a level-triggered sync decides what to do). The graph
// also remembers uids known to be absent (deleted, or confirmed missing by a GET) so the
// collector need not ask the API server again.
//
// Thread-safety: every method is safe to call from any thread (one internal mutex).
#pragma once

#include <cstddef>
#include <map>
#include <mutex>
#include <optional>
#include <set>
#include <string>
#include <unordered_map>
#include <unordered_set>
#include <vector>

#include "pkg/client/client.h"
#include "pkg/controllers/object_meta.h"

namespace kc::controllers {

// Where an observed object lives.
struct ObjectIdentity {
  client::ResourceRef resource;
  std::string kind;
  std::string ns;  // "" for cluster-scoped objects
  std::string name;
  std::string uid;
};

// One dependent of a node, as a worker sees it.
struct DependentInfo {
  ObjectIdentity id;
  bool observed = false;
  bool deleting = false;
  // The dependent's ownerReference to this node has blockOwnerDeletion: true.
  bool block_owner_deletion = false;
};

// A copy of one node, taken under the graph's lock.
struct NodeSnapshot {
  ObjectIdentity id;
  bool observed = false;
  bool deleting = false;
  std::vector<std::string> finalizers;
  std::vector<OwnerRef> owners;
  std::vector<DependentInfo> dependents;
};

// A node without its dependents, cheap to take for owner checks.
struct NodeSummary {
  ObjectIdentity id;
  bool observed = false;
  // Being deleted with the foregroundDeletion finalizer: waits for its blocking dependents.
  bool waiting_for_dependents = false;
  size_t num_dependents = 0;
};

class OwnerGraph {
 public:
  // Records the current state of an object of `res`. Returns uids to sync.
  std::vector<std::string> Upsert(const client::ResourceRef& res, const std::string& kind,
                                  const client::Object& obj);
  // Records that an object is gone. Returns uids to sync (its dependents, and owners that wait
  // for their dependents' deletion).
  std::vector<std::string> Remove(const client::Object& obj);

  std::optional<NodeSnapshot> Get(const std::string& uid) const;
  std::optional<NodeSummary> Summary(const std::string& uid) const;
  size_t Size() const;

  void MarkAbsent(const std::string& uid);
  bool KnownAbsent(const std::string& uid) const;

 private:
  struct Node {
    ObjectIdentity id;
    bool observed = false;
    bool deleting = false;
    std::vector<std::string> finalizers;
    std::vector<OwnerRef> owners;
    std::set<std::string> dependents;
  };

  bool WaitsForDependents(const Node& n) const {
    return n.observed && n.deleting && HasFinalizer(n.finalizers, kForegroundFinalizer);
  }
  // Drops the edge owner→dependent; removes a virtual owner left without dependents.
  void UnlinkLocked(const std::string& owner_uid, const std::string& dependent_uid,
                    std::vector<std::string>* to_sync);
  void MarkAbsentLocked(const std::string& uid);

  mutable std::mutex mu_;
  // Guarded by mu_.
  std::unordered_map<std::string, Node> nodes_;
  std::unordered_set<std::string> absent_;
};

}  // namespace kc::controllers
