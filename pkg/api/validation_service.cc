// Service validation (create and update).
#include <set>

#include "pkg/api/name_validation.h"
#include "pkg/api/validation_internal.h"

namespace kc::api::validation {
namespace {

constexpr const char* kIPError = "must be a valid IP address, (e.g. 10.9.8.7 or 2001:db8::ffff)";

bool IsHeadless(const json::object* spec) { return GetStr(spec, "clusterIP") == "None"; }

bool ExternallyAccessible(const json::object* spec) {
  std::string_view type = GetStr(spec, "type");
  return type == "LoadBalancer" || type == "NodePort" ||
         (type == "ClusterIP" && Len(spec, "externalIPs") > 0);
}

std::vector<std::string> StringList(const json::array* a) {
  std::vector<std::string> out;
  if (a == nullptr) return out;
  for (const auto& v : *a) out.emplace_back(v.is_string() ? std::string_view(v.get_string()) : "");
  return out;
}

std::string RenderStrings(const std::vector<std::string>& v) {
  if (v.empty()) return "[]string(nil)";
  std::string s = "[]string{";
  for (size_t i = 0; i < v.size(); ++i) s += (i ? ", " : "") + GoQuote(v[i]);
  return s + "}";
}

// %#v of a core.ServicePort key holding only protocol and port (the duplicate check's key).
std::string RenderServicePortKey(std::string_view protocol, int64_t port) {
  return "core.ServicePort{Name:\"\", Protocol:" + GoQuote(protocol) +
         ", AppProtocol:(*string)(nil), Port:" + std::to_string(port) +
         ", TargetPort:intstr.IntOrString{Type:0, IntVal:0, StrVal:\"\"}, NodePort:0}";
}

ErrorList ValidateServicePort(const json::object* port, bool require_name,
                              std::set<std::string>* names, const Path& p) {
  ErrorList errs;
  std::string_view name = GetStr(port, "name");
  if (require_name && name.empty()) {
    errs.push_back(Required(p.Child("name")));
  } else if (!name.empty()) {
    Append(errs, ValidateDNS1123Label(name, p.Child("name")));
    if (!names->insert(std::string(name)).second) errs.push_back(Duplicate(p.Child("name"), name));
  }
  int64_t num = GetInt(port, "port").value_or(0);
  for (auto& msg : IsValidPortNum(num)) errs.push_back(InvalidInt(p.Child("port"), num, msg));
  std::string_view proto = GetStr(port, "protocol");
  if (proto.empty()) {
    errs.push_back(Required(p.Child("protocol")));
  } else if (proto != "TCP" && proto != "UDP" && proto != "SCTP") {
    errs.push_back(NotSupported(p.Child("protocol"), proto, {"SCTP", "TCP", "UDP"}));
  }
  const json::value* target = port ? port->if_contains("targetPort") : nullptr;
  if (target && target->is_string()) {
    std::string_view tn = target->get_string();
    for (auto& msg : IsValidPortName(tn))
      errs.push_back(InvalidStr(p.Child("targetPort"), tn, msg));
  } else {
    int64_t tp = target ? AsInt(*target).value_or(0) : 0;
    for (auto& msg : IsValidPortNum(tp)) errs.push_back(InvalidInt(p.Child("targetPort"), tp, msg));
  }
  if (Has(port, "appProtocol"))
    Append(errs, ValidateQualifiedName(GetStr(port, "appProtocol"), p.Child("appProtocol")));
  return errs;
}

ErrorList ValidateClusterIPFields(const json::object* spec, const Path& sp) {
  ErrorList errs;
  if (GetStr(spec, "type") == "ExternalName") return errs;
  Path ips_path = sp.Child("clusterIPs");
  std::string_view cluster_ip = GetStr(spec, "clusterIP");
  std::vector<std::string> ips = StringList(GetArr(spec, "clusterIPs"));
  if (!cluster_ip.empty()) {
    if (ips.empty()) {
      errs.push_back(Required(ips_path));
    } else if (ips[0] != cluster_ip) {
      errs.push_back(
          InvalidRendered(ips_path, RenderStrings(ips), "first value must match `clusterIP`"));
    }
  } else if (!ips.empty()) {
    errs.push_back(InvalidRendered(ips_path, RenderStrings(ips),
                                   "must be empty when `clusterIP` is not specified"));
  }
  std::vector<std::string> families = StringList(GetArr(spec, "ipFamilies"));
  std::set<std::string> seen;
  for (size_t i = 0; i < families.size(); ++i) {
    if (families[i] != "IPv4" && families[i] != "IPv6") {
      errs.push_back(NotSupported(sp.Child("ipFamilies").Index(i), families[i], {"IPv4", "IPv6"}));
    }
    if (!seen.insert(families[i]).second)
      errs.push_back(Duplicate(sp.Child("ipFamilies").Index(i), families[i]));
  }
  if (Has(spec, "ipFamilyPolicy")) {
    std::string_view pol = GetStr(spec, "ipFamilyPolicy");
    if (pol != "SingleStack" && pol != "PreferDualStack" && pol != "RequireDualStack") {
      errs.push_back(NotSupported(sp.Child("ipFamilyPolicy"), pol,
                                  {"PreferDualStack", "RequireDualStack", "SingleStack"}));
    }
  }
  bool invalid_ips = false;
  for (size_t i = 0; i < ips.size(); ++i) {
    if (i == 0 && ips[i] == "None") {
      if (ips.size() > 1) {
        invalid_ips = true;
        errs.push_back(InvalidRendered(ips_path, RenderStrings(ips),
                                       "'None' must be the first and only value"));
      }
      continue;
    }
    if (!IsValidIP(ips[i])) {
      invalid_ips = true;
      errs.push_back(InvalidStr(ips_path.Index(i), ips[i], kIPError));
    }
  }
  if (ips.size() > 2)
    errs.push_back(InvalidRendered(ips_path, RenderStrings(ips), "may only hold up to 2 values"));
  if (invalid_ips) return errs;
  if (ips.size() > 1 && IsIPv6(ips[0]) == IsIPv6(ips[1])) {
    errs.push_back(InvalidRendered(ips_path, RenderStrings(ips),
                                   "may specify no more than one IP for each IP family"));
  }
  if (!IsHeadless(spec)) {
    for (size_t i = 0; i < ips.size() && i < families.size(); ++i) {
      if (families[i] == "IPv4" && IsIPv6(ips[i])) {
        errs.push_back(InvalidStr(
            ips_path.Index(i), ips[i],
            "expected an IPv4 value as indicated by `ipFamilies[" + std::to_string(i) + "]`"));
      }
      if (families[i] == "IPv6" && !IsIPv6(ips[i])) {
        errs.push_back(InvalidStr(
            ips_path.Index(i), ips[i],
            "expected an IPv6 value as indicated by `ipFamilies[" + std::to_string(i) + "]`"));
      }
    }
  }
  return errs;
}

}  // namespace

ErrorList ValidateService(const ResourceInfo& ri, const json::object& obj) {
  ErrorList errs = ValidateObjectMeta(ri, obj);
  Path sp("spec");
  const json::object* spec = GetObj(obj, "spec");
  std::string_view type = GetStr(spec, "type");
  const json::array* ports = GetArr(spec, "ports");
  size_t nports = ports ? ports->size() : 0;
  if (nports == 0 && !IsHeadless(spec) && type != "ExternalName")
    errs.push_back(Required(sp.Child("ports")));
  std::vector<std::string> cluster_ips = StringList(GetArr(spec, "clusterIPs"));
  if (type == "LoadBalancer") {
    if (IsHeadless(spec)) {
      errs.push_back(InvalidStr(sp.Child("clusterIPs").Index(0),
                                cluster_ips.empty() ? "None" : cluster_ips[0],
                                "may not be set to 'None' for LoadBalancer services"));
    }
    for (size_t i = 0; i < nports; ++i) {
      int64_t port = GetInt((*ports)[i].if_object(), "port").value_or(0);
      if (port == 10250) {
        errs.push_back(
            InvalidInt(sp.Child("ports").Index(i), port,
                       "may not expose port 10250 externally since it is used by kubelet"));
      }
    }
  } else if (type == "NodePort") {
    if (IsHeadless(spec)) {
      errs.push_back(InvalidStr(sp.Child("clusterIPs").Index(0),
                                cluster_ips.empty() ? "None" : cluster_ips[0],
                                "may not be set to 'None' for NodePort services"));
    }
  } else if (type == "ExternalName") {
    if (!cluster_ips.empty())
      errs.push_back(Forbidden(sp.Child("clusterIPs"), "may not be set for ExternalName services"));
    if (Len(spec, "ipFamilies") > 0)
      errs.push_back(Forbidden(sp.Child("ipFamilies"), "may not be set for ExternalName services"));
    if (Has(spec, "ipFamilyPolicy"))
      errs.push_back(
          Forbidden(sp.Child("ipFamilyPolicy"), "may not be set for ExternalName services"));
    std::string_view cname = GetStr(spec, "externalName");
    if (!cname.empty() && cname.back() == '.') cname.remove_suffix(1);
    if (!cname.empty()) {
      Append(errs, ValidateDNS1123Subdomain(cname, sp.Child("externalName")));
    } else {
      errs.push_back(Required(sp.Child("externalName")));
    }
  }
  std::set<std::string> names;
  for (size_t i = 0; i < nports; ++i) {
    Append(errs, ValidateServicePort((*ports)[i].if_object(), nports > 1, &names,
                                     sp.Child("ports").Index(i)));
  }
  if (Has(spec, "selector"))
    Append(errs, ValidateLabels(GetObj(spec, "selector"), sp.Child("selector")));
  std::string_view affinity = GetStr(spec, "sessionAffinity");
  if (affinity.empty()) {
    errs.push_back(Required(sp.Child("sessionAffinity")));
  } else if (affinity != "ClientIP" && affinity != "None") {
    errs.push_back(NotSupported(sp.Child("sessionAffinity"), affinity, {"ClientIP", "None"}));
  }
  Path ap = sp.Child("sessionAffinityConfig");
  if (affinity == "ClientIP") {
    const json::object* cfg = GetObj(spec, "sessionAffinityConfig");
    const json::object* cip = GetObj(cfg, "clientIP");
    if (cfg == nullptr) {
      errs.push_back(Required(ap, "when session affinity type is ClientIP"));
    } else if (cip == nullptr) {
      errs.push_back(Required(ap.Child("clientIP"), "when session affinity type is ClientIP"));
    } else if (!Has(cip, "timeoutSeconds")) {
      errs.push_back(Required(ap.Child("clientIP", "timeoutSeconds"),
                              "when session affinity type is ClientIP"));
    } else {
      int64_t t = GetInt(cip, "timeoutSeconds").value_or(0);
      if (t <= 0 || t > 86400) {
        errs.push_back(InvalidInt(ap.Child("clientIP", "timeoutSeconds"), t,
                                  "must be greater than 0 and less than 86400"));
      }
    }
  } else if (affinity == "None" && Has(spec, "sessionAffinityConfig")) {
    errs.push_back(Forbidden(ap, "must not be set when session affinity is None"));
  }
  Append(errs, ValidateClusterIPFields(spec, sp));
  std::vector<std::string> external_ips = StringList(GetArr(spec, "externalIPs"));
  for (size_t i = 0; i < external_ips.size(); ++i) {
    if (!IsValidIP(external_ips[i]))
      errs.push_back(InvalidStr(sp.Child("externalIPs").Index(i), external_ips[i], kIPError));
  }
  if (type.empty()) {
    errs.push_back(Required(sp.Child("type")));
  } else if (type != "ClusterIP" && type != "ExternalName" && type != "LoadBalancer" &&
             type != "NodePort") {
    errs.push_back(NotSupported(sp.Child("type"), type,
                                {"ClusterIP", "ExternalName", "LoadBalancer", "NodePort"}));
  }
  if (type == "ClusterIP") {
    for (size_t i = 0; i < nports; ++i) {
      if (GetInt((*ports)[i].if_object(), "nodePort").value_or(0) != 0) {
        errs.push_back(Forbidden(sp.Child("ports").Index(i).Child("nodePort"),
                                 "may not be used when `type` is 'ClusterIP'"));
      }
    }
  }
  std::set<std::string> node_ports, port_keys;
  for (size_t i = 0; i < nports; ++i) {
    const json::object* port = (*ports)[i].if_object();
    std::string proto(GetStr(port, "protocol"));
    int64_t np = GetInt(port, "nodePort").value_or(0);
    if (np != 0 && !node_ports.insert(proto + "/" + std::to_string(np)).second) {
      errs.push_back(
          DuplicateRendered(sp.Child("ports").Index(i).Child("nodePort"), std::to_string(np)));
    }
  }
  for (size_t i = 0; i < nports; ++i) {
    const json::object* port = (*ports)[i].if_object();
    std::string proto(GetStr(port, "protocol"));
    int64_t num = GetInt(port, "port").value_or(0);
    if (!port_keys.insert(proto + "/" + std::to_string(num)).second) {
      errs.push_back(
          DuplicateRendered(sp.Child("ports").Index(i), RenderServicePortKey(proto, num)));
    }
  }
  if (Len(spec, "loadBalancerSourceRanges") > 0 && type != "LoadBalancer") {
    errs.push_back(Forbidden(sp.Child("LoadBalancerSourceRanges"),
                             "may only be used when `type` is 'LoadBalancer'"));
  }
  if (Has(spec, "allocateLoadBalancerNodePorts") && type != "LoadBalancer") {
    errs.push_back(Forbidden(sp.Child("allocateLoadBalancerNodePorts"),
                             "may only be used when `type` is 'LoadBalancer'"));
  }
  if (type == "LoadBalancer" && !Has(spec, "allocateLoadBalancerNodePorts")) {
    errs.push_back(Required(Path("allocateLoadBalancerNodePorts")));
  }
  if (Has(spec, "loadBalancerClass")) {
    if (type != "LoadBalancer") {
      errs.push_back(Forbidden(sp.Child("loadBalancerClass"),
                               "may only be used when `type` is 'LoadBalancer'"));
    } else {
      Append(errs, ValidateQualifiedName(GetStr(spec, "loadBalancerClass"),
                                         sp.Child("loadBalancerClass")));
    }
  }
  std::string_view etp = GetStr(spec, "externalTrafficPolicy");
  if (!ExternallyAccessible(spec)) {
    if (!etp.empty()) {
      errs.push_back(InvalidStr(sp.Child("externalTrafficPolicy"), etp,
                                "may only be set for externally-accessible services"));
    }
  } else if (etp.empty()) {
    errs.push_back(Required(sp.Child("externalTrafficPolicy")));
  } else if (etp != "Cluster" && etp != "Local") {
    errs.push_back(NotSupported(sp.Child("externalTrafficPolicy"), etp, {"Cluster", "Local"}));
  }
  int64_t hc = GetInt(spec, "healthCheckNodePort").value_or(0);
  bool needs_hc = type == "LoadBalancer" && etp == "Local";
  if (!needs_hc && hc != 0) {
    errs.push_back(InvalidInt(
        sp.Child("healthCheckNodePort"), hc,
        "may only be set when `type` is 'LoadBalancer' and `externalTrafficPolicy` is 'Local'"));
  } else if (needs_hc && hc != 0) {
    for (auto& msg : IsValidPortNum(hc))
      errs.push_back(InvalidInt(sp.Child("healthCheckNodePort"), hc, msg));
  }
  if (!Has(spec, "internalTrafficPolicy")) {
    if (type == "NodePort" || type == "LoadBalancer" || type == "ClusterIP") {
      errs.push_back(Required(sp.Child("internalTrafficPolicy")));
    }
  } else {
    std::string_view itp = GetStr(spec, "internalTrafficPolicy");
    if (itp != "Cluster" && itp != "Local") {
      errs.push_back(NotSupported(sp.Child("internalTrafficPolicy"), itp, {"Cluster", "Local"}));
    }
  }
  if (Has(spec, "trafficDistribution")) {
    std::string_view td = GetStr(spec, "trafficDistribution");
    if (td != "PreferClose")
      errs.push_back(NotSupported(sp.Child("trafficDistribution"), td, {"PreferClose"}));
  }
  return errs;
}

ErrorList ValidateServiceUpdate(const ResourceInfo& ri, const json::object& obj,
                                const json::object& old) {
  ErrorList errs = ValidateObjectMetaUpdate(obj, old);
  const json::object* ns = GetObj(obj, "spec");
  const json::object* os = GetObj(old, "spec");
  Path sp("spec");
  bool external_name = GetStr(ns, "type") == "ExternalName" || GetStr(os, "type") == "ExternalName";
  if (!external_name && !(IsHeadless(ns) && IsHeadless(os))) {
    // Cluster IPs: same length → unchanged; shrinking keeps the primary and needs SingleStack.
    for (const char* field : {"clusterIPs", "ipFamilies"}) {
      std::vector<std::string> nv = StringList(GetArr(ns, field));
      std::vector<std::string> ov = StringList(GetArr(os, field));
      Path fp = sp.Child(field);
      bool ips = std::string_view(field) == "clusterIPs";
      std::string rendered = RenderStrings(nv);
      if (nv.size() == ov.size()) {
        for (size_t i = 0; i < ov.size(); ++i) {
          if (ov[i] != nv[i])
            errs.push_back(InvalidRendered(fp.Index(i), rendered, "may not change once set"));
        }
      } else if (ov.size() > nv.size()) {
        if (nv.empty()) {
          errs.push_back(InvalidRendered(
              fp.Index(0), rendered,
              ips ? "primary clusterIP can not be unset" : "primary ipFamily can not be unset"));
        }
        if (!ov.empty() && !nv.empty() && nv[0] != ov[0]) {
          errs.push_back(InvalidRendered(fp.Index(0), rendered, "may not change once set"));
        }
        if (nv.size() == 1 && GetStr(ns, "ipFamilyPolicy") != "SingleStack") {
          errs.push_back(InvalidRendered(fp.Index(0), rendered,
                                         ips ? "`ipFamilyPolicy` must be set to 'SingleStack' when "
                                               "releasing the secondary clusterIP"
                                             : "`ipFamilyPolicy` must be set to 'SingleStack' when "
                                               "releasing the secondary ipFamily"));
        }
      } else if (!ov.empty() && nv[0] != ov[0]) {
        errs.push_back(InvalidRendered(fp.Index(0), rendered, "may not change once set"));
      }
    }
  }
  if (GetStr(ns, "type") == "LoadBalancer" && GetStr(os, "type") == "LoadBalancer") {
    const json::value* nc = ns ? ns->if_contains("loadBalancerClass") : nullptr;
    const json::value* oc = os ? os->if_contains("loadBalancerClass") : nullptr;
    if (!SemanticEqual(nc, oc)) {
      errs.push_back(InvalidRendered(sp.Child("loadBalancerClass"),
                                     nc ? RenderValue(*nc) : "\"null\"",
                                     "may not change once set"));
    }
  }
  bool old_needs =
      GetStr(os, "type") == "LoadBalancer" && GetStr(os, "externalTrafficPolicy") == "Local";
  bool new_needs =
      GetStr(ns, "type") == "LoadBalancer" && GetStr(ns, "externalTrafficPolicy") == "Local";
  if (old_needs && new_needs &&
      GetInt(os, "healthCheckNodePort").value_or(0) !=
          GetInt(ns, "healthCheckNodePort").value_or(0)) {
    errs.push_back(Forbidden(sp.Child("healthCheckNodePort"), "field is immutable"));
  }
  (void)ri;
  return errs;
}

}  // namespace kc::api::validation
