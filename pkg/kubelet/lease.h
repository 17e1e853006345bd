// NodeLease: keeps the node's heartbeat Lease kube-node-lease/<node> (coordination.k8s.io/v1)
// fresh, as upstream's nodelease controller does: holderIdentity = node name,
// leaseDurationSeconds, renewTime (MicroTime) = now on every Renew, owner reference to the Node.
//
// Thread-safety: Renew must not be called concurrently (the kubelet's node thread calls it).
#pragma once

#include <string>

#include "pkg/api/status.h"
#include "pkg/client/client.h"
#include "pkg/kubelet/time_source.h"

namespace kc::kubelet {

inline constexpr char kNodeLeaseNamespace[] = "kube-node-lease";

class NodeLease {
 public:
  NodeLease(client::Client& client, const TimeSource& time, std::string node_name,
            int duration_seconds)
      : client_(client), time_(time), node_(std::move(node_name)), duration_(duration_seconds) {}

  // Creates the Lease or updates its renewTime. `node_uid` (may be "") sets the owner reference.
  api::Status Renew(const std::string& node_uid);

 private:
  client::Client& client_;
  const TimeSource& time_;
  const std::string node_;
  const int duration_;
};

}  // namespace kc::kubelet
