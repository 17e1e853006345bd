// EventRecorder: the scheduler's Events about pods (Scheduled, FailedScheduling), a thin layer
// over client::EventRecorder (asynchronous, correlated and rate-limited as client-go: a repeat
// bumps the existing Event's count) with source.component / reportingComponent
// "default-scheduler" and the scheduler's instance as source.host / reportingInstance.
// Messages are cut to 1,024 bytes, as events.k8s.io limits a note.
//
// Thread-safety: safe from any thread; never blocks on the API server.
#pragma once

#include <boost/json/object.hpp>
#include <string>

#include "pkg/client/client.h"
#include "pkg/client/event_recorder.h"

namespace kc::scheduler {

class EventRecorder {
 public:
  EventRecorder(client::Client& client, std::string component, std::string instance,
                client::Clock* clock = nullptr)
      : recorder_(client, std::move(component), std::move(instance), clock) {}

  void PodEvent(const boost::json::object& pod, const std::string& type, const std::string& reason,
                const std::string& message);
  // Waits until queued events are written (tests).
  void Flush() { recorder_.Flush(); }
  void Stop() { recorder_.Stop(); }

 private:
  client::EventRecorder recorder_;
};

}  // namespace kc::scheduler
