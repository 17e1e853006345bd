#include "pkg/proxy/service_ports.h"

#include <algorithm>
#include <map>
#include <tuple>

#include "pkg/api/json_path.h"

namespace kc::proxy {
namespace {

std::string Str(const boost::json::value* v) {
  return v && v->is_string() ? std::string(v->get_string()) : "";
}

bool Bool(const boost::json::object& o, const char* key, bool def) {
  const boost::json::value* v = o.if_contains(key);
  return v && v->is_bool() ? v->get_bool() : def;
}

}  // namespace

std::string ServicePort::PortName() const {
  std::string s = ns + "/" + name;
  if (!port_name.empty()) s += ":" + port_name;
  return s;
}

std::vector<ServicePort> BuildServicePorts(const std::vector<client::ObjectPtr>& services,
                                           const std::vector<client::ObjectPtr>& slices) {
  // "ns/svc" → slices of that Service.
  std::map<std::string, std::vector<const client::Object*>> by_service;
  for (const client::ObjectPtr& s : slices) {
    const boost::json::value* l = api::Lookup(*s, "metadata.labels");
    if (!l || !l->is_object()) continue;
    std::string svc = api::GetString(l->get_object(), "kubernetes.io/service-name");
    if (svc.empty()) continue;
    if (Str(s->if_contains("addressType")) != "IPv4") continue;
    by_service[client::ObjectMetaString(*s, "namespace") + "/" + svc].push_back(s.get());
  }

  std::vector<ServicePort> out;
  for (const client::ObjectPtr& sp : services) {
    const client::Object& svc = *sp;
    std::string type = Str(api::Lookup(svc, "spec.type"));
    if (type.empty()) type = "ClusterIP";
    if (type == "ExternalName") continue;
    std::string cluster_ip = Str(api::Lookup(svc, "spec.clusterIP"));
    if (cluster_ip.empty() || cluster_ip == "None") continue;
    const boost::json::value* ports = api::Lookup(svc, "spec.ports");
    if (!ports || !ports->is_array()) continue;

    std::vector<std::string> external;
    if (const boost::json::value* e = api::Lookup(svc, "spec.externalIPs"); e && e->is_array()) {
      for (const boost::json::value& ip : e->get_array()) {
        if (ip.is_string()) external.emplace_back(ip.get_string());
      }
    }
    if (const boost::json::value* in = api::Lookup(svc, "status.loadBalancer.ingress");
        in && in->is_array()) {
      for (const boost::json::value& i : in->get_array()) {
        if (i.is_object()) {
          std::string ip = api::GetString(i.get_object(), "ip");
          if (!ip.empty()) external.push_back(ip);
        }
      }
    }
    int64_t affinity = 0;
    if (Str(api::Lookup(svc, "spec.sessionAffinity")) == "ClientIP") {
      affinity = 10800;
      if (const boost::json::value* t =
              api::Lookup(svc, "spec.sessionAffinityConfig.clientIP.timeoutSeconds");
          t && t->is_int64()) {
        affinity = t->get_int64();
      }
    }
    const std::string ns = client::ObjectMetaString(svc, "namespace");
    const std::string name = client::ObjectMetaString(svc, "name");
    const std::vector<const client::Object*>& svc_slices = by_service[ns + "/" + name];

    for (const boost::json::value& pv : ports->get_array()) {
      if (!pv.is_object()) continue;
      const boost::json::object& p = pv.get_object();
      ServicePort s;
      s.ns = ns;
      s.name = name;
      s.port_name = api::GetString(p, "name");
      s.protocol = api::GetString(p, "protocol");
      if (s.protocol.empty()) s.protocol = "TCP";
      s.type = type;
      s.cluster_ip = cluster_ip;
      s.port = api::GetInt64(p, "port");
      if (type == "NodePort" || type == "LoadBalancer") s.node_port = api::GetInt64(p, "nodePort");
      s.external_ips = external;
      s.affinity_timeout = affinity;
      s.external_local = Str(api::Lookup(svc, "spec.externalTrafficPolicy")) == "Local";

      std::vector<ProxyEndpoint> ready, fallback;
      for (const client::Object* slice : svc_slices) {
        // The slice port that matches this Service port (by name and protocol).
        int64_t port = 0;
        if (const boost::json::value* sps = slice->if_contains("ports"); sps && sps->is_array()) {
          for (const boost::json::value& x : sps->get_array()) {
            if (!x.is_object()) continue;
            std::string proto = api::GetString(x.get_object(), "protocol");
            if (proto.empty()) proto = "TCP";
            if (api::GetString(x.get_object(), "name") == s.port_name && proto == s.protocol) {
              port = api::GetInt64(x.get_object(), "port");
            }
          }
        }
        if (port <= 0) continue;
        const boost::json::value* eps = slice->if_contains("endpoints");
        if (!eps || !eps->is_array()) continue;
        for (const boost::json::value& ev : eps->get_array()) {
          if (!ev.is_object()) continue;
          const boost::json::object& e = ev.get_object();
          const boost::json::array* addrs = api::GetArray(e, "addresses");
          if (!addrs || addrs->empty() || !(*addrs)[0].is_string()) continue;
          ProxyEndpoint pe;
          pe.ip = std::string((*addrs)[0].get_string());
          pe.port = port;
          const boost::json::object* cond = api::GetObject(e, "conditions");
          static const boost::json::object kNone;
          const boost::json::object& c = cond ? *cond : kNone;
          pe.ready = Bool(c, "ready", true);  // unset ready means ready (API semantics)
          pe.serving = Bool(c, "serving", pe.ready);
          pe.terminating = Bool(c, "terminating", false);
          pe.node_name = api::GetString(e, "nodeName");
          if (pe.ready) {
            ready.push_back(pe);
          } else if (pe.serving && pe.terminating) {
            fallback.push_back(pe);
          }
        }
      }
      s.endpoints = ready.empty() ? std::move(fallback) : std::move(ready);
      std::sort(s.endpoints.begin(), s.endpoints.end());
      s.endpoints.erase(std::unique(s.endpoints.begin(), s.endpoints.end(),
                                    [](const ProxyEndpoint& a, const ProxyEndpoint& b) {
                                      return a.ip == b.ip && a.port == b.port;
                                    }),
                        s.endpoints.end());
      out.push_back(std::move(s));
    }
  }
  std::sort(out.begin(), out.end(), [](const ServicePort& a, const ServicePort& b) {
    return std::tie(a.ns, a.name, a.port_name, a.protocol) <
           std::tie(b.ns, b.name, b.port_name, b.protocol);
  });
  return out;
}

}  // namespace kc::proxy
