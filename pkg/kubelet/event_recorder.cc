#include "pkg/kubelet/event_recorder.h"

#include "pkg/api/json_path.h"
#include "pkg/kubelet/pod_util.h"

namespace kc::kubelet {

void EventRecorder::Record(const boost::json::object& pod, const std::string& container,
                           const std::string& type, const std::string& reason,
                           const std::string& message) {
  client::ObjectReference ref;
  ref.api_version = "v1";
  ref.kind = "Pod";
  ref.ns = PodNamespace(pod);
  ref.name = PodName(pod);
  ref.uid = PodUid(pod);
  if (const boost::json::object* meta = api::GetObject(pod, "metadata")) {
    ref.resource_version = api::GetString(*meta, "resourceVersion");
  }
  if (!container.empty()) {
    ref.field_path = std::string(IsInitContainer(pod, container) ? "spec.initContainers{"
                                                                 : "spec.containers{") +
                     container + "}";
  }
  if (ref.ns.empty() || ref.name.empty()) return;
  recorder_.Event(ref, type, reason, message);
}

}  // namespace kc::kubelet
