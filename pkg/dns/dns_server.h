// DnsServer: the cluster DNS server of `kcluster server` (the role CoreDNS plays in k3s). It
// answers the cluster zone (default "cluster.local") from the Service and EndpointSlice informers
// and forwards every other name to upstream resolvers; see QueryHandler for the records.
//
// Sockets and threads: for every listen address one UDP socket and one TCP socket (the same
// port), served by plain blocking-style loops over poll(2):
//   - one thread per UDP socket receives queries and answers cluster names inline (cache reads
//     only); queries that need an upstream go to a bounded queue served by `forward_workers`
//     threads, so a slow upstream never delays cluster answers;
//   - one thread per TCP socket accepts connections; each connection gets its own thread (at
//     most `max_tcp_connections`), which answers its queries in order, forwarding inline.
// Stop wakes every loop through one eventfd, including waits on upstreams.
//
// Until the informers have synced, names in the cluster zone get SERVFAIL (not a false NXDOMAIN).
// The server does not start the informer factory: the caller does, before or after Start.
//
// Thread-safety: Start and Stop from one thread (the owner's); ListenAddresses/Upstreams from
// any thread after Start returned. Start is called once; Stop is final and idempotent.
#pragma once

#include <condition_variable>
#include <deque>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "pkg/api/status.h"
#include "pkg/client/informer_factory.h"
#include "pkg/dns/cluster_view.h"
#include "pkg/dns/dns_options.h"
#include "pkg/dns/forwarder.h"
#include "pkg/dns/net_util.h"
#include "pkg/dns/query_handler.h"

namespace kc::dns {

class DnsServer {
 public:
  // `factory` must outlive the server. Registers the services and endpointslices informers (and
  // the indexes ClusterView needs) on it at once.
  DnsServer(client::SharedInformerFactory& factory, DnsOptions options);
  ~DnsServer();

  DnsServer(const DnsServer&) = delete;
  DnsServer& operator=(const DnsServer&) = delete;

  // Checks the options, reads the upstreams (resolv.conf unless given), binds every listen
  // address (UDP and TCP) and starts serving. On error nothing is left open or running.
  api::Status Start();
  void Stop();

  // The bound addresses ("ip:port", a port 0 resolved), in the order of options.listen.
  std::vector<std::string> ListenAddresses() const;
  // The upstream resolvers in use ("ip:port").
  std::vector<std::string> Upstreams() const;

 private:
  struct Listener {
    SockAddr addr;
    UniqueFd udp;
    UniqueFd tcp;
    std::thread udp_thread;
    std::thread tcp_thread;
  };
  struct ForwardJob {
    int udp_fd = -1;
    SockAddr client;
    PktPtr query;
  };
  struct Connection {
    UniqueFd fd;
    std::thread thread;
    bool done = false;
  };

  api::Status Bind(const std::string& address, Listener* out);
  api::Status LoadUpstreams(std::vector<SockAddr>* out) const;
  void UdpLoop(Listener* l);
  void TcpAcceptLoop(Listener* l);
  void ServeConnection(int id, int fd);
  void ForwardWorker();
  void SendUdp(int fd, const SockAddr& client, const ldns_pkt* query, const ldns_pkt* response);
  // Joins finished connection threads (all of them when `all`, which must follow the stop signal).
  void ReapConnections(bool all);
  void CloseAll();

  ClusterView view_;
  const DnsOptions options_;

  // Set up by Start (before any thread runs), read-only afterwards.
  UniqueFd stop_fd_;
  std::unique_ptr<Forwarder> forwarder_;
  std::unique_ptr<QueryHandler> handler_;
  std::vector<std::unique_ptr<Listener>> listeners_;
  std::vector<std::thread> workers_;

  std::mutex mu_;
  std::condition_variable cv_;
  // Guarded by mu_.
  std::deque<ForwardJob> jobs_;
  std::map<int, Connection> connections_;
  int next_connection_id_ = 1;
  bool started_ = false;
  bool stopping_ = false;
};

}  // namespace kc::dns
