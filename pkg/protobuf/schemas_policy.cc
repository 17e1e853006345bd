// Schema tables for k8s.io/api/policy/v1: PodDisruptionBudget and Eviction.
#include "pkg/protobuf/schemas.h"

namespace kc::protobuf::policy {
namespace {
const MessageSchema& PodDisruptionBudgetSpec();
const MessageSchema& PodDisruptionBudgetStatus();

KC_PB_MESSAGE(PodDisruptionBudgetSpec,
              IntOrString(1, "minAvailable"), Message(2, "selector", meta::LabelSelector),
              IntOrString(3, "maxUnavailable"), StringKeep(4, "unhealthyPodEvictionPolicy"))

KC_PB_MESSAGE(PodDisruptionBudgetStatus,
              Int64(1, "observedGeneration"), TimeMap(2, "disruptedPods"),
              Int32Keep(3, "disruptionsAllowed"), Int32Keep(4, "currentHealthy"),
              Int32Keep(5, "desiredHealthy"), Int32Keep(6, "expectedPods"),
              MessageList(7, "conditions", meta::Condition))
}  // namespace

KC_PB_MESSAGE(PodDisruptionBudget,
              Message(1, "metadata", meta::ObjectMeta),
              Message(2, "spec", PodDisruptionBudgetSpec),
              Message(3, "status", PodDisruptionBudgetStatus))

KC_PB_MESSAGE(Eviction,
              Message(1, "metadata", meta::ObjectMeta),
              Message(2, "deleteOptions", meta::DeleteOptions))

}  // namespace kc::protobuf::policy
