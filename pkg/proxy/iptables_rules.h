// The iptables rule set of kube-proxy's iptables mode, as text for `iptables-restore --noflush`,
// laid out like upstream: nat chains KUBE-SERVICES → KUBE-SVC-<hash> (one per service port,
// random load balancing with `statistic` probabilities, ClientIP affinity with `recent`) →
// KUBE-SEP-<hash> (one per endpoint: hairpin masquerade + DNAT), KUBE-NODEPORTS → KUBE-EXT-<hash>
// (masquerade external traffic, then the service chain), KUBE-MARK-MASQ and KUBE-POSTROUTING
// (MASQUERADE of marked packets); filter chains KUBE-SERVICES (REJECT for ports without
// endpoints), KUBE-EXTERNAL-SERVICES (same for node ports) and KUBE-FORWARD.
//
// Pure functions: building the text never touches the system (see IptablesRunner for that).
#pragma once

#include <set>
#include <string>
#include <vector>

#include "pkg/proxy/service_ports.h"

namespace kc::proxy {

struct RulesConfig {
  std::string cluster_cidr = "10.42.0.0/16";  // traffic from elsewhere is masqueraded
  std::string masquerade_mark = "0x4000";     // the bit KUBE-MARK-MASQ sets
};

struct RuleSet {
  std::string text;                     // iptables-restore input (*nat and *filter tables)
  std::set<std::string> nat_chains;     // every kube chain the text declares in nat
  std::set<std::string> filter_chains;  // ... and in filter
};

// "KUBE-SVC-" + the first 16 characters of base32(sha256(port_name + protocol)) (upstream's
// naming, so chains are stable across restarts and recognisable).
std::string ServiceChain(const ServicePort& sp);
std::string ExternalChain(const ServicePort& sp);
// "KUBE-SEP-" + hash of port name, protocol and "ip:port".
std::string EndpointChain(const ServicePort& sp, const ProxyEndpoint& ep);

// The full rule set for `ports`. `existing_nat_chains` are the chains iptables-save listed in the
// nat table now: kube per-service chains among them that the new set no longer has are flushed
// and deleted by the same restore (stale rules from a previous run or a removed Service).
RuleSet BuildRules(const std::vector<ServicePort>& ports, const RulesConfig& cfg,
                   const std::set<std::string>& existing_nat_chains = {});

// Chain names (":NAME ..." lines) of one table in `iptables-save` output.
std::set<std::string> ParseSaveChains(const std::string& save_output, const std::string& table);

// The rules that hook the kube chains into the built-in ones, as (table, chain, rule args);
// ensured one by one with `iptables -C || -I`, as upstream does.
struct JumpRule {
  std::string table;
  std::string chain;
  std::vector<std::string> args;
};
std::vector<JumpRule> JumpRules();

}  // namespace kc::proxy
