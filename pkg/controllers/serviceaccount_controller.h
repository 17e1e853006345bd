// ServiceAccountController ("serviceaccount"): makes sure every active namespace has the
// ServiceAccount "default", as upstream's serviceaccount controller does. A deleted "default"
// ServiceAccount is created again; namespaces being deleted are left alone.
//
// Thread-safety: Start/Stop from one thread; Sync may be called from any thread, but not twice at
// once for the same key (the work queue guarantees it).
#pragma once

#include <chrono>
#include <string>
#include <vector>

#include "pkg/api/status.h"
#include "pkg/client/clock.h"
#include "pkg/client/informer_factory.h"
#include "pkg/client/work_queue.h"
#include "pkg/controllers/controller.h"
#include "pkg/controllers/controller_loop.h"

namespace kc::controllers {

struct ServiceAccountControllerOptions {
  // The ServiceAccounts every namespace gets (upstream's default: just "default").
  std::vector<std::string> service_accounts = {"default"};
  std::chrono::milliseconds base_delay{5};
  std::chrono::milliseconds max_delay{1000 * 1000};
  client::Clock* clock = nullptr;  // of the work queue; nullptr: the real clock
};

class ServiceAccountController : public Controller {
 public:
  static constexpr const char kName[] = "serviceaccount";

  // `client` and `factory` must outlive the controller.
  ServiceAccountController(client::Client& client, client::SharedInformerFactory& factory,
                           ServiceAccountControllerOptions opts = {});
  ~ServiceAccountController() override;

  const char* name() const override { return kName; }
  void Start(int workers) override;
  void Stop() override;
  bool Running() const { return loop_.Running(); }

  // One level-triggered pass for the namespace named `ns`, reading the informer caches.
  api::Status Sync(const std::string& ns);

 private:
  client::Client& client_;
  const ServiceAccountControllerOptions opts_;
  client::WorkQueue queue_;
  ControllerLoop loop_;
  client::SharedInformer* namespaces_ = nullptr;
  client::SharedInformer* service_accounts_ = nullptr;
  int ns_handler_ = 0;
  int sa_handler_ = 0;
  bool registered_ = false;
};

}  // namespace kc::controllers
