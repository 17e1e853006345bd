// ReplicaSetController: keeps spec.replicas pods running for every ReplicaSet, as upstream's
// replicaset controller. The same code runs ReplicationControllers through ReplicaSetKind
// (core/v1, spec.selector a plain label map).
//
// A sync claims the namespace's pods (adopts matching orphans, releases pods that stopped
// matching), creates missing pods from spec.template (generateName "<name>-", slow-start batches
// 1, 2, 4, ...) or deletes surplus ones (unscheduled < pending < not ready < ... < newer first),
// and writes status (replicas, fullyLabeledReplicas, readyReplicas, availableReplicas,
// observedGeneration, the ReplicaFailure condition). ControllerExpectations keep a sync from acting
// again before the informer saw the previous creations/deletions.
//
// Thread-safety: Start/Stop from one thread; Sync may be called from any thread, but not twice
// at once for the same key (the work queue guarantees it).
#pragma once

#include <chrono>
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

// Which workload kind a ReplicaSetController manages: the adapter that lets one controller run
// both apps/v1 ReplicaSets and core/v1 ReplicationControllers. A plain value.
struct ReplicaSetKind {
  const char* controller_name;  // "replicaset" / "replicationcontroller"
  client::ResourceRef resource;
  const char* api_version;  // of the owner reference: "apps/v1" / "v1"
  const char* kind;
  bool map_selector;  // spec.selector is a plain map (ReplicationController)

  static ReplicaSetKind ReplicaSets();
  static ReplicaSetKind ReplicationControllers();
};

// Tuning for tests and the manager; the defaults are upstream's.
struct ReplicaSetControllerOptions {
  int burst_replicas = 500;  // most creations/deletions per sync
  std::chrono::milliseconds base_delay{5};
  std::chrono::milliseconds max_delay{1000 * 1000};
  client::Clock* clock = nullptr;  // nullptr: the real clock
};

class ReplicaSetController : public Controller {
 public:
  // `client` and `factory` must outlive the controller.
  ReplicaSetController(client::Client& client, client::SharedInformerFactory& factory,
                       ReplicaSetKind kind = ReplicaSetKind::ReplicaSets(),
                       ReplicaSetControllerOptions opts = {});
  ~ReplicaSetController() override;

  const char* name() const override { return kind_.controller_name; }
  void Start(int workers) override;
  void Stop() override;

  // One level-triggered pass over the object "ns/name", reading the informer caches.
  api::Status Sync(const std::string& key);

  bool Running() const { return loop_.Running(); }
  // The selector of a ReplicaSet / ReplicationController object: spec.selector (a map for
  // ReplicationControllers, falling back to the template's labels). A missing selector matches
  // nothing; a malformed one is an Invalid error.
  api::Result<api::LabelSelector> SelectorOf(const client::Object& rs) const;

 private:
  void OnPodAdd(const client::ObjectPtr& pod);
  void OnPodUpdate(const client::ObjectPtr& old_pod, const client::ObjectPtr& pod);
  void OnPodDelete(const client::ObjectPtr& pod);
  // "ns/name" of the owner this controller manages, "" if the pod's controller is not ours.
  std::string OwnerKey(const client::Object& pod, const std::optional<OwnerRef>& ref) const;
  void EnqueueMatching(const client::Object& pod);

  api::Status ManageReplicas(const std::vector<client::ObjectPtr>& pods, const client::Object& rs,
                             const std::string& key);
  api::Status UpdateStatus(const client::Object& rs, const boost::json::object& status);

  client::Client& client_;
  const ReplicaSetKind kind_;
  const ReplicaSetControllerOptions opts_;
  ControllerExpectations expectations_;
  client::WorkQueue queue_;
  ControllerLoop loop_;
  client::SharedInformer* rs_informer_ = nullptr;
  client::SharedInformer* pod_informer_ = nullptr;
  int rs_handler_ = 0;
  int pod_handler_ = 0;
  bool registered_ = false;
};

}  // namespace kc::controllers
