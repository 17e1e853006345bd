#include "pkg/kubelet/probe_manager.h"

#include <spdlog/spdlog.h>

#include <vector>

#include "pkg/api/json_path.h"
#include "pkg/kubelet/handler_runner.h"
#include "pkg/kubelet/pod_util.h"

namespace kc::kubelet {
namespace {

const char* ProbeKey(ProbeType t) {
  return t == ProbeType::kLiveness    ? "livenessProbe"
         : t == ProbeType::kReadiness ? "readinessProbe"
                                      : "startupProbe";
}

int64_t ProbeInt(const json::object& probe, const char* key, int64_t def) {
  int64_t v = api::GetInt64(probe, key, def);
  return v <= 0 ? def : v;
}

}  // namespace

ProbeManager::ProbeManager(cri::Runtime& runtime, const TimeSource& time,
                           std::function<void(const std::string& uid)> on_change)
    : runtime_(runtime), time_(time), on_change_(std::move(on_change)) {}

void ProbeManager::UpdatePod(const json::object& pod_obj, const RuntimePod& rt,
                             const std::string& pod_ip) {
  auto pod = std::make_shared<const json::object>(pod_obj);
  std::string uid = PodUid(pod_obj);
  auto now = time_.Steady();
  std::lock_guard<std::mutex> l(mu_);
  std::set<Key> wanted;
  auto add = [&](const json::object& c) {
    std::string name = ContainerName(c);
    const RuntimeContainer* latest = rt.Latest(name);
    auto spec = std::make_shared<const json::object>(c);
    bool has_startup = api::GetObject(c, "startupProbe") != nullptr;
    for (ProbeType t : {ProbeType::kStartup, ProbeType::kLiveness, ProbeType::kReadiness}) {
      const json::object* probe = api::GetObject(c, ProbeKey(t));
      if (!probe) continue;
      Key key{uid, name, static_cast<int>(t)};
      wanted.insert(key);
      Worker& w = workers_[key];
      bool fresh = w.uid.empty();
      w.uid = uid;
      w.container = name;
      w.type = t;
      w.probe = *probe;
      w.pod = pod;
      w.spec = spec;
      w.pod_ip = pod_ip;
      if (fresh) w.result = Initial(t);
      if (latest && latest->id != w.container_id) {
        w.container_id = latest->id;
        w.result = Initial(t);
        w.last = Result::kUnknown;
        w.run = 0;
        w.on_hold = false;
        w.next_run = now;
      }
      w.running = latest && latest->state == ContainerState::kRunning;
      w.started_at = latest ? latest->started_at : 0;
      if (!w.running && t == ProbeType::kReadiness) w.result = Result::kFailure;
      if (t == ProbeType::kStartup) continue;
      if (!has_startup) {
        w.started = true;
      } else {
        auto s = workers_.find(Key{uid, name, static_cast<int>(ProbeType::kStartup)});
        w.started = s != workers_.end() && s->second.container_id == w.container_id &&
                    s->second.result == Result::kSuccess;
      }
    }
  };
  for (const json::value& c : Containers(pod_obj)) {
    if (c.is_object()) add(c.get_object());
  }
  for (const json::value& c : InitContainers(pod_obj)) {
    if (c.is_object() && IsRestartableInitContainer(c.get_object())) add(c.get_object());
  }
  for (auto it = workers_.lower_bound(Key{uid, "", 0});
       it != workers_.end() && std::get<0>(it->first) == uid;) {
    it = wanted.count(it->first) ? std::next(it) : workers_.erase(it);
  }
}

void ProbeManager::RemovePod(const std::string& uid) {
  std::lock_guard<std::mutex> l(mu_);
  for (auto it = workers_.lower_bound(Key{uid, "", 0});
       it != workers_.end() && std::get<0>(it->first) == uid;) {
    it = workers_.erase(it);
  }
}

void ProbeManager::RunDueProbes() {
  struct Job {
    Key key;
    Worker snapshot;
  };
  std::vector<Job> jobs;
  {
    std::lock_guard<std::mutex> l(mu_);
    auto now = time_.Steady();
    int64_t wall_ns = time_.WallNanos();
    for (auto& [key, w] : workers_) {
      if (w.busy || !w.running || w.on_hold || w.container_id.empty()) continue;
      if (w.type != ProbeType::kStartup && !w.started) continue;
      if (w.type == ProbeType::kStartup && w.result == Result::kSuccess) continue;
      if (now < w.next_run) continue;
      int64_t delay_ns = api::GetInt64(w.probe, "initialDelaySeconds", 0) * 1000000000LL;
      if (w.started_at > 0 && wall_ns - w.started_at < delay_ns) continue;
      w.busy = true;
      jobs.push_back({key, w});
    }
  }
  std::set<std::string> changed;
  for (Job& job : jobs) {
    const Worker& w = job.snapshot;
    HandlerTarget target{w.pod.get(), w.spec.get(), w.container_id, w.pod_ip};
    std::string output;
    HandlerResult hr = RunHandler(runtime_, w.probe, target,
                                  static_cast<int>(ProbeInt(w.probe, "timeoutSeconds", 1)), &output);
    if (hr == HandlerResult::kFailure && on_unhealthy_) {
      const char* what = w.type == ProbeType::kLiveness    ? "Liveness"
                         : w.type == ProbeType::kReadiness ? "Readiness"
                                                           : "Startup";
      on_unhealthy_(*w.pod, w.container, std::string(what) + " probe failed: " + output);
    }
    std::lock_guard<std::mutex> l(mu_);
    auto it = workers_.find(job.key);
    if (it == workers_.end()) continue;
    Worker& cur = it->second;
    cur.busy = false;
    cur.next_run = time_.Steady() + std::chrono::seconds(ProbeInt(cur.probe, "periodSeconds", 10));
    if (cur.container_id != w.container_id || hr == HandlerResult::kError) continue;
    Result r = hr == HandlerResult::kSuccess ? Result::kSuccess : Result::kFailure;
    if (r == Result::kFailure) {
      spdlog::info("kubelet: {} probe failed for container {} of pod {}: {}", ProbeKey(cur.type),
                   cur.container, cur.uid, output);
    }
    if (cur.last == r) {
      cur.run++;
    } else {
      cur.last = r;
      cur.run = 1;
    }
    int64_t threshold = r == Result::kFailure ? ProbeInt(cur.probe, "failureThreshold", 3)
                                              : ProbeInt(cur.probe, "successThreshold", 1);
    if (cur.run < threshold) continue;
    if (cur.result != r) {
      cur.result = r;
      changed.insert(cur.uid);
    }
    if (r == Result::kFailure && cur.type != ProbeType::kReadiness) {
      cur.on_hold = true;
      cur.run = 0;
    }
    if (cur.type == ProbeType::kStartup && r == Result::kSuccess) {
      for (ProbeType t : {ProbeType::kLiveness, ProbeType::kReadiness}) {
        auto o = workers_.find(Key{cur.uid, cur.container, static_cast<int>(t)});
        if (o != workers_.end() && o->second.container_id == cur.container_id) {
          o->second.started = true;
        }
      }
    }
  }
  for (const std::string& uid : changed) {
    if (on_change_) on_change_(uid);
  }
}

std::set<std::string> ProbeManager::ReadinessOk(const std::string& uid) const {
  std::set<std::string> out;
  std::lock_guard<std::mutex> l(mu_);
  for (auto it = workers_.lower_bound(Key{uid, "", 0});
       it != workers_.end() && std::get<0>(it->first) == uid; ++it) {
    if (it->second.type == ProbeType::kReadiness && it->second.result == Result::kSuccess) {
      out.insert(it->second.container_id);
    }
  }
  return out;
}

std::set<std::string> ProbeManager::StartupOk(const std::string& uid) const {
  std::set<std::string> out;
  std::lock_guard<std::mutex> l(mu_);
  for (auto it = workers_.lower_bound(Key{uid, "", 0});
       it != workers_.end() && std::get<0>(it->first) == uid; ++it) {
    if (it->second.type == ProbeType::kStartup && it->second.result == Result::kSuccess) {
      out.insert(it->second.container_id);
    }
  }
  return out;
}

ProbeVerdicts ProbeManager::Verdicts(const std::string& uid) const {
  ProbeVerdicts v;
  std::lock_guard<std::mutex> l(mu_);
  for (auto it = workers_.lower_bound(Key{uid, "", 0});
       it != workers_.end() && std::get<0>(it->first) == uid; ++it) {
    if (it->second.result != Result::kFailure) continue;
    if (it->second.type == ProbeType::kLiveness) v.liveness_failed.insert(it->second.container_id);
    if (it->second.type == ProbeType::kStartup) v.startup_failed.insert(it->second.container_id);
  }
  return v;
}

size_t ProbeManager::NumWorkers() const {
  std::lock_guard<std::mutex> l(mu_);
  return workers_.size();
}

}  // namespace kc::kubelet
