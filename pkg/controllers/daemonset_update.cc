// The DaemonSet controller's revision history and rolling update (upstream's daemon/update.go):
// constructing the current ControllerRevision, folding duplicates, renumbering on rollback,
// pruning old revisions, and replacing old pods within maxUnavailable / maxSurge.
#include <spdlog/spdlog.h>

#include <algorithm>
#include <boost/json/array.hpp>
#include <boost/json/serialize.hpp>
#include <optional>
#include <set>

#include "pkg/api/json_path.h"
#include "pkg/client/indexer.h"
#include "pkg/controllers/controller_revision.h"
#include "pkg/controllers/controller_utils.h"
#include "pkg/controllers/daemonset_controller.h"
#include "pkg/controllers/daemonset_node_eligibility.h"
#include "pkg/controllers/daemonset_sync_state.h"
#include "pkg/controllers/object_meta.h"

namespace kc::controllers {

using namespace daemonset_internal;  // NOLINT(build/namespaces): this controller's own helpers

api::Status DaemonSetController::ConstructHistory(State& s) {
  // Claim revisions like pods: adopt matching orphans, release owned ones that stopped matching.
  std::vector<client::Object> histories;
  for (const client::ObjectPtr& rev : revision_informer_->ByIndex(client::kNamespaceIndex, s.ns)) {
    ClaimAction a = ClaimObject(*rev, s.ds, s.selector.Matches(LabelsOf(*rev)));
    if (a == ClaimAction::kOwned) {
      histories.push_back(*rev);
    } else if (a == ClaimAction::kAdopt) {
      if (!CanAdopt(s)) continue;
      api::Result<client::Object> r =
          client_.Patch(kControllerRevisionsResource, s.ns, Name(*rev), client::PatchType::kMerge,
                        AdoptPatch(*rev, s.ds));
      if (r.ok()) {
        histories.push_back(std::move(*r));
      } else if (!IsNotFound(r.status())) {
        return r.status();
      }
    } else if (a == ClaimAction::kRelease) {
      api::Result<client::Object> r =
          client_.Patch(kControllerRevisionsResource, s.ns, Name(*rev), client::PatchType::kMerge,
                        ReleasePatch(*rev, Uid(s.ds)));
      if (!r.ok() && !IsNotFound(r.status())) return r.status();
    }
  }
  boost::json::object data = RevisionPatch(s.ds);
  std::vector<client::Object> current;
  for (client::Object& h : histories) {
    if (RevisionHashLabel(h).empty()) {
      // Revisions without the hash label get their name as hash (no collision worries).
      client::Object next = h;
      api::EnsureObject(api::EnsureObject(next, "metadata"),
                        "labels")[kControllerRevisionHashLabel] = Name(h);
      api::Result<client::Object> r = client_.Update(kControllerRevisionsResource, s.ns, next);
      if (!r.ok()) return r.status();
      h = std::move(*r);
    }
    if (RevisionDataEquals(h, data)) {
      current.push_back(std::move(h));
    } else {
      s.old.push_back(std::move(h));
    }
  }
  int64_t max_old = 0;
  for (const client::Object& h : s.old) max_old = std::max(max_old, RevisionNumber(h));
  int64_t want = max_old + 1;
  if (current.empty()) {
    if (api::Status st = Snapshot(s, want); !st.ok()) return st;
  } else {
    if (api::Status st = DedupCurrent(s, current); !st.ok()) return st;
    if (RevisionNumber(s.cur) < want) {
      api::Result<client::Object> r = UpdateRevisionNumber(client_, s.cur, want);
      if (!r.ok()) return r.status();
      s.cur = std::move(*r);
    }
  }
  s.hash = RevisionHashLabel(s.cur);
  return api::Status::Ok();
}

api::Status DaemonSetController::Snapshot(State& s, int64_t revision) {
  std::optional<int64_t> collisions;
  const boost::json::value* cc = api::Lookup(s.ds, "status.collisionCount");
  if (cc && cc->is_int64()) collisions = cc->get_int64();
  const boost::json::value* tv = api::Lookup(s.ds, "spec.template");
  boost::json::object tmpl = tv && tv->is_object() ? tv->get_object() : boost::json::object();
  std::string hash = ComputeTemplateHash(tmpl, collisions);
  boost::json::object labels;
  if (const boost::json::value* l = api::Lookup(tmpl, "metadata.labels"); l && l->is_object()) {
    labels = l->get_object();
  }
  client::Object cr =
      NewControllerRevision(s.ds, labels, RevisionPatch(s.ds), revision, collisions);
  boost::json::object& meta = api::EnsureObject(cr, "metadata");
  meta["name"] = ControllerRevisionName(Name(s.ds), hash);
  api::EnsureObject(meta, "labels")[kControllerRevisionHashLabel] = hash;
  api::Result<client::Object> r = client_.Create(kControllerRevisionsResource, s.ns, cr);
  if (r.ok()) {
    spdlog::info("daemonset controller: {}: created controllerrevision {}", s.key, Name(*r));
    s.cur = std::move(*r);
    return api::Status::Ok();
  }
  if (r.status().reason() != api::Reason::kAlreadyExists) return r.status();
  api::Result<client::Object> existing = client_.Get(kControllerRevisionsResource, s.ns, Name(cr));
  if (!existing.ok()) return existing.status();
  if (RevisionDataEquals(*existing, RevisionPatch(s.ds))) {
    // Ours from an earlier sync the cache had not shown yet.
    s.cur = std::move(*existing);
    return api::Status::Ok();
  }
  // A hash collision: raise status.collisionCount (unless ours was stale) and retry.
  api::Result<client::Object> fresh = client_.Get(kDaemonSets, s.ns, Name(s.ds));
  if (!fresh.ok()) return fresh.status();
  const boost::json::value* fc = api::Lookup(*fresh, "status.collisionCount");
  std::optional<int64_t> fresh_count;
  if (fc && fc->is_int64()) fresh_count = fc->get_int64();
  if (fresh_count != collisions) {
    return api::Status::Conflict("found a stale collision count of daemonset " + Name(s.ds) +
                                 "; will retry until it is updated");
  }
  api::EnsureObject(*fresh, "status")["collisionCount"] = collisions.value_or(0) + 1;
  client::WriteOptions w;
  w.subresource = "status";
  api::Result<client::Object> up = client_.Update(kDaemonSets, s.ns, *fresh, w);
  if (!up.ok()) return up.status();
  return r.status();
}

api::Status DaemonSetController::DedupCurrent(State& s, std::vector<client::Object>& current) {
  size_t keep = 0;
  for (size_t i = 1; i < current.size(); ++i) {
    if (RevisionNumber(current[i]) > RevisionNumber(current[keep])) keep = i;
  }
  std::string keep_hash = RevisionHashLabel(current[keep]);
  for (size_t i = 0; i < current.size(); ++i) {
    if (i == keep) continue;
    std::string dup_hash = RevisionHashLabel(current[i]);
    // Relabel the duplicate's pods, then delete it.
    for (const client::ObjectPtr& pod : s.pods) {
      if (Label(*pod, kControllerRevisionHashLabel) != dup_hash) continue;
      boost::json::object patch{
          {"metadata",
           boost::json::object{
               {"labels", boost::json::object{{kControllerRevisionHashLabel, keep_hash}}}}}};
      api::Result<client::Object> r = client_.Patch(
          kPods, s.ns, Name(*pod), client::PatchType::kMerge, boost::json::serialize(patch));
      if (!r.ok() && !IsNotFound(r.status())) return r.status();
    }
    api::Result<client::Object> d =
        client_.Delete(kControllerRevisionsResource, s.ns, Name(current[i]));
    if (!d.ok() && !IsNotFound(d.status())) return d.status();
  }
  s.cur = std::move(current[keep]);
  return api::Status::Ok();
}

api::Status DaemonSetController::RollingUpdate(State& s) {
  NodePods node_pods = NodesToPods(s, false);
  // Desired nodes without a pod take part as empty entries.
  int64_t desired = 0;
  for (const client::ObjectPtr& node : s.nodes) {
    if (!NodeShouldRunDaemonPod(*node, s.ds).should_run) continue;
    desired++;
    node_pods.try_emplace(Name(*node));
  }
  api::Result<int64_t> max_unavailable = ScaledValue(
      api::Lookup(s.ds, "spec.updateStrategy.rollingUpdate.maxUnavailable"), desired, true, 1);
  if (!max_unavailable.ok()) return max_unavailable.status();
  api::Result<int64_t> max_surge = ScaledValue(
      api::Lookup(s.ds, "spec.updateStrategy.rollingUpdate.maxSurge"), desired, true, 0);
  if (!max_surge.ok()) return max_surge.status();
  int64_t unavailable_limit = *max_unavailable, surge_limit = *max_surge;
  if (desired > 0 && unavailable_limit == 0 && surge_limit == 0) unavailable_limit = 1;

  // The pods on one node split into at most one new and one old; false when there are more.
  auto split = [&](const std::vector<client::ObjectPtr>& pods, client::ObjectPtr* new_pod,
                   client::ObjectPtr* old_pod) {
    new_pod->reset();
    old_pod->reset();
    for (const client::ObjectPtr& pod : pods) {
      if (IsDeleting(*pod)) continue;
      client::ObjectPtr* slot = IsPodUpdated(*pod, s.hash, s.generation) ? new_pod : old_pod;
      if (*slot) return false;
      *slot = pod;
    }
    return true;
  };
  auto available = [&](const client::ObjectPtr& pod) {
    return IsPodAvailable(*pod, s.min_ready, s.now);
  };

  if (surge_limit == 0) {
    int64_t unavailable = 0;
    std::vector<std::string> replace_now, candidates;
    for (const auto& [node_name, pods] : node_pods) {
      client::ObjectPtr new_pod, old_pod;
      if (!split(pods, &new_pod, &old_pod)) {
        unavailable++;  // the manage loop prunes the extra pods first
        continue;
      }
      if ((!old_pod && !new_pod) || (old_pod && new_pod)) {
        unavailable++;
      } else if (new_pod) {
        if (!available(new_pod)) unavailable++;
      } else if (!available(old_pod)) {
        replace_now.push_back(Name(*old_pod));
        unavailable++;
      } else if (unavailable < unavailable_limit) {
        candidates.push_back(Name(*old_pod));
      }
    }
    int64_t room = std::clamp<int64_t>(unavailable_limit - unavailable, 0,
                                       static_cast<int64_t>(candidates.size()));
    std::vector<std::string> to_delete = replace_now;
    to_delete.insert(to_delete.end(), candidates.begin(), candidates.begin() + room);
    return SyncNodes(s, to_delete, {});
  }

  std::vector<std::string> to_delete, should_not_run, candidate_nodes, allowed_nodes;
  int64_t surging = 0, available_count = 0;
  for (const auto& [node_name, pods] : node_pods) {
    client::ObjectPtr new_pod, old_pod;
    if (!split(pods, &new_pod, &old_pod)) {
      surging++;
      continue;
    }
    if (old_pod) {
      if (available(old_pod)) available_count++;
    } else if (new_pod && available(new_pod)) {
      available_count++;
    }
    if (!old_pod) continue;  // nothing to replace; the manage loop creates missing pods
    auto node_it = s.node_by_name.find(node_name);
    bool should_run = node_it != s.node_by_name.end() &&
                      NodeShouldRunDaemonPod(*node_it->second, s.ds).should_run;
    if (!new_pod) {
      if (!available(old_pod)) {
        if (!should_run) {
          to_delete.push_back(Name(*old_pod));
        } else {
          allowed_nodes.push_back(node_name);
        }
      } else if (!should_run) {
        should_not_run.push_back(Name(*old_pod));
      } else if (surging < surge_limit) {
        candidate_nodes.push_back(node_name);
      }
      continue;
    }
    if (!available(new_pod)) {
      surging++;
      continue;
    }
    to_delete.push_back(Name(*old_pod));
  }
  // Pods on nodes that no longer qualify go only while availability stays above desired.
  int64_t deletable =
      std::min<int64_t>(available_count - desired, static_cast<int64_t>(should_not_run.size()));
  for (int64_t i = 0; i < deletable; ++i) {
    client::ObjectPtr pod = pod_informer_->Get(s.ns, should_not_run[static_cast<size_t>(i)]);
    if (!pod) continue;
    const boost::json::value* c = api::Lookup(*pod, "status.conditions");
    if (!c || !c->is_array()) continue;
    const boost::json::object* ready = FindCondition(c->get_array(), "Ready");
    if (ready && api::GetString(*ready, "status") == "False") {
      to_delete.push_back(should_not_run[static_cast<size_t>(i)]);
    }
  }
  int64_t room =
      std::clamp<int64_t>(surge_limit - surging, 0, static_cast<int64_t>(candidate_nodes.size()));
  std::vector<std::string> create = allowed_nodes;
  create.insert(create.end(), candidate_nodes.begin(), candidate_nodes.begin() + room);
  return SyncNodes(s, to_delete, create);
}

api::Status DaemonSetController::CleanupHistory(State& s) {
  const boost::json::value* lv = api::Lookup(s.ds, "spec.revisionHistoryLimit");
  int64_t limit = lv && lv->is_int64() ? lv->get_int64() : 10;
  int64_t to_kill = static_cast<int64_t>(s.old.size()) - limit;
  if (to_kill <= 0) return api::Status::Ok();
  std::set<std::string> live;
  for (const auto& [node, pods] : NodesToPods(s, true)) {
    for (const client::ObjectPtr& p : pods) {
      std::string h = Label(*p, kControllerRevisionHashLabel);
      if (!h.empty()) live.insert(h);
    }
  }
  SortRevisions(s.old);
  for (const client::Object& h : s.old) {
    if (to_kill <= 0) break;
    if (live.count(RevisionHashLabel(h))) continue;
    api::Result<client::Object> d = client_.Delete(kControllerRevisionsResource, s.ns, Name(h));
    if (!d.ok() && !IsNotFound(d.status())) return d.status();
    to_kill--;
  }
  return api::Status::Ok();
}

}  // namespace kc::controllers
