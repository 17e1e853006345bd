// Metrics: process-wide counters exported at /metrics in the Prometheus text format
// (apiserver_request_total by verb/resource/code, request latency sums, open watches, store
// size, process RSS/CPU).
//
// Thread-safety: all methods are safe to call concurrently (atomics and one mutex).
#pragma once

#include <atomic>
#include <cstdint>
#include <map>
#include <mutex>
#include <string>
#include <tuple>

#include "pkg/store/backend.h"

namespace kc::apiserver {

class Metrics {
 public:
  void RecordRequest(const std::string& verb, const std::string& resource, int code,
                     double seconds);
  void WatchOpened() { ++open_watches_; }
  void WatchClosed() { --open_watches_; }
  int64_t open_watches() const { return open_watches_.load(); }
  // The exposition text; `backend` may be null.
  std::string Render(store::Backend* backend);

 private:
  std::mutex mu_;
  // (verb, resource, code) → (count, total seconds)
  std::map<std::tuple<std::string, std::string, int>, std::pair<int64_t, double>> requests_;
  std::atomic<int64_t> open_watches_{0};
};

}  // namespace kc::apiserver
