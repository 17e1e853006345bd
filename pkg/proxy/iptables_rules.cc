#include "pkg/proxy/iptables_rules.h"

#include <openssl/sha.h>

#include <cstdio>
#include <sstream>

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

std::string Comment(const std::string& text) { return "-m comment --comment \"" + text + "\""; }

std::string Probability(size_t remaining) {
  char buf[32];
  std::snprintf(buf, sizeof(buf), "%0.10f", 1.0 / static_cast<double>(remaining));
  return buf;
}

bool IsKubeServiceChain(const std::string& c) {
  return c.rfind("KUBE-SVC-", 0) == 0 || c.rfind("KUBE-SEP-", 0) == 0 ||
         c.rfind("KUBE-EXT-", 0) == 0 || c.rfind("KUBE-SVL-", 0) == 0 ||
         c.rfind("KUBE-FW-", 0) == 0;
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

RuleSet BuildRules(const std::vector<ServicePort>& ports, const RulesConfig& cfg,
                   const std::set<std::string>& existing_nat_chains) {
  RuleSet rs;
  const std::string mark = cfg.masquerade_mark + "/" + cfg.masquerade_mark;
  std::ostringstream nat_rules, filter_rules;
  std::vector<std::string> nodeport_rules;

  for (const char* c : {"KUBE-SERVICES", "KUBE-NODEPORTS", "KUBE-POSTROUTING", "KUBE-MARK-MASQ"}) {
    rs.nat_chains.insert(c);
  }
  for (const char* c : {"KUBE-SERVICES", "KUBE-EXTERNAL-SERVICES", "KUBE-FORWARD",
                        "KUBE-NODEPORTS"}) {
    rs.filter_chains.insert(c);
  }
  nat_rules << "-A KUBE-POSTROUTING -m mark ! --mark " << mark << " -j RETURN\n"
            << "-A KUBE-POSTROUTING -j MARK --xor-mark " << cfg.masquerade_mark << "\n"
            << "-A KUBE-POSTROUTING " << Comment("kubernetes service traffic requiring SNAT")
            << " -j MASQUERADE --random-fully\n"
            << "-A KUBE-MARK-MASQ -j MARK --or-mark " << cfg.masquerade_mark << "\n";
  filter_rules << "-A KUBE-FORWARD -m conntrack --ctstate INVALID -j DROP\n"
               << "-A KUBE-FORWARD " << Comment("kubernetes forwarding rules") << " -m mark --mark "
               << mark << " -j ACCEPT\n"
               << "-A KUBE-FORWARD "
               << Comment("kubernetes forwarding conntrack rule")
               << " -m conntrack --ctstate RELATED,ESTABLISHED -j ACCEPT\n";

  for (const ServicePort& sp : ports) {
    const std::string name = sp.PortName();
    const std::string proto = Lower(sp.protocol);
    const std::string svc_chain = ServiceChain(sp);
    const std::string ext_chain = ExternalChain(sp);
    const bool has_endpoints = !sp.endpoints.empty();
    const std::string match = "-p " + proto + " -m " + proto;

    if (!has_endpoints) {
      // Nothing serves this port: refuse at once instead of letting connections hang.
      filter_rules << "-A KUBE-SERVICES " << Comment(name + " has no endpoints") << " -d "
                   << sp.cluster_ip << "/32 " << match << " --dport " << sp.port
                   << " -j REJECT --reject-with icmp-port-unreachable\n";
      for (const std::string& ip : sp.external_ips) {
        filter_rules << "-A KUBE-EXTERNAL-SERVICES " << Comment(name + " has no endpoints")
                     << " -d " << ip << "/32 " << match << " --dport " << sp.port
                     << " -j REJECT --reject-with icmp-port-unreachable\n";
      }
      if (sp.node_port > 0) {
        filter_rules << "-A KUBE-EXTERNAL-SERVICES " << Comment(name + " has no endpoints")
                     << " -m addrtype --dst-type LOCAL " << match << " --dport " << sp.node_port
                     << " -j REJECT --reject-with icmp-port-unreachable\n";
      }
      continue;
    }

    rs.nat_chains.insert(svc_chain);
    // ClusterIP.
    nat_rules << "-A KUBE-SERVICES " << Comment(name + " cluster IP") << " -d " << sp.cluster_ip
              << "/32 " << match << " --dport " << sp.port << " -j " << svc_chain << "\n";
    nat_rules << "-A " << svc_chain << " " << Comment(name + " cluster IP") << " -d "
              << sp.cluster_ip << "/32 " << match << " --dport " << sp.port << " ! -s "
              << cfg.cluster_cidr << " -j KUBE-MARK-MASQ\n";

    // External IPs and node ports go through the external chain, which masquerades.
    const bool external = sp.node_port > 0 || !sp.external_ips.empty();
    if (external) {
      rs.nat_chains.insert(ext_chain);
      nat_rules << "-A " << ext_chain << " " << Comment("masquerade traffic for " + name +
                                                        " external destinations")
                << " -j KUBE-MARK-MASQ\n"
                << "-A " << ext_chain << " -j " << svc_chain << "\n";
      for (const std::string& ip : sp.external_ips) {
        nat_rules << "-A KUBE-SERVICES " << Comment(name + " external IP") << " -d " << ip
                  << "/32 " << match << " --dport " << sp.port << " -j " << ext_chain << "\n";
      }
      if (sp.node_port > 0) {
        std::ostringstream r;
        r << "-A KUBE-NODEPORTS " << Comment(name) << " " << match << " --dport " << sp.node_port
          << " -j " << ext_chain << "\n";
        nodeport_rules.push_back(r.str());
      }
    }

    // Session affinity: a client seen recently goes to the same endpoint.
    std::vector<std::string> sep_chains;
    for (const ProxyEndpoint& ep : sp.endpoints) sep_chains.push_back(EndpointChain(sp, ep));
    if (sp.affinity_timeout > 0) {
      for (size_t i = 0; i < sp.endpoints.size(); ++i) {
        nat_rules << "-A " << svc_chain << " "
                  << Comment(name + " -> " + sp.endpoints[i].ip + ":" +
                             std::to_string(sp.endpoints[i].port))
                  << " -m recent --name " << sep_chains[i] << " --mask 255.255.255.255 --rcheck --seconds "
                  << sp.affinity_timeout << " --reap -j " << sep_chains[i] << "\n";
      }
    }
    // Random balancing: endpoint i of n is taken with probability 1/(n-i).
    for (size_t i = 0; i < sp.endpoints.size(); ++i) {
      const ProxyEndpoint& ep = sp.endpoints[i];
      const std::string dest = ep.ip + ":" + std::to_string(ep.port);
      nat_rules << "-A " << svc_chain << " " << Comment(name + " -> " + dest);
      if (i + 1 < sp.endpoints.size()) {
        nat_rules << " -m statistic --mode random --probability "
                  << Probability(sp.endpoints.size() - i);
      }
      nat_rules << " -j " << sep_chains[i] << "\n";
    }
    for (size_t i = 0; i < sp.endpoints.size(); ++i) {
      const ProxyEndpoint& ep = sp.endpoints[i];
      const std::string& sep = sep_chains[i];
      rs.nat_chains.insert(sep);
      const std::string dest = ep.ip + ":" + std::to_string(ep.port);
      // Hairpin: a pod reaching its own Service must see the reply come from the Service.
      nat_rules << "-A " << sep << " " << Comment(name) << " -s " << ep.ip
                << "/32 -j KUBE-MARK-MASQ\n";
      nat_rules << "-A " << sep << " " << Comment(name);
      if (sp.affinity_timeout > 0) {
        nat_rules << " -m recent --name " << sep << " --mask 255.255.255.255 --set";
      }
      nat_rules << " " << match << " -j DNAT --to-destination " << dest << "\n";
    }
  }
  // Node ports last, for local destinations only (so a ClusterIP rule wins).
  for (const std::string& r : nodeport_rules) nat_rules << r;
  nat_rules << "-A KUBE-SERVICES "
            << Comment("kubernetes service nodeports; NOTE: this must be the last rule in this chain")
            << " -m addrtype --dst-type LOCAL -j KUBE-NODEPORTS\n";

  // Stale per-service chains: flushed by being declared, then deleted.
  std::vector<std::string> stale;
  for (const std::string& c : existing_nat_chains) {
    if (IsKubeServiceChain(c) && !rs.nat_chains.count(c)) stale.push_back(c);
  }

  std::ostringstream text;
  text << "*filter\n";
  for (const std::string& c : rs.filter_chains) text << ":" << c << " - [0:0]\n";
  text << filter_rules.str() << "COMMIT\n*nat\n";
  for (const std::string& c : rs.nat_chains) text << ":" << c << " - [0:0]\n";
  for (const std::string& c : stale) text << ":" << c << " - [0:0]\n";
  text << nat_rules.str();
  for (const std::string& c : stale) text << "-X " << c << "\n";
  text << "COMMIT\n";
  rs.text = text.str();
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

}  // namespace kc::proxy
