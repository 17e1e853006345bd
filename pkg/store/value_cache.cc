#include "pkg/store/value_cache.h"

#include <mutex>

namespace kc::store {

ValueCache::Lookup ValueCache::Get(const std::string& key, KeyValue* out) const {
  std::shared_ptr<const KeyValue> kv;
  {
    std::shared_lock<std::shared_mutex> l(mu_);
    auto it = map_.find(key);
    if (it == map_.end()) return complete_ ? Lookup::kAbsent : Lookup::kUnknown;
    kv = it->second;
  }
  *out = *kv;  // copy outside the lock
  return Lookup::kHit;
}

void ValueCache::Put(const KeyValue& kv) {
  auto entry = std::make_shared<const KeyValue>(kv);
  std::unique_lock<std::shared_mutex> l(mu_);
  auto it = map_.find(kv.key);
  if (it != map_.end()) {
    bytes_ = bytes_ - Cost(*it->second) + Cost(kv);
    it->second = std::move(entry);
    return;
  }
  if (bytes_ + Cost(kv) > budget_) {
    complete_ = false;  // a miss must now be answered by the DB
    return;
  }
  bytes_ += Cost(kv);
  map_.emplace(kv.key, std::move(entry));
}

void ValueCache::Erase(const std::string& key) {
  std::unique_lock<std::shared_mutex> l(mu_);
  auto it = map_.find(key);
  if (it == map_.end()) return;
  bytes_ -= Cost(*it->second);
  map_.erase(it);
}

void ValueCache::MarkIncomplete() {
  std::unique_lock<std::shared_mutex> l(mu_);
  complete_ = false;
}

bool ValueCache::complete() const {
  std::shared_lock<std::shared_mutex> l(mu_);
  return complete_;
}

size_t ValueCache::bytes() const {
  std::shared_lock<std::shared_mutex> l(mu_);
  return bytes_;
}

size_t ValueCache::size() const {
  std::shared_lock<std::shared_mutex> l(mu_);
  return map_.size();
}

}  // namespace kc::store
