// WorkQueue: the queue of object keys ("namespace/name") between a controller's event handlers
// and its workers, with the semantics of client-go's rate-limiting work queue.
//
//  - Add deduplicates: a key waiting in the queue is queued only once.
//  - A key is never handed to two workers at once: a key added while a worker processes it is
//    marked dirty and queued again when that worker calls Done.
//  - AddAfter delays an add; AddRateLimited delays it by a per-key exponential backoff
//    (base * 2^requeues, capped) that Forget resets.
//  - After ShutDown, Add is ignored; Get still hands out keys already queued, then returns false.
//
// Time comes from an injected Clock so tests can step through delays.
//
// Thread-safety: every method is safe to call from any thread.
#pragma once

#include <chrono>
#include <condition_variable>
#include <deque>
#include <map>
#include <mutex>
#include <set>
#include <string>
#include <unordered_map>
#include <unordered_set>

#include "pkg/client/clock.h"

namespace kc::client {

struct WorkQueueOptions {
  std::chrono::milliseconds base_delay{5};
  std::chrono::milliseconds max_delay{1000 * 1000};
  Clock* clock = nullptr;  // nullptr: Clock::Real()
};

class WorkQueue {
 public:
  WorkQueue() : WorkQueue(WorkQueueOptions{}) {}
  explicit WorkQueue(WorkQueueOptions opts);
  ~WorkQueue();

  WorkQueue(const WorkQueue&) = delete;
  WorkQueue& operator=(const WorkQueue&) = delete;

  void Add(const std::string& key);
  // Adds `key` once `delay` has passed (at once if delay <= 0). A key already waiting keeps the
  // earlier of the two deadlines.
  void AddAfter(const std::string& key, Clock::Duration delay);
  // AddAfter with the key's next backoff delay; counts one more requeue.
  void AddRateLimited(const std::string& key);
  // Clears the key's backoff (call after a successful sync).
  void Forget(const std::string& key);
  int NumRequeues(const std::string& key) const;
  // The delay the next AddRateLimited of `key` would use (for tests and logs).
  Clock::Duration NextBackoff(const std::string& key) const;

  // Blocks until a key is ready or the queue is shut down and drained. Returns false on shutdown.
  // The caller owns the key until it calls Done(key).
  bool Get(std::string* key);
  // Like Get but gives up after `timeout` (returns false; check ShuttingDown()).
  bool GetFor(std::string* key, Clock::Duration timeout);
  void Done(const std::string& key);

  void ShutDown();
  bool ShuttingDown() const;
  // Keys ready to be handed out (not counting delayed or in-process ones).
  size_t Len() const;
  // Keys waiting for their AddAfter deadline.
  size_t NumWaiting() const;

 private:
  void AddLocked(const std::string& key);
  // Moves every delayed key whose deadline passed into the queue.
  void PromoteReadyLocked() const;
  bool GetUntil(std::string* key, const Clock::TimePoint* real_deadline);

  const WorkQueueOptions opts_;
  Clock* const clock_;
  int waker_id_ = 0;

  mutable std::mutex mu_;
  mutable std::condition_variable cv_;
  // Guarded by mu_ (mutable: promotion of due keys happens inside const readers too).
  mutable std::deque<std::string> queue_;
  mutable std::unordered_set<std::string> dirty_;  // queued or to be re-queued after Done
  std::unordered_set<std::string> processing_;
  mutable std::multimap<Clock::TimePoint, std::string> waiting_;
  mutable std::unordered_map<std::string, Clock::TimePoint> waiting_deadline_;
  std::unordered_map<std::string, int> failures_;
  bool shutting_down_ = false;
};

}  // namespace kc::client
