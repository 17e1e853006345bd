// EndpointsController: keeps the v1 Endpoints object of every Service with a selector equal to
// its ready and not-ready pods, as upstream's "endpoint" controller. Services without a selector
// are left alone, so user-written Endpoints (pointing outside the cluster) stay as written; the
// Endpoints of a deleted Service are deleted.
//
// Thread-safety: Start/Stop from one thread; Sync may be called from any thread, but not twice at
// once for the same key (the work queue guarantees it).
#pragma once

#include <string>

#include "pkg/api/status.h"
#include "pkg/client/informer_factory.h"
#include "pkg/client/work_queue.h"
#include "pkg/controllers/controller.h"
#include "pkg/controllers/controller_loop.h"

namespace kc::controllers {

class EndpointsController : public Controller {
 public:
  // `client` and `factory` must outlive the controller.
  EndpointsController(client::Client& client, client::SharedInformerFactory& factory);
  ~EndpointsController() override;

  const char* name() const override { return "endpoint"; }
  void Start(int workers) override;
  void Stop() override;

  // One level-triggered pass for the Service "ns/name", reading the informer caches.
  api::Status Sync(const std::string& key);

 private:
  void OnPod(const client::ObjectPtr& old_pod, const client::ObjectPtr& pod);

  client::Client& client_;
  client::WorkQueue queue_;
  ControllerLoop loop_;
  client::SharedInformer* services_ = nullptr;
  client::SharedInformer* pods_ = nullptr;
  client::SharedInformer* endpoints_ = nullptr;
  int handlers_[3] = {0, 0, 0};
};

}  // namespace kc::controllers
