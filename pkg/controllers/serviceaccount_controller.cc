#include "pkg/controllers/serviceaccount_controller.h"

#include <spdlog/spdlog.h>

#include <algorithm>

#include "pkg/api/json_path.h"
#include "pkg/client/indexer.h"
#include "pkg/controllers/object_meta.h"

namespace kc::controllers {
namespace {

const client::ResourceRef kNamespaces{"", "v1", "namespaces"};
const client::ResourceRef kServiceAccounts{"", "v1", "serviceaccounts"};

}  // namespace

ServiceAccountController::ServiceAccountController(client::Client& client,
                                                   client::SharedInformerFactory& factory,
                                                   ServiceAccountControllerOptions opts)
    : client_(client),
      opts_(std::move(opts)),
      queue_(QueueOptionsFrom(opts_)),
      loop_(kName, queue_, [this](const std::string& key) { return Sync(key); }) {
  namespaces_ = factory.ForResource(kNamespaces);
  service_accounts_ = factory.ForResource(kServiceAccounts);
  client::EventHandler nh;
  nh.on_add = [this](const client::ObjectPtr& ns) {
    queue_.Add(client::ObjectMetaString(*ns, "name"));
  };
  nh.on_update = [this](const client::ObjectPtr&, const client::ObjectPtr& ns) {
    queue_.Add(client::ObjectMetaString(*ns, "name"));
  };
  ns_handler_ = namespaces_->AddEventHandler(std::move(nh));
  client::EventHandler sh;
  sh.on_delete = [this](const client::ObjectPtr& sa) {
    const std::string name = client::ObjectMetaString(*sa, "name");
    if (std::find(opts_.service_accounts.begin(), opts_.service_accounts.end(), name) !=
        opts_.service_accounts.end()) {
      queue_.Add(client::ObjectMetaString(*sa, "namespace"));
    }
  };
  sa_handler_ = service_accounts_->AddEventHandler(std::move(sh));
  registered_ = true;
}

ServiceAccountController::~ServiceAccountController() { Stop(); }

void ServiceAccountController::Start(int workers) {
  loop_.Start({namespaces_, service_accounts_}, workers);
}

void ServiceAccountController::Stop() {
  if (registered_) {
    namespaces_->RemoveEventHandler(ns_handler_);
    service_accounts_->RemoveEventHandler(sa_handler_);
    registered_ = false;
  }
  loop_.Stop();
}

api::Status ServiceAccountController::Sync(const std::string& ns) {
  client::ObjectPtr nsobj = namespaces_->Get(ns);
  if (!nsobj || !NamespaceActive(*nsobj)) return {};
  for (const std::string& name : opts_.service_accounts) {
    if (service_accounts_->Get(ns, name)) continue;
    client::Object sa{{"apiVersion", "v1"},
                      {"kind", "ServiceAccount"},
                      {"metadata", boost::json::object{{"name", name}, {"namespace", ns}}}};
    api::Result<client::Object> r = client_.Create(kServiceAccounts, ns, sa);
    if (r.ok()) {
      spdlog::debug("serviceaccount: created {}/{}", ns, name);
      continue;
    }
    switch (r.status().reason()) {
      case api::Reason::kAlreadyExists:  // the cache was behind
      case api::Reason::kNotFound:       // the namespace is gone
      case api::Reason::kForbidden:      // the namespace is terminating
        continue;
      default:
        return r.status();
    }
  }
  return {};
}

}  // namespace kc::controllers
