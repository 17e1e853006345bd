// ControllerManager: runs kcluster's built-in controllers inside the server process, like
// kube-controller-manager. It owns one SharedInformerFactory shared by every controller (one
// informer per resource) and the controllers themselves (see KnownControllers(): garbage collector,
// namespace, ReplicaSet, ReplicationController, Deployment, StatefulSet, DaemonSet, Job, CronJob,
// Endpoints, EndpointSlice).
// Any of them can be left out through Options::disabled (the --disable-controllers flag).
//
// Start returns quickly: it builds the controllers, starts the informers and returns; each
// controller begins working once its informers synced. Stop stops the controllers, then the
// informers, and joins every thread. The destructor calls Stop.
//
// Thread-safety: Start and Stop are called from one thread (the process's startup/shutdown
// code). `client` must outlive the manager.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "pkg/api/status.h"
#include "pkg/client/client.h"
#include "pkg/client/informer_factory.h"
#include "pkg/controllers/controller.h"

namespace kc::controllers {

struct ControllerManagerOptions {
  // Names of controllers not to run (see ControllerManager::KnownControllers()).
  std::vector<std::string> disabled;
  // Worker threads per controller.
  int workers = 2;
  // The cluster CA (PEM) published as ConfigMap kube-root-ca.crt in every namespace; "" = the
  // publisher does not run.
  std::string root_ca_pem;
};

class ControllerManager {
 public:
  using Options = ControllerManagerOptions;

  ControllerManager(client::Client& client, Options opts);
  ~ControllerManager();

  ControllerManager(const ControllerManager&) = delete;
  ControllerManager& operator=(const ControllerManager&) = delete;

  // Invalid when `disabled` names an unknown controller. No-op when already started.
  api::Status Start();
  // Idempotent.
  void Stop();

  // Every controller the manager knows, in start order.
  static const std::vector<std::string>& KnownControllers();
  // Names of the controllers Start started.
  std::vector<std::string> Running() const;
  // The shared informer factory (for tests and for other in-process components).
  client::SharedInformerFactory& informers() { return *factory_; }

 private:
  client::Client& client_;
  const Options opts_;
  std::unique_ptr<client::SharedInformerFactory> factory_;
  std::vector<std::unique_ptr<Controller>> controllers_;
  bool started_ = false;
  bool stopped_ = false;
};

}  // namespace kc::controllers
