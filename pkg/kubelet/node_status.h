// Node object and node status as the kubelet reports them (upstream kubelet_node_status.go and
// nodestatus setters): labels, podCIDR, capacity/allocatable, addresses, nodeInfo and the four
// conditions, with lastTransitionTime kept while a condition's status does not change.
//
// Thread-safety: pure functions.
#pragma once

#include <boost/json/object.hpp>
#include <string>

#include "pkg/api/time_util.h"
#include "pkg/kubelet/machine_info.h"

namespace kc::kubelet {

namespace json = boost::json;

inline constexpr char kKubeletVersion[] = "v1.32.4+kcluster";

struct NodeStatusInput {
  std::string node_name;
  std::string node_ip;
  std::string pod_cidr;
  bool control_plane = false;
  int max_pods = 110;
  MachineInfo machine;
  std::string runtime_version;  // "containerd://1.6.20~ds1"
  bool ready = false;
  std::string not_ready_message;  // KubeletNotReady message when !ready
  api::Clock::time_point now;
};

// The labels the kubelet owns on its Node.
json::object NodeLabels(const NodeStatusInput& in);

// A complete Node for registration (metadata, spec.podCIDR(s), status).
json::object BuildNode(const NodeStatusInput& in);

// The status to post: heartbeat times = now; transition times kept from `old_status` when the
// condition's status is unchanged.
json::object BuildNodeStatus(const NodeStatusInput& in, const json::object& old_status);

// Whether two statuses differ in anything but the conditions' lastHeartbeatTime.
bool NodeStatusChanged(const json::object& old_status, const json::object& new_status);

// The Ready condition's message from CRI runtime conditions, upstream style:
// "container runtime network not ready: NetworkReady=false reason:R message:M".
std::string RuntimeNotReadyMessage(const std::string& type, bool status, const std::string& reason,
                                   const std::string& message, bool network);

}  // namespace kc::kubelet
