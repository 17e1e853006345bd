#include "pkg/store/sqlite_conn.h"

namespace kc::store {

api::Result<std::unique_ptr<SqliteConn>> SqliteConn::Open(const std::string& path) {
  sqlite3* db = nullptr;
  int flags = SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX;
  int rc = sqlite3_open_v2(path.c_str(), &db, flags, nullptr);
  if (rc != SQLITE_OK) {
    std::string msg = "open sqlite database " + path + ": " +
                      (db ? sqlite3_errmsg(db) : sqlite3_errstr(rc));
    sqlite3_close_v2(db);
    return api::Status::Internal(msg);
  }
  sqlite3_extended_result_codes(db, 1);
  return std::unique_ptr<SqliteConn>(new SqliteConn(db));
}

SqliteConn::~SqliteConn() {
  for (auto& [sql, stmt] : stmts_) sqlite3_finalize(stmt);
  sqlite3_close_v2(db_);
}

api::Status SqliteConn::Exec(const char* sql) {
  char* err = nullptr;
  int rc = sqlite3_exec(db_, sql, nullptr, nullptr, &err);
  if (rc == SQLITE_OK) return api::Status::Ok();
  std::string msg = std::string("sqlite: ") + sql + ": " + (err ? err : sqlite3_errstr(rc));
  sqlite3_free(err);
  return api::Status::Internal(msg);
}

api::Status SqliteConn::Run(const std::string& sql) {
  auto stmt = Prepare(sql);
  if (!stmt.ok()) return stmt.status();
  SqlQuery q(*stmt);
  int rc;
  while ((rc = q.Step()) == SQLITE_ROW) {
  }
  if (rc != SQLITE_DONE) return Error(sql);
  return api::Status::Ok();
}

api::Result<int64_t> SqliteConn::QueryInt(const char* sql, int64_t fallback) {
  auto stmt = Prepare(sql);
  if (!stmt.ok()) return stmt.status();
  SqlQuery q(*stmt);
  int rc = q.Step();
  if (rc == SQLITE_ROW) return q.Int(0);
  if (rc == SQLITE_DONE) return fallback;
  return Error(sql);
}

api::Result<sqlite3_stmt*> SqliteConn::Prepare(const std::string& sql) {
  auto it = stmts_.find(sql);
  if (it != stmts_.end()) return it->second;
  sqlite3_stmt* stmt = nullptr;
  int rc = sqlite3_prepare_v3(db_, sql.c_str(), static_cast<int>(sql.size()),
                              SQLITE_PREPARE_PERSISTENT, &stmt, nullptr);
  if (rc != SQLITE_OK || stmt == nullptr) return Error("prepare " + sql);
  stmts_.emplace(sql, stmt);
  return stmt;
}

api::Status SqliteConn::Error(const std::string& what) const {
  return api::Status::Internal("sqlite: " + what + ": " + sqlite3_errmsg(db_));
}

}  // namespace kc::store
