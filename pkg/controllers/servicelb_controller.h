// ServiceLBController: kcluster's stand-in for a cloud load balancer, like k3s' servicelb: a
// Service of type LoadBalancer (without spec.loadBalancerClass) gets the InternalIPs of the Ready
// nodes as status.loadBalancer.ingress (ipMode VIP); kube-proxy then serves it on those addresses
// (external-IP rules, plus the node ports). Services that stop being LoadBalancers lose the
// ingress.
//
// Thread-safety: Start/Stop from one thread; Sync from the work queue's workers.
#pragma once

#include <string>

#include "pkg/api/status.h"
#include "pkg/client/informer_factory.h"
#include "pkg/client/work_queue.h"
#include "pkg/controllers/controller.h"
#include "pkg/controllers/controller_loop.h"

namespace kc::controllers {

class ServiceLBController : public Controller {
 public:
  static constexpr const char* kName = "servicelb";
  ServiceLBController(client::Client& client, client::SharedInformerFactory& factory);
  ~ServiceLBController() override;

  const char* name() const override { return kName; }
  void Start(int workers) override;
  void Stop() override;
  api::Status Sync(const std::string& key);

 private:
  void EnqueueAll();

  client::Client& client_;
  client::WorkQueue queue_;
  ControllerLoop loop_;
  client::SharedInformer* services_ = nullptr;
  client::SharedInformer* nodes_ = nullptr;
  int handlers_[2] = {0, 0};
};

}  // namespace kc::controllers
