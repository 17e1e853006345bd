// Server: the API server as one assembled component — data-dir layout, PKI, the SQLite store,
// the registry, discovery surface, HTTP(S) listeners and the in-process client. `cmd/` builds a
// ServerConfig from flags, calls Start, and Stop on SIGTERM.
//
// Thread-safety: Start/Stop from the controlling thread; client() may be used from any thread
// between them.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "pkg/api/status.h"
#include "pkg/client/client.h"

namespace kc::streaming {
class PodStreams;
}

namespace kc::apiserver {

struct ServerConfig {
  std::string data_dir;
  std::string bind_address = "0.0.0.0";
  int https_port = 6443;
  int insecure_port = -1;  // plain HTTP on 127.0.0.1; -1 = off
  std::vector<std::string> tls_sans;
  std::string runtime_config;
  std::string write_kubeconfig;  // extra kubeconfig path
  int64_t compaction_window = 10000;
  // true: every acknowledged write survives power loss (fsync per group commit); false: WAL with
  // synchronous=NORMAL, which survives a process crash (kill -9) but may lose the last commits
  // on power loss, for much higher write throughput.
  bool store_sync_full = true;
  // Memory for the store's cache of the newest value of each key (point reads skip SQLite while
  // it holds every key). 0 turns it off.
  int64_t store_cache_mb = 256;
  int worker_threads = 32;
  std::string service_cidr = "10.43.0.0/16";
  std::string service_node_port_range = "30000-32767";
};

class Server {
 public:
  explicit Server(ServerConfig config);
  ~Server();

  api::Status Start();
  void Stop();

  int https_port() const;
  std::string kubeconfig_path() const;
  // The in-process client for components running in this process.
  client::Client& client();
  // The node side of pods/log, exec, attach and portforward (the in-process kubelet). Not
  // owned: it must outlive the server (stop the server first). May be called before or after
  // Start; until set, those subresources answer 503 ServiceUnavailable.
  void SetPodStreams(streaming::PodStreams* streams);

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace kc::apiserver
