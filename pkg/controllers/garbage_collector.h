// GarbageCollector: completes cascading deletion as upstream's garbage collector does.
//
// It watches every resource of the catalog (one shared informer per group+resource; events are
// ignored) and keeps an OwnerGraph from metadata.ownerReferences. Event handlers only update the
// graph and enqueue uids; workers run a level-triggered Sync(uid):
//  - an object being deleted with the `orphan` finalizer: remove the ownerReferences to it from
//    every dependent, then remove the finalizer (the API server then deletes the object);
//  - an object being deleted with the `foregroundDeletion` finalizer: its dependents get deleted
//    (through their own syncs); once no dependent with blockOwnerDeletion remains, remove the
//    finalizer;
//  - an object with owners: classify each owner as solid (exists), dangling (gone, or a different
//    uid under that name) or waiting (being deleted in the foreground). With a solid owner left,
//    drop references to dangling and waiting owners; otherwise delete the object — Foreground if
//    an owner waits and the object has dependents of its own, else Background (or the policy its
//    own finalizers already ask for).
// Existence of an owner comes from the graph when an informer observed it, else from a GET.
//
// Thread-safety: Start/Stop from one thread; informer handlers and workers run on their own
// threads; Sync may be called from any thread (tests call it directly).
#pragma once

#include <chrono>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "pkg/api/status.h"
#include "pkg/client/clock.h"
#include "pkg/client/informer_factory.h"
#include "pkg/client/work_queue.h"
#include "pkg/controllers/controller.h"
#include "pkg/controllers/controller_loop.h"
#include "pkg/controllers/owner_graph.h"

namespace kc::controllers {

struct GarbageCollectorOptions {
  std::chrono::milliseconds base_delay{5};
  std::chrono::milliseconds max_delay{60000};
  client::Clock* clock = nullptr;  // nullptr: the real clock
};

class GarbageCollector : public Controller {
 public:
  static constexpr const char kName[] = "garbagecollector";

  // Registers informers for every collectable resource with `factory` (which may be started
  // before or after). `client` and `factory` must outlive the collector.
  GarbageCollector(client::Client& client, client::SharedInformerFactory& factory,
                   GarbageCollectorOptions opts = {});
  ~GarbageCollector() override;

  const char* name() const override { return kName; }
  void Start(int workers) override;
  void Stop() override;

  // One level-triggered pass over the object with this uid.
  api::Status Sync(const std::string& uid);

  bool Running() const { return loop_.Running(); }
  const OwnerGraph& graph() const { return graph_; }
  // The resources the collector watches.
  const std::vector<client::ResourceRef>& resources() const { return resources_; }

 private:
  enum class OwnerState { kSolid, kDangling, kWaiting };

  void Enqueue(const std::vector<std::string>& uids);
  api::Status SyncOrphan(const NodeSnapshot& owner);
  api::Status SyncForeground(const NodeSnapshot& owner);
  api::Status SyncOwners(const NodeSnapshot& item);
  // The owner's state from the graph alone; nullopt when the graph cannot tell (not observed,
  // or observed under other coordinates than the reference names).
  std::optional<OwnerState> CachedOwnerState(const OwnerRef& ref, const api::ResourceInfo& info,
                                             const std::string& owner_ns) const;
  api::Result<OwnerState> ClassifyOwner(const OwnerRef& ref, const ObjectIdentity& dependent,
                                        bool dependent_namespaced);
  // Removes the ownerReferences with these uids from the object (re-reading on Conflict).
  api::Status RemoveOwnerRefs(const ObjectIdentity& id, const std::vector<std::string>& uids);
  api::Status RemoveFinalizer(const ObjectIdentity& id, const std::string& finalizer);
  api::Status DeleteObject(const ObjectIdentity& id, const std::string& policy);

  client::Client& client_;
  OwnerGraph graph_;
  client::WorkQueue queue_;
  ControllerLoop loop_;
  std::vector<client::ResourceRef> resources_;
  // (informer, handler id) pairs to unregister on Stop.
  std::vector<std::pair<client::SharedInformer*, int>> handlers_;
};

}  // namespace kc::controllers
