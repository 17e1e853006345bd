// Schema tables for k8s.io/api/autoscaling/v1 and v2: HorizontalPodAutoscaler.
#include "pkg/protobuf/schemas.h"

namespace kc::protobuf {

namespace autoscaling_v1 {
namespace {
const MessageSchema& CrossVersionObjectReference();
const MessageSchema& HorizontalPodAutoscalerSpec();
const MessageSchema& HorizontalPodAutoscalerStatus();

KC_PB_MESSAGE(CrossVersionObjectReference,
              StringKeep(1, "kind"), StringKeep(2, "name"), String(3, "apiVersion"))

KC_PB_MESSAGE(HorizontalPodAutoscalerSpec,
              Message(1, "scaleTargetRef", CrossVersionObjectReference),
              Int32Keep(2, "minReplicas"), Int32Keep(3, "maxReplicas"),
              Int32Keep(4, "targetCPUUtilizationPercentage"))

KC_PB_MESSAGE(HorizontalPodAutoscalerStatus,
              Int64Keep(1, "observedGeneration"), Time(2, "lastScaleTime"),
              Int32Keep(3, "currentReplicas"), Int32Keep(4, "desiredReplicas"),
              Int32Keep(5, "currentCPUUtilizationPercentage"))
}  // namespace

KC_PB_MESSAGE(HorizontalPodAutoscaler,
              Message(1, "metadata", meta::ObjectMeta),
              Message(2, "spec", HorizontalPodAutoscalerSpec),
              Message(3, "status", HorizontalPodAutoscalerStatus))
}  // namespace autoscaling_v1

namespace autoscaling_v2 {
namespace {
const MessageSchema& CrossVersionObjectReference();
const MessageSchema& HorizontalPodAutoscalerSpec();
const MessageSchema& HorizontalPodAutoscalerBehavior();
const MessageSchema& HPAScalingRules();
const MessageSchema& HPAScalingPolicy();
const MessageSchema& MetricSpec();
const MessageSchema& ObjectMetricSource();
const MessageSchema& PodsMetricSource();
const MessageSchema& ResourceMetricSource();
const MessageSchema& ContainerResourceMetricSource();
const MessageSchema& ExternalMetricSource();
const MessageSchema& MetricIdentifier();
const MessageSchema& MetricTarget();
const MessageSchema& HorizontalPodAutoscalerStatus();
const MessageSchema& HorizontalPodAutoscalerCondition();
const MessageSchema& MetricStatus();
const MessageSchema& ObjectMetricStatus();
const MessageSchema& PodsMetricStatus();
const MessageSchema& ResourceMetricStatus();
const MessageSchema& ContainerResourceMetricStatus();
const MessageSchema& ExternalMetricStatus();
const MessageSchema& MetricValueStatus();

KC_PB_MESSAGE(CrossVersionObjectReference,
              StringKeep(1, "kind"), StringKeep(2, "name"), String(3, "apiVersion"))

KC_PB_MESSAGE(HorizontalPodAutoscalerSpec,
              Message(1, "scaleTargetRef", CrossVersionObjectReference),
              Int32Keep(2, "minReplicas"), Int32Keep(3, "maxReplicas"),
              MessageList(4, "metrics", MetricSpec),
              Message(5, "behavior", HorizontalPodAutoscalerBehavior))

KC_PB_MESSAGE(HorizontalPodAutoscalerBehavior,
              Message(1, "scaleUp", HPAScalingRules), Message(2, "scaleDown", HPAScalingRules))

KC_PB_MESSAGE(HPAScalingRules,
              Int32Keep(3, "stabilizationWindowSeconds"), StringKeep(1, "selectPolicy"),
              MessageList(2, "policies", HPAScalingPolicy), Quantity(4, "tolerance"))

KC_PB_MESSAGE(HPAScalingPolicy,
              StringKeep(1, "type"), Int32Keep(2, "value"), Int32Keep(3, "periodSeconds"))

KC_PB_MESSAGE(MetricSpec,
              StringKeep(1, "type"), Message(2, "object", ObjectMetricSource),
              Message(3, "pods", PodsMetricSource), Message(4, "resource", ResourceMetricSource),
              Message(7, "containerResource", ContainerResourceMetricSource),
              Message(5, "external", ExternalMetricSource))

KC_PB_MESSAGE(ObjectMetricSource,
              Message(1, "describedObject", CrossVersionObjectReference),
              Message(2, "target", MetricTarget), Message(3, "metric", MetricIdentifier))

KC_PB_MESSAGE(PodsMetricSource,
              Message(1, "metric", MetricIdentifier), Message(2, "target", MetricTarget))

KC_PB_MESSAGE(ResourceMetricSource, StringKeep(1, "name"), Message(2, "target", MetricTarget))

KC_PB_MESSAGE(ContainerResourceMetricSource,
              StringKeep(1, "name"), Message(2, "target", MetricTarget),
              StringKeep(3, "container"))

KC_PB_MESSAGE(ExternalMetricSource,
              Message(1, "metric", MetricIdentifier), Message(2, "target", MetricTarget))

KC_PB_MESSAGE(MetricIdentifier,
              StringKeep(1, "name"), Message(2, "selector", meta::LabelSelector))

KC_PB_MESSAGE(MetricTarget,
              StringKeep(1, "type"), Quantity(2, "value"), Quantity(3, "averageValue"),
              Int32Keep(4, "averageUtilization"))

KC_PB_MESSAGE(HorizontalPodAutoscalerStatus,
              Int64Keep(1, "observedGeneration"), Time(2, "lastScaleTime"),
              Int32(3, "currentReplicas"), Int32Keep(4, "desiredReplicas"),
              MessageList(5, "currentMetrics", MetricStatus),
              MessageList(6, "conditions", HorizontalPodAutoscalerCondition))

KC_PB_MESSAGE(HorizontalPodAutoscalerCondition,
              StringKeep(1, "type"), StringKeep(2, "status"), Time(3, "lastTransitionTime"),
              String(4, "reason"), String(5, "message"))

KC_PB_MESSAGE(MetricStatus,
              StringKeep(1, "type"), Message(2, "object", ObjectMetricStatus),
              Message(3, "pods", PodsMetricStatus), Message(4, "resource", ResourceMetricStatus),
              Message(7, "containerResource", ContainerResourceMetricStatus),
              Message(5, "external", ExternalMetricStatus))

KC_PB_MESSAGE(ObjectMetricStatus,
              Message(1, "metric", MetricIdentifier), Message(2, "current", MetricValueStatus),
              Message(3, "describedObject", CrossVersionObjectReference))

KC_PB_MESSAGE(PodsMetricStatus,
              Message(1, "metric", MetricIdentifier), Message(2, "current", MetricValueStatus))

KC_PB_MESSAGE(ResourceMetricStatus,
              StringKeep(1, "name"), Message(2, "current", MetricValueStatus))

KC_PB_MESSAGE(ContainerResourceMetricStatus,
              StringKeep(1, "name"), Message(2, "current", MetricValueStatus),
              StringKeep(3, "container"))

KC_PB_MESSAGE(ExternalMetricStatus,
              Message(1, "metric", MetricIdentifier), Message(2, "current", MetricValueStatus))

KC_PB_MESSAGE(MetricValueStatus,
              Quantity(1, "value"), Quantity(2, "averageValue"),
              Int32Keep(3, "averageUtilization"))
}  // namespace

KC_PB_MESSAGE(HorizontalPodAutoscaler,
              Message(1, "metadata", meta::ObjectMeta),
              Message(2, "spec", HorizontalPodAutoscalerSpec),
              Message(3, "status", HorizontalPodAutoscalerStatus))
}  // namespace autoscaling_v2

}  // namespace kc::protobuf
