// ControllerLoop: the run loop every controller shares. A starter thread waits until the
// controller's informers synced, then N workers take keys from the work queue and call the
// controller's level-triggered sync: success forgets the key's backoff, failure requeues it with
// the queue's rate limit.
//
// Thread-safety: Start/Stop from the owning controller (one thread); `sync` runs on the worker
// threads, never twice at once for the same key (the WorkQueue guarantees it).
#pragma once

#include <atomic>
#include <functional>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "pkg/api/status.h"
#include "pkg/client/informer.h"
#include "pkg/client/work_queue.h"

namespace kc::controllers {

// The work-queue options of a controller's options struct (any with base_delay, max_delay and
// clock, as every controller's has).
template <class ControllerOptions>
client::WorkQueueOptions QueueOptionsFrom(const ControllerOptions& o) {
  client::WorkQueueOptions q;
  q.base_delay = o.base_delay;
  q.max_delay = o.max_delay;
  q.clock = o.clock;
  return q;
}

class ControllerLoop {
 public:
  using SyncFunc = std::function<api::Status(const std::string& key)>;

  // `queue` must outlive the loop.
  ControllerLoop(std::string name, client::WorkQueue& queue, SyncFunc sync);
  ~ControllerLoop();

  ControllerLoop(const ControllerLoop&) = delete;
  ControllerLoop& operator=(const ControllerLoop&) = delete;

  // Returns at once. No-op after the first call.
  void Start(std::vector<client::SharedInformer*> wait_for, int workers);
  // Shuts the queue down (keys still queued are dropped) and joins all threads.
  void Stop();
  // True once the informers synced and the workers run.
  bool Running() const { return running_.load(); }

 private:
  void Run(std::vector<client::SharedInformer*> wait_for, int workers);
  void Work();

  const std::string name_;
  client::WorkQueue& queue_;
  const SyncFunc sync_;
  std::atomic<bool> stop_{false};
  std::atomic<bool> running_{false};

  std::mutex mu_;
  // Guarded by mu_.
  std::thread starter_;
  bool started_ = false;
};

}  // namespace kc::controllers
