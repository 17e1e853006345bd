// core/v1 kinds other than Pod and storage: Namespace, Node, Service, Endpoints, ConfigMap,
// Secret, ServiceAccount, Event, ReplicationController, ResourceQuota, LimitRange, PodTemplate.
#include "pkg/openapi/schema_sources.h"

namespace kc::openapi::internal {

std::string_view CoreSchemas() {
  return R"DSL(
package core.v1
ObjectReference A reference to another object.
  apiVersion string API version of the referent.
  fieldPath string A part of the object, e.g. spec.containers{name}.
  kind string Kind of the referent.
  name string Name of the referent.
  namespace string Namespace of the referent.
  resourceVersion string The referent's resourceVersion the reference was made at.
  uid string UID of the referent.

LocalObjectReference A reference to an object in the same namespace.
  name string Name of the referent.

TypedLocalObjectReference A typed reference to an object in the same namespace.
  apiGroup string API group of the referent; empty for the core group.
  kind! string Kind of the referent.
  name! string Name of the referent.

TypedObjectReference A typed reference to an object, possibly in another namespace.
  apiGroup string API group of the referent; empty for the core group.
  kind! string Kind of the referent.
  name! string Name of the referent.
  namespace string Namespace of the referent.

SecretReference A reference to a Secret in any namespace.
  name string Name of the Secret.
  namespace string Namespace of the Secret.

Namespace @/v1/Namespace A scope for names. Deleting a namespace deletes everything in it.
  spec NamespaceSpec Behaviour of the namespace.
  status NamespaceStatus Observed state of the namespace. Read-only.

NamespaceSpec Behaviour of a namespace.
  finalizers []string Finalizers that must be cleared before the namespace is removed.

NamespaceStatus +open Observed state of a namespace.
  conditions []NamespaceCondition Current conditions of the namespace.
  phase string Active or Terminating.

NamespaceCondition A condition of a namespace.
  lastTransitionTime time Last time the condition changed.
  message string Human-readable detail.
  reason string Machine-readable reason.
  status! string True, False or Unknown.
  type! string Type of the condition.

Node @/v1/Node A worker machine in the cluster. Each node runs a kubelet.
  spec NodeSpec How the node is configured.
  status NodeStatus Most recently observed status of the node. Read-only.

NodeSpec How a node is configured.
  configSource object Deprecated dynamic kubelet configuration source.
  externalID string Deprecated.
  podCIDR string Pod IP range assigned to the node.
  podCIDRs []string Pod IP ranges assigned to the node, one per address family.
  providerID string ID of the node assigned by the cloud provider.
  taints []Taint Taints that repel pods without a matching toleration.
  unschedulable bool Keeps new pods from being scheduled onto the node (kubectl cordon).

Taint A taint on a node.
  effect! string NoSchedule, PreferNoSchedule or NoExecute.
  key! string Taint key.
  timeAdded time When a NoExecute taint was added.
  value string Taint value.

NodeStatus +open Observed state of a node.
  addresses []NodeAddress Addresses of the node.
  allocatable {}quantity Resources available for pods.
  capacity {}quantity Total resources of the node.
  conditions []NodeCondition Current conditions, e.g. Ready, MemoryPressure, DiskPressure.
  config object Status of the node's kubelet configuration.
  daemonEndpoints object Ports of the daemons running on the node, e.g. the kubelet.
  features object Features supported by the node.
  images []object Container images on the node.
  nodeInfo NodeSystemInfo Versions and identifiers of the node.
  phase string Deprecated.
  runtimeHandlers []object Runtime handlers available on the node.
  volumesAttached []object Volumes attached to the node.
  volumesInUse []string Volumes in use on the node.

NodeAddress An address of a node.
  address! string The address.
  type! string Hostname, InternalIP, ExternalIP, InternalDNS or ExternalDNS.

NodeCondition A condition of a node.
  lastHeartbeatTime time Last time the condition was updated.
  lastTransitionTime time Last time the condition changed status.
  message string Human-readable detail.
  reason string Machine-readable reason.
  status! string True, False or Unknown.
  type! string Ready, MemoryPressure, DiskPressure, PIDPressure or NetworkUnavailable.

NodeSystemInfo Identifiers and versions reported by a node.
  architecture! string CPU architecture.
  bootID! string Boot ID.
  containerRuntimeVersion! string Container runtime and version, e.g. containerd://1.6.20.
  kernelVersion! string Kernel version.
  kubeProxyVersion! string Deprecated.
  kubeletVersion! string Kubelet version.
  machineID! string Machine ID.
  operatingSystem! string Operating system, e.g. linux.
  osImage! string OS image, e.g. Debian GNU/Linux 12.
  swap object Swap information.
  systemUUID! string System UUID.

Service @/v1/Service A named abstraction over a set of pods, with a stable virtual IP and ports, load-balanced by the proxy.
  spec ServiceSpec Behaviour of the service.
  status ServiceStatus Most recently observed status of the service. Read-only.

ServiceSpec Behaviour of a service.
  allocateLoadBalancerNodePorts bool Whether node ports are allocated for LoadBalancer services. Defaults to true.
  clusterIP string Virtual IP of the service, allocated by the server; None makes a headless service.
  clusterIPs []string Virtual IPs of the service, one per IP family; the first equals clusterIP.
  externalIPs []string Extra IPs that nodes accept traffic for the service on.
  externalName string DNS name returned as a CNAME for ExternalName services.
  externalTrafficPolicy string Cluster (default) or Local routing of external traffic.
  healthCheckNodePort int32 Health check node port for LoadBalancer services with externalTrafficPolicy Local.
  internalTrafficPolicy string Cluster (default) or Local routing of in-cluster traffic.
  ipFamilies []string IP families of the service: IPv4, IPv6.
  ipFamilyPolicy string SingleStack, PreferDualStack or RequireDualStack.
  loadBalancerClass string Which load balancer implementation handles the service.
  loadBalancerIP string Deprecated: requested load balancer IP.
  loadBalancerSourceRanges []string Client IP ranges allowed through the load balancer.
  ports []ServicePort Ports the service exposes.
  publishNotReadyAddresses bool Include not-ready pods in DNS and endpoints.
  selector {}string Labels of the pods the service routes to; endpoints are managed by hand when empty.
  sessionAffinity string ClientIP or None (default).
  sessionAffinityConfig SessionAffinityConfig Session affinity settings.
  trafficDistribution string Preference for how traffic is distributed, e.g. PreferClose.
  type string ClusterIP (default), NodePort, LoadBalancer or ExternalName.

ServicePort A port of a service.
  appProtocol string Application protocol of the port, e.g. http or kubernetes.io/h2c.
  name string Name of the port; required when there are several ports.
  nodePort int32 Port opened on every node for NodePort and LoadBalancer services; allocated when unset.
  port! int32 Port exposed by the service.
  protocol string TCP (default), UDP or SCTP.
  targetPort ios Port number or name on the pods; defaults to port.

SessionAffinityConfig Session affinity settings.
  clientIP ClientIPConfig Settings of ClientIP affinity.

ClientIPConfig Settings of ClientIP affinity.
  timeoutSeconds int32 How long a session sticks. Defaults to 10800.

ServiceStatus +open Observed state of a service.
  conditions []meta.v1.Condition Current conditions of the service.
  loadBalancer LoadBalancerStatus Status of the load balancer, if any.

LoadBalancerStatus Status of a load balancer.
  ingress []LoadBalancerIngress Ingress points of the load balancer.

LoadBalancerIngress An ingress point of a load balancer.
  hostname string DNS name of the ingress point.
  ip string IP of the ingress point.
  ipMode string VIP or Proxy.
  ports []PortStatus Status of the ports.

PortStatus Status of a port.
  error string Error of the port, if any.
  port! int32 Port number.
  protocol! string TCP, UDP or SCTP.

Endpoints @/v1/Endpoints The addresses implementing a service, grouped by port set.
  subsets []EndpointSubset Sets of addresses and ports.

EndpointSubset Addresses sharing a set of ports.
  addresses []EndpointAddress Ready addresses.
  notReadyAddresses []EndpointAddress Addresses that are not ready yet.
  ports []EndpointPort Ports of the addresses.

EndpointAddress An endpoint address.
  hostname string Hostname of the endpoint.
  ip! string IP of the endpoint.
  nodeName string Node hosting the endpoint.
  targetRef ObjectReference The object providing the endpoint, usually a pod.

EndpointPort A port of an endpoint.
  appProtocol string Application protocol of the port.
  name string Name of the port, matching the service port name.
  port! int32 Port number.
  protocol string TCP (default), UDP or SCTP.

ConfigMap @/v1/ConfigMap Non-confidential configuration data as key/value pairs.
  binaryData {}byte Binary values, base64-encoded. Keys must not overlap with data.
  data {}string UTF-8 values.
  immutable bool If true, data cannot be updated; only metadata can.

Secret @/v1/Secret Confidential data, such as passwords, tokens or keys, base64-encoded.
  data {}byte Values, base64-encoded.
  immutable bool If true, data cannot be updated; only metadata can.
  stringData {}string Write-only convenience field: plain-text values merged into data on write.
  type string Type of the secret, e.g. Opaque, kubernetes.io/tls, kubernetes.io/dockerconfigjson.

ServiceAccount @/v1/ServiceAccount An identity for processes running in pods.
  automountServiceAccountToken bool Whether pods using the account get an API token mounted automatically.
  imagePullSecrets []LocalObjectReference Secrets added to pods using the account, for pulling images.
  secrets []ObjectReference Deprecated: secrets the account may use.

Event @/v1/Event A report of something that happened in the cluster.
  action string What action was taken or failed.
  count int32 Times the event occurred.
  eventTime microtime When the event was first observed.
  firstTimestamp time When the event was first recorded.
  involvedObject! ObjectReference The object the event is about.
  lastTimestamp time When the event most recently occurred.
  message string Human-readable description.
  reason string Short machine-readable reason, e.g. Pulled, BackOff.
  related ObjectReference A secondary object involved.
  reportingComponent string Controller that reported the event, e.g. kubelet.
  reportingInstance string Instance of the reporting controller, e.g. the node name.
  series EventSeries Data about a series of repeated events.
  source EventSource The component reporting the event.
  type string Normal or Warning.

EventSeries A series of repeated events.
  count int32 Occurrences in the series so far.
  lastObservedTime microtime Time of the last occurrence.

EventSource The component that reported an event.
  component string Component name.
  host string Node name.

ReplicationController @/v1/ReplicationController Keeps a number of pod replicas running (superseded by ReplicaSet and Deployment).
  spec ReplicationControllerSpec Desired behaviour.
  status ReplicationControllerStatus Most recently observed status. Read-only.

ReplicationControllerSpec Desired behaviour of a replication controller.
  minReadySeconds int32 Seconds a new pod must be ready before it counts as available.
  replicas int32 Desired number of pods. Defaults to 1.
  selector {}string Labels the pods must carry; defaults to the template's labels.
  template PodTemplateSpec Template of the pods created.

ReplicationControllerStatus +open Observed state of a replication controller.
  availableReplicas int32 Available pods.
  conditions []object Current conditions.
  fullyLabeledReplicas int32 Pods carrying all the template's labels.
  observedGeneration int64 Generation most recently observed.
  readyReplicas int32 Ready pods.
  replicas! int32 Current pods.

ResourceQuota @/v1/ResourceQuota Limits on aggregate resource consumption in a namespace.
  spec ResourceQuotaSpec Desired quota.
  status ResourceQuotaStatus Actual usage. Read-only.

ResourceQuotaSpec A quota.
  hard {}quantity Hard limit per resource, e.g. pods, requests.cpu, count/deployments.apps.
  scopeSelector ScopeSelector Scopes the quota applies to, as expressions.
  scopes []string Scopes the quota applies to, e.g. BestEffort, Terminating.

ScopeSelector Quota scope expressions, ANDed.
  matchExpressions []ScopedResourceSelectorRequirement The expressions.

ScopedResourceSelectorRequirement A quota scope expression.
  operator! string In, NotIn, Exists or DoesNotExist.
  scopeName! string The scope, e.g. PriorityClass.
  values []string Values for In and NotIn.

ResourceQuotaStatus +open Usage of a quota.
  hard {}quantity Enforced hard limits.
  used {}quantity Current usage.

LimitRange @/v1/LimitRange Default and allowed resource amounts per pod, container or claim in a namespace.
  spec LimitRangeSpec The limits.

LimitRangeSpec The limits of a LimitRange.
  limits! []LimitRangeItem The limits per object type.

LimitRangeItem Limits for one object type.
  default {}quantity Default limits for containers that set none.
  defaultRequest {}quantity Default requests for containers that set none.
  max {}quantity Maximum amounts.
  maxLimitRequestRatio {}quantity Maximum ratio of limit to request.
  min {}quantity Minimum amounts.
  type! string Pod, Container or PersistentVolumeClaim.

PodTemplate @/v1/PodTemplate A stored pod template.
  template PodTemplateSpec The template.
)DSL";
}

}  // namespace kc::openapi::internal
