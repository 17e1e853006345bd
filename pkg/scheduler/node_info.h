// PodInfo and NodeInfo: the scheduler's pre-digested views of a pod and of a node with the pods
// bound (or assumed) to it, built once per scheduling cycle so the plugins do not re-parse JSON
// for every node.
//
// Thread-safety: immutable after construction (NodeInfo::AddPod is used only while a snapshot is
// built); const access from any thread.
#pragma once

#include <boost/json/object.hpp>
#include <memory>
#include <string>
#include <vector>

#include "pkg/client/indexer.h"
#include "pkg/scheduler/resources.h"
#include "pkg/scheduler/taints.h"

namespace kc::scheduler {

// A host port a container asks for. Empty ip means every address ("0.0.0.0").
struct HostPort {
  std::string ip = "0.0.0.0";
  std::string protocol = "TCP";
  int64_t port = 0;
};

// Ports of spec.containers[].ports with hostPort > 0, ip and protocol defaulted.
std::vector<HostPort> PodHostPorts(const boost::json::object& pod);
// Whether `want` clashes with any of `used` (0.0.0.0 overlaps every address).
bool HostPortConflicts(const std::vector<HostPort>& used, const HostPort& want);

// The uid of the pod's controller ownerReference ("" when it has none).
std::string ControllerUid(const boost::json::object& pod);

class PodInfo {
 public:
  explicit PodInfo(client::ObjectPtr pod);

  const boost::json::object& pod() const { return *pod_; }
  const client::ObjectPtr& pod_ptr() const { return pod_; }
  const std::string& ns() const { return ns_; }
  const std::string& name() const { return name_; }
  const std::string& key() const { return key_; }
  const std::string& uid() const { return uid_; }
  const boost::json::object* spec() const { return spec_; }
  const boost::json::object* labels() const { return labels_; }
  const Resources& requests() const { return requests_; }
  const Resources& non_zero_requests() const { return non_zero_requests_; }
  const std::vector<Toleration>& tolerations() const { return tolerations_; }
  const std::vector<HostPort>& host_ports() const { return host_ports_; }
  const std::string& controller_uid() const { return controller_uid_; }

 private:
  client::ObjectPtr pod_;
  std::string ns_, name_, key_, uid_;
  const boost::json::object* spec_ = nullptr;
  const boost::json::object* labels_ = nullptr;
  Resources requests_;
  Resources non_zero_requests_;
  std::vector<Toleration> tolerations_;
  std::vector<HostPort> host_ports_;
  std::string controller_uid_;
};

class NodeInfo {
 public:
  explicit NodeInfo(client::ObjectPtr node);

  // Accounts a pod bound or assumed on this node.
  void AddPod(std::shared_ptr<const PodInfo> pod);

  const boost::json::object& node() const { return *node_; }
  const std::string& name() const { return name_; }
  const boost::json::object* labels() const { return labels_; }
  bool unschedulable() const { return unschedulable_; }
  const std::vector<Taint>& taints() const { return taints_; }
  const Resources& allocatable() const { return allocatable_; }
  // Sum of the actual requests of the node's pods.
  const Resources& requested() const { return requested_; }
  // Sum with kDefault* requests for containers that have none (scoring view).
  const Resources& non_zero_requested() const { return non_zero_requested_; }
  const std::vector<std::shared_ptr<const PodInfo>>& pods() const { return pods_; }
  const std::vector<HostPort>& used_ports() const { return used_ports_; }

 private:
  client::ObjectPtr node_;
  std::string name_;
  const boost::json::object* labels_ = nullptr;
  bool unschedulable_ = false;
  std::vector<Taint> taints_;
  Resources allocatable_;
  Resources requested_;
  Resources non_zero_requested_;
  std::vector<std::shared_ptr<const PodInfo>> pods_;
  std::vector<HostPort> used_ports_;
};

}  // namespace kc::scheduler
