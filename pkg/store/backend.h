// Backend: the key/value revision store the API server keeps objects in.
//
// Modelled on kine/etcd: every successful create, update and delete appends one event with a
// global, strictly increasing revision. An object's `metadata.resourceVersion` is the revision of
// the write that produced it (mod_revision). Keys are opaque byte strings; the API server uses
// "/registry/<group>/<resource>/<namespace>/<name>" so a prefix selects a resource or namespace.
//
// Implementations: SqliteBackend (embedded, single node). An etcd implementation can replace it
// without touching the API server.
//
// Thread-safety: every method may be called concurrently from any thread. Writes return only
// after the write is durable.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "pkg/api/status.h"

namespace kc::store {

struct KeyValue {
  std::string key;
  std::string value;
  int64_t create_revision = 0;
  int64_t mod_revision = 0;  // == resourceVersion
};

struct ListResult {
  std::vector<KeyValue> items;
  int64_t revision = 0;        // the revision the list is consistent at
  bool more = false;           // items were cut by `limit`
  int64_t remaining = 0;       // how many keys under the prefix follow (when `more`)
};

enum class EventType { kPut, kDelete };

struct Event {
  EventType type = EventType::kPut;
  KeyValue kv;         // for kDelete: key, the last value, mod_revision = the delete's revision
  KeyValue prev_kv;    // previous value for updates (empty value on create)
  bool created = false;  // kPut that created the key
};

// A live watch. Events arrive in revision order, with no gap and no duplicate, starting after
// the requested revision. When the watcher falls too far behind (its bounded buffer overflows),
// the watch is closed with `closed_status()` = Gone/Expired... the consumer resumes by revision.
//
// Thread-safety: Poll/Wait/Stop may be called from any one consumer thread at a time; the notify
// callback is invoked from the writer's thread and must not block.
class Watch {
 public:
  virtual ~Watch() = default;
  // Moves up to `max` pending events into `out`. Returns false once the watch is closed and
  // drained (check closed_status()).
  virtual bool Poll(std::vector<Event>* out, size_t max = 1024) = 0;
  // Blocks until an event is pending, the watch closes, or `timeout_ms` passes. Returns true if
  // Poll would return something (events or closure).
  virtual bool Wait(int timeout_ms) = 0;
  // Called (from a writer thread, without locks held) whenever events become pending or the watch
  // closes. Set once before the first Poll. Must be cheap and non-blocking.
  virtual void SetNotify(std::function<void()> notify) = 0;
  virtual void Stop() = 0;
  // OK while open; non-OK (e.g. Reason::kGone "watch buffer overflow") after the store closed it.
  virtual api::Status closed_status() const = 0;
};

class Backend {
 public:
  virtual ~Backend() = default;

  // The newest committed revision.
  virtual int64_t CurrentRevision() = 0;
  // Revisions <= this have been compacted away; reads/watches at them get Expired (410).
  virtual int64_t CompactedRevision() = 0;

  // Latest value of `key`; NotFound if absent.
  virtual api::Result<KeyValue> Get(const std::string& key) = 0;

  // Keys with `prefix`, in key order, strictly after `start_after` (if non-empty), at `revision`
  // (0 = current). `limit` 0 = unlimited. Expired if `revision` is compacted.
  virtual api::Result<ListResult> List(const std::string& prefix, const std::string& start_after,
                                       int64_t limit, int64_t revision) = 0;

  // Creates `key`; AlreadyExists if present. Returns the new revision.
  virtual api::Result<int64_t> Create(const std::string& key, std::string value) = 0;

  // Create without blocking the caller: `done` gets what Create would return, once the write is
  // durable (or failed). It may run on the store's own thread, so it must be quick (hand the
  // result to another thread). This default answers synchronously through Create.
  virtual void CreateAsync(const std::string& key, std::string value,
                           std::function<void(api::Result<int64_t>)> done) {
    done(Create(key, std::move(value)));
  }
  // Replaces `key` if its mod_revision equals `expected_revision` (0 = unconditional).
  // NotFound if absent, Conflict on mismatch. Returns the new revision.
  virtual api::Result<int64_t> Update(const std::string& key, std::string value,
                                      int64_t expected_revision) = 0;

  // Deletes `key` if its mod_revision equals `expected_revision` (0 = unconditional).
  // Returns the deleted KeyValue with mod_revision = the delete's revision.
  virtual api::Result<KeyValue> Delete(const std::string& key, int64_t expected_revision) = 0;

  // Watches keys with `prefix`, delivering events with revision > `after_revision`
  // (after_revision 0 = only future events). Expired if `after_revision` < CompactedRevision().
  virtual api::Result<std::unique_ptr<Watch>> WatchPrefix(const std::string& prefix,
                                                          int64_t after_revision) = 0;

  // Size statistics for /metrics and tests.
  struct Stats {
    int64_t db_size_bytes = 0;
    int64_t rows = 0;
    int64_t watchers = 0;
  };
  virtual Stats GetStats() = 0;
};

}  // namespace kc::store
