// SqliteBackend: the embedded, single-node Backend: a kine-style append-only revision log in one
// SQLite file (see log_table.h), written by one group-committing LogWriter, read through a pool
// of WAL snapshot readers, with one WatchHub fanning committed events out to watches.
//
// Durability: WAL with synchronous=FULL by default, so an acknowledged write survives both a
// killed process and a power loss. `sync_full = false` selects synchronous=NORMAL, which still
// survives a killed process but may lose the last commits on power loss.
//
// Thread-safety: every method may be called concurrently from any thread (the Backend contract).
// Close() must not race with the destructor; calls after Close() return Unavailable.
#pragma once

#include <atomic>
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <mutex>
#include <string>

#include "pkg/api/status.h"
#include "pkg/store/backend.h"

namespace kc::store {

class LogWriter;
class ReadPool;
class ValueCache;
class WatchHub;

class SqliteBackend final : public Backend {
 public:
  struct Options {
    std::string path;  // the database file; its directory is created if missing
    // Compaction keeps the last `compaction_window` revisions readable and watchable.
    int64_t compaction_window = 10000;
    std::chrono::milliseconds compaction_interval{5000};
    int64_t compaction_batch = 1000;  // revisions per compaction transaction
    size_t watch_buffer_size = 10000;  // live events a watch may lag before it is closed
    bool sync_full = true;
    // Budget of the in-memory cache of the newest value of each key (point reads skip SQLite
    // while it holds every key; see value_cache.h). 0 = no cache.
    size_t value_cache_bytes = 256u << 20;
  };

  static api::Result<std::unique_ptr<SqliteBackend>> Open(const Options& options);
  ~SqliteBackend() override;

  // Finishes queued writes, closes every watch (Unavailable "the store is closed") and stops the
  // writer thread. Idempotent.
  void Close();
  // Compacts up to `revision` now (clamped to the current revision) and waits for it, including
  // the WAL checkpoint and vacuum. The background compaction does the same every interval with
  // revision = current - compaction_window.
  api::Status Compact(int64_t revision);

  int64_t CurrentRevision() override;
  int64_t CompactedRevision() override;
  api::Result<KeyValue> Get(const std::string& key) override;
  // Besides the Backend contract: a `revision` above the current one gives Timeout
  // ("Too large resource version").
  api::Result<ListResult> List(const std::string& prefix, const std::string& start_after,
                               int64_t limit, int64_t revision) override;
  api::Result<int64_t> Create(const std::string& key, std::string value) override;
  void CreateAsync(const std::string& key, std::string value,
                   std::function<void(api::Result<int64_t>)> done) override;
  api::Result<int64_t> Update(const std::string& key, std::string value,
                              int64_t expected_revision) override;
  api::Result<KeyValue> Delete(const std::string& key, int64_t expected_revision) override;
  api::Result<std::unique_ptr<Watch>> WatchPrefix(const std::string& prefix,
                                                  int64_t after_revision) override;
  Stats GetStats() override;

 private:
  explicit SqliteBackend(const Options& options);

  const Options options_;
  std::shared_ptr<WatchHub> hub_;  // shared with the watches it hands out
  std::unique_ptr<ReadPool> readers_;
  std::unique_ptr<ValueCache> cache_;  // may be null; must outlive writer_
  std::unique_ptr<LogWriter> writer_;
  std::mutex close_mu_;  // serializes Close()
  std::atomic<bool> closed_{false};
};

}  // namespace kc::store
