#include "pkg/client/clock.h"

#include <vector>

namespace kc::client {

Clock* Clock::Real() {
  static RealClock* clock = new RealClock();
  return clock;
}

Clock::TimePoint FakeClock::Now() const {
  std::lock_guard<std::mutex> l(mu_);
  return now_;
}

int FakeClock::AddWaker(std::function<void()> wake) {
  std::lock_guard<std::mutex> l(mu_);
  int id = next_id_++;
  wakers_[id] = std::move(wake);
  return id;
}

void FakeClock::RemoveWaker(int id) {
  std::lock_guard<std::mutex> call(call_mu_);
  std::lock_guard<std::mutex> l(mu_);
  wakers_.erase(id);
}

void FakeClock::Advance(Duration d) {
  std::lock_guard<std::mutex> call(call_mu_);
  std::vector<std::function<void()>> wakers;
  {
    std::lock_guard<std::mutex> l(mu_);
    now_ += d;
    for (auto& [id, w] : wakers_) wakers.push_back(w);
  }
  for (auto& w : wakers) w();
}

}  // namespace kc::client
