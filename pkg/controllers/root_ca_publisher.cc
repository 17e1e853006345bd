#include "pkg/controllers/root_ca_publisher.h"

#include <spdlog/spdlog.h>

#include "pkg/api/json_path.h"
#include "pkg/client/indexer.h"
#include "pkg/controllers/object_meta.h"

namespace kc::controllers {
namespace {

namespace json = boost::json;

const client::ResourceRef kNamespaces{"", "v1", "namespaces"};
const client::ResourceRef kConfigMaps{"", "v1", "configmaps"};

}  // namespace

RootCAPublisher::RootCAPublisher(client::Client& client, client::SharedInformerFactory& factory,
                                 std::string root_ca_pem, RootCAPublisherOptions opts)
    : client_(client),
      root_ca_(std::move(root_ca_pem)),
      queue_(QueueOptionsFrom(opts)),
      loop_(kName, queue_, [this](const std::string& key) { return Sync(key); }) {
  namespaces_ = factory.ForResource(kNamespaces);
  config_maps_ = factory.ForResource(kConfigMaps);
  client::EventHandler nh;
  nh.on_add = [this](const client::ObjectPtr& ns) {
    queue_.Add(client::ObjectMetaString(*ns, "name"));
  };
  nh.on_update = [this](const client::ObjectPtr&, const client::ObjectPtr& ns) {
    if (NamespaceActive(*ns)) queue_.Add(client::ObjectMetaString(*ns, "name"));
  };
  ns_handler_ = namespaces_->AddEventHandler(std::move(nh));
  client::EventHandler ch;
  ch.on_update = [this](const client::ObjectPtr&, const client::ObjectPtr& cm) {
    if (client::ObjectMetaString(*cm, "name") == kRootCAConfigMapName) {
      queue_.Add(client::ObjectMetaString(*cm, "namespace"));
    }
  };
  ch.on_delete = [this](const client::ObjectPtr& cm) {
    if (client::ObjectMetaString(*cm, "name") == kRootCAConfigMapName) {
      queue_.Add(client::ObjectMetaString(*cm, "namespace"));
    }
  };
  cm_handler_ = config_maps_->AddEventHandler(std::move(ch));
  registered_ = true;
}

RootCAPublisher::~RootCAPublisher() { Stop(); }

void RootCAPublisher::Start(int workers) { loop_.Start({namespaces_, config_maps_}, workers); }

void RootCAPublisher::Stop() {
  if (registered_) {
    namespaces_->RemoveEventHandler(ns_handler_);
    config_maps_->RemoveEventHandler(cm_handler_);
    registered_ = false;
  }
  loop_.Stop();
}

api::Status RootCAPublisher::Sync(const std::string& ns) {
  client::ObjectPtr nsobj = namespaces_->Get(ns);
  if (!nsobj || !NamespaceActive(*nsobj)) return {};
  const json::object data{{kRootCAConfigMapKey, root_ca_}};
  client::ObjectPtr cm = config_maps_->Get(ns, kRootCAConfigMapName);
  if (!cm) {
    client::Object obj{
        {"apiVersion", "v1"},
        {"kind", "ConfigMap"},
        {"metadata",
         json::object{{"name", kRootCAConfigMapName},
                      {"namespace", ns},
                      {"annotations", json::object{{kDescriptionAnnotation, kRootCADescription}}}}},
        {"data", data}};
    api::Result<client::Object> r = client_.Create(kConfigMaps, ns, obj);
    if (r.ok()) return {};
    switch (r.status().reason()) {
      case api::Reason::kNotFound:   // the namespace is gone
      case api::Reason::kForbidden:  // the namespace is terminating
        return {};
      default:
        return r.status();  // AlreadyExists: the cache was behind; the retry updates it
    }
  }

  const json::object* cur_data = api::GetObject(*cm, "data");
  const json::value* desc = api::Lookup(*cm, "metadata.annotations");
  bool has_desc = desc && desc->is_object() &&
                  !api::GetString(desc->get_object(), kDescriptionAnnotation).empty();
  if (cur_data && *cur_data == data && has_desc) return {};

  client::Object copy = *cm;
  copy["data"] = data;
  json::object& meta = api::EnsureObject(copy, "metadata");
  api::EnsureObject(meta, "annotations")[kDescriptionAnnotation] = kRootCADescription;
  api::Result<client::Object> r = client_.Update(kConfigMaps, ns, copy);
  if (!r.ok()) {
    if (r.status().reason() == api::Reason::kNotFound) return {};  // the delete event requeues
    return r.status();
  }
  spdlog::info("root-ca-cert-publisher: restored {}/{}", ns, kRootCAConfigMapName);
  return {};
}

}  // namespace kc::controllers
