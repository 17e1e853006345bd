// SharedInformer: keeps a local cache of one resource (optionally one namespace and selectors)
// in step with the API server and tells registered handlers about every change.
//
// It lists (in pages of `page_size`), then watches from the list's resourceVersion with
// bookmarks and a random 300..600 s server timeout. A watch that ends cleanly is resumed from the
// last resourceVersion seen; a 410 Expired/Gone relists at once; any other failure relists after
// an exponential backoff. A relist diffs the new state against the cache: adds for new objects,
// updates for changed ones (by resourceVersion), deletes for vanished ones.
//
// Handlers run on the informer's thread, in event order, one at a time; they should be quick
// (enqueue a key) and must not call AddEventHandler/RemoveEventHandler. A handler added while the
// cache is filled first gets a synthetic add for every cached object, delivered on the calling
// thread inside AddEventHandler, before any later event.
//
// Thread-safety: every method may be called from any thread. Run blocks the calling thread until
// Stop; Start runs it on an own thread.
#pragma once

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <random>
#include <string>
#include <thread>
#include <vector>

#include "pkg/client/client.h"
#include "pkg/client/indexer.h"

namespace kc::client {

struct InformerOptions {
  ResourceRef resource;
  std::string ns;  // "" = all namespaces (or a cluster-scoped resource)
  std::string label_selector;
  std::string field_selector;
  int64_t page_size = 500;
  int min_watch_timeout_seconds = 300;
  int max_watch_timeout_seconds = 600;
  std::chrono::milliseconds initial_backoff{800};
  std::chrono::milliseconds max_backoff{30000};
  // A watch that ends cleanly sooner than this without any event counts as a failure (so a
  // server that closes watches at once does not make the informer spin).
  std::chrono::milliseconds min_watch_duration{1000};
};

struct EventHandler {
  std::function<void(const ObjectPtr& obj)> on_add;
  std::function<void(const ObjectPtr& old_obj, const ObjectPtr& new_obj)> on_update;
  // The last state the cache (or the DELETED event) had.
  std::function<void(const ObjectPtr& obj)> on_delete;
};

class SharedInformer {
 public:
  SharedInformer(Client& client, InformerOptions opts);
  ~SharedInformer();

  SharedInformer(const SharedInformer&) = delete;
  SharedInformer& operator=(const SharedInformer&) = delete;

  const InformerOptions& options() const { return opts_; }

  // Adds a secondary index over the cache (see Indexer::AddIndex). Index functions run under the
  // cache's lock and must be pure. The "namespace" index always exists.
  void AddIndex(const std::string& name, IndexFunc fn);
  // Returns an id for RemoveEventHandler.
  int AddEventHandler(EventHandler handler);
  void RemoveEventHandler(int id);

  // List-and-watch until Stop. Returns at once if already running or stopped.
  void Run();
  // Run on a thread the informer owns. No-op after the first call.
  void Start();
  // Ends Run (aborting an open watch) and joins the own thread. Final: an informer is not
  // restarted.
  void Stop();

  // True once the first list has been put into the cache.
  bool HasSynced() const;
  bool WaitForSync(std::chrono::milliseconds timeout) const;
  std::string LastSyncResourceVersion() const;
  // How many full lists were done (1 after the first sync; relists add more).
  int ListCount() const;

  // Cache reads.
  ObjectPtr Get(const std::string& key) const { return indexer_.Get(key); }
  ObjectPtr Get(const std::string& ns, const std::string& name) const {
    return indexer_.Get(ns.empty() ? name : ns + "/" + name);
  }
  std::vector<ObjectPtr> List() const { return indexer_.List(); }
  std::vector<ObjectPtr> ByIndex(const std::string& index, const std::string& value) const {
    return indexer_.ByIndex(index, value);
  }
  const Indexer& indexer() const { return indexer_; }

 private:
  api::Status ListAndReplace();
  // One watch from last_rv_ until it ends; returns why it ended (OK for a clean end).
  api::Status WatchOnce(bool* had_events);
  void Replace(std::vector<Object> items);
  void Apply(WatchEventType type, Object obj);
  void DispatchAdd(const ObjectPtr& obj);
  void DispatchUpdate(const ObjectPtr& old_obj, const ObjectPtr& new_obj);
  void DispatchDelete(const ObjectPtr& obj);
  // Sleeps for the current backoff (or until Stop) and doubles it.
  void Backoff();
  bool stopping() const { return stop_.load(); }

  Client& client_;
  const InformerOptions opts_;
  Indexer indexer_;
  std::atomic<bool> stop_{false};
  std::atomic<bool> running_{false};

  // Used only by the Run thread.
  std::string last_rv_;
  std::chrono::milliseconds backoff_;
  std::mt19937 rng_;

  // Serializes cache updates with handler calls and handler (un)registration.
  std::mutex dispatch_mu_;
  std::map<int, EventHandler> handlers_;  // guarded by dispatch_mu_
  int next_handler_id_ = 1;               // guarded by dispatch_mu_

  mutable std::mutex mu_;
  mutable std::condition_variable cv_;
  // Guarded by mu_.
  WatchStream* current_stream_ = nullptr;
  bool synced_ = false;
  std::string synced_rv_;
  int list_count_ = 0;
  std::thread thread_;
  bool started_ = false;
};

}  // namespace kc::client
