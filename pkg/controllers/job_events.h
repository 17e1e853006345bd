// JobEventRecorder: the Job and CronJob controllers' Events about their objects
// (source.component "job-controller" / "cronjob-controller"), so `kubectl describe job|cronjob`
// shows what the controller did. A thin layer over client::EventRecorder (asynchronous,
// correlated and rate-limited as client-go: a repeat bumps the existing Event's count) that fills
// in the involved object's kind and apiVersion, which informer caches do not always carry.
//
// Thread-safety: safe from any thread; never blocks on the API server.
#pragma once

#include <boost/json/object.hpp>
#include <string>

#include "pkg/client/client.h"
#include "pkg/client/clock.h"
#include "pkg/client/event_recorder.h"

namespace kc::controllers {

inline constexpr const char* kEventNormal = client::kEventTypeNormal;
inline constexpr const char* kEventWarning = client::kEventTypeWarning;

class JobEventRecorder {
 public:
  // `client` and `clock` (nullptr: the real clocks) must outlive the recorder. `api_version`
  // and `kind` name the involved objects' type.
  JobEventRecorder(client::Client& client, client::Clock* clock, std::string component,
                   std::string api_version, std::string kind)
      : recorder_(client, std::move(component), "", clock),
        api_version_(std::move(api_version)),
        kind_(std::move(kind)) {}

  // An Event whose involvedObject is `obj`, a namespaced object of the recorder's kind.
  void Event(const boost::json::object& obj, const std::string& type, const std::string& reason,
             const std::string& message) {
    recorder_.Event(client::ObjectReference::Of(obj, kind_, api_version_), type, reason, message);
  }
  // Waits until queued events are written (tests).
  void Flush() { recorder_.Flush(); }
  void Stop() { recorder_.Stop(); }

 private:
  client::EventRecorder recorder_;
  const std::string api_version_;
  const std::string kind_;
};

}  // namespace kc::controllers
