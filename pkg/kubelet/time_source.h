// TimeSource: the kubelet's one source of "now", built over an injectable client::Clock.
//
// Steady() is the clock's own time (back-off, probe schedules); Wall() is the wall-clock time
// derived from it (system time sampled at construction + elapsed clock time), so a FakeClock in
// tests moves timestamps, heartbeats and back-off windows together.
//
// Thread-safety: immutable after construction; safe from any thread.
#pragma once

#include <chrono>
#include <cstdint>

#include "pkg/api/time_util.h"
#include "pkg/client/clock.h"

namespace kc::kubelet {

class TimeSource {
 public:
  explicit TimeSource(client::Clock* clock)
      : clock_(clock ? clock : client::Clock::Real()),
        wall_base_(api::Clock::now()),
        steady_base_(clock_->Now()) {}

  client::Clock* clock() const { return clock_; }
  client::Clock::TimePoint Steady() const { return clock_->Now(); }
  api::Clock::time_point Wall() const {
    return wall_base_ + std::chrono::duration_cast<api::Clock::duration>(clock_->Now() -
                                                                         steady_base_);
  }
  // Wall time as nanoseconds since the epoch (the CRI's unit).
  int64_t WallNanos() const {
    return std::chrono::duration_cast<std::chrono::nanoseconds>(Wall().time_since_epoch())
        .count();
  }

 private:
  client::Clock* const clock_;
  const api::Clock::time_point wall_base_;
  const client::Clock::TimePoint steady_base_;
};

// Nanoseconds since the epoch (CRI timestamps) → a wall time point.
inline api::Clock::time_point FromNanos(int64_t ns) {
  return api::Clock::time_point(
      std::chrono::duration_cast<api::Clock::duration>(std::chrono::nanoseconds(ns)));
}

}  // namespace kc::kubelet
