// PodSandboxConfig for a pod (upstream kuberuntime generatePodSandboxConfig + dns.GetPodDNS):
// metadata, hostname, log directory, DNS per dnsPolicy, hostPort mappings, labels/annotations,
// and the Linux part (cgroup parent by QoS class, namespaces, security context, sysctls).
//
// Thread-safety: pure functions.
#pragma once

#include <boost/json/object.hpp>
#include <string>
#include <vector>

#include "pkg/api/status.h"
#include "pkg/kubelet/cri/runtime.h"

namespace kc::kubelet {

namespace json = boost::json;

struct SandboxOptions {
  std::string cluster_dns;  // "" = ClusterFirst falls back to Default
  std::string cluster_domain = "cluster.local";
  std::string pod_log_dir = "/var/log/pods";
  // Parsed host resolver config (for dnsPolicy Default and ClusterFirst's extra searches).
  std::vector<std::string> host_servers;
  std::vector<std::string> host_searches;
  std::vector<std::string> host_options;
};

// Reads nameserver/search/options lines of a resolv.conf text into `opts`.
void ParseResolvConf(const std::string& text, SandboxOptions* opts);

// "/var/log/pods/<ns>_<name>_<uid>".
std::string PodLogDirectory(const std::string& root, const std::string& ns, const std::string& name,
                            const std::string& uid);

// The pod's hostname: spec.hostname or the pod name, cut to 63 characters.
std::string PodHostname(const json::object& pod);

// DNS config per spec.dnsPolicy and spec.dnsConfig.
cri::v1::DNSConfig PodDnsConfig(const json::object& pod, const SandboxOptions& opts);

cri::v1::PodSandboxConfig BuildSandboxConfig(const json::object& pod, uint32_t attempt,
                                             const SandboxOptions& opts);

}  // namespace kc::kubelet
