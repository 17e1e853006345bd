// QueueWatchStream: a WatchStream fed by a producer (the HTTP watch thread, the fake client)
// through a thread-safe queue.
//
// The producer calls Push for each event and Finish once at the end. An ERROR event finishes the
// stream with the Status it carries (Expired for a 410), after the event itself is delivered.
// The consumer sees queued events before the end: ended() turns true only once the producer
// finished and the queue is drained. Stop() ends the stream at once and drops queued events.
//
// Thread-safety: Push/Finish may be called from one thread while Next/Stop/ended/status are
// called from others.
#pragma once

#include <condition_variable>
#include <deque>
#include <mutex>

#include "pkg/client/client.h"

namespace kc::client {

class QueueWatchStream : public WatchStream {
 public:
  QueueWatchStream() = default;
  ~QueueWatchStream() override = default;

  // Producer side. Both are no-ops once the stream is finished or stopped.
  void Push(WatchEvent ev);
  void Finish(api::Status status);

  // Consumer side (WatchStream).
  bool Next(WatchEvent* ev, int timeout_ms) override;
  bool ended() const override;
  api::Status status() const override;
  void Stop() override;

  bool stopped() const;
  bool finished() const;

 protected:
  // Called once by Stop(), without the lock held; lets a subclass abort its producer.
  virtual void OnStop() {}

 private:
  mutable std::mutex mu_;
  std::condition_variable cv_;
  // Guarded by mu_.
  std::deque<WatchEvent> events_;
  bool finished_ = false;
  bool stopped_ = false;
  api::Status status_;
};

const char* WatchEventTypeName(WatchEventType type);  // "ADDED", ...
// Parses "ADDED" etc.; false for an unknown name.
bool ParseWatchEventType(const std::string& name, WatchEventType* type);

}  // namespace kc::client
