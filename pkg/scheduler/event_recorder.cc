#include "pkg/scheduler/event_recorder.h"

#include <spdlog/spdlog.h>

#include <boost/json/serialize.hpp>
#include <chrono>
#include <cstdio>

#include "pkg/api/json_path.h"
#include "pkg/api/time_util.h"

namespace kc::scheduler {
namespace json = boost::json;
namespace {

const client::ResourceRef kEvents{"", "v1", "events"};
// Bound on remembered events; past it the memory starts over (repeats then create new Events).
constexpr size_t kMaxRecorded = 4096;

}  // namespace

EventRecorder::EventRecorder(client::Client& client, std::string component, std::string instance)
    : client_(client), component_(std::move(component)), instance_(std::move(instance)) {}

void EventRecorder::PodEvent(const json::object& pod, const std::string& type,
                             const std::string& reason, const std::string& message) {
  const json::object* meta = api::GetObject(pod, "metadata");
  if (!meta) return;
  std::string ns = api::GetString(*meta, "namespace");
  std::string name = api::GetString(*meta, "name");
  std::string uid = api::GetString(*meta, "uid");
  auto now = api::Clock::now();
  std::string ts = api::FormatTime(now);
  std::string msg = message.size() > 1024 ? message.substr(0, 1021) + "..." : message;
  std::string key = uid + "\n" + type + "\n" + reason + "\n" + msg;

  std::lock_guard<std::mutex> l(mu_);
  if (auto it = recorded_.find(key); it != recorded_.end()) {
    json::object patch;
    patch["count"] = it->second.count + 1;
    patch["lastTimestamp"] = ts;
    auto r = client_.Patch(kEvents, it->second.ns, it->second.name, client::PatchType::kMerge,
                           json::serialize(patch));
    if (r.ok()) {
      ++it->second.count;
      return;
    }
    recorded_.erase(it);
  }
  if (recorded_.size() >= kMaxRecorded) recorded_.clear();

  char suffix[32];
  std::snprintf(
      suffix, sizeof(suffix), ".%llx",
      static_cast<unsigned long long>(
          std::chrono::duration_cast<std::chrono::nanoseconds>(now.time_since_epoch()).count()));
  json::object ev;
  ev["apiVersion"] = "v1";
  ev["kind"] = "Event";
  json::object emeta;
  emeta["name"] = name + suffix;
  emeta["namespace"] = ns;
  ev["metadata"] = std::move(emeta);
  json::object involved;
  involved["apiVersion"] = "v1";
  involved["kind"] = "Pod";
  involved["namespace"] = ns;
  involved["name"] = name;
  involved["uid"] = uid;
  involved["resourceVersion"] = api::GetString(*meta, "resourceVersion");
  ev["involvedObject"] = std::move(involved);
  ev["reason"] = reason;
  ev["message"] = msg;
  ev["type"] = type;
  ev["source"] = json::object{{"component", component_}};
  ev["firstTimestamp"] = ts;
  ev["lastTimestamp"] = ts;
  ev["count"] = 1;
  ev["reportingComponent"] = component_;
  ev["reportingInstance"] = instance_;
  auto r = client_.Create(kEvents, ns, ev);
  if (!r.ok()) {
    spdlog::debug("scheduler: recording event {} for {}/{}: {}", reason, ns, name,
                  r.status().ToString());
    return;
  }
  recorded_[key] = Recorded{ns, api::GetString(ev["metadata"].get_object(), "name"), 1};
}

}  // namespace kc::scheduler
