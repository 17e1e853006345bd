// Scheduler: kcluster's kube-scheduler. Watches pods and nodes through shared informers, queues
// the pods that have no node yet and name this scheduler (spec.schedulerName, "" meaning
// "default-scheduler"), and schedules them one at a time: snapshot the nodes with the pods bound
// (or assumed) to them, run the Framework's filters and scores, then bind the pod to the best
// node with POST pods/<name>/binding.
//
// A pod that fits nowhere gets the PodScheduled=False condition (reason Unschedulable, message
// upstream's FitError text) and a FailedScheduling Warning event, and waits until the cluster
// changes in a way that may help (a node added or changed in labels, taints, allocatable,
// conditions or unschedulable; a bound pod deleted or finished; the pod itself changed) or until
// `unschedulable_flush` passed. It then retries after its per-pod backoff (initial_backoff
// doubling per failed attempt up to max_backoff). A bound pod is "assumed" on its node until the
// informer shows the binding, so the next pods see its requests at once.
//
// Thread-safety: Start/Stop from the owning thread. Informer handlers run on informer threads and
// only touch the queue and the mutex-guarded bookkeeping; scheduling runs on one own thread.
// ScheduleOne may be called directly by tests when the scheduler is not started.
#pragma once

#include <atomic>
#include <chrono>
#include <map>
#include <memory>
#include <mutex>
#include <random>
#include <set>
#include <string>
#include <thread>
#include <unordered_map>
#include <vector>

#include "pkg/api/status.h"
#include "pkg/client/client.h"
#include "pkg/client/clock.h"
#include "pkg/client/informer_factory.h"
#include "pkg/client/work_queue.h"
#include "pkg/scheduler/event_recorder.h"
#include "pkg/scheduler/framework.h"
#include "pkg/scheduler/schedule_algorithm.h"

namespace kc::scheduler {

inline constexpr char kDefaultSchedulerName[] = "default-scheduler";

struct SchedulerOptions {
  std::string scheduler_name = kDefaultSchedulerName;
  // reportingInstance of events; "" = "<scheduler_name>-<hostname>".
  std::string instance;
  std::chrono::milliseconds initial_backoff{1000};
  std::chrono::milliseconds max_backoff{10000};
  // Unschedulable pods are retried after this long even without a cluster change.
  std::chrono::milliseconds unschedulable_flush{std::chrono::minutes(5)};
  // Seed for breaking score ties at random; 0 = nondeterministic. With `random_ties` false the
  // first best node in name order wins.
  uint32_t random_seed = 0;
  bool random_ties = true;
  bool record_events = true;
  // nullptr: the default plugin set (default_plugins.h).
  std::unique_ptr<Framework> framework;
  client::Clock* clock = nullptr;  // nullptr: Clock::Real()
};

class Scheduler {
 public:
  Scheduler(client::Client& client, client::SharedInformerFactory& factory, SchedulerOptions opts);
  ~Scheduler();

  Scheduler(const Scheduler&) = delete;
  Scheduler& operator=(const Scheduler&) = delete;

  // Starts the scheduling thread; it waits for the pod and node informers to sync. Returns at
  // once. The factory is started by its owner.
  void Start();
  // Stops scheduling and joins the thread, then writes the queued events. Final.
  void Stop();
  // Waits until the events recorded so far are written (tests).
  void FlushEvents() { events_.Flush(); }

  // One scheduling attempt for the pod under `key` ("ns/name"). Returns the outcome for tests:
  // the node bound to, or "" with the failure in `message` (when non-null).
  std::string ScheduleOne(const std::string& key, std::string* message = nullptr);

  // Number of pods waiting for a cluster change (for tests and metrics).
  size_t NumUnschedulable() const;

 private:
  struct Attempts {
    int failures = 0;
    client::Clock::TimePoint last_failure{};
  };

  void Run();
  void OnPodAdd(const client::ObjectPtr& pod);
  void OnPodUpdate(const client::ObjectPtr& old_pod, const client::ObjectPtr& new_pod);
  void OnPodDelete(const client::ObjectPtr& pod);
  void OnNodeChange(const client::ObjectPtr& old_node, const client::ObjectPtr& new_node);
  // Whether this scheduler should place `pod` now.
  bool Responsible(const client::Object& pod) const;
  // Moves every parked pod back to the queue (after its remaining backoff).
  void MoveAllToActive();
  // Requeues `key` when its backoff expires (now if it already did).
  void RequeueWithBackoffLocked(const std::string& key);
  client::Clock::Duration BackoffLocked(const std::string& key) const;
  void Forget(const std::string& key);
  // Records a failed attempt; parks the pod unless the cluster changed since `cycle_events`.
  void MarkUnschedulable(const std::string& key, uint64_t cycle_events);

  std::vector<std::shared_ptr<const NodeInfo>> Snapshot();
  api::Status Bind(const PodInfo& pod, const std::string& node);
  void UpdateUnschedulableCondition(const client::Object& pod, const std::string& message);

  client::Client& client_;
  SchedulerOptions opts_;  // .framework moved out into framework_
  client::Clock* const clock_;
  std::unique_ptr<Framework> framework_;
  client::SharedInformer* pods_;
  client::SharedInformer* nodes_;
  int pod_handler_ = 0;
  int node_handler_ = 0;
  client::WorkQueue queue_;
  EventRecorder events_;
  std::atomic<bool> stop_{false};
  std::atomic<uint64_t> cluster_events_{0};

  // Used only by the scheduling thread (or a test calling ScheduleOne).
  std::mt19937 rng_;
  std::unordered_map<std::string, std::pair<client::ObjectPtr, std::shared_ptr<const PodInfo>>>
      pod_infos_;
  std::mutex cycle_mu_;  // serialises ScheduleOne

  mutable std::mutex mu_;
  // Guarded by mu_.
  std::set<std::string> unschedulable_;
  std::map<std::string, Attempts> attempts_;
  // Pods bound by us that the informer does not show bound yet: key → (pod, node).
  std::map<std::string, std::pair<client::ObjectPtr, std::string>> assumed_;
  std::thread thread_;
  bool started_ = false;
};

}  // namespace kc::scheduler
