// JobWallClock: wall-clock time ("now" as written into Job and CronJob status, compared with
// startTime, completionTime, schedules) for the Job and CronJob controllers, tied to the same
// injectable client::Clock that drives their work queues.
//
// With no clock (production) it is std::chrono::system_clock. With a clock (tests, usually a
// client::FakeClock) wall time is `start` plus however far that clock moved since the
// JobWallClock was made, so advancing the fake clock moves both the queue's delays and the
// controllers' idea of the date.
//
// Thread-safety: immutable after construction; Now may be called from any thread.
#pragma once

#include <chrono>
#include <optional>

#include "pkg/client/clock.h"

namespace kc::controllers {

class JobWallClock {
 public:
  using TimePoint = std::chrono::system_clock::time_point;

  // `clock` may be nullptr (the real system clock) and must outlive this object. `start` is the
  // wall time at this moment of `clock` (default: the system clock's now).
  explicit JobWallClock(client::Clock* clock, std::optional<TimePoint> start = std::nullopt)
      : clock_(clock),
        start_(start.value_or(std::chrono::system_clock::now())),
        clock_start_(clock ? clock->Now() : client::Clock::TimePoint{}) {}

  TimePoint Now() const {
    if (clock_ == nullptr) return std::chrono::system_clock::now();
    return start_ + std::chrono::duration_cast<TimePoint::duration>(clock_->Now() - clock_start_);
  }

 private:
  client::Clock* const clock_;
  const TimePoint start_;
  const client::Clock::TimePoint clock_start_;
};

}  // namespace kc::controllers
