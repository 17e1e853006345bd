#include "pkg/kubelet/backoff.h"

#include <algorithm>

namespace kc::kubelet {

void Backoff::Next(const std::string& key, TimePoint event_time) {
  std::lock_guard<std::mutex> l(mu_);
  auto it = entries_.find(key);
  if (it == entries_.end() || ExpiredLocked(it->second, event_time)) {
    entries_[key] = Entry{initial_, event_time};
    return;
  }
  it->second.delay = std::min(it->second.delay * 2, max_);
  it->second.last_update = event_time;
}

bool Backoff::IsInBackOffSince(const std::string& key, TimePoint event_time) const {
  std::lock_guard<std::mutex> l(mu_);
  auto it = entries_.find(key);
  if (it == entries_.end()) return false;
  TimePoint now = time_.Wall();
  if (ExpiredLocked(it->second, now)) return false;
  return now - event_time < it->second.delay;
}

bool Backoff::IsInBackOffSinceUpdate(const std::string& key) const {
  std::lock_guard<std::mutex> l(mu_);
  auto it = entries_.find(key);
  if (it == entries_.end()) return false;
  TimePoint now = time_.Wall();
  if (ExpiredLocked(it->second, now)) return false;
  return now - it->second.last_update < it->second.delay;
}

Backoff::Duration Backoff::Get(const std::string& key) const {
  std::lock_guard<std::mutex> l(mu_);
  auto it = entries_.find(key);
  return it == entries_.end() ? Duration(0) : it->second.delay;
}

Backoff::Duration Backoff::Remaining(const std::string& key, TimePoint event_time) const {
  std::lock_guard<std::mutex> l(mu_);
  auto it = entries_.find(key);
  if (it == entries_.end()) return Duration(0);
  auto left = std::chrono::duration_cast<Duration>(event_time + it->second.delay - time_.Wall());
  return std::max(left, Duration(0));
}

Backoff::Duration Backoff::RemainingSinceUpdate(const std::string& key) const {
  std::lock_guard<std::mutex> l(mu_);
  auto it = entries_.find(key);
  if (it == entries_.end()) return Duration(0);
  auto left = std::chrono::duration_cast<Duration>(it->second.last_update + it->second.delay -
                                                   time_.Wall());
  return std::max(left, Duration(0));
}

void Backoff::Reset(const std::string& key) {
  std::lock_guard<std::mutex> l(mu_);
  entries_.erase(key);
}

void Backoff::ResetPrefix(const std::string& prefix) {
  std::lock_guard<std::mutex> l(mu_);
  for (auto it = entries_.lower_bound(prefix);
       it != entries_.end() && it->first.compare(0, prefix.size(), prefix) == 0;) {
    it = entries_.erase(it);
  }
}

}  // namespace kc::kubelet
