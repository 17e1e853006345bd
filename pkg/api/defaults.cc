// Dispatch of ApplyDefaults to the per-kind defaulters, and the Pod QoS class computation.
#include "pkg/api/defaults.h"

#include <map>
#include <set>

#include "pkg/api/defaults_internal.h"
#include "pkg/api/validation_field.h"

namespace kc::api {

void ApplyDefaults(const ResourceInfo& ri, boost::json::object& obj) {
  namespace d = defaults;
  const std::string& g = ri.group;
  const std::string& k = ri.kind;
  if (g.empty()) {
    if (k == "Pod") return d::DefaultPod(obj);
    if (k == "PodTemplate") return d::DefaultPodTemplate(obj);
    if (k == "ReplicationController") return d::DefaultReplicationController(obj);
    if (k == "Service") return d::DefaultService(obj);
    if (k == "Endpoints") return d::DefaultEndpoints(obj);
    if (k == "Namespace") return d::DefaultNamespace(obj);
    if (k == "Secret") return d::DefaultSecret(obj);
    if (k == "PersistentVolumeClaim") return d::DefaultPersistentVolumeClaimSpec(obj);
    if (k == "PersistentVolume") return d::DefaultPersistentVolume(obj);
    if (k == "Node") return d::DefaultNode(obj);
    if (k == "ResourceQuota") return d::DefaultResourceQuota(obj);
    if (k == "LimitRange") return d::DefaultLimitRange(obj);
    return;
  }
  if (g == "apps") {
    if (k == "Deployment") return d::DefaultDeployment(obj);
    if (k == "ReplicaSet") return d::DefaultReplicaSet(obj);
    if (k == "StatefulSet") return d::DefaultStatefulSet(obj);
    if (k == "DaemonSet") return d::DefaultDaemonSet(obj);
    return;
  }
  if (g == "batch") {
    if (k == "Job") return d::DefaultJob(obj);
    if (k == "CronJob") return d::DefaultCronJob(obj);
    return;
  }
  if (g == "autoscaling" && k == "HorizontalPodAutoscaler")
    return d::DefaultHorizontalPodAutoscaler(ri, obj);
  if (g == "discovery.k8s.io" && k == "EndpointSlice") return d::DefaultEndpointSlice(obj);
  if (g == "rbac.authorization.k8s.io" && (k == "RoleBinding" || k == "ClusterRoleBinding")) {
    return d::DefaultRoleBinding(obj);
  }
}

std::string PodQOSClass(const boost::json::object& pod) {
  namespace v = validation;
  std::map<std::string, Quantity> requests, limits;
  bool guaranteed = true;
  const boost::json::object* spec = v::GetObj(pod, "spec");
  for (const char* list : {"containers", "initContainers"}) {
    const boost::json::array* cs = v::GetArr(spec, list);
    if (cs == nullptr) continue;
    for (const auto& cv : *cs) {
      const boost::json::object* res = v::GetObj(cv.if_object(), "resources");
      auto collect = [&](const char* which, std::map<std::string, Quantity>* sum,
                         std::set<std::string>* found) {
        const boost::json::object* rl = v::GetObj(res, which);
        if (rl == nullptr) return;
        for (const auto& kv : *rl) {
          std::string name(kv.key());
          if (name != "cpu" && name != "memory") continue;
          auto q = v::ParseQuantity(kv.value());
          if (!q || q->Sign() <= 0) continue;
          if (found) found->insert(name);
          auto it = sum->find(name);
          if (it == sum->end()) {
            sum->emplace(name, *q);
          } else {
            it->second.Add(*q);
          }
        }
      };
      std::set<std::string> limits_found;
      collect("requests", &requests, nullptr);
      collect("limits", &limits, &limits_found);
      if (limits_found.size() != 2) guaranteed = false;
    }
  }
  if (requests.empty() && limits.empty()) return "BestEffort";
  if (guaranteed) {
    for (const auto& [name, req] : requests) {
      auto it = limits.find(name);
      if (it == limits.end() || it->second.Compare(req) != 0) {
        guaranteed = false;
        break;
      }
    }
  }
  if (guaranteed && requests.size() == limits.size()) return "Guaranteed";
  return "Burstable";
}

}  // namespace kc::api
