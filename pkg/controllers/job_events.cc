#include "pkg/controllers/job_events.h"

#include <spdlog/spdlog.h>

#include <boost/json/serialize.hpp>
#include <cstdio>

#include "pkg/api/json_path.h"
#include "pkg/api/time_util.h"

namespace kc::controllers {
namespace {

const client::ResourceRef kEvents{"", "v1", "events"};
// Bound on remembered events; past it the memory starts over (repeats then create new Events).
constexpr size_t kMaxRecorded = 4096;

}  // namespace

JobEventRecorder::JobEventRecorder(client::Client& client, const JobWallClock& clock,
                                   std::string component, std::string api_version, std::string kind)
    : client_(client),
      clock_(clock),
      component_(std::move(component)),
      api_version_(std::move(api_version)),
      kind_(std::move(kind)) {}

void JobEventRecorder::Event(const boost::json::object& obj, const std::string& type,
                             const std::string& reason, const std::string& message) {
  const boost::json::object* meta = api::GetObject(obj, "metadata");
  if (!meta) return;
  std::string ns = api::GetString(*meta, "namespace");
  std::string name = api::GetString(*meta, "name");
  std::string uid = api::GetString(*meta, "uid");
  auto now = clock_.Now();
  std::string ts = api::FormatTime(now);
  std::string msg = message.size() > 1024 ? message.substr(0, 1021) + "..." : message;
  std::string key = uid + "\n" + type + "\n" + reason + "\n" + msg;

  std::lock_guard<std::mutex> l(mu_);
  if (auto it = recorded_.find(key); it != recorded_.end()) {
    boost::json::object patch;
    patch["count"] = it->second.count + 1;
    patch["lastTimestamp"] = ts;
    api::Result<client::Object> r =
        client_.Patch(kEvents, it->second.ns, it->second.name, client::PatchType::kMerge,
                      boost::json::serialize(patch));
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
      static_cast<unsigned long long>(std::chrono::duration_cast<std::chrono::nanoseconds>(
                                          std::chrono::system_clock::now().time_since_epoch())
                                          .count()));
  boost::json::object ev;
  ev["apiVersion"] = "v1";
  ev["kind"] = "Event";
  ev["metadata"] = boost::json::object{{"name", name + suffix}, {"namespace", ns}};
  boost::json::object involved;
  involved["apiVersion"] = api_version_;
  involved["kind"] = kind_;
  involved["namespace"] = ns;
  involved["name"] = name;
  involved["uid"] = uid;
  involved["resourceVersion"] = api::GetString(*meta, "resourceVersion");
  ev["involvedObject"] = std::move(involved);
  ev["reason"] = reason;
  ev["message"] = msg;
  ev["type"] = type;
  ev["source"] = boost::json::object{{"component", component_}};
  ev["firstTimestamp"] = ts;
  ev["lastTimestamp"] = ts;
  ev["count"] = 1;
  ev["reportingComponent"] = component_;
  ev["reportingInstance"] = "";
  api::Result<client::Object> r = client_.Create(kEvents, ns, ev);
  if (!r.ok()) {
    spdlog::debug("{}: recording event {} for {}/{}: {}", component_, reason, ns, name,
                  r.status().ToString());
    return;
  }
  recorded_[key] = Recorded{ns, name + suffix, 1};
}

}  // namespace kc::controllers
