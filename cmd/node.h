// Node: the agent half of `kcluster server` — containerd (owned or external), the image import
// watcher, the kubelet and kube-proxy — started after the control plane and stopped before it.
// Kept apart from main.cc so the same wiring can serve `kcluster agent` later.
//
// Thread-safety: Start/Stop from the process's main thread.
#pragma once

#include <memory>
#include <string>

#include "pkg/api/status.h"
#include "pkg/client/client.h"
#include "pkg/client/informer_factory.h"
#include "pkg/streaming/pod_streams.h"

namespace kc::cmd {

struct NodeFlags {
  std::string data_dir;
  std::string cluster_cidr = "10.42.0.0/16";
  std::string pod_cidr = "10.42.0.0/24";
  std::string cluster_dns = "10.43.0.10";
  std::string cluster_domain = "cluster.local";
  std::string node_name;  // "" = hostname
  std::string node_ip;    // "" = the address of the default route's interface
  std::string container_runtime_endpoint;  // "" = run our own containerd
  std::string registries_config = "/etc/kcluster/registries.yaml";
  std::string pause_image = "docker.io/kcluster/pause:1";
  bool disable_agent = false;       // no containerd, no kubelet (control plane only)
  bool disable_kube_proxy = false;
  bool disable_dns = false;
};

class Node {
 public:
  explicit Node(NodeFlags flags);
  ~Node();

  // `client` and `informers` must outlive the node.
  api::Status Start(client::Client& client, client::SharedInformerFactory& informers);
  void Stop();
  // The kubelet's streaming endpoints for the API server (nullptr without an agent).
  streaming::PodStreams* streams();

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace kc::cmd
