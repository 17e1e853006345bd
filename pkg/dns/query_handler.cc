#include "pkg/dns/query_handler.h"

#include <spdlog/spdlog.h>

#include <chrono>
#include <set>
#include <utility>

#include "pkg/dns/dns_names.h"
#include "pkg/dns/dns_wire.h"

namespace kc::dns {
namespace {

// The version of the Kubernetes DNS specification served (dns-version.<zone> TXT).
constexpr char kSchemaVersion[] = "1.1.0";
// How many ExternalName aliases inside the zone are followed in one answer.
constexpr int kMaxChase = 8;

bool Wants(ldns_rr_type qtype, ldns_rr_type t) { return qtype == t || qtype == LDNS_RR_TYPE_ANY; }

// A record from its parts; takes ownership of `rdfs` and returns nullptr if any is null.
RrPtr MakeRr(const ldns_rdf* owner, ldns_rr_type type, uint32_t ttl, std::vector<ldns_rdf*> rdfs) {
  bool complete = owner != nullptr;
  for (ldns_rdf* r : rdfs) complete = complete && r != nullptr;
  if (!complete) {
    for (ldns_rdf* r : rdfs) {
      if (r) ldns_rdf_deep_free(r);
    }
    return nullptr;
  }
  RrPtr rr(ldns_rr_new());
  ldns_rr_set_owner(rr.get(), ldns_rdf_clone(owner));
  ldns_rr_set_type(rr.get(), type);
  ldns_rr_set_class(rr.get(), LDNS_RR_CLASS_IN);
  ldns_rr_set_ttl(rr.get(), ttl);
  for (ldns_rdf* r : rdfs) ldns_rr_push_rdf(rr.get(), r);
  return rr;
}

RdfPtr Dname(const std::string& fqdn) { return RdfPtr(ldns_dname_new_frm_str(fqdn.c_str())); }

void Push(std::vector<RrPtr>* section, RrPtr rr) {
  if (rr) section->push_back(std::move(rr));
}

void PushAll(ldns_pkt* pkt, ldns_pkt_section section, std::vector<RrPtr>* rrs) {
  for (RrPtr& rr : *rrs) ldns_pkt_push_rr(pkt, section, rr.release());
  rrs->clear();
}

// The single question of `query`, or nullptr.
const ldns_rr* Question(const ldns_pkt* query) {
  const ldns_rr_list* q = ldns_pkt_question(query);
  if (!q || ldns_rr_list_rr_count(q) != 1) return nullptr;
  return ldns_rr_list_rr(q, 0);
}

Outcome Reply(PktPtr pkt) {
  Outcome o;
  o.disposition = pkt ? Disposition::kReply : Disposition::kDrop;
  o.response = std::move(pkt);
  return o;
}

}  // namespace

QueryHandler::QueryHandler(const ClusterView& view, const DnsOptions& options, Upstream* upstream)
    : view_(view),
      options_(options),
      upstream_(upstream),
      zone_([&] {
        std::string z = AsciiLower(options.cluster_domain);
        while (!z.empty() && z.back() == '.') z.pop_back();
        return z;
      }()),
      zone_rdf_(Dname(zone_ + ".")),
      serial_(static_cast<uint32_t>(std::chrono::duration_cast<std::chrono::seconds>(
                                        std::chrono::system_clock::now().time_since_epoch())
                                        .count())) {
  if (zone_rdf_) zone_labels_ = ldns_dname_label_count(zone_rdf_.get());
}

bool QueryHandler::InZone(const ldns_rdf* name) const {
  if (!zone_rdf_ || zone_.empty()) return false;
  return ldns_dname_compare(name, zone_rdf_.get()) == 0 ||
         ldns_dname_is_subdomain(name, zone_rdf_.get());
}

std::string QueryHandler::ServiceFqdn(const std::string& ns, const std::string& svc) const {
  return svc + "." + ns + ".svc." + zone_ + ".";
}

RrPtr QueryHandler::Soa() const {
  std::string ttl = std::to_string(options_.ttl_seconds);
  std::string text = zone_ + ". " + ttl + " IN SOA ns.dns." + zone_ + ". hostmaster." + zone_ +
                     ". " + std::to_string(serial_) + " 7200 1800 86400 " + ttl;
  ldns_rr* rr = nullptr;
  if (ldns_rr_new_frm_str(&rr, text.c_str(), 0, nullptr, nullptr) != LDNS_STATUS_OK) {
    if (rr) ldns_rr_free(rr);
    return nullptr;
  }
  return RrPtr(rr);
}

RrPtr QueryHandler::AddressRr(const ldns_rdf* owner, const std::string& ip) const {
  bool v6 = IsIpv6(ip);
  return MakeRr(owner, v6 ? LDNS_RR_TYPE_AAAA : LDNS_RR_TYPE_A, options_.ttl_seconds,
                {ldns_rdf_new_frm_str(v6 ? LDNS_RDF_TYPE_AAAA : LDNS_RDF_TYPE_A, ip.c_str())});
}

Outcome QueryHandler::Handle(const ldns_pkt* query, bool may_block) const {
  if (!query || ldns_pkt_qr(query)) return Outcome{};
  if (ldns_pkt_get_opcode(query) != LDNS_PACKET_QUERY) {
    return Reply(NewResponse(query, LDNS_RCODE_NOTIMPL));
  }
  const ldns_rr* q = Question(query);
  if (!q || !ldns_rr_owner(q) || ldns_rdf_get_type(ldns_rr_owner(q)) != LDNS_RDF_TYPE_DNAME) {
    return Reply(NewResponse(query, LDNS_RCODE_FORMERR));
  }
  const ldns_rdf* qname = ldns_rr_owner(q);
  ldns_rr_type qtype = ldns_rr_get_type(q);
  ldns_rr_class qclass = ldns_rr_get_class(q);
  if (InZone(qname)) {
    if (qclass != LDNS_RR_CLASS_IN && qclass != LDNS_RR_CLASS_ANY) {
      return Reply(NewResponse(query, LDNS_RCODE_REFUSED));
    }
    // Before the first list an unknown name may just not be cached yet: do not deny it.
    if (!view_.HasSynced()) return Reply(NewResponse(query, LDNS_RCODE_SERVFAIL));
    return AnswerZone(query, qname, qtype, may_block);
  }
  if (qclass == LDNS_RR_CLASS_IN && Wants(qtype, LDNS_RR_TYPE_PTR)) {
    if (PktPtr ptr = AnswerReverse(query, qname)) return Reply(std::move(ptr));
  }
  return Forward(query, may_block);
}

Outcome QueryHandler::Forward(const ldns_pkt* query, bool may_block) const {
  if (!upstream_) return Reply(NewResponse(query, LDNS_RCODE_SERVFAIL));
  if (!may_block) {
    Outcome o;
    o.disposition = Disposition::kNeedsUpstream;
    return o;
  }
  api::Result<PktPtr> answer = upstream_->Exchange(query);
  if (!answer.ok()) {
    spdlog::debug("dns: forward failed: {}", answer.status().ToString());
    return Reply(NewResponse(query, LDNS_RCODE_SERVFAIL));
  }
  return Reply(std::move(answer).value());
}

PktPtr QueryHandler::AnswerReverse(const ldns_pkt* query, const ldns_rdf* qname) const {
  std::optional<std::string> ip = IpFromReverseLabels(DnameLabels(qname));
  if (!ip || !view_.HasSynced()) return nullptr;
  std::vector<ReverseName> names = view_.NamesForIp(*ip);
  if (names.empty()) return nullptr;
  PktPtr resp = NewResponse(query, LDNS_RCODE_NOERROR);
  if (!resp) return nullptr;
  ldns_pkt_set_aa(resp.get(), true);
  for (const ReverseName& n : names) {
    std::string target = ServiceFqdn(n.ns, n.service);
    if (!n.label.empty()) target = n.label + "." + target;
    RrPtr rr = MakeRr(qname, LDNS_RR_TYPE_PTR, options_.ttl_seconds,
                      {ldns_dname_new_frm_str(target.c_str())});
    if (rr) ldns_pkt_push_rr(resp.get(), LDNS_SECTION_ANSWER, rr.release());
  }
  return resp;
}

Outcome QueryHandler::AnswerZone(const ldns_pkt* query, const ldns_rdf* qname, ldns_rr_type qtype,
                                 bool may_block) const {
  NameAnswer first = Lookup(qname, qtype);
  PktPtr resp = NewResponse(query, first.exists ? LDNS_RCODE_NOERROR : LDNS_RCODE_NXDOMAIN);
  if (!resp) return Outcome{};
  ldns_pkt_set_aa(resp.get(), true);
  bool has_answer = !first.answer.empty();
  PushAll(resp.get(), LDNS_SECTION_ANSWER, &first.answer);
  PushAll(resp.get(), LDNS_SECTION_ADDITIONAL, &first.additional);
  bool negative = !has_answer;

  // Follow ExternalName aliases: inside the zone directly, outside through the upstream.
  std::string target = first.cname_target;
  bool chase = qtype != LDNS_RR_TYPE_CNAME && qtype != LDNS_RR_TYPE_ANY;
  for (int depth = 0; chase && !target.empty() && depth < kMaxChase; ++depth) {
    RdfPtr owner = Dname(target + ".");
    if (!owner) break;
    if (InZone(owner.get())) {
      NameAnswer next = Lookup(owner.get(), qtype);
      ldns_pkt_set_rcode(resp.get(), next.exists ? LDNS_RCODE_NOERROR : LDNS_RCODE_NXDOMAIN);
      negative = next.answer.empty();
      PushAll(resp.get(), LDNS_SECTION_ANSWER, &next.answer);
      PushAll(resp.get(), LDNS_SECTION_ADDITIONAL, &next.additional);
      target = next.cname_target;
      continue;
    }
    negative = false;
    if (!upstream_) break;
    if (!may_block) {
      Outcome o;
      o.disposition = Disposition::kNeedsUpstream;
      return o;
    }
    PktPtr sub(ldns_pkt_query_new(owner.release(), qtype, LDNS_RR_CLASS_IN, LDNS_RD));
    if (!sub) break;
    api::Result<PktPtr> answer = upstream_->Exchange(sub.get());
    if (!answer.ok()) {
      spdlog::debug("dns: resolving ExternalName target {}: {}", target,
                    answer.status().ToString());
      break;
    }
    const ldns_rr_list* rrs = ldns_pkt_answer(answer->get());
    for (size_t i = 0; rrs && i < ldns_rr_list_rr_count(rrs); ++i) {
      ldns_rr* rr = ldns_rr_clone(ldns_rr_list_rr(rrs, i));
      if (rr) ldns_pkt_push_rr(resp.get(), LDNS_SECTION_ANSWER, rr);
    }
    uint8_t rcode = ldns_pkt_get_rcode(answer->get());
    if (rcode == LDNS_RCODE_NOERROR || rcode == LDNS_RCODE_NXDOMAIN) {
      ldns_pkt_set_rcode(resp.get(), rcode);
    }
    break;
  }
  if (negative) {
    if (RrPtr soa = Soa()) ldns_pkt_push_rr(resp.get(), LDNS_SECTION_AUTHORITY, soa.release());
  }
  return Reply(std::move(resp));
}

QueryHandler::NameAnswer QueryHandler::Lookup(const ldns_rdf* owner, ldns_rr_type qtype) const {
  NameAnswer out;
  std::vector<std::string> labels = DnameLabels(owner);
  if (labels.size() < zone_labels_) return out;
  std::vector<std::string> rel(labels.begin(), labels.end() - static_cast<long>(zone_labels_));
  const uint32_t ttl = options_.ttl_seconds;
  if (rel.empty()) {
    out.exists = true;
    if (Wants(qtype, LDNS_RR_TYPE_SOA)) Push(&out.answer, Soa());
    if (Wants(qtype, LDNS_RR_TYPE_NS)) {
      Push(&out.answer, MakeRr(owner, LDNS_RR_TYPE_NS, ttl,
                               {ldns_dname_new_frm_str(("ns.dns." + zone_ + ".").c_str())}));
    }
    return out;
  }
  if (rel.size() == 1 && rel[0] == "dns-version") {
    out.exists = true;
    if (Wants(qtype, LDNS_RR_TYPE_TXT)) {
      Push(&out.answer, MakeRr(owner, LDNS_RR_TYPE_TXT, ttl,
                               {ldns_rdf_new_frm_str(LDNS_RDF_TYPE_STR, kSchemaVersion)}));
    }
    return out;
  }
  std::string kind = rel.back();
  rel.pop_back();
  if (kind == "svc") LookupService(rel, owner, qtype, &out);
  if (kind == "pod") LookupPod(rel, owner, qtype, &out);
  return out;
}

void QueryHandler::LookupService(const std::vector<std::string>& parts, const ldns_rdf* owner,
                                 ldns_rr_type qtype, NameAnswer* out) const {
  const size_t m = parts.size();
  if (m == 0) {  // svc.<zone>
    out->exists = true;
    return;
  }
  if (m == 1) {  // <ns>.svc.<zone>
    out->exists = view_.NamespaceHasServices(parts[0]);
    return;
  }
  if (m > 4) return;
  std::optional<ServiceRecord> svc = view_.Service(parts[m - 1], parts[m - 2]);
  if (!svc) return;
  const uint32_t ttl = options_.ttl_seconds;

  if (m == 2) {  // <svc>.<ns>.svc.<zone>
    out->exists = true;
    switch (svc->kind) {
      case ServiceKind::kExternalName:
        if (svc->external_name.empty()) return;
        Push(&out->answer, MakeRr(owner, LDNS_RR_TYPE_CNAME, ttl,
                                  {ldns_dname_new_frm_str((svc->external_name + ".").c_str())}));
        out->cname_target = svc->external_name;
        return;
      case ServiceKind::kClusterIp:
        for (const std::string& ip : svc->cluster_ips) {
          if (Wants(qtype, IsIpv6(ip) ? LDNS_RR_TYPE_AAAA : LDNS_RR_TYPE_A)) {
            Push(&out->answer, AddressRr(owner, ip));
          }
        }
        return;
      case ServiceKind::kHeadless: {
        std::set<std::string> seen;
        for (const EndpointRecord& e : view_.Endpoints(*svc)) {
          if (!seen.insert(e.ip).second) continue;
          if (Wants(qtype, IsIpv6(e.ip) ? LDNS_RR_TYPE_AAAA : LDNS_RR_TYPE_A)) {
            Push(&out->answer, AddressRr(owner, e.ip));
          }
        }
        return;
      }
    }
    return;
  }
  if (svc->kind == ServiceKind::kExternalName) return;

  if (m == 3 && !parts[0].empty() && parts[0][0] == '_') {
    // _<proto>.<svc>.<ns>.svc.<zone>: exists when an SRV name lies below it.
    NameAnswer probe;
    LookupSrv(*svc, "", parts[0].substr(1), owner, LDNS_RR_TYPE_SRV, &probe);
    out->exists = probe.exists;
    return;
  }
  if (m == 3) {  // <endpoint>.<svc>.<ns>.svc.<zone>, headless services only
    if (svc->kind != ServiceKind::kHeadless) return;
    std::set<std::string> seen;
    for (const EndpointRecord& e : view_.Endpoints(*svc)) {
      if (e.label != parts[0]) continue;
      out->exists = true;
      if (!seen.insert(e.ip).second) continue;
      if (Wants(qtype, IsIpv6(e.ip) ? LDNS_RR_TYPE_AAAA : LDNS_RR_TYPE_A)) {
        Push(&out->answer, AddressRr(owner, e.ip));
      }
    }
    return;
  }
  // m == 4: _<port>._<proto>.<svc>.<ns>.svc.<zone>
  if (parts[0].size() < 2 || parts[0][0] != '_' || parts[1].size() < 2 || parts[1][0] != '_') {
    return;
  }
  LookupSrv(*svc, parts[0].substr(1), parts[1].substr(1), owner, qtype, out);
}

// SRV records of `svc` for the named port `port` ("" = any named port) over `proto`.
void QueryHandler::LookupSrv(const ServiceRecord& svc, const std::string& port,
                             const std::string& proto, const ldns_rdf* owner, ldns_rr_type qtype,
                             NameAnswer* out) const {
  struct Target {
    int port;
    std::string name;  // fqdn
    std::string ip;    // for the additional section; "" for none
  };
  std::vector<Target> targets;
  auto matches = [&](const ServicePort& p) {
    return !p.name.empty() && (port.empty() || p.name == port) && p.protocol == proto;
  };
  std::string svc_fqdn = ServiceFqdn(svc.ns, svc.name);
  if (svc.kind == ServiceKind::kClusterIp) {
    for (const ServicePort& p : svc.ports) {
      if (matches(p)) targets.push_back({p.port, svc_fqdn, ""});
    }
  } else if (svc.kind == ServiceKind::kHeadless) {
    for (const EndpointRecord& e : view_.Endpoints(svc)) {
      for (const ServicePort& p : e.ports) {
        if (matches(p)) targets.push_back({p.port, e.label + "." + svc_fqdn, e.ip});
      }
    }
  }
  if (targets.empty()) return;
  out->exists = true;
  if (!Wants(qtype, LDNS_RR_TYPE_SRV)) return;

  std::set<std::pair<int, std::string>> srv_seen;
  std::vector<Target> unique;
  for (Target& t : targets) {
    if (srv_seen.insert({t.port, t.name}).second) unique.push_back(t);
  }
  // Equal priority, the weight shared out evenly (as CoreDNS does).
  const uint16_t weight = static_cast<uint16_t>(std::max<size_t>(1, 100 / unique.size()));
  std::set<std::string> additional_seen;
  for (const Target& t : unique) {
    Push(&out->answer,
         MakeRr(owner, LDNS_RR_TYPE_SRV, options_.ttl_seconds,
                {ldns_native2rdf_int16(LDNS_RDF_TYPE_INT16, 0),
                 ldns_native2rdf_int16(LDNS_RDF_TYPE_INT16, weight),
                 ldns_native2rdf_int16(LDNS_RDF_TYPE_INT16, static_cast<uint16_t>(t.port)),
                 ldns_dname_new_frm_str(t.name.c_str())}));
    std::vector<std::string> ips = t.ip.empty() ? svc.cluster_ips : std::vector<std::string>{t.ip};
    for (const std::string& ip : ips) {
      if (!additional_seen.insert(t.name + " " + ip).second) continue;
      RdfPtr name = Dname(t.name);
      if (name) Push(&out->additional, AddressRr(name.get(), ip));
    }
  }
}

void QueryHandler::LookupPod(const std::vector<std::string>& parts, const ldns_rdf* owner,
                             ldns_rr_type qtype, NameAnswer* out) const {
  // Pods "insecure" mode: any namespace, any well-formed address.
  if (parts.size() <= 1) {
    out->exists = true;
    return;
  }
  if (parts.size() != 2) return;
  std::optional<std::string> ip = IpFromDashed(parts[0]);
  if (!ip) return;
  out->exists = true;
  if (Wants(qtype, IsIpv6(*ip) ? LDNS_RR_TYPE_AAAA : LDNS_RR_TYPE_A)) {
    Push(&out->answer, AddressRr(owner, *ip));
  }
}

}  // namespace kc::dns
