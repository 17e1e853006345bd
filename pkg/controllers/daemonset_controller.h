// DaemonSetController: runs one pod of every DaemonSet on each eligible node, as upstream's
// daemon controller (1.32).
//
// A node is eligible when the template's spec.nodeName (if any), spec.nodeSelector and required
// node affinity match it and the pod (with the default daemon tolerations added) tolerates its
// NoSchedule/NoExecute taints; a pod on a node with only untolerated NoSchedule taints may keep
// running. Pods are created with generateName "<ds>-", the labels controller-revision-hash (the
// current ControllerRevision's hash) and pod-template-generation (the
// deprecated.daemonset.template.generation annotation), the default daemon tolerations, and are
// pinned to their node the upstream way: the required node affinity is replaced by one term
// `matchFields metadata.name In [<node>]` and the scheduler binds the pod (spec.nodeName is not
// set by this controller).
//
// A sync claims pods and ControllerRevisions, finds or snapshots the revision of the current
// template (name "<ds>-<template hash>", data = the template patch; duplicates folded into the
// newest; an equal older revision renumbered, which is a rollback), then creates pods on eligible
// nodes without one and deletes pods from nodes that stopped matching, failed pods (with a per
// node backoff), surplus pods, unscheduled pods for nodes that are gone and pods bound to nodes
// that no longer exist (upstream leaves those to the pod GC controller, which kcluster does not
// run). RollingUpdate replaces old pods within maxUnavailable (default 1) or, with maxSurge,
// starts the new pod first and deletes the old one once the new one is available; both round
// percentages up against the number of eligible nodes. OnDelete replaces pods only when deleted.
// Old revisions beyond revisionHistoryLimit (default 10) that no pod uses are deleted. Status:
// desiredNumberScheduled, currentNumberScheduled, numberReady, updatedNumberScheduled,
// numberAvailable, numberUnavailable, numberMisscheduled, observedGeneration.
//
// Thread-safety: Start/Stop from one thread; Sync may be called from any thread, but not twice
// at once for the same key (the work queue guarantees it).
#pragma once

#include <chrono>
#include <map>
#include <mutex>
#include <string>
#include <vector>

#include "pkg/api/label_selector.h"
#include "pkg/api/status.h"
#include "pkg/client/clock.h"
#include "pkg/client/informer_factory.h"
#include "pkg/client/work_queue.h"
#include "pkg/controllers/controller.h"
#include "pkg/controllers/controller_loop.h"
#include "pkg/controllers/controller_utils.h"

namespace kc::controllers {

// Tuning for tests and the manager; the defaults are upstream's.
struct DaemonSetControllerOptions {
  int burst_replicas = 250;  // most creations/deletions per sync
  std::chrono::milliseconds base_delay{5};
  std::chrono::milliseconds max_delay{1000 * 1000};
  // Backoff before deleting another failed daemon pod on the same node.
  std::chrono::milliseconds failed_pod_backoff{1000};
  std::chrono::milliseconds max_failed_pod_backoff{15 * 60 * 1000};
  client::Clock* clock = nullptr;  // nullptr: the real clock
};

class DaemonSetController : public Controller {
 public:
  static constexpr const char kName[] = "daemonset";

  // `client` and `factory` must outlive the controller.
  DaemonSetController(client::Client& client, client::SharedInformerFactory& factory,
                      DaemonSetControllerOptions opts = {});
  ~DaemonSetController() override;

  const char* name() const override { return kName; }
  void Start(int workers) override;
  void Stop() override;

  // One level-triggered pass over the DaemonSet "ns/name", reading the informer caches.
  api::Status Sync(const std::string& key);

  bool Running() const { return loop_.Running(); }
  // True when the informer has shown every pod creation/deletion of the last sync of `key`.
  bool ExpectationsSatisfied(const std::string& key) const;

 private:
  struct State;
  using NodePods = std::map<std::string, std::vector<client::ObjectPtr>>;

  std::string OwnerKey(const client::Object& obj) const;
  void EnqueueMatching(const client::Object& obj);
  void OnPodAdd(const client::ObjectPtr& pod);
  void OnPodUpdate(const client::ObjectPtr& old_pod, const client::ObjectPtr& pod);
  void OnPodDelete(const client::ObjectPtr& pod);
  void OnNode(const client::ObjectPtr& old_node, const client::ObjectPtr& node);
  void OnRevision(const client::ObjectPtr& rev);

  bool CanAdopt(State& s);
  api::Status ClaimPods(State& s);
  api::Status ConstructHistory(State& s);
  api::Status Snapshot(State& s, int64_t revision);
  api::Status DedupCurrent(State& s, std::vector<client::Object>& current);
  NodePods NodesToPods(const State& s, bool include_deleted_terminal) const;
  api::Status Manage(State& s);
  void PodsShouldBeOnNode(State& s, const client::Object& node, const NodePods& node_pods,
                          std::vector<std::string>* nodes_needing_pods,
                          std::vector<std::string>* pods_to_delete);
  api::Status RollingUpdate(State& s);
  api::Status SyncNodes(State& s, const std::vector<std::string>& pods_to_delete,
                        const std::vector<std::string>& nodes_needing_pods);
  api::Status CleanupHistory(State& s);
  api::Status UpdateStatus(State& s, bool update_observed_generation);
  // Per-node backoff for replacing failed pods (upstream's failedPodsBackoff).
  bool FailedPodBackoff(const std::string& key, std::chrono::milliseconds* wait);

  client::Client& client_;
  const DaemonSetControllerOptions opts_;
  client::Clock* const clock_;
  ControllerExpectations creations_;
  ControllerExpectations deletions_;
  client::WorkQueue queue_;
  ControllerLoop loop_;
  client::SharedInformer* ds_informer_ = nullptr;
  client::SharedInformer* pod_informer_ = nullptr;
  client::SharedInformer* node_informer_ = nullptr;
  client::SharedInformer* revision_informer_ = nullptr;
  int ds_handler_ = 0;
  int pod_handler_ = 0;
  int node_handler_ = 0;
  int revision_handler_ = 0;
  bool registered_ = false;

  struct BackoffEntry {
    std::chrono::milliseconds delay{0};
    client::Clock::TimePoint last;
  };
  std::mutex backoff_mu_;
  std::map<std::string, BackoffEntry> failed_backoff_;  // guarded by backoff_mu_
};

}  // namespace kc::controllers
