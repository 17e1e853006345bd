// Networking kinds other than Service: Endpoints, EndpointSlice, Ingress.
#include <set>

#include "pkg/api/name_validation.h"
#include "pkg/api/validation_internal.h"

namespace kc::api::validation {
namespace {

constexpr const char* kIPError = "must be a valid IP address, (e.g. 10.9.8.7 or 2001:db8::ffff)";

// DNS-1123 subdomain allowing a leading "*." wildcard label.
std::vector<std::string> IsWildcardOrSubdomain(std::string_view host) {
  if (host.substr(0, 2) == "*.") {
    auto errs = IsDNS1123Subdomain(host.substr(2));
    if (!errs.empty()) {
      return {
          "a wildcard DNS-1123 subdomain must start with '*.', followed by a valid DNS subdomain, "
          "which must "
          "consist of lower case alphanumeric characters, '-' or '.' and end with an alphanumeric "
          "character (e.g. '*.example.com', regex used for validation is "
          "'\\*\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')"};
    }
    return {};
  }
  return IsDNS1123Subdomain(host);
}

ErrorList ValidateIngressBackend(const json::object* backend, const Path& p) {
  ErrorList errs;
  const json::object* svc = GetObj(backend, "service");
  bool has_resource = Has(backend, "resource");
  if (has_resource && svc) {
    errs.push_back(InvalidStr(p, "", "cannot set both resource and service backends"));
    return errs;
  }
  if (has_resource) {
    const json::object* r = GetObj(backend, "resource");
    if (GetStr(r, "kind").empty()) errs.push_back(Required(p.Child("resource", "kind")));
    if (GetStr(r, "name").empty()) errs.push_back(Required(p.Child("resource", "name")));
    return errs;
  }
  if (svc == nullptr) {
    errs.push_back(InvalidStr(p, "", "resource or service backend is required"));
    return errs;
  }
  std::string_view name = GetStr(svc, "name");
  if (name.empty()) {
    errs.push_back(Required(p.Child("service", "name")));
  } else {
    for (auto& msg : IsDNS1035Label(name))
      errs.push_back(InvalidStr(p.Child("service", "name"), name, msg));
  }
  const json::object* port = GetObj(svc, "port");
  std::string_view port_name = GetStr(port, "name");
  int64_t port_num = GetInt(port, "number").value_or(0);
  if (!port_name.empty() && port_num != 0) {
    errs.push_back(InvalidStr(p, "", "cannot set both port name & port number"));
  } else if (!port_name.empty()) {
    for (auto& msg : IsValidPortName(port_name)) {
      errs.push_back(InvalidStr(p.Child("service", "port", "name"), port_name, msg));
    }
  } else if (port_num != 0) {
    for (auto& msg : IsValidPortNum(port_num)) {
      errs.push_back(InvalidInt(p.Child("service", "port", "number"), port_num, msg));
    }
  } else {
    errs.push_back(Required(p, "port name or number is required"));
  }
  return errs;
}

}  // namespace

ErrorList ValidateEndpoints(const ResourceInfo& ri, const json::object& obj) {
  ErrorList errs = ValidateObjectMeta(ri, obj);
  const json::array* subsets = GetArr(obj, "subsets");
  if (subsets == nullptr) return errs;
  for (size_t i = 0; i < subsets->size(); ++i) {
    const json::object* ss = (*subsets)[i].if_object();
    Path ip = Path("subsets").Index(i);
    if (Len(ss, "addresses") == 0 && Len(ss, "notReadyAddresses") == 0) {
      errs.push_back(Required(ip, "must specify `addresses` or `notReadyAddresses`"));
    }
    for (const char* list : {"addresses", "notReadyAddresses"}) {
      const json::array* addrs = GetArr(ss, list);
      if (addrs == nullptr) continue;
      for (size_t j = 0; j < addrs->size(); ++j) {
        std::string_view addr = GetStr((*addrs)[j].if_object(), "ip");
        if (!IsValidIP(addr))
          errs.push_back(InvalidStr(ip.Child(list).Index(j).Child("ip"), addr, kIPError));
      }
    }
    const json::array* ports = GetArr(ss, "ports");
    if (ports == nullptr) continue;
    std::set<std::string> names;
    for (size_t j = 0; j < ports->size(); ++j) {
      const json::object* port = (*ports)[j].if_object();
      Path pp = ip.Child("ports").Index(j);
      std::string_view name = GetStr(port, "name");
      if (ports->size() > 1 && name.empty()) {
        errs.push_back(Required(pp.Child("name")));
      } else if (!name.empty()) {
        Append(errs, ValidateDNS1123Label(name, pp.Child("name")));
        if (!names.insert(std::string(name)).second)
          errs.push_back(Duplicate(pp.Child("name"), name));
      }
      int64_t num = GetInt(port, "port").value_or(0);
      for (auto& msg : IsValidPortNum(num)) errs.push_back(InvalidInt(pp.Child("port"), num, msg));
      std::string_view proto = GetStr(port, "protocol");
      if (proto.empty()) {
        errs.push_back(Required(pp.Child("protocol")));
      } else if (proto != "TCP" && proto != "UDP" && proto != "SCTP") {
        errs.push_back(NotSupported(pp.Child("protocol"), proto, {"SCTP", "TCP", "UDP"}));
      }
    }
  }
  return errs;
}

ErrorList ValidateEndpointSlice(const ResourceInfo& ri, const json::object& obj) {
  ErrorList errs = ValidateObjectMeta(ri, obj);
  std::string_view address_type = GetStr(obj, "addressType");
  bool known_type = address_type == "IPv4" || address_type == "IPv6" || address_type == "FQDN";
  if (const json::array* endpoints = GetArr(obj, "endpoints")) {
    if (endpoints->size() > 1000)
      errs.push_back(TooMany(Path("endpoints"), endpoints->size(), 1000));
    for (size_t i = 0; i < endpoints->size(); ++i) {
      const json::object* ep = (*endpoints)[i].if_object();
      Path ip = Path("endpoints").Index(i);
      const json::array* addrs = GetArr(ep, "addresses");
      if (addrs == nullptr || addrs->empty()) {
        errs.push_back(Required(ip.Child("addresses"), "must contain at least 1 address"));
      } else if (addrs->size() > 100) {
        errs.push_back(TooMany(ip.Child("addresses"), addrs->size(), 100));
      } else if (known_type) {
        for (size_t j = 0; j < addrs->size(); ++j) {
          std::string_view a =
              (*addrs)[j].is_string() ? std::string_view((*addrs)[j].get_string()) : "";
          Path ap = ip.Child("addresses").Index(j);
          if (address_type == "FQDN") {
            Append(errs, ValidateDNS1123Subdomain(a, ap));
          } else if (!IsValidIP(a) || IsIPv6(a) != (address_type == "IPv6")) {
            errs.push_back(InvalidStr(ap, a,
                                      address_type == "IPv6" ? "must be a valid IPv6 address"
                                                             : "must be a valid IPv4 address"));
          }
        }
      }
      if (const json::object* hints = GetObj(ep, "hints")) {
        if (Len(hints, "forZones") > 8)
          errs.push_back(TooMany(ip.Child("hints", "forZones"), Len(hints, "forZones"), 8));
      }
      std::string_view hostname = GetStr(ep, "hostname");
      if (!hostname.empty()) Append(errs, ValidateDNS1123Label(hostname, ip.Child("hostname")));
    }
  }
  if (const json::array* ports = GetArr(obj, "ports")) {
    std::set<std::string> names;
    for (size_t i = 0; i < ports->size(); ++i) {
      const json::object* port = (*ports)[i].if_object();
      Path pp = Path("ports").Index(i);
      std::string_view name = GetStr(port, "name");
      if (!name.empty()) Append(errs, ValidateDNS1123Label(name, pp.Child("name")));
      if (!names.insert(std::string(name)).second)
        errs.push_back(Duplicate(pp.Child("name"), name));
      std::string_view proto = GetStr(port, "protocol");
      if (proto.empty()) {
        errs.push_back(Required(pp.Child("protocol")));
      } else if (proto != "TCP" && proto != "UDP" && proto != "SCTP") {
        errs.push_back(NotSupported(pp.Child("protocol"), proto, {"SCTP", "TCP", "UDP"}));
      }
      if (Has(port, "appProtocol"))
        Append(errs, ValidateQualifiedName(GetStr(port, "appProtocol"), pp.Child("appProtocol")));
    }
  }
  if (address_type.empty()) {
    errs.push_back(Required(Path("addressType")));
  } else if (!known_type) {
    errs.push_back(NotSupported(Path("addressType"), address_type, {"FQDN", "IPv4", "IPv6"}));
  }
  return errs;
}

ErrorList ValidateEndpointSliceUpdate(const ResourceInfo& ri, const json::object& obj,
                                      const json::object& old) {
  ErrorList errs = ValidateObjectMetaUpdate(obj, old);
  Append(errs, ValidateImmutable(&obj, &old, "addressType", Path("addressType")));
  (void)ri;
  return errs;
}

ErrorList ValidateIngress(const ResourceInfo& ri, const json::object& obj) {
  ErrorList errs = ValidateObjectMeta(ri, obj);
  Path sp("spec");
  const json::object* spec = GetObj(obj, "spec");
  const json::array* rules = GetArr(spec, "rules");
  if ((rules == nullptr || rules->empty()) && !Has(spec, "defaultBackend")) {
    errs.push_back(InvalidRendered(sp, "[]networking.IngressRule(nil)",
                                   "either `defaultBackend` or `rules` must be specified"));
  }
  if (const json::object* db = GetObj(spec, "defaultBackend")) {
    Append(errs, ValidateIngressBackend(db, sp.Child("defaultBackend")));
  }
  if (const json::array* tls = GetArr(spec, "tls")) {
    for (size_t i = 0; i < tls->size(); ++i) {
      const json::array* hosts = GetArr((*tls)[i].if_object(), "hosts");
      if (hosts == nullptr) continue;
      for (size_t j = 0; j < hosts->size(); ++j) {
        std::string_view h =
            (*hosts)[j].is_string() ? std::string_view((*hosts)[j].get_string()) : "";
        for (auto& msg : IsWildcardOrSubdomain(h)) {
          errs.push_back(InvalidStr(sp.Child("tls").Index(i).Child("hosts").Index(j), h, msg));
        }
      }
    }
  }
  if (rules) {
    for (size_t i = 0; i < rules->size(); ++i) {
      const json::object* rule = (*rules)[i].if_object();
      Path rp = sp.Child("rules").Index(i);
      std::string_view host = GetStr(rule, "host");
      if (!host.empty()) {
        if (IsValidIP(host)) {
          errs.push_back(
              InvalidStr(rp.Child("host"), host, "must be a DNS name, not an IP address"));
        }
        for (auto& msg : IsWildcardOrSubdomain(host))
          errs.push_back(InvalidStr(rp.Child("host"), host, msg));
      }
      const json::object* http = GetObj(rule, "http");
      if (http == nullptr) continue;
      Path hp = rp.Child("http");
      const json::array* paths = GetArr(http, "paths");
      if (paths == nullptr || paths->empty()) {
        errs.push_back(Required(hp.Child("paths")));
        continue;
      }
      for (size_t j = 0; j < paths->size(); ++j) {
        const json::object* path = (*paths)[j].if_object();
        Path pp = hp.Child("paths").Index(j);
        std::string_view pt = GetStr(path, "pathType");
        std::string_view value = GetStr(path, "path");
        if (pt.empty()) {
          errs.push_back(Required(pp.Child("pathType"), "pathType must be specified"));
        } else if (pt == "Exact" || pt == "Prefix") {
          if (value.empty() || value.front() != '/') {
            errs.push_back(InvalidStr(pp.Child("path"), value, "must be an absolute path"));
          }
        } else if (pt == "ImplementationSpecific") {
          if (!value.empty() && value.front() != '/') {
            errs.push_back(InvalidStr(pp.Child("path"), value, "must be an absolute path"));
          }
        } else {
          errs.push_back(NotSupported(pp.Child("pathType"), pt,
                                      {"Exact", "ImplementationSpecific", "Prefix"}));
        }
        Append(errs, ValidateIngressBackend(GetObj(path, "backend"), pp.Child("backend")));
      }
    }
  }
  std::string_view cls = GetStr(spec, "ingressClassName");
  if (!cls.empty()) Append(errs, ValidateDNS1123Subdomain(cls, sp.Child("ingressClassName")));
  return errs;
}

}  // namespace kc::api::validation
