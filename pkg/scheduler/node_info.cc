#include "pkg/scheduler/node_info.h"

#include "pkg/api/json_path.h"

namespace kc::scheduler {
namespace json = boost::json;

std::vector<HostPort> PodHostPorts(const json::object& pod) {
  std::vector<HostPort> out;
  const json::object* spec = api::GetObject(pod, "spec");
  const json::array* cs = spec ? api::GetArray(*spec, "containers") : nullptr;
  if (!cs) return out;
  for (const json::value& c : *cs) {
    if (!c.is_object()) continue;
    const json::array* ports = api::GetArray(c.get_object(), "ports");
    if (!ports) continue;
    for (const json::value& p : *ports) {
      if (!p.is_object()) continue;
      HostPort hp;
      hp.port = api::GetInt64(p.get_object(), "hostPort", 0);
      if (hp.port <= 0) continue;
      std::string ip = api::GetString(p.get_object(), "hostIP");
      if (!ip.empty()) hp.ip = ip;
      std::string proto = api::GetString(p.get_object(), "protocol");
      if (!proto.empty()) hp.protocol = proto;
      out.push_back(std::move(hp));
    }
  }
  return out;
}

bool HostPortConflicts(const std::vector<HostPort>& used, const HostPort& want) {
  for (const HostPort& u : used) {
    if (u.port != want.port || u.protocol != want.protocol) continue;
    if (want.ip == "0.0.0.0" || u.ip == "0.0.0.0" || u.ip == want.ip) return true;
  }
  return false;
}

std::string ControllerUid(const json::object& pod) {
  const json::object* meta = api::GetObject(pod, "metadata");
  const json::array* refs = meta ? api::GetArray(*meta, "ownerReferences") : nullptr;
  if (!refs) return "";
  for (const json::value& r : *refs) {
    if (!r.is_object()) continue;
    const json::value* c = r.get_object().if_contains("controller");
    if (c && c->is_bool() && c->get_bool()) return api::GetString(r.get_object(), "uid");
  }
  return "";
}

PodInfo::PodInfo(client::ObjectPtr pod) : pod_(std::move(pod)) {
  const json::object* meta = api::GetObject(*pod_, "metadata");
  if (meta) {
    ns_ = api::GetString(*meta, "namespace");
    name_ = api::GetString(*meta, "name");
    uid_ = api::GetString(*meta, "uid");
    labels_ = api::GetObject(*meta, "labels");
  }
  key_ = ns_.empty() ? name_ : ns_ + "/" + name_;
  spec_ = api::GetObject(*pod_, "spec");
  requests_ = PodRequests(*pod_, false);
  non_zero_requests_ = PodRequests(*pod_, true);
  tolerations_ = PodTolerations(*pod_);
  host_ports_ = PodHostPorts(*pod_);
  controller_uid_ = ControllerUid(*pod_);
}

NodeInfo::NodeInfo(client::ObjectPtr node) : node_(std::move(node)) {
  const json::object* meta = api::GetObject(*node_, "metadata");
  if (meta) {
    name_ = api::GetString(*meta, "name");
    labels_ = api::GetObject(*meta, "labels");
  }
  if (const json::object* spec = api::GetObject(*node_, "spec")) {
    const json::value* u = spec->if_contains("unschedulable");
    unschedulable_ = u && u->is_bool() && u->get_bool();
  }
  taints_ = EffectiveTaints(*node_);
  if (const json::object* status = api::GetObject(*node_, "status")) {
    allocatable_ = ParseResourceList(api::GetObject(*status, "allocatable"));
  }
}

void NodeInfo::AddPod(std::shared_ptr<const PodInfo> pod) {
  requested_.Add(pod->requests());
  non_zero_requested_.Add(pod->non_zero_requests());
  requested_.pods += 1;
  non_zero_requested_.pods += 1;
  for (const HostPort& hp : pod->host_ports()) used_ports_.push_back(hp);
  pods_.push_back(std::move(pod));
}

}  // namespace kc::scheduler
