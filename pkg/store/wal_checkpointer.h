// WalCheckpointer: copies the WAL back into the database file on its own thread and connection,
// so checkpoints (and their fsyncs of the database file) do not sit in the writer's commit path.
//
// It replaces SQLite's automatic checkpoint on the writer connection: Attach() installs a WAL
// hook that, after a commit leaves at least `threshold_frames` frames in the WAL, wakes the
// checkpointer. A PASSIVE checkpoint never blocks the writer or readers; once it has copied
// every frame, the writer's next transaction starts the WAL over from its beginning.
//
// Thread-safety: Attach before the writer connection is used; Stop from any thread (idempotent).
// The hook runs on the writer thread and only signals a condition variable.
#pragma once

#include <condition_variable>
#include <memory>
#include <mutex>
#include <thread>

#include "pkg/api/status.h"
#include "pkg/store/sqlite_conn.h"

namespace kc::store {

class WalCheckpointer {
 public:
  // Opens its own connection to `path`; `writer` is the connection whose commits it follows.
  static api::Result<std::unique_ptr<WalCheckpointer>> Attach(const std::string& path,
                                                              SqliteConn& writer,
                                                              int threshold_frames = 1000);
  ~WalCheckpointer();  // Stop()
  void Stop();

 private:
  WalCheckpointer(std::unique_ptr<SqliteConn> conn, int threshold_frames);
  static int OnCommit(void* self, sqlite3* db, const char* schema, int frames);
  void Run();

  std::unique_ptr<SqliteConn> conn_;
  const int threshold_frames_;
  std::thread thread_;
  std::mutex join_mu_;

  std::mutex mu_;
  std::condition_variable cv_;
  // --- guarded by mu_ ---
  bool wanted_ = false;
  bool stopping_ = false;
};

}  // namespace kc::store
