#include "pkg/controllers/garbage_collector.h"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <functional>

#include "pkg/client/indexer.h"

namespace kc::controllers {
namespace {

// Read-modify-write retries of one metadata list before giving up (the key is then requeued).
constexpr int kConflictRetries = 5;

// GETs the object, lets `edit` change metadata.<field> and writes it back with a JSON merge patch
// under the read resourceVersion. A vanished or replaced object (other uid) needs no change.
api::Status EditMetadataList(client::Client& client, const ObjectIdentity& id, const char* field,
                             const std::function<bool(boost::json::array&)>& edit) {
  for (int attempt = 0; attempt < kConflictRetries; ++attempt) {
    api::Result<client::Object> cur = client.Get(id.resource, id.ns, id.name);
    if (!cur.ok()) return IsNotFound(cur.status()) ? api::Status::Ok() : cur.status();
    if (client::ObjectMetaString(*cur, "uid") != id.uid) return api::Status::Ok();
    boost::json::array list;
    if (const boost::json::value* m = cur->if_contains("metadata"); m && m->is_object()) {
      if (const boost::json::value* f = m->get_object().if_contains(field); f && f->is_array()) {
        list = f->get_array();
      }
    }
    if (!edit(list)) return api::Status::Ok();
    std::string patch =
        MetadataListPatch(client::ObjectMetaString(*cur, "resourceVersion"), field, list);
    api::Result<client::Object> r =
        client.Patch(id.resource, id.ns, id.name, client::PatchType::kMerge, patch);
    if (r.ok() || IsNotFound(r.status())) return api::Status::Ok();
    if (r.status().reason() != api::Reason::kConflict) return r.status();
  }
  return api::Status::Conflict("too many conflicts updating metadata." + std::string(field) +
                               " of " + QualifiedName(id.resource) + " " + id.name);
}

}  // namespace

GarbageCollector::GarbageCollector(client::Client& client, client::SharedInformerFactory& factory,
                                   GarbageCollectorOptions opts)
    : client_(client),
      queue_(QueueOptionsFrom(opts)),
      loop_(kName, queue_, [this](const std::string& uid) { return Sync(uid); }) {
  for (const api::ResourceInfo* info : UniqueResources(/*namespaced_only=*/false)) {
    if (info->plural == "events") continue;  // never owners nor owned in practice; high churn
    client::ResourceRef res = RefFor(*info);
    resources_.push_back(res);
    client::SharedInformer* informer = factory.ForResource(res);
    std::string kind = info->kind;
    client::EventHandler h;
    h.on_add = [this, res, kind](const client::ObjectPtr& obj) {
      Enqueue(graph_.Upsert(res, kind, *obj));
    };
    h.on_update = [this, res, kind](const client::ObjectPtr&, const client::ObjectPtr& obj) {
      Enqueue(graph_.Upsert(res, kind, *obj));
    };
    h.on_delete = [this](const client::ObjectPtr& obj) { Enqueue(graph_.Remove(*obj)); };
    handlers_.emplace_back(informer, informer->AddEventHandler(std::move(h)));
  }
}

GarbageCollector::~GarbageCollector() { Stop(); }

void GarbageCollector::Start(int workers) {
  std::vector<client::SharedInformer*> informers;
  for (const auto& [informer, id] : handlers_) informers.push_back(informer);
  loop_.Start(std::move(informers), workers);
}

void GarbageCollector::Stop() {
  for (const auto& [informer, id] : handlers_) informer->RemoveEventHandler(id);
  handlers_.clear();
  loop_.Stop();
}

void GarbageCollector::Enqueue(const std::vector<std::string>& uids) {
  for (const std::string& uid : uids) queue_.Add(uid);
}

api::Status GarbageCollector::Sync(const std::string& uid) {
  std::optional<NodeSnapshot> node = graph_.Get(uid);
  if (!node || !node->observed) return api::Status::Ok();
  if (node->deleting) {
    if (HasFinalizer(node->finalizers, kOrphanFinalizer)) return SyncOrphan(*node);
    if (HasFinalizer(node->finalizers, kForegroundFinalizer)) return SyncForeground(*node);
    return api::Status::Ok();
  }
  if (node->owners.empty()) return api::Status::Ok();
  return SyncOwners(*node);
}

api::Status GarbageCollector::SyncOrphan(const NodeSnapshot& owner) {
  for (const DependentInfo& dep : owner.dependents) {
    if (!dep.observed) continue;
    if (api::Status st = RemoveOwnerRefs(dep.id, {owner.id.uid}); !st.ok()) return st;
  }
  spdlog::debug("garbagecollector: orphaned {} dependents of {} {}/{}", owner.dependents.size(),
                QualifiedName(owner.id.resource), owner.id.ns, owner.id.name);
  return RemoveFinalizer(owner.id, kOrphanFinalizer);
}

api::Status GarbageCollector::SyncForeground(const NodeSnapshot& owner) {
  size_t blocking = 0;
  for (const DependentInfo& dep : owner.dependents) {
    if (!dep.observed) continue;
    if (dep.block_owner_deletion) blocking++;
    // Each dependent's own sync sees this owner waiting and deletes it (or drops the reference
    // when it has another solid owner).
    if (!dep.deleting) queue_.Add(dep.id.uid);
  }
  if (blocking > 0) return api::Status::Ok();  // re-synced when a dependent goes away
  return RemoveFinalizer(owner.id, kForegroundFinalizer);
}

api::Status GarbageCollector::SyncOwners(const NodeSnapshot& item) {
  // Fast path, the common case: every owner is in the graph and not going away.
  bool all_solid = true;
  for (const OwnerRef& ref : item.owners) {
    const api::ResourceInfo* info = ResolveKind(ref.api_version, ref.kind);
    std::optional<OwnerState> st;
    if (info) st = CachedOwnerState(ref, *info, info->namespaced ? item.id.ns : "");
    if (!st || *st != OwnerState::kSolid) {
      all_solid = false;
      break;
    }
  }
  if (all_solid) return api::Status::Ok();

  // Decide on the latest ownerReferences, not the cached ones.
  api::Result<client::Object> latest = client_.Get(item.id.resource, item.id.ns, item.id.name);
  if (!latest.ok()) return IsNotFound(latest.status()) ? api::Status::Ok() : latest.status();
  if (client::ObjectMetaString(*latest, "uid") != item.id.uid) return api::Status::Ok();
  if (IsDeleting(*latest)) return api::Status::Ok();
  std::vector<OwnerRef> refs = OwnerRefs(*latest);
  if (refs.empty()) return api::Status::Ok();

  const api::ResourceInfo* self = api::FindResource(
      item.id.resource.group, item.id.resource.version, item.id.resource.resource);
  const bool namespaced = self ? self->namespaced : !item.id.ns.empty();
  std::vector<std::string> solid, dangling, waiting;
  for (const OwnerRef& ref : refs) {
    api::Result<OwnerState> state = ClassifyOwner(ref, item.id, namespaced);
    if (!state.ok()) return state.status();
    switch (*state) {
      case OwnerState::kSolid:
        solid.push_back(ref.uid);
        break;
      case OwnerState::kDangling:
        dangling.push_back(ref.uid);
        break;
      case OwnerState::kWaiting:
        waiting.push_back(ref.uid);
        break;
    }
  }

  if (!solid.empty()) {
    if (dangling.empty() && waiting.empty()) return api::Status::Ok();
    std::vector<std::string> drop = dangling;
    drop.insert(drop.end(), waiting.begin(), waiting.end());
    spdlog::debug("garbagecollector: removing {} stale ownerReferences from {} {}/{}", drop.size(),
                  QualifiedName(item.id.resource), item.id.ns, item.id.name);
    return RemoveOwnerRefs(item.id, drop);
  }
  std::string policy = "Background";
  if (!waiting.empty() && !item.dependents.empty()) {
    policy = "Foreground";
  } else {
    std::vector<std::string> fin = Finalizers(*latest);
    if (HasFinalizer(fin, kOrphanFinalizer)) {
      policy = "Orphan";
    } else if (HasFinalizer(fin, kForegroundFinalizer)) {
      policy = "Foreground";
    }
  }
  spdlog::debug("garbagecollector: deleting {} {}/{} (owners gone, propagation {})",
                QualifiedName(item.id.resource), item.id.ns, item.id.name, policy);
  return DeleteObject(item.id, policy);
}

std::optional<GarbageCollector::OwnerState> GarbageCollector::CachedOwnerState(
    const OwnerRef& ref, const api::ResourceInfo& info, const std::string& owner_ns) const {
  std::optional<NodeSummary> cached = graph_.Summary(ref.uid);
  if (cached && cached->observed && cached->id.ns == owner_ns &&
      cached->id.resource.group == info.group && cached->id.kind == info.kind) {
    return cached->waiting_for_dependents ? OwnerState::kWaiting : OwnerState::kSolid;
  }
  if (graph_.KnownAbsent(ref.uid)) return OwnerState::kDangling;
  return std::nullopt;
}

api::Result<GarbageCollector::OwnerState> GarbageCollector::ClassifyOwner(
    const OwnerRef& ref, const ObjectIdentity& dependent, bool dependent_namespaced) {
  const api::ResourceInfo* info = ResolveKind(ref.api_version, ref.kind);
  if (!info) {
    // An unknown kind cannot be checked; keeping the dependent is the safe choice.
    spdlog::debug("garbagecollector: cannot resolve owner kind {} {} of {}/{}", ref.api_version,
                  ref.kind, dependent.ns, dependent.name);
    return OwnerState::kSolid;
  }
  if (info->namespaced && !dependent_namespaced) {
    // A cluster-scoped object cannot be owned by a namespaced one: unresolvable, keep it.
    return OwnerState::kSolid;
  }
  const std::string owner_ns = info->namespaced ? dependent.ns : "";

  if (std::optional<OwnerState> cached = CachedOwnerState(ref, *info, owner_ns)) return *cached;

  api::Result<client::Object> owner = client_.Get(RefFor(*info), owner_ns, ref.name);
  if (!owner.ok()) {
    if (!IsNotFound(owner.status())) return owner.status();
    graph_.MarkAbsent(ref.uid);
    return OwnerState::kDangling;
  }
  if (client::ObjectMetaString(*owner, "uid") != ref.uid) {
    graph_.MarkAbsent(ref.uid);
    return OwnerState::kDangling;
  }
  bool waiting = IsDeleting(*owner) && HasFinalizer(Finalizers(*owner), kForegroundFinalizer);
  return waiting ? OwnerState::kWaiting : OwnerState::kSolid;
}

api::Status GarbageCollector::RemoveOwnerRefs(const ObjectIdentity& id,
                                              const std::vector<std::string>& uids) {
  return EditMetadataList(client_, id, "ownerReferences", [&](boost::json::array& refs) {
    size_t before = refs.size();
    auto drop = [&](const boost::json::value& v) {
      if (!v.is_object()) return false;
      const boost::json::value* u = v.get_object().if_contains("uid");
      return u && u->is_string() &&
             std::find(uids.begin(), uids.end(), std::string(u->get_string())) != uids.end();
    };
    refs.erase(std::remove_if(refs.begin(), refs.end(), drop), refs.end());
    return refs.size() != before;
  });
}

api::Status GarbageCollector::RemoveFinalizer(const ObjectIdentity& id,
                                              const std::string& finalizer) {
  return EditMetadataList(client_, id, "finalizers", [&](boost::json::array& fin) {
    size_t before = fin.size();
    auto drop = [&](const boost::json::value& v) {
      return v.is_string() && v.get_string() == finalizer;
    };
    fin.erase(std::remove_if(fin.begin(), fin.end(), drop), fin.end());
    return fin.size() != before;
  });
}

api::Status GarbageCollector::DeleteObject(const ObjectIdentity& id, const std::string& policy) {
  client::DeleteOptions opts;
  opts.propagation_policy = policy;
  opts.precondition_uid = id.uid;
  api::Result<client::Object> r = client_.Delete(id.resource, id.ns, id.name, opts);
  if (r.ok() || IsNotFound(r.status())) return api::Status::Ok();
  // A uid precondition failure means the name now belongs to another object.
  if (r.status().reason() == api::Reason::kConflict &&
      r.status().message().find("UID in precondition") != std::string::npos) {
    return api::Status::Ok();
  }
  return r.status();
}

}  // namespace kc::controllers
