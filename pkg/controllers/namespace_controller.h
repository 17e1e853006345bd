// NamespaceController: completes the deletion of Namespaces, as upstream's namespace controller.
//
// A Namespace being deleted (metadata.deletionTimestamp set) whose spec.finalizers still holds
// "kubernetes" gets every namespaced object of every catalog resource deleted (list, then delete
// each with propagationPolicy Background; pods first). Each pass records upstream's deletion
// conditions in the Namespace's status. While content remains (e.g. pods terminating gracefully,
// objects with finalizers) the namespace is requeued with backoff (1s, 2s, ... 10s by default);
// once nothing is left, "kubernetes" is removed from spec.finalizers through the namespaces/
// finalize subresource and the API server deletes the Namespace (if metadata.finalizers is empty
// too).
//
// Thread-safety: Start/Stop from one thread; Sync may be called from any thread.
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
#include "pkg/controllers/namespace_conditions.h"

namespace kc::controllers {

struct NamespaceControllerOptions {
  std::chrono::milliseconds base_delay{1000};
  std::chrono::milliseconds max_delay{10000};
  client::Clock* clock = nullptr;  // nullptr: the real clock
};

class NamespaceController : public Controller {
 public:
  static constexpr const char kName[] = "namespace";
  // The spec.finalizers entry this controller owns.
  static constexpr const char kFinalizer[] = "kubernetes";

  // `client` and `factory` must outlive the controller.
  NamespaceController(client::Client& client, client::SharedInformerFactory& factory,
                      NamespaceControllerOptions opts = {});
  ~NamespaceController() override;

  const char* name() const override { return kName; }
  void Start(int workers) override;
  void Stop() override;

  // One pass over the Namespace `name`. Not OK while content remains or a step failed.
  api::Status Sync(const std::string& name);

  bool Running() const { return loop_.Running(); }

 private:
  // Deletes what is left in `ns` and reports what still remains afterwards.
  NamespaceContentReport DeleteContent(const std::string& ns);

  client::Client& client_;
  client::WorkQueue queue_;
  ControllerLoop loop_;
  client::SharedInformer* informer_ = nullptr;
  int handler_id_ = 0;
  bool handler_registered_ = false;
};

}  // namespace kc::controllers
