#include "pkg/client/work_queue.h"

#include <algorithm>

namespace kc::client {

WorkQueue::WorkQueue(WorkQueueOptions opts)
    : opts_(opts), clock_(opts.clock ? opts.clock : Clock::Real()) {
  waker_id_ = clock_->AddWaker([this] {
    std::lock_guard<std::mutex> l(mu_);
    cv_.notify_all();
  });
}

WorkQueue::~WorkQueue() {
  ShutDown();
  clock_->RemoveWaker(waker_id_);
}

void WorkQueue::Add(const std::string& key) {
  std::lock_guard<std::mutex> l(mu_);
  AddLocked(key);
}

void WorkQueue::AddLocked(const std::string& key) {
  if (shutting_down_) return;
  if (dirty_.count(key)) return;
  dirty_.insert(key);
  if (processing_.count(key)) return;  // re-queued by Done
  queue_.push_back(key);
  cv_.notify_one();
}

void WorkQueue::AddAfter(const std::string& key, Clock::Duration delay) {
  std::lock_guard<std::mutex> l(mu_);
  if (shutting_down_) return;
  if (delay <= Clock::Duration::zero()) {
    AddLocked(key);
    return;
  }
  Clock::TimePoint deadline = clock_->Now() + delay;
  auto it = waiting_deadline_.find(key);
  if (it != waiting_deadline_.end()) {
    if (it->second <= deadline) return;
    auto range = waiting_.equal_range(it->second);
    for (auto w = range.first; w != range.second; ++w) {
      if (w->second == key) {
        waiting_.erase(w);
        break;
      }
    }
  }
  waiting_deadline_[key] = deadline;
  waiting_.emplace(deadline, key);
  cv_.notify_all();  // a Get may need a shorter sleep
}

Clock::Duration WorkQueue::NextBackoff(const std::string& key) const {
  std::lock_guard<std::mutex> l(mu_);
  auto it = failures_.find(key);
  int n = it == failures_.end() ? 0 : it->second;
  // base * 2^n without overflow: stop doubling once past the cap.
  auto delay = std::chrono::duration_cast<Clock::Duration>(opts_.base_delay);
  auto cap = std::chrono::duration_cast<Clock::Duration>(opts_.max_delay);
  for (int i = 0; i < n && delay < cap; ++i) delay *= 2;
  return std::min(delay, cap);
}

void WorkQueue::AddRateLimited(const std::string& key) {
  Clock::Duration delay = NextBackoff(key);
  {
    std::lock_guard<std::mutex> l(mu_);
    if (shutting_down_) return;
    failures_[key]++;
  }
  AddAfter(key, delay);
}

void WorkQueue::Forget(const std::string& key) {
  std::lock_guard<std::mutex> l(mu_);
  failures_.erase(key);
}

int WorkQueue::NumRequeues(const std::string& key) const {
  std::lock_guard<std::mutex> l(mu_);
  auto it = failures_.find(key);
  return it == failures_.end() ? 0 : it->second;
}

void WorkQueue::PromoteReadyLocked() const {
  if (waiting_.empty()) return;
  Clock::TimePoint now = clock_->Now();
  while (!waiting_.empty() && waiting_.begin()->first <= now) {
    std::string key = waiting_.begin()->second;
    waiting_.erase(waiting_.begin());
    waiting_deadline_.erase(key);
    if (shutting_down_ || dirty_.count(key)) continue;
    dirty_.insert(key);
    if (processing_.count(key)) continue;
    queue_.push_back(key);
  }
}

bool WorkQueue::Get(std::string* key) { return GetUntil(key, nullptr); }

bool WorkQueue::GetFor(std::string* key, Clock::Duration timeout) {
  Clock::TimePoint deadline = std::chrono::steady_clock::now() + timeout;
  return GetUntil(key, &deadline);
}

bool WorkQueue::GetUntil(std::string* key, const Clock::TimePoint* real_deadline) {
  std::unique_lock<std::mutex> l(mu_);
  for (;;) {
    PromoteReadyLocked();
    if (!queue_.empty()) break;
    if (shutting_down_) return false;
    // Sleep until the first delayed key is due (in the injected clock's time, re-checked when a
    // fake clock jumps), the caller's deadline, or a notification.
    Clock::TimePoint wake = Clock::TimePoint::max();
    if (!waiting_.empty()) {
      Clock::Duration left = waiting_.begin()->first - clock_->Now();
      wake = std::chrono::steady_clock::now() + left;
    }
    if (real_deadline) {
      if (std::chrono::steady_clock::now() >= *real_deadline) return false;
      wake = std::min(wake, *real_deadline);
    }
    if (wake == Clock::TimePoint::max()) {
      cv_.wait(l);
    } else {
      cv_.wait_until(l, wake);
    }
  }
  *key = std::move(queue_.front());
  queue_.pop_front();
  processing_.insert(*key);
  dirty_.erase(*key);
  return true;
}

void WorkQueue::Done(const std::string& key) {
  std::lock_guard<std::mutex> l(mu_);
  processing_.erase(key);
  if (dirty_.count(key)) {
    queue_.push_back(key);
    cv_.notify_one();
  }
}

void WorkQueue::ShutDown() {
  std::lock_guard<std::mutex> l(mu_);
  shutting_down_ = true;
  waiting_.clear();
  waiting_deadline_.clear();
  cv_.notify_all();
}

bool WorkQueue::ShuttingDown() const {
  std::lock_guard<std::mutex> l(mu_);
  return shutting_down_;
}

size_t WorkQueue::Len() const {
  std::lock_guard<std::mutex> l(mu_);
  PromoteReadyLocked();
  return queue_.size();
}

size_t WorkQueue::NumWaiting() const {
  std::lock_guard<std::mutex> l(mu_);
  PromoteReadyLocked();
  return waiting_.size();
}

}  // namespace kc::client
