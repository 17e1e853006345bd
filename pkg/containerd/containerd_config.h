// Where kcluster keeps its containerd instance, and the config.toml it runs it with.
//
// kcluster owns one containerd 1.6 child process (see supervisor.h) whose whole state lives
// under the data directory, so it never clashes with a system containerd:
//
//   <data-dir>/agent/containerd/{config.toml, containerd.sock, containerd.log, root/, state/,
//   certs.d/} <data-dir>/agent/etc/cni/net.d/10-kcluster.conflist     (cni_config.h)
//   <data-dir>/agent/images/*.tar                           (imported at start,
//   image_dir_watcher.h)
//
// RenderConfigToml produces the config verified in reference containerd-1.6-cri.md §1.1,
// including `restrict_oom_score_adj = true`, without which every pod fails on hosts that refuse
// negative oom_score_adj values.
//
// Thread-safety: plain values and stateless functions, callable from any thread.
#pragma once

#include <map>
#include <string>

#include "pkg/api/status.h"
#include "pkg/containerd/registries.h"

namespace kc::containerd {

inline constexpr char kDefaultSandboxImage[] = "docker.io/kcluster/pause:1";
inline constexpr char kDefaultCniBinDir[] = "/usr/lib/cni";
inline constexpr char kCriNamespace[] = "k8s.io";

struct ContainerdPaths {
  std::string dir;           // <data-dir>/agent/containerd
  std::string root_dir;      // <dir>/root: content store, metadata, snapshots (persistent)
  std::string state_dir;     // <dir>/state: task bundles, sandbox /dev/shm (ephemeral)
  std::string opt_dir;       // <dir>/root/opt (else containerd creates /opt/containerd)
  std::string socket;        // <dir>/containerd.sock (ttrpc: "<socket>.ttrpc")
  std::string config_file;   // <dir>/config.toml
  std::string log_file;      // <dir>/containerd.log
  std::string pid_file;      // <dir>/containerd.pid
  std::string certs_dir;     // <dir>/certs.d (registry.config_path)
  std::string cni_conf_dir;  // <data-dir>/agent/etc/cni/net.d
  std::string cni_bin_dir;   // /usr/lib/cni (Debian containernetworking-plugins)
  std::string cni_ipam_dir;  // <data-dir>/agent/cni/networks (host-local dataDir)
  std::string images_dir;    // <data-dir>/agent/images
};

// The layout above for `data_dir`.
ContainerdPaths PathsForDataDir(const std::string& data_dir);

// Invalid when a path is empty or relative, or the socket path (plus ".ttrpc") is too long for
// a unix socket address (107 bytes).
api::Status ValidatePaths(const ContainerdPaths& paths);

struct ContainerdOptions {
  ContainerdPaths paths;
  std::string sandbox_image = kDefaultSandboxImage;
  std::string stream_server_address = "127.0.0.1";
  int stream_server_port = 10010;  // 0 = any free port (the CRI Exec/Attach URL carries it)
  std::string snapshotter = "overlayfs";
  int max_container_log_line_size = 16384;
  std::string log_level;    // "" = containerd's default (info); "debug" for troubleshooting
  std::string runc_binary;  // "" = "runc" from containerd's PATH
  // registry.configs."<host>".auth entries (see RegistryAuths in registries.h).
  std::map<std::string, RegistryAuth> registry_auths;
};

// The config.toml text (version 2).
std::string RenderConfigToml(const ContainerdOptions& options);

}  // namespace kc::containerd
