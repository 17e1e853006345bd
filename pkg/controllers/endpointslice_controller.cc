#include "pkg/controllers/endpointslice_controller.h"

#include <spdlog/spdlog.h>

#include <map>
#include <set>

#include "pkg/api/json_path.h"
#include "pkg/client/indexer.h"
#include "pkg/controllers/controller_utils.h"
#include "pkg/controllers/service_endpoints.h"

namespace kc::controllers {
namespace {

const client::ResourceRef kServices{"", "v1", "services"};
const client::ResourceRef kPods{"", "v1", "pods"};
const client::ResourceRef kEndpoints{"", "v1", "endpoints"};
const client::ResourceRef kSlices{"discovery.k8s.io", "v1", "endpointslices"};
constexpr const char kServiceIndex[] = "service";

std::string Label(const client::Object& obj, const char* key) {
  const boost::json::value* l = api::Lookup(obj, "metadata.labels");
  return l && l->is_object() ? api::GetString(l->get_object(), key) : "";
}

std::vector<std::string> ServiceIndexFunc(const client::Object& slice) {
  std::string svc = Label(slice, kServiceNameLabel);
  if (svc.empty()) return {};
  return {client::ObjectMetaString(slice, "namespace") + "/" + svc};
}

// One slice the Service should have: its ports and endpoints, in the API's JSON form.
struct DesiredSlice {
  boost::json::array ports;
  boost::json::array endpoints;
};

boost::json::array PortsJson(const std::vector<EndpointPort>& ports) {
  boost::json::array pa;
  for (const EndpointPort& p : ports) {
    boost::json::object po;
    po["name"] = p.name;
    po["port"] = p.port;
    po["protocol"] = p.protocol;
    if (!p.app_protocol.empty()) po["appProtocol"] = p.app_protocol;
    pa.push_back(std::move(po));
  }
  return pa;
}

boost::json::object EndpointJson(const std::string& ns, const PodEndpoint& ep) {
  boost::json::object e;
  e["addresses"] = boost::json::array{boost::json::value(ep.ip)};
  boost::json::object cond;
  cond["ready"] = ep.ready;
  cond["serving"] = ep.serving;
  cond["terminating"] = ep.terminating;
  e["conditions"] = std::move(cond);
  if (!ep.hostname.empty()) e["hostname"] = ep.hostname;
  if (!ep.node_name.empty()) e["nodeName"] = ep.node_name;
  boost::json::object ref;
  ref["kind"] = "Pod";
  ref["namespace"] = ns;
  ref["name"] = ep.pod_name;
  ref["uid"] = ep.pod_uid;
  e["targetRef"] = std::move(ref);
  return e;
}

void AppendChunked(std::vector<DesiredSlice>* out, const boost::json::array& ports,
                   const std::vector<boost::json::object>& endpoints, int max_per_slice) {
  if (endpoints.empty()) return;
  for (size_t i = 0; i < endpoints.size(); i += max_per_slice) {
    DesiredSlice s;
    s.ports = ports;
    for (size_t j = i; j < endpoints.size() && j < i + max_per_slice; ++j) {
      s.endpoints.push_back(endpoints[j]);
    }
    out->push_back(std::move(s));
  }
}

// Slices for a Service with a selector.
std::vector<DesiredSlice> FromPods(const client::Object& svc, const std::vector<PodEndpoint>& eps,
                                   int max_per_slice) {
  const std::string ns = client::ObjectMetaString(svc, "namespace");
  std::map<std::vector<EndpointPort>, std::vector<boost::json::object>> groups;
  for (const PodEndpoint& ep : eps) groups[ep.ports].push_back(EndpointJson(ns, ep));
  std::vector<DesiredSlice> out;
  for (const auto& [ports, endpoints] : groups) {
    AppendChunked(&out, PortsJson(ports), endpoints, max_per_slice);
  }
  return out;
}

// Slices mirroring a user-written Endpoints object (Service without a selector).
std::vector<DesiredSlice> FromEndpoints(const client::Object& ep, int max_per_slice) {
  std::vector<DesiredSlice> out;
  const boost::json::value* subsets = ep.if_contains("subsets");
  if (!subsets || !subsets->is_array()) return out;
  for (const boost::json::value& sv : subsets->get_array()) {
    if (!sv.is_object()) continue;
    const boost::json::object& s = sv.get_object();
    boost::json::array ports;
    if (const boost::json::array* ps = api::GetArray(s, "ports")) {
      for (const boost::json::value& p : *ps) {
        if (!p.is_object()) continue;
        boost::json::object po;
        po["name"] = api::GetString(p.get_object(), "name");
        po["port"] = api::GetInt64(p.get_object(), "port");
        std::string proto = api::GetString(p.get_object(), "protocol");
        po["protocol"] = proto.empty() ? "TCP" : proto;
        ports.push_back(std::move(po));
      }
    }
    std::vector<boost::json::object> endpoints;
    for (const char* field : {"addresses", "notReadyAddresses"}) {
      const boost::json::array* as = api::GetArray(s, field);
      if (!as) continue;
      bool ready = std::string(field) == "addresses";
      for (const boost::json::value& a : *as) {
        if (!a.is_object()) continue;
        const boost::json::object& ao = a.get_object();
        std::string ip = api::GetString(ao, "ip");
        if (ip.empty() || ip.find(':') != std::string::npos) continue;  // IPv4 slices only
        boost::json::object e;
        e["addresses"] = boost::json::array{boost::json::value(ip)};
        boost::json::object cond;
        cond["ready"] = ready;
        e["conditions"] = std::move(cond);
        if (std::string h = api::GetString(ao, "hostname"); !h.empty()) e["hostname"] = h;
        if (std::string n = api::GetString(ao, "nodeName"); !n.empty()) e["nodeName"] = n;
        if (const boost::json::object* ref = api::GetObject(ao, "targetRef")) e["targetRef"] = *ref;
        endpoints.push_back(std::move(e));
      }
    }
    AppendChunked(&out, ports, endpoints, max_per_slice);
  }
  return out;
}

boost::json::value Field(const client::Object& o, const char* key, boost::json::value def) {
  const boost::json::value* v = o.if_contains(key);
  return v && !v->is_null() ? *v : def;
}

}  // namespace

EndpointSliceController::EndpointSliceController(client::Client& client,
                                                 client::SharedInformerFactory& factory,
                                                 int max_endpoints_per_slice)
    : client_(client),
      max_per_slice_(max_endpoints_per_slice > 0 ? max_endpoints_per_slice : 100),
      loop_("endpointslice", queue_, [this](const std::string& key) { return Sync(key); }) {
  services_ = factory.ForResource(kServices);
  pods_ = factory.ForResource(kPods);
  endpoints_ = factory.ForResource(kEndpoints);
  slices_ = factory.ForResource(kSlices);
  slices_->AddIndex(kServiceIndex, ServiceIndexFunc);
  auto enqueue = [this](const client::ObjectPtr& o) { queue_.Add(client::ObjectKey(*o)); };
  client::EventHandler sh;
  sh.on_add = enqueue;
  sh.on_update = [enqueue](const client::ObjectPtr&, const client::ObjectPtr& o) { enqueue(o); };
  sh.on_delete = enqueue;
  handlers_[0] = services_->AddEventHandler(sh);
  // Endpoints objects matter for mirroring (same key as their Service).
  handlers_[2] = endpoints_->AddEventHandler(sh);
  client::EventHandler ph;
  ph.on_add = [this](const client::ObjectPtr& o) { OnPod(nullptr, o); };
  ph.on_update = [this](const client::ObjectPtr& a, const client::ObjectPtr& b) { OnPod(a, b); };
  ph.on_delete = ph.on_add;
  handlers_[1] = pods_->AddEventHandler(std::move(ph));
  client::EventHandler lh;
  auto slice_changed = [this](const client::ObjectPtr& o) {
    for (const std::string& k : ServiceIndexFunc(*o)) queue_.Add(k);
  };
  // Adds too: a sync that ran before the cache had our previous create may have made a
  // duplicate, and the next sync (triggered here) removes it.
  lh.on_add = slice_changed;
  lh.on_update = [slice_changed](const client::ObjectPtr&, const client::ObjectPtr& o) {
    slice_changed(o);
  };
  lh.on_delete = slice_changed;
  handlers_[3] = slices_->AddEventHandler(std::move(lh));
}

EndpointSliceController::~EndpointSliceController() { Stop(); }

void EndpointSliceController::Start(int workers) {
  loop_.Start({services_, pods_, endpoints_, slices_}, workers);
}

void EndpointSliceController::Stop() {
  if (handlers_[0]) {
    services_->RemoveEventHandler(handlers_[0]);
    pods_->RemoveEventHandler(handlers_[1]);
    endpoints_->RemoveEventHandler(handlers_[2]);
    slices_->RemoveEventHandler(handlers_[3]);
    handlers_[0] = 0;
  }
  loop_.Stop();
}

void EndpointSliceController::OnPod(const client::ObjectPtr& old_pod,
                                    const client::ObjectPtr& pod) {
  for (const std::string& k : ServiceKeysSelecting(*services_, *pod)) queue_.Add(k);
  if (old_pod) {
    for (const std::string& k : ServiceKeysSelecting(*services_, *old_pod)) queue_.Add(k);
  }
}

api::Status EndpointSliceController::Sync(const std::string& key) {
  std::string ns, name;
  client::SplitObjectKey(key, &ns, &name);
  client::ObjectPtr svc = services_->Get(key);

  // Which controller owns this Service's slices now, and what they should hold.
  std::string manager;
  std::vector<DesiredSlice> desired;
  if (svc && ServiceHasSelector(*svc)) {
    manager = kSliceControllerName;
    desired = FromPods(*svc, ServiceEndpoints(*svc, pods_->ByIndex(client::kNamespaceIndex, ns)),
                       max_per_slice_);
    if (desired.empty()) desired.push_back({});  // the placeholder slice
  } else if (svc) {
    client::ObjectPtr ep = endpoints_->Get(key);
    if (ep && Label(*ep, "endpointslice.kubernetes.io/skip-mirror") != "true") {
      manager = kMirrorControllerName;
      desired = FromEndpoints(*ep, max_per_slice_);
    }
  }

  // Existing slices of ours (either manager); user-managed slices are never touched.
  std::vector<client::ObjectPtr> mine;
  for (const client::ObjectPtr& s : slices_->ByIndex(kServiceIndex, key)) {
    std::string m = Label(*s, kManagedByLabel);
    if (m == kSliceControllerName || m == kMirrorControllerName) mine.push_back(s);
  }

  boost::json::object labels;
  if (svc) {
    labels = EndpointLabels(*svc);
    labels[kServiceNameLabel] = name;
    labels[kManagedByLabel] = manager;
  }

  std::set<size_t> used;
  std::vector<bool> placed(desired.size(), false);
  auto same_content = [&](const client::Object& s, const DesiredSlice& d) {
    return Field(s, "ports", boost::json::array()) == boost::json::value(d.ports) &&
           Field(s, "endpoints", boost::json::array()) == boost::json::value(d.endpoints) &&
           Label(s, kManagedByLabel) == manager &&
           boost::json::value(labels) ==
               Field(s.at("metadata").as_object(), "labels", boost::json::object());
  };
  // 1. Slices already exactly right stay.
  for (size_t d = 0; d < desired.size(); ++d) {
    for (size_t i = 0; i < mine.size(); ++i) {
      if (!used.count(i) && same_content(*mine[i], desired[d])) {
        used.insert(i);
        placed[d] = true;
        break;
      }
    }
  }
  // 2. Others are rewritten in place (same ports first), or created.
  for (size_t d = 0; d < desired.size(); ++d) {
    if (placed[d]) continue;
    std::optional<size_t> reuse;
    for (size_t i = 0; i < mine.size() && !reuse; ++i) {
      if (!used.count(i) &&
          Field(*mine[i], "ports", boost::json::array()) == boost::json::value(desired[d].ports)) {
        reuse = i;
      }
    }
    for (size_t i = 0; i < mine.size() && !reuse; ++i) {
      if (!used.count(i)) reuse = i;
    }
    client::Object slice;
    slice["apiVersion"] = "discovery.k8s.io/v1";
    slice["kind"] = "EndpointSlice";
    boost::json::object meta;
    meta["namespace"] = ns;
    meta["labels"] = labels;
    client::Object owner = *svc;
    owner["apiVersion"] = "v1";
    owner["kind"] = "Service";
    meta["ownerReferences"] = boost::json::array{ControllerRefFor(owner)};
    if (reuse) {
      used.insert(*reuse);
      meta["name"] = client::ObjectMetaString(*mine[*reuse], "name");
      meta["resourceVersion"] = client::ObjectMetaString(*mine[*reuse], "resourceVersion");
    } else {
      meta["generateName"] = name + "-";
    }
    slice["metadata"] = std::move(meta);
    slice["addressType"] = "IPv4";
    slice["endpoints"] = desired[d].endpoints;
    slice["ports"] = desired[d].ports;
    api::Result<client::Object> r =
        reuse ? client_.Update(kSlices, ns, slice) : client_.Create(kSlices, ns, slice);
    if (!r.ok()) {
      spdlog::debug("endpointslice: {}: {}", key, r.status().ToString());
      return r.status();
    }
  }
  // 3. Leftovers go.
  for (size_t i = 0; i < mine.size(); ++i) {
    if (used.count(i)) continue;
    client::DeleteOptions opts;
    opts.precondition_uid = client::ObjectMetaString(*mine[i], "uid");
    api::Result<client::Object> r =
        client_.Delete(kSlices, ns, client::ObjectMetaString(*mine[i], "name"), opts);
    if (!r.ok() && r.status().reason() != api::Reason::kNotFound) return r.status();
  }
  return api::Status::Ok();
}

}  // namespace kc::controllers
