// JobEventRecorder: writes core/v1 Events about Jobs, CronJobs and their Pods on behalf of the
// Job and CronJob controllers (source.component "job-controller" / "cronjob-controller"), so
// `kubectl describe job|cronjob` shows what the controller did. Events are named
// "<object>.<hex nanos>" as upstream names them; a repeat of the same type, reason and message
// for the same object bumps the existing Event's count and lastTimestamp instead.
//
// Events are best effort: failures to write them are logged at debug level and ignored.
//
// Thread-safety: safe to call from any thread.
#pragma once

#include <boost/json/object.hpp>
#include <map>
#include <mutex>
#include <string>

#include "pkg/client/client.h"
#include "pkg/controllers/job_wall_clock.h"

namespace kc::controllers {

inline constexpr const char kEventNormal[] = "Normal";
inline constexpr const char kEventWarning[] = "Warning";

class JobEventRecorder {
 public:
  // `client` and `clock` must outlive the recorder. `api_version` and `kind` name the involved
  // objects' type (informer caches do not always carry it in the objects).
  JobEventRecorder(client::Client& client, const JobWallClock& clock, std::string component,
                   std::string api_version, std::string kind);

  // An Event whose involvedObject is `obj`, a namespaced object of the recorder's kind.
  void Event(const boost::json::object& obj, const std::string& type, const std::string& reason,
             const std::string& message);

 private:
  struct Recorded {
    std::string ns;
    std::string name;
    int64_t count = 0;
  };

  client::Client& client_;
  const JobWallClock& clock_;
  const std::string component_;
  const std::string api_version_;
  const std::string kind_;

  std::mutex mu_;
  // Guarded by mu_. Key: object uid + type + reason + message.
  std::map<std::string, Recorded> recorded_;
};

}  // namespace kc::controllers
