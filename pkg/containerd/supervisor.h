// Supervisor: runs kcluster's own containerd 1.6 as a child process and keeps it running.
//
// Start() writes config.toml (and certs.d/*/hosts.toml from registries.yaml, and the CNI
// conflist when a pod CIDR is given), spawns `containerd --config <file>` in its own process
// group with stdout/stderr appended to containerd.log, and returns once the socket accepts
// connections and `ctr plugins ls` reports the CRI plugin `ok`. containerd keeps running when
// its CRI plugin fails to load (bad config), so a plugin in state `error` fails Start() with the
// reason from the log instead of leaving a daemon that answers every CRI call UNIMPLEMENTED.
//
// A monitor thread restarts containerd with exponential back-off (1 s ... 30 s) whenever it
// exits. Stop() sends SIGTERM to containerd only, waits up to 10 s and then SIGKILLs it. Shims
// (and so running containers) are never signalled: they outlive containerd by design and are
// re-attached by the next containerd. A containerd left behind by a crashed kcluster (found via
// containerd.pid and its command line) is stopped before a new one is started.
//
// With Options::external_endpoint set, nothing is spawned: Start() only waits until that
// socket is ready, and Stop() does nothing.
//
// Thread-safety: all methods may be called from any thread. Start() and Stop() are serialized
// (a Stop() during Start() waits for Start() to finish). The destructor calls Stop().
#pragma once

#include <sys/types.h>

#include <chrono>
#include <condition_variable>
#include <mutex>
#include <string>
#include <thread>

#include "pkg/api/status.h"
#include "pkg/containerd/containerd_config.h"

namespace kc::containerd {

class Supervisor {
 public:
  struct Options {
    ContainerdOptions containerd;   // paths and config.toml settings; registries.yaml credentials
                                    // are added to registry_auths (and win for the same host)
    std::string registries_yaml;    // k3s-style registries.yaml; "" or a missing file = none
    std::string cni_pod_cidr;       // when set, Start() writes the bridge conflist for it
    std::string external_endpoint;  // socket of a containerd someone else runs: spawn nothing
    std::string containerd_binary = "containerd";
    std::string ctr_binary = "ctr";
    std::chrono::milliseconds start_timeout{30000};
    std::chrono::milliseconds stop_timeout{10000};
    std::chrono::milliseconds min_backoff{1000};
    std::chrono::milliseconds max_backoff{30000};
  };

  explicit Supervisor(Options options);
  ~Supervisor();
  Supervisor(const Supervisor&) = delete;
  Supervisor& operator=(const Supervisor&) = delete;

  // Writes the configs, starts containerd and waits until its CRI plugin is ready. Invalid for
  // bad paths or a bad registries.yaml (nothing written then), Timeout when not ready within
  // start_timeout, Internal when containerd exits or its CRI plugin fails to load. On error no
  // containerd is left running. AlreadyExists when already started.
  api::Status Start();

  // Stops containerd (SIGTERM, then SIGKILL after stop_timeout) and the monitor. Idempotent.
  void Stop();

  // The socket path to dial (the external endpoint when one was given).
  std::string socket() const;
  // "unix:///abs/path/containerd.sock" for gRPC.
  std::string grpc_target() const { return "unix://" + socket(); }
  // The current containerd pid, or -1 (external endpoint, not started, or being restarted).
  pid_t pid() const;
  // How many times the monitor has restarted containerd since Start().
  int restarts() const;

 private:
  // Spawns containerd and waits until it is ready. On failure the child is killed and reaped,
  // except while stopping_ (then the monitor/Stop reap it).
  api::Status SpawnAndWaitReady();
  // Waits until `socket()` serves a loaded CRI plugin; `child` (or -1) must stay alive.
  api::Status WaitReady(pid_t child, size_t log_offset);
  api::Status WriteConfigs();
  void StopLeftoverContainerd();
  void MonitorLoop();
  // Blocks until `pid` exits, then reaps it and clears pid_ (under mu_).
  void WaitAndReap(pid_t pid);

  const Options options_;
  std::mutex lifecycle_mu_;  // serializes Start() and Stop()
  std::thread monitor_;      // guarded by lifecycle_mu_

  mutable std::mutex mu_;
  std::condition_variable cv_;
  // Guarded by mu_:
  pid_t pid_ = -1;  // a child not yet reaped (so the pid cannot be reused while it is set)
  bool started_ = false;
  bool stopping_ = false;
  int restarts_ = 0;
};

}  // namespace kc::containerd
