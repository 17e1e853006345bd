// Conversion of HorizontalPodAutoscaler objects between autoscaling/v1 and autoscaling/v2.
//
// kcluster stores HPAs in the autoscaling/v2 shape (as upstream does) and serves both versions
// from that one key. autoscaling/v1 only knows a CPU utilization target and the current CPU
// utilization; whatever else a v2 object holds travels in four annotations of the v1 view, the
// way upstream pkg/apis/autoscaling/v1/conversion.go does, so that v2 -> v1 -> v2 keeps it:
//
//   autoscaling.alpha.kubernetes.io/metrics          spec.metrics other than the CPU utilization
//                                                    target, as a JSON array of v1 MetricSpec
//                                                    (targetAverageValue, metricName, ...)
//   autoscaling.alpha.kubernetes.io/current-metrics  every status.currentMetrics entry, as a JSON
//                                                    array of v1 MetricStatus
//   autoscaling.alpha.kubernetes.io/conditions       status.conditions, as a JSON array
//   autoscaling.alpha.kubernetes.io/behavior         spec.behavior, as upstream's *internal* Go
//                                                    struct marshals it: {"ScaleUp":{
//                                                    "StabilizationWindowSeconds":..,
//                                                    "SelectPolicy":..,"Policies":[{"Type":..,
//                                                    "Value":..,"PeriodSeconds":..}]},"ScaleDown":..}
//
// Thread-safety: pure functions over the caller's object; safe from any thread.
#pragma once

#include <boost/json/object.hpp>
#include <string_view>

#include "pkg/api/status.h"

namespace kc::api {

inline constexpr std::string_view kHpaMetricsAnnotation = "autoscaling.alpha.kubernetes.io/metrics";
inline constexpr std::string_view kHpaCurrentMetricsAnnotation =
    "autoscaling.alpha.kubernetes.io/current-metrics";
inline constexpr std::string_view kHpaConditionsAnnotation =
    "autoscaling.alpha.kubernetes.io/conditions";
inline constexpr std::string_view kHpaBehaviorAnnotation =
    "autoscaling.alpha.kubernetes.io/behavior";

// Converts an autoscaling/v1 HPA (a client's body, or the v1 view it read back) into the
// autoscaling/v2 storage shape, in place, and sets apiVersion to autoscaling/v2:
// spec.targetCPUUtilizationPercentage becomes a cpu Utilization metric placed after the metrics
// of the metrics annotation; with neither, spec.metrics is the default cpu 80% metric (upstream
// applies that default here, in conversion). status.currentCPUUtilizationPercentage becomes a cpu
// entry of status.currentMetrics, which the current-metrics annotation replaces when present.
// The four annotations are read as Go's encoding/json would (keys case-insensitive, unknown keys
// ignored); one that is not valid JSON of the expected shape is ignored, as upstream does. All four
// are removed afterwards. v2-only fields in the v1 body are dropped (v1 has no such fields).
//
// Returns BadRequest with upstream's decoder message, leaving obj unchanged, when
// targetCPUUtilizationPercentage or currentCPUUtilizationPercentage is not an int32; every other
// malformed shape is converted as far as possible or left as it is.
Status ConvertHpaV1ToV2(boost::json::object& obj);

// Converts the stored autoscaling/v2 shape into what an autoscaling/v1 client sees, in place, and
// sets apiVersion to autoscaling/v1. Never fails; a part of the wrong type (spec.metrics that is
// not an array, ...) is left as it is.
void ConvertHpaV2ToV1(boost::json::object& obj);

// Removes the four round-trip annotations (and an annotations map they leave empty). Upstream
// does this on every decode and encode of autoscaling/v2, so stale copies never reach storage or a
// v2 client: call it on v2 request bodies and v2 responses.
void DropHpaRoundTripAnnotations(boost::json::object& obj);

}  // namespace kc::api
