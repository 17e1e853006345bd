// FakeClient: an in-memory Client for unit tests of controllers, informers and agents.
//
// It keeps objects per (group, resource, namespace, name) with a global resourceVersion counter,
// and behaves like a small API server: uid/creationTimestamp/generation on create, generateName,
// optimistic concurrency on update (Conflict when metadata.resourceVersion is stale), the status
// subresource (a main update keeps the stored status of kinds with a status subresource; a
// status update changes only .status), merge / strategic-merge (treated as merge) / JSON / apply
// (merge, creating when missing) patches, delete with preconditions and finalizers
// (deletionTimestamp set, object removed when its last finalizer goes), pods/binding (sets
// spec.nodeName) and pods/eviction (deletes the pod), dry-run, label and field selectors on list
// and watch, paging, and watches fed from an event history (replay from a resourceVersion, 410
// once it was compacted, ADDED/DELETED when an object starts/stops matching the selectors).
//
// Every call is recorded as an Action for assertions, and reactors can inject errors.
//
// Thread-safety: safe to call concurrently from any thread.
#pragma once

#include <deque>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "pkg/client/client.h"

namespace kc::client {

class QueueWatchStream;

class FakeClient : public Client {
 public:
  struct Action {
    std::string verb;  // get, list, watch, create, update, patch, delete
    ResourceRef resource;
    std::string ns;
    std::string name;
    std::string subresource;
    Object object;  // create/update
    PatchType patch_type = PatchType::kMerge;
    std::string patch;
    ListOptions list_options;
    DeleteOptions delete_options;
  };
  // Returns a Status to fail the call with it, or nullopt to let it proceed.
  using Reactor = std::function<std::optional<api::Status>(const Action&)>;

  FakeClient();
  ~FakeClient() override;

  api::Result<Object> Get(const ResourceRef& res, const std::string& ns, const std::string& name,
                          const std::string& subresource = "") override;
  api::Result<ObjectList> List(const ResourceRef& res, const std::string& ns,
                               const ListOptions& opts) override;
  api::Result<std::unique_ptr<WatchStream>> Watch(const ResourceRef& res, const std::string& ns,
                                                  const ListOptions& opts) override;
  api::Result<Object> Create(const ResourceRef& res, const std::string& ns, const Object& obj,
                             const WriteOptions& opts = {}) override;
  api::Result<Object> Update(const ResourceRef& res, const std::string& ns, const Object& obj,
                             const WriteOptions& opts = {}) override;
  api::Result<Object> Patch(const ResourceRef& res, const std::string& ns,
                            const std::string& name, PatchType type, const std::string& patch,
                            const PatchOptions& opts = {}) override;
  api::Result<Object> Delete(const ResourceRef& res, const std::string& ns,
                             const std::string& name, const DeleteOptions& opts = {}) override;

  // --- Test helpers ---

  // Creates an object without recording an action or consulting reactors.
  api::Result<Object> Seed(const ResourceRef& res, const Object& obj);
  std::vector<Action> Actions() const;
  // Actions with this verb (and resource, when given).
  std::vector<Action> ActionsFor(const std::string& verb, const std::string& resource = "") const;
  void ClearActions();
  // `verb` and `resource` may be "*". Reactors run in the order added; the first Status wins.
  void AddReactor(const std::string& verb, const std::string& resource, Reactor reactor);

  // While silent, writes are not seen by watches at all (neither open ones nor replays):
  // simulates events a client missed, e.g. across an etcd compaction.
  void SetSilent(bool silent);
  // Ends every open watch with an ERROR 410 Expired event and drops the event history, so
  // watches from an older resourceVersion get 410 too.
  void ExpireWatches();
  // Ends every open watch cleanly, as a server timeout would.
  void CloseWatches();
  size_t OpenWatches() const;
  // The latest resourceVersion handed out.
  int64_t ResourceVersion() const;

 private:
  struct Watcher;
  struct HistoryEntry {
    int64_t rv = 0;
    std::string res_key;
    WatchEventType type = WatchEventType::kAdded;
    std::shared_ptr<const Object> obj;
    std::shared_ptr<const Object> prev;  // for MODIFIED: the state before
  };

  api::Status React(const Action& action);
  void Record(const Action& action);

  // Implementation under mu_.
  api::Result<Object> CreateLocked(const ResourceRef& res, const std::string& ns, Object obj,
                                   const WriteOptions& opts);
  // Writes `updated` over the stored object (already checked), with status-subresource rules,
  // generation bump, no-op detection and finalizer-driven removal.
  api::Result<Object> CommitUpdateLocked(const ResourceRef& res, const std::string& key,
                                         Object updated, const std::string& subresource,
                                         bool dry_run);
  api::Result<Object> DeleteLocked(const ResourceRef& res, const std::string& ns,
                                   const std::string& name, const DeleteOptions& opts);
  void EmitLocked(const std::string& res_key, WatchEventType type, const Object& obj,
                  const Object* prev);
  void Deliver(Watcher& w, const HistoryEntry& e);
  void PruneWatchersLocked();
  std::string NextRvLocked() { return std::to_string(++rv_); }

  mutable std::mutex mu_;
  // Guarded by mu_.
  std::map<std::string, Object> objects_;  // "group/resource/ns/name"
  int64_t rv_ = 0;
  std::deque<HistoryEntry> history_;
  int64_t oldest_watchable_rv_ = 0;  // a watch from an older RV gets 410
  std::vector<std::shared_ptr<Watcher>> watchers_;
  bool silent_ = false;
  std::vector<Action> actions_;
  std::vector<std::pair<std::pair<std::string, std::string>, Reactor>> reactors_;
};

}  // namespace kc::client
