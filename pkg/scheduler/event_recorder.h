// EventRecorder: writes core/v1 Events about pods on behalf of the scheduler
// (source.component / reportingComponent "default-scheduler"), named "<pod>.<hex nanos>" as
// upstream names them. A repeat of the same type, reason and message for the same pod bumps the
// existing Event's count and lastTimestamp instead of creating another one.
//
// Failures to write events are logged and otherwise ignored: events are best effort.
//
// Thread-safety: safe to call from any thread.
#pragma once

#include <boost/json/object.hpp>
#include <map>
#include <mutex>
#include <string>

#include "pkg/client/client.h"

namespace kc::scheduler {

class EventRecorder {
 public:
  EventRecorder(client::Client& client, std::string component, std::string instance);

  void PodEvent(const boost::json::object& pod, const std::string& type, const std::string& reason,
                const std::string& message);

 private:
  struct Recorded {
    std::string ns;
    std::string name;
    int64_t count = 0;
  };

  client::Client& client_;
  const std::string component_;
  const std::string instance_;

  std::mutex mu_;
  // Guarded by mu_. Key: pod uid + type + reason + message.
  std::map<std::string, Recorded> recorded_;
};

}  // namespace kc::scheduler
