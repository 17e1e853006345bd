// The CNI network config kcluster gives containerd: one bridge network for the node's pods.
//
// A `bridge` plugin (host bridge `kc0` as the pods' gateway, masquerading of traffic leaving
// the pod CIDR, hairpin mode so a pod can reach itself through a Service) with `host-local`
// IPAM over the node's pod CIDR, chained with `portmap` for hostPort mappings. The plugin
// binaries come from Debian's containernetworking-plugins 1.1.1 (/usr/lib/cni), which speak
// CNI 0.1.0 ... 1.0.0; the config uses 0.4.0, which containerd 1.6's libcni also supports and
// which keeps CHECK and cached results.
//
// Thread-safety: stateless functions, callable from any thread. Concurrent WriteCniConfig
// calls on the same directory race only on which rename wins.
#pragma once

#include <string>

#include "pkg/api/status.h"

namespace kc::containerd {

inline constexpr char kCniConfigFileName[] = "10-kcluster.conflist";
inline constexpr char kCniNetworkName[] = "kcluster";
inline constexpr char kCniVersion[] = "0.4.0";

// The conflist JSON for `pod_cidr` ("10.42.0.0/24" or an IPv6 CIDR; host bits must be zero).
// host-local keeps its allocations in `ipam_data_dir` (instead of /var/lib/cni/networks).
// Invalid for a malformed CIDR, an empty or relative data dir, or a bridge name that is not a
// valid Linux interface name (1..15 characters, no '/', ':' or whitespace).
api::Result<std::string> RenderBridgeConflist(const std::string& pod_cidr,
                                              const std::string& ipam_data_dir,
                                              const std::string& bridge_name = "kc0");

// Writes `contents` as `<dir>/10-kcluster.conflist`, creating `dir` if needed. The file is
// written as a temporary file inside `dir` and renamed there: containerd 1.6 ignores a file
// moved in from another directory (it only reacts to WRITE/RENAME events in conf_dir). An
// unchanged file is left alone so containerd does not reload for nothing.
api::Status WriteCniConfig(const std::string& dir, const std::string& contents);

}  // namespace kc::containerd
