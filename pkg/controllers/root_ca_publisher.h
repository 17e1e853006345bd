// RootCAPublisher ("root-ca-cert-publisher"): keeps the ConfigMap "kube-root-ca.crt" in every
// namespace, with data {"ca.crt": <cluster CA PEM>} and the kubernetes.io/description
// annotation, as upstream's root CA certificate publisher does. A deleted ConfigMap is created
// again, an edited one is put back (other data keys are removed; other annotations and labels
// stay). Namespaces being deleted are left alone.
//
// Thread-safety: Start/Stop from one thread; Sync may be called from any thread, but not twice at
// once for the same key (the work queue guarantees it).
#pragma once

#include <chrono>
#include <string>

#include "pkg/api/status.h"
#include "pkg/client/clock.h"
#include "pkg/client/informer_factory.h"
#include "pkg/client/work_queue.h"
#include "pkg/controllers/controller.h"
#include "pkg/controllers/controller_loop.h"

namespace kc::controllers {

inline constexpr const char kRootCAConfigMapName[] = "kube-root-ca.crt";
inline constexpr const char kRootCAConfigMapKey[] = "ca.crt";
inline constexpr const char kDescriptionAnnotation[] = "kubernetes.io/description";
inline constexpr const char kRootCADescription[] =
    "Contains a CA bundle that can be used to verify the kube-apiserver when using internal "
    "endpoints such as the internal service IP or kubernetes.default.svc. No other usage is "
    "guaranteed across distributions of Kubernetes clusters.";

struct RootCAPublisherOptions {
  std::chrono::milliseconds base_delay{5};
  std::chrono::milliseconds max_delay{1000 * 1000};
  client::Clock* clock = nullptr;  // of the work queue; nullptr: the real clock
};

class RootCAPublisher : public Controller {
 public:
  static constexpr const char kName[] = "root-ca-cert-publisher";

  // `client` and `factory` must outlive the publisher. `root_ca_pem` is published verbatim.
  RootCAPublisher(client::Client& client, client::SharedInformerFactory& factory,
                  std::string root_ca_pem, RootCAPublisherOptions opts = {});
  ~RootCAPublisher() override;

  const char* name() const override { return kName; }
  void Start(int workers) override;
  void Stop() override;
  bool Running() const { return loop_.Running(); }

  // One level-triggered pass for the namespace named `ns`, reading the informer caches.
  api::Status Sync(const std::string& ns);

 private:
  client::Client& client_;
  const std::string root_ca_;
  client::WorkQueue queue_;
  ControllerLoop loop_;
  client::SharedInformer* namespaces_ = nullptr;
  client::SharedInformer* config_maps_ = nullptr;
  int ns_handler_ = 0;
  int cm_handler_ = 0;
  bool registered_ = false;
};

}  // namespace kc::controllers
