#include "pkg/scheduler/event_recorder.h"

namespace kc::scheduler {

void EventRecorder::PodEvent(const boost::json::object& pod, const std::string& type,
                             const std::string& reason, const std::string& message) {
  client::ObjectReference ref = client::ObjectReference::Of(pod, "Pod", "v1");
  if (ref.ns.empty() || ref.name.empty()) return;
  recorder_.Event(ref, type, reason,
                  message.size() > 1024 ? message.substr(0, 1021) + "..." : message);
}

}  // namespace kc::scheduler
