// ReadPool: reusable read-only connections to the revision log; ReadSnapshot: one read
// transaction on a leased connection.
//
// In WAL mode any number of readers run beside the writer, each on the snapshot its transaction
// started with, so a List's rows, its revision and the compaction mark are mutually consistent.
//
// Thread-safety: ReadPool is safe for concurrent use. A Lease (and a ReadSnapshot on it) belongs
// to the thread that acquired it. The pool must outlive its leases.
#pragma once

#include <cstddef>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "pkg/api/status.h"
#include "pkg/store/sqlite_conn.h"

namespace kc::store {

class ReadPool {
 public:
  // A connection on loan; it goes back to the pool when the Lease is destroyed.
  class Lease {
   public:
    Lease() = default;
    Lease(ReadPool* pool, std::unique_ptr<SqliteConn> conn)
        : pool_(pool), conn_(std::move(conn)) {}
    Lease(Lease&&) = default;
    Lease& operator=(Lease&& other) {
      Release();
      pool_ = other.pool_;
      conn_ = std::move(other.conn_);
      return *this;
    }
    ~Lease() { Release(); }
    SqliteConn& conn() { return *conn_; }

   private:
    void Release() {
      if (pool_ && conn_) pool_->Return(std::move(conn_));
    }
    ReadPool* pool_ = nullptr;
    std::unique_ptr<SqliteConn> conn_;
  };

  explicit ReadPool(std::string path, size_t max_idle = 8);

  // An idle connection, or a new one. Unavailable after Close.
  api::Result<Lease> Acquire();
  // Closes idle connections now and leased ones when they come back.
  void Close();

 private:
  void Return(std::unique_ptr<SqliteConn> conn);

  const std::string path_;
  const size_t max_idle_;
  std::mutex mu_;
  // --- guarded by mu_ ---
  std::vector<std::unique_ptr<SqliteConn>> idle_;
  bool closed_ = false;
};

// BEGIN on construction, COMMIT on destruction: every query in between reads one snapshot.
class ReadSnapshot {
 public:
  explicit ReadSnapshot(SqliteConn& conn) : conn_(conn), status_(conn.Run("BEGIN")) {}
  ~ReadSnapshot() {
    if (status_.ok()) conn_.Run("COMMIT");
  }
  ReadSnapshot(const ReadSnapshot&) = delete;
  ReadSnapshot& operator=(const ReadSnapshot&) = delete;
  const api::Status& status() const { return status_; }

 private:
  SqliteConn& conn_;
  api::Status status_;
};

}  // namespace kc::store
