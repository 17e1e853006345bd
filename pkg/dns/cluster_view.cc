#include "pkg/dns/cluster_view.h"

#include <set>

#include "pkg/api/json_path.h"
#include "pkg/client/indexer.h"
#include "pkg/dns/dns_names.h"

namespace kc::dns {
namespace {

const client::ResourceRef kServices{"", "v1", "services"};
const client::ResourceRef kEndpointSlices{"discovery.k8s.io", "v1", "endpointslices"};

constexpr char kServiceNameLabel[] = "kubernetes.io/service-name";
// Index names carry a "dns/" prefix so they never replace another component's index on the
// shared informers.
constexpr char kClusterIpIndex[] = "dns/cluster-ip";
constexpr char kSliceServiceIndex[] = "dns/service";
constexpr char kSliceAddressIndex[] = "dns/address";

std::vector<std::string> ClusterIpsOf(const client::Object& svc) {
  std::vector<std::string> ips;
  const boost::json::object* spec = api::GetObject(svc, "spec");
  if (!spec) return ips;
  if (const boost::json::array* list = api::GetArray(*spec, "clusterIPs")) {
    for (const boost::json::value& v : *list) {
      if (!v.is_string()) continue;
      if (std::optional<std::string> ip = CanonicalIp(std::string(v.get_string()))) {
        ips.push_back(*ip);
      }
    }
  }
  if (ips.empty()) {
    if (std::optional<std::string> ip = CanonicalIp(api::GetString(*spec, "clusterIP"))) {
      ips.push_back(*ip);
    }
  }
  return ips;
}

std::string SliceServiceKey(const client::Object& slice) {
  const boost::json::value* name = api::Lookup(slice, "metadata.labels");
  if (!name || !name->is_object()) return "";
  std::string svc = api::GetString(name->get_object(), kServiceNameLabel);
  if (svc.empty()) return "";
  return client::ObjectMetaString(slice, "namespace") + "/" + svc;
}

std::vector<ServicePort> PortsOf(const boost::json::array* ports) {
  std::vector<ServicePort> out;
  if (!ports) return out;
  for (const boost::json::value& v : *ports) {
    if (!v.is_object()) continue;
    const boost::json::object& p = v.get_object();
    ServicePort sp;
    sp.name = AsciiLower(api::GetString(p, "name"));
    std::string proto = api::GetString(p, "protocol");
    sp.protocol = AsciiLower(proto.empty() ? "TCP" : proto);
    sp.port = static_cast<int>(api::GetInt64(p, "port"));
    if (sp.port <= 0 || sp.port > 65535) continue;
    out.push_back(std::move(sp));
  }
  return out;
}

bool EndpointReady(const boost::json::object& ep) {
  const boost::json::object* cond = api::GetObject(ep, "conditions");
  if (!cond) return true;
  const boost::json::value* ready = cond->if_contains("ready");
  // A missing condition means "unknown", which consumers treat as ready.
  return !ready || !ready->is_bool() || ready->get_bool();
}

// Every published address of `slice` (ready or not), for the address index and lookups.
template <typename Fn>
void ForEachEndpointAddress(const client::Object& slice, Fn&& fn) {
  std::string type = api::GetString(slice, "addressType");
  if (type != "IPv4" && type != "IPv6") return;
  const boost::json::array* eps = api::GetArray(slice, "endpoints");
  if (!eps) return;
  for (const boost::json::value& v : *eps) {
    if (!v.is_object()) continue;
    const boost::json::object& ep = v.get_object();
    const boost::json::array* addrs = api::GetArray(ep, "addresses");
    if (!addrs) continue;
    std::string hostname = AsciiLower(api::GetString(ep, "hostname"));
    bool ready = EndpointReady(ep);
    for (const boost::json::value& a : *addrs) {
      if (!a.is_string()) continue;
      std::optional<std::string> ip = CanonicalIp(std::string(a.get_string()));
      if (!ip) continue;
      fn(*ip, hostname, ready);
    }
  }
}

}  // namespace

std::optional<ServiceRecord> ParseService(const client::Object& svc) {
  ServiceRecord r;
  r.ns = client::ObjectMetaString(svc, "namespace");
  r.name = AsciiLower(client::ObjectMetaString(svc, "name"));
  if (r.ns.empty() || r.name.empty()) return std::nullopt;
  r.ns = AsciiLower(r.ns);
  const boost::json::object* spec = api::GetObject(svc, "spec");
  static const boost::json::object kEmpty;
  if (!spec) spec = &kEmpty;
  r.ports = PortsOf(api::GetArray(*spec, "ports"));
  const boost::json::value* pnr = spec->if_contains("publishNotReadyAddresses");
  r.publish_not_ready = pnr && pnr->is_bool() && pnr->get_bool();
  if (api::GetString(*spec, "type") == "ExternalName") {
    r.kind = ServiceKind::kExternalName;
    r.external_name = AsciiLower(api::GetString(*spec, "externalName"));
    while (!r.external_name.empty() && r.external_name.back() == '.') r.external_name.pop_back();
    return r;
  }
  if (api::GetString(*spec, "clusterIP") == "None") {
    r.kind = ServiceKind::kHeadless;
    return r;
  }
  r.cluster_ips = ClusterIpsOf(svc);
  return r;
}

ClusterView::ClusterView(client::SharedInformerFactory& factory)
    : services_(factory.ForResource(kServices)), slices_(factory.ForResource(kEndpointSlices)) {
  services_->AddIndex(kClusterIpIndex, [](const client::Object& svc) {
    const boost::json::object* spec = api::GetObject(svc, "spec");
    if (!spec || api::GetString(*spec, "type") == "ExternalName") return std::vector<std::string>{};
    return ClusterIpsOf(svc);
  });
  slices_->AddIndex(kSliceServiceIndex, [](const client::Object& slice) {
    std::string key = SliceServiceKey(slice);
    return key.empty() ? std::vector<std::string>{} : std::vector<std::string>{AsciiLower(key)};
  });
  slices_->AddIndex(kSliceAddressIndex, [](const client::Object& slice) {
    std::set<std::string> ips;
    ForEachEndpointAddress(
        slice, [&](const std::string& ip, const std::string&, bool) { ips.insert(ip); });
    return std::vector<std::string>(ips.begin(), ips.end());
  });
}

bool ClusterView::HasSynced() const { return services_->HasSynced() && slices_->HasSynced(); }

std::optional<ServiceRecord> ClusterView::Service(const std::string& ns,
                                                  const std::string& name) const {
  // Kubernetes names are lowercase, so the lowercased query name is the key.
  client::ObjectPtr obj = services_->Get(ns, name);
  if (!obj) return std::nullopt;
  return ParseService(*obj);
}

bool ClusterView::NamespaceHasServices(const std::string& ns) const {
  return !services_->indexer().IndexKeys(client::kNamespaceIndex, ns).empty();
}

std::vector<EndpointRecord> ClusterView::Endpoints(const ServiceRecord& svc) const {
  std::vector<EndpointRecord> out;
  for (const client::ObjectPtr& slice :
       slices_->ByIndex(kSliceServiceIndex, svc.ns + "/" + svc.name)) {
    std::vector<ServicePort> ports = PortsOf(api::GetArray(*slice, "ports"));
    ForEachEndpointAddress(*slice,
                           [&](const std::string& ip, const std::string& hostname, bool ready) {
                             if (!ready && !svc.publish_not_ready) return;
                             EndpointRecord e;
                             e.label = hostname.empty() ? DashedIp(ip) : hostname;
                             e.ip = ip;
                             e.ready = ready;
                             e.ports = ports;
                             out.push_back(std::move(e));
                           });
  }
  return out;
}

std::vector<ReverseName> ClusterView::NamesForIp(const std::string& ip) const {
  std::vector<ReverseName> out;
  std::set<std::string> seen;
  for (const client::ObjectPtr& obj : services_->ByIndex(kClusterIpIndex, ip)) {
    std::optional<ServiceRecord> svc = ParseService(*obj);
    if (!svc || svc->kind != ServiceKind::kClusterIp) continue;
    if (seen.insert(svc->ns + "/" + svc->name + "/").second) {
      out.push_back({svc->ns, svc->name, ""});
    }
  }
  for (const client::ObjectPtr& slice : slices_->ByIndex(kSliceAddressIndex, ip)) {
    std::string key = AsciiLower(SliceServiceKey(*slice));
    size_t slash = key.find('/');
    if (slash == std::string::npos) continue;
    std::optional<ServiceRecord> svc = Service(key.substr(0, slash), key.substr(slash + 1));
    // Endpoint names exist only for headless services.
    if (!svc || svc->kind != ServiceKind::kHeadless) continue;
    for (const EndpointRecord& e : Endpoints(*svc)) {
      if (e.ip != ip) continue;
      if (seen.insert(svc->ns + "/" + svc->name + "/" + e.label).second) {
        out.push_back({svc->ns, svc->name, e.label});
      }
    }
  }
  return out;
}

}  // namespace kc::dns
