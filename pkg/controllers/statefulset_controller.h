// StatefulSetController: runs StatefulSets as upstream's statefulset controller (1.32, without
// the alpha maxUnavailable rolling update).
//
// A sync claims the set's ControllerRevisions (adopting matching orphans) and pods (selector
// match and a `<set>-<ordinal>` name), finds or makes the update revision (a revision with the
// current template; an older revision with equal data is renumbered instead, which is a rollback)
// and the current revision (status.currentRevision), then:
//  - replaces failed/succeeded pods, creates missing ordinals (claims from volumeClaimTemplates
//    first, `<claim>-<set>-<ordinal>`), pods of ordinals < partition from the current revision's
//    template and the rest from the update revision's;
//  - deletes ordinals beyond spec.replicas, highest first;
//  - OrderedReady: one pod at a time, each step waiting until every lower ordinal is Running,
//    Ready and available (minReadySeconds); scale-down waits likewise. Parallel: all at once;
//  - RollingUpdate: deletes the highest ordinal ≥ partition whose revision is not the update
//    revision, one at a time, waiting for the replaced pods to be healthy. OnDelete: nothing;
//  - keeps claim ownerReferences as spec.persistentVolumeClaimRetentionPolicy asks (Retain by
//    default: claims stay on scale-down and deletion);
//  - writes status (replicas, readyReplicas, currentReplicas, updatedReplicas, availableReplicas,
//    currentRevision, updateRevision, collisionCount, observedGeneration) and deletes revisions
//    beyond revisionHistoryLimit (default 10) that no pod uses.
// Pods carry the labels controller-revision-hash (the revision's name),
// statefulset.kubernetes.io/pod-name and apps.kubernetes.io/pod-index; hostname is the pod name,
// subdomain spec.serviceName.
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

namespace kc::controllers {

// Work-queue tuning (tests use short delays and a fake clock).
struct StatefulSetControllerOptions {
  std::chrono::milliseconds base_delay{5};
  std::chrono::milliseconds max_delay{1000 * 1000};
  client::Clock* clock = nullptr;  // nullptr: the real clock
};

class StatefulSetController : public Controller {
 public:
  static constexpr const char kName[] = "statefulset";

  // `client` and `factory` must outlive the controller.
  StatefulSetController(client::Client& client, client::SharedInformerFactory& factory,
                        StatefulSetControllerOptions opts = {});
  ~StatefulSetController() override;

  const char* name() const override { return kName; }
  void Start(int workers) override;
  void Stop() override;

  // One level-triggered pass over the StatefulSet "ns/name", reading the informer caches.
  api::Status Sync(const std::string& key);

  bool Running() const { return loop_.Running(); }

 private:
  struct State;
  struct Slot;

  // "ns/name" of the StatefulSet controlling `pod` (per the cache), "" if none of ours.
  std::string OwnerKey(const client::Object& pod) const;
  void EnqueueMatching(const client::Object& pod);
  void OnPodAdd(const client::ObjectPtr& pod);
  void OnPodUpdate(const client::ObjectPtr& old_pod, const client::ObjectPtr& pod);
  void OnPodDelete(const client::ObjectPtr& pod);

  api::Status ClaimRevisions(State& s);
  api::Status ClaimPods(State& s);
  bool CanAdopt(State& s);
  api::Status SyncRevisions(State& s);
  api::Status UpdateSet(State& s, boost::json::object& status);
  api::Status ProcessReplica(State& s, const Slot& slot, bool* exit);
  api::Status ProcessCondemned(State& s, const client::ObjectPtr& pod,
                               const client::Object* first_unhealthy, bool* exit);
  api::Status CreatePod(State& s, int64_t ordinal);
  api::Status DeletePod(State& s, const client::Object& pod);
  api::Status CreateMissingClaims(State& s, int64_t ordinal);
  api::Status FixClaimOwners(State& s, const client::Object& pod);
  bool ClaimIsStale(State& s, int64_t ordinal);
  api::Status WriteStatus(State& s, boost::json::object status);
  api::Status TruncateHistory(State& s);

  client::Client& client_;
  client::WorkQueue queue_;
  ControllerLoop loop_;
  client::SharedInformer* set_informer_ = nullptr;
  client::SharedInformer* pod_informer_ = nullptr;
  client::SharedInformer* pvc_informer_ = nullptr;
  client::SharedInformer* revision_informer_ = nullptr;
  int set_handler_ = 0;
  int pod_handler_ = 0;
  bool registered_ = false;
};

}  // namespace kc::controllers
