// Upstream: where the DNS server sends queries for names outside the cluster zone (and the
// targets of ExternalName services). Forwarder is the real one; tests fake it.
//
// Thread-safety: implementations are safe to call concurrently from any thread.
#pragma once

#include "pkg/api/status.h"
#include "pkg/dns/ldns_ptr.h"

namespace kc::dns {

class Upstream {
 public:
  virtual ~Upstream() = default;
  // Sends `query` on and returns the first valid answer (its id is the id of `query`). Blocks
  // for at most the configured per-resolver timeout times the number of resolvers. Fails
  // (Unavailable / Timeout) when no resolver answered.
  virtual api::Result<PktPtr> Exchange(const ldns_pkt* query) = 0;
};

}  // namespace kc::dns
