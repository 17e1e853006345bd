// autoscaling/v1 (HorizontalPodAutoscaler, Scale) and autoscaling/v2 (HorizontalPodAutoscaler).
#include "pkg/openapi/schema_sources.h"

namespace kc::openapi::internal {

std::string_view AutoscalingSchemas() {
  return R"DSL(
package autoscaling.v1
Scale @autoscaling/v1/Scale The scale subresource of a scalable resource.
  spec ScaleSpec Desired scale.
  status ScaleStatus Current scale. Read-only.

ScaleSpec Desired scale.
  replicas int32 Desired number of instances.

ScaleStatus +open Current scale.
  replicas! int32 Actual number of instances.
  selector string Label query over the pods counted, in string form.

CrossVersionObjectReference A reference to the scaled resource.
  apiVersion string API version of the referent.
  kind! string Kind of the referent.
  name! string Name of the referent.

HorizontalPodAutoscaler @autoscaling/v1/HorizontalPodAutoscaler Scales a resource's replicas from average CPU utilization.
  spec HorizontalPodAutoscalerSpec Desired behaviour.
  status HorizontalPodAutoscalerStatus Current status. Read-only.

HorizontalPodAutoscalerSpec Desired behaviour of an autoscaler.
  maxReplicas! int32 Upper limit of replicas.
  minReplicas int32 Lower limit of replicas. Defaults to 1.
  scaleTargetRef! CrossVersionObjectReference The resource to scale.
  targetCPUUtilizationPercentage int32 Target average CPU utilization, as a percentage of requests.

HorizontalPodAutoscalerStatus +open Status of an autoscaler.
  currentCPUUtilizationPercentage int32 Current average CPU utilization.
  currentReplicas! int32 Current number of replicas.
  desiredReplicas! int32 Desired number of replicas.
  lastScaleTime time When the autoscaler last scaled.
  observedGeneration int64 Generation most recently observed.

package autoscaling.v2
HorizontalPodAutoscaler @autoscaling/v2/HorizontalPodAutoscaler Scales a resource's replicas from resource, pod, object or external metrics.
  spec HorizontalPodAutoscalerSpec Desired behaviour.
  status HorizontalPodAutoscalerStatus Current status. Read-only.

HorizontalPodAutoscalerSpec Desired behaviour of an autoscaler.
  behavior HorizontalPodAutoscalerBehavior Scaling behaviour in each direction.
  maxReplicas! int32 Upper limit of replicas.
  metrics []MetricSpec Metrics used to compute the desired replica count; the largest proposal wins.
  minReplicas int32 Lower limit of replicas. Defaults to 1.
  scaleTargetRef! CrossVersionObjectReference The resource to scale.

CrossVersionObjectReference A reference to the scaled resource.
  apiVersion string API version of the referent.
  kind! string Kind of the referent.
  name! string Name of the referent.

HorizontalPodAutoscalerBehavior Scaling behaviour.
  scaleDown HPAScalingRules Rules for scaling down.
  scaleUp HPAScalingRules Rules for scaling up.

HPAScalingRules Rules for one scaling direction.
  policies []HPAScalingPolicy Allowed changes.
  selectPolicy string Max, Min or Disabled: which policy is used.
  stabilizationWindowSeconds int32 Seconds of past recommendations considered.

HPAScalingPolicy One allowed change.
  periodSeconds! int32 Window the policy holds over.
  type! string Pods or Percent.
  value! int32 Amount of change allowed.

MetricSpec A metric to scale on.
  containerResource ContainerResourceMetricSource A resource of one container of each pod.
  external ExternalMetricSource A metric from outside the cluster.
  object ObjectMetricSource A metric of one object.
  pods PodsMetricSource A metric averaged over the pods.
  resource ResourceMetricSource A resource of the pods, e.g. cpu.
  type! string ContainerResource, External, Object, Pods or Resource.

ContainerResourceMetricSource A container resource metric.
  container! string Name of the container.
  name! string Name of the resource.
  target! MetricTarget Target value.

ExternalMetricSource An external metric.
  metric! MetricIdentifier The metric.
  target! MetricTarget Target value.

ObjectMetricSource A metric of an object.
  describedObject! CrossVersionObjectReference The object.
  metric! MetricIdentifier The metric.
  target! MetricTarget Target value.

PodsMetricSource A per-pod metric.
  metric! MetricIdentifier The metric.
  target! MetricTarget Target value.

ResourceMetricSource A resource metric.
  name! string Name of the resource, e.g. cpu or memory.
  target! MetricTarget Target value.

MetricIdentifier Identifies a metric.
  name! string Name of the metric.
  selector meta.v1.LabelSelector Selector narrowing the metric.

MetricTarget Target of a metric.
  averageUtilization int32 Target average utilization, as a percentage of requests.
  averageValue quantity Target average value.
  type! string Utilization, Value or AverageValue.
  value quantity Target value.

HorizontalPodAutoscalerStatus +open Status of an autoscaler.
  conditions []object Current conditions.
  currentMetrics []object Last observed value of each metric.
  currentReplicas int32 Current number of replicas.
  desiredReplicas! int32 Desired number of replicas.
  lastScaleTime time When the autoscaler last scaled.
  observedGeneration int64 Generation most recently observed.
)DSL";
}

}  // namespace kc::openapi::internal
