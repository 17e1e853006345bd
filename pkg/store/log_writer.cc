#include "pkg/store/log_writer.h"

#include <pthread.h>

#include <spdlog/spdlog.h>

#include <algorithm>
#include <filesystem>
#include <system_error>

#include "pkg/store/log_table.h"

namespace kc::store {

namespace {

constexpr const char* kInsertRow =
    "INSERT INTO kv_log (id, name, created, deleted, create_revision, prev_revision, value, "
    "old_value) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)";

std::string Quoted(const std::string& key) { return "\"" + key + "\""; }

// A WAL checkpoint with TRUNCATE happens at least this often, and whenever the WAL is larger
// than kWalTruncateBytes (a sign that readers kept automatic checkpoints from resetting it).
constexpr std::chrono::seconds kTruncateInterval{60};
constexpr int64_t kWalTruncateBytes = 16 << 20;

}  // namespace

LogWriter::LogWriter(std::unique_ptr<SqliteConn> conn, WatchHub* hub, const Options& options,
                     ValueCache* cache)
    : options_(options),
      conn_(std::move(conn)),
      hub_(hub),
      cache_(cache),
      wal_path_(std::string(sqlite3_db_filename(conn_->handle(), "main")) + "-wal") {}

api::Result<std::unique_ptr<LogWriter>> LogWriter::Start(std::unique_ptr<SqliteConn> conn,
                                                         WatchHub* hub, const Options& options,
                                                         ValueCache* cache) {
  Options opts = options;
  opts.compaction_window = std::max<int64_t>(opts.compaction_window, 1);
  opts.compaction_batch = std::max<int64_t>(opts.compaction_batch, 1);
  if (opts.compaction_interval.count() <= 0) opts.compaction_interval = std::chrono::seconds(5);
  std::unique_ptr<LogWriter> w(new LogWriter(std::move(conn), hub, opts, cache));
  api::Status s = w->LoadIndex();
  if (!s.ok()) return s;
  w->thread_ = std::thread([p = w.get()] {
    pthread_setname_np(pthread_self(), "store-writer");  // for top -H and perf
    p->Run();
  });
  return w;
}

LogWriter::~LogWriter() { Stop(); }

api::Status LogWriter::LoadIndex() {
  auto current = ReadCurrentRevision(*conn_);
  if (!current.ok()) return current.status();
  auto compacted = ReadCompactRevision(*conn_);
  if (!compacted.ok()) return compacted.status();
  next_revision_ = *current + 1;
  current_revision_ = *current;
  compact_revision_ = *compacted;
  compact_target_ = *compacted;
  maintained_through_ = *compacted;

  // The values are read only when there is a cache to fill.
  auto stmt = conn_->Prepare(
      cache_ ? "SELECT kv.name, kv.create_revision, kv.id, kv.value FROM kv_log AS kv "
               "JOIN (SELECT MAX(id) AS mid FROM kv_log GROUP BY name) AS m ON kv.id = m.mid "
               "WHERE kv.deleted = 0"
             : "SELECT kv.name, kv.create_revision, kv.id FROM kv_log AS kv "
               "JOIN (SELECT MAX(id) AS mid FROM kv_log GROUP BY name) AS m ON kv.id = m.mid "
               "WHERE kv.deleted = 0");
  if (!stmt.ok()) return stmt.status();
  SqlQuery q(*stmt);
  int rc;
  while ((rc = q.Step()) == SQLITE_ROW) {
    std::string key = q.Bytes(0);
    index_[key] = IndexEntry{q.Int(1), q.Int(2)};
    if (cache_) cache_->Put(KeyValue{std::move(key), q.Bytes(3), q.Int(1), q.Int(2)});
  }
  if (rc != SQLITE_DONE) {
    if (cache_) cache_->MarkIncomplete();
    return conn_->Error("load key index");
  }
  return api::Status::Ok();
}

void LogWriter::Submit(WriteRequest* req) {
  if (Enqueue(req)) req->AwaitFinish();
}

void LogWriter::SubmitAsync(WriteRequest* req) {
  if (!Enqueue(req)) req->Finish();
}

bool LogWriter::Enqueue(WriteRequest* req) {
  std::lock_guard<std::mutex> lock(mu_);
  if (stopping_) {
    req->status = api::Status::Unavailable("the store is closed");
    return false;
  }
  queue_.push_back(req);
  // The writer only sleeps with an empty queue, so only the first request needs to wake it.
  if (queue_.size() == 1) cv_.notify_one();
  return true;
}

api::Status LogWriter::Compact(int64_t revision) {
  std::unique_lock<std::mutex> lock(mu_);
  if (stopping_) return api::Status::Unavailable("the store is closed");
  revision = std::min(revision, current_revision_.load());
  if (revision <= maintained_through_) return api::Status::Ok();
  compact_target_ = std::max(compact_target_, revision);
  maintenance_status_ = api::Status::Ok();
  force_truncate_ = true;
  cv_.notify_one();
  compact_cv_.wait(lock, [&] { return maintained_through_ >= revision || stopped_; });
  if (maintained_through_ < revision) return api::Status::Unavailable("the store is closed");
  return maintenance_status_;
}

void LogWriter::Stop() {
  {
    std::lock_guard<std::mutex> lock(mu_);
    stopping_ = true;
    cv_.notify_one();
  }
  // Only the first caller joins; later callers (e.g. the destructor after Close) find it done.
  std::lock_guard<std::mutex> join_lock(join_mu_);
  if (thread_.joinable()) thread_.join();
  conn_.reset();  // releases the file; the thread was its only user
}

void LogWriter::Run() {
  last_truncate_ = std::chrono::steady_clock::now();
  auto next_tick = last_truncate_ + options_.compaction_interval;
  for (;;) {
    std::vector<WriteRequest*> batch;
    int64_t target = 0;
    int64_t maintained = 0;
    bool force_truncate = false;
    {
      std::unique_lock<std::mutex> lock(mu_);
      for (;;) {
        auto now = std::chrono::steady_clock::now();
        if (now >= next_tick) {
          next_tick = now + options_.compaction_interval;
          compact_target_ = std::max(compact_target_,
                                     current_revision_.load() - options_.compaction_window);
        }
        if (!queue_.empty() || stopping_ || compact_target_ > maintained_through_) break;
        cv_.wait_until(lock, next_tick);
      }
      if (stopping_ && queue_.empty()) break;
      batch.swap(queue_);
      target = stopping_ ? 0 : compact_target_;
      maintained = maintained_through_;
      force_truncate = force_truncate_;
    }

    bool stepped = false;
    if (!batch.empty()) stepped = CommitBatch(batch, target > maintained ? target : 0);
    if (target <= maintained) continue;

    api::Status s;
    if (compact_revision_.load() < target) {
      if (stepped) continue;
      s = CompactStep(target);  // one small step; writes queued meanwhile go next
      if (s.ok()) continue;
      spdlog::error("store: compaction to revision {} failed: {}", target, s.ToString());
    } else {
      VacuumAndCheckpoint(force_truncate);
    }
    std::lock_guard<std::mutex> lock(mu_);
    maintained_through_ = std::max(maintained_through_, target);
    maintenance_status_ = s;
    if (force_truncate) force_truncate_ = false;
    compact_cv_.notify_all();
  }
  std::lock_guard<std::mutex> lock(mu_);
  stopped_ = true;
  compact_cv_.notify_all();
}

// ---------------------------------------------------------------------------------------------
// Group commit

bool LogWriter::CommitBatch(const std::vector<WriteRequest*>& batch, int64_t compact_target) {
  api::Status s = conn_->Run("BEGIN IMMEDIATE");
  if (!s.ok()) {
    for (WriteRequest* req : batch) {
      req->status = s;
      req->Finish();
    }
    return false;
  }
  const int64_t first_revision = next_revision_;
  std::vector<Undo> undo;
  std::vector<std::shared_ptr<const Event>> events;
  events.reserve(batch.size());
  bool broken = false;
  for (WriteRequest* req : batch) {
    if (broken) {
      req->status = s;
      continue;
    }
    if (auto ev = Apply(req, &undo)) events.push_back(std::move(ev));
    // Some I/O errors roll the transaction back on their own; nothing after that may run in
    // autocommit mode.
    if (!req->status.ok() && sqlite3_get_autocommit(conn_->handle())) {
      broken = true;
      s = req->status;
    }
  }

  // Let a pending compaction step share this transaction's fsync.
  int64_t step_hi = 0;
  if (!broken && !events.empty() && compact_revision_.load() < compact_target) {
    step_hi = NextCompactStep(compact_target);
    if (conn_->Run("SAVEPOINT compact_step").ok()) {
      api::Status cs = RunCompactStatements(compact_revision_.load(), step_hi);
      if (cs.ok()) {
        cs = conn_->Run("RELEASE compact_step");
      } else {
        spdlog::warn("store: compaction step skipped: {}", cs.ToString());
        conn_->Run("ROLLBACK TO compact_step");
        conn_->Run("RELEASE compact_step");
      }
      if (!cs.ok()) step_hi = 0;
    } else {
      step_hi = 0;
    }
  }

  if (!broken) {
    s = events.empty() ? conn_->Run("ROLLBACK") : conn_->Run("COMMIT");
  }
  if (!s.ok() && !events.empty()) {
    if (!sqlite3_get_autocommit(conn_->handle())) conn_->Run("ROLLBACK");
    for (auto it = undo.rbegin(); it != undo.rend(); ++it) {
      if (it->existed) {
        index_[it->key] = it->entry;
      } else {
        index_.erase(it->key);
      }
    }
    next_revision_ = first_revision;
    for (WriteRequest* req : batch) {
      if (req->status.ok()) req->status = s;
    }
    events.clear();
  }
  const bool committed = !events.empty();
  if (committed) {
    // The cache first: once a request is finished, a Get must see its write.
    if (cache_) {
      for (const auto& ev : events) {
        if (ev->type == EventType::kPut) {
          cache_->Put(ev->kv);
        } else {
          cache_->Erase(ev->kv.key);
        }
      }
    }
    current_revision_.store(next_revision_ - 1);
    if (step_hi > 0) compact_revision_.store(step_hi);
    hub_->Publish(events);
  }
  for (WriteRequest* req : batch) req->Finish();  // req may be gone after this
  return committed && step_hi > 0;
}

std::shared_ptr<const Event> LogWriter::Apply(WriteRequest* req, std::vector<Undo>* undo) {
  const std::string& key = req->key;
  if (key.empty()) {
    req->status = api::Status::BadRequest("the key must not be empty");
    return nullptr;
  }
  auto it = index_.find(key);
  auto ev = std::make_shared<Event>();
  const int64_t rev = next_revision_;

  if (req->kind == WriteRequest::Kind::kCreate) {
    if (it != index_.end()) {
      req->status = api::Status::AlreadyExists("key " + Quoted(key) + " already exists");
      return nullptr;
    }
    req->status = InsertRow(rev, key, true, false, rev, 0, req->value, nullptr);
    if (!req->status.ok()) return nullptr;
    undo->push_back(Undo{key, false, {}});
    index_.emplace(key, IndexEntry{rev, rev});
    ev->type = EventType::kPut;
    ev->created = true;
    ev->kv = KeyValue{key, std::move(req->value), rev, rev};
  } else {
    if (it == index_.end()) {
      req->status = api::Status::NotFound("key " + Quoted(key) + " not found");
      return nullptr;
    }
    IndexEntry& entry = it->second;
    if (req->expected_revision != 0 && req->expected_revision != entry.mod_revision) {
      req->status = api::Status::Conflict(
          "key " + Quoted(key) + " has revision " + std::to_string(entry.mod_revision) +
          ", expected " + std::to_string(req->expected_revision));
      return nullptr;
    }
    // The previous value: from the cache when it holds this revision (the cache only changes
    // on this thread, after commit), else from the log.
    std::string old_value;
    KeyValue cached;
    if (cache_ && cache_->Get(key, &cached) == ValueCache::Lookup::kHit &&
        cached.mod_revision == entry.mod_revision) {
      old_value = std::move(cached.value);
    } else {
      req->status = ReadValue(entry.mod_revision, &old_value);
      if (!req->status.ok()) return nullptr;
    }
    const IndexEntry before = entry;
    KeyValue prev{key, old_value, before.create_revision, before.mod_revision};
    if (req->kind == WriteRequest::Kind::kUpdate) {
      req->status = InsertRow(rev, key, false, false, before.create_revision,
                              before.mod_revision, req->value, &old_value);
      if (!req->status.ok()) return nullptr;
      entry.mod_revision = rev;
      ev->type = EventType::kPut;
      ev->kv = KeyValue{key, std::move(req->value), before.create_revision, rev};
    } else {
      req->status = InsertRow(rev, key, false, true, before.create_revision, before.mod_revision,
                              old_value, nullptr);
      if (!req->status.ok()) return nullptr;
      index_.erase(it);
      ev->type = EventType::kDelete;
      ev->kv = KeyValue{key, std::move(old_value), before.create_revision, rev};
      req->deleted = ev->kv;
    }
    undo->push_back(Undo{key, true, before});
    ev->prev_kv = std::move(prev);
  }
  next_revision_ = rev + 1;
  req->revision = rev;
  return ev;
}

api::Status LogWriter::ReadValue(int64_t revision, std::string* value) {
  auto stmt = conn_->Prepare("SELECT value FROM kv_log WHERE id = ?1");
  if (!stmt.ok()) return stmt.status();
  SqlQuery q(*stmt);
  q.Bind(1, revision);
  int rc = q.Step();
  if (rc == SQLITE_ROW) {
    *value = q.Bytes(0);
    return api::Status::Ok();
  }
  if (rc == SQLITE_DONE) {
    return api::Status::Internal("store: the row of revision " + std::to_string(revision) +
                                 " is missing");
  }
  return conn_->Error("read value");
}

api::Status LogWriter::InsertRow(int64_t id, const std::string& key, bool created, bool deleted,
                                 int64_t create_revision, int64_t prev_revision,
                                 const std::string& value, const std::string* old_value) {
  auto stmt = conn_->Prepare(kInsertRow);
  if (!stmt.ok()) return stmt.status();
  SqlQuery q(*stmt);
  q.Bind(1, id).BindText(2, key).Bind(3, created ? 1 : 0).Bind(4, deleted ? 1 : 0);
  q.Bind(5, create_revision).Bind(6, prev_revision).BindBlob(7, value);
  if (old_value) {
    q.BindBlob(8, *old_value);
  } else {
    q.BindNull(8);
  }
  if (q.Step() != SQLITE_DONE) return conn_->Error("append to the revision log");
  return api::Status::Ok();
}

// ---------------------------------------------------------------------------------------------
// Maintenance

int64_t LogWriter::NextCompactStep(int64_t target) const {
  return std::min(target, compact_revision_.load() + options_.compaction_batch);
}

api::Status LogWriter::RunCompactStatements(int64_t lo, int64_t hi) {
  const char* kSteps[] = {
      // Rows superseded by a newer row of the same key in (lo, hi].
      "DELETE FROM kv_log WHERE id IN (SELECT prev_revision FROM kv_log "
      "WHERE id > ?1 AND id <= ?2 AND prev_revision > 0)",
      // Tombstones in (lo, hi]; the rows they superseded went with the statement above.
      "DELETE FROM kv_log WHERE id > ?1 AND id <= ?2 AND deleted = 1",
      "UPDATE kv_meta SET value = ?2 WHERE key = 'compact_revision'",
  };
  for (const char* sql : kSteps) {
    auto stmt = conn_->Prepare(sql);
    if (!stmt.ok()) return stmt.status();
    SqlQuery q(*stmt);
    q.Bind(1, lo).Bind(2, hi);
    if (q.Step() != SQLITE_DONE) return conn_->Error("compact");
  }
  return api::Status::Ok();
}

api::Status LogWriter::CompactStep(int64_t target) {
  const int64_t hi = NextCompactStep(target);
  api::Status s = conn_->Run("BEGIN IMMEDIATE");
  if (!s.ok()) return s;
  s = RunCompactStatements(compact_revision_.load(), hi);
  if (s.ok()) s = conn_->Run("COMMIT");
  if (!s.ok()) {
    if (!sqlite3_get_autocommit(conn_->handle())) conn_->Run("ROLLBACK");
    return s;
  }
  compact_revision_.store(hi);
  return api::Status::Ok();
}

void LogWriter::VacuumAndCheckpoint(bool force_truncate) {
  // Give free pages back once they are a noticeable share of the file; a few are kept for reuse.
  auto pages = conn_->QueryInt("PRAGMA page_count");
  auto free_pages = conn_->QueryInt("PRAGMA freelist_count");
  if (pages.ok() && free_pages.ok() && *free_pages > 64 && *free_pages * 8 > *pages) {
    api::Status s = conn_->Exec("PRAGMA incremental_vacuum");
    if (!s.ok()) spdlog::warn("store: incremental vacuum: {}", s.ToString());
    force_truncate = true;  // the file only shrinks once the moved pages are checkpointed
  }
  std::error_code ec;
  auto wal_size = std::filesystem::file_size(wal_path_, ec);
  auto now = std::chrono::steady_clock::now();
  bool truncate = force_truncate || now - last_truncate_ >= kTruncateInterval ||
                  (!ec && static_cast<int64_t>(wal_size) > kWalTruncateBytes);
  if (!truncate) return;
  last_truncate_ = now;
  // TRUNCATE waits for readers of old WAL frames; bound that wait so writers are not held up.
  sqlite3_busy_timeout(conn_->handle(), 200);
  int rc = sqlite3_wal_checkpoint_v2(conn_->handle(), nullptr, SQLITE_CHECKPOINT_TRUNCATE,
                                     nullptr, nullptr);
  sqlite3_busy_timeout(conn_->handle(), 5000);
  if (rc != SQLITE_OK && rc != SQLITE_BUSY) {
    spdlog::warn("store: wal checkpoint: {}", sqlite3_errmsg(conn_->handle()));
  }
}

}  // namespace kc::store
