// Service, Endpoints and EndpointSlice defaults, including the registry's create-time
// clusterIPs / IP-family normalization (cluster IP allocation itself is the server's job).
#include "pkg/api/defaults_internal.h"
#include "pkg/api/name_validation.h"
#include "pkg/api/validation_field.h"

namespace kc::api::defaults {
namespace {

using validation::EnsureObj;
using validation::GetStr;
using validation::Has;
using validation::MutArr;
using validation::MutObj;
using validation::SetDefault;
using validation::SetDefaultStr;

void DefaultIPFamilies(json::object& spec) {
  if (GetStr(spec, "type") == "ExternalName") return;
  std::string_view cluster_ip = GetStr(spec, "clusterIP");
  if (!cluster_ip.empty() && validation::Len(&spec, "clusterIPs") == 0) {
    json::array ips;
    ips.push_back(json::string(cluster_ip));
    spec["clusterIPs"] = std::move(ips);
  }
  bool headless = GetStr(spec, "clusterIP") == "None";
  bool selectorless = validation::Len(&spec, "selector") == 0;
  if (!Has(spec, "ipFamilyPolicy")) {
    spec["ipFamilyPolicy"] = headless && selectorless ? "RequireDualStack" : "SingleStack";
  }
  if (validation::Len(&spec, "ipFamilies") == 0) {
    json::array families;
    const json::array* ips = validation::GetArr(spec, "clusterIPs");
    if (ips != nullptr && !headless) {
      for (const auto& ip : *ips) {
        if (!ip.is_string()) continue;
        families.push_back(IsIPv6(ip.get_string()) ? "IPv6" : "IPv4");
      }
    }
    if (families.empty()) {
      // An IPv4 single-stack cluster; headless selectorless services are dual-stack anyway.
      families.push_back("IPv4");
      if (headless && selectorless && GetStr(spec, "ipFamilyPolicy") != "SingleStack") {
        families.push_back("IPv6");
      }
    }
    spec["ipFamilies"] = std::move(families);
  }
}

}  // namespace

void DefaultService(json::object& obj) {
  json::object* spec = EnsureObj(obj, "spec");
  if (spec == nullptr) return;
  SetDefaultStr(*spec, "sessionAffinity", "None");
  std::string affinity(GetStr(*spec, "sessionAffinity"));
  if (affinity == "None") {
    spec->erase("sessionAffinityConfig");
  } else if (affinity == "ClientIP") {
    const json::object* cfg = validation::GetObj(*spec, "sessionAffinityConfig");
    const json::object* cip = validation::GetObj(cfg, "clientIP");
    if (!Has(cip, "timeoutSeconds")) {
      json::object client_ip;
      client_ip["timeoutSeconds"] = 10800;
      json::object config;
      config["clientIP"] = std::move(client_ip);
      (*spec)["sessionAffinityConfig"] = std::move(config);
    }
  }
  SetDefaultStr(*spec, "type", "ClusterIP");
  if (json::array* ports = MutArr(*spec, "ports")) {
    for (auto& pv : *ports) {
      json::object* port = pv.if_object();
      if (port == nullptr) continue;
      SetDefaultStr(*port, "protocol", "TCP");
      const json::value* target = port->if_contains("targetPort");
      bool unset = target == nullptr || target->is_null() ||
                   (target->is_string() && target->get_string().empty()) ||
                   (validation::AsInt(*target) && *validation::AsInt(*target) == 0);
      if (unset && port->contains("port")) {
        json::value number = port->at("port");
        (*port)["targetPort"] = std::move(number);
      }
    }
  }
  std::string type(GetStr(*spec, "type"));
  bool external = type == "NodePort" || type == "LoadBalancer" ||
                  (type == "ClusterIP" && validation::Len(spec, "externalIPs") > 0);
  if (external) SetDefaultStr(*spec, "externalTrafficPolicy", "Cluster");
  if (type == "ClusterIP" || type == "NodePort" || type == "LoadBalancer") {
    SetDefaultStr(*spec, "internalTrafficPolicy", "Cluster");
  }
  if (type == "LoadBalancer") SetDefault(*spec, "allocateLoadBalancerNodePorts", true);
  DefaultIPFamilies(*spec);

  if (json::object* status = EnsureObj(obj, "status")) {
    if (json::object* lb = EnsureObj(*status, "loadBalancer")) {
      if (type == "LoadBalancer") {
        if (json::array* ingress = MutArr(*lb, "ingress")) {
          for (auto& iv : *ingress) {
            json::object* in = iv.if_object();
            if (in && validation::HasStr(*in, "ip")) SetDefaultStr(*in, "ipMode", "VIP");
          }
        }
      }
    }
  }
}

void DefaultEndpoints(json::object& obj) {
  json::array* subsets = MutArr(obj, "subsets");
  if (subsets == nullptr) return;
  for (auto& ss : *subsets) {
    json::object* so = ss.if_object();
    json::array* ports = so ? MutArr(*so, "ports") : nullptr;
    if (ports == nullptr) continue;
    for (auto& p : *ports) {
      if (json::object* po = p.if_object()) SetDefaultStr(*po, "protocol", "TCP");
    }
  }
}

void DefaultEndpointSlice(json::object& obj) {
  json::array* ports = MutArr(obj, "ports");
  if (ports == nullptr) return;
  for (auto& p : *ports) {
    json::object* po = p.if_object();
    if (po == nullptr) continue;
    if (!po->contains("name") || po->at("name").is_null()) (*po)["name"] = "";
    SetDefaultStr(*po, "protocol", "TCP");
  }
}

}  // namespace kc::api::defaults
