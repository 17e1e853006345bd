// ValueCache: the newest value of every live key, in memory, so point reads (the API server's
// GETs, the namespace check on every create, the read before every update) need no SQLite read
// transaction. Like the API server's watch cache upstream, it trades memory for reads; a byte
// budget bounds it.
//
// It is authoritative while complete: the LogWriter loads it with the key index at start and
// applies every committed write to it before acknowledging the write, so a hit is never older
// than an acknowledged write and a miss means the key does not exist. Once the budget would be
// exceeded it stops taking new keys and says so (kUnknown): from then on a miss is answered from
// SQLite, while cached keys keep being updated and removed.
//
// Thread-safety: Lookup may be called from any thread; Put/Erase/MarkIncomplete come from the
// writer thread (any thread is safe, they take the exclusive lock).
#pragma once

#include <cstddef>
#include <memory>
#include <shared_mutex>
#include <string>
#include <unordered_map>

#include "pkg/store/backend.h"

namespace kc::store {

class ValueCache {
 public:
  explicit ValueCache(size_t budget_bytes) : budget_(budget_bytes) {}

  enum class Lookup { kHit, kAbsent, kUnknown };
  // kHit: `*out` is the newest value. kAbsent: the key does not exist. kUnknown: ask the DB.
  Lookup Get(const std::string& key, KeyValue* out) const;

  void Put(const KeyValue& kv);
  void Erase(const std::string& key);
  // The cache no longer holds every key (budget reached, or a failed load).
  void MarkIncomplete();

  bool complete() const;
  size_t bytes() const;
  size_t size() const;

 private:
  static size_t Cost(const KeyValue& kv) { return kv.key.size() * 2 + kv.value.size() + 64; }

  const size_t budget_;
  mutable std::shared_mutex mu_;
  // guarded by mu_
  std::unordered_map<std::string, std::shared_ptr<const KeyValue>> map_;
  size_t bytes_ = 0;
  bool complete_ = true;
};

}  // namespace kc::store
