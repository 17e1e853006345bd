#include "pkg/controllers/service_endpoints.h"

#include <algorithm>
#include <map>
#include <tuple>

#include "pkg/api/json_path.h"
#include "pkg/api/label_selector.h"
#include "pkg/controllers/controller_utils.h"
#include "pkg/controllers/object_meta.h"

namespace kc::controllers {
namespace {

std::string Str(const boost::json::value* v) {
  return v && v->is_string() ? std::string(v->get_string()) : "";
}

// The pod's port for one Service port, or 0 when the pod has no such named port.
int64_t ResolveTargetPort(const boost::json::object& svc_port, const client::Object& pod) {
  const boost::json::value* tp = svc_port.if_contains("targetPort");
  if (!tp || tp->is_null()) return api::GetInt64(svc_port, "port");
  if (tp->is_int64()) return tp->get_int64();
  if (tp->is_uint64()) return static_cast<int64_t>(tp->get_uint64());
  if (!tp->is_string()) return 0;
  std::string name(tp->get_string());
  std::string proto = api::GetString(svc_port, "protocol");
  if (proto.empty()) proto = "TCP";
  const boost::json::value* cs = api::Lookup(pod, "spec.containers");
  if (!cs || !cs->is_array()) return 0;
  for (const boost::json::value& c : cs->get_array()) {
    const boost::json::array* ports = c.is_object() ? api::GetArray(c.get_object(), "ports") : nullptr;
    if (!ports) continue;
    for (const boost::json::value& p : *ports) {
      if (!p.is_object()) continue;
      const boost::json::object& po = p.get_object();
      std::string pproto = api::GetString(po, "protocol");
      if (pproto.empty()) pproto = "TCP";
      if (api::GetString(po, "name") == name && pproto == proto) {
        return api::GetInt64(po, "containerPort");
      }
    }
  }
  return 0;
}

bool PublishNotReady(const client::Object& svc) {
  const boost::json::value* v = api::Lookup(svc, "spec.publishNotReadyAddresses");
  return v && v->is_bool() && v->get_bool();
}

boost::json::object TargetRef(const client::Object& svc, const PodEndpoint& ep) {
  boost::json::object ref;
  ref["kind"] = "Pod";
  ref["namespace"] = client::ObjectMetaString(svc, "namespace");
  ref["name"] = ep.pod_name;
  ref["uid"] = ep.pod_uid;
  return ref;
}

boost::json::object Address(const client::Object& svc, const PodEndpoint& ep) {
  boost::json::object a;
  a["ip"] = ep.ip;
  if (!ep.hostname.empty()) a["hostname"] = ep.hostname;
  if (!ep.node_name.empty()) a["nodeName"] = ep.node_name;
  a["targetRef"] = TargetRef(svc, ep);
  return a;
}

}  // namespace

bool EndpointPort::operator<(const EndpointPort& o) const {
  return std::tie(name, port, protocol, app_protocol) <
         std::tie(o.name, o.port, o.protocol, o.app_protocol);
}

bool ServiceHasSelector(const client::Object& svc) {
  const boost::json::value* sel = api::Lookup(svc, "spec.selector");
  return sel && sel->is_object() && !sel->get_object().empty();
}

std::vector<PodEndpoint> ServiceEndpoints(const client::Object& svc,
                                          const std::vector<client::ObjectPtr>& pods) {
  std::vector<PodEndpoint> out;
  if (!ServiceHasSelector(svc)) return out;
  const boost::json::object& selector = api::Lookup(svc, "spec.selector")->get_object();
  const std::string ns = client::ObjectMetaString(svc, "namespace");
  const std::string svc_name = client::ObjectMetaString(svc, "name");
  const bool publish_not_ready = PublishNotReady(svc);
  const boost::json::value* ports_v = api::Lookup(svc, "spec.ports");
  const boost::json::array empty_ports;
  const boost::json::array& svc_ports =
      ports_v && ports_v->is_array() ? ports_v->get_array() : empty_ports;

  for (const client::ObjectPtr& p : pods) {
    const client::Object& pod = *p;
    if (client::ObjectMetaString(pod, "namespace") != ns) continue;
    const boost::json::value* labels = api::Lookup(pod, "metadata.labels");
    if (!api::LabelsMatch(labels && labels->is_object() ? &labels->get_object() : nullptr,
                          selector)) {
      continue;
    }
    std::string phase = Str(api::Lookup(pod, "status.phase"));
    if (phase == "Succeeded" || phase == "Failed") continue;
    std::string ip = Str(api::Lookup(pod, "status.podIP"));
    if (ip.empty()) continue;

    PodEndpoint ep;
    ep.ip = ip;
    ep.node_name = Str(api::Lookup(pod, "spec.nodeName"));
    ep.pod_name = client::ObjectMetaString(pod, "name");
    ep.pod_uid = client::ObjectMetaString(pod, "uid");
    std::string hostname = Str(api::Lookup(pod, "spec.hostname"));
    if (!hostname.empty() && Str(api::Lookup(pod, "spec.subdomain")) == svc_name) {
      ep.hostname = hostname;
    }
    ep.terminating = IsDeleting(pod);
    ep.serving = IsPodReady(pod);
    ep.ready = publish_not_ready || (ep.serving && !ep.terminating);
    bool missing_port = false;
    for (const boost::json::value& sp : svc_ports) {
      if (!sp.is_object()) continue;
      const boost::json::object& spo = sp.get_object();
      int64_t port = ResolveTargetPort(spo, pod);
      if (port <= 0) {
        missing_port = true;
        continue;
      }
      EndpointPort e;
      e.name = api::GetString(spo, "name");
      e.port = port;
      e.protocol = api::GetString(spo, "protocol");
      if (e.protocol.empty()) e.protocol = "TCP";
      e.app_protocol = api::GetString(spo, "appProtocol");
      ep.ports.push_back(std::move(e));
    }
    // A pod that lacks every named port serves nothing of this Service.
    if (missing_port && ep.ports.empty()) continue;
    std::sort(ep.ports.begin(), ep.ports.end());
    out.push_back(std::move(ep));
  }
  std::sort(out.begin(), out.end(),
            [](const PodEndpoint& a, const PodEndpoint& b) { return a.pod_name < b.pod_name; });
  return out;
}

boost::json::array EndpointsSubsets(const client::Object& svc,
                                    const std::vector<PodEndpoint>& eps) {
  const bool publish_not_ready = PublishNotReady(svc);
  const bool headless = Str(api::Lookup(svc, "spec.clusterIP")) == "None";
  struct Group {
    std::vector<const PodEndpoint*> ready;
    std::vector<const PodEndpoint*> not_ready;
  };
  std::map<std::vector<EndpointPort>, Group> groups;
  for (const PodEndpoint& ep : eps) {
    if (ep.terminating && !publish_not_ready) continue;
    if (ep.ports.empty() && !headless) continue;
    Group& g = groups[ep.ports];
    (ep.ready ? g.ready : g.not_ready).push_back(&ep);
  }
  auto by_ip = [](const PodEndpoint* a, const PodEndpoint* b) {
    return std::tie(a->ip, a->pod_uid) < std::tie(b->ip, b->pod_uid);
  };
  boost::json::array subsets;
  for (auto& [ports, g] : groups) {
    std::sort(g.ready.begin(), g.ready.end(), by_ip);
    std::sort(g.not_ready.begin(), g.not_ready.end(), by_ip);
    boost::json::object subset;
    if (!g.ready.empty()) {
      boost::json::array a;
      for (const PodEndpoint* ep : g.ready) a.push_back(Address(svc, *ep));
      subset["addresses"] = std::move(a);
    }
    if (!g.not_ready.empty()) {
      boost::json::array a;
      for (const PodEndpoint* ep : g.not_ready) a.push_back(Address(svc, *ep));
      subset["notReadyAddresses"] = std::move(a);
    }
    if (!ports.empty()) {
      boost::json::array pa;
      for (const EndpointPort& p : ports) {
        boost::json::object po;
        if (!p.name.empty()) po["name"] = p.name;
        po["port"] = p.port;
        po["protocol"] = p.protocol;
        if (!p.app_protocol.empty()) po["appProtocol"] = p.app_protocol;
        pa.push_back(std::move(po));
      }
      subset["ports"] = std::move(pa);
    }
    subsets.push_back(std::move(subset));
  }
  return subsets;
}

boost::json::object EndpointLabels(const client::Object& svc) {
  boost::json::object labels;
  if (const boost::json::value* l = api::Lookup(svc, "metadata.labels"); l && l->is_object()) {
    labels = l->get_object();
  }
  if (Str(api::Lookup(svc, "spec.clusterIP")) == "None") labels[kHeadlessLabel] = "";
  return labels;
}

}  // namespace kc::controllers

#include "pkg/client/informer.h"

namespace kc::controllers {

std::vector<std::string> ServiceKeysSelecting(const client::SharedInformer& services,
                                              const client::Object& pod) {
  std::vector<std::string> keys;
  const std::string ns = client::ObjectMetaString(pod, "namespace");
  const boost::json::value* labels = api::Lookup(pod, "metadata.labels");
  const boost::json::object* lo = labels && labels->is_object() ? &labels->get_object() : nullptr;
  for (const client::ObjectPtr& svc : services.ByIndex(client::kNamespaceIndex, ns)) {
    if (!ServiceHasSelector(*svc)) continue;
    if (api::LabelsMatch(lo, api::Lookup(*svc, "spec.selector")->get_object())) {
      keys.push_back(client::ObjectKey(*svc));
    }
  }
  return keys;
}

}  // namespace kc::controllers
