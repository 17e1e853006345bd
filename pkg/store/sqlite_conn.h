// SqliteConn: one SQLite connection and its cache of prepared statements; SqlQuery: one use of a
// cached statement (bind, step, read columns, reset on scope exit).
//
// The connection is opened in SQLite's multi-thread mode (SQLITE_OPEN_NOMUTEX): it has no lock of
// its own, so it must be used by one thread at a time (the writer thread owns its connection; read
// connections are leased from a ReadPool).
//
// Thread-safety: none. Text and blob bindings reference the caller's buffers
// (SQLITE_STATIC), which must outlive the SqlQuery.
#pragma once

#include <sqlite3.h>

#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <string_view>

#include "pkg/api/status.h"

namespace kc::store {

class SqliteConn {
 public:
  // Opens (creating if needed) the database file at `path`.
  static api::Result<std::unique_ptr<SqliteConn>> Open(const std::string& path);
  ~SqliteConn();
  SqliteConn(const SqliteConn&) = delete;
  SqliteConn& operator=(const SqliteConn&) = delete;

  // Runs one or more statements that return no rows (PRAGMA, DDL, BEGIN/COMMIT).
  api::Status Exec(const char* sql);
  // Runs one statement through the statement cache (cheap for BEGIN/COMMIT in hot paths).
  api::Status Run(const std::string& sql);
  // Runs a statement returning one integer (e.g. "PRAGMA page_count"); `fallback` if no row.
  api::Result<int64_t> QueryInt(const char* sql, int64_t fallback = 0);
  // The cached prepared statement for `sql`, compiled on first use. Never null on success.
  api::Result<sqlite3_stmt*> Prepare(const std::string& sql);

  // An Internal status naming `what` and the connection's last SQLite error.
  api::Status Error(const std::string& what) const;
  sqlite3* handle() { return db_; }

 private:
  explicit SqliteConn(sqlite3* db) : db_(db) {}

  sqlite3* db_;
  std::map<std::string, sqlite3_stmt*, std::less<>> stmts_;
};

class SqlQuery {
 public:
  explicit SqlQuery(sqlite3_stmt* stmt) : stmt_(stmt) {}
  ~SqlQuery() {
    sqlite3_reset(stmt_);
    sqlite3_clear_bindings(stmt_);
  }
  SqlQuery(const SqlQuery&) = delete;
  SqlQuery& operator=(const SqlQuery&) = delete;

  SqlQuery& Bind(int index, int64_t v) {
    sqlite3_bind_int64(stmt_, index, v);
    return *this;
  }
  SqlQuery& BindText(int index, std::string_view v) {
    sqlite3_bind_text(stmt_, index, v.data(), static_cast<int>(v.size()), SQLITE_STATIC);
    return *this;
  }
  // An empty blob is stored as a zero-length blob, not NULL.
  SqlQuery& BindBlob(int index, std::string_view v) {
    static const char kEmpty = 0;
    sqlite3_bind_blob(stmt_, index, v.empty() ? &kEmpty : v.data(), static_cast<int>(v.size()),
                      SQLITE_STATIC);
    return *this;
  }
  SqlQuery& BindNull(int index) {
    sqlite3_bind_null(stmt_, index);
    return *this;
  }

  // SQLITE_ROW, SQLITE_DONE or an error code.
  int Step() { return sqlite3_step(stmt_); }

  int64_t Int(int col) const { return sqlite3_column_int64(stmt_, col); }
  // Text or blob column as bytes; NULL reads as "".
  std::string Bytes(int col) const {
    const void* p = sqlite3_column_blob(stmt_, col);
    int n = sqlite3_column_bytes(stmt_, col);
    return p ? std::string(static_cast<const char*>(p), static_cast<size_t>(n)) : std::string();
  }
  std::string_view BytesView(int col) const {
    const void* p = sqlite3_column_blob(stmt_, col);
    int n = sqlite3_column_bytes(stmt_, col);
    return p ? std::string_view(static_cast<const char*>(p), static_cast<size_t>(n))
             : std::string_view();
  }

 private:
  sqlite3_stmt* stmt_;
};

}  // namespace kc::store
