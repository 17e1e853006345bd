// WatchHub: the one in-memory fan-out of committed events to every live watch; HubWatch: one
// watch fed by the hub (and, before its live events, by a replay from the log).
//
// The writer thread calls Publish after each commit with the batch's events in revision order.
// Events are shared (shared_ptr<const Event>), so publishing costs one pointer per matching
// watcher; the consumer copies when it polls. Each watch buffers at most `buffer_size` live
// events: one that overflows is closed with Gone("watch buffer overflow ...") and dropped from
// the hub, so a slow consumer never blocks the writer. It can still drain what it had buffered and
// resume from the last revision it saw.
//
// Lock order: WatchHub::mu_ before HubWatch::mu_. Notify callbacks run with no lock held.
// Thread-safety: WatchHub is safe for concurrent use. A HubWatch follows the Watch contract (one
// consumer thread at a time); the hub feeds it from the writer thread.
#pragma once

#include <condition_variable>
#include <cstdint>
#include <deque>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "pkg/api/status.h"
#include "pkg/store/backend.h"

namespace kc::store {

class WatchHub;

class HubWatch final : public Watch {
 public:
  ~HubWatch() override;

  bool Poll(std::vector<Event>* out, size_t max = 1024) override;
  bool Wait(int timeout_ms) override;
  void SetNotify(std::function<void()> notify) override;
  void Stop() override;
  api::Status closed_status() const override;

  // The events the watch starts with, read from the log (all older than any live event). Called
  // once by the backend before the watch is handed to the consumer.
  void SetReplay(std::vector<Event> events);

 private:
  friend class WatchHub;
  HubWatch(std::shared_ptr<WatchHub> hub, std::string prefix, int64_t after_revision,
           size_t buffer_size);

  // Called by the hub with its mutex held. Returns true if the consumer should be notified.
  bool AddLive(const std::shared_ptr<const Event>& ev);
  bool CloseLocked(api::Status status);  // returns true if the consumer should be notified
  std::function<void()> TakeNotifyLocked();

  const std::shared_ptr<WatchHub> hub_;
  const std::string prefix_;
  const size_t buffer_size_;

  mutable std::mutex mu_;
  std::condition_variable cv_;
  // --- guarded by mu_ ---
  std::deque<Event> replay_;
  std::deque<std::shared_ptr<const Event>> live_;
  int64_t last_revision_;    // newest revision handed to the consumer (or the start point)
  bool closed_ = false;      // no more events will be added
  bool stopped_ = false;     // the consumer called Stop
  bool notify_armed_ = true;  // a notify is due when something becomes pending
  api::Status closed_status_;
  std::function<void()> notify_;
};

class WatchHub : public std::enable_shared_from_this<WatchHub> {
 public:
  WatchHub(int64_t revision, size_t buffer_size);

  // Registers a watch for keys with `prefix`. Every event published after this call (all with a
  // revision > *subscribed_at) reaches it; events at or below `after_revision` are skipped.
  std::unique_ptr<HubWatch> Subscribe(const std::string& prefix, int64_t after_revision,
                                      int64_t* subscribed_at);
  // `events` are consecutive commits, in increasing revision order.
  void Publish(const std::vector<std::shared_ptr<const Event>>& events);
  // Closes every watch (e.g. the store is shutting down); later Subscribes get closed watches.
  void CloseAll(const api::Status& status);

  size_t watchers() const;
  int64_t revision() const;

 private:
  friend class HubWatch;
  void Unsubscribe(HubWatch* watch);

  const size_t buffer_size_;
  mutable std::mutex mu_;
  // --- guarded by mu_ ---
  std::vector<HubWatch*> watches_;
  int64_t revision_;  // newest published revision
  bool closed_ = false;
  api::Status closed_status_;
};

}  // namespace kc::store
