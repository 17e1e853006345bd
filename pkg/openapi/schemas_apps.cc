// apps/v1: Deployment, ReplicaSet, StatefulSet, DaemonSet, ControllerRevision.
#include "pkg/openapi/schema_sources.h"

namespace kc::openapi::internal {

std::string_view AppsSchemas() {
  return R"DSL(
package apps.v1
Deployment @apps/v1/Deployment Declarative updates for pods through ReplicaSets: rollouts, rollbacks and scaling.
  spec DeploymentSpec Desired behaviour of the deployment.
  status DeploymentStatus Most recently observed status. Read-only.

DeploymentSpec Desired behaviour of a deployment.
  minReadySeconds int32 Seconds a new pod must be ready, without crashing, before it counts as available. Defaults to 0.
  paused bool Pauses the rollout: template changes do not roll out until resumed.
  progressDeadlineSeconds int32 Seconds the deployment may make no progress before it is reported as failed. Defaults to 600.
  replicas int32 Desired number of pods. Defaults to 1.
  revisionHistoryLimit int32 Old ReplicaSets kept for rollback. Defaults to 10.
  selector! meta.v1.LabelSelector Label selector for the pods; must match the template's labels. Immutable.
  strategy DeploymentStrategy How existing pods are replaced by new ones.
  template! core.v1.PodTemplateSpec Template of the pods created.

DeploymentStrategy How a deployment replaces pods.
  rollingUpdate RollingUpdateDeployment Parameters of a rolling update.
  type string Recreate or RollingUpdate (default).

RollingUpdateDeployment Parameters of a rolling update.
  maxSurge ios Pods that may be created above the desired count, as a number or percentage. Defaults to 25%.
  maxUnavailable ios Pods that may be unavailable during the update, as a number or percentage. Defaults to 25%.

DeploymentStatus +open Observed state of a deployment.
  availableReplicas int32 Pods available for at least minReadySeconds.
  collisionCount int32 Hash collisions seen when naming ReplicaSets.
  conditions []DeploymentCondition Current conditions: Available, Progressing, ReplicaFailure.
  observedGeneration int64 Generation most recently observed by the controller.
  readyReplicas int32 Pods with a Ready condition.
  replicas int32 Pods targeted by the deployment.
  unavailableReplicas int32 Pods still needed for 100% availability.
  updatedReplicas int32 Pods with the desired template.

DeploymentCondition A condition of a deployment.
  lastTransitionTime time Last time the condition changed status.
  lastUpdateTime time Last time the condition was updated.
  message string Human-readable detail.
  reason string Machine-readable reason.
  status! string True, False or Unknown.
  type! string Type of the condition.

ReplicaSet @apps/v1/ReplicaSet Keeps a number of identical pods running.
  spec ReplicaSetSpec Desired behaviour.
  status ReplicaSetStatus Most recently observed status. Read-only.

ReplicaSetSpec Desired behaviour of a replica set.
  minReadySeconds int32 Seconds a new pod must be ready before it counts as available.
  replicas int32 Desired number of pods. Defaults to 1.
  selector! meta.v1.LabelSelector Label query over the pods; must match the template's labels.
  template core.v1.PodTemplateSpec Template of the pods created.

ReplicaSetStatus +open Observed state of a replica set.
  availableReplicas int32 Available pods.
  conditions []object Current conditions.
  fullyLabeledReplicas int32 Pods carrying all the template's labels.
  observedGeneration int64 Generation most recently observed.
  readyReplicas int32 Ready pods.
  replicas! int32 Current pods.

StatefulSet @apps/v1/StatefulSet Pods with stable identities and per-pod storage, created and updated in order.
  spec StatefulSetSpec Desired behaviour.
  status StatefulSetStatus Most recently observed status. Read-only.

StatefulSetSpec Desired behaviour of a stateful set.
  minReadySeconds int32 Seconds a new pod must be ready before it counts as available.
  ordinals StatefulSetOrdinals Numbering of the replicas.
  persistentVolumeClaimRetentionPolicy StatefulSetPersistentVolumeClaimRetentionPolicy What happens to the claims from volumeClaimTemplates when pods are deleted or scaled down.
  podManagementPolicy string OrderedReady (default) or Parallel.
  replicas int32 Desired number of pods. Defaults to 1.
  revisionHistoryLimit int32 Revisions kept in history. Defaults to 10.
  selector! meta.v1.LabelSelector Label query over the pods; must match the template's labels.
  serviceName string Headless service governing the pods' network identity.
  template! core.v1.PodTemplateSpec Template of the pods created.
  updateStrategy StatefulSetUpdateStrategy How pods are updated when the template changes.
  volumeClaimTemplates []core.v1.PersistentVolumeClaim Claims each pod gets, named <template>-<pod>.

StatefulSetOrdinals Numbering of stateful set replicas.
  start int32 Number of the first replica. Defaults to 0.

StatefulSetPersistentVolumeClaimRetentionPolicy Lifecycle of the claims of a stateful set.
  whenDeleted string Retain (default) or Delete when the stateful set is deleted.
  whenScaled string Retain (default) or Delete when the stateful set is scaled down.

StatefulSetUpdateStrategy Update strategy of a stateful set.
  rollingUpdate RollingUpdateStatefulSetStrategy Parameters of a rolling update.
  type string RollingUpdate (default) or OnDelete.

RollingUpdateStatefulSetStrategy Parameters of a stateful set rolling update.
  maxUnavailable ios Pods that may be unavailable during the update (alpha).
  partition int32 Only pods with an ordinal at or above this are updated.

StatefulSetStatus +open Observed state of a stateful set.
  availableReplicas int32 Available pods.
  collisionCount int32 Hash collisions seen when naming revisions.
  conditions []object Current conditions.
  currentReplicas int32 Pods at currentRevision.
  currentRevision string Revision used for pods up to the current replica count.
  observedGeneration int64 Generation most recently observed.
  readyReplicas int32 Ready pods.
  replicas! int32 Current pods.
  updateRevision string Revision used for updated pods.
  updatedReplicas int32 Pods at updateRevision.

DaemonSet @apps/v1/DaemonSet Runs a copy of a pod on every (selected) node.
  spec DaemonSetSpec Desired behaviour.
  status DaemonSetStatus Most recently observed status. Read-only.

DaemonSetSpec Desired behaviour of a daemon set.
  minReadySeconds int32 Seconds a new pod must be ready before it counts as available.
  revisionHistoryLimit int32 Old revisions kept for rollback. Defaults to 10.
  selector! meta.v1.LabelSelector Label query over the pods; must match the template's labels.
  template! core.v1.PodTemplateSpec Template of the pods created.
  updateStrategy DaemonSetUpdateStrategy How pods are replaced when the template changes.

DaemonSetUpdateStrategy Update strategy of a daemon set.
  rollingUpdate RollingUpdateDaemonSet Parameters of a rolling update.
  type string RollingUpdate (default) or OnDelete.

RollingUpdateDaemonSet Parameters of a daemon set rolling update.
  maxSurge ios Nodes that may run an extra updated pod during the update.
  maxUnavailable ios Nodes whose pod may be unavailable during the update. Defaults to 1.

DaemonSetStatus +open Observed state of a daemon set.
  collisionCount int32 Hash collisions seen when naming revisions.
  conditions []object Current conditions.
  currentNumberScheduled! int32 Nodes running at least one daemon pod that should.
  desiredNumberScheduled! int32 Nodes that should run the daemon pod.
  numberAvailable int32 Nodes whose daemon pod is available.
  numberMisscheduled! int32 Nodes running the daemon pod that should not.
  numberReady! int32 Nodes whose daemon pod is ready.
  numberUnavailable int32 Nodes whose daemon pod is not available.
  observedGeneration int64 Generation most recently observed.
  updatedNumberScheduled int32 Nodes running the updated daemon pod.

ControllerRevision @apps/v1/ControllerRevision An immutable snapshot of state, used by DaemonSet and StatefulSet to track revisions.
  data runtime.RawExtension The serialized state.
  revision! int64 Revision number.
)DSL";
}

}  // namespace kc::openapi::internal
