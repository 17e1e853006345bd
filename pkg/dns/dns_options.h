// DnsOptions: how the cluster DNS server is configured (zone, sockets, upstreams, timings).
//
// Thread-safety: a plain value type.
#pragma once

#include <chrono>
#include <cstdint>
#include <string>
#include <vector>

namespace kc::dns {

struct DnsOptions {
  // The zone answered from the API (services, endpoints, pods).
  std::string cluster_domain = "cluster.local";
  // "ip:port" or "[ipv6]:port"; the server listens on UDP and TCP on each. Port 0 picks a free
  // port (the same one for UDP and TCP); DnsServer::ListenAddresses() tells which. Addresses are
  // bound with IP_FREEBIND, so an address may be added to an interface after Start().
  std::vector<std::string> listen = {"10.43.0.10:53"};
  // Resolvers for names outside the cluster domain, "ip" (port 53) or "ip:port". Empty = the
  // nameservers of `resolv_conf_path`. Addresses equal to a listen address are dropped, so the
  // server never forwards to itself.
  std::vector<std::string> upstreams;
  std::string resolv_conf_path = "/etc/resolv.conf";
  // TTL of every record served from the cluster zone, and the SOA minimum (negative TTL).
  uint32_t ttl_seconds = 5;
  // How long one upstream may take to answer before the next one is tried.
  std::chrono::milliseconds upstream_timeout{2000};
  // Threads that answer UDP queries needing an upstream (so a slow upstream never delays
  // cluster answers) and the number of such queries that may wait before new ones are dropped.
  int forward_workers = 8;
  int max_pending_forwards = 1024;
  // TCP connections served at once; more are closed at accept. Idle connections close after
  // `tcp_idle_timeout`.
  int max_tcp_connections = 128;
  std::chrono::milliseconds tcp_idle_timeout{10000};
};

}  // namespace kc::dns
