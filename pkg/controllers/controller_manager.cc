#include "pkg/controllers/controller_manager.h"

#include <spdlog/spdlog.h>

#include <algorithm>

#include "pkg/controllers/garbage_collector.h"
#include "pkg/controllers/job_controller.h"
#include "pkg/controllers/cronjob_controller.h"
#include "pkg/controllers/daemonset_controller.h"
#include "pkg/controllers/deployment_controller.h"
#include "pkg/controllers/endpoints_controller.h"
#include "pkg/controllers/endpointslice_controller.h"
#include "pkg/controllers/namespace_controller.h"
#include "pkg/controllers/node_lifecycle_controller.h"
#include "pkg/controllers/root_ca_publisher.h"
#include "pkg/controllers/serviceaccount_controller.h"
#include "pkg/controllers/servicelb_controller.h"
#include "pkg/controllers/replica_set_controller.h"
#include "pkg/controllers/statefulset_controller.h"

namespace kc::controllers {

ControllerManager::ControllerManager(client::Client& client, Options opts)
    : client_(client),
      opts_(std::move(opts)),
      factory_(std::make_unique<client::SharedInformerFactory>(client)) {}

ControllerManager::~ControllerManager() { Stop(); }

const std::vector<std::string>& ControllerManager::KnownControllers() {
  static const std::vector<std::string> names = {GarbageCollector::kName,
                                                 NamespaceController::kName,
                                                 "replicaset",
                                                 "replicationcontroller",
                                                 DeploymentController::kName,
                                                 StatefulSetController::kName,
                                                 DaemonSetController::kName,
                                                 "job",
                                                 "cronjob",
                                                 NodeLifecycleController::kName,
                                                 ServiceAccountController::kName,
                                                 RootCAPublisher::kName,
                                                 ServiceLBController::kName,
                                                 "endpoint",
                                                 "endpointslice"};
  return names;
}

api::Status ControllerManager::Start() {
  if (started_ || stopped_) return api::Status::Ok();
  const std::vector<std::string>& known = KnownControllers();
  for (const std::string& d : opts_.disabled) {
    if (std::find(known.begin(), known.end(), d) == known.end()) {
      return api::Status::Invalid("\"" + d + "\" is not in the list of known controllers");
    }
  }
  auto enabled = [this](const char* name) {
    return std::find(opts_.disabled.begin(), opts_.disabled.end(), name) == opts_.disabled.end();
  };
  started_ = true;
  if (enabled(GarbageCollector::kName)) {
    controllers_.push_back(std::make_unique<GarbageCollector>(client_, *factory_));
  }
  if (enabled("replicaset")) {
    controllers_.push_back(std::make_unique<ReplicaSetController>(client_, *factory_));
  }
  if (enabled("replicationcontroller")) {
    controllers_.push_back(std::make_unique<ReplicaSetController>(
        client_, *factory_, ReplicaSetKind::ReplicationControllers()));
  }
  if (enabled(DeploymentController::kName)) {
    controllers_.push_back(std::make_unique<DeploymentController>(client_, *factory_));
  }
  if (enabled(StatefulSetController::kName)) {
    controllers_.push_back(std::make_unique<StatefulSetController>(client_, *factory_));
  }
  if (enabled(DaemonSetController::kName)) {
    controllers_.push_back(std::make_unique<DaemonSetController>(client_, *factory_));
  }
  if (enabled("job")) {
    controllers_.push_back(std::make_unique<JobController>(client_, *factory_));
  }
  if (enabled("cronjob")) {
    controllers_.push_back(std::make_unique<CronJobController>(client_, *factory_));
  }
  if (enabled(NodeLifecycleController::kName)) {
    controllers_.push_back(std::make_unique<NodeLifecycleController>(client_, *factory_));
  }
  if (enabled(ServiceAccountController::kName)) {
    controllers_.push_back(std::make_unique<ServiceAccountController>(client_, *factory_));
  }
  if (enabled(RootCAPublisher::kName) && !opts_.root_ca_pem.empty()) {
    controllers_.push_back(
        std::make_unique<RootCAPublisher>(client_, *factory_, opts_.root_ca_pem));
  }
  if (enabled(ServiceLBController::kName)) {
    controllers_.push_back(std::make_unique<ServiceLBController>(client_, *factory_));
  }
  if (enabled("endpoint")) {
    controllers_.push_back(std::make_unique<EndpointsController>(client_, *factory_));
  }
  if (enabled("endpointslice")) {
    controllers_.push_back(std::make_unique<EndpointSliceController>(client_, *factory_));
  }
  if (enabled(NamespaceController::kName)) {
    controllers_.push_back(std::make_unique<NamespaceController>(client_, *factory_));
  }
  factory_->Start();
  for (auto& c : controllers_) {
    c->Start(opts_.workers);
    spdlog::info("controller-manager: started {}", c->name());
  }
  return api::Status::Ok();
}

void ControllerManager::Stop() {
  if (stopped_) return;
  stopped_ = true;
  // Controllers first (their handlers unregister and workers finish), then the informers.
  for (auto it = controllers_.rbegin(); it != controllers_.rend(); ++it) (*it)->Stop();
  factory_->Stop();
  controllers_.clear();
}

std::vector<std::string> ControllerManager::Running() const {
  std::vector<std::string> out;
  if (stopped_) return out;
  for (const auto& c : controllers_) out.emplace_back(c->name());
  return out;
}

}  // namespace kc::controllers
