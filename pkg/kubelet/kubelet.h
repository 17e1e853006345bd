// Kubelet: kcluster's node agent. It registers the Node and keeps its status and Lease fresh,
// watches the pods bound to the node and drives them through the CRI (containerd 1.6) the way
// upstream's kubelet 1.32 does: sandbox + init containers in order + app containers, images with
// pull policies and back-off, env/volumes/resources/security context, lifecycle hooks, probes,
// restart policies with CrashLoopBackOff, graceful deletion, pod status via pods/status, and
// adoption of running containers after a restart.
//
// Threads (all started by Start, joined by Stop):
//  - the pod informer's watch thread (fieldSelector spec.nodeName=<node>; handlers only enqueue);
//  - `workers` pod workers taking pod UIDs from a WorkQueue (one UID is never synced by two
//    workers at once; back-off expiry re-queues with AddAfter);
//  - the relist thread (PLEG): lists CRI sandboxes/containers every relist_period and queues the
//    pods whose runtime state changed (and every pod each sync_period);
//  - the node thread: registration, node status every node_status_update_period, Lease renewal;
//  - the probe thread: runs due liveness/readiness/startup probes.
// The services informer (for service-link env vars) comes from the shared factory, whose owner
// starts it.
//
// Thread-safety: Start/Stop from the owning thread; streams() and the test hooks from any thread.
#pragma once

#include <atomic>
#include <boost/json/object.hpp>
#include <chrono>
#include <condition_variable>
#include <map>
#include <memory>
#include <mutex>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "pkg/api/status.h"
#include "pkg/client/client.h"
#include "pkg/client/informer.h"
#include "pkg/client/informer_factory.h"
#include "pkg/client/work_queue.h"
#include "pkg/kubelet/backoff.h"
#include "pkg/kubelet/cri/runtime.h"
#include "pkg/kubelet/env.h"
#include "pkg/kubelet/event_recorder.h"
#include "pkg/kubelet/image_puller.h"
#include "pkg/kubelet/kubelet_options.h"
#include "pkg/kubelet/lease.h"
#include "pkg/kubelet/machine_info.h"
#include "pkg/kubelet/node_status_manager.h"
#include "pkg/kubelet/pod_actions.h"
#include "pkg/kubelet/pod_status.h"
#include "pkg/kubelet/probe_manager.h"
#include "pkg/kubelet/runtime_pod.h"
#include "pkg/kubelet/sandbox_config.h"
#include "pkg/kubelet/time_source.h"
#include "pkg/kubelet/volumes.h"
#include "pkg/streaming/pod_streams.h"

namespace kc::kubelet {

namespace json = boost::json;

class KubeletStreams;

class Kubelet {
 public:
  Kubelet(client::Client& client, client::SharedInformerFactory& factory, cri::Runtime& runtime,
          KubeletOptions opts);
  ~Kubelet();

  Kubelet(const Kubelet&) = delete;
  Kubelet& operator=(const Kubelet&) = delete;

  void Start();
  // Stops every thread. Containers keep running (a restarted kubelet adopts them).
  void Stop();

  streaming::PodStreams& streams();
  const std::string& node_name() const { return opts_.node_name; }
  const std::string& node_ip() const { return opts_.node_ip; }
  // The Node object exists (registration done) / its last status was Ready.
  bool NodeRegistered() const { return node_status_->registered(); }
  bool NodeReady() const { return node_status_->ready(); }

  // ---- Hooks for tests (also usable without Start) ----

  // Starts only the pod informer and waits for its first list.
  bool StartInformerAndWait(std::chrono::milliseconds timeout);
  // One sync of the pod with this UID (level-triggered; safe to repeat).
  api::Status SyncPod(const std::string& uid);
  // Syncs every known pod once and every runtime pod that is unknown to the API.
  void SyncAll();
  // One PLEG relist; returns the UIDs whose runtime state changed (they are also queued).
  std::vector<std::string> Relist();
  // Node registration / status / lease, as the node thread does them.
  api::Status UpdateNodeStatus();
  api::Status RenewLease();
  ProbeManager& probes() { return *probes_; }
  EventRecorder& events() { return *events_; }
  // The pod as the kubelet's informer currently has it (nullptr if absent).
  client::ObjectPtr CachedPod(const std::string& ns, const std::string& name) const {
    return pod_informer_->Get(ns, name);
  }
  // The delay after which the pod's worker asked to be re-queued by its last sync (0 = none).
  std::chrono::milliseconds RequeueDelay(const std::string& uid) const;
  // Waiting reasons recorded for the pod's containers by the last sync.
  std::map<std::string, WaitingReason> WaitingReasons(const std::string& uid) const;

 private:
  friend class KubeletStreams;

  // What the kubelet remembers about one pod (by UID).
  struct PodRecord {
    client::ObjectPtr pod;  // latest from the informer; kept after the pod left the API
    bool gone = false;      // no longer in the API (deleted or never seen)
    std::map<std::string, WaitingReason> reasons;  // reason cache, by container name
    json::object last_status;                      // what we last wrote
    bool has_last_status = false;
    bool finished = false;  // terminal: nothing is (re)started; sandbox stopped
    std::chrono::milliseconds requeue_after{0};
  };
  // A snapshot of a record for one sync (taken under mu_).
  struct SyncContext {
    std::string uid;
    client::ObjectPtr pod;
    bool gone = false;
    bool finished = false;
    std::map<std::string, WaitingReason> reasons;
    json::object last_status;
    bool has_last_status = false;
  };

  // kubelet.cc: informer handlers, threads.
  void OnPodAdd(const client::ObjectPtr& pod);
  void OnPodUpdate(const client::ObjectPtr& old_pod, const client::ObjectPtr& new_pod);
  void OnPodDelete(const client::ObjectPtr& pod);
  void WorkerLoop();
  void RelistLoop();
  void NodeLoop();
  void ProbeLoop();
  // Sleeps `d` of real time or until Stop; false when stopping.
  bool SleepFor(std::chrono::milliseconds d);
  void Enqueue(const std::string& uid) { queue_.Add(uid); }

  // pod_sync.cc: the sync of a live pod.
  api::Status SyncLivePod(SyncContext& ctx, std::chrono::milliseconds* requeue);
  // Runs the sandbox if needed; returns its id and the sandbox config.
  api::Status EnsureSandbox(const json::object& pod, const PodActions& actions,
                            RuntimePod* runtime, cri::v1::PodSandboxConfig* config,
                            std::string* sandbox_id);
  // Starts one container (image, config, create, start, postStart). On failure returns the
  // waiting reason to show. `requeue` is lowered to the back-off's remaining time.
  bool StartContainer(SyncContext& ctx, const json::object& container, const RuntimePod& runtime,
                      const std::string& sandbox_id, const cri::v1::PodSandboxConfig& sandbox_config,
                      const VolumePaths& volumes, const EnvContext& env_ctx,
                      std::chrono::milliseconds* requeue);
  // Removes dead container instances and sandboxes the pod no longer needs; true if any.
  bool CollectGarbage(const RuntimePod& runtime);
  EnvContext MakeEnvContext(const json::object& pod, const RuntimePod& runtime,
                            ConfigSource* config) const;
  std::string PodIp(const json::object& pod, const RuntimePod& runtime) const;
  std::string BackoffKey(const json::object& pod, const json::object& container) const;

  // pod_teardown.cc: stopping and cleaning up.
  // Stops running containers (preStop hooks, then StopContainer with the grace period) in
  // parallel, then the sandboxes. `grace` < 0 = each container's pod default.
  void KillPod(const json::object* pod, const RuntimePod& runtime, int64_t grace_seconds);
  void KillContainer(const json::object* pod, const RuntimeContainer& c, int64_t grace_seconds,
                     const std::string& pod_ip);
  // The pod is being deleted: kill, write the final status, remove, delete from the API.
  api::Status TerminatePod(SyncContext& ctx);
  // The pod left the API (or was never known): remove whatever the runtime still has.
  api::Status CleanupOrphan(const std::string& uid, const client::ObjectPtr& last_pod);
  void RemovePodFromRuntime(const RuntimePod& runtime);
  void ForgetPod(const std::string& uid);

  // The pod with the freshest status this kubelet knows (its last write, else the API's).
  json::object PodWithFreshStatus(const client::ObjectPtr& pod) const;

  // pod_status_writer.cc.
  json::object ComputeStatus(const SyncContext& ctx, const json::object& pod,
                             const RuntimePod& runtime, bool terminal) const;
  api::Status WriteStatus(SyncContext& ctx, const json::object& pod, json::object status);
  // The pod as the status computation should see it: API pod with our last written status.
  json::object PodWithLastStatus(const SyncContext& ctx) const;

  client::Client& client_;
  client::SharedInformerFactory& factory_;
  cri::Runtime& runtime_;
  KubeletOptions opts_;
  TimeSource time_;
  MachineInfo machine_;
  SandboxOptions sandbox_opts_;

  std::unique_ptr<client::SharedInformer> pod_informer_;
  client::SharedInformer* services_;
  int pod_handler_ = 0;
  client::WorkQueue queue_;
  Backoff container_backoff_;
  Backoff image_backoff_;
  ImagePuller puller_;
  VolumeManager volumes_;
  std::unique_ptr<EventRecorder> events_;
  std::unique_ptr<ProbeManager> probes_;
  std::unique_ptr<NodeStatusManager> node_status_;
  std::unique_ptr<NodeLease> lease_;
  std::unique_ptr<KubeletStreams> streams_;

  std::atomic<bool> stop_{false};
  std::mutex sleep_mu_;
  std::condition_variable sleep_cv_;

  mutable std::mutex mu_;
  // Guarded by mu_.
  std::map<std::string, PodRecord> records_;
  std::map<std::string, std::string> relist_fingerprints_;
  std::vector<std::thread> threads_;
  bool started_ = false;
};

}  // namespace kc::kubelet
