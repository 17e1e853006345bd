#include "pkg/client/watch_queue.h"

#include <chrono>

#include "pkg/client/status_json.h"

namespace kc::client {

void QueueWatchStream::Push(WatchEvent ev) {
  std::lock_guard<std::mutex> l(mu_);
  if (finished_ || stopped_) return;
  if (ev.type == WatchEventType::kError) {
    api::Status st = StatusFromJson(ev.object, 500);
    if (st.ok()) st = api::Status::Internal("watch ERROR event without a failure status");
    status_ = std::move(st);
    finished_ = true;
  }
  events_.push_back(std::move(ev));
  cv_.notify_all();
}

void QueueWatchStream::Finish(api::Status status) {
  std::lock_guard<std::mutex> l(mu_);
  if (finished_ || stopped_) return;
  finished_ = true;
  status_ = std::move(status);
  cv_.notify_all();
}

bool QueueWatchStream::Next(WatchEvent* ev, int timeout_ms) {
  std::unique_lock<std::mutex> l(mu_);
  cv_.wait_for(l, std::chrono::milliseconds(timeout_ms < 0 ? 0 : timeout_ms),
               [this] { return !events_.empty() || finished_ || stopped_; });
  if (stopped_ || events_.empty()) return false;
  *ev = std::move(events_.front());
  events_.pop_front();
  return true;
}

bool QueueWatchStream::ended() const {
  std::lock_guard<std::mutex> l(mu_);
  return stopped_ || (finished_ && events_.empty());
}

api::Status QueueWatchStream::status() const {
  std::lock_guard<std::mutex> l(mu_);
  return status_;
}

void QueueWatchStream::Stop() {
  {
    std::lock_guard<std::mutex> l(mu_);
    if (stopped_) return;
    stopped_ = true;
    events_.clear();
    cv_.notify_all();
  }
  OnStop();
}

bool QueueWatchStream::stopped() const {
  std::lock_guard<std::mutex> l(mu_);
  return stopped_;
}

bool QueueWatchStream::finished() const {
  std::lock_guard<std::mutex> l(mu_);
  return finished_;
}

const char* WatchEventTypeName(WatchEventType type) {
  switch (type) {
    case WatchEventType::kAdded: return "ADDED";
    case WatchEventType::kModified: return "MODIFIED";
    case WatchEventType::kDeleted: return "DELETED";
    case WatchEventType::kBookmark: return "BOOKMARK";
    case WatchEventType::kError: return "ERROR";
  }
  return "ERROR";
}

bool ParseWatchEventType(const std::string& name, WatchEventType* type) {
  static const WatchEventType kAll[] = {WatchEventType::kAdded, WatchEventType::kModified,
                                        WatchEventType::kDeleted, WatchEventType::kBookmark,
                                        WatchEventType::kError};
  for (WatchEventType t : kAll) {
    if (name == WatchEventTypeName(t)) {
      *type = t;
      return true;
    }
  }
  return false;
}

}  // namespace kc::client
