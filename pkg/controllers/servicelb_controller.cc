#include "pkg/controllers/servicelb_controller.h"

#include <algorithm>
#include <boost/json/array.hpp>

#include "pkg/api/json_path.h"
#include "pkg/client/indexer.h"

namespace kc::controllers {
namespace {

const client::ResourceRef kServices{"", "v1", "services"};
const client::ResourceRef kNodes{"", "v1", "nodes"};

bool NodeReady(const client::Object& node) {
  const boost::json::value* conds = api::Lookup(node, "status.conditions");
  if (!conds || !conds->is_array()) return false;
  for (const boost::json::value& c : conds->get_array()) {
    if (c.is_object() && api::GetString(c.get_object(), "type") == "Ready") {
      return api::GetString(c.get_object(), "status") == "True";
    }
  }
  return false;
}

std::string InternalIp(const client::Object& node) {
  const boost::json::value* addrs = api::Lookup(node, "status.addresses");
  if (!addrs || !addrs->is_array()) return "";
  for (const boost::json::value& a : addrs->get_array()) {
    if (a.is_object() && api::GetString(a.get_object(), "type") == "InternalIP") {
      return api::GetString(a.get_object(), "address");
    }
  }
  return "";
}

}  // namespace

ServiceLBController::ServiceLBController(client::Client& client,
                                         client::SharedInformerFactory& factory)
    : client_(client), loop_(kName, queue_, [this](const std::string& key) { return Sync(key); }) {
  services_ = factory.ForResource(kServices);
  nodes_ = factory.ForResource(kNodes);
  client::EventHandler sh;
  sh.on_add = [this](const client::ObjectPtr& o) { queue_.Add(client::ObjectKey(*o)); };
  sh.on_update = [this](const client::ObjectPtr&, const client::ObjectPtr& o) {
    queue_.Add(client::ObjectKey(*o));
  };
  handlers_[0] = services_->AddEventHandler(std::move(sh));
  client::EventHandler nh;
  nh.on_add = [this](const client::ObjectPtr&) { EnqueueAll(); };
  nh.on_update = [this](const client::ObjectPtr& a, const client::ObjectPtr& b) {
    if (NodeReady(*a) != NodeReady(*b) || InternalIp(*a) != InternalIp(*b)) EnqueueAll();
  };
  nh.on_delete = nh.on_add;
  handlers_[1] = nodes_->AddEventHandler(std::move(nh));
}

ServiceLBController::~ServiceLBController() { Stop(); }

void ServiceLBController::Start(int workers) { loop_.Start({services_, nodes_}, workers); }

void ServiceLBController::Stop() {
  if (handlers_[0]) {
    services_->RemoveEventHandler(handlers_[0]);
    nodes_->RemoveEventHandler(handlers_[1]);
    handlers_[0] = 0;
  }
  loop_.Stop();
}

void ServiceLBController::EnqueueAll() {
  for (const client::ObjectPtr& s : services_->List()) queue_.Add(client::ObjectKey(*s));
}

api::Status ServiceLBController::Sync(const std::string& key) {
  client::ObjectPtr svc = services_->Get(key);
  if (!svc) return api::Status::Ok();
  const boost::json::value* type = api::Lookup(*svc, "spec.type");
  const bool lb = type && type->is_string() && type->get_string() == "LoadBalancer" &&
                  !api::Lookup(*svc, "spec.loadBalancerClass");
  std::vector<std::string> ips;
  if (lb) {
    for (const client::ObjectPtr& n : nodes_->List()) {
      std::string ip = InternalIp(*n);
      if (NodeReady(*n) && !ip.empty()) ips.push_back(ip);
    }
    std::sort(ips.begin(), ips.end());
  }
  boost::json::array want;
  for (const std::string& ip : ips) {
    boost::json::object in;
    in["ip"] = ip;
    in["ipMode"] = "VIP";
    want.push_back(std::move(in));
  }
  const boost::json::value* cur = api::Lookup(*svc, "status.loadBalancer.ingress");
  const boost::json::array empty;
  const boost::json::array& have = cur && cur->is_array() ? cur->get_array() : empty;
  if (have == want) return api::Status::Ok();
  if (!lb && have.empty()) return api::Status::Ok();
  client::Object updated = *svc;
  boost::json::value& status = updated["status"];
  if (!status.is_object()) status = boost::json::object();
  boost::json::object lbs;
  if (!want.empty()) lbs["ingress"] = std::move(want);
  status.get_object()["loadBalancer"] = std::move(lbs);
  client::WriteOptions wo;
  wo.subresource = "status";
  api::Result<client::Object> r = client_.Update(kServices, client::ObjectMetaString(*svc, "namespace"), updated, wo);
  return r.ok() ? api::Status::Ok() : r.status();
}

}  // namespace kc::controllers
