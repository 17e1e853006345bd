// Clock: the source of "now" for time-based client machinery (work-queue delays and backoff),
// so tests can drive time by hand.
//
// RealClock reads std::chrono::steady_clock. FakeClock only moves when a test calls Advance; code
// that sleeps until a deadline registers a waker so it can re-check when a FakeClock jumps.
//
// Thread-safety: both implementations are safe to use from any thread.
#pragma once

#include <chrono>
#include <functional>
#include <map>
#include <mutex>

namespace kc::client {

class Clock {
 public:
  using TimePoint = std::chrono::steady_clock::time_point;
  using Duration = std::chrono::steady_clock::duration;

  virtual ~Clock() = default;
  virtual TimePoint Now() const = 0;

  // Registers `wake` to be called after the clock jumps forward (only fake clocks jump; a real
  // clock never calls it). Returns an id for RemoveWaker. `wake` must be cheap and must not call
  // back into the clock.
  virtual int AddWaker(std::function<void()> wake) { return 0; }
  // After RemoveWaker returns, the waker is not running and will not be called again.
  virtual void RemoveWaker(int id) {}

  // The process-wide real clock.
  static Clock* Real();
};

class RealClock : public Clock {
 public:
  TimePoint Now() const override { return std::chrono::steady_clock::now(); }
};

class FakeClock : public Clock {
 public:
  FakeClock() : now_(std::chrono::steady_clock::time_point{} + std::chrono::hours(1)) {}

  TimePoint Now() const override;
  int AddWaker(std::function<void()> wake) override;
  void RemoveWaker(int id) override;

  // Moves time forward by `d` and calls every waker.
  void Advance(Duration d);

 private:
  mutable std::mutex mu_;
  TimePoint now_;
  int next_id_ = 1;
  std::map<int, std::function<void()>> wakers_;
  // Held while wakers run, so RemoveWaker can wait for a running call to finish.
  std::mutex call_mu_;
};

}  // namespace kc::client
