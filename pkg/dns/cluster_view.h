// ClusterView: what the DNS server needs to know about Services and EndpointSlices, read from the
// shared informers' caches at query time (so answers are as fresh as the caches).
//
// It registers three indexes on the shared informers: services by cluster IP, EndpointSlices by
// "<namespace>/<kubernetes.io/service-name>" and EndpointSlices by endpoint address.
//
// Thread-safety: every method may be called from any thread; the informers synchronize.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "pkg/client/informer_factory.h"

namespace kc::dns {

struct ServicePort {
  std::string name;      // lowercase; "" for an unnamed port
  std::string protocol;  // lowercase: "tcp", "udp", "sctp"
  int port = 0;
};

enum class ServiceKind { kClusterIp, kHeadless, kExternalName };

struct ServiceRecord {
  std::string ns;
  std::string name;
  ServiceKind kind = ServiceKind::kClusterIp;
  std::vector<std::string> cluster_ips;  // canonical addresses; empty while unallocated
  std::string external_name;             // lowercase, without a trailing dot
  std::vector<ServicePort> ports;
  bool publish_not_ready = false;
};

// One address of one endpoint of an EndpointSlice.
struct EndpointRecord {
  std::string label;  // the endpoint's DNS label: its hostname, else the dashed address
  std::string ip;     // canonical
  bool ready = true;
  std::vector<ServicePort> ports;  // the ports of the slice it came from
};

// A name a reverse (PTR) lookup of an address leads to.
struct ReverseName {
  std::string ns;
  std::string service;
  std::string label;  // "" when the address is the service's cluster IP
};

class ClusterView {
 public:
  // `factory` must outlive the view. Makes (or shares) the services and endpointslices informers.
  explicit ClusterView(client::SharedInformerFactory& factory);

  ClusterView(const ClusterView&) = delete;
  ClusterView& operator=(const ClusterView&) = delete;

  // True once both caches hold their first list.
  bool HasSynced() const;

  std::optional<ServiceRecord> Service(const std::string& ns, const std::string& name) const;
  bool NamespaceHasServices(const std::string& ns) const;
  // The endpoints DNS publishes for `svc`: ready ones (all of them when the Service sets
  // publishNotReadyAddresses), one entry per address and slice, IPv4/IPv6 slices only.
  std::vector<EndpointRecord> Endpoints(const ServiceRecord& svc) const;
  // Names for `ip` (canonical): the service whose cluster IP it is, and published endpoints of
  // headless services.
  std::vector<ReverseName> NamesForIp(const std::string& ip) const;

 private:
  client::SharedInformer* services_;
  client::SharedInformer* slices_;
};

// Parses a v1 Service; nullopt when it lacks a name or namespace.
std::optional<ServiceRecord> ParseService(const client::Object& svc);

}  // namespace kc::dns
