#include "pkg/store/log_table.h"

namespace kc::store {

namespace {

// auto_vacuum must be chosen before the first table exists; on an existing file it is a no-op.
constexpr const char* kSchema = R"sql(
CREATE TABLE IF NOT EXISTS kv_log (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  name TEXT NOT NULL,
  created INTEGER NOT NULL,
  deleted INTEGER NOT NULL,
  create_revision INTEGER NOT NULL,
  prev_revision INTEGER NOT NULL,
  value BLOB,
  old_value BLOB);
CREATE INDEX IF NOT EXISTS kv_log_name_id ON kv_log (name, id, deleted);
CREATE TABLE IF NOT EXISTS kv_meta (key TEXT PRIMARY KEY, value INTEGER NOT NULL);
INSERT OR IGNORE INTO kv_meta (key, value) VALUES ('compact_revision', 0);
)sql";

}  // namespace

api::Status SetUpWriterConnection(SqliteConn& conn, bool sync_full) {
  // WAL lets readers run beside the single writer. synchronous=FULL syncs the WAL on every
  // commit, so an acknowledged write survives power loss, not only a crash of the process.
  std::string pragmas =
      "PRAGMA auto_vacuum=INCREMENTAL;"
      "PRAGMA journal_mode=WAL;"
      "PRAGMA busy_timeout=5000;"
      "PRAGMA journal_size_limit=16777216;"
      "PRAGMA cache_size=-16384;"
      "PRAGMA mmap_size=268435456;"
      "PRAGMA temp_store=MEMORY;";
  pragmas += sync_full ? "PRAGMA synchronous=FULL;" : "PRAGMA synchronous=NORMAL;";
  api::Status s = conn.Exec(pragmas.c_str());
  if (!s.ok()) return s;
  auto mode = conn.Prepare("PRAGMA journal_mode");
  if (!mode.ok()) return mode.status();
  {
    SqlQuery q(*mode);
    if (q.Step() != SQLITE_ROW || q.Bytes(0) != "wal") {
      return api::Status::Internal("sqlite: could not switch the database to WAL mode");
    }
  }
  return conn.Exec(kSchema);
}

api::Status SetUpReaderConnection(SqliteConn& conn) {
  return conn.Exec(
      "PRAGMA busy_timeout=5000;"
      "PRAGMA cache_size=-8192;"
      "PRAGMA mmap_size=268435456;"
      "PRAGMA temp_store=MEMORY;"
      "PRAGMA query_only=1;");
}

api::Result<int64_t> ReadCurrentRevision(SqliteConn& conn) {
  // AUTOINCREMENT keeps the high-water mark in sqlite_sequence even if the newest row is gone.
  auto seq = conn.QueryInt("SELECT seq FROM sqlite_sequence WHERE name = 'kv_log'", 0);
  if (!seq.ok()) return seq;
  auto max_id = conn.QueryInt("SELECT COALESCE(MAX(id), 0) FROM kv_log", 0);
  if (!max_id.ok()) return max_id;
  return std::max(*seq, *max_id);
}

api::Result<int64_t> ReadCompactRevision(SqliteConn& conn) {
  return conn.QueryInt("SELECT value FROM kv_meta WHERE key = 'compact_revision'", 0);
}

std::optional<std::string> PrefixEnd(const std::string& prefix) {
  std::string end = prefix;
  while (!end.empty()) {
    unsigned char last = static_cast<unsigned char>(end.back());
    if (last != 0xff) {
      end.back() = static_cast<char>(last + 1);
      return end;
    }
    end.pop_back();
  }
  return std::nullopt;
}

bool HasPrefix(const std::string& key, const std::string& prefix) {
  return key.size() >= prefix.size() && key.compare(0, prefix.size(), prefix) == 0;
}

Event EventFromRow(const SqlQuery& q) {
  Event ev;
  int64_t id = q.Int(0);
  std::string name = q.Bytes(1);
  bool created = q.Int(2) != 0;
  bool deleted = q.Int(3) != 0;
  int64_t create_revision = q.Int(4);
  int64_t prev_revision = q.Int(5);
  ev.kv = KeyValue{name, q.Bytes(6), create_revision, id};
  if (deleted) {
    ev.type = EventType::kDelete;
    ev.prev_kv = KeyValue{name, ev.kv.value, create_revision, prev_revision};
  } else {
    ev.type = EventType::kPut;
    ev.created = created;
    if (!created) ev.prev_kv = KeyValue{name, q.Bytes(7), create_revision, prev_revision};
  }
  return ev;
}

api::Status TooOldStatus(int64_t revision, int64_t compacted) {
  return api::Status::Expired("too old resource version: " + std::to_string(revision) + " (" +
                              std::to_string(compacted) + ")");
}

}  // namespace kc::store
