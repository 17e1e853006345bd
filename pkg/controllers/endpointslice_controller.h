// EndpointSliceController: keeps the discovery.k8s.io/v1 EndpointSlices of every Service, as
// upstream's "endpointslice" controller, plus upstream's mirroring controller for Services
// without a selector.
//
// Services with a selector get slices labelled kubernetes.io/service-name and
// endpointslice.kubernetes.io/managed-by=endpointslice-controller.k8s.io, owned by the Service,
// one per distinct resolved port set (at most 100 endpoints each; one empty placeholder slice
// when there are no endpoints). Endpoints carry conditions ready/serving/terminating, nodeName,
// hostname and a targetRef to the pod. Services without a selector: their user-written Endpoints
// object is mirrored into slices managed by endpointslicemirroring-controller.k8s.io (unless it
// is labelled endpointslice.kubernetes.io/skip-mirror=true); slices written by users (any other
// managed-by) are never touched.
//
// Thread-safety: as EndpointsController.
#pragma once

#include <string>

#include "pkg/api/status.h"
#include "pkg/client/informer_factory.h"
#include "pkg/client/work_queue.h"
#include "pkg/controllers/controller.h"
#include "pkg/controllers/controller_loop.h"

namespace kc::controllers {

class EndpointSliceController : public Controller {
 public:
  // `client` and `factory` must outlive the controller.
  EndpointSliceController(client::Client& client, client::SharedInformerFactory& factory,
                          int max_endpoints_per_slice = 100);
  ~EndpointSliceController() override;

  const char* name() const override { return "endpointslice"; }
  void Start(int workers) override;
  void Stop() override;

  // One level-triggered pass for the Service "ns/name", reading the informer caches.
  api::Status Sync(const std::string& key);

 private:
  void OnPod(const client::ObjectPtr& old_pod, const client::ObjectPtr& pod);

  client::Client& client_;
  const int max_per_slice_;
  client::WorkQueue queue_;
  ControllerLoop loop_;
  client::SharedInformer* services_ = nullptr;
  client::SharedInformer* pods_ = nullptr;
  client::SharedInformer* endpoints_ = nullptr;
  client::SharedInformer* slices_ = nullptr;
  int handlers_[4] = {0, 0, 0, 0};
};

}  // namespace kc::controllers
