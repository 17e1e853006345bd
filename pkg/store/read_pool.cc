#include "pkg/store/read_pool.h"

#include "pkg/store/log_table.h"

namespace kc::store {

ReadPool::ReadPool(std::string path, size_t max_idle)
    : path_(std::move(path)), max_idle_(max_idle) {}

api::Result<ReadPool::Lease> ReadPool::Acquire() {
  {
    std::lock_guard<std::mutex> lock(mu_);
    if (closed_) return api::Status::Unavailable("the store is closed");
    if (!idle_.empty()) {
      std::unique_ptr<SqliteConn> conn = std::move(idle_.back());
      idle_.pop_back();
      return Lease(this, std::move(conn));
    }
  }
  auto conn = SqliteConn::Open(path_);
  if (!conn.ok()) return conn.status();
  api::Status s = SetUpReaderConnection(**conn);
  if (!s.ok()) return s;
  return Lease(this, std::move(conn).value());
}

void ReadPool::Close() {
  std::vector<std::unique_ptr<SqliteConn>> idle;
  {
    std::lock_guard<std::mutex> lock(mu_);
    closed_ = true;
    idle.swap(idle_);
  }
}

void ReadPool::Return(std::unique_ptr<SqliteConn> conn) {
  std::lock_guard<std::mutex> lock(mu_);
  if (!closed_ && idle_.size() < max_idle_) idle_.push_back(std::move(conn));
}

}  // namespace kc::store
