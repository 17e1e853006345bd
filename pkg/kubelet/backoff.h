// Backoff: per-key exponential back-off with upstream client-go flowcontrol.Backoff semantics,
// used for container restarts (CrashLoopBackOff) and image pulls (ImagePullBackOff).
//
//  - Next(key, event_time) starts the key at `initial` (or after a quiet period of 2*max since
//    the last update) and otherwise doubles its delay up to `max`.
//  - IsInBackOffSince(key, event_time): now - event_time is still inside the key's delay.
//  - IsInBackOffSinceUpdate(key): now - last update is still inside the key's delay.
//
// Times are wall-clock (container finish times come from the runtime as wall time); "now"
// comes from the kubelet's TimeSource.
//
// Thread-safety: safe to call from any thread.
#pragma once

#include <chrono>
#include <map>
#include <mutex>
#include <string>

#include "pkg/kubelet/time_source.h"

namespace kc::kubelet {

class Backoff {
 public:
  using Duration = std::chrono::milliseconds;
  using TimePoint = api::Clock::time_point;

  Backoff(const TimeSource& time, Duration initial, Duration max)
      : time_(time), initial_(initial), max_(max) {}

  void Next(const std::string& key, TimePoint event_time);
  TimePoint Now() const { return time_.Wall(); }
  bool IsInBackOffSince(const std::string& key, TimePoint event_time) const;
  bool IsInBackOffSinceUpdate(const std::string& key) const;
  // The key's current delay (0 when unknown).
  Duration Get(const std::string& key) const;
  // How long until the key's delay since `event_time` ends (0 when not in back-off).
  Duration Remaining(const std::string& key, TimePoint event_time) const;
  // How long until the key's delay since its last update ends (0 when not in back-off).
  Duration RemainingSinceUpdate(const std::string& key) const;
  void Reset(const std::string& key);
  // Drops every key whose prefix is `prefix` (a pod's keys when it goes away).
  void ResetPrefix(const std::string& prefix);

 private:
  struct Entry {
    Duration delay{0};
    TimePoint last_update{};
  };
  bool ExpiredLocked(const Entry& e, TimePoint now) const {
    return now - e.last_update > 2 * max_;
  }

  const TimeSource& time_;
  const Duration initial_;
  const Duration max_;
  mutable std::mutex mu_;
  std::map<std::string, Entry> entries_;  // guarded by mu_
};

}  // namespace kc::kubelet
