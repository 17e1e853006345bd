#include "pkg/apiserver/service_allocation.h"

#include <boost/json/array.hpp>

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
