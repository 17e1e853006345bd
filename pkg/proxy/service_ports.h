// The proxy's view of the cluster: one ServicePort per (Service, port) with its endpoints, built
// from v1 Services and discovery.k8s.io/v1 EndpointSlices (upstream kube-proxy's ServicePortMap
// and EndpointsMap, merged).
//
// Thread-safety: plain values and free functions.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "pkg/client/client.h"
#include "pkg/client/indexer.h"

namespace kc::proxy {

struct ProxyEndpoint {
  std::string ip;
  int64_t port = 0;
  bool ready = false;
  bool serving = false;
  bool terminating = false;
  std::string node_name;

  bool operator==(const ProxyEndpoint&) const = default;
  bool operator<(const ProxyEndpoint& o) const {
    return ip != o.ip ? ip < o.ip : port < o.port;
  }
};

struct ServicePort {
  std::string ns;
  std::string name;
  std::string port_name;       // "" for an unnamed port
  std::string protocol = "TCP";  // TCP, UDP, SCTP
  std::string type;            // ClusterIP, NodePort, LoadBalancer
  std::string cluster_ip;      // "" or "None": no ClusterIP rules
  int64_t port = 0;
  int64_t node_port = 0;       // 0 = none
  std::vector<std::string> external_ips;  // spec.externalIPs + status.loadBalancer.ingress[].ip
  int64_t affinity_timeout = 0;           // sessionAffinity ClientIP → timeoutSeconds, else 0
  bool external_local = false;            // externalTrafficPolicy Local
  std::vector<ProxyEndpoint> endpoints;   // sorted; only those usable (see BuildServicePorts)

  // "ns/name:port_name" (":port_name" left out when unnamed), upstream's ServicePortName.
  std::string PortName() const;
  bool operator==(const ServicePort&) const = default;
};

// Every proxied port of every Service. ExternalName Services and headless Services are left out.
// Endpoints: the ready ones; when none is ready, the serving-and-terminating ones (upstream's
// fallback), matched to the Service port by port name and protocol. Sorted by namespace, name,
// port name.
std::vector<ServicePort> BuildServicePorts(const std::vector<client::ObjectPtr>& services,
                                           const std::vector<client::ObjectPtr>& slices);

}  // namespace kc::proxy
