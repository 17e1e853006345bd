// Schema tables for k8s.io/api/networking/v1: Ingress, IngressClass, NetworkPolicy.
#include "pkg/protobuf/schemas.h"

namespace kc::protobuf::networking {
namespace {
const MessageSchema& IngressSpec();
const MessageSchema& IngressBackend();
const MessageSchema& IngressServiceBackend();
const MessageSchema& ServiceBackendPort();
const MessageSchema& IngressTLS();
const MessageSchema& IngressRule();
const MessageSchema& IngressRuleValue();
const MessageSchema& HTTPIngressRuleValue();
const MessageSchema& HTTPIngressPath();
const MessageSchema& IngressStatus();
const MessageSchema& IngressLoadBalancerStatus();
const MessageSchema& IngressLoadBalancerIngress();
const MessageSchema& IngressPortStatus();
const MessageSchema& IngressClassSpec();
const MessageSchema& IngressClassParametersReference();
const MessageSchema& NetworkPolicySpec();
const MessageSchema& NetworkPolicyIngressRule();
const MessageSchema& NetworkPolicyEgressRule();
const MessageSchema& NetworkPolicyPort();
const MessageSchema& NetworkPolicyPeer();
const MessageSchema& IPBlock();

KC_PB_MESSAGE(IngressSpec,
              StringKeep(4, "ingressClassName"), Message(1, "defaultBackend", IngressBackend),
              MessageList(2, "tls", IngressTLS), MessageList(3, "rules", IngressRule))

KC_PB_MESSAGE(IngressBackend,
              Message(4, "service", IngressServiceBackend),
              Message(3, "resource", core::TypedLocalObjectReference))

KC_PB_MESSAGE(IngressServiceBackend,
              StringKeep(1, "name"), Message(2, "port", ServiceBackendPort))

KC_PB_MESSAGE(ServiceBackendPort, String(1, "name"), Int32(2, "number"))

KC_PB_MESSAGE(IngressTLS, StringList(1, "hosts"), String(2, "secretName"))

// IngressRuleValue is an embedded struct: "http" sits next to "host".
KC_PB_MESSAGE(IngressRule, String(1, "host"), Inline(2, IngressRuleValue))

KC_PB_MESSAGE(IngressRuleValue, Message(1, "http", HTTPIngressRuleValue))

KC_PB_MESSAGE(HTTPIngressRuleValue, MessageList(1, "paths", HTTPIngressPath))

KC_PB_MESSAGE(HTTPIngressPath,
              String(1, "path"), StringKeep(3, "pathType"), Message(2, "backend", IngressBackend))

KC_PB_MESSAGE(IngressStatus, Message(1, "loadBalancer", IngressLoadBalancerStatus))

KC_PB_MESSAGE(IngressLoadBalancerStatus, MessageList(1, "ingress", IngressLoadBalancerIngress))

KC_PB_MESSAGE(IngressLoadBalancerIngress,
              String(1, "ip"), String(2, "hostname"), MessageList(4, "ports", IngressPortStatus))

KC_PB_MESSAGE(IngressPortStatus,
              Int32Keep(1, "port"), StringKeep(2, "protocol"), StringKeep(3, "error"))

KC_PB_MESSAGE(IngressClassSpec,
              String(1, "controller"), Message(2, "parameters", IngressClassParametersReference))

KC_PB_MESSAGE(IngressClassParametersReference,
              StringKeep(1, "apiGroup"), StringKeep(2, "kind"), StringKeep(3, "name"),
              StringKeep(4, "scope"), StringKeep(5, "namespace"))

KC_PB_MESSAGE(NetworkPolicySpec,
              Message(1, "podSelector", meta::LabelSelector),
              MessageList(2, "ingress", NetworkPolicyIngressRule),
              MessageList(3, "egress", NetworkPolicyEgressRule), StringList(4, "policyTypes"))

KC_PB_MESSAGE(NetworkPolicyIngressRule,
              MessageList(1, "ports", NetworkPolicyPort), MessageList(2, "from", NetworkPolicyPeer))

KC_PB_MESSAGE(NetworkPolicyEgressRule,
              MessageList(1, "ports", NetworkPolicyPort), MessageList(2, "to", NetworkPolicyPeer))

KC_PB_MESSAGE(NetworkPolicyPort,
              StringKeep(1, "protocol"), IntOrString(2, "port"), Int32Keep(3, "endPort"))

KC_PB_MESSAGE(NetworkPolicyPeer,
              Message(1, "podSelector", meta::LabelSelector),
              Message(2, "namespaceSelector", meta::LabelSelector), Message(3, "ipBlock", IPBlock))

KC_PB_MESSAGE(IPBlock, StringKeep(1, "cidr"), StringList(2, "except"))
}  // namespace

KC_PB_MESSAGE(Ingress,
              Message(1, "metadata", meta::ObjectMeta), Message(2, "spec", IngressSpec),
              Message(3, "status", IngressStatus))

KC_PB_MESSAGE(IngressClass,
              Message(1, "metadata", meta::ObjectMeta), Message(2, "spec", IngressClassSpec))

KC_PB_MESSAGE(NetworkPolicy,
              Message(1, "metadata", meta::ObjectMeta), Message(2, "spec", NetworkPolicySpec))

}  // namespace kc::protobuf::networking
