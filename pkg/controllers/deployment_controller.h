// DeploymentController: rolls Deployments out through ReplicaSets, as upstream's deployment
// controller.
//
// Each distinct pod template gets a ReplicaSet "<deployment>-<pod-template-hash>" (label and
// selector pod-template-hash, annotations deployment.kubernetes.io/revision, revision-history,
// desired-replicas, max-replicas). RollingUpdate scales the new ReplicaSet up within maxSurge and
// old ones down within maxUnavailable (percentages: surge rounds up, unavailable down); Recreate
// scales old ReplicaSets to zero, waits for their pods to go, then scales the new one up. Scaling
// a deployment mid-rollout scales ReplicaSets proportionally; a paused deployment is only scaled.
// Old ReplicaSets beyond revisionHistoryLimit (default 10) are deleted once the rollout completed.
// Status carries replicas/updated/ready/available/unavailable counts, observedGeneration and the
// Available and Progressing conditions with upstream's reasons and messages.
//
// Thread-safety: Start/Stop from one thread; Sync may be called from any thread, but not twice
// at once for the same key (the work queue guarantees it).
#pragma once

#include <chrono>
#include <optional>
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

inline constexpr const char kRevisionAnnotation[] = "deployment.kubernetes.io/revision";
inline constexpr const char kRevisionHistoryAnnotation[] =
    "deployment.kubernetes.io/revision-history";
inline constexpr const char kDesiredReplicasAnnotation[] =
    "deployment.kubernetes.io/desired-replicas";
inline constexpr const char kMaxReplicasAnnotation[] = "deployment.kubernetes.io/max-replicas";
inline constexpr const char kPodTemplateHashLabel[] = "pod-template-hash";

// maxSurge / maxUnavailable of a deployment resolved against spec.replicas like upstream's
// ResolveFenceposts (both zero → maxUnavailable 1). Recreate: {0, 0}.
struct Fenceposts {
  int64_t max_surge = 0;
  int64_t max_unavailable = 0;
};
api::Result<Fenceposts> ResolveFenceposts(const client::Object& deployment);

// Work-queue tuning (tests use short delays and a fake clock).
struct DeploymentControllerOptions {
  std::chrono::milliseconds base_delay{5};
  std::chrono::milliseconds max_delay{1000 * 1000};
  client::Clock* clock = nullptr;  // nullptr: the real clock
};

class DeploymentController : public Controller {
 public:
  static constexpr const char kName[] = "deployment";

  // `client` and `factory` must outlive the controller.
  DeploymentController(client::Client& client, client::SharedInformerFactory& factory,
                       DeploymentControllerOptions opts = {});
  ~DeploymentController() override;

  const char* name() const override { return kName; }
  void Start(int workers) override;
  void Stop() override;

  // One level-triggered pass over the deployment "ns/name", reading the informer caches.
  api::Status Sync(const std::string& key);

  bool Running() const { return loop_.Running(); }

 private:
  struct State;

  void EnqueueOwnerOf(const client::Object& rs);
  api::Status ClaimReplicaSets(State& s);
  // Finds (and with `create` makes) the new ReplicaSet and syncs revisions.
  api::Status SyncRevision(State& s, bool create);
  api::Status ScaleReplicaSet(State& s, client::Object& rs, int64_t replicas, bool* scaled);
  api::Status Scale(State& s);
  api::Status RolloutRolling(State& s);
  api::Status RolloutRecreate(State& s);
  api::Status CleanupHistory(State& s);
  api::Status SyncStatus(State& s, bool rollout);
  api::Status WriteStatus(State& s, const boost::json::object& status);

  client::Client& client_;
  client::WorkQueue queue_;
  ControllerLoop loop_;
  client::SharedInformer* d_informer_ = nullptr;
  client::SharedInformer* rs_informer_ = nullptr;
  client::SharedInformer* pod_informer_ = nullptr;
  int d_handler_ = 0;
  int rs_handler_ = 0;
  int pod_handler_ = 0;
  bool registered_ = false;
};

}  // namespace kc::controllers
