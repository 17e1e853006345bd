// QueryHandler: turns one decoded DNS query into the server's answer, as CoreDNS' kubernetes
// plugin would (Kubernetes DNS-based service discovery specification, schema 1.1.0):
//
//   <svc>.<ns>.svc.<zone>                 A/AAAA: cluster IPs; headless: ready endpoint
//                                         addresses; ExternalName: CNAME (chased)
//   <ep>.<svc>.<ns>.svc.<zone>            A/AAAA of a headless service's endpoint, <ep> being its
//                                         hostname or its dashed address
//   _<port>._<proto>.<svc>.<ns>.svc.<zone> SRV for named ports (headless: one per endpoint)
//   <a-b-c-d>.<ns>.pod.<zone>             A (pods "insecure" mode: any well-formed address)
//   dns-version.<zone>                    TXT "1.1.0"
//   <zone>                                SOA, NS
//   d.c.b.a.in-addr.arpa (and ip6.arpa)   PTR for cluster IPs and headless endpoints; other
//                                         addresses go upstream
//
// Unknown names in the zone get NXDOMAIN, known names without records of the asked type NODATA;
// both carry the zone's SOA in the authority section. Names outside the zone are forwarded to
// the Upstream and its answer relayed (SERVFAIL when none answers). Names are matched without
// regard to case; the answer's owner names keep the question's spelling.
//
// Thread-safety: Handle may be called concurrently from any thread.
#pragma once

#include <string>
#include <vector>

#include "pkg/dns/cluster_view.h"
#include "pkg/dns/dns_options.h"
#include "pkg/dns/ldns_ptr.h"
#include "pkg/dns/upstream.h"

namespace kc::dns {

enum class Disposition {
  kReply,          // send `response`
  kDrop,           // send nothing (the message was a response, or unusable)
  kNeedsUpstream,  // only when Handle was told not to block: call again where blocking is fine
};

struct Outcome {
  Disposition disposition = Disposition::kDrop;
  PktPtr response;
};

class QueryHandler {
 public:
  // `view`, and `upstream` when not null, must outlive the handler. The options' cluster_domain
  // must be a valid domain name (DnsServer checks).
  QueryHandler(const ClusterView& view, const DnsOptions& options, Upstream* upstream);

  QueryHandler(const QueryHandler&) = delete;
  QueryHandler& operator=(const QueryHandler&) = delete;

  // `may_block`: whether this call may wait for the upstream. A query that needs it then yields
  // kNeedsUpstream instead, so the caller can hand it to a thread that may wait.
  Outcome Handle(const ldns_pkt* query, bool may_block) const;

 private:
  // Records at one name of the zone.
  struct NameAnswer {
    bool exists = false;  // false → NXDOMAIN
    std::vector<RrPtr> answer;
    std::vector<RrPtr> additional;
    std::string cname_target;  // an ExternalName alias to follow for other types
  };

  bool InZone(const ldns_rdf* name) const;
  Outcome AnswerZone(const ldns_pkt* query, const ldns_rdf* qname, ldns_rr_type qtype,
                     bool may_block) const;
  NameAnswer Lookup(const ldns_rdf* owner, ldns_rr_type qtype) const;
  void LookupService(const std::vector<std::string>& parts, const ldns_rdf* owner,
                     ldns_rr_type qtype, NameAnswer* out) const;
  void LookupSrv(const ServiceRecord& svc, const std::string& port, const std::string& proto,
                 const ldns_rdf* owner, ldns_rr_type qtype, NameAnswer* out) const;
  void LookupPod(const std::vector<std::string>& parts, const ldns_rdf* owner, ldns_rr_type qtype,
                 NameAnswer* out) const;
  // The PTR answer for a reverse name of a cluster address, or nullptr when it is not one.
  PktPtr AnswerReverse(const ldns_pkt* query, const ldns_rdf* qname) const;
  Outcome Forward(const ldns_pkt* query, bool may_block) const;

  std::string ServiceFqdn(const std::string& ns, const std::string& svc) const;
  RrPtr Soa() const;
  RrPtr AddressRr(const ldns_rdf* owner, const std::string& ip) const;

  const ClusterView& view_;
  const DnsOptions options_;
  Upstream* const upstream_;
  const std::string zone_;  // lowercase, no trailing dot
  RdfPtr zone_rdf_;
  size_t zone_labels_ = 0;
  const uint32_t serial_;
};

}  // namespace kc::dns
