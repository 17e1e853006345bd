// Schema tables for k8s.io/api/rbac/v1: Role, ClusterRole, RoleBinding, ClusterRoleBinding.
#include "pkg/protobuf/schemas.h"

namespace kc::protobuf::rbac {
namespace {
const MessageSchema& PolicyRule();
const MessageSchema& AggregationRule();
const MessageSchema& Subject();
const MessageSchema& RoleRef();

KC_PB_MESSAGE(PolicyRule,
              StringList(1, "verbs"), StringList(2, "apiGroups"), StringList(3, "resources"),
              StringList(4, "resourceNames"), StringList(5, "nonResourceURLs"))

KC_PB_MESSAGE(AggregationRule, MessageList(1, "clusterRoleSelectors", meta::LabelSelector))

KC_PB_MESSAGE(Subject,
              StringKeep(1, "kind"), String(2, "apiGroup"), StringKeep(3, "name"),
              String(4, "namespace"))

KC_PB_MESSAGE(RoleRef, StringKeep(1, "apiGroup"), StringKeep(2, "kind"), StringKeep(3, "name"))
}  // namespace

KC_PB_MESSAGE(Role, Message(1, "metadata", meta::ObjectMeta), MessageList(2, "rules", PolicyRule))

KC_PB_MESSAGE(ClusterRole,
              Message(1, "metadata", meta::ObjectMeta), MessageList(2, "rules", PolicyRule),
              Message(3, "aggregationRule", AggregationRule))

KC_PB_MESSAGE(RoleBinding,
              Message(1, "metadata", meta::ObjectMeta), MessageList(2, "subjects", Subject),
              Message(3, "roleRef", RoleRef))

KC_PB_MESSAGE(ClusterRoleBinding,
              Message(1, "metadata", meta::ObjectMeta), MessageList(2, "subjects", Subject),
              Message(3, "roleRef", RoleRef))

}  // namespace kc::protobuf::rbac
