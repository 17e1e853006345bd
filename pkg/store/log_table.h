// The on-disk layout of the revision log and small helpers shared by the reader and the writer.
//
// Table `kv_log` is append-only (kine style): every create, update and delete appends one row
// whose `id` is the global revision (the object's resourceVersion).
//   id              revision of this write
//   name            the key
//   created         1 if this write created the key
//   deleted         1 if this write deleted the key (a tombstone; `value` holds the last value)
//   create_revision revision that created the key
//   prev_revision   the key's previous row (its mod_revision before this write), 0 on create
//   value           the value after the write (the last value for a tombstone)
//   old_value       the value before an update (NULL for create and delete)
// Index kv_log_name_id (name, id, deleted) serves Get, List at a revision and the live-key scan.
// Table `kv_meta` holds `compact_revision`: rows superseded at or below it may be gone.
//
// Thread-safety: free functions over a connection the caller owns.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "pkg/api/status.h"
#include "pkg/store/backend.h"
#include "pkg/store/sqlite_conn.h"

namespace kc::store {

// Columns selected by kLogRowColumns, in order.
inline constexpr const char* kLogRowColumns =
    "id, name, created, deleted, create_revision, prev_revision, value, old_value";

// Connection settings for the writer (creates the schema) and for readers.
api::Status SetUpWriterConnection(SqliteConn& conn, bool sync_full);
api::Status SetUpReaderConnection(SqliteConn& conn);

// The newest revision ever assigned (survives compaction of the rows themselves).
api::Result<int64_t> ReadCurrentRevision(SqliteConn& conn);
api::Result<int64_t> ReadCompactRevision(SqliteConn& conn);

// The smallest string greater than every string starting with `prefix`; nullopt when there is
// none ("" or all 0xff bytes).
std::optional<std::string> PrefixEnd(const std::string& prefix);
bool HasPrefix(const std::string& key, const std::string& prefix);

// Builds the watch event for the current row of `q` (selected with kLogRowColumns).
Event EventFromRow(const SqlQuery& q);

// "too old resource version: <rev> (<compacted>)"
api::Status TooOldStatus(int64_t revision, int64_t compacted);

}  // namespace kc::store
