// PodGarbageCollector: one pass of upstream's pod GC ("podgc" controller), run periodically by
// the NodeLifecycleController:
//  - orphaned pods: pods bound to a node that does not exist. A node missing from the informer
//    is quarantined for `quarantine` (it may just not have reached the cache), then checked with
//    a GET; if the API server says NotFound, its pods get phase Failed and the condition
//    DisruptionTarget (DeletionByPodGC, "PodGC: node no longer exists") and are force-deleted;
//  - terminating pods that were never scheduled are force-deleted;
//  - terminating pods on a not-Ready node tainted node.kubernetes.io/out-of-service are
//    force-deleted;
//  - terminated (Succeeded/Failed) pods beyond `terminated_pod_threshold` are deleted, evicted
//    ones first, then oldest first (0 disables this part).
//
// Thread-safety: Run must not be called concurrently with itself (the controller calls it from
// its "podgc" work-queue key, which the work queue never hands to two workers).
#pragma once

#include <chrono>
#include <map>
#include <string>

#include "pkg/api/status.h"
#include "pkg/client/clock.h"
#include "pkg/client/informer.h"
#include "pkg/controllers/job_wall_clock.h"

namespace kc::controllers {

struct PodGcOptions {
  std::chrono::milliseconds quarantine{40000};
  int terminated_pod_threshold = 12500;
};

class PodGarbageCollector {
 public:
  // Every reference must outlive the collector.
  PodGarbageCollector(client::Client& client, client::SharedInformer& pods,
                      client::SharedInformer& nodes, client::Clock& clock, const JobWallClock& wall,
                      PodGcOptions opts);

  // One pass over the informer caches. Returns the first error met (the pass goes on).
  api::Status Run();

 private:
  api::Status GcTerminated(const std::vector<client::ObjectPtr>& pods);
  api::Status GcOrphaned(const std::vector<client::ObjectPtr>& pods);
  api::Status GcTerminating(const std::vector<client::ObjectPtr>& pods);
  // Sets phase Failed (plus `condition`, when given) unless the pod already finished, then
  // deletes it with grace period 0. NotFound counts as done.
  api::Status MarkFailedAndDelete(const client::Object& pod, const boost::json::object* condition);

  client::Client& client_;
  client::SharedInformer& pods_;
  client::SharedInformer& nodes_;
  client::Clock& clock_;
  const JobWallClock& wall_;
  const PodGcOptions opts_;
  // Node name → when it was first seen missing while pods still named it.
  std::map<std::string, client::Clock::TimePoint> missing_since_;
};

}  // namespace kc::controllers
