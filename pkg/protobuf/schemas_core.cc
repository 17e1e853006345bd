// Schema tables for k8s.io/api/core/v1 objects other than pods and volumes: Namespace,
// ConfigMap, Secret, Service, ServiceAccount, ResourceQuota, LimitRange and the object
// references they share.
#include "pkg/protobuf/schemas.h"

namespace kc::protobuf::core {
namespace {
const MessageSchema& NamespaceSpec();
const MessageSchema& NamespaceStatus();
const MessageSchema& NamespaceCondition();
const MessageSchema& ServiceSpec();
const MessageSchema& ServicePort();
const MessageSchema& SessionAffinityConfig();
const MessageSchema& ClientIPConfig();
const MessageSchema& ServiceStatus();
const MessageSchema& LoadBalancerStatus();
const MessageSchema& LoadBalancerIngress();
const MessageSchema& PortStatus();
const MessageSchema& ResourceQuotaSpec();
const MessageSchema& ResourceQuotaStatus();
const MessageSchema& ScopeSelector();
const MessageSchema& ScopedResourceSelectorRequirement();
const MessageSchema& LimitRangeSpec();
const MessageSchema& LimitRangeItem();

KC_PB_MESSAGE(NamespaceSpec, StringList(1, "finalizers"))

KC_PB_MESSAGE(NamespaceStatus,
              String(1, "phase"), MessageList(2, "conditions", NamespaceCondition))

KC_PB_MESSAGE(NamespaceCondition,
              StringKeep(1, "type"), StringKeep(2, "status"), Time(4, "lastTransitionTime"),
              String(5, "reason"), String(6, "message"))

KC_PB_MESSAGE(ServiceSpec,
              MessageList(1, "ports", ServicePort), StringMap(2, "selector"),
              String(3, "clusterIP"), StringList(18, "clusterIPs"), String(4, "type"),
              StringList(5, "externalIPs"), String(7, "sessionAffinity"),
              String(8, "loadBalancerIP"), StringList(9, "loadBalancerSourceRanges"),
              String(10, "externalName"), String(11, "externalTrafficPolicy"),
              Int32(12, "healthCheckNodePort"), Bool(13, "publishNotReadyAddresses"),
              Message(14, "sessionAffinityConfig", SessionAffinityConfig),
              StringList(19, "ipFamilies"), StringKeep(17, "ipFamilyPolicy"),
              BoolKeep(20, "allocateLoadBalancerNodePorts"), StringKeep(21, "loadBalancerClass"),
              StringKeep(22, "internalTrafficPolicy"), StringKeep(23, "trafficDistribution"))

KC_PB_MESSAGE(ServicePort,
              String(1, "name"), String(2, "protocol"), StringKeep(6, "appProtocol"),
              Int32Keep(3, "port"), IntOrString(4, "targetPort"), Int32(5, "nodePort"))

KC_PB_MESSAGE(SessionAffinityConfig, Message(1, "clientIP", ClientIPConfig))

KC_PB_MESSAGE(ClientIPConfig, Int32Keep(1, "timeoutSeconds"))

KC_PB_MESSAGE(ServiceStatus,
              Message(1, "loadBalancer", LoadBalancerStatus),
              MessageList(2, "conditions", meta::Condition))

KC_PB_MESSAGE(LoadBalancerStatus, MessageList(1, "ingress", LoadBalancerIngress))

KC_PB_MESSAGE(LoadBalancerIngress,
              String(1, "ip"), String(2, "hostname"), StringKeep(3, "ipMode"),
              MessageList(4, "ports", PortStatus))

KC_PB_MESSAGE(PortStatus, Int32Keep(1, "port"), StringKeep(2, "protocol"), StringKeep(3, "error"))

KC_PB_MESSAGE(ResourceQuotaSpec,
              QuantityMap(1, "hard"), StringList(2, "scopes"),
              Message(3, "scopeSelector", ScopeSelector))

KC_PB_MESSAGE(ResourceQuotaStatus, QuantityMap(1, "hard"), QuantityMap(2, "used"))

KC_PB_MESSAGE(ScopeSelector,
              MessageList(1, "matchExpressions", ScopedResourceSelectorRequirement))

KC_PB_MESSAGE(ScopedResourceSelectorRequirement,
              StringKeep(1, "scopeName"), StringKeep(2, "operator"), StringList(3, "values"))

KC_PB_MESSAGE(LimitRangeSpec, MessageList(1, "limits", LimitRangeItem))

KC_PB_MESSAGE(LimitRangeItem,
              StringKeep(1, "type"), QuantityMap(2, "max"), QuantityMap(3, "min"),
              QuantityMap(4, "default"), QuantityMap(5, "defaultRequest"),
              QuantityMap(6, "maxLimitRequestRatio"))
}  // namespace

KC_PB_MESSAGE(ObjectReference,
              String(1, "kind"), String(2, "namespace"), String(3, "name"), String(4, "uid"),
              String(5, "apiVersion"), String(6, "resourceVersion"), String(7, "fieldPath"))

KC_PB_MESSAGE(LocalObjectReference, String(1, "name"))

KC_PB_MESSAGE(TypedLocalObjectReference,
              StringKeep(1, "apiGroup"), StringKeep(2, "kind"), StringKeep(3, "name"))

KC_PB_MESSAGE(Namespace,
              Message(1, "metadata", meta::ObjectMeta), Message(2, "spec", NamespaceSpec),
              Message(3, "status", NamespaceStatus))

KC_PB_MESSAGE(ConfigMap,
              Message(1, "metadata", meta::ObjectMeta), BoolKeep(4, "immutable"),
              StringMap(2, "data"), BytesMap(3, "binaryData"))

KC_PB_MESSAGE(Secret,
              Message(1, "metadata", meta::ObjectMeta), BoolKeep(5, "immutable"),
              BytesMap(2, "data"), StringMap(4, "stringData"), String(3, "type"))

KC_PB_MESSAGE(Service,
              Message(1, "metadata", meta::ObjectMeta), Message(2, "spec", ServiceSpec),
              Message(3, "status", ServiceStatus))

KC_PB_MESSAGE(ServiceAccount,
              Message(1, "metadata", meta::ObjectMeta),
              MessageList(2, "secrets", ObjectReference),
              MessageList(3, "imagePullSecrets", LocalObjectReference),
              BoolKeep(4, "automountServiceAccountToken"))

KC_PB_MESSAGE(ResourceQuota,
              Message(1, "metadata", meta::ObjectMeta), Message(2, "spec", ResourceQuotaSpec),
              Message(3, "status", ResourceQuotaStatus))

KC_PB_MESSAGE(LimitRange,
              Message(1, "metadata", meta::ObjectMeta), Message(2, "spec", LimitRangeSpec))

}  // namespace kc::protobuf::core
