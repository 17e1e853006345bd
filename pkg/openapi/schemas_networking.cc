// networking.k8s.io/v1 Ingress and discovery.k8s.io/v1 EndpointSlice.
#include "pkg/openapi/schema_sources.h"

namespace kc::openapi::internal {

std::string_view NetworkingSchemas() {
  return R"DSL(
package networking.v1
Ingress @networking.k8s.io/v1/Ingress Rules routing external HTTP(S) traffic to services, implemented by an ingress controller.
  spec IngressSpec Desired behaviour.
  status IngressStatus Current status. Read-only.

IngressSpec Desired behaviour of an ingress.
  defaultBackend IngressBackend Backend for requests matching no rule.
  ingressClassName string Name of the IngressClass whose controller implements the ingress.
  rules []IngressRule Host rules; requests matching none go to the default backend.
  tls []IngressTLS TLS configuration.

IngressBackend Where matching traffic is sent; exactly one of service and resource is set.
  resource core.v1.TypedLocalObjectReference An object in the same namespace serving the traffic.
  service IngressServiceBackend A service serving the traffic.

IngressServiceBackend A service backend.
  name! string Name of the service.
  port ServiceBackendPort Port of the service.

ServiceBackendPort A service port, by number or name.
  name string Name of the port.
  number int32 Number of the port.

IngressRule Maps paths under a host to backends.
  host string Fully qualified host name; a leading "*." wildcard is allowed. All hosts when empty.
  http HTTPIngressRuleValue HTTP paths of the rule.

HTTPIngressRuleValue HTTP paths of a rule.
  paths! []HTTPIngressPath Paths mapped to backends.

HTTPIngressPath A path mapped to a backend.
  backend! IngressBackend Where matching requests go.
  path string Path to match; must begin with '/'.
  pathType! string Exact, Prefix or ImplementationSpecific.

IngressTLS TLS settings for some hosts.
  hosts []string Hosts covered by the certificate.
  secretName string Secret holding the certificate and key.

IngressStatus +open Status of an ingress.
  loadBalancer IngressLoadBalancerStatus The load balancer serving the ingress.

IngressLoadBalancerStatus Status of an ingress load balancer.
  ingress []IngressLoadBalancerIngress Ingress points.

IngressLoadBalancerIngress An ingress point.
  hostname string DNS name of the ingress point.
  ip string IP of the ingress point.
  ports []object Status of the ports.

package discovery.v1
EndpointSlice @discovery.k8s.io/v1/EndpointSlice A subset of the endpoints of a service.
  addressType! string IPv4, IPv6 or FQDN.
  endpoints! []Endpoint The endpoints.
  ports []EndpointPort Ports exposed by every endpoint.

Endpoint One endpoint of a service.
  addresses! []string Addresses of the endpoint, all of addressType.
  conditions EndpointConditions Current conditions.
  deprecatedTopology {}string Deprecated topology labels.
  hints EndpointHints Hints for routing.
  hostname string Hostname of the endpoint.
  nodeName string Node hosting the endpoint.
  targetRef core.v1.ObjectReference The object providing the endpoint.
  zone string Zone of the endpoint.

EndpointConditions Conditions of an endpoint.
  ready bool Ready to receive traffic.
  serving bool Serving, regardless of terminating state.
  terminating bool Terminating.

EndpointHints Routing hints.
  forZones []ForZone Zones that should consume the endpoint.

ForZone A zone hint.
  name! string Name of the zone.

EndpointPort A port of an endpoint slice.
  appProtocol string Application protocol of the port.
  name string Name of the port.
  port int32 Port number.
  protocol string TCP (default), UDP or SCTP.
)DSL";
}

}  // namespace kc::openapi::internal
