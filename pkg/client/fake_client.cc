#include "pkg/client/fake_client.h"

#include <boost/json/parse.hpp>
#include <charconv>
#include <chrono>

#include "pkg/api/field_selector.h"
#include "pkg/api/json_patch.h"
#include "pkg/api/label_selector.h"
#include "pkg/api/merge_patch.h"
#include "pkg/api/resource_info.h"
#include "pkg/api/time_util.h"
#include "pkg/client/request_path.h"
#include "pkg/client/status_json.h"
#include "pkg/client/watch_queue.h"

namespace kc::client {
namespace {

constexpr size_t kMaxHistory = 100000;

std::string ResKey(const ResourceRef& res) { return res.group + "/" + res.resource; }

std::string StoreKey(const ResourceRef& res, const std::string& ns, const std::string& name) {
  return ResKey(res) + "/" + ns + "/" + name;
}

std::string Qualified(const ResourceRef& res) {
  return res.group.empty() ? res.resource : res.resource + "." + res.group;
}

boost::json::object& Meta(Object& obj) {
  boost::json::value& m = obj["metadata"];
  if (!m.is_object()) m = boost::json::object();
  return m.get_object();
}

std::string MetaStr(const Object& obj, const char* field) {
  const boost::json::value* m = obj.if_contains("metadata");
  if (!m || !m->is_object()) return "";
  const boost::json::value* v = m->get_object().if_contains(field);
  return v && v->is_string() ? std::string(v->get_string()) : "";
}

bool HasFinalizers(const Object& obj) {
  const boost::json::value* m = obj.if_contains("metadata");
  if (!m || !m->is_object()) return false;
  const boost::json::value* f = m->get_object().if_contains("finalizers");
  return f && f->is_array() && !f->get_array().empty();
}

const boost::json::object* Labels(const Object& obj) {
  const boost::json::value* m = obj.if_contains("metadata");
  if (!m || !m->is_object()) return nullptr;
  const boost::json::value* l = m->get_object().if_contains("labels");
  return l && l->is_object() ? &l->get_object() : nullptr;
}

bool HasStatusSubresource(const ResourceRef& res) {
  const api::ResourceInfo* info = api::FindResource(res.group, res.version, res.resource);
  return info && info->has_status;
}

Object SuccessStatus(int code) {
  Object o = StatusToJson(api::Status::Ok());
  o["code"] = code;
  return o;
}

// A WatchStream handle over a queue the fake keeps feeding; dropping it stops the queue.
class SharedStream : public WatchStream {
 public:
  explicit SharedStream(std::shared_ptr<QueueWatchStream> q) : q_(std::move(q)) {}
  ~SharedStream() override { q_->Stop(); }
  bool Next(WatchEvent* ev, int timeout_ms) override { return q_->Next(ev, timeout_ms); }
  bool ended() const override { return q_->ended(); }
  api::Status status() const override { return q_->status(); }
  void Stop() override { q_->Stop(); }

 private:
  std::shared_ptr<QueueWatchStream> q_;
};

FakeClient::Action MakeAction(const char* verb, const ResourceRef& res, const std::string& ns,
                              const std::string& name = "", const std::string& subresource = "") {
  FakeClient::Action a;
  a.verb = verb;
  a.resource = res;
  a.ns = ns;
  a.name = name;
  a.subresource = subresource;
  return a;
}

}  // namespace

struct FakeClient::Watcher {
  std::string res_key;
  std::string ns;
  api::LabelSelector labels;
  api::FieldSelector fields;
  std::shared_ptr<QueueWatchStream> stream;

  bool Matches(const Object& obj) const {
    if (!ns.empty() && MetaStr(obj, "namespace") != ns) return false;
    return labels.Matches(Labels(obj)) && fields.Matches(obj);
  }
};

FakeClient::FakeClient() = default;

FakeClient::~FakeClient() { CloseWatches(); }

void FakeClient::Record(const Action& action) {
  std::lock_guard<std::mutex> l(mu_);
  actions_.push_back(action);
}

api::Status FakeClient::React(const Action& action) {
  std::vector<Reactor> matching;
  {
    std::lock_guard<std::mutex> l(mu_);
    for (const auto& [key, reactor] : reactors_) {
      if ((key.first == "*" || key.first == action.verb) &&
          (key.second == "*" || key.second == action.resource.resource)) {
        matching.push_back(reactor);
      }
    }
  }
  for (const Reactor& r : matching) {
    if (std::optional<api::Status> st = r(action)) return *st;
  }
  return api::Status::Ok();
}

void FakeClient::AddReactor(const std::string& verb, const std::string& resource,
                            Reactor reactor) {
  std::lock_guard<std::mutex> l(mu_);
  reactors_.push_back({{verb, resource}, std::move(reactor)});
}

std::vector<FakeClient::Action> FakeClient::Actions() const {
  std::lock_guard<std::mutex> l(mu_);
  return actions_;
}

std::vector<FakeClient::Action> FakeClient::ActionsFor(const std::string& verb,
                                                       const std::string& resource) const {
  std::lock_guard<std::mutex> l(mu_);
  std::vector<Action> out;
  for (const Action& a : actions_) {
    if (a.verb == verb && (resource.empty() || a.resource.resource == resource)) out.push_back(a);
  }
  return out;
}

void FakeClient::ClearActions() {
  std::lock_guard<std::mutex> l(mu_);
  actions_.clear();
}

void FakeClient::SetSilent(bool silent) {
  std::lock_guard<std::mutex> l(mu_);
  silent_ = silent;
}

void FakeClient::ExpireWatches() {
  std::lock_guard<std::mutex> l(mu_);
  for (auto& w : watchers_) {
    api::Status st = api::Status::Expired("too old resource version: " +
                                          std::to_string(oldest_watchable_rv_) + " (" +
                                          std::to_string(rv_) + ")");
    w->stream->Push(WatchEvent{WatchEventType::kError, StatusToJson(st)});
  }
  watchers_.clear();
  history_.clear();
  oldest_watchable_rv_ = rv_;
}

void FakeClient::CloseWatches() {
  std::lock_guard<std::mutex> l(mu_);
  for (auto& w : watchers_) w->stream->Finish(api::Status::Ok());
  watchers_.clear();
}

size_t FakeClient::OpenWatches() const {
  std::lock_guard<std::mutex> l(mu_);
  size_t n = 0;
  for (const auto& w : watchers_) {
    if (!w->stream->stopped() && !w->stream->finished()) n++;
  }
  return n;
}

int64_t FakeClient::ResourceVersion() const {
  std::lock_guard<std::mutex> l(mu_);
  return rv_;
}

void FakeClient::PruneWatchersLocked() {
  std::erase_if(watchers_, [](const std::shared_ptr<Watcher>& w) {
    return w->stream->stopped() || w->stream->finished();
  });
}

void FakeClient::Deliver(Watcher& w, const HistoryEntry& e) {
  bool now = w.Matches(*e.obj);
  WatchEventType type = e.type;
  if (e.type == WatchEventType::kModified) {
    bool before = e.prev && w.Matches(*e.prev);
    if (!before && !now) return;
    if (!before) type = WatchEventType::kAdded;
    if (!now) type = WatchEventType::kDeleted;
  } else if (!now) {
    return;
  }
  w.stream->Push(WatchEvent{type, *e.obj});
}

void FakeClient::EmitLocked(const std::string& res_key, WatchEventType type, const Object& obj,
                            const Object* prev) {
  if (silent_) return;
  HistoryEntry e;
  e.rv = rv_;
  e.res_key = res_key;
  e.type = type;
  e.obj = std::make_shared<const Object>(obj);
  if (prev) e.prev = std::make_shared<const Object>(*prev);
  for (auto& w : watchers_) {
    if (w->res_key == res_key) Deliver(*w, e);
  }
  history_.push_back(std::move(e));
  while (history_.size() > kMaxHistory) {
    oldest_watchable_rv_ = history_.front().rv;
    history_.pop_front();
  }
  PruneWatchersLocked();
}

api::Result<Object> FakeClient::Get(const ResourceRef& res, const std::string& ns,
                                    const std::string& name, const std::string& subresource) {
  Action a = MakeAction("get", res, ns, name, subresource);
  Record(a);
  if (api::Status st = React(a); !st.ok()) return st;
  std::lock_guard<std::mutex> l(mu_);
  std::string target_ns = IsNamespaced(res, ns) ? ns : "";
  auto it = objects_.find(StoreKey(res, target_ns, name));
  if (it == objects_.end()) return api::Status::NotFoundFor(Qualified(res), name);
  return it->second;
}

api::Result<ObjectList> FakeClient::List(const ResourceRef& res, const std::string& ns,
                                         const ListOptions& opts) {
  Action a = MakeAction("list", res, ns);
  a.list_options = opts;
  Record(a);
  if (api::Status st = React(a); !st.ok()) return st;
  api::Result<api::LabelSelector> labels = api::LabelSelector::Parse(opts.label_selector);
  if (!labels.ok()) return labels.status();
  api::Result<api::FieldSelector> fields = api::FieldSelector::Parse(opts.field_selector);
  if (!fields.ok()) return fields.status();

  std::lock_guard<std::mutex> l(mu_);
  std::string target_ns = IsNamespaced(res, ns) ? ns : "";
  std::string prefix = ResKey(res) + "/";
  if (!target_ns.empty()) prefix += target_ns + "/";
  auto it = opts.continue_token.empty() ? objects_.lower_bound(prefix)
                                        : objects_.upper_bound(opts.continue_token);
  if (!opts.continue_token.empty() && opts.continue_token.compare(0, prefix.size(), prefix) != 0) {
    return api::Status::BadRequest("invalid continue token");
  }
  ObjectList out;
  out.resource_version = std::to_string(rv_);
  std::string last_key;
  for (; it != objects_.end() && it->first.compare(0, prefix.size(), prefix) == 0; ++it) {
    const Object& obj = it->second;
    if (!labels->Matches(Labels(obj)) || !fields->Matches(obj)) continue;
    if (opts.limit > 0 && static_cast<int64_t>(out.items.size()) == opts.limit) {
      out.continue_token = last_key;  // the next page starts after the last key returned
      break;
    }
    out.items.push_back(obj);
    last_key = it->first;
  }
  return out;
}

api::Result<std::unique_ptr<WatchStream>> FakeClient::Watch(const ResourceRef& res,
                                                            const std::string& ns,
                                                            const ListOptions& opts) {
  Action a = MakeAction("watch", res, ns);
  a.list_options = opts;
  Record(a);
  if (api::Status st = React(a); !st.ok()) return st;
  auto w = std::make_shared<Watcher>();
  api::Result<api::LabelSelector> labels = api::LabelSelector::Parse(opts.label_selector);
  if (!labels.ok()) return labels.status();
  api::Result<api::FieldSelector> fields = api::FieldSelector::Parse(opts.field_selector);
  if (!fields.ok()) return fields.status();
  w->res_key = ResKey(res);
  w->ns = IsNamespaced(res, ns) ? ns : "";
  w->labels = std::move(*labels);
  w->fields = std::move(*fields);
  w->stream = std::make_shared<QueueWatchStream>();

  std::lock_guard<std::mutex> l(mu_);
  const std::string& rv = opts.resource_version;
  if (rv.empty() || rv == "0") {
    // Start from the current state: a synthetic ADDED per object.
    std::string prefix = w->res_key + "/";
    for (auto it = objects_.lower_bound(prefix);
         it != objects_.end() && it->first.compare(0, prefix.size(), prefix) == 0; ++it) {
      if (w->Matches(it->second)) w->stream->Push(WatchEvent{WatchEventType::kAdded, it->second});
    }
  } else {
    int64_t from = 0;
    auto [end, ec] = std::from_chars(rv.data(), rv.data() + rv.size(), from);
    if (ec != std::errc() || end != rv.data() + rv.size() || from < 0) {
      return api::Status::BadRequest("resourceVersion: Invalid value: \"" + rv +
                                     "\": must be an integer");
    }
    if (from < oldest_watchable_rv_) {
      api::Status st = api::Status::Expired("too old resource version: " + rv + " (" +
                                            std::to_string(oldest_watchable_rv_) + ")");
      w->stream->Push(WatchEvent{WatchEventType::kError, StatusToJson(st)});
    } else {
      for (const HistoryEntry& e : history_) {
        if (e.rv > from && e.res_key == w->res_key) Deliver(*w, e);
      }
    }
  }
  if (!w->stream->finished()) watchers_.push_back(w);
  return std::unique_ptr<WatchStream>(std::make_unique<SharedStream>(w->stream));
}

api::Result<Object> FakeClient::Seed(const ResourceRef& res, const Object& obj) {
  std::lock_guard<std::mutex> l(mu_);
  return CreateLocked(res, "", obj, WriteOptions{});
}

api::Result<Object> FakeClient::Create(const ResourceRef& res, const std::string& ns,
                                       const Object& obj, const WriteOptions& opts) {
  Action a = MakeAction("create", res, ns, MetaStr(obj, "name"), opts.subresource);
  a.object = obj;
  Record(a);
  if (api::Status st = React(a); !st.ok()) return st;
  std::lock_guard<std::mutex> l(mu_);
  return CreateLocked(res, ns, obj, opts);
}

api::Result<Object> FakeClient::CreateLocked(const ResourceRef& res, const std::string& ns,
                                             Object obj, const WriteOptions& opts) {
  std::string meta_ns = MetaStr(obj, "namespace");
  if (!ns.empty() && !meta_ns.empty() && ns != meta_ns) {
    return api::Status::BadRequest(
        "the namespace of the provided object does not match the namespace sent on the request");
  }
  std::string target_ns = ns.empty() ? meta_ns : ns;
  bool namespaced = IsNamespaced(res, target_ns);
  if (!namespaced) target_ns.clear();
  if (namespaced && target_ns.empty()) return api::Status::BadRequest("namespace is required");
  std::string name = MetaStr(obj, "name");

  if (!opts.subresource.empty()) {
    std::string key = StoreKey(res, target_ns, name);
    auto it = objects_.find(key);
    if (it == objects_.end()) return api::Status::NotFoundFor(Qualified(res), name);
    if (opts.subresource == "eviction") {
      api::Result<Object> r = DeleteLocked(res, target_ns, name, DeleteOptions{});
      if (!r.ok()) return r.status();
      return SuccessStatus(201);
    }
    if (opts.subresource == "binding") {
      const boost::json::value* target = obj.if_contains("target");
      const boost::json::value* node =
          target && target->is_object() ? target->get_object().if_contains("name") : nullptr;
      if (!node || !node->is_string()) return api::Status::Invalid("binding target.name is required");
      Object pod = it->second;
      boost::json::value& spec = pod["spec"];
      if (!spec.is_object()) spec = boost::json::object();
      const boost::json::value* current = spec.get_object().if_contains("nodeName");
      if (current && current->is_string() && !current->get_string().empty()) {
        return api::Status::ConflictFor(Qualified(res), name,
                                        "pod " + name + " is already assigned to node \"" +
                                            std::string(current->get_string()) + "\"");
      }
      spec.get_object()["nodeName"] = node->get_string();
      api::Result<Object> r = CommitUpdateLocked(res, key, std::move(pod), "binding", opts.dry_run);
      if (!r.ok()) return r.status();
      return SuccessStatus(201);
    }
    return obj;
  }

  if (name.empty()) {
    std::string generate = MetaStr(obj, "generateName");
    if (generate.empty()) {
      return api::Status::Invalid(Qualified(res) + " \"\" is invalid: metadata.name: Required "
                                  "value: name or generateName is required");
    }
    name = generate + api::RandomSuffix(5);
  }
  std::string key = StoreKey(res, target_ns, name);
  if (objects_.count(key)) return api::Status::AlreadyExistsFor(Qualified(res), name);
  boost::json::object& meta = Meta(obj);
  meta["name"] = name;
  if (namespaced) meta["namespace"] = target_ns;
  meta["uid"] = api::NewUid();
  meta["creationTimestamp"] = api::FormatTime(std::chrono::system_clock::now());
  if (!meta.contains("generation")) meta["generation"] = 1;
  meta.erase("deletionTimestamp");
  if (opts.dry_run) return obj;
  meta["resourceVersion"] = NextRvLocked();
  objects_[key] = obj;
  EmitLocked(ResKey(res), WatchEventType::kAdded, obj, nullptr);
  return obj;
}

api::Result<Object> FakeClient::CommitUpdateLocked(const ResourceRef& res, const std::string& key,
                                                   Object updated,
                                                   const std::string& subresource,
                                                   bool dry_run) {
  Object& stored = objects_[key];
  Object old = stored;
  Object next;
  if (subresource == "status") {
    next = old;
    if (const boost::json::value* st = updated.if_contains("status")) {
      next["status"] = *st;
    } else {
      next.erase("status");
    }
    // Like the real server for built-in kinds: /status writes keep label/annotation changes.
    for (const char* k : {"labels", "annotations"}) {
      if (const boost::json::value* v = Meta(updated).if_contains(k)) {
        Meta(next)[k] = *v;
      } else {
        Meta(next).erase(k);
      }
    }
  } else {
    next = std::move(updated);
    if (subresource.empty() && HasStatusSubresource(res)) {
      if (const boost::json::value* st = old.if_contains("status")) {
        next["status"] = *st;
      } else {
        next.erase("status");
      }
    }
  }
  // Fields an update cannot change.
  boost::json::object& meta = Meta(next);
  const boost::json::object& old_meta = Meta(old);
  for (const char* f : {"name", "namespace", "uid", "creationTimestamp", "deletionTimestamp",
                        "generation", "resourceVersion"}) {
    if (const boost::json::value* v = old_meta.if_contains(f)) {
      meta[f] = *v;
    } else {
      meta.erase(f);
    }
  }
  if (next == old) return old;  // a no-op write keeps the resourceVersion
  const boost::json::value* old_spec = old.if_contains("spec");
  const boost::json::value* new_spec = next.if_contains("spec");
  bool spec_changed = (old_spec == nullptr) != (new_spec == nullptr) ||
                      (old_spec && *old_spec != *new_spec);
  if (spec_changed && meta.contains("generation") && meta["generation"].is_int64()) {
    meta["generation"] = meta["generation"].get_int64() + 1;
  }
  if (dry_run) return next;
  meta["resourceVersion"] = NextRvLocked();
  if (meta.contains("deletionTimestamp") && !HasFinalizers(next)) {
    objects_.erase(key);
    EmitLocked(ResKey(res), WatchEventType::kDeleted, next, nullptr);
    return next;
  }
  stored = next;
  EmitLocked(ResKey(res), WatchEventType::kModified, next, &old);
  return next;
}

api::Result<Object> FakeClient::Update(const ResourceRef& res, const std::string& ns,
                                       const Object& obj, const WriteOptions& opts) {
  Action a = MakeAction("update", res, ns, MetaStr(obj, "name"), opts.subresource);
  a.object = obj;
  Record(a);
  if (api::Status st = React(a); !st.ok()) return st;
  std::lock_guard<std::mutex> l(mu_);
  std::string target_ns = ns.empty() ? MetaStr(obj, "namespace") : ns;
  if (!IsNamespaced(res, target_ns)) target_ns.clear();
  std::string name = MetaStr(obj, "name");
  std::string key = StoreKey(res, target_ns, name);
  auto it = objects_.find(key);
  if (it == objects_.end()) return api::Status::NotFoundFor(Qualified(res), name);
  std::string rv = MetaStr(obj, "resourceVersion");
  if (!rv.empty() && rv != MetaStr(it->second, "resourceVersion")) {
    return api::Status::ConflictFor(Qualified(res), name,
                                    "the object has been modified; please apply your changes to "
                                    "the latest version and try again");
  }
  return CommitUpdateLocked(res, key, obj, opts.subresource, opts.dry_run);
}

api::Result<Object> FakeClient::Patch(const ResourceRef& res, const std::string& ns,
                                      const std::string& name, PatchType type,
                                      const std::string& patch, const PatchOptions& opts) {
  Action a = MakeAction("patch", res, ns, name, opts.subresource);
  a.patch_type = type;
  a.patch = patch;
  Record(a);
  if (api::Status st = React(a); !st.ok()) return st;
  boost::system::error_code ec;
  boost::json::value pv = boost::json::parse(patch, ec);
  if (ec) return api::Status::BadRequest("invalid patch: " + ec.message());

  std::lock_guard<std::mutex> l(mu_);
  std::string target_ns = IsNamespaced(res, ns) ? ns : "";
  std::string key = StoreKey(res, target_ns, name);
  auto it = objects_.find(key);
  if (it == objects_.end()) {
    if (type != PatchType::kApply || !pv.is_object()) {
      return api::Status::NotFoundFor(Qualified(res), name);
    }
    Object obj = pv.get_object();
    Meta(obj)["name"] = name;
    WriteOptions w;
    w.dry_run = opts.dry_run;
    w.field_manager = opts.field_manager;
    return CreateLocked(res, target_ns, std::move(obj), w);
  }
  boost::json::value doc = it->second;
  if (type == PatchType::kJson) {
    if (api::Status st = api::ApplyJsonPatch(doc, pv); !st.ok()) return st;
  } else {
    api::ApplyMergePatch(doc, pv);
  }
  if (!doc.is_object()) return api::Status::BadRequest("the patch did not produce an object");
  std::string rv = MetaStr(doc.get_object(), "resourceVersion");
  if (!rv.empty() && rv != MetaStr(it->second, "resourceVersion")) {
    return api::Status::ConflictFor(Qualified(res), name,
                                    "the object has been modified; please apply your changes to "
                                    "the latest version and try again");
  }
  return CommitUpdateLocked(res, key, std::move(doc.get_object()), opts.subresource, opts.dry_run);
}

api::Result<Object> FakeClient::Delete(const ResourceRef& res, const std::string& ns,
                                       const std::string& name, const DeleteOptions& opts) {
  Action a = MakeAction("delete", res, ns, name);
  a.delete_options = opts;
  Record(a);
  if (api::Status st = React(a); !st.ok()) return st;
  std::lock_guard<std::mutex> l(mu_);
  return DeleteLocked(res, IsNamespaced(res, ns) ? ns : "", name, opts);
}

api::Result<Object> FakeClient::DeleteLocked(const ResourceRef& res, const std::string& ns,
                                             const std::string& name, const DeleteOptions& opts) {
  std::string key = StoreKey(res, ns, name);
  auto it = objects_.find(key);
  if (it == objects_.end()) return api::Status::NotFoundFor(Qualified(res), name);
  Object obj = it->second;
  std::string uid = MetaStr(obj, "uid");
  if (!opts.precondition_uid.empty() && opts.precondition_uid != uid) {
    return api::Status::ConflictFor(Qualified(res), name,
                                    "Precondition failed: UID in precondition: " +
                                        opts.precondition_uid + ", UID in object meta: " + uid);
  }
  std::string rv = MetaStr(obj, "resourceVersion");
  if (!opts.precondition_resource_version.empty() && opts.precondition_resource_version != rv) {
    return api::Status::ConflictFor(
        Qualified(res), name,
        "Precondition failed: ResourceVersion in precondition: " +
            opts.precondition_resource_version + ", ResourceVersion in object meta: " + rv);
  }
  if (opts.dry_run) return obj;
  if (HasFinalizers(obj)) {
    boost::json::object& meta = Meta(obj);
    if (meta.contains("deletionTimestamp")) return obj;
    Object old = it->second;
    meta["deletionTimestamp"] = api::FormatTime(std::chrono::system_clock::now());
    meta["deletionGracePeriodSeconds"] = 0;
    meta["resourceVersion"] = NextRvLocked();
    it->second = obj;
    EmitLocked(ResKey(res), WatchEventType::kModified, obj, &old);
    return obj;
  }
  objects_.erase(it);
  Meta(obj)["resourceVersion"] = NextRvLocked();
  EmitLocked(ResKey(res), WatchEventType::kDeleted, obj, nullptr);
  return obj;
}

}  // namespace kc::client
