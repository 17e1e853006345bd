// Schema tables for k8s.io/apimachinery/pkg/apis/meta/v1 (ObjectMeta, selectors, conditions,
// DeleteOptions).
#include "pkg/protobuf/schemas.h"

namespace kc::protobuf::meta {
namespace {
const MessageSchema& OwnerReference();
const MessageSchema& ManagedFieldsEntry();
const MessageSchema& Preconditions();

KC_PB_MESSAGE(OwnerReference,
              StringKeep(5, "apiVersion"), StringKeep(1, "kind"), StringKeep(3, "name"),
              StringKeep(4, "uid"), BoolKeep(6, "controller"), BoolKeep(7, "blockOwnerDeletion"))

KC_PB_MESSAGE(ManagedFieldsEntry,
              String(1, "manager"), String(2, "operation"), String(3, "apiVersion"),
              Time(4, "time"), String(6, "fieldsType"), RawJson(7, "fieldsV1"),
              String(8, "subresource"))

KC_PB_MESSAGE(Preconditions, StringKeep(1, "uid"), StringKeep(2, "resourceVersion"))
}  // namespace

KC_PB_MESSAGE(ObjectMeta,
              String(1, "name"), String(2, "generateName"), String(3, "namespace"),
              String(4, "selfLink"), String(5, "uid"), String(6, "resourceVersion"),
              Int64(7, "generation"), Time(8, "creationTimestamp"),
              Time(9, "deletionTimestamp"), Int64Keep(10, "deletionGracePeriodSeconds"),
              StringMap(11, "labels"), StringMap(12, "annotations"),
              MessageList(13, "ownerReferences", OwnerReference), StringList(14, "finalizers"),
              MessageList(17, "managedFields", ManagedFieldsEntry))

KC_PB_MESSAGE(LabelSelector,
              StringMap(1, "matchLabels"),
              MessageList(2, "matchExpressions", LabelSelectorRequirement))

KC_PB_MESSAGE(LabelSelectorRequirement,
              StringKeep(1, "key"), StringKeep(2, "operator"), StringList(3, "values"))

KC_PB_MESSAGE(FieldSelectorRequirement,
              StringKeep(1, "key"), StringKeep(2, "operator"), StringList(3, "values"))

KC_PB_MESSAGE(Condition,
              StringKeep(1, "type"), StringKeep(2, "status"), Int64(3, "observedGeneration"),
              Time(4, "lastTransitionTime"), StringKeep(5, "reason"), StringKeep(6, "message"))

KC_PB_MESSAGE(DeleteOptions,
              Int64Keep(1, "gracePeriodSeconds"), Message(2, "preconditions", Preconditions),
              BoolKeep(3, "orphanDependents"), StringKeep(4, "propagationPolicy"),
              StringList(5, "dryRun"),
              BoolKeep(6, "ignoreStoreReadErrorWithClusterBreakingPotential"))

}  // namespace kc::protobuf::meta
