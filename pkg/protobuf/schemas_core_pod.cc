// Schema tables for k8s.io/api/core/v1 pods: PodSpec and its scheduling parts, PodTemplateSpec,
// Pod (with the commonly set status fields) and ReplicationController.
#include "pkg/protobuf/schemas.h"

namespace kc::protobuf::core {
namespace {
const MessageSchema& Affinity();
const MessageSchema& NodeAffinity();
const MessageSchema& NodeSelector();
const MessageSchema& NodeSelectorTerm();
const MessageSchema& NodeSelectorRequirement();
const MessageSchema& PreferredSchedulingTerm();
const MessageSchema& PodAffinity();
const MessageSchema& PodAffinityTerm();
const MessageSchema& WeightedPodAffinityTerm();
const MessageSchema& Toleration();
const MessageSchema& HostAlias();
const MessageSchema& PodDNSConfig();
const MessageSchema& PodDNSConfigOption();
const MessageSchema& PodReadinessGate();
const MessageSchema& TopologySpreadConstraint();
const MessageSchema& PodOS();
const MessageSchema& PodSchedulingGate();
const MessageSchema& PodResourceClaim();
const MessageSchema& PodStatus();
const MessageSchema& PodCondition();
const MessageSchema& PodIP();
const MessageSchema& ReplicationControllerSpec();
const MessageSchema& ReplicationControllerStatus();
const MessageSchema& ReplicationControllerCondition();

KC_PB_MESSAGE(Affinity,
              Message(1, "nodeAffinity", NodeAffinity), Message(2, "podAffinity", PodAffinity),
              // PodAntiAffinity has the same fields as PodAffinity.
              Message(3, "podAntiAffinity", PodAffinity))

KC_PB_MESSAGE(NodeAffinity,
              Message(1, "requiredDuringSchedulingIgnoredDuringExecution", NodeSelector),
              MessageList(2, "preferredDuringSchedulingIgnoredDuringExecution",
                          PreferredSchedulingTerm))

KC_PB_MESSAGE(NodeSelector, MessageList(1, "nodeSelectorTerms", NodeSelectorTerm))

KC_PB_MESSAGE(NodeSelectorTerm,
              MessageList(1, "matchExpressions", NodeSelectorRequirement),
              MessageList(2, "matchFields", NodeSelectorRequirement))

KC_PB_MESSAGE(NodeSelectorRequirement,
              StringKeep(1, "key"), StringKeep(2, "operator"), StringList(3, "values"))

KC_PB_MESSAGE(PreferredSchedulingTerm,
              Int32Keep(1, "weight"), Message(2, "preference", NodeSelectorTerm))

KC_PB_MESSAGE(PodAffinity,
              MessageList(1, "requiredDuringSchedulingIgnoredDuringExecution", PodAffinityTerm),
              MessageList(2, "preferredDuringSchedulingIgnoredDuringExecution",
                          WeightedPodAffinityTerm))

KC_PB_MESSAGE(PodAffinityTerm,
              Message(1, "labelSelector", meta::LabelSelector), StringList(2, "namespaces"),
              StringKeep(3, "topologyKey"), Message(4, "namespaceSelector", meta::LabelSelector),
              StringList(5, "matchLabelKeys"), StringList(6, "mismatchLabelKeys"))

KC_PB_MESSAGE(WeightedPodAffinityTerm,
              Int32Keep(1, "weight"), Message(2, "podAffinityTerm", PodAffinityTerm))

KC_PB_MESSAGE(Toleration,
              String(1, "key"), String(2, "operator"), String(3, "value"), String(4, "effect"),
              Int64Keep(5, "tolerationSeconds"))

KC_PB_MESSAGE(HostAlias, StringKeep(1, "ip"), StringList(2, "hostnames"))

KC_PB_MESSAGE(PodDNSConfig,
              StringList(1, "nameservers"), StringList(2, "searches"),
              MessageList(3, "options", PodDNSConfigOption))

KC_PB_MESSAGE(PodDNSConfigOption, String(1, "name"), StringKeep(2, "value"))

KC_PB_MESSAGE(PodReadinessGate, StringKeep(1, "conditionType"))

KC_PB_MESSAGE(TopologySpreadConstraint,
              Int32Keep(1, "maxSkew"), StringKeep(2, "topologyKey"),
              StringKeep(3, "whenUnsatisfiable"), Message(4, "labelSelector", meta::LabelSelector),
              Int32Keep(5, "minDomains"), StringKeep(6, "nodeAffinityPolicy"),
              StringKeep(7, "nodeTaintsPolicy"), StringList(8, "matchLabelKeys"))

KC_PB_MESSAGE(PodOS, StringKeep(1, "name"))

KC_PB_MESSAGE(PodSchedulingGate, StringKeep(1, "name"))

KC_PB_MESSAGE(PodResourceClaim,
              StringKeep(1, "name"), StringKeep(3, "resourceClaimName"),
              StringKeep(4, "resourceClaimTemplateName"))

KC_PB_MESSAGE(PodStatus,
              Int64(17, "observedGeneration"), String(1, "phase"),
              MessageList(2, "conditions", PodCondition), String(3, "message"),
              String(4, "reason"), String(11, "nominatedNodeName"), String(5, "hostIP"),
              MessageList(16, "hostIPs", PodIP), String(6, "podIP"),
              MessageList(12, "podIPs", PodIP), Time(7, "startTime"), String(9, "qosClass"))

KC_PB_MESSAGE(PodCondition,
              StringKeep(1, "type"), Int64(7, "observedGeneration"), StringKeep(2, "status"),
              Time(3, "lastProbeTime"), Time(4, "lastTransitionTime"), String(5, "reason"),
              String(6, "message"))

// Also the layout of HostIP.
KC_PB_MESSAGE(PodIP, StringKeep(1, "ip"))

KC_PB_MESSAGE(ReplicationControllerSpec,
              Int32Keep(1, "replicas"), Int32(4, "minReadySeconds"), StringMap(2, "selector"),
              Message(3, "template", PodTemplateSpec))

KC_PB_MESSAGE(ReplicationControllerStatus,
              Int32Keep(1, "replicas"), Int32(2, "fullyLabeledReplicas"),
              Int32(4, "readyReplicas"), Int32(5, "availableReplicas"),
              Int64(3, "observedGeneration"),
              MessageList(6, "conditions", ReplicationControllerCondition))

KC_PB_MESSAGE(ReplicationControllerCondition,
              StringKeep(1, "type"), StringKeep(2, "status"), Time(3, "lastTransitionTime"),
              String(4, "reason"), String(5, "message"))
}  // namespace

KC_PB_MESSAGE(PodSpec,
              MessageList(1, "volumes", Volume), MessageList(20, "initContainers", Container),
              MessageList(2, "containers", Container),
              MessageList(34, "ephemeralContainers", EphemeralContainer),
              String(3, "restartPolicy"), Int64Keep(4, "terminationGracePeriodSeconds"),
              Int64Keep(5, "activeDeadlineSeconds"), String(6, "dnsPolicy"),
              StringMap(7, "nodeSelector"), String(8, "serviceAccountName"),
              String(9, "serviceAccount"), BoolKeep(21, "automountServiceAccountToken"),
              String(10, "nodeName"), Bool(11, "hostNetwork"), Bool(12, "hostPID"),
              Bool(13, "hostIPC"), BoolKeep(27, "shareProcessNamespace"),
              Message(14, "securityContext", PodSecurityContext),
              MessageList(15, "imagePullSecrets", LocalObjectReference), String(16, "hostname"),
              String(17, "subdomain"), Message(18, "affinity", Affinity),
              String(19, "schedulerName"), MessageList(22, "tolerations", Toleration),
              MessageList(23, "hostAliases", HostAlias), String(24, "priorityClassName"),
              Int32Keep(25, "priority"), Message(26, "dnsConfig", PodDNSConfig),
              MessageList(28, "readinessGates", PodReadinessGate),
              StringKeep(29, "runtimeClassName"), BoolKeep(30, "enableServiceLinks"),
              StringKeep(31, "preemptionPolicy"), QuantityMap(32, "overhead"),
              MessageList(33, "topologySpreadConstraints", TopologySpreadConstraint),
              BoolKeep(35, "setHostnameAsFQDN"), Message(36, "os", PodOS),
              BoolKeep(37, "hostUsers"), MessageList(38, "schedulingGates", PodSchedulingGate),
              MessageList(39, "resourceClaims", PodResourceClaim),
              Message(40, "resources", ResourceRequirements), StringKeep(41, "hostnameOverride"))

KC_PB_MESSAGE(PodTemplateSpec,
              Message(1, "metadata", meta::ObjectMeta), Message(2, "spec", PodSpec))

KC_PB_MESSAGE(Pod,
              Message(1, "metadata", meta::ObjectMeta), Message(2, "spec", PodSpec),
              Message(3, "status", PodStatus))

KC_PB_MESSAGE(ReplicationController,
              Message(1, "metadata", meta::ObjectMeta),
              Message(2, "spec", ReplicationControllerSpec),
              Message(3, "status", ReplicationControllerStatus))

}  // namespace kc::protobuf::core
