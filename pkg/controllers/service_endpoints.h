// What a Service's endpoints should be, computed from the Service and the pods of its namespace:
// the pure part the Endpoints and EndpointSlice controllers share (upstream's
// pkg/controller/endpoint and endpointslice reconcilers, minus the API calls).
//
// A pod is an endpoint of a Service when the Service has a selector, the pod matches it, has a
// pod IP and is not terminal (Succeeded/Failed). Terminating pods are left out of Endpoints (unless
// publishNotReadyAddresses) and kept in EndpointSlices with terminating=true. Each Service port's
// targetPort is resolved per pod: a number is used as is, a name is looked up among the pod's
// container ports (pods without that named port are not endpoints of that port).
//
// Thread-safety: free functions over caller-owned values.
#pragma once

#include <boost/json/array.hpp>
#include <boost/json/object.hpp>
#include <string>
#include <vector>

#include "pkg/client/client.h"
#include "pkg/client/indexer.h"

namespace kc::controllers {

inline constexpr const char kServiceNameLabel[] = "kubernetes.io/service-name";
inline constexpr const char kManagedByLabel[] = "endpointslice.kubernetes.io/managed-by";
inline constexpr const char kSliceControllerName[] = "endpointslice-controller.k8s.io";
inline constexpr const char kMirrorControllerName[] = "endpointslicemirroring-controller.k8s.io";
inline constexpr const char kHeadlessLabel[] = "service.kubernetes.io/headless";

// One resolved port of a Service for one pod.
struct EndpointPort {
  std::string name;  // the Service port's name ("" when unnamed)
  int64_t port = 0;  // the pod's port
  std::string protocol = "TCP";
  std::string app_protocol;

  bool operator<(const EndpointPort& o) const;
  bool operator==(const EndpointPort& o) const = default;
};

// One pod as an endpoint of a Service.
struct PodEndpoint {
  std::string ip;
  std::string node_name;
  std::string hostname;  // spec.hostname when spec.subdomain names the Service
  std::string pod_name;
  std::string pod_uid;
  bool ready = false;        // counts as ready (Ready condition, or publishNotReadyAddresses)
  bool serving = false;      // the Ready condition, whatever terminating says
  bool terminating = false;  // metadata.deletionTimestamp set
  std::vector<EndpointPort> ports;  // sorted
};

// The Service has a non-empty spec.selector (its endpoints are managed by the controllers).
bool ServiceHasSelector(const client::Object& svc);
// The pods of `pods` that are endpoints of `svc` (see above), in pod-name order. Pods in other
// namespaces are skipped.
std::vector<PodEndpoint> ServiceEndpoints(const client::Object& svc,
                                          const std::vector<client::ObjectPtr>& pods);

// The `subsets` of the v1 Endpoints object for these endpoints (upstream's RepackSubsets form:
// one subset per distinct port set, addresses and notReadyAddresses sorted by IP, terminating
// pods left out unless publishNotReadyAddresses). `headless_no_ports`: a headless Service without
// ports still lists its addresses.
boost::json::array EndpointsSubsets(const client::Object& svc,
                                    const std::vector<PodEndpoint>& eps);

// The labels the controllers put on Endpoints/EndpointSlices of `svc`: the Service's labels plus
// service.kubernetes.io/headless for headless Services.
boost::json::object EndpointLabels(const client::Object& svc);

}  // namespace kc::controllers

namespace kc::client {
class SharedInformer;
}

namespace kc::controllers {

// Keys ("ns/name") of the Services in the pod's namespace whose selector matches the pod's labels.
std::vector<std::string> ServiceKeysSelecting(const client::SharedInformer& services,
                                              const client::Object& pod);

}  // namespace kc::controllers
