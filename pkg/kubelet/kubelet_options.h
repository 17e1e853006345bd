// KubeletOptions: the configuration of one kubelet (the node agent inside `kcluster server`).
//
// Every field has a usable default; cmd/ fills node_name/node_ip/root_dir from its flags.
//
// Thread-safety: a plain value type.
#pragma once

#include <chrono>
#include <string>

#include "pkg/client/clock.h"

namespace kc::kubelet {

struct KubeletOptions {
  std::string node_name;  // "" = the machine's hostname (lower-cased)
  std::string node_ip;    // "" = the address of the interface holding the default route
  std::string pod_cidr = "10.42.0.0/24";
  std::string cluster_dns = "10.43.0.10";
  std::string cluster_domain = "cluster.local";
  bool control_plane = false;  // adds node-role.kubernetes.io/control-plane=true
  std::string root_dir = "/var/lib/kcluster/agent";  // <data-dir>/agent: pod volumes live here
  std::string pod_log_dir = "/var/log/pods";
  // Where <pod>_<ns>_<container>-<id>.log symlinks go ("" = none).
  std::string container_log_dir = "/var/log/containers";
  // Resolver file for dnsPolicy Default (and ClusterFirst on host-network pods).
  std::string host_resolv_conf = "/etc/resolv.conf";

  // How often every pod is re-synced even without events (refreshes configMap/secret volumes).
  std::chrono::milliseconds sync_period{std::chrono::seconds(10)};
  // How often the CRI state is re-listed to notice container changes (PLEG).
  std::chrono::milliseconds relist_period{std::chrono::seconds(1)};
  std::chrono::milliseconds node_status_update_period{std::chrono::seconds(10)};
  // A node status that did not change is still posted this often.
  std::chrono::milliseconds node_status_report_period{std::chrono::minutes(5)};
  std::chrono::milliseconds lease_renew_period{std::chrono::seconds(10)};
  int lease_duration_seconds = 40;
  // Pod worker threads (a worker is busy for the whole grace period of a pod it stops).
  int workers = 8;
  int max_pods = 110;

  // Container restart back-off (CrashLoopBackOff) and image pull back-off.
  std::chrono::milliseconds backoff_initial{std::chrono::seconds(10)};
  std::chrono::milliseconds backoff_max{std::chrono::minutes(5)};

  // Source of time for back-off, probes, heartbeats and status timestamps. nullptr = real time.
  // Wall-clock times are derived as "system time at construction + elapsed clock time".
  client::Clock* clock = nullptr;
};

}  // namespace kc::kubelet
