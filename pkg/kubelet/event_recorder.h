// EventRecorder: the kubelet's Events about pods (Pulling, Pulled, Created, Started, Killing,
// BackOff, Unhealthy, Failed...), a thin layer over client::EventRecorder (asynchronous,
// correlated and rate-limited as client-go) that fills involvedObject for a Pod and, for
// container events, fieldPath "spec.containers{name}" / "spec.initContainers{name}".
// source.component is "kubelet" and source.host the node.
//
// Thread-safety: safe from any thread; never blocks on the API server.
#pragma once

#include <boost/json/object.hpp>
#include <string>

#include "pkg/client/client.h"
#include "pkg/client/event_recorder.h"

namespace kc::kubelet {

class EventRecorder {
 public:
  EventRecorder(client::Client& client, std::string node, client::Clock* clock)
      : recorder_(client, "kubelet", std::move(node), clock) {}

  // `container` may be "" for pod-level events.
  void Record(const boost::json::object& pod, const std::string& container,
              const std::string& type, const std::string& reason, const std::string& message);
  void Normal(const boost::json::object& pod, const std::string& container,
              const std::string& reason, const std::string& message) {
    Record(pod, container, client::kEventTypeNormal, reason, message);
  }
  void Warning(const boost::json::object& pod, const std::string& container,
               const std::string& reason, const std::string& message) {
    Record(pod, container, client::kEventTypeWarning, reason, message);
  }
  // Waits until queued events are written (tests).
  void Flush() { recorder_.Flush(); }
  void Stop() { recorder_.Stop(); }

 private:
  client::EventRecorder recorder_;
};

}  // namespace kc::kubelet
