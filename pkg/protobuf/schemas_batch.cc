// Schema tables for k8s.io/api/batch/v1: Job and CronJob.
#include "pkg/protobuf/schemas.h"

namespace kc::protobuf::batch {
namespace {
const MessageSchema& JobSpec();
const MessageSchema& JobStatus();
const MessageSchema& JobCondition();
const MessageSchema& UncountedTerminatedPods();
const MessageSchema& JobTemplateSpec();
const MessageSchema& PodFailurePolicy();
const MessageSchema& PodFailurePolicyRule();
const MessageSchema& PodFailurePolicyOnExitCodesRequirement();
const MessageSchema& PodFailurePolicyOnPodConditionsPattern();
const MessageSchema& SuccessPolicy();
const MessageSchema& SuccessPolicyRule();
const MessageSchema& CronJobSpec();
const MessageSchema& CronJobStatus();

KC_PB_MESSAGE(JobSpec,
              Int32Keep(1, "parallelism"), Int32Keep(2, "completions"),
              Int64Keep(3, "activeDeadlineSeconds"),
              Message(11, "podFailurePolicy", PodFailurePolicy),
              Message(16, "successPolicy", SuccessPolicy), Int32Keep(7, "backoffLimit"),
              Int32Keep(12, "backoffLimitPerIndex"), Int32Keep(13, "maxFailedIndexes"),
              Message(4, "selector", meta::LabelSelector), BoolKeep(5, "manualSelector"),
              Message(6, "template", core::PodTemplateSpec),
              Int32Keep(8, "ttlSecondsAfterFinished"), StringKeep(9, "completionMode"),
              BoolKeep(10, "suspend"), StringKeep(14, "podReplacementPolicy"),
              StringKeep(15, "managedBy"))

KC_PB_MESSAGE(JobStatus,
              MessageList(1, "conditions", JobCondition), Time(2, "startTime"),
              Time(3, "completionTime"), Int32(4, "active"), Int32(5, "succeeded"),
              Int32(6, "failed"), Int32Keep(11, "terminating"), String(7, "completedIndexes"),
              StringKeep(10, "failedIndexes"),
              Message(8, "uncountedTerminatedPods", UncountedTerminatedPods),
              Int32Keep(9, "ready"))

KC_PB_MESSAGE(JobCondition,
              StringKeep(1, "type"), StringKeep(2, "status"), Time(3, "lastProbeTime"),
              Time(4, "lastTransitionTime"), String(5, "reason"), String(6, "message"))

KC_PB_MESSAGE(UncountedTerminatedPods, StringList(1, "succeeded"), StringList(2, "failed"))

KC_PB_MESSAGE(JobTemplateSpec,
              Message(1, "metadata", meta::ObjectMeta), Message(2, "spec", JobSpec))

KC_PB_MESSAGE(PodFailurePolicy, MessageList(1, "rules", PodFailurePolicyRule))

KC_PB_MESSAGE(PodFailurePolicyRule,
              StringKeep(1, "action"),
              Message(2, "onExitCodes", PodFailurePolicyOnExitCodesRequirement),
              MessageList(3, "onPodConditions", PodFailurePolicyOnPodConditionsPattern))

KC_PB_MESSAGE(PodFailurePolicyOnExitCodesRequirement,
              StringKeep(1, "containerName"), StringKeep(2, "operator"), Int32List(3, "values"))

KC_PB_MESSAGE(PodFailurePolicyOnPodConditionsPattern,
              StringKeep(1, "type"), StringKeep(2, "status"))

KC_PB_MESSAGE(SuccessPolicy, MessageList(1, "rules", SuccessPolicyRule))

KC_PB_MESSAGE(SuccessPolicyRule,
              StringKeep(1, "succeededIndexes"), Int32Keep(2, "succeededCount"))

KC_PB_MESSAGE(CronJobSpec,
              StringKeep(1, "schedule"), StringKeep(8, "timeZone"),
              Int64Keep(2, "startingDeadlineSeconds"), String(3, "concurrencyPolicy"),
              BoolKeep(4, "suspend"), Message(5, "jobTemplate", JobTemplateSpec),
              Int32Keep(6, "successfulJobsHistoryLimit"), Int32Keep(7, "failedJobsHistoryLimit"))

KC_PB_MESSAGE(CronJobStatus,
              MessageList(1, "active", core::ObjectReference), Time(4, "lastScheduleTime"),
              Time(5, "lastSuccessfulTime"))
}  // namespace

KC_PB_MESSAGE(Job,
              Message(1, "metadata", meta::ObjectMeta), Message(2, "spec", JobSpec),
              Message(3, "status", JobStatus))

KC_PB_MESSAGE(CronJob,
              Message(1, "metadata", meta::ObjectMeta), Message(2, "spec", CronJobSpec),
              Message(3, "status", CronJobStatus))

}  // namespace kc::protobuf::batch
