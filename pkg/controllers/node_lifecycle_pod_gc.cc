#include "pkg/controllers/node_lifecycle_pod_gc.h"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <set>
#include <tuple>

#include "pkg/api/json_path.h"
#include "pkg/api/time_util.h"
#include "pkg/client/indexer.h"
#include "pkg/controllers/job_utils.h"
#include "pkg/controllers/node_lifecycle_pods.h"
#include "pkg/controllers/node_lifecycle_taints.h"
#include "pkg/controllers/object_meta.h"

namespace kc::controllers {
namespace {

const client::ResourceRef kPods{"", "v1", "pods"};
const client::ResourceRef kNodes{"", "v1", "nodes"};

bool IsTerminated(const client::Object& pod) {
  std::string phase = PodPhase(pod);
  return phase == "Succeeded" || phase == "Failed";
}

bool IsEvicted(const client::Object& pod) {
  const boost::json::value* reason = api::Lookup(pod, "status.reason");
  return PodPhase(pod) == "Failed" && reason && reason->is_string() &&
         reason->get_string() == "Evicted";
}

void KeepFirst(api::Status& first, const api::Status& st) {
  if (first.ok() && !st.ok()) first = st;
}

}  // namespace

PodGarbageCollector::PodGarbageCollector(client::Client& client, client::SharedInformer& pods,
                                         client::SharedInformer& nodes, client::Clock& clock,
                                         const JobWallClock& wall, PodGcOptions opts)
    : client_(client), pods_(pods), nodes_(nodes), clock_(clock), wall_(wall), opts_(opts) {}

api::Status PodGarbageCollector::Run() {
  std::vector<client::ObjectPtr> pods = pods_.List();
  api::Status first;
  if (opts_.terminated_pod_threshold > 0) KeepFirst(first, GcTerminated(pods));
  KeepFirst(first, GcTerminating(pods));
  KeepFirst(first, GcOrphaned(pods));
  return first;
}

api::Status PodGarbageCollector::GcTerminated(const std::vector<client::ObjectPtr>& pods) {
  std::vector<client::ObjectPtr> done;
  for (const client::ObjectPtr& p : pods) {
    if (IsTerminated(*p)) done.push_back(p);
  }
  if (done.size() <= static_cast<size_t>(opts_.terminated_pod_threshold)) return {};
  size_t n = done.size() - static_cast<size_t>(opts_.terminated_pod_threshold);
  auto key = [](const client::ObjectPtr& p) {
    std::optional<api::Clock::time_point> t =
        api::ParseTime(client::ObjectMetaString(*p, "creationTimestamp"));
    return std::make_tuple(!IsEvicted(*p), t.value_or(api::Clock::time_point{}),
                           client::ObjectMetaString(*p, "name"));
  };
  std::sort(done.begin(), done.end(), [&](const client::ObjectPtr& a, const client::ObjectPtr& b) {
    return key(a) < key(b);
  });
  spdlog::info("podgc: garbage collecting {} terminated pods", n);
  api::Status first;
  for (size_t i = 0; i < n; ++i) KeepFirst(first, MarkFailedAndDelete(*done[i], nullptr));
  return first;
}

api::Status PodGarbageCollector::GcTerminating(const std::vector<client::ObjectPtr>& pods) {
  api::Status first;
  for (const client::ObjectPtr& p : pods) {
    if (!IsDeleting(*p)) continue;
    std::string node_name = PodNodeName(*p);
    if (node_name.empty()) {
      // Terminating and never scheduled: no kubelet will ever finish it.
      spdlog::info("podgc: force deleting unscheduled terminating pod {}", client::ObjectKey(*p));
      KeepFirst(first, MarkFailedAndDelete(*p, nullptr));
      continue;
    }
    client::ObjectPtr node = nodes_.Get(node_name);
    if (!node) continue;
    if (NodeConditionStatus(*node, "Ready") != "True" &&
        HasTaintKey(*node, kTaintNodeOutOfService)) {
      spdlog::info("podgc: force deleting terminating pod {} on out-of-service node {}",
                   client::ObjectKey(*p), node_name);
      KeepFirst(first, MarkFailedAndDelete(*p, nullptr));
    }
  }
  return first;
}

api::Status PodGarbageCollector::GcOrphaned(const std::vector<client::ObjectPtr>& pods) {
  const client::Clock::TimePoint now = clock_.Now();
  std::set<std::string> named;  // nodes named by pods but missing from the cache
  for (const client::ObjectPtr& p : pods) {
    std::string n = PodNodeName(*p);
    if (!n.empty() && !nodes_.Get(n)) named.insert(n);
  }
  for (const std::string& n : named) missing_since_.emplace(n, now);

  api::Status first;
  std::set<std::string> deleted;
  for (auto it = missing_since_.begin(); it != missing_since_.end();) {
    if (!named.count(it->first)) {
      it = missing_since_.erase(it);  // the node showed up, or its pods are gone
      continue;
    }
    if (now - it->second < opts_.quarantine) {
      ++it;
      continue;
    }
    // The cache may be behind: only the API server's NotFound makes the node gone.
    api::Result<client::Object> got = client_.Get(kNodes, "", it->first);
    if (got.ok()) {
      it = missing_since_.erase(it);
    } else if (got.status().reason() == api::Reason::kNotFound) {
      deleted.insert(it->first);
      it = missing_since_.erase(it);
    } else {
      KeepFirst(first, got.status());
      ++it;
    }
  }
  if (deleted.empty()) return first;
  boost::json::object cond{{"type", "DisruptionTarget"},
                           {"status", "True"},
                           {"reason", "DeletionByPodGC"},
                           {"message", "PodGC: node no longer exists"}};
  for (const client::ObjectPtr& p : pods) {
    if (!deleted.count(PodNodeName(*p))) continue;
    spdlog::info("podgc: deleting orphaned pod {} of deleted node {}", client::ObjectKey(*p),
                 PodNodeName(*p));
    KeepFirst(first, MarkFailedAndDelete(*p, &cond));
  }
  return first;
}

api::Status PodGarbageCollector::MarkFailedAndDelete(const client::Object& pod,
                                                     const boost::json::object* condition) {
  std::string ns = client::ObjectMetaString(pod, "namespace");
  std::string name = client::ObjectMetaString(pod, "name");
  if (!IsTerminated(pod)) {
    // Without a kubelet nobody else would move the pod out of Running.
    client::Object copy = pod;
    boost::json::object& status = api::EnsureObject(copy, "status");
    status["phase"] = "Failed";
    if (condition) UpdatePodCondition(status, *condition, api::FormatTime(wall_.Now()));
    client::WriteOptions w;
    w.subresource = "status";
    api::Result<client::Object> r = client_.Update(kPods, ns, copy, w);
    if (!r.ok()) {
      if (r.status().reason() == api::Reason::kNotFound) return {};
      return r.status();
    }
  }
  client::DeleteOptions d;
  d.grace_period_seconds = 0;
  d.precondition_uid = client::ObjectMetaString(pod, "uid");
  api::Result<client::Object> r = client_.Delete(kPods, ns, name, d);
  if (!r.ok() && r.status().reason() != api::Reason::kNotFound) return r.status();
  return {};
}

}  // namespace kc::controllers
