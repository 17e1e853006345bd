// NodeLifecycleController ("nodelifecycle"): watches node health and acts on it, after
// upstream's nodelifecycle controller with its built-in taint eviction and the pod GC.
//
//  - Health: every `node_monitor_period` it checks each Node's heartbeats, its Lease in
//    kube-node-lease (spec.renewTime) and its Ready condition's lastHeartbeatTime, against the
//    controller's own clock. A node not heard from for `node_monitor_grace_period`
//    (`node_startup_grace_period` before it ever posted Ready) gets Ready, MemoryPressure,
//    DiskPressure and PIDPressure set to Unknown (NodeStatusUnknown, "Kubelet stopped posting
//    node status.") through nodes/status, and an event NodeNotReady; the pods on it get their
//    Ready condition set to False (upstream's MarkPodsNotReady, event NodeNotReady).
//  - Taints (per node): the NoSchedule taints of its conditions and of spec.unschedulable
//    (cordon), and the NoExecute taint not-ready (Ready False) or unreachable (Ready Unknown),
//    removed when Ready is True again. Added taints carry timeAdded. When every zone is fully
//    disrupted (no node Ready at all) the NoExecute taints are removed and none are added, and
//    a partially disrupted small zone adds no new ones, as upstream does.
//  - Taint eviction: a pod on a node with NoExecute taints is deleted (after a DisruptionTarget
//    condition) at once when it does not tolerate them, after its smallest tolerationSeconds
//    when it does for a while, never when it does forever. Pods without not-ready/unreachable
//    tolerations are treated as tolerating them for `default_toleration_seconds` (upstream's
//    admission adds them; kcluster's API server does not).
//  - Pod GC (see PodGarbageCollector), every `pod_gc_period`.
// Events are written as "node-controller" (node and NotReady events) and
// "taint-eviction-controller" (TaintManagerEviction), like upstream.
//
// Time comes from the injected clock (see JobWallClock), so tests drive grace periods and
// toleration timers by hand.
//
// Thread-safety: Start/Stop from one thread; the passes (Sync and the public pass methods) may
// run on any thread, concurrently for different keys.
#pragma once

#include <chrono>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>

#include "pkg/api/status.h"
#include "pkg/client/clock.h"
#include "pkg/client/event_recorder.h"
#include "pkg/client/informer_factory.h"
#include "pkg/client/work_queue.h"
#include "pkg/controllers/controller.h"
#include "pkg/controllers/controller_loop.h"
#include "pkg/controllers/job_wall_clock.h"
#include "pkg/controllers/node_lifecycle_pod_gc.h"
#include "pkg/controllers/node_lifecycle_taints.h"

namespace kc::controllers {

// Tuning for tests and the manager; the defaults are upstream's (kube-controller-manager 1.32
// flags where one exists).
struct NodeLifecycleControllerOptions {
  std::chrono::milliseconds node_monitor_period{5000};
  std::chrono::milliseconds node_monitor_grace_period{40000};
  std::chrono::milliseconds node_startup_grace_period{60000};
  // The tolerationSeconds of the implied not-ready/unreachable tolerations; < 0: none implied.
  int64_t default_toleration_seconds = 300;
  double unhealthy_zone_threshold = 0.55;
  int large_cluster_size_threshold = 50;
  std::chrono::milliseconds pod_gc_period{20000};
  PodGcOptions pod_gc;
  std::chrono::milliseconds base_delay{5};
  std::chrono::milliseconds max_delay{1000 * 1000};
  client::Clock* clock = nullptr;  // nullptr: the real clocks
  // Wall time at the clock's current moment (tests); default: the system clock's now.
  std::optional<std::chrono::system_clock::time_point> start_time;
  // source.host / reportingInstance of the events (may be "").
  std::string event_host;
};

class NodeLifecycleController : public Controller {
 public:
  static constexpr const char kName[] = "nodelifecycle";

  // `client` and `factory` must outlive the controller.
  NodeLifecycleController(client::Client& client, client::SharedInformerFactory& factory,
                          NodeLifecycleControllerOptions opts = {});
  ~NodeLifecycleController() override;

  const char* name() const override { return kName; }
  // Starts the workers and the periodic health and pod-GC passes.
  void Start(int workers) override;
  void Stop() override;
  bool Running() const { return loop_.Running(); }

  // Work-queue dispatch: "monitor", "podgc", "node:<name>", "pod:<ns>/<name>".
  api::Status Sync(const std::string& key);

  // The passes, public for tests.
  // Health of every node; writes Unknown conditions and queues each node's sync.
  api::Status MonitorNodeHealth();
  // Taints of one node, MarkPodsNotReady when it is Unknown, queues its pods' eviction checks.
  api::Status SyncNode(const std::string& name);
  // Taint eviction of one pod "ns/name": deletes it, schedules a re-check, or cancels.
  api::Status SyncPod(const std::string& key);
  api::Status GcPods() { return pod_gc_->Run(); }

  // Waits until the events recorded so far were written (tests).
  void FlushEvents();
  // The wall clock the controller stamps conditions, taints and events with.
  const JobWallClock& wall_clock() const { return wall_; }

 private:
  struct NodeHealth {
    client::Clock::TimePoint probe{};  // when the node was last heard from (controller clock)
    bool had_ready = false;
    std::string heartbeat;  // Ready's lastHeartbeatTime as last seen
    std::optional<std::chrono::system_clock::time_point> lease_renew;
  };
  struct ScheduledEviction {
    client::Clock::TimePoint start{};
    std::string uid;
  };
  // Ready status before and after one health check ("Unknown" when there is no condition).
  struct HealthResult {
    std::string observed;
    std::string current;
  };

  api::Result<HealthResult> UpdateNodeHealth(const client::Object& node);
  NoExecuteMode ModeFor(const client::Object& node);
  api::Status MarkPodNotReady(const client::Object& pod);
  api::Status EvictPod(const std::string& ns, const std::string& name, const std::string& uid);
  void CancelEviction(const std::string& key);
  void OnPod(const client::ObjectPtr& old_pod, const client::ObjectPtr& pod);

  client::Client& client_;
  const NodeLifecycleControllerOptions opts_;
  client::Clock& clock_;
  const JobWallClock wall_;
  client::WorkQueue queue_;
  ControllerLoop loop_;
  client::SharedInformer* nodes_ = nullptr;
  client::SharedInformer* leases_ = nullptr;
  client::SharedInformer* pods_ = nullptr;
  int node_handler_ = 0;
  int pod_handler_ = 0;
  bool registered_ = false;
  std::unique_ptr<client::EventRecorder> node_events_;      // "node-controller"
  std::unique_ptr<client::EventRecorder> eviction_events_;  // "taint-eviction-controller"
  std::unique_ptr<PodGarbageCollector> pod_gc_;

  std::mutex mu_;
  // Guarded by mu_.
  std::map<std::string, NodeHealth> health_;
  std::map<std::string, std::string> known_nodes_;  // name → uid, for Registered/Removing events
  std::map<std::string, std::string> zone_states_;  // zone → Normal/PartialDisruption/...
  std::map<std::string, int> zone_sizes_;
  bool all_fully_disrupted_ = false;
  bool monitored_ = false;  // a health pass completed (zone states are known)
  std::map<std::string, ScheduledEviction> evictions_;  // pod key → timer
};

}  // namespace kc::controllers
