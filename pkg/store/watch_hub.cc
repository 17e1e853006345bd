#include "pkg/store/watch_hub.h"

#include <algorithm>
#include <chrono>

#include "pkg/store/log_table.h"

namespace kc::store {

// ---------------------------------------------------------------------------------------------
// HubWatch

HubWatch::HubWatch(std::shared_ptr<WatchHub> hub, std::string prefix, int64_t after_revision,
                   size_t buffer_size)
    : hub_(std::move(hub)),
      prefix_(std::move(prefix)),
      buffer_size_(buffer_size),
      last_revision_(after_revision) {}

HubWatch::~HubWatch() { Stop(); }

bool HubWatch::Poll(std::vector<Event>* out, size_t max) {
  std::lock_guard<std::mutex> lock(mu_);
  notify_armed_ = true;
  if (stopped_) return false;
  size_t taken = 0;
  while (taken < max && !replay_.empty()) {
    Event& ev = replay_.front();
    if (ev.kv.mod_revision > last_revision_) {
      last_revision_ = ev.kv.mod_revision;
      out->push_back(std::move(ev));
      ++taken;
    }
    replay_.pop_front();
  }
  while (taken < max && !live_.empty()) {
    const Event& ev = *live_.front();
    if (ev.kv.mod_revision > last_revision_) {
      last_revision_ = ev.kv.mod_revision;
      out->push_back(ev);
      ++taken;
    }
    live_.pop_front();
  }
  return taken > 0 || !closed_ || !replay_.empty() || !live_.empty();
}

bool HubWatch::Wait(int timeout_ms) {
  std::unique_lock<std::mutex> lock(mu_);
  auto ready = [this] { return closed_ || !replay_.empty() || !live_.empty(); };
  return cv_.wait_for(lock, std::chrono::milliseconds(std::max(timeout_ms, 0)), ready);
}

void HubWatch::SetNotify(std::function<void()> notify) {
  std::function<void()> now;
  {
    std::lock_guard<std::mutex> lock(mu_);
    notify_ = std::move(notify);
    notify_armed_ = true;
    if (closed_ || !replay_.empty() || !live_.empty()) now = TakeNotifyLocked();
  }
  if (now) now();
}

void HubWatch::Stop() {
  hub_->Unsubscribe(this);
  std::lock_guard<std::mutex> lock(mu_);
  stopped_ = true;
  closed_ = true;
  replay_.clear();
  live_.clear();
  notify_ = nullptr;
  cv_.notify_all();
}

api::Status HubWatch::closed_status() const {
  std::lock_guard<std::mutex> lock(mu_);
  return closed_status_;
}

void HubWatch::SetReplay(std::vector<Event> events) {
  std::lock_guard<std::mutex> lock(mu_);
  for (Event& ev : events) replay_.push_back(std::move(ev));
  cv_.notify_all();
}

bool HubWatch::AddLive(const std::shared_ptr<const Event>& ev) {
  if (closed_) return false;
  if (live_.size() >= buffer_size_) {
    return CloseLocked(api::Status::Gone(
        "watch buffer overflow: the watcher fell more than " + std::to_string(buffer_size_) +
        " events behind at revision " + std::to_string(ev->kv.mod_revision) +
        "; resume from the last revision received"));
  }
  live_.push_back(ev);
  cv_.notify_all();
  return true;
}

bool HubWatch::CloseLocked(api::Status status) {
  if (closed_) return false;
  closed_ = true;
  closed_status_ = std::move(status);
  cv_.notify_all();
  return true;
}

std::function<void()> HubWatch::TakeNotifyLocked() {
  if (!notify_armed_ || !notify_) return nullptr;
  notify_armed_ = false;
  return notify_;
}

// ---------------------------------------------------------------------------------------------
// WatchHub

WatchHub::WatchHub(int64_t revision, size_t buffer_size)
    : buffer_size_(std::max<size_t>(buffer_size, 1)), revision_(revision) {}

std::unique_ptr<HubWatch> WatchHub::Subscribe(const std::string& prefix, int64_t after_revision,
                                              int64_t* subscribed_at) {
  std::lock_guard<std::mutex> lock(mu_);
  *subscribed_at = revision_;
  int64_t start = after_revision == 0 ? revision_ : after_revision;
  std::unique_ptr<HubWatch> watch(new HubWatch(shared_from_this(), prefix, start, buffer_size_));
  if (closed_) {
    std::lock_guard<std::mutex> wlock(watch->mu_);
    watch->CloseLocked(closed_status_);
  } else {
    watches_.push_back(watch.get());
  }
  return watch;
}

void WatchHub::Publish(const std::vector<std::shared_ptr<const Event>>& events) {
  if (events.empty()) return;
  std::vector<std::function<void()>> notifies;
  {
    std::lock_guard<std::mutex> lock(mu_);
    revision_ = events.back()->kv.mod_revision;
    bool any_closed = false;
    for (HubWatch* w : watches_) {
      std::lock_guard<std::mutex> wlock(w->mu_);
      bool changed = false;
      for (const auto& ev : events) {
        if (!HasPrefix(ev->kv.key, w->prefix_)) continue;
        changed |= w->AddLive(ev);
        if (w->closed_) break;
      }
      any_closed |= w->closed_;
      if (changed) {
        if (auto fn = w->TakeNotifyLocked()) notifies.push_back(std::move(fn));
      }
    }
    if (any_closed) {
      // Overflowed watches leave the hub; their owners still hold (and later Stop) them.
      watches_.erase(std::remove_if(watches_.begin(), watches_.end(),
                                    [](HubWatch* w) {
                                      std::lock_guard<std::mutex> wlock(w->mu_);
                                      return w->closed_;
                                    }),
                     watches_.end());
    }
  }
  for (auto& fn : notifies) fn();
}

void WatchHub::CloseAll(const api::Status& status) {
  std::vector<std::function<void()>> notifies;
  {
    std::lock_guard<std::mutex> lock(mu_);
    closed_ = true;
    closed_status_ = status;
    for (HubWatch* w : watches_) {
      std::lock_guard<std::mutex> wlock(w->mu_);
      if (w->CloseLocked(status)) {
        if (auto fn = w->TakeNotifyLocked()) notifies.push_back(std::move(fn));
      }
    }
    watches_.clear();
  }
  for (auto& fn : notifies) fn();
}

void WatchHub::Unsubscribe(HubWatch* watch) {
  std::lock_guard<std::mutex> lock(mu_);
  auto it = std::find(watches_.begin(), watches_.end(), watch);
  if (it != watches_.end()) watches_.erase(it);
}

size_t WatchHub::watchers() const {
  std::lock_guard<std::mutex> lock(mu_);
  return watches_.size();
}

int64_t WatchHub::revision() const {
  std::lock_guard<std::mutex> lock(mu_);
  return revision_;
}

}  // namespace kc::store
