// Schema tables for k8s.io/api/apps/v1: Deployment, ReplicaSet, DaemonSet, StatefulSet.
#include "pkg/protobuf/schemas.h"

namespace kc::protobuf::apps {
namespace {
const MessageSchema& DeploymentSpec();
const MessageSchema& DeploymentStrategy();
const MessageSchema& RollingUpdateDeployment();
const MessageSchema& DeploymentStatus();
const MessageSchema& DeploymentCondition();
const MessageSchema& ReplicaSetSpec();
const MessageSchema& ReplicaSetStatus();
const MessageSchema& WorkloadCondition();
const MessageSchema& DaemonSetSpec();
const MessageSchema& DaemonSetUpdateStrategy();
const MessageSchema& DaemonSetStatus();
const MessageSchema& StatefulSetSpec();
const MessageSchema& StatefulSetUpdateStrategy();
const MessageSchema& RollingUpdateStatefulSetStrategy();
const MessageSchema& StatefulSetPersistentVolumeClaimRetentionPolicy();
const MessageSchema& StatefulSetOrdinals();
const MessageSchema& StatefulSetStatus();

KC_PB_MESSAGE(DeploymentSpec,
              Int32Keep(1, "replicas"), Message(2, "selector", meta::LabelSelector),
              Message(3, "template", core::PodTemplateSpec),
              Message(4, "strategy", DeploymentStrategy), Int32(5, "minReadySeconds"),
              Int32Keep(6, "revisionHistoryLimit"), Bool(7, "paused"),
              Int32Keep(9, "progressDeadlineSeconds"))

KC_PB_MESSAGE(DeploymentStrategy,
              String(1, "type"), Message(2, "rollingUpdate", RollingUpdateDeployment))

// Also the layout of RollingUpdateDaemonSet.
KC_PB_MESSAGE(RollingUpdateDeployment,
              IntOrString(1, "maxUnavailable"), IntOrString(2, "maxSurge"))

KC_PB_MESSAGE(DeploymentStatus,
              Int64(1, "observedGeneration"), Int32(2, "replicas"), Int32(3, "updatedReplicas"),
              Int32(7, "readyReplicas"), Int32(4, "availableReplicas"),
              Int32(5, "unavailableReplicas"), Int32Keep(9, "terminatingReplicas"),
              MessageList(6, "conditions", DeploymentCondition), Int32Keep(8, "collisionCount"))

KC_PB_MESSAGE(DeploymentCondition,
              StringKeep(1, "type"), StringKeep(2, "status"), Time(6, "lastUpdateTime"),
              Time(7, "lastTransitionTime"), String(4, "reason"), String(5, "message"))

KC_PB_MESSAGE(ReplicaSetSpec,
              Int32Keep(1, "replicas"), Int32(4, "minReadySeconds"),
              Message(2, "selector", meta::LabelSelector),
              Message(3, "template", core::PodTemplateSpec))

KC_PB_MESSAGE(ReplicaSetStatus,
              Int32Keep(1, "replicas"), Int32(2, "fullyLabeledReplicas"),
              Int32(4, "readyReplicas"), Int32(5, "availableReplicas"),
              Int32Keep(7, "terminatingReplicas"), Int64(3, "observedGeneration"),
              MessageList(6, "conditions", WorkloadCondition))

// ReplicaSetCondition, DaemonSetCondition and StatefulSetCondition share this layout.
KC_PB_MESSAGE(WorkloadCondition,
              StringKeep(1, "type"), StringKeep(2, "status"), Time(3, "lastTransitionTime"),
              String(4, "reason"), String(5, "message"))

KC_PB_MESSAGE(DaemonSetSpec,
              Message(1, "selector", meta::LabelSelector),
              Message(2, "template", core::PodTemplateSpec),
              Message(3, "updateStrategy", DaemonSetUpdateStrategy), Int32(4, "minReadySeconds"),
              Int32Keep(6, "revisionHistoryLimit"))

KC_PB_MESSAGE(DaemonSetUpdateStrategy,
              String(1, "type"), Message(2, "rollingUpdate", RollingUpdateDeployment))

KC_PB_MESSAGE(DaemonSetStatus,
              Int32Keep(1, "currentNumberScheduled"), Int32Keep(2, "numberMisscheduled"),
              Int32Keep(3, "desiredNumberScheduled"), Int32Keep(4, "numberReady"),
              Int64(5, "observedGeneration"), Int32(6, "updatedNumberScheduled"),
              Int32(7, "numberAvailable"), Int32(8, "numberUnavailable"),
              Int32Keep(9, "collisionCount"), MessageList(10, "conditions", WorkloadCondition))

KC_PB_MESSAGE(StatefulSetSpec,
              Int32Keep(1, "replicas"), Message(2, "selector", meta::LabelSelector),
              Message(3, "template", core::PodTemplateSpec),
              MessageList(4, "volumeClaimTemplates", core::PersistentVolumeClaim),
              String(5, "serviceName"), String(6, "podManagementPolicy"),
              Message(7, "updateStrategy", StatefulSetUpdateStrategy),
              Int32Keep(8, "revisionHistoryLimit"), Int32(9, "minReadySeconds"),
              Message(10, "persistentVolumeClaimRetentionPolicy",
                      StatefulSetPersistentVolumeClaimRetentionPolicy),
              Message(11, "ordinals", StatefulSetOrdinals))

KC_PB_MESSAGE(StatefulSetUpdateStrategy,
              String(1, "type"), Message(2, "rollingUpdate", RollingUpdateStatefulSetStrategy))

KC_PB_MESSAGE(RollingUpdateStatefulSetStrategy,
              Int32Keep(1, "partition"), IntOrString(2, "maxUnavailable"))

KC_PB_MESSAGE(StatefulSetPersistentVolumeClaimRetentionPolicy,
              String(1, "whenDeleted"), String(2, "whenScaled"))

KC_PB_MESSAGE(StatefulSetOrdinals, Int32(1, "start"))

KC_PB_MESSAGE(StatefulSetStatus,
              Int64(1, "observedGeneration"), Int32Keep(2, "replicas"),
              Int32(3, "readyReplicas"), Int32(4, "currentReplicas"),
              Int32(5, "updatedReplicas"), String(6, "currentRevision"),
              String(7, "updateRevision"), Int32Keep(9, "collisionCount"),
              MessageList(10, "conditions", WorkloadCondition), Int32(11, "availableReplicas"))
}  // namespace

KC_PB_MESSAGE(Deployment,
              Message(1, "metadata", meta::ObjectMeta), Message(2, "spec", DeploymentSpec),
              Message(3, "status", DeploymentStatus))

KC_PB_MESSAGE(ReplicaSet,
              Message(1, "metadata", meta::ObjectMeta), Message(2, "spec", ReplicaSetSpec),
              Message(3, "status", ReplicaSetStatus))

KC_PB_MESSAGE(DaemonSet,
              Message(1, "metadata", meta::ObjectMeta), Message(2, "spec", DaemonSetSpec),
              Message(3, "status", DaemonSetStatus))

KC_PB_MESSAGE(StatefulSet,
              Message(1, "metadata", meta::ObjectMeta), Message(2, "spec", StatefulSetSpec),
              Message(3, "status", StatefulSetStatus))

}  // namespace kc::protobuf::apps
