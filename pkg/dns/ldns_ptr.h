// Owning handles for libldns objects, so packets, records and names are freed on every path.
// Also the one place that includes <ldns/ldns.h>: without <stdbool.h> first, ldns/common.h
// defines `true`/`false` as macros for 1/0, which breaks C++ (e.g. std::optional's <=>).
//
// Thread-safety: plain owning values; an object is used by one thread at a time.
#pragma once

// clang-format off
#include <stdbool.h>  // before ldns: see above
#include <ldns/ldns.h>
// clang-format on

#include <memory>

namespace kc::dns {

struct PktDeleter {
  void operator()(ldns_pkt* p) const { ldns_pkt_free(p); }
};
struct RrDeleter {
  void operator()(ldns_rr* rr) const { ldns_rr_free(rr); }
};
struct RdfDeleter {
  void operator()(ldns_rdf* rdf) const { ldns_rdf_deep_free(rdf); }
};

using PktPtr = std::unique_ptr<ldns_pkt, PktDeleter>;
using RrPtr = std::unique_ptr<ldns_rr, RrDeleter>;
using RdfPtr = std::unique_ptr<ldns_rdf, RdfDeleter>;

}  // namespace kc::dns
