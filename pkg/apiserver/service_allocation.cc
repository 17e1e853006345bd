#include "pkg/apiserver/service_allocation.h"

#include <algorithm>
#include <boost/json/array.hpp>
#include <map>

namespace kc::apiserver {
namespace json = boost::json;

namespace {

json::object* Spec(json::object& svc) {
  json::value& s = svc["spec"];
  if (!s.is_object()) s = json::object();
  return &s.get_object();
}

const json::object* SpecOf(const json::object& svc) {
  const json::value* s = svc.if_contains("spec");
  return s && s->is_object() ? &s->get_object() : nullptr;
}

std::string Str(const json::object& o, std::string_view k) {
  const json::value* v = o.if_contains(k);
  return v && v->is_string() ? std::string(v->get_string()) : "";
}

bool WantsNodePorts(const json::object& spec) {
  std::string type = Str(spec, "type");
  return type == "NodePort" || type == "LoadBalancer";
}

std::string NameOf(const json::object& svc) {
  const json::value* m = svc.if_contains("metadata");
  return m && m->is_object() ? Str(m->get_object(), "name") : "";
}

}  // namespace

api::Result<std::unique_ptr<ServiceAllocation>> ServiceAllocation::Create(
    const std::string& service_cidr, const std::string& node_ports) {
  auto ips = allocator::IpRange::Parse(service_cidr);
  if (!ips.ok()) return ips.status();
  auto ports = allocator::PortRange::Parse(node_ports);
  if (!ports.ok()) return ports.status();
  return std::unique_ptr<ServiceAllocation>(new ServiceAllocation(*ips, *ports));
}

api::Status ServiceAllocation::Assign(json::object& svc) {
  json::object& spec = *Spec(svc);
  if (Str(spec, "type") == "ExternalName") return api::Status::Ok();
  std::string ip = Str(spec, "clusterIP");
  std::string allocated_ip;
  if (ip.empty()) {
    auto next = ips_.AllocateNext();
    if (!next.ok()) return next.status();
    allocated_ip = *next;
    spec["clusterIP"] = allocated_ip;
    json::array ips;
    ips.emplace_back(allocated_ip);
    spec["clusterIPs"] = std::move(ips);
  } else if (ip != "None") {
    std::vector<std::string> requested{ip};
    if (auto s = ips_.Allocate(ip, requested); !s.ok()) {
      return api::Status::InvalidFor("Service", NameOf(svc), s.details().causes);
    }
    allocated_ip = ip;
    json::array ips;
    ips.emplace_back(ip);
    spec["clusterIPs"] = std::move(ips);
  } else {
    json::array ips;
    ips.emplace_back("None");
    spec["clusterIPs"] = std::move(ips);
  }
  if (!WantsNodePorts(spec)) return api::Status::Ok();
  std::vector<int64_t> taken;
  auto undo = [&] {
    for (int64_t p : taken) ports_.Release(p);
    if (!allocated_ip.empty()) ips_.Release(allocated_ip);
  };
  json::value* ports = spec.if_contains("ports");
  if (!ports || !ports->is_array()) return api::Status::Ok();
  for (size_t i = 0; i < ports->get_array().size(); ++i) {
    json::value& p = ports->get_array()[i];
    if (!p.is_object()) continue;
    json::object& po = p.get_object();
    const json::value* np = po.if_contains("nodePort");
    if (np && np->is_int64() && np->get_int64() != 0) {
      std::string field = "spec.ports[" + std::to_string(i) + "].nodePort";
      if (auto s = ports_.Allocate(np->get_int64(), field); !s.ok()) {
        undo();
        return api::Status::InvalidFor("Service", NameOf(svc), s.details().causes);
      }
      taken.push_back(np->get_int64());
    } else {
      auto next = ports_.AllocateNext();
      if (!next.ok()) {
        undo();
        return next.status();
      }
      po["nodePort"] = *next;
      taken.push_back(*next);
    }
  }
  return api::Status::Ok();
}

namespace {

int64_t NodePortOf(const json::object& port) {
  const json::value* np = port.if_contains("nodePort");
  return np && np->is_int64() ? np->get_int64() : 0;
}

std::string PortKey(const json::object& port) {
  const json::value* n = port.if_contains("port");
  std::string proto = Str(port, "protocol");
  return (n && n->is_int64() ? std::to_string(n->get_int64()) : "?") + "/" +
         (proto.empty() ? "TCP" : proto);
}

std::vector<int64_t> NodePortsOf(const json::object* spec) {
  std::vector<int64_t> out;
  const json::value* ports = spec ? spec->if_contains("ports") : nullptr;
  if (!ports || !ports->is_array()) return out;
  for (const auto& p : ports->get_array()) {
    if (p.is_object() && NodePortOf(p.get_object()) != 0) out.push_back(NodePortOf(p.get_object()));
  }
  return out;
}

}  // namespace

api::Result<ServiceAllocation::Claims> ServiceAllocation::AssignForUpdate(json::object& svc,
                                                                         const json::object& old) {
  Claims claims;
  json::object& spec = *Spec(svc);
  static const json::object kEmpty;
  const json::object& ospec = SpecOf(old) ? *SpecOf(old) : kEmpty;
  const std::string type = Str(spec, "type").empty() ? "ClusterIP" : Str(spec, "type");
  const std::string otype = Str(ospec, "type").empty() ? "ClusterIP" : Str(ospec, "type");
  const std::vector<int64_t> old_ports = NodePortsOf(&ospec);
  auto held_by_old = [&](int64_t p) {
    return std::find(old_ports.begin(), old_ports.end(), p) != old_ports.end();
  };
  auto same_as_old = [&](std::string_view key) {
    const json::value* a = spec.if_contains(key);
    const json::value* b = ospec.if_contains(key);
    return a && b && *a == *b;
  };

  // Fields that depend on the type, dropped when the type changed and the user left them as
  // they were (upstream's dropTypeDependentFields).
  if (type != otype) {
    if (!WantsNodePorts(spec)) {
      if (json::value* ports = spec.if_contains("ports"); ports && ports->is_array()) {
        for (auto& p : ports->get_array()) {
          if (p.is_object() && held_by_old(NodePortOf(p.get_object()))) {
            p.get_object().erase("nodePort");
          }
        }
      }
      if (same_as_old("externalTrafficPolicy")) spec.erase("externalTrafficPolicy");
    }
    if (type != "LoadBalancer") {
      if (same_as_old("allocateLoadBalancerNodePorts")) spec.erase("allocateLoadBalancerNodePorts");
      if (same_as_old("healthCheckNodePort")) spec.erase("healthCheckNodePort");
      if (same_as_old("loadBalancerClass")) spec.erase("loadBalancerClass");
    }
    if (type == "ExternalName") {
      if (same_as_old("clusterIP")) {
        spec.erase("clusterIP");
        spec.erase("clusterIPs");
        spec.erase("ipFamilies");
        spec.erase("ipFamilyPolicy");
      }
    }
  }

  // ClusterIP: carried over when left empty, allocated when the Service needs one now.
  if (type != "ExternalName") {
    std::string ip = Str(spec, "clusterIP");
    std::string oip = Str(ospec, "clusterIP");
    if (ip.empty() && !oip.empty()) {
      spec["clusterIP"] = oip;
      if (const json::value* ips = ospec.if_contains("clusterIPs")) spec["clusterIPs"] = *ips;
    } else if (ip.empty()) {
      auto next = ips_.AllocateNext();
      if (!next.ok()) return next.status();
      claims.ips.push_back(*next);
      spec["clusterIP"] = *next;
      spec["clusterIPs"] = json::array{json::value(*next)};
    } else if (ip != oip && ip != "None") {
      std::vector<std::string> requested{ip};
      if (auto s = ips_.Allocate(ip, requested); !s.ok()) {
        return api::Status::InvalidFor("Service", NameOf(svc), s.details().causes);
      }
      claims.ips.push_back(ip);
      spec["clusterIPs"] = json::array{json::value(ip)};
    }
  }

  // NodePorts: kept per port, allocated for ports that need one now.
  if (WantsNodePorts(spec)) {
    std::map<std::string, int64_t> old_by_port;
    if (const json::value* ops = ospec.if_contains("ports"); ops && ops->is_array()) {
      for (const auto& p : ops->get_array()) {
        if (p.is_object() && NodePortOf(p.get_object()) != 0) {
          old_by_port[PortKey(p.get_object())] = NodePortOf(p.get_object());
        }
      }
    }
    if (json::value* ports = spec.if_contains("ports"); ports && ports->is_array()) {
      for (size_t i = 0; i < ports->get_array().size(); ++i) {
        json::value& p = ports->get_array()[i];
        if (!p.is_object()) continue;
        json::object& po = p.get_object();
        int64_t np = NodePortOf(po);
        if (np == 0) {
          auto it = old_by_port.find(PortKey(po));
          if (it != old_by_port.end()) {
            po["nodePort"] = it->second;
            continue;
          }
          auto next = ports_.AllocateNext();
          if (!next.ok()) {
            Undo(claims);
            return next.status();
          }
          po["nodePort"] = *next;
          claims.node_ports.push_back(*next);
        } else if (!held_by_old(np)) {
          std::string field = "spec.ports[" + std::to_string(i) + "].nodePort";
          if (auto s = ports_.Allocate(np, field); !s.ok()) {
            Undo(claims);
            return api::Status::InvalidFor("Service", NameOf(svc), s.details().causes);
          }
          claims.node_ports.push_back(np);
        }
      }
    }
  }
  return claims;
}

void ServiceAllocation::Undo(const Claims& claims) {
  for (const std::string& ip : claims.ips) ips_.Release(ip);
  for (int64_t p : claims.node_ports) ports_.Release(p);
}

void ServiceAllocation::ReleaseDropped(const json::object& svc, const json::object& old) {
  const json::object* spec = SpecOf(svc);
  const json::object* ospec = SpecOf(old);
  if (!ospec) return;
  std::string oip = Str(*ospec, "clusterIP");
  std::string ip = spec ? Str(*spec, "clusterIP") : "";
  if (!oip.empty() && oip != "None" && oip != ip) ips_.Release(oip);
  std::vector<int64_t> now = NodePortsOf(spec);
  for (int64_t p : NodePortsOf(ospec)) {
    if (std::find(now.begin(), now.end(), p) == now.end()) ports_.Release(p);
  }
}

void ServiceAllocation::Restore(const json::object& svc) {
  const json::object* spec = SpecOf(svc);
  if (!spec) return;
  std::string ip = Str(*spec, "clusterIP");
  if (!ip.empty() && ip != "None" && ips_.range().Contains(ip)) (void)ips_.Allocate(ip);
  const json::value* ports = spec->if_contains("ports");
  if (!ports || !ports->is_array()) return;
  for (const auto& p : ports->get_array()) {
    if (!p.is_object()) continue;
    const json::value* np = p.get_object().if_contains("nodePort");
    if (np && np->is_int64() && np->get_int64() != 0) (void)ports_.Allocate(np->get_int64(), "");
  }
}

void ServiceAllocation::Release(const json::object& svc) {
  const json::object* spec = SpecOf(svc);
  if (!spec) return;
  std::string ip = Str(*spec, "clusterIP");
  if (!ip.empty() && ip != "None") ips_.Release(ip);
  const json::value* ports = spec->if_contains("ports");
  if (!ports || !ports->is_array()) return;
  for (const auto& p : ports->get_array()) {
    if (!p.is_object()) continue;
    const json::value* np = p.get_object().if_contains("nodePort");
    if (np && np->is_int64() && np->get_int64() != 0) ports_.Release(np->get_int64());
  }
}

}  // namespace kc::apiserver
