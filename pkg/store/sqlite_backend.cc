#include "pkg/store/sqlite_backend.h"

#include <filesystem>
#include <system_error>
#include <utility>

#include "pkg/store/log_table.h"
#include "pkg/store/log_writer.h"
#include "pkg/store/read_pool.h"
#include "pkg/store/value_cache.h"
#include "pkg/store/sqlite_conn.h"
#include "pkg/store/watch_hub.h"

namespace kc::store {

namespace {

int64_t FileSize(const std::string& path) {
  std::error_code ec;
  auto size = std::filesystem::file_size(path, ec);
  return ec ? 0 : static_cast<int64_t>(size);
}

}  // namespace

SqliteBackend::SqliteBackend(const Options& options) : options_(options) {}

SqliteBackend::~SqliteBackend() { Close(); }

api::Result<std::unique_ptr<SqliteBackend>> SqliteBackend::Open(const Options& options) {
  if (options.path.empty() || options.path == ":memory:") {
    return api::Status::Invalid("store: a database file path is required");
  }
  std::filesystem::path parent = std::filesystem::path(options.path).parent_path();
  if (!parent.empty()) {
    std::error_code ec;
    std::filesystem::create_directories(parent, ec);
    if (ec) return api::Status::Internal("store: create " + parent.string() + ": " + ec.message());
  }

  auto conn = SqliteConn::Open(options.path);
  if (!conn.ok()) return conn.status();
  api::Status s = SetUpWriterConnection(**conn, options.sync_full);
  if (!s.ok()) return s;
  auto current = ReadCurrentRevision(**conn);
  if (!current.ok()) return current.status();

  std::unique_ptr<SqliteBackend> b(new SqliteBackend(options));
  b->hub_ = std::make_shared<WatchHub>(*current, options.watch_buffer_size);
  b->readers_ = std::make_unique<ReadPool>(options.path);
  LogWriter::Options wopts;
  wopts.compaction_window = options.compaction_window;
  wopts.compaction_interval = options.compaction_interval;
  wopts.compaction_batch = options.compaction_batch;
  if (options.value_cache_bytes > 0) {
    b->cache_ = std::make_unique<ValueCache>(options.value_cache_bytes);
  }
  auto writer = LogWriter::Start(std::move(conn).value(), b->hub_.get(), wopts, b->cache_.get());
  if (!writer.ok()) return writer.status();
  b->writer_ = std::move(writer).value();
  return b;
}

void SqliteBackend::Close() {
  std::lock_guard<std::mutex> lock(close_mu_);
  closed_.store(true);
  if (writer_) writer_->Stop();
  if (hub_) hub_->CloseAll(api::Status::Unavailable("the store is closed"));
  if (readers_) readers_->Close();
}

api::Status SqliteBackend::Compact(int64_t revision) { return writer_->Compact(revision); }

int64_t SqliteBackend::CurrentRevision() { return writer_->current_revision(); }

int64_t SqliteBackend::CompactedRevision() { return writer_->compact_revision(); }

// ---------------------------------------------------------------------------------------------
// Reads

api::Result<KeyValue> SqliteBackend::Get(const std::string& key) {
  if (closed_.load()) return api::Status::Unavailable("the store is closed");
  if (cache_) {
    KeyValue kv;
    switch (cache_->Get(key, &kv)) {
      case ValueCache::Lookup::kHit:
        return kv;
      case ValueCache::Lookup::kAbsent:
        return api::Status::NotFound("key \"" + key + "\" not found");
      case ValueCache::Lookup::kUnknown:
        break;
    }
  }
  auto lease = readers_->Acquire();
  if (!lease.ok()) return lease.status();
  SqliteConn& conn = lease->conn();
  auto stmt = conn.Prepare(
      "SELECT id, create_revision, deleted, value FROM kv_log INDEXED BY kv_log_name_id "
      "WHERE name = ?1 ORDER BY id DESC LIMIT 1");
  if (!stmt.ok()) return stmt.status();
  SqlQuery q(*stmt);
  q.BindText(1, key);
  int rc = q.Step();
  if (rc == SQLITE_ROW && q.Int(2) == 0) return KeyValue{key, q.Bytes(3), q.Int(1), q.Int(0)};
  if (rc == SQLITE_ROW || rc == SQLITE_DONE) {
    return api::Status::NotFound("key \"" + key + "\" not found");
  }
  return conn.Error("get");
}

api::Result<ListResult> SqliteBackend::List(const std::string& prefix,
                                            const std::string& start_after, int64_t limit,
                                            int64_t revision) {
  if (limit < 0 || revision < 0) {
    return api::Status::BadRequest("store: limit and revision must not be negative");
  }
  auto lease = readers_->Acquire();
  if (!lease.ok()) return lease.status();
  SqliteConn& conn = lease->conn();
  ReadSnapshot snapshot(conn);
  if (!snapshot.status().ok()) return snapshot.status();

  auto current = ReadCurrentRevision(conn);
  if (!current.ok()) return current.status();
  auto compacted = ReadCompactRevision(conn);
  if (!compacted.ok()) return compacted.status();
  if (revision != 0 && revision <= *compacted) return TooOldStatus(revision, *compacted);
  if (revision > *current) {
    return api::Status(api::Reason::kTimeout, "Too large resource version: " +
                                                  std::to_string(revision) + ", current: " +
                                                  std::to_string(*current));
  }

  ListResult result;
  result.revision = revision != 0 ? revision : *current;

  // Walk the (name, id, deleted) index in order; the last row of each name at or below the
  // revision is the key's state then. Values are read only for the keys returned, and the walk
  // stops at the first live key past `limit`.
  const bool after = !start_after.empty() && start_after >= prefix;
  const std::string& lower = after ? start_after : prefix;
  const std::optional<std::string> upper = PrefixEnd(prefix);
  auto range_sql = [&](const std::string& lower_op) {
    std::string sql = " FROM kv_log INDEXED BY kv_log_name_id WHERE name " + lower_op + " ?1";
    if (upper) sql += " AND name < ?2";
    return sql + " AND id <= ?3";
  };
  auto scan_stmt = conn.Prepare("SELECT name, id, deleted" + range_sql(after ? ">" : ">=") +
                                " ORDER BY name, id");
  if (!scan_stmt.ok()) return scan_stmt.status();
  auto row_stmt = conn.Prepare("SELECT create_revision, value FROM kv_log WHERE id = ?1");
  if (!row_stmt.ok()) return row_stmt.status();

  std::string name;
  int64_t id = 0;
  bool deleted = true;
  // Adds the key just passed in the walk; sets `more` (and stops the walk) past the limit.
  auto emit = [&]() -> api::Status {
    if (deleted) return api::Status::Ok();
    if (limit != 0 && static_cast<int64_t>(result.items.size()) >= limit) {
      result.more = true;
      return api::Status::Ok();
    }
    SqlQuery row(*row_stmt);
    row.Bind(1, id);
    if (row.Step() != SQLITE_ROW) return conn.Error("list: read row");
    result.items.push_back(KeyValue{name, row.Bytes(1), row.Int(0), id});
    return api::Status::Ok();
  };
  {
    SqlQuery scan(*scan_stmt);
    scan.BindText(1, lower).Bind(3, result.revision);
    if (upper) scan.BindText(2, *upper);
    int rc = SQLITE_DONE;
    bool have = false;
    while (!result.more && (rc = scan.Step()) == SQLITE_ROW) {
      std::string_view row_name = scan.BytesView(0);
      if (!have || row_name != name) {
        if (have) {
          api::Status s = emit();
          if (!s.ok()) return s;
          if (result.more) break;
        }
        name.assign(row_name);
        have = true;
      }
      id = scan.Int(1);
      deleted = scan.Int(2) != 0;
    }
    if (!result.more && rc != SQLITE_DONE) return conn.Error("list");
    if (!result.more && have) {
      api::Status s = emit();
      if (!s.ok()) return s;
    }
  }
  if (!result.more) return result;

  // remaining: live keys after the last one returned. SQLite takes the bare `deleted` column
  // from the row holding MAX(id), so this counts from the index alone.
  auto count_stmt = conn.Prepare("SELECT COUNT(*) FROM (SELECT MAX(id), deleted AS d" +
                                 range_sql(">") + " GROUP BY name) WHERE d = 0");
  if (!count_stmt.ok()) return count_stmt.status();
  SqlQuery count(*count_stmt);
  count.BindText(1, result.items.back().key).Bind(3, result.revision);
  if (upper) count.BindText(2, *upper);
  if (count.Step() != SQLITE_ROW) return conn.Error("list: count remaining");
  result.remaining = count.Int(0);
  return result;
}

api::Result<std::unique_ptr<Watch>> SqliteBackend::WatchPrefix(const std::string& prefix,
                                                               int64_t after_revision) {
  if (after_revision < 0) return api::Status::BadRequest("store: negative watch revision");
  int64_t compacted = writer_->compact_revision();
  if (after_revision != 0 && after_revision < compacted) {
    return TooOldStatus(after_revision, compacted);
  }
  // Subscribe first: every commit after `subscribed_at` reaches the watch live; the log supplies
  // (after_revision, subscribed_at], which is already committed. No gap, no overlap.
  int64_t subscribed_at = 0;
  std::unique_ptr<HubWatch> watch = hub_->Subscribe(prefix, after_revision, &subscribed_at);
  if (after_revision != 0 && after_revision < subscribed_at) {
    auto lease = readers_->Acquire();
    if (!lease.ok()) return lease.status();
    SqliteConn& conn = lease->conn();
    ReadSnapshot snapshot(conn);
    if (!snapshot.status().ok()) return snapshot.status();
    auto snap_compacted = ReadCompactRevision(conn);
    if (!snap_compacted.ok()) return snap_compacted.status();
    if (after_revision < *snap_compacted) return TooOldStatus(after_revision, *snap_compacted);

    auto stmt = conn.Prepare(std::string("SELECT ") + kLogRowColumns +
                             " FROM kv_log WHERE id > ?1 AND id <= ?2 ORDER BY id");
    if (!stmt.ok()) return stmt.status();
    SqlQuery q(*stmt);
    q.Bind(1, after_revision).Bind(2, subscribed_at);
    std::vector<Event> replay;
    int rc;
    while ((rc = q.Step()) == SQLITE_ROW) {
      std::string_view name = q.BytesView(1);
      if (name.substr(0, prefix.size()) != prefix) continue;
      replay.push_back(EventFromRow(q));
    }
    if (rc != SQLITE_DONE) return conn.Error("watch replay");
    watch->SetReplay(std::move(replay));
  }
  return std::unique_ptr<Watch>(std::move(watch));
}

Backend::Stats SqliteBackend::GetStats() {
  Stats stats;
  stats.db_size_bytes = FileSize(options_.path) + FileSize(options_.path + "-wal");
  stats.watchers = static_cast<int64_t>(hub_->watchers());
  if (auto lease = readers_->Acquire(); lease.ok()) {
    auto rows = lease->conn().QueryInt("SELECT COUNT(*) FROM kv_log", 0);
    if (rows.ok()) stats.rows = *rows;
  }
  return stats;
}

// ---------------------------------------------------------------------------------------------
// Writes: queued for the writer thread, which commits them in groups.

api::Result<int64_t> SqliteBackend::Create(const std::string& key, std::string value) {
  WriteRequest req;
  req.kind = WriteRequest::Kind::kCreate;
  req.key = key;
  req.value = std::move(value);
  writer_->Submit(&req);
  if (!req.status.ok()) return req.status;
  return req.revision;
}

void SqliteBackend::CreateAsync(const std::string& key, std::string value,
                                std::function<void(api::Result<int64_t>)> done) {
  auto* req = new WriteRequest;
  req->kind = WriteRequest::Kind::kCreate;
  req->key = key;
  req->value = std::move(value);
  req->on_finish = [done = std::move(done)](WriteRequest* r) {
    std::unique_ptr<WriteRequest> owned(r);
    if (owned->status.ok()) {
      done(owned->revision);
    } else {
      done(owned->status);
    }
  };
  writer_->SubmitAsync(req);
}

api::Result<int64_t> SqliteBackend::Update(const std::string& key, std::string value,
                                           int64_t expected_revision) {
  WriteRequest req;
  req.kind = WriteRequest::Kind::kUpdate;
  req.key = key;
  req.value = std::move(value);
  req.expected_revision = expected_revision;
  writer_->Submit(&req);
  if (!req.status.ok()) return req.status;
  return req.revision;
}

api::Result<KeyValue> SqliteBackend::Delete(const std::string& key, int64_t expected_revision) {
  WriteRequest req;
  req.kind = WriteRequest::Kind::kDelete;
  req.key = key;
  req.expected_revision = expected_revision;
  writer_->Submit(&req);
  if (!req.status.ok()) return req.status;
  return std::move(req.deleted);
}

}  // namespace kc::store
