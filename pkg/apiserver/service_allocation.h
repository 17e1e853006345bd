// ServiceAllocation: hands out Service ClusterIPs (from --service-cidr) and NodePorts (from
// --service-node-port-range) at create time and takes them back when a Service is removed.
//
// The allocation lives in the store: the Services themselves record their IPs and ports, and
// the bitmaps are rebuilt from them at start (upstream's repair loop), so a restart never hands
// out an address twice.
//
// Thread-safety: the allocators are internally locked; Assign/Release may be called concurrently.
#pragma once

#include <boost/json/object.hpp>
#include <memory>
#include <string>
#include <vector>

#include "pkg/allocator/node_port_allocator.h"
#include "pkg/allocator/service_ip_allocator.h"
#include "pkg/api/status.h"

namespace kc::apiserver {

class ServiceAllocation {
 public:
  static api::Result<std::unique_ptr<ServiceAllocation>> Create(const std::string& service_cidr,
                                                                const std::string& node_ports);

  // Fills spec.clusterIP(s) and nodePorts of a new Service (honouring requested values).
  // On error nothing stays allocated.
  api::Status Assign(boost::json::object& service);
  // What an update allocated anew (given back by Undo when the update is not stored).
  struct Claims {
    std::vector<std::string> ips;
    std::vector<int64_t> node_ports;
  };
  // For an update of `old` to `service` (not the status subresource), as upstream's service
  // REST update: fields that no longer fit the type are dropped when they were unchanged
  // (nodePorts, externalTrafficPolicy, allocateLoadBalancerNodePorts, healthCheckNodePort, the
  // ClusterIP of a Service becoming ExternalName); an empty clusterIP / nodePort carries over the
  // old value; a Service that now needs a ClusterIP or NodePorts gets them. On error nothing
  // stays allocated.
  api::Result<Claims> AssignForUpdate(boost::json::object& service, const boost::json::object& old);
  void Undo(const Claims& claims);
  // After the update was stored: gives back what `old` held and `service` no longer does.
  void ReleaseDropped(const boost::json::object& service, const boost::json::object& old);
  // Marks what an existing Service holds as taken (start-up repair).
  void Restore(const boost::json::object& service);
  // Gives back what a removed (or never stored) Service held.
  void Release(const boost::json::object& service);

  // The first address of the range, reserved for the `kubernetes` Service (10.43.0.1).
  std::string KubernetesServiceIp() const { return ips_.range().At(0); }

 private:
  ServiceAllocation(allocator::IpRange ips, allocator::PortRange ports)
      : ips_(ips), ports_(ports) {}
  allocator::ServiceIpAllocator ips_;
  allocator::NodePortAllocator ports_;
};

}  // namespace kc::apiserver
