#include "pkg/kubelet/node_status.h"

#include "pkg/api/field_set_path.h"
#include "pkg/api/json_path.h"

namespace kc::kubelet {
namespace {

constexpr int64_t kEvictionHardMemory = 100 * 1024 * 1024;  // memory.available<100Mi

json::object Condition(const std::string& type, bool status, const std::string& reason,
                       const std::string& message, const std::string& now,
                       const json::array* old_conditions) {
  json::object c;
  c["type"] = type;
  c["status"] = status ? "True" : "False";
  c["lastHeartbeatTime"] = now;
  std::string transition = now;
  if (old_conditions) {
    for (const json::value& ov : *old_conditions) {
      if (!ov.is_object() || api::GetString(ov.get_object(), "type") != type) continue;
      if (api::GetString(ov.get_object(), "status") == (status ? "True" : "False")) {
        std::string t = api::GetString(ov.get_object(), "lastTransitionTime");
        if (!t.empty()) transition = t;
      }
      break;
    }
  }
  c["lastTransitionTime"] = transition;
  c["reason"] = reason;
  c["message"] = message;
  return c;
}

// Strips the heartbeat times so two statuses can be compared.
json::object WithoutHeartbeats(const json::object& status) {
  json::object copy = status;
  if (json::value* cs = copy.if_contains("conditions"); cs && cs->is_array()) {
    for (json::value& c : cs->get_array()) {
      if (c.is_object()) c.get_object().erase("lastHeartbeatTime");
    }
  }
  return copy;
}

}  // namespace

json::object NodeLabels(const NodeStatusInput& in) {
  json::object l;
  l["beta.kubernetes.io/arch"] = "amd64";
  l["beta.kubernetes.io/os"] = "linux";
  l["kubernetes.io/arch"] = "amd64";
  l["kubernetes.io/hostname"] = in.node_name;
  l["kubernetes.io/os"] = "linux";
  if (in.control_plane) l["node-role.kubernetes.io/control-plane"] = "true";
  return l;
}

json::object BuildNode(const NodeStatusInput& in) {
  json::object node;
  node["apiVersion"] = "v1";
  node["kind"] = "Node";
  json::object meta;
  meta["name"] = in.node_name;
  meta["labels"] = NodeLabels(in);
  meta["annotations"] = json::object{{"node.alpha.kubernetes.io/ttl", "0"},
                                     {"volumes.kubernetes.io/controller-managed-attach-detach",
                                      "true"}};
  node["metadata"] = std::move(meta);
  json::object spec;
  if (!in.pod_cidr.empty()) {
    spec["podCIDR"] = in.pod_cidr;
    spec["podCIDRs"] = json::array{json::value(in.pod_cidr)};
  }
  node["spec"] = std::move(spec);
  node["status"] = BuildNodeStatus(in, json::object());
  return node;
}

json::object BuildNodeStatus(const NodeStatusInput& in, const json::object& old_status) {
  std::string now = api::FormatTime(in.now);
  const json::array* old_conds = api::GetArray(old_status, "conditions");
  json::object st;

  int64_t mem_ki = in.machine.memory_bytes / 1024;
  int64_t eph_ki = in.machine.ephemeral_storage_bytes / 1024;
  json::object capacity;
  capacity["cpu"] = std::to_string(in.machine.cpu_count);
  capacity["ephemeral-storage"] = std::to_string(eph_ki) + "Ki";
  capacity["hugepages-1Gi"] = "0";
  capacity["hugepages-2Mi"] = "0";
  capacity["memory"] = std::to_string(mem_ki) + "Ki";
  capacity["pods"] = std::to_string(in.max_pods);
  json::object allocatable = capacity;
  int64_t alloc_mem = std::max<int64_t>(in.machine.memory_bytes - kEvictionHardMemory, 0);
  allocatable["memory"] = std::to_string(alloc_mem / 1024) + "Ki";
  // nodefs.available<10%.
  allocatable["ephemeral-storage"] =
      std::to_string(in.machine.ephemeral_storage_bytes - in.machine.ephemeral_storage_bytes / 10);
  st["capacity"] = std::move(capacity);
  st["allocatable"] = std::move(allocatable);

  json::array conds;
  conds.push_back(Condition("MemoryPressure", false, "KubeletHasSufficientMemory",
                            "kubelet has sufficient memory available", now, old_conds));
  conds.push_back(Condition("DiskPressure", false, "KubeletHasNoDiskPressure",
                            "kubelet has no disk pressure", now, old_conds));
  conds.push_back(Condition("PIDPressure", false, "KubeletHasSufficientPID",
                            "kubelet has sufficient PID available", now, old_conds));
  if (in.ready) {
    conds.push_back(Condition("Ready", true, "KubeletReady", "kubelet is posting ready status", now,
                              old_conds));
  } else {
    conds.push_back(Condition("Ready", false, "KubeletNotReady", in.not_ready_message, now,
                              old_conds));
  }
  st["conditions"] = std::move(conds);

  json::array addresses;
  if (!in.node_ip.empty()) {
    addresses.push_back(json::object{{"type", "InternalIP"}, {"address", in.node_ip}});
  }
  addresses.push_back(json::object{{"type", "Hostname"},
                                   {"address", in.machine.hostname.empty() ? in.node_name
                                                                           : in.machine.hostname}});
  st["addresses"] = std::move(addresses);
  st["daemonEndpoints"] = json::object{{"kubeletEndpoint", json::object{{"Port", 10250}}}};

  json::object info;
  info["architecture"] = "amd64";
  info["bootID"] = in.machine.boot_id;
  info["containerRuntimeVersion"] = in.runtime_version;
  info["kernelVersion"] = in.machine.kernel_version;
  info["kubeProxyVersion"] = kKubeletVersion;
  info["kubeletVersion"] = kKubeletVersion;
  info["machineID"] = in.machine.machine_id;
  info["operatingSystem"] = "linux";
  info["osImage"] = in.machine.os_image;
  info["systemUUID"] = in.machine.system_uuid;
  st["nodeInfo"] = std::move(info);
  return st;
}

bool NodeStatusChanged(const json::object& old_status, const json::object& new_status) {
  return !api::JsonEqual(WithoutHeartbeats(old_status), WithoutHeartbeats(new_status));
}

std::string RuntimeNotReadyMessage(const std::string& type, bool status, const std::string& reason,
                                   const std::string& message, bool network) {
  return std::string(network ? "container runtime network not ready: "
                             : "container runtime not ready: ") +
         type + "=" + (status ? "true" : "false") + " reason:" + reason + " message:" + message;
}

}  // namespace kc::kubelet
