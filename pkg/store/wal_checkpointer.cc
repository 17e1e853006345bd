#include "pkg/store/wal_checkpointer.h"

#include <spdlog/spdlog.h>

namespace kc::store {

api::Result<std::unique_ptr<WalCheckpointer>> WalCheckpointer::Attach(const std::string& path,
                                                                      SqliteConn& writer,
                                                                      int threshold_frames) {
  auto conn = SqliteConn::Open(path);
  if (!conn.ok()) return conn.status();
  api::Status s = (*conn)->Exec("PRAGMA busy_timeout=5000;");
  if (!s.ok()) return s;
  std::unique_ptr<WalCheckpointer> c(
      new WalCheckpointer(std::move(conn).value(), threshold_frames));
  sqlite3_wal_hook(writer.handle(), &WalCheckpointer::OnCommit, c.get());
  c->thread_ = std::thread([p = c.get()] { p->Run(); });
  return c;
}

WalCheckpointer::WalCheckpointer(std::unique_ptr<SqliteConn> conn, int threshold_frames)
    : conn_(std::move(conn)), threshold_frames_(threshold_frames) {}

WalCheckpointer::~WalCheckpointer() { Stop(); }

void WalCheckpointer::Stop() {
  {
    std::lock_guard<std::mutex> lock(mu_);
    stopping_ = true;
    cv_.notify_one();
  }
  std::lock_guard<std::mutex> join_lock(join_mu_);
  if (thread_.joinable()) thread_.join();
}

int WalCheckpointer::OnCommit(void* self, sqlite3*, const char*, int frames) {
  auto* c = static_cast<WalCheckpointer*>(self);
  if (frames >= c->threshold_frames_) {
    std::lock_guard<std::mutex> lock(c->mu_);
    if (!c->wanted_) {
      c->wanted_ = true;
      c->cv_.notify_one();
    }
  }
  return SQLITE_OK;
}

void WalCheckpointer::Run() {
  for (;;) {
    {
      std::unique_lock<std::mutex> lock(mu_);
      cv_.wait(lock, [this] { return wanted_ || stopping_; });
      if (stopping_) return;
      wanted_ = false;
    }
    int rc = sqlite3_wal_checkpoint_v2(conn_->handle(), nullptr, SQLITE_CHECKPOINT_PASSIVE,
                                       nullptr, nullptr);
    if (rc != SQLITE_OK && rc != SQLITE_BUSY) {
      spdlog::warn("store: wal checkpoint: {}", sqlite3_errmsg(conn_->handle()));
    }
  }
}

}  // namespace kc::store
