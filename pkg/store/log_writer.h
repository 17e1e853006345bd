// LogWriter: the single writer of the revision log. It owns the write connection, the in-memory
// index of live keys, group commit, compaction and file maintenance.
//
// Why group commit: a durable SQLite commit costs an fsync, so one transaction per write caps
// throughput at the disk's sync rate. Writers instead enqueue a WriteRequest and block; the
// writer thread takes every pending request, checks each against the index (AlreadyExists,
// NotFound, Conflict), appends the successful ones with consecutive revisions inside one
// BEGIN IMMEDIATE ... COMMIT, publishes their events to the WatchHub and only then wakes the
// writers. A request that fails its check does not consume a revision and does not affect the
// others in the batch.
//
// Compaction runs on the same thread in steps of at most `compaction_batch` revisions, so a write
// waits for at most one small step. A step at (lo, hi] deletes every row superseded by a row in
// (lo, hi] (found through prev_revision) and every tombstone in (lo, hi], then records hi as
// compact_revision. While writes flow, a step rides in the batch's transaction (under a
// savepoint, so a failing step never fails the writes) and costs no extra fsync; when idle it
// runs alone. After a pass, free pages go back to the file system (incremental_vacuum) and the
// WAL is checkpointed with TRUNCATE when it has grown, when an explicit Compact asks, or every
// kTruncateInterval; otherwise SQLite's automatic checkpoints keep reusing the WAL file, which
// is cheaper to sync than a file that grows on every commit.
//
// Thread-safety: Submit, Compact, Stop and the accessors may be called from any thread.
#pragma once

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <unordered_map>
#include <vector>

#include "pkg/api/status.h"
#include "pkg/store/backend.h"
#include "pkg/store/sqlite_conn.h"
#include "pkg/store/value_cache.h"
#include "pkg/store/watch_hub.h"

namespace kc::store {

// One create/update/delete waiting for the writer thread. The caller owns it and blocks on
// AwaitFinish until the writer has filled the result fields.
struct WriteRequest {
  enum class Kind { kCreate, kUpdate, kDelete };
  Kind kind = Kind::kCreate;
  std::string key;
  std::string value;              // create/update
  int64_t expected_revision = 0;  // update/delete; 0 = unconditional

  // Results.
  api::Status status;
  int64_t revision = 0;  // the new revision on success
  KeyValue deleted;      // delete: the removed key/value with mod_revision = the delete's revision

  // Asynchronous requests (SubmitAsync): called on the writer thread instead of waking a
  // waiter; it owns the request from then on (and typically deletes it).
  std::function<void(WriteRequest*)> on_finish;

  // Completion. A mutex and condition variable rather than a semaphore: libstdc++'s semaphore
  // spins with sched_yield before sleeping, which burns the CPU the writer needs when dozens of
  // callers wait at once.
  void Finish() {
    if (on_finish) {
      auto f = std::move(on_finish);
      f(this);
      return;
    }
    std::lock_guard<std::mutex> lock(mu);
    finished = true;
    cv.notify_one();  // under the lock: the waiter may destroy the request right after
  }
  void AwaitFinish() {
    std::unique_lock<std::mutex> lock(mu);
    cv.wait(lock, [this] { return finished; });
  }
  std::mutex mu;
  std::condition_variable cv;
  bool finished = false;
};

class LogWriter {
 public:
  struct Options {
    int64_t compaction_window = 10000;  // revisions kept behind the current one
    std::chrono::milliseconds compaction_interval{5000};
    int64_t compaction_batch = 1000;  // revisions per compaction transaction
  };

  // Loads the live-key index (and, with `cache`, every live value into it) from `conn` (already
  // set up by SetUpWriterConnection) and starts the writer thread. `hub` and `cache` (may be
  // null) must outlive the writer; every committed write reaches `cache` before it is
  // acknowledged.
  static api::Result<std::unique_ptr<LogWriter>> Start(std::unique_ptr<SqliteConn> conn,
                                                       WatchHub* hub, const Options& options,
                                                       ValueCache* cache = nullptr);
  ~LogWriter();  // Stop()

  // Queues `req` and blocks until it is durable (or failed). After Stop: Unavailable.
  void Submit(WriteRequest* req);
  // Queues `req`, which has `on_finish` set, and returns at once; `on_finish` runs on the writer
  // thread when the write is durable or failed (on the calling thread after Stop).
  void SubmitAsync(WriteRequest* req);
  // Compacts up to `revision` (clamped to the current revision) and waits for it, including the
  // WAL checkpoint and vacuum that follow.
  api::Status Compact(int64_t revision);
  // Finishes the queued requests, then stops the thread. Idempotent.
  void Stop();

  int64_t current_revision() const { return current_revision_.load(); }
  int64_t compact_revision() const { return compact_revision_.load(); }

 private:
  struct IndexEntry {
    int64_t create_revision = 0;
    int64_t mod_revision = 0;
  };
  struct Undo {
    std::string key;
    bool existed = false;
    IndexEntry entry;
  };

  LogWriter(std::unique_ptr<SqliteConn> conn, WatchHub* hub, const Options& options,
            ValueCache* cache);
  api::Status LoadIndex();
  void Run();
  // Adds `req` to the queue; false (with req->status set) once stopping.
  bool Enqueue(WriteRequest* req);

  // Group commit of one batch (writer thread).
  // Returns true if a compaction step towards `compact_target` was committed with the batch.
  bool CommitBatch(const std::vector<WriteRequest*>& batch, int64_t compact_target);
  // Appends one request's row inside the open transaction; returns its event on success.
  std::shared_ptr<const Event> Apply(WriteRequest* req, std::vector<Undo>* undo);
  api::Status ReadValue(int64_t revision, std::string* value);
  api::Status InsertRow(int64_t id, const std::string& key, bool created, bool deleted,
                        int64_t create_revision, int64_t prev_revision, const std::string& value,
                        const std::string* old_value);

  // Maintenance (writer thread).
  int64_t NextCompactStep(int64_t target) const;  // hi of the next step
  api::Status RunCompactStatements(int64_t lo, int64_t hi);  // inside an open transaction
  api::Status CompactStep(int64_t target);  // one step in its own transaction
  void VacuumAndCheckpoint(bool force_truncate);

  const Options options_;
  std::unique_ptr<SqliteConn> conn_;
  WatchHub* const hub_;
  ValueCache* const cache_;  // may be null
  const std::string wal_path_;
  std::thread thread_;
  std::mutex join_mu_;  // lets only one Stop() join the thread

  // --- owned by the writer thread ---
  std::unordered_map<std::string, IndexEntry> index_;  // live keys only
  int64_t next_revision_ = 1;
  std::chrono::steady_clock::time_point last_truncate_;

  std::atomic<int64_t> current_revision_{0};
  std::atomic<int64_t> compact_revision_{0};

  std::mutex mu_;
  std::condition_variable cv_;          // wakes the writer thread
  std::condition_variable compact_cv_;  // wakes Compact() callers
  // --- guarded by mu_ ---
  std::vector<WriteRequest*> queue_;
  int64_t compact_target_ = 0;     // compact up to here
  int64_t maintained_through_ = 0;  // compaction+checkpoint finished up to here
  api::Status maintenance_status_;  // last maintenance error, reported to Compact()
  bool force_truncate_ = false;     // an explicit Compact wants the WAL truncated
  bool stopping_ = false;
  bool stopped_ = false;
};

}  // namespace kc::store
