#include "pkg/apiserver/local_client.h"

#include <mutex>

#include "pkg/apiserver/version_conversion.h"
#include "pkg/apiserver/watch_filter.h"

namespace kc::apiserver {
namespace json = boost::json;

namespace {

// Adapts a Registry watch to client::WatchStream (blocking Next with timeout).
class LocalWatchStream : public client::WatchStream {
 public:
  // `convert`: the served version the events are converted into (nullptr: none).
  LocalWatchStream(WatchHandle h, const api::ResourceInfo* convert)
      : h_(std::move(h)), convert_(convert) {}
  ~LocalWatchStream() override { Stop(); }

  bool Next(client::WatchEvent* ev, int timeout_ms) override {
    if (next_initial_ < h_.initial.size()) {
      ev->type = client::WatchEventType::kAdded;
      ev->object = std::move(h_.initial[next_initial_++]);
      if (convert_) FromStorage(*convert_, ev->object);
      return true;
    }
    auto deadline = std::chrono::steady_clock::now() + std::chrono::milliseconds(timeout_ms);
    for (;;) {
      if (!pending_.empty()) {
        store::Event se = std::move(pending_.front());
        pending_.erase(pending_.begin());
        auto api_ev = h_.filter->Apply(se);
        if (!api_ev) continue;
        std::string t = api_ev->type;
        ev->type = t == "ADDED"      ? client::WatchEventType::kAdded
                   : t == "DELETED"  ? client::WatchEventType::kDeleted
                                     : client::WatchEventType::kModified;
        ev->object = std::move(api_ev->object);
        if (convert_) FromStorage(*convert_, ev->object);
        return true;
      }
      if (ended_) return false;
      if (!h_.watch->Poll(&pending_, 256)) {
        if (pending_.empty()) {
          ended_ = true;
          status_ = h_.watch->closed_status();
          if (!status_.ok()) status_ = api::Status::Expired(status_.message());
          return false;
        }
        continue;
      }
      if (!pending_.empty()) continue;
      int left = static_cast<int>(std::chrono::duration_cast<std::chrono::milliseconds>(
                                      deadline - std::chrono::steady_clock::now())
                                      .count());
      if (left <= 0) return false;
      h_.watch->Wait(left);
    }
  }
  bool ended() const override { return ended_; }
  api::Status status() const override { return status_; }
  void Stop() override {
    if (h_.watch) h_.watch->Stop();
  }

 private:
  WatchHandle h_;
  const api::ResourceInfo* const convert_;
  size_t next_initial_ = 0;
  std::vector<store::Event> pending_;
  bool ended_ = false;
  api::Status status_;
};

}  // namespace

LocalClient::LocalClient(Registry& registry, const ApiSurface& surface, std::string user)
    : registry_(registry), surface_(surface), user_(std::move(user)) {}

api::Result<const api::ResourceInfo*> LocalClient::Resolve(const client::ResourceRef& res) const {
  const api::ResourceInfo* ri = surface_.Find(res.group, res.version, res.resource);
  if (!ri) {
    return api::Status::NotFound("the server could not find the requested resource (" +
                                 res.resource + ")");
  }
  return ri;
}

RequestContext LocalClient::Context(const std::string& manager, bool dry_run) const {
  RequestContext ctx;
  ctx.user = user_;
  ctx.groups = {"system:masters", "system:authenticated"};
  ctx.field_manager = manager.empty() ? user_ : manager;
  ctx.dry_run = dry_run;
  ctx.field_validation = FieldValidation::kIgnore;
  return ctx;
}

api::Result<client::Object> LocalClient::Get(const client::ResourceRef& res, const std::string& ns,
                                             const std::string& name,
                                             const std::string& subresource) {
  auto ri = Resolve(res);
  if (!ri.ok()) return ri.status();
  if (subresource == "scale") return registry_.GetScale(**ri, ns, name);
  auto obj = registry_.Get(**ri, ns, name);
  if (obj.ok()) FromStorage(**ri, *obj);
  return obj;
}

api::Result<client::ObjectList> LocalClient::List(const client::ResourceRef& res,
                                                  const std::string& ns,
                                                  const client::ListOptions& opts) {
  auto ri = Resolve(res);
  if (!ri.ok()) return ri.status();
  ListOptions lo;
  lo.label_selector = opts.label_selector;
  lo.field_selector = opts.field_selector;
  lo.limit = opts.limit;
  lo.continue_token = opts.continue_token;
  lo.resource_version = opts.resource_version;
  auto r = registry_.List(**ri, ns, lo);
  if (!r.ok()) return r.status();
  client::ObjectList out;
  out.items = std::move(r->items);
  if (HasVersionConversion(**ri)) {
    for (client::Object& item : out.items) FromStorage(**ri, item);
  }
  out.resource_version = std::to_string(r->revision);
  out.continue_token = r->continue_token;
  return out;
}

api::Result<std::unique_ptr<client::WatchStream>> LocalClient::Watch(
    const client::ResourceRef& res, const std::string& ns, const client::ListOptions& opts) {
  auto ri = Resolve(res);
  if (!ri.ok()) return ri.status();
  ListOptions lo;
  lo.label_selector = opts.label_selector;
  lo.field_selector = opts.field_selector;
  lo.resource_version = opts.resource_version;
  auto h = registry_.Watch(**ri, ns, lo);
  if (!h.ok()) return h.status();
  return std::unique_ptr<client::WatchStream>(
      new LocalWatchStream(std::move(*h), HasVersionConversion(**ri) ? *ri : nullptr));
}

api::Result<client::Object> LocalClient::Create(const client::ResourceRef& res,
                                                const std::string& ns, const client::Object& obj,
                                                const client::WriteOptions& opts) {
  auto ri = Resolve(res);
  if (!ri.ok()) return ri.status();
  RequestContext ctx = Context(opts.field_manager, opts.dry_run);
  if (opts.subresource == "binding") {
    // A Binding names the pod in metadata.name and the node in target.name.
    std::string pod, node;
    if (const json::value* m = obj.if_contains("metadata"); m && m->is_object()) {
      if (const json::value* n = m->get_object().if_contains("name"); n && n->is_string()) {
        pod = std::string(n->get_string());
      }
    }
    if (const json::value* t = obj.if_contains("target"); t && t->is_object()) {
      if (const json::value* n = t->get_object().if_contains("name"); n && n->is_string()) {
        node = std::string(n->get_string());
      }
    }
    if (pod.empty() || node.empty()) {
      return api::Status::BadRequest("a Binding needs metadata.name and target.name");
    }
    return registry_.Bind(**ri, ns, pod, node, ctx);
  }
  if (!opts.subresource.empty()) {
    return api::Status(api::Reason::kMethodNotAllowed,
                       "create is not supported on subresource " + opts.subresource);
  }
  // Like a request body: in the served version's shape, stored in the storage version's.
  client::Object body = obj;
  if (auto st = ToStorage(**ri, body); !st.ok()) return st;
  auto created = registry_.Create(StorageResource(**ri), ns, std::move(body), ctx);
  if (created.ok()) FromStorage(**ri, *created);
  return created;
}

api::Result<client::Object> LocalClient::Update(const client::ResourceRef& res,
                                                const std::string& ns, const client::Object& obj,
                                                const client::WriteOptions& opts) {
  auto ri = Resolve(res);
  if (!ri.ok()) return ri.status();
  RequestContext ctx = Context(opts.field_manager, opts.dry_run);
  std::string name;
  if (const json::value* m = obj.if_contains("metadata"); m && m->is_object()) {
    if (const json::value* n = m->get_object().if_contains("name"); n && n->is_string()) {
      name = std::string(n->get_string());
    }
  }
  if (opts.subresource == "scale") return registry_.UpdateScale(**ri, ns, name, obj, ctx);
  client::Object body = obj;
  if (auto st = ToStorage(**ri, body); !st.ok()) return st;
  auto updated =
      registry_.Update(StorageResource(**ri), ns, name, std::move(body), opts.subresource, ctx);
  if (updated.ok()) FromStorage(**ri, *updated);
  return updated;
}

api::Result<client::Object> LocalClient::Patch(const client::ResourceRef& res,
                                               const std::string& ns, const std::string& name,
                                               client::PatchType type, const std::string& patch,
                                               const client::PatchOptions& opts) {
  auto ri = Resolve(res);
  if (!ri.ok()) return ri.status();
  RequestContext ctx = Context(opts.field_manager, opts.dry_run);
  PatchKind kind = type == client::PatchType::kJson             ? PatchKind::kJson
                   : type == client::PatchType::kMerge          ? PatchKind::kMerge
                   : type == client::PatchType::kStrategicMerge ? PatchKind::kStrategicMerge
                                                                : PatchKind::kApply;
  if (opts.subresource == "scale") return registry_.PatchScale(**ri, ns, name, kind, patch, ctx);
  // The registry patches the served version's view and stores the storage shape.
  auto patched =
      registry_.Patch(**ri, ns, name, kind, patch, opts.subresource, opts.force, ctx, nullptr);
  if (patched.ok()) FromStorage(**ri, *patched);
  return patched;
}

api::Result<client::Object> LocalClient::Delete(const client::ResourceRef& res,
                                                const std::string& ns, const std::string& name,
                                                const client::DeleteOptions& opts) {
  auto ri = Resolve(res);
  if (!ri.ok()) return ri.status();
  RequestContext ctx = Context("", opts.dry_run);
  DeleteOptions d;
  d.grace_period_seconds = opts.grace_period_seconds;
  d.propagation_policy = opts.propagation_policy;
  d.precondition_uid = opts.precondition_uid;
  d.precondition_resource_version = opts.precondition_resource_version;
  d.dry_run = opts.dry_run;
  auto r = registry_.Delete(**ri, ns, name, d, ctx);
  if (!r.ok()) return r.status();
  FromStorage(**ri, r->object);
  return std::move(r->object);
}

}  // namespace kc::apiserver
