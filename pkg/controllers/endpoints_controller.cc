#include "pkg/controllers/endpoints_controller.h"

#include <spdlog/spdlog.h>

#include "pkg/api/json_path.h"
#include "pkg/client/indexer.h"
#include "pkg/controllers/service_endpoints.h"

namespace kc::controllers {
namespace {

const client::ResourceRef kServices{"", "v1", "services"};
const client::ResourceRef kPods{"", "v1", "pods"};
const client::ResourceRef kEndpoints{"", "v1", "endpoints"};

boost::json::value SubsetsOf(const client::Object& ep) {
  const boost::json::value* s = ep.if_contains("subsets");
  return s && s->is_array() ? *s : boost::json::value(boost::json::array());
}

boost::json::value LabelsOf(const client::Object& obj) {
  const boost::json::value* l = api::Lookup(obj, "metadata.labels");
  return l && l->is_object() ? *l : boost::json::value(boost::json::object());
}

}  // namespace

EndpointsController::EndpointsController(client::Client& client,
                                         client::SharedInformerFactory& factory)
    : client_(client),
      loop_("endpoint", queue_, [this](const std::string& key) { return Sync(key); }) {
  services_ = factory.ForResource(kServices);
  pods_ = factory.ForResource(kPods);
  endpoints_ = factory.ForResource(kEndpoints);
  client::EventHandler sh;
  sh.on_add = [this](const client::ObjectPtr& o) { queue_.Add(client::ObjectKey(*o)); };
  sh.on_update = [this](const client::ObjectPtr&, const client::ObjectPtr& o) {
    queue_.Add(client::ObjectKey(*o));
  };
  sh.on_delete = sh.on_add;
  handlers_[0] = services_->AddEventHandler(std::move(sh));
  client::EventHandler ph;
  ph.on_add = [this](const client::ObjectPtr& o) { OnPod(nullptr, o); };
  ph.on_update = [this](const client::ObjectPtr& a, const client::ObjectPtr& b) { OnPod(a, b); };
  ph.on_delete = ph.on_add;
  handlers_[1] = pods_->AddEventHandler(std::move(ph));
  // Someone changing or deleting a managed Endpoints object gets it rewritten.
  client::EventHandler eh;
  eh.on_update = [this](const client::ObjectPtr&, const client::ObjectPtr& o) {
    queue_.Add(client::ObjectKey(*o));
  };
  eh.on_delete = [this](const client::ObjectPtr& o) { queue_.Add(client::ObjectKey(*o)); };
  handlers_[2] = endpoints_->AddEventHandler(std::move(eh));
}

EndpointsController::~EndpointsController() { Stop(); }

void EndpointsController::Start(int workers) {
  loop_.Start({services_, pods_, endpoints_}, workers);
}

void EndpointsController::Stop() {
  if (handlers_[0]) {
    services_->RemoveEventHandler(handlers_[0]);
    pods_->RemoveEventHandler(handlers_[1]);
    endpoints_->RemoveEventHandler(handlers_[2]);
    handlers_[0] = 0;
  }
  loop_.Stop();
}

void EndpointsController::OnPod(const client::ObjectPtr& old_pod, const client::ObjectPtr& pod) {
  for (const std::string& k : ServiceKeysSelecting(*services_, *pod)) queue_.Add(k);
  if (old_pod) {
    for (const std::string& k : ServiceKeysSelecting(*services_, *old_pod)) queue_.Add(k);
  }
}

api::Status EndpointsController::Sync(const std::string& key) {
  std::string ns, name;
  client::SplitObjectKey(key, &ns, &name);
  client::ObjectPtr svc = services_->Get(key);
  if (!svc) {
    if (!endpoints_->Get(key)) return api::Status::Ok();
    api::Result<client::Object> r = client_.Delete(kEndpoints, ns, name);
    if (!r.ok() && r.status().reason() != api::Reason::kNotFound) return r.status();
    return api::Status::Ok();
  }
  if (!ServiceHasSelector(*svc)) return api::Status::Ok();

  std::vector<PodEndpoint> eps =
      ServiceEndpoints(*svc, pods_->ByIndex(client::kNamespaceIndex, ns));
  boost::json::value subsets = EndpointsSubsets(*svc, eps);
  boost::json::value labels = EndpointLabels(*svc);

  client::ObjectPtr current = endpoints_->Get(key);
  if (current && SubsetsOf(*current) == subsets && LabelsOf(*current) == labels) {
    return api::Status::Ok();
  }
  client::Object ep;
  ep["apiVersion"] = "v1";
  ep["kind"] = "Endpoints";
  boost::json::object meta;
  meta["name"] = name;
  meta["namespace"] = ns;
  if (!labels.get_object().empty()) meta["labels"] = labels;
  if (current) {
    if (const boost::json::value* a = api::Lookup(*current, "metadata.annotations")) {
      meta["annotations"] = *a;
    }
    meta["resourceVersion"] = client::ObjectMetaString(*current, "resourceVersion");
  }
  ep["metadata"] = std::move(meta);
  if (!subsets.get_array().empty()) ep["subsets"] = subsets;
  api::Result<client::Object> r =
      current ? client_.Update(kEndpoints, ns, ep) : client_.Create(kEndpoints, ns, ep);
  if (!r.ok()) {
    // The cache was behind (AlreadyExists / Conflict): the requeue retries on fresh state.
    spdlog::debug("endpoint: {}: {}", key, r.status().ToString());
    return r.status();
  }
  return api::Status::Ok();
}

}  // namespace kc::controllers
