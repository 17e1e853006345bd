// RuntimePod: what the container runtime (CRI) holds for one pod, in the kubelet's own terms
// (upstream kubecontainer.PodStatus): its sandboxes and container instances, newest first.
//
// Built from CRI replies by RuntimeReader (runtime_reader.h); consumed by the pure status
// computation (pod_status.h) and the sync decisions (pod_actions.h), which therefore never see
// protobuf types.
//
// Thread-safety: plain value types.
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <vector>

namespace kc::kubelet {

enum class ContainerState { kCreated, kRunning, kExited, kUnknown };

struct RuntimeContainer {
  std::string id;  // CRI container id (without the "containerd://" prefix)
  std::string sandbox_id;
  std::string name;  // io.kubernetes.container.name
  int restart_count = 0;  // from the io.kubernetes.container.restartCount annotation
  std::string hash;       // io.kubernetes.container.hash annotation
  ContainerState state = ContainerState::kUnknown;
  int64_t created_at = 0;   // ns since the epoch
  int64_t started_at = 0;   // 0 = never started
  int64_t finished_at = 0;  // 0 = not exited
  int32_t exit_code = 0;
  std::string reason;  // containerd: Completed, Error, OOMKilled
  std::string message;
  std::string image;      // what the runtime reports (first repo tag)
  std::string image_ref;  // repo digest or image id
  std::string log_path;   // absolute
  std::map<std::string, std::string> annotations;
};

struct RuntimeSandbox {
  std::string id;
  bool ready = false;
  uint32_t attempt = 0;
  int64_t created_at = 0;
  bool has_network = false;  // the CRI reported a network status
  std::string ip;
  std::vector<std::string> additional_ips;
  bool host_network = false;  // namespace mode NODE
  bool status_known = false;  // PodSandboxStatus answered (network fields are meaningful)
};

struct RuntimePod {
  std::string uid;
  std::string name;
  std::string ns;
  std::vector<RuntimeSandbox> sandboxes;     // newest first
  std::vector<RuntimeContainer> containers;  // newest first

  bool empty() const { return sandboxes.empty() && containers.empty(); }
  // The newest instance of container `name`, or nullptr.
  const RuntimeContainer* Latest(const std::string& name) const {
    for (const RuntimeContainer& c : containers) {
      if (c.name == name) return &c;
    }
    return nullptr;
  }
  // The instance before the newest one, or nullptr.
  const RuntimeContainer* Previous(const std::string& name) const {
    bool seen = false;
    for (const RuntimeContainer& c : containers) {
      if (c.name != name) continue;
      if (seen) return &c;
      seen = true;
    }
    return nullptr;
  }
};

}  // namespace kc::kubelet
