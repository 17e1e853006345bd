// The iptables rule set of kube-proxy's iptables mode, as text for `iptables-restore --noflush`,
// laid out like upstream: nat chains KUBE-SERVICES → KUBE-SVC-<hash> (one per service port,
// random load balancing with `statistic` probabilities, ClientIP affinity with `recent`) →
// KUBE-SEP-<hash> (one per endpoint: hairpin masquerade + DNAT), KUBE-NODEPORTS → KUBE-EXT-<hash>
// (masquerade external traffic, then the service chain), KUBE-MARK-MASQ and KUBE-POSTROUTING
// (MASQUERADE of marked packets); filter chains KUBE-SERVICES (REJECT for ports without
// endpoints), KUBE-EXTERNAL-SERVICES (same for node ports) and KUBE-FORWARD.
//
// The set is built per service port (ServicePortRules: the nat chains the port owns plus its
// lines in the shared top-level chains) so the proxier can cache unchanged ports and rewrite only
// the chains that changed (see sync_plan.h). With more than
// `large_cluster_endpoints_threshold` endpoints in total ("large cluster mode", as upstream), the
// per-endpoint rules carry no comments, which makes the text cheaper for iptables-restore.
//
// Pure functions: building the text never touches the system (see IptablesRunner for that).
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <set>
#include <string>
#include <vector>

#include "pkg/proxy/service_ports.h"

namespace kc::proxy {

struct RulesConfig {
  std::string cluster_cidr = "10.42.0.0/16";  // traffic from elsewhere is masqueraded
  std::string masquerade_mark = "0x4000";     // the bit KUBE-MARK-MASQ sets
  // Upstream's largeClusterEndpointsThreshold: above this many endpoints in total, the KUBE-SEP-*
  // rules and the KUBE-SVC-* → KUBE-SEP-* jumps are written without `-m comment`.
  size_t large_cluster_endpoints_threshold = 1000;
};

// One nat chain owned by a service port: its rules ("-A <name> ..." lines, each ending in '\n'),
// how many there are, and a hash of them (a changed hash means the chain must be rewritten).
struct ChainRules {
  std::string name;
  std::string rules;
  size_t lines = 0;
  uint64_t hash = 0;
};

// Everything one service port contributes to the rule set.
struct ServicePortRules {
  // The chains it owns: KUBE-SVC-, KUBE-EXT- (node port or external IPs) and one KUBE-SEP- per
  // endpoint; none when it has no endpoints.
  std::vector<ChainRules> chains;
  // Its lines in the shared top-level chains.
  std::string nat_services;     // nat KUBE-SERVICES: cluster IP and external IPs
  std::string nat_nodeports;    // nat KUBE-NODEPORTS
  std::string filter_services;  // filter KUBE-SERVICES: REJECT when there are no endpoints
  std::string filter_external;  // filter KUBE-EXTERNAL-SERVICES: same for external IPs, node port
};

// The whole desired rule set: the per-port parts plus the text of the top-level chains.
struct DesiredRules {
  bool large_cluster = false;
  std::vector<std::shared_ptr<const ServicePortRules>> ports;
  std::string filter;         // "*filter ... COMMIT\n": the filter table, always written whole
  std::string nat_top_rules;  // rules of the nat top-level chains (NatTopLevelChains())
  uint64_t top_hash = 0;      // hash of `filter` and `nat_top_rules`
};

// The rule set of a whole restore (BuildRules): text plus the chains it declares.
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

// Top-level chains: always declared and rewritten whole by a sync that writes anything.
const std::vector<std::string>& NatTopLevelChains();     // KUBE-SERVICES, -NODEPORTS, ...
const std::vector<std::string>& FilterTopLevelChains();  // KUBE-SERVICES, -EXTERNAL-SERVICES, ...
// KUBE-SVC-, KUBE-SVL-, KUBE-EXT-, KUBE-FW-, KUBE-SEP-: per-service-port nat chains, ours to
// delete when no longer wanted.
bool IsServicePortChain(const std::string& chain);

// True when the ports have more endpoints in total than the threshold.
bool IsLargeCluster(const std::vector<ServicePort>& ports, const RulesConfig& cfg);
ServicePortRules BuildServicePortRules(const ServicePort& sp, const RulesConfig& cfg,
                                       bool large_cluster);
// Adds the top-level chains to per-port rules (in port order).
DesiredRules AssembleRules(std::vector<std::shared_ptr<const ServicePortRules>> ports,
                           const RulesConfig& cfg, bool large_cluster);
DesiredRules BuildDesiredRules(const std::vector<ServicePort>& ports, const RulesConfig& cfg);

// One iptables-restore input. With `top`, the filter table and the nat top-level chains are
// rewritten from it; `chains` are flushed and rewritten; `deleted` are flushed and removed last,
// once nothing in the same transaction refers to them (only pass them together with `top`).
// Chain declarations are sorted by name: iptables-nft-restore keeps its chain cache sorted, and
// unsorted declarations of thousands of chains cost it several times more CPU.
std::string RenderRestore(const DesiredRules* top, const std::vector<const ChainRules*>& chains,
                          const std::vector<std::string>& deleted);

// The full rule set for `ports` as one restore. `existing_nat_chains` are the chains
// iptables-save listed in the nat table now: per-service-port chains among them that the new set
// no longer has are flushed and deleted by the same restore (stale rules from a previous run or
// a removed Service).
RuleSet BuildRules(const std::vector<ServicePort>& ports, const RulesConfig& cfg,
                   const std::set<std::string>& existing_nat_chains = {});

// Chain names (":NAME ..." lines) of one table in `iptables-save` output.
std::set<std::string> ParseSaveChains(const std::string& save_output, const std::string& table);

// The rules that hook the kube chains into the built-in ones, as (table, chain, rule args).
struct JumpRule {
  std::string table;
  std::string chain;
  std::vector<std::string> args;
};
std::vector<JumpRule> JumpRules();
// The rule as `iptables-save` prints it ("-A CHAIN args", arguments with spaces quoted).
std::string JumpRuleSaveLine(const JumpRule& j);
// True when `save_output` (of the jump's table) has the rule.
bool SaveHasRule(const std::string& save_output, const std::string& rule_line);

}  // namespace kc::proxy
