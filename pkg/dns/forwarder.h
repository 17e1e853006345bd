// Forwarder: the Upstream that relays queries to recursive resolvers (by default the host's
// /etc/resolv.conf nameservers), trying them in order.
//
// Each attempt uses a fresh UDP socket and a random message id, so answers cannot be confused
// across queries; an answer is accepted only from the resolver asked, with the id sent, the QR
// bit and the same question. A truncated UDP answer is retried over TCP with the same resolver.
//
// Thread-safety: Exchange may be called concurrently from any thread.
#pragma once

#include <atomic>
#include <chrono>
#include <string>
#include <vector>

#include "pkg/dns/net_util.h"
#include "pkg/dns/upstream.h"

namespace kc::dns {

class Forwarder : public Upstream {
 public:
  // `servers` are already parsed; `stop_fd` (optional, -1 for none) aborts waits when readable.
  Forwarder(std::vector<SockAddr> servers, std::chrono::milliseconds timeout, int stop_fd = -1);

  api::Result<PktPtr> Exchange(const ldns_pkt* query) override;

  const std::vector<SockAddr>& servers() const { return servers_; }

 private:
  bool Stopped() const;
  api::Result<PktPtr> ExchangeUdp(const SockAddr& server, const ldns_pkt* query, uint16_t id);
  api::Result<PktPtr> ExchangeTcp(const SockAddr& server, const ldns_pkt* query, uint16_t id);

  const std::vector<SockAddr> servers_;
  const std::chrono::milliseconds timeout_;
  const int stop_fd_;
};

// The nameservers of a resolv.conf text, in order ("nameserver <ip>" lines; comments with # or ;).
std::vector<std::string> ParseResolvConfNameservers(const std::string& text);

}  // namespace kc::dns
