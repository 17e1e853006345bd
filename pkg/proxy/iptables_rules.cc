#include "pkg/proxy/iptables_rules.h"

#include <openssl/sha.h>

#include <algorithm>
#include <cstdio>
#include <functional>
#include <sstream>
#include <string_view>

namespace kc::proxy {
namespace {

std::string Base32(const unsigned char* data, size_t len) {
  static const char kAlphabet[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
  std::string out;
  uint64_t buffer = 0;
  int bits = 0;
  for (size_t i = 0; i < len; ++i) {
    buffer = (buffer << 8) | data[i];
    bits += 8;
    while (bits >= 5) {
      out.push_back(kAlphabet[(buffer >> (bits - 5)) & 31]);
      bits -= 5;
    }
  }
  if (bits > 0) out.push_back(kAlphabet[(buffer << (5 - bits)) & 31]);
  return out;
}

std::string Hash16(const std::string& s) {
  unsigned char md[SHA256_DIGEST_LENGTH];
  SHA256(reinterpret_cast<const unsigned char*>(s.data()), s.size(), md);
  return Base32(md, sizeof(md)).substr(0, 16);
}

std::string Lower(std::string s) {
  for (char& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return s;
}

// " -m comment --comment \"text\"" (with the leading space).
std::string Comment(const std::string& text) { return " -m comment --comment \"" + text + "\""; }

std::string Probability(size_t remaining) {
  char buf[32];
  std::snprintf(buf, sizeof(buf), "%0.10f", 1.0 / static_cast<double>(remaining));
  return buf;
}

uint64_t HashText(std::string_view s) { return std::hash<std::string_view>{}(s); }

void Finish(ChainRules* c) {
  c->lines = static_cast<size_t>(std::count(c->rules.begin(), c->rules.end(), '\n'));
  c->hash = HashText(c->rules);
}

void Declare(std::string* out, const std::string& chain) {
  *out += ':';
  *out += chain;
  *out += " - [0:0]\n";
}

}  // namespace

std::string ServiceChain(const ServicePort& sp) {
  return "KUBE-SVC-" + Hash16(sp.PortName() + Lower(sp.protocol));
}

std::string ExternalChain(const ServicePort& sp) {
  return "KUBE-EXT-" + Hash16(sp.PortName() + Lower(sp.protocol));
}

std::string EndpointChain(const ServicePort& sp, const ProxyEndpoint& ep) {
  return "KUBE-SEP-" +
         Hash16(sp.PortName() + Lower(sp.protocol) + ep.ip + ":" + std::to_string(ep.port));
}

const std::vector<std::string>& NatTopLevelChains() {
  static const std::vector<std::string> kChains = {"KUBE-SERVICES", "KUBE-NODEPORTS",
                                                   "KUBE-POSTROUTING", "KUBE-MARK-MASQ"};
  return kChains;
}

const std::vector<std::string>& FilterTopLevelChains() {
  static const std::vector<std::string> kChains = {"KUBE-SERVICES", "KUBE-EXTERNAL-SERVICES",
                                                   "KUBE-FORWARD", "KUBE-NODEPORTS"};
  return kChains;
}

bool IsServicePortChain(const std::string& c) {
  return c.rfind("KUBE-SVC-", 0) == 0 || c.rfind("KUBE-SEP-", 0) == 0 ||
         c.rfind("KUBE-EXT-", 0) == 0 || c.rfind("KUBE-SVL-", 0) == 0 ||
         c.rfind("KUBE-FW-", 0) == 0;
}

bool IsLargeCluster(const std::vector<ServicePort>& ports, const RulesConfig& cfg) {
  size_t total = 0;
  for (const ServicePort& sp : ports) total += sp.endpoints.size();
  return total > cfg.large_cluster_endpoints_threshold;
}

ServicePortRules BuildServicePortRules(const ServicePort& sp, const RulesConfig& cfg,
                                       bool large_cluster) {
  ServicePortRules out;
  const std::string name = sp.PortName();
  const std::string proto = Lower(sp.protocol);
  const std::string match = " -p " + proto + " -m " + proto;
  const std::string port = std::to_string(sp.port);
  const std::string cluster_dst = " -d " + sp.cluster_ip + "/32" + match + " --dport " + port;
  // Comments on the per-endpoint rules are left out in large cluster mode.
  auto endpoint_comment = [&](const std::string& text) {
    return large_cluster ? std::string() : Comment(text);
  };

  if (sp.endpoints.empty()) {
    // Nothing serves this port: refuse at once instead of letting connections hang.
    const std::string reject = " -j REJECT --reject-with icmp-port-unreachable\n";
    const std::string comment = Comment(name + " has no endpoints");
    out.filter_services = "-A KUBE-SERVICES" + comment + cluster_dst + reject;
    for (const std::string& ip : sp.external_ips) {
      out.filter_external += "-A KUBE-EXTERNAL-SERVICES" + comment + " -d " + ip + "/32" + match +
                             " --dport " + port + reject;
    }
    if (sp.node_port > 0) {
      out.filter_external += "-A KUBE-EXTERNAL-SERVICES" + comment +
                             " -m addrtype --dst-type LOCAL" + match + " --dport " +
                             std::to_string(sp.node_port) + reject;
    }
    return out;
  }

  const std::string svc_chain = ServiceChain(sp);
  ChainRules svc{svc_chain, "", 0, 0};
  // ClusterIP.
  out.nat_services = "-A KUBE-SERVICES" + Comment(name + " cluster IP") + cluster_dst + " -j " +
                     svc_chain + "\n";
  svc.rules = "-A " + svc_chain + Comment(name + " cluster IP") + cluster_dst + " ! -s " +
              cfg.cluster_cidr + " -j KUBE-MARK-MASQ\n";

  // External IPs and node ports go through the external chain, which masquerades.
  const bool external = sp.node_port > 0 || !sp.external_ips.empty();
  ChainRules ext;
  if (external) {
    const std::string ext_chain = ExternalChain(sp);
    ext.name = ext_chain;
    ext.rules = "-A " + ext_chain + Comment("masquerade traffic for " + name +
                                            " external destinations") +
                " -j KUBE-MARK-MASQ\n" + "-A " + ext_chain + " -j " + svc_chain + "\n";
    for (const std::string& ip : sp.external_ips) {
      out.nat_services += "-A KUBE-SERVICES" + Comment(name + " external IP") + " -d " + ip +
                          "/32" + match + " --dport " + port + " -j " + ext_chain + "\n";
    }
    if (sp.node_port > 0) {
      out.nat_nodeports = "-A KUBE-NODEPORTS" + Comment(name) + match + " --dport " +
                          std::to_string(sp.node_port) + " -j " + ext_chain + "\n";
    }
  }

  std::vector<std::string> sep_chains;
  std::vector<std::string> dests;
  for (const ProxyEndpoint& ep : sp.endpoints) {
    sep_chains.push_back(EndpointChain(sp, ep));
    dests.push_back(ep.ip + ":" + std::to_string(ep.port));
  }
  const size_t n = sp.endpoints.size();
  // Session affinity: a client seen recently goes to the same endpoint.
  if (sp.affinity_timeout > 0) {
    const std::string seconds = std::to_string(sp.affinity_timeout);
    for (size_t i = 0; i < n; ++i) {
      svc.rules += "-A " + svc_chain + endpoint_comment(name + " -> " + dests[i]) +
                   " -m recent --name " + sep_chains[i] +
                   " --mask 255.255.255.255 --rcheck --seconds " + seconds + " --reap -j " +
                   sep_chains[i] + "\n";
    }
  }
  // Random balancing: endpoint i of n is taken with probability 1/(n-i).
  for (size_t i = 0; i < n; ++i) {
    svc.rules += "-A " + svc_chain + endpoint_comment(name + " -> " + dests[i]);
    if (i + 1 < n) svc.rules += " -m statistic --mode random --probability " + Probability(n - i);
    svc.rules += " -j " + sep_chains[i] + "\n";
  }
  Finish(&svc);
  out.chains.push_back(std::move(svc));
  if (external) {
    Finish(&ext);
    out.chains.push_back(std::move(ext));
  }

  for (size_t i = 0; i < n; ++i) {
    const ProxyEndpoint& ep = sp.endpoints[i];
    const std::string& sep = sep_chains[i];
    ChainRules c{sep, "", 0, 0};
    // Hairpin: a pod reaching its own Service must see the reply come from the Service.
    c.rules = "-A " + sep + endpoint_comment(name) + " -s " + ep.ip + "/32 -j KUBE-MARK-MASQ\n";
    c.rules += "-A " + sep + endpoint_comment(name);
    if (sp.affinity_timeout > 0) c.rules += " -m recent --name " + sep + " --mask 255.255.255.255 --set";
    c.rules += match + " -j DNAT --to-destination " + dests[i] + "\n";
    Finish(&c);
    out.chains.push_back(std::move(c));
  }
  return out;
}

DesiredRules AssembleRules(std::vector<std::shared_ptr<const ServicePortRules>> ports,
                           const RulesConfig& cfg, bool large_cluster) {
  DesiredRules d;
  d.large_cluster = large_cluster;
  d.ports = std::move(ports);
  const std::string mark = cfg.masquerade_mark + "/" + cfg.masquerade_mark;

  std::vector<std::string> filter_chains = FilterTopLevelChains();
  std::sort(filter_chains.begin(), filter_chains.end());
  std::string& f = d.filter;
  f = "*filter\n";
  for (const std::string& c : filter_chains) Declare(&f, c);
  f += "-A KUBE-FORWARD -m conntrack --ctstate INVALID -j DROP\n";
  f += "-A KUBE-FORWARD" + Comment("kubernetes forwarding rules") + " -m mark --mark " + mark +
       " -j ACCEPT\n";
  f += "-A KUBE-FORWARD" + Comment("kubernetes forwarding conntrack rule") +
       " -m conntrack --ctstate RELATED,ESTABLISHED -j ACCEPT\n";
  for (const auto& p : d.ports) f += p->filter_services;
  for (const auto& p : d.ports) f += p->filter_external;
  f += "COMMIT\n";

  std::string& n = d.nat_top_rules;
  n = "-A KUBE-POSTROUTING -m mark ! --mark " + mark + " -j RETURN\n";
  n += "-A KUBE-POSTROUTING -j MARK --xor-mark " + cfg.masquerade_mark + "\n";
  n += "-A KUBE-POSTROUTING" + Comment("kubernetes service traffic requiring SNAT") +
       " -j MASQUERADE --random-fully\n";
  n += "-A KUBE-MARK-MASQ -j MARK --or-mark " + cfg.masquerade_mark + "\n";
  for (const auto& p : d.ports) n += p->nat_services;
  for (const auto& p : d.ports) n += p->nat_nodeports;
  // Node ports last, for local destinations only (so a ClusterIP rule wins).
  n += "-A KUBE-SERVICES" +
       Comment("kubernetes service nodeports; NOTE: this must be the last rule in this chain") +
       " -m addrtype --dst-type LOCAL -j KUBE-NODEPORTS\n";

  d.top_hash = HashText(d.filter) * 31 + HashText(d.nat_top_rules);
  return d;
}

DesiredRules BuildDesiredRules(const std::vector<ServicePort>& ports, const RulesConfig& cfg) {
  const bool large = IsLargeCluster(ports, cfg);
  std::vector<std::shared_ptr<const ServicePortRules>> parts;
  parts.reserve(ports.size());
  for (const ServicePort& sp : ports) {
    parts.push_back(std::make_shared<const ServicePortRules>(BuildServicePortRules(sp, cfg, large)));
  }
  return AssembleRules(std::move(parts), cfg, large);
}

std::string RenderRestore(const DesiredRules* top, const std::vector<const ChainRules*>& chains,
                          const std::vector<std::string>& deleted) {
  std::string out;
  size_t size = 16;
  for (const ChainRules* c : chains) size += c->rules.size() + c->name.size() + 10;
  if (top) size += top->filter.size() + top->nat_top_rules.size() + 200;
  out.reserve(size + deleted.size() * 48);
  if (top) out += top->filter;
  if (!top && chains.empty() && deleted.empty()) return out;

  out += "*nat\n";
  std::vector<const std::string*> names;
  names.reserve(chains.size() + deleted.size() + 4);
  if (top) {
    for (const std::string& c : NatTopLevelChains()) names.push_back(&c);
  }
  for (const ChainRules* c : chains) names.push_back(&c->name);
  for (const std::string& c : deleted) names.push_back(&c);
  std::sort(names.begin(), names.end(),
            [](const std::string* a, const std::string* b) { return *a < *b; });
  for (const std::string* c : names) Declare(&out, *c);
  for (const ChainRules* c : chains) out += c->rules;
  if (top) out += top->nat_top_rules;
  for (const std::string& c : deleted) out += "-X " + c + "\n";
  out += "COMMIT\n";
  return out;
}

RuleSet BuildRules(const std::vector<ServicePort>& ports, const RulesConfig& cfg,
                   const std::set<std::string>& existing_nat_chains) {
  DesiredRules d = BuildDesiredRules(ports, cfg);
  RuleSet rs;
  std::vector<const ChainRules*> chains;
  for (const std::string& c : NatTopLevelChains()) rs.nat_chains.insert(c);
  for (const std::string& c : FilterTopLevelChains()) rs.filter_chains.insert(c);
  for (const auto& p : d.ports) {
    for (const ChainRules& c : p->chains) {
      chains.push_back(&c);
      rs.nat_chains.insert(c.name);
    }
  }
  // Stale per-service chains: flushed by being declared, then deleted.
  std::vector<std::string> stale;
  for (const std::string& c : existing_nat_chains) {
    if (IsServicePortChain(c) && !rs.nat_chains.count(c)) stale.push_back(c);
  }
  rs.text = RenderRestore(&d, chains, stale);
  return rs;
}

std::set<std::string> ParseSaveChains(const std::string& save_output, const std::string& table) {
  std::set<std::string> out;
  std::istringstream in(save_output);
  std::string line;
  bool in_table = false;
  while (std::getline(in, line)) {
    if (!line.empty() && line[0] == '*') {
      in_table = line.substr(1) == table;
    } else if (in_table && !line.empty() && line[0] == ':') {
      size_t sp = line.find(' ');
      out.insert(line.substr(1, sp == std::string::npos ? std::string::npos : sp - 1));
    }
  }
  return out;
}

std::vector<JumpRule> JumpRules() {
  auto c = [](const char* text) { return std::vector<std::string>{"-m", "comment", "--comment", text}; };
  auto join = [](std::vector<std::string> a, std::vector<std::string> b) {
    a.insert(a.end(), b.begin(), b.end());
    return a;
  };
  std::vector<JumpRule> r;
  for (const char* chain : {"PREROUTING", "OUTPUT"}) {
    r.push_back({"nat", chain, join(c("kubernetes service portals"), {"-j", "KUBE-SERVICES"})});
  }
  r.push_back({"nat", "POSTROUTING",
               join(c("kubernetes postrouting rules"), {"-j", "KUBE-POSTROUTING"})});
  for (const char* chain : {"INPUT", "FORWARD", "OUTPUT"}) {
    r.push_back({"filter", chain,
                 join({"-m", "conntrack", "--ctstate", "NEW"},
                      join(c("kubernetes service portals"), {"-j", "KUBE-SERVICES"}))});
  }
  for (const char* chain : {"INPUT", "FORWARD", "OUTPUT"}) {
    r.push_back({"filter", chain,
                 join({"-m", "conntrack", "--ctstate", "NEW"},
                      join(c("kubernetes externally-visible service portals"),
                           {"-j", "KUBE-EXTERNAL-SERVICES"}))});
  }
  r.push_back({"filter", "FORWARD", join(c("kubernetes forwarding rules"), {"-j", "KUBE-FORWARD"})});
  return r;
}

std::string JumpRuleSaveLine(const JumpRule& j) {
  std::string line = "-A " + j.chain;
  for (const std::string& a : j.args) {
    line += ' ';
    line += a.find(' ') != std::string::npos ? "\"" + a + "\"" : a;
  }
  return line;
}

bool SaveHasRule(const std::string& save_output, const std::string& rule_line) {
  size_t pos = 0;
  while ((pos = save_output.find(rule_line, pos)) != std::string::npos) {
    const size_t end = pos + rule_line.size();
    const bool starts_line = pos == 0 || save_output[pos - 1] == '\n';
    const bool ends_line = end == save_output.size() || save_output[end] == '\n';
    if (starts_line && ends_line) return true;
    pos = end;
  }
  return false;
}

}  // namespace kc::proxy
