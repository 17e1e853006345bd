// Tables for service networking: Service, Endpoints, EndpointSlice, Ingress.
#include <set>
#include <string>

#include "pkg/printers/printer_registry.h"

namespace kc::printers::internal {
namespace {

// Load-balancer ingress entries (IP, else hostname), de-duplicated and sorted. The server builds
// tables in wide mode, so the text is never clipped.
std::string LoadBalancerIngress(const boost::json::object* load_balancer) {
  std::set<std::string> entries;
  if (const auto* ing = FindArr(load_balancer, "ingress")) {
    for (const auto& e : *ing) {
      const auto* eo = e.if_object();
      std::string ip = Str(eo, "ip");
      std::string host = Str(eo, "hostname");
      if (!ip.empty()) {
        entries.insert(ip);
      } else if (!host.empty()) {
        entries.insert(host);
      }
    }
  }
  return Join(std::vector<std::string>(entries.begin(), entries.end()), ",");
}

std::vector<std::string> StringList(const boost::json::array* arr) {
  std::vector<std::string> out;
  if (!arr) return out;
  for (const auto& v : *arr) {
    if (v.is_string()) out.emplace_back(v.get_string());
  }
  return out;
}

std::string ServiceExternalIP(const boost::json::object& svc) {
  const auto* spec = FindObj(svc, "spec");
  const std::string type = Str(spec, "type");
  const auto external_ips = StringList(FindArr(spec, "externalIPs"));
  if (type == "ClusterIP" || type == "NodePort") {
    return external_ips.empty() ? "<none>" : Join(external_ips, ",");
  }
  if (type == "LoadBalancer") {
    const std::string lb = LoadBalancerIngress(Path(svc, {"status", "loadBalancer"}));
    if (!external_ips.empty()) {
      std::string out = lb;
      for (const auto& ip : external_ips) {
        if (!out.empty()) out += ',';
        out += ip;
      }
      return out;
    }
    return lb.empty() ? "<pending>" : lb;
  }
  if (type == "ExternalName") return Str(spec, "externalName");
  return "<unknown>";
}

void ServiceCells(const boost::json::object& obj, TimePoint now, boost::json::array* cells) {
  const auto* spec = FindObj(obj, "spec");
  std::string cluster_ip;
  if (const auto* ips = FindArr(spec, "clusterIPs"); ips && !ips->empty() && (*ips)[0].is_string()) {
    cluster_ip = std::string((*ips)[0].get_string());
  } else {
    cluster_ip = Str(spec, "clusterIP");
  }
  if (cluster_ip.empty()) cluster_ip = "<none>";

  std::vector<std::string> ports;
  if (const auto* ps = FindArr(spec, "ports")) {
    for (const auto& p : *ps) {
      const auto* po = p.if_object();
      std::string proto = Str(po, "protocol");
      if (proto.empty()) proto = "TCP";  // the defaulted value
      const int64_t node_port = IntOr(po, "nodePort", 0);
      std::string piece = std::to_string(IntOr(po, "port", 0));
      if (node_port > 0) piece += ":" + std::to_string(node_port);
      ports.push_back(piece + "/" + proto);
    }
  }
  std::string port_str = Join(ports, ",");
  if (port_str.empty()) port_str = "<none>";

  cells->emplace_back(Name(obj));
  cells->emplace_back(Str(spec, "type"));
  cells->emplace_back(cluster_ip);
  cells->emplace_back(ServiceExternalIP(obj));
  cells->emplace_back(port_str);
  cells->emplace_back(Age(obj, now));
  cells->emplace_back(FormatLabels(FindObj(spec, "selector")));
}

// net.JoinHostPort: IPv6 literals are bracketed.
std::string JoinHostPort(const std::string& host, int64_t port) {
  if (host.find(':') != std::string::npos) return "[" + host + "]:" + std::to_string(port);
  return host + ":" + std::to_string(port);
}

std::string FormatEndpoints(const boost::json::object& obj) {
  const auto* subsets = FindArr(obj, "subsets");
  if (!subsets || subsets->empty()) return "<none>";
  constexpr size_t kMax = 3;
  std::vector<std::string> list;
  bool more = false;
  size_t count = 0;
  for (const auto& s : *subsets) {
    const auto* ss = s.if_object();
    const auto* addrs = FindArr(ss, "addresses");
    const auto* ports = FindArr(ss, "ports");
    const size_t naddr = addrs ? addrs->size() : 0;
    auto add_all = [&](const std::optional<int64_t>& port) {
      count += naddr;
      for (size_t i = 0; i < naddr; ++i) {
        if (list.size() == kMax) {
          more = true;
          break;
        }
        std::string ip = Str((*addrs)[i].if_object(), "ip");
        list.push_back(port ? JoinHostPort(ip, *port) : ip);
      }
    };
    if (!ports || ports->empty()) {
      add_all(std::nullopt);
      continue;
    }
    for (const auto& p : *ports) add_all(IntOr(p.if_object(), "port", 0));
  }
  std::string ret = Join(list, ",");
  if (more) return ret + " + " + std::to_string(count - kMax) + " more...";
  return ret;
}

void EndpointsCells(const boost::json::object& obj, TimePoint now, boost::json::array* cells) {
  cells->emplace_back(Name(obj));
  cells->emplace_back(FormatEndpoints(obj));
  cells->emplace_back(Age(obj, now));
}

// Keeps the first three entries and appends " + N more..."; "<unset>" when empty.
class MoreList {
 public:
  void Add(std::string s) {
    if (list_.size() < 3) {
      list_.push_back(std::move(s));
    } else {
      more_ = true;
    }
    ++count_;
  }
  std::string String() const {
    std::string ret = Join(list_, ",");
    if (more_) return ret + " + " + std::to_string(count_ - 3) + " more...";
    return ret.empty() ? "<unset>" : ret;
  }

 private:
  std::vector<std::string> list_;
  bool more_ = false;
  size_t count_ = 0;
};

void EndpointSliceCells(const boost::json::object& obj, TimePoint now,
                        boost::json::array* cells) {
  MoreList ports, endpoints;
  if (const auto* ps = FindArr(obj, "ports")) {
    for (const auto& p : *ps) {
      const auto* po = p.if_object();
      if (auto port = Int(po, "port")) {
        ports.Add(std::to_string(*port));
      } else if (po && po->if_contains("name") && po->at("name").is_string()) {
        ports.Add(Str(po, "name"));
      } else {
        ports.Add("*");
      }
    }
  }
  if (const auto* eps = FindArr(obj, "endpoints")) {
    for (const auto& e : *eps) {
      for (const auto& a : StringList(FindArr(e.if_object(), "addresses"))) endpoints.Add(a);
    }
  }
  cells->emplace_back(Name(obj));
  cells->emplace_back(Str(obj, "addressType"));
  cells->emplace_back(ports.String());
  cells->emplace_back(endpoints.String());
  cells->emplace_back(Age(obj, now));
}

void IngressCells(const boost::json::object& obj, TimePoint now, boost::json::array* cells) {
  const auto* spec = FindObj(obj, "spec");
  std::string class_name = "<none>";
  if (const auto* v = spec ? spec->if_contains("ingressClassName") : nullptr; v && v->is_string()) {
    class_name = std::string(v->get_string());
  }
  std::vector<std::string> hosts;
  bool more = false;
  size_t nrules = 0;
  if (const auto* rules = FindArr(spec, "rules")) {
    nrules = rules->size();
    for (const auto& r : *rules) {
      if (hosts.size() == 3) more = true;
      std::string host = Str(r.if_object(), "host");
      if (!more && !host.empty()) hosts.push_back(host);
    }
  }
  std::string host_str;
  if (hosts.empty()) {
    host_str = "*";
  } else {
    host_str = Join(hosts, ",");
    if (more) host_str += " + " + std::to_string(nrules - 3) + " more...";
  }
  const auto* tls = FindArr(spec, "tls");
  cells->emplace_back(Name(obj));
  cells->emplace_back(class_name);
  cells->emplace_back(host_str);
  cells->emplace_back(LoadBalancerIngress(Path(obj, {"status", "loadBalancer"})));
  cells->emplace_back(tls && !tls->empty() ? "80, 443" : "80");
  cells->emplace_back(Age(obj, now));
}

}  // namespace

void AddNetworkPrinters(PrinterMap* m) {
  (*m)[{"", "Service"}] = KindPrinter{
      {
          NameColumn(),
          Col("Type", "string", "How the service is exposed: ClusterIP, NodePort, LoadBalancer, ExternalName."),
          Col("Cluster-IP", "string", "The IP address of the service inside the cluster."),
          Col("External-IP", "string", "Addresses the service is reachable at from outside the cluster."),
          Col("Port(s)", "string", "The ports exposed by the service."),
          AgeColumn(),
          Col("Selector", "string", "Labels of the pods the service routes traffic to.", 1),
      },
      &ServiceCells};
  (*m)[{"", "Endpoints"}] = KindPrinter{
      {NameColumn(), Col("Endpoints", "string", "Ready endpoint addresses and ports."), AgeColumn()},
      &EndpointsCells};
  (*m)[{"discovery.k8s.io", "EndpointSlice"}] = KindPrinter{
      {
          NameColumn(),
          Col("AddressType", "string", "The type of address carried by this slice."),
          Col("Ports", "string", "The network ports exposed by the endpoints."),
          Col("Endpoints", "string", "Addresses of the endpoints in this slice."),
          AgeColumn(),
      },
      &EndpointSliceCells};
  (*m)[{"networking.k8s.io", "Ingress"}] = KindPrinter{
      {
          NameColumn(),
          Col("Class", "string", "The name of the IngressClass serving this ingress."),
          Col("Hosts", "string", "Hosts the ingress rules match."),
          Col("Address", "string", "Addresses of the load balancer serving the ingress."),
          Col("Ports", "string", "Ports the ingress is exposed on."),
          AgeColumn(),
      },
      &IngressCells};
}

}  // namespace kc::printers::internal
