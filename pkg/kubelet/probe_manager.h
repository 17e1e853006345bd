// ProbeManager: runs the liveness, readiness and startup probes of the containers on the node
// (upstream pkg/kubelet/prober: one worker per (pod, container, probe type)).
//
// Worker rules as upstream: a new container instance resets the worker (readiness starts at
// Failure, liveness at Success, startup unknown); liveness/readiness wait for the startup probe
// to succeed; nothing runs before initialDelaySeconds after the container started; a result
// flips only after successThreshold / failureThreshold equal results in a row; after a liveness
// or startup failure the worker holds until the container is replaced. A changed result calls
// `on_change(pod uid)` so the pod is re-synced (status, restart).
//
// Thread-safety: every method is safe from any thread. RunDueProbes runs probes without holding
// the lock (they may block for their timeout).
#pragma once

#include <boost/json/object.hpp>
#include <functional>
#include <map>
#include <mutex>
#include <set>
#include <string>
#include <tuple>

#include "pkg/kubelet/cri/runtime.h"
#include "pkg/kubelet/pod_actions.h"
#include "pkg/kubelet/runtime_pod.h"
#include "pkg/kubelet/time_source.h"

namespace kc::kubelet {

namespace json = boost::json;

enum class ProbeType { kLiveness, kReadiness, kStartup };

class ProbeManager {
 public:
  ProbeManager(cri::Runtime& runtime, const TimeSource& time,
               std::function<void(const std::string& uid)> on_change);

  // Called (outside the lock) for every failed probe run: "Liveness probe failed: <output>".
  void SetUnhealthyHandler(
      std::function<void(const json::object& pod, const std::string& container,
                         const std::string& message)>
          handler) {
    on_unhealthy_ = std::move(handler);
  }

  // Adds/updates/removes the workers of the pod for its current spec and container instances.
  void UpdatePod(const json::object& pod, const RuntimePod& runtime, const std::string& pod_ip);
  void RemovePod(const std::string& uid);

  // Runs every probe that is due now. Called by the kubelet's probe thread (or tests).
  void RunDueProbes();

  // Container ids whose readiness / startup probe currently succeeds.
  std::set<std::string> ReadinessOk(const std::string& uid) const;
  std::set<std::string> StartupOk(const std::string& uid) const;
  // Containers to kill: liveness / startup failures.
  ProbeVerdicts Verdicts(const std::string& uid) const;
  size_t NumWorkers() const;

 private:
  enum class Result { kUnknown, kSuccess, kFailure };
  struct Worker {
    std::string uid;
    std::string container;
    ProbeType type;
    json::object probe;
    std::shared_ptr<const json::object> pod;
    std::shared_ptr<const json::object> spec;  // the container
    std::string container_id;
    bool running = false;
    int64_t started_at = 0;  // ns
    std::string pod_ip;
    Result result = Result::kUnknown;
    Result last = Result::kUnknown;
    int run = 0;
    bool on_hold = false;
    bool started = false;  // startup done (for liveness/readiness workers)
    client::Clock::TimePoint next_run{};
    bool busy = false;
  };
  using Key = std::tuple<std::string, std::string, int>;  // uid, container, type

  static Result Initial(ProbeType t) {
    return t == ProbeType::kReadiness  ? Result::kFailure
           : t == ProbeType::kLiveness ? Result::kSuccess
                                       : Result::kUnknown;
  }

  cri::Runtime& runtime_;
  const TimeSource& time_;
  const std::function<void(const std::string&)> on_change_;
  std::function<void(const json::object&, const std::string&, const std::string&)> on_unhealthy_;

  mutable std::mutex mu_;
  std::map<Key, Worker> workers_;  // guarded by mu_
};

}  // namespace kc::kubelet
