#include "pkg/controllers/owner_graph.h"

#include "pkg/client/indexer.h"

namespace kc::controllers {
namespace {

// Known-absent uids are a cache; past this size it is simply cleared.
constexpr size_t kMaxAbsent = 100000;

}  // namespace

std::vector<std::string> OwnerGraph::Upsert(const client::ResourceRef& res, const std::string& kind,
                                            const client::Object& obj) {
  std::vector<std::string> to_sync;
  std::string uid = client::ObjectMetaString(obj, "uid");
  if (uid.empty()) return to_sync;

  std::lock_guard<std::mutex> l(mu_);
  absent_.erase(uid);
  Node& node = nodes_[uid];
  const bool was_observed = node.observed;
  const bool was_waiting = WaitsForDependents(node);
  std::vector<OwnerRef> old_owners = std::move(node.owners);

  node.id = ObjectIdentity{res, kind, client::ObjectMetaString(obj, "namespace"),
                           client::ObjectMetaString(obj, "name"), uid};
  node.observed = true;
  node.deleting = IsDeleting(obj);
  node.finalizers = Finalizers(obj);
  node.owners = OwnerRefs(obj);

  // Edges: drop owners no longer referenced, add new ones (virtual until observed).
  std::set<std::string> new_owner_uids;
  for (const OwnerRef& r : node.owners) new_owner_uids.insert(r.uid);
  for (const OwnerRef& r : old_owners) {
    if (!new_owner_uids.count(r.uid)) UnlinkLocked(r.uid, uid, &to_sync);
  }
  for (const OwnerRef& r : node.owners) {
    if (r.uid == uid) continue;
    nodes_[r.uid].dependents.insert(uid);
  }
  // (References into an unordered_map survive rehashing, so `node` is still valid.)
  Node& self = node;

  const bool owners_changed = !was_observed || old_owners != self.owners;
  if (owners_changed && !self.owners.empty()) to_sync.push_back(uid);
  if (owners_changed && was_observed) {
    // A blockOwnerDeletion flip or a removed reference may unblock a waiting owner.
    for (const OwnerRef& r : old_owners) {
      auto it = nodes_.find(r.uid);
      if (it != nodes_.end() && WaitsForDependents(it->second)) to_sync.push_back(r.uid);
    }
  }
  if (self.deleting && (HasFinalizer(self.finalizers, kOrphanFinalizer) ||
                        HasFinalizer(self.finalizers, kForegroundFinalizer))) {
    to_sync.push_back(uid);
  }
  if (WaitsForDependents(self) && !was_waiting) {
    // Dependents must now decide whether their last solid owner is going away.
    for (const std::string& d : self.dependents) to_sync.push_back(d);
  }
  return to_sync;
}

std::vector<std::string> OwnerGraph::Remove(const client::Object& obj) {
  std::vector<std::string> to_sync;
  std::string uid = client::ObjectMetaString(obj, "uid");
  if (uid.empty()) return to_sync;

  std::lock_guard<std::mutex> l(mu_);
  MarkAbsentLocked(uid);
  auto it = nodes_.find(uid);
  if (it == nodes_.end()) return to_sync;
  std::vector<OwnerRef> owners = std::move(it->second.owners);
  to_sync.assign(it->second.dependents.begin(), it->second.dependents.end());
  if (it->second.dependents.empty()) {
    nodes_.erase(it);
  } else {
    // Keep the node as virtual so its dependents' edges survive until they are handled.
    Node& n = it->second;
    n.observed = false;
    n.deleting = false;
    n.finalizers.clear();
    n.owners.clear();
  }
  for (const OwnerRef& r : owners) UnlinkLocked(r.uid, uid, &to_sync);
  return to_sync;
}

void OwnerGraph::UnlinkLocked(const std::string& owner_uid, const std::string& dependent_uid,
                              std::vector<std::string>* to_sync) {
  auto it = nodes_.find(owner_uid);
  if (it == nodes_.end()) return;
  it->second.dependents.erase(dependent_uid);
  if (WaitsForDependents(it->second)) to_sync->push_back(owner_uid);
  if (!it->second.observed && it->second.dependents.empty()) nodes_.erase(it);
}

std::optional<NodeSnapshot> OwnerGraph::Get(const std::string& uid) const {
  std::lock_guard<std::mutex> l(mu_);
  auto it = nodes_.find(uid);
  if (it == nodes_.end()) return std::nullopt;
  const Node& n = it->second;
  NodeSnapshot s;
  s.id = n.id;
  s.observed = n.observed;
  s.deleting = n.deleting;
  s.finalizers = n.finalizers;
  s.owners = n.owners;
  for (const std::string& d : n.dependents) {
    auto dit = nodes_.find(d);
    if (dit == nodes_.end()) continue;
    const Node& dn = dit->second;
    DependentInfo info;
    info.id = dn.id;
    info.observed = dn.observed;
    info.deleting = dn.deleting;
    for (const OwnerRef& r : dn.owners) {
      if (r.uid == uid && r.block_owner_deletion) info.block_owner_deletion = true;
    }
    s.dependents.push_back(std::move(info));
  }
  return s;
}

std::optional<NodeSummary> OwnerGraph::Summary(const std::string& uid) const {
  std::lock_guard<std::mutex> l(mu_);
  auto it = nodes_.find(uid);
  if (it == nodes_.end()) return std::nullopt;
  const Node& n = it->second;
  return NodeSummary{n.id, n.observed, WaitsForDependents(n), n.dependents.size()};
}

size_t OwnerGraph::Size() const {
  std::lock_guard<std::mutex> l(mu_);
  return nodes_.size();
}

void OwnerGraph::MarkAbsent(const std::string& uid) {
  std::lock_guard<std::mutex> l(mu_);
  auto it = nodes_.find(uid);
  if (it != nodes_.end() && it->second.observed) return;  // the informer says it exists
  MarkAbsentLocked(uid);
}

void OwnerGraph::MarkAbsentLocked(const std::string& uid) {
  if (absent_.size() >= kMaxAbsent) absent_.clear();
  absent_.insert(uid);
}

bool OwnerGraph::KnownAbsent(const std::string& uid) const {
  std::lock_guard<std::mutex> l(mu_);
  return absent_.count(uid) > 0;
}

}  // namespace kc::controllers
