// NodeStatusManager: registers the kubelet's Node and keeps its status current (upstream
// kubelet_node_status.go): Register creates the Node, or reconciles labels on an existing one;
// Update recomputes the status (machine info, CRI Version and Status → Ready) and patches
// nodes/<name>/status when it differs from the server's copy (heartbeat times aside) or when
// `report_period` passed since the last post.
//
// Thread-safety: Register/Update from one thread (the kubelet's node thread, or a test);
// registered() and ready() from any thread.
#pragma once

#include <atomic>
#include <chrono>
#include <string>

#include "pkg/api/status.h"
#include "pkg/client/client.h"
#include "pkg/kubelet/cri/runtime.h"
#include "pkg/kubelet/machine_info.h"
#include "pkg/kubelet/node_status.h"
#include "pkg/kubelet/time_source.h"

namespace kc::kubelet {

struct NodeConfig {
  std::string node_name;
  std::string node_ip;
  std::string pod_cidr;
  bool control_plane = false;
  int max_pods = 110;
  std::chrono::milliseconds report_period{std::chrono::minutes(5)};
};

class NodeStatusManager {
 public:
  NodeStatusManager(client::Client& client, cri::Runtime& runtime, const TimeSource& time,
                    NodeConfig config, MachineInfo machine);

  api::Status Register();
  // Posts the status if changed (or due). `posted` (optional) says whether a patch was sent.
  api::Status Update(bool* posted = nullptr);

  const std::string& node_uid() const { return node_uid_; }
  bool registered() const { return registered_; }
  // Whether the last computed status had Ready=True.
  bool ready() const { return ready_; }

 private:
  NodeStatusInput Input();

  client::Client& client_;
  cri::Runtime& runtime_;
  const TimeSource& time_;
  const NodeConfig config_;
  const MachineInfo machine_;

  std::atomic<bool> registered_{false};  // read from other threads
  std::atomic<bool> ready_{false};
  std::string node_uid_;
  client::Clock::TimePoint last_post_time_{};
};

}  // namespace kc::kubelet
