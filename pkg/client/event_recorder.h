// EventRecorder: writes core/v1 Events for a component (controller, scheduler, kubelet), with
// client-go's record.EventRecorder + EventCorrelator behaviour.
//
// Event() only builds the Event (timestamps and name taken at the call) and puts it on a bounded
// queue; one background thread correlates and writes. A full queue drops the event with a log,
// so a caller is never blocked by a slow or unreachable API server.
//
// Correlation, as upstream (client-go tools/record/events_cache.go):
//  - aggregation: when more than `max_similar_events` - 1 events with the same source, object,
//    type and reason but different messages arrive within `aggregate_interval`, they are written
//    as one Event with the message "(combined from similar events): <latest message>";
//  - deduplication: an event identical to one written before (same source, object, type, reason
//    and message) is a PATCH of the existing Event (count+1, lastTimestamp, message) instead of
//    a new object; if that Event is gone (TTL), a new one is created;
//  - spam filter: a token bucket per source + involved object (burst 25, one token per 5 min)
//    drops events beyond the rate.
// Events are named "<involvedName>.<hex unix nanos>" and live in the involved object's namespace
// ("default" for cluster-scoped objects). Writes are best effort: failures are logged and dropped.
//
// Thread-safety: Event, Flush and Stop may be called from any thread. Stop (also run by the
// destructor) writes what is queued and joins the thread; events after Stop are dropped.
#pragma once

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <deque>
#include <memory>
#include <mutex>
#include <string>
#include <thread>

#include "pkg/client/client.h"
#include "pkg/client/clock.h"

namespace kc::client {

inline constexpr const char kEventTypeNormal[] = "Normal";
inline constexpr const char kEventTypeWarning[] = "Warning";

// The object an Event is about (core/v1 ObjectReference).
struct ObjectReference {
  std::string api_version;
  std::string kind;
  std::string ns;
  std::string name;
  std::string uid;
  std::string resource_version;
  std::string field_path;

  // From the object's apiVersion, kind and metadata. `kind` / `api_version` override the
  // object's own fields (informer caches do not always carry them).
  static ObjectReference Of(const Object& obj, const std::string& kind = "",
                            const std::string& api_version = "");
};

// Limits; the defaults are client-go's.
struct EventRecorderOptions {
  size_t queue_size = 1000;  // events waiting to be written
  size_t cache_size = 4096;  // entries of each correlator cache (LRU)
  int spam_burst = 25;
  std::chrono::seconds spam_refill_interval{300};  // one token per interval
  size_t max_similar_events = 10;
  std::chrono::seconds aggregate_interval{600};
};

class EventRecorder {
 public:
  // `client` (and `clock`, when given) must outlive the recorder. `component` is source.component
  // and reportingComponent, `host` source.host and reportingInstance. With a clock (tests) wall
  // time advances with that clock from the system time at construction.
  EventRecorder(Client& client, std::string component, std::string host = "",
                Clock* clock = nullptr, EventRecorderOptions opts = {});
  ~EventRecorder();

  EventRecorder(const EventRecorder&) = delete;
  EventRecorder& operator=(const EventRecorder&) = delete;

  // `type` is "Normal" or "Warning" (others are dropped with a log).
  void Event(const Object& involved, const std::string& type, const std::string& reason,
             const std::string& message);
  void Event(const ObjectReference& ref, const std::string& type, const std::string& reason,
             const std::string& message);

  // Blocks until everything queued before the call was written (or dropped).
  void Flush();
  // Flushes, then ends the thread. Idempotent.
  void Stop();

  // Events dropped because the queue was full (or the recorder stopped).
  uint64_t Dropped() const;
  const std::string& component() const { return component_; }

 private:
  // One Event() call, as queued for the writer thread.
  struct Pending {
    ObjectReference ref;
    std::string type;
    std::string reason;
    std::string message;
    std::chrono::system_clock::time_point wall;  // timestamps and name
    Clock::TimePoint mono;                       // correlation windows and rate limits
    int64_t name_nanos = 0;  // the name suffix: wall nanos, made unique per recorder
  };
  class Correlator;

  void Run();
  void Write(Pending p);
  std::chrono::system_clock::time_point WallNow() const;

  Client& client_;
  const std::string component_;
  const std::string host_;
  Clock* const clock_;
  const EventRecorderOptions opts_;
  const std::chrono::system_clock::time_point wall_start_;
  const Clock::TimePoint clock_start_;
  // Used only by the writer thread.
  std::unique_ptr<Correlator> correlator_;

  mutable std::mutex mu_;
  std::condition_variable cv_;       // new work or stop
  std::condition_variable idle_cv_;  // queue drained
  // Guarded by mu_.
  std::deque<Pending> queue_;
  bool busy_ = false;  // the thread holds an event taken from queue_
  bool stopping_ = false;
  bool done_ = false;  // the thread has exited
  uint64_t dropped_ = 0;
  int64_t last_name_nanos_ = 0;  // a fake clock, or a coarse one, must not repeat names

  std::mutex join_mu_;  // serializes joins of thread_ (Stop from several threads)
  std::thread thread_;  // set in the constructor, joined under join_mu_
};

}  // namespace kc::client
