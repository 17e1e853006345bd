// Cancellation: a one-shot flag a long-running blocking task (a followed log) polls and sleeps
// on, so cancelling it wakes the sleep at once instead of after the poll interval.
//
// Thread-safety: all methods may be called from any thread.
#pragma once

#include <chrono>
#include <condition_variable>
#include <mutex>

namespace kc::streaming {

class Cancellation {
 public:
  void Cancel() {
    {
      std::lock_guard<std::mutex> lock(mu_);
      cancelled_ = true;
    }
    cv_.notify_all();
  }
  bool cancelled() const {
    std::lock_guard<std::mutex> lock(mu_);
    return cancelled_;
  }
  // Sleeps up to `d`; returns true if cancelled (now or during the wait).
  bool WaitFor(std::chrono::steady_clock::duration d) const {
    std::unique_lock<std::mutex> lock(mu_);
    return cv_.wait_for(lock, d, [this] { return cancelled_; });
  }

 private:
  mutable std::mutex mu_;
  mutable std::condition_variable cv_;
  bool cancelled_ = false;  // guarded by mu_
};

}  // namespace kc::streaming
