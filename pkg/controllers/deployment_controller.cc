#include "pkg/controllers/deployment_controller.h"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <boost/json/array.hpp>
#include <cmath>
#include <set>

#include "pkg/api/json_path.h"
#include "pkg/api/time_util.h"
#include "pkg/client/indexer.h"
#include "pkg/controllers/controller_utils.h"
#include "pkg/controllers/object_meta.h"

namespace kc::controllers {
namespace {

const client::ResourceRef kDeployments{"apps", "v1", "deployments"};
const client::ResourceRef kReplicaSets{"apps", "v1", "replicasets"};
const client::ResourceRef kPods{"", "v1", "pods"};
constexpr int64_t kMaxInt32 = 2147483647;

const boost::json::object& Spec(const client::Object& o) {
  static const boost::json::object empty;
  const boost::json::object* s = api::GetObject(o, "spec");
  return s ? *s : empty;
}
int64_t SpecReplicas(const client::Object& o) { return api::GetInt64(Spec(o), "replicas", 1); }
int64_t StatusInt(const client::Object& o, const char* field) {
  const boost::json::object* s = api::GetObject(o, "status");
  return s ? api::GetInt64(*s, field) : 0;
}
std::string Annotation(const client::Object& o, const std::string& key) {
  const boost::json::value* a = api::Lookup(o, "metadata.annotations");
  return a && a->is_object() ? api::GetString(a->get_object(), key) : "";
}
bool SetAnnotation(client::Object& o, const std::string& key, const std::string& value) {
  boost::json::object& ann = api::EnsureObject(api::EnsureObject(o, "metadata"), "annotations");
  const boost::json::value* cur = ann.if_contains(key);
  if (cur && cur->is_string() && cur->get_string() == value) return false;
  ann[key] = value;
  return true;
}
int64_t ParseInt(const std::string& s, int64_t def) {
  if (s.empty() || s.size() > 18 || !std::all_of(s.begin(), s.end(), ::isdigit)) return def;
  return std::stoll(s);
}
int64_t Revision(const client::Object& rs) {
  return ParseInt(Annotation(rs, kRevisionAnnotation), 0);
}
std::string Name(const client::Object& o) { return client::ObjectMetaString(o, "name"); }

bool OlderFirst(const client::Object& a, const client::Object& b) {
  std::string ta = client::ObjectMetaString(a, "creationTimestamp");
  std::string tb = client::ObjectMetaString(b, "creationTimestamp");
  if (ta != tb) return ta < tb;
  return Name(a) < Name(b);
}

// The template without the pod-template-hash label, canonical, for comparing.
std::string TemplateIgnoringHash(const client::Object& o) {
  const boost::json::value* t = api::Lookup(o, "spec.template");
  if (!t || !t->is_object()) return "";
  boost::json::object copy = t->get_object();
  boost::json::object& meta = api::EnsureObject(copy, "metadata");
  if (boost::json::value* l = meta.if_contains("labels"); l && l->is_object()) {
    l->get_object().erase(kPodTemplateHashLabel);
    if (l->get_object().empty()) meta.erase("labels");
  }
  if (meta.empty()) copy.erase("metadata");
  return CanonicalJson(copy);
}

bool SetReplicasAnnotations(client::Object& rs, int64_t desired, int64_t max) {
  bool a = SetAnnotation(rs, kDesiredReplicasAnnotation, std::to_string(desired));
  bool b = SetAnnotation(rs, kMaxReplicasAnnotation, std::to_string(max));
  return a || b;
}

bool SkipCopiedAnnotation(const std::string& k) {
  return k == "kubectl.kubernetes.io/last-applied-configuration" || k == kRevisionAnnotation ||
         k == kRevisionHistoryAnnotation || k == kDesiredReplicasAnnotation ||
         k == kMaxReplicasAnnotation || k == "deprecated.deployment.rollback.to";
}

int64_t ProgressDeadline(const client::Object& d) {
  return api::GetInt64(Spec(d), "progressDeadlineSeconds", 600);
}

}  // namespace

api::Result<Fenceposts> ResolveFenceposts(const client::Object& d) {
  Fenceposts fp;
  const boost::json::value* type = api::Lookup(d, "spec.strategy.type");
  if (type && type->is_string() && type->get_string() == "Recreate") return fp;
  int64_t replicas = SpecReplicas(d);
  api::Result<int64_t> surge =
      ScaledValue(api::Lookup(d, "spec.strategy.rollingUpdate.maxSurge"), replicas, true, 0);
  if (!surge.ok()) return surge.status();
  api::Result<int64_t> unavail =
      ScaledValue(api::Lookup(d, "spec.strategy.rollingUpdate.maxUnavailable"), replicas, false, 0);
  if (!unavail.ok()) return unavail.status();
  // Upstream's defaults are 25% / 25%.
  if (!api::Lookup(d, "spec.strategy.rollingUpdate.maxSurge")) surge = (replicas * 25 + 99) / 100;
  if (!api::Lookup(d, "spec.strategy.rollingUpdate.maxUnavailable")) unavail = replicas * 25 / 100;
  fp.max_surge = *surge;
  fp.max_unavailable = *unavail;
  if (fp.max_surge == 0 && fp.max_unavailable == 0) fp.max_unavailable = 1;
  return fp;
}

// What one sync works on.
struct DeploymentController::State {
  std::string key;
  std::string ns;
  client::Object d;
  boost::json::object original_status;
  api::LabelSelector selector;
  Fenceposts fp;
  int64_t replicas = 0;
  bool rolling = true;
  std::vector<client::Object> rss;  // every claimed ReplicaSet
  std::optional<client::Object> new_rs;
  std::vector<client::Object> old_rss;  // oldest first
  std::string now;

  boost::json::array& Conditions() {
    boost::json::object& st = api::EnsureObject(d, "status");
    boost::json::value& c = st["conditions"];
    if (!c.is_array()) c = boost::json::array();
    return c.get_array();
  }
  std::vector<client::Object*> All() {
    std::vector<client::Object*> out;
    for (client::Object& o : old_rss) out.push_back(&o);
    if (new_rs) out.push_back(&*new_rs);
    return out;
  }
  // Splits `rss` into the new ReplicaSet (template equal to the deployment's) and the old ones.
  void FindNewAndOld() {
    std::sort(rss.begin(), rss.end(), OlderFirst);
    new_rs.reset();
    old_rss.clear();
    std::string want = TemplateIgnoringHash(d);
    for (const client::Object& rs : rss) {
      if (!new_rs && TemplateIgnoringHash(rs) == want) {
        new_rs = rs;
      } else {
        old_rss.push_back(rs);
      }
    }
  }
  int64_t NewRSNewReplicas(int64_t new_replicas) {
    if (!rolling) return replicas;
    int64_t current = new_replicas;
    for (const client::Object& rs : old_rss) current += SpecReplicas(rs);
    int64_t max_total = replicas + fp.max_surge;
    if (current >= max_total) return new_replicas;
    return new_replicas + std::min(max_total - current, replicas - new_replicas);
  }
  // Copies the deployment's annotations and the revision onto `rs`.
  bool SetNewRSAnnotations(client::Object& rs, int64_t new_revision, bool exists) {
    bool changed = false;
    if (const boost::json::value* a = api::Lookup(d, "metadata.annotations"); a && a->is_object()) {
      for (const auto& kv : a->get_object()) {
        std::string k(kv.key());
        if (SkipCopiedAnnotation(k) || !kv.value().is_string()) continue;
        changed |= SetAnnotation(rs, k, std::string(kv.value().get_string()));
      }
    }
    std::string old_rev = Annotation(rs, kRevisionAnnotation);
    if (old_rev.empty() || ParseInt(old_rev, 0) < new_revision) {
      changed |= SetAnnotation(rs, kRevisionAnnotation, std::to_string(new_revision));
      if (!old_rev.empty() && exists) {
        std::string hist = Annotation(rs, kRevisionHistoryAnnotation);
        SetAnnotation(rs, kRevisionHistoryAnnotation,
                      hist.empty() ? old_rev : hist + "," + old_rev);
      }
    }
    if (!exists) changed |= SetReplicasAnnotations(rs, replicas, replicas + fp.max_surge);
    return changed;
  }
};

DeploymentController::DeploymentController(client::Client& client,
                                           client::SharedInformerFactory& factory,
                                           DeploymentControllerOptions opts)
    : client_(client),
      queue_([&] {
        client::WorkQueueOptions q;
        q.base_delay = opts.base_delay;
        q.max_delay = opts.max_delay;
        q.clock = opts.clock;
        return q;
      }()),
      loop_(kName, queue_, [this](const std::string& key) { return Sync(key); }) {
  d_informer_ = factory.ForResource(kDeployments);
  rs_informer_ = factory.ForResource(kReplicaSets);
  pod_informer_ = factory.ForResource(kPods);
  client::EventHandler dh;
  dh.on_add = [this](const client::ObjectPtr& o) { queue_.Add(client::ObjectKey(*o)); };
  dh.on_update = [this](const client::ObjectPtr&, const client::ObjectPtr& o) {
    queue_.Add(client::ObjectKey(*o));
  };
  dh.on_delete = [this](const client::ObjectPtr& o) { queue_.Add(client::ObjectKey(*o)); };
  d_handler_ = d_informer_->AddEventHandler(std::move(dh));
  client::EventHandler rh;
  rh.on_add = [this](const client::ObjectPtr& o) { EnqueueOwnerOf(*o); };
  rh.on_update = [this](const client::ObjectPtr& a, const client::ObjectPtr& b) {
    if (client::ObjectMetaString(*a, "resourceVersion") ==
        client::ObjectMetaString(*b, "resourceVersion")) {
      return;
    }
    std::optional<OwnerRef> ra = ControllerOf(*a);
    std::optional<OwnerRef> rb = ControllerOf(*b);
    if (ra && (!rb || !(*ra == *rb))) EnqueueOwnerOf(*a);
    EnqueueOwnerOf(*b);
  };
  rh.on_delete = [this](const client::ObjectPtr& o) { EnqueueOwnerOf(*o); };
  rs_handler_ = rs_informer_->AddEventHandler(std::move(rh));
  client::EventHandler ph;
  ph.on_delete = [this](const client::ObjectPtr& pod) {
    std::optional<OwnerRef> ref = ControllerOf(*pod);
    if (!ref || ref->kind != "ReplicaSet") return;
    client::ObjectPtr rs =
        rs_informer_->Get(client::ObjectMetaString(*pod, "namespace"), ref->name);
    if (rs && client::ObjectMetaString(*rs, "uid") == ref->uid) EnqueueOwnerOf(*rs);
  };
  pod_handler_ = pod_informer_->AddEventHandler(std::move(ph));
  registered_ = true;
}

DeploymentController::~DeploymentController() { Stop(); }

void DeploymentController::Start(int workers) {
  loop_.Start({d_informer_, rs_informer_, pod_informer_}, workers);
}

void DeploymentController::Stop() {
  if (registered_) {
    d_informer_->RemoveEventHandler(d_handler_);
    rs_informer_->RemoveEventHandler(rs_handler_);
    pod_informer_->RemoveEventHandler(pod_handler_);
    registered_ = false;
  }
  loop_.Stop();
}

void DeploymentController::EnqueueOwnerOf(const client::Object& rs) {
  std::string ns = client::ObjectMetaString(rs, "namespace");
  std::optional<OwnerRef> ref = ControllerOf(rs);
  if (ref) {
    if (ref->kind != "Deployment") return;
    client::ObjectPtr d = d_informer_->Get(ns, ref->name);
    if (d && client::ObjectMetaString(*d, "uid") == ref->uid) queue_.Add(client::ObjectKey(*d));
    return;
  }
  const boost::json::value* lv = api::Lookup(rs, "metadata.labels");
  const boost::json::object* labels = lv && lv->is_object() ? &lv->get_object() : nullptr;
  for (const client::ObjectPtr& d : d_informer_->ByIndex(client::kNamespaceIndex, ns)) {
    const boost::json::value* sel = api::Lookup(*d, "spec.selector");
    if (!sel || !sel->is_object()) continue;
    api::Result<api::LabelSelector> s = api::LabelSelector::FromJson(sel->get_object());
    if (s.ok() && !s->Empty() && s->Matches(labels)) queue_.Add(client::ObjectKey(*d));
  }
}

api::Status DeploymentController::Sync(const std::string& key) {
  client::ObjectPtr cached = d_informer_->Get(key);
  if (!cached) return api::Status::Ok();
  State s;
  s.key = key;
  s.d = *cached;
  s.ns = client::ObjectMetaString(s.d, "namespace");
  s.now = api::FormatTime(std::chrono::system_clock::now());
  if (const boost::json::object* st = api::GetObject(s.d, "status")) s.original_status = *st;
  s.replicas = SpecReplicas(s.d);
  const boost::json::value* sel = api::Lookup(s.d, "spec.selector");
  api::Result<api::LabelSelector> parsed =
      sel && sel->is_object() ? api::LabelSelector::FromJson(sel->get_object())
                              : api::Result<api::LabelSelector>(api::LabelSelector());
  if (!parsed.ok() || parsed->Empty()) {
    // Upstream refuses to act on an everything-selector but records that it saw the spec.
    boost::json::object st = s.original_status;
    st["observedGeneration"] = api::GetInt64(*api::GetObject(s.d, "metadata"), "generation");
    return WriteStatus(s, st);
  }
  s.selector = *parsed;
  api::Result<Fenceposts> fp = ResolveFenceposts(s.d);
  if (!fp.ok()) {
    spdlog::warn("deployment controller: {}: {}", key, fp.status().message());
    return api::Status::Ok();
  }
  s.fp = *fp;
  const boost::json::value* type = api::Lookup(s.d, "spec.strategy.type");
  s.rolling = !(type && type->is_string() && type->get_string() == "Recreate");

  if (api::Status st = ClaimReplicaSets(s); !st.ok()) return st;
  s.FindNewAndOld();

  if (IsDeleting(s.d)) return SyncStatus(s, false);

  bool paused = false;
  if (const boost::json::value* p = api::Lookup(s.d, "spec.paused"); p && p->is_bool()) {
    paused = p->get_bool();
  }
  if (ProgressDeadline(s.d) != kMaxInt32) {
    const boost::json::object* cond = FindCondition(s.Conditions(), "Progressing");
    bool paused_cond = cond && api::GetString(*cond, "reason") == "DeploymentPaused";
    if (paused && !paused_cond) {
      SetCondition(s.Conditions(), "Progressing", "Unknown", "DeploymentPaused",
                   "Deployment is paused", s.now);
    } else if (!paused && paused_cond) {
      SetCondition(s.Conditions(), "Progressing", "Unknown", "DeploymentResumed",
                   "Deployment is resumed", s.now);
    }
  }

  bool scaling_event = false;
  for (client::Object* rs : s.All()) {
    if (SpecReplicas(*rs) <= 0) continue;
    std::string desired = Annotation(*rs, kDesiredReplicasAnnotation);
    if (!desired.empty() && ParseInt(desired, -1) != s.replicas) scaling_event = true;
  }
  if (paused || scaling_event) {
    if (api::Status st = SyncRevision(s, false); !st.ok()) return st;
    if (api::Status st = Scale(s); !st.ok()) return st;
    if (paused) {
      if (api::Status st = CleanupHistory(s); !st.ok()) return st;
    }
    return SyncStatus(s, false);
  }
  return s.rolling ? RolloutRolling(s) : RolloutRecreate(s);
}

api::Status DeploymentController::ClaimReplicaSets(State& s) {
  bool checked = false, can_adopt = false;
  api::Status err;
  for (const client::ObjectPtr& rs : rs_informer_->ByIndex(client::kNamespaceIndex, s.ns)) {
    const boost::json::value* lv = api::Lookup(*rs, "metadata.labels");
    const boost::json::object* labels = lv && lv->is_object() ? &lv->get_object() : nullptr;
    ClaimAction a = ClaimObject(*rs, s.d, s.selector.Matches(labels));
    if (a == ClaimAction::kOwned) {
      s.rss.push_back(*rs);
    } else if (a == ClaimAction::kAdopt) {
      if (!checked) {
        checked = true;
        api::Result<client::Object> fresh = client_.Get(kDeployments, s.ns, Name(s.d));
        can_adopt =
            fresh.ok() &&
            client::ObjectMetaString(*fresh, "uid") == client::ObjectMetaString(s.d, "uid") &&
            !IsDeleting(*fresh);
      }
      if (!can_adopt) continue;
      api::Result<client::Object> r = client_.Patch(
          kReplicaSets, s.ns, Name(*rs), client::PatchType::kMerge, AdoptPatch(*rs, s.d));
      if (r.ok()) {
        s.rss.push_back(std::move(*r));
      } else if (!IsNotFound(r.status())) {
        err = r.status();
      }
    } else if (a == ClaimAction::kRelease) {
      api::Result<client::Object> r =
          client_.Patch(kReplicaSets, s.ns, Name(*rs), client::PatchType::kMerge,
                        ReleasePatch(*rs, client::ObjectMetaString(s.d, "uid")));
      if (!r.ok() && !IsNotFound(r.status())) err = r.status();
    }
  }
  return err;
}

api::Status DeploymentController::SyncRevision(State& s, bool create) {
  int64_t max_old = 0;
  for (const client::Object& rs : s.old_rss) max_old = std::max(max_old, Revision(rs));
  int64_t new_revision = max_old + 1;
  const bool deadline = ProgressDeadline(s.d) != kMaxInt32;
  if (s.new_rs) {
    client::Object rs = *s.new_rs;
    bool changed = s.SetNewRSAnnotations(rs, new_revision, true);
    int64_t min_ready = api::GetInt64(Spec(s.d), "minReadySeconds");
    if (api::GetInt64(Spec(rs), "minReadySeconds") != min_ready) {
      api::EnsureObject(rs, "spec")["minReadySeconds"] = min_ready;
      changed = true;
    }
    if (changed) {
      api::Result<client::Object> r = client_.Update(kReplicaSets, s.ns, rs);
      if (!r.ok()) return r.status();
      s.new_rs = std::move(*r);
    }
    if (deadline && !FindCondition(s.Conditions(), "Progressing")) {
      SetCondition(s.Conditions(), "Progressing", "True", "FoundNewReplicaSet",
                   "Found new replica set \"" + Name(*s.new_rs) + "\"", s.now);
    }
  } else {
    if (!create) return api::Status::Ok();
    std::optional<int64_t> collisions;
    if (const boost::json::object* st = api::GetObject(s.d, "status");
        st && st->contains("collisionCount")) {
      collisions = api::GetInt64(*st, "collisionCount");
    }
    const boost::json::value* tv = api::Lookup(s.d, "spec.template");
    boost::json::object tmpl = tv && tv->is_object() ? tv->get_object() : boost::json::object();
    std::string hash = ComputeTemplateHash(tmpl, collisions);
    api::EnsureObject(api::EnsureObject(tmpl, "metadata"), "labels")[kPodTemplateHashLabel] = hash;
    boost::json::object selector = api::Lookup(s.d, "spec.selector")->get_object();
    api::EnsureObject(selector, "matchLabels")[kPodTemplateHashLabel] = hash;
    client::Object rs;
    rs["apiVersion"] = "apps/v1";
    rs["kind"] = "ReplicaSet";
    boost::json::object meta;
    meta["name"] = Name(s.d) + "-" + hash;
    meta["namespace"] = s.ns;
    meta["labels"] = tmpl["metadata"].as_object()["labels"];
    meta["ownerReferences"] = boost::json::array{ControllerRefFor(s.d)};
    rs["metadata"] = std::move(meta);
    boost::json::object spec;
    spec["replicas"] = 0;
    spec["minReadySeconds"] = api::GetInt64(Spec(s.d), "minReadySeconds");
    spec["selector"] = std::move(selector);
    spec["template"] = std::move(tmpl);
    rs["spec"] = std::move(spec);
    s.SetNewRSAnnotations(rs, new_revision, false);
    rs["spec"].as_object()["replicas"] = s.NewRSNewReplicas(0);
    api::Result<client::Object> r = client_.Create(kReplicaSets, s.ns, rs);
    if (!r.ok()) {
      if (r.status().reason() != api::Reason::kAlreadyExists) return r.status();
      api::Result<client::Object> existing = client_.Get(kReplicaSets, s.ns, Name(rs));
      if (!existing.ok()) return existing.status();
      std::optional<OwnerRef> ref = ControllerOf(*existing);
      if (ref && ref->uid == client::ObjectMetaString(s.d, "uid") &&
          TemplateIgnoringHash(*existing) == TemplateIgnoringHash(s.d)) {
        s.new_rs = std::move(*existing);
      } else {
        // A hash collision: bump status.collisionCount so the next sync picks another name.
        boost::json::object st = s.original_status;
        st["collisionCount"] = collisions.value_or(0) + 1;
        api::Status w = WriteStatus(s, st);
        return w.ok() ? api::Status::Conflict("replicaset " + Name(rs) + " hash collision") : w;
      }
    } else {
      s.new_rs = std::move(*r);
      if (deadline) {
        SetCondition(s.Conditions(), "Progressing", "True", "NewReplicaSetCreated",
                     "Created new replica set \"" + Name(*s.new_rs) + "\"", s.now);
      }
      spdlog::info("deployment controller: {}: created replicaset {}", s.key, Name(*s.new_rs));
    }
  }
  // The deployment carries the revision of its new ReplicaSet.
  std::string rev = Annotation(*s.new_rs, kRevisionAnnotation);
  if (!rev.empty() && Annotation(s.d, kRevisionAnnotation) != rev) {
    client::Object d = s.d;
    SetAnnotation(d, kRevisionAnnotation, rev);
    // Through /status, as upstream: an annotation write on the main resource would bump the
    // Deployment's generation.
    client::WriteOptions w;
    w.subresource = "status";
    api::Result<client::Object> r = client_.Update(kDeployments, s.ns, d, w);
    if (!r.ok()) return r.status();
    boost::json::value status = s.d["status"];
    s.d = std::move(*r);
    s.d["status"] = std::move(status);
  }
  return api::Status::Ok();
}

api::Status DeploymentController::ScaleReplicaSet(State& s, client::Object& rs, int64_t replicas,
                                                  bool* scaled) {
  client::Object next = rs;
  bool size = SpecReplicas(rs) != replicas;
  bool annotations = SetReplicasAnnotations(next, s.replicas, s.replicas + s.fp.max_surge);
  if (scaled) *scaled = false;
  if (!size && !annotations) return api::Status::Ok();
  api::EnsureObject(next, "spec")["replicas"] = replicas;
  api::Result<client::Object> r = client_.Update(kReplicaSets, s.ns, next);
  if (!r.ok()) return r.status();
  rs = std::move(*r);
  if (scaled) *scaled = size;
  if (size) {
    spdlog::info("deployment controller: {}: scaled replicaset {} to {}", s.key, Name(rs),
                 replicas);
  }
  return api::Status::Ok();
}

api::Status DeploymentController::Scale(State& s) {
  std::vector<client::Object*> active;
  for (client::Object* rs : s.All()) {
    if (SpecReplicas(*rs) > 0) active.push_back(rs);
  }
  if (active.size() <= 1) {
    client::Object* target = active.empty() ? nullptr : active.front();
    if (!target && s.new_rs) target = &*s.new_rs;
    if (!target && !s.old_rss.empty()) target = &s.old_rss.back();
    if (!target) return api::Status::Ok();
    return ScaleReplicaSet(s, *target, s.replicas, nullptr);
  }
  if (s.new_rs && SpecReplicas(*s.new_rs) == s.replicas &&
      Annotation(*s.new_rs, kDesiredReplicasAnnotation) == std::to_string(s.replicas) &&
      StatusInt(*s.new_rs, "availableReplicas") == s.replicas) {
    for (client::Object& rs : s.old_rss) {
      if (SpecReplicas(rs) == 0) continue;
      if (api::Status st = ScaleReplicaSet(s, rs, 0, nullptr); !st.ok()) return st;
    }
    return api::Status::Ok();
  }
  if (!s.rolling) return api::Status::Ok();
  // Proportional scaling (upstream's getReplicaSetFraction / GetProportion).
  int64_t all = 0;
  for (client::Object* rs : active) all += SpecReplicas(*rs);
  int64_t allowed = s.replicas + (s.replicas > 0 ? s.fp.max_surge : 0);
  int64_t to_add = allowed - all;
  std::stable_sort(active.begin(), active.end(), [&](client::Object* a, client::Object* b) {
    if (SpecReplicas(*a) != SpecReplicas(*b)) return SpecReplicas(*a) > SpecReplicas(*b);
    return to_add > 0 ? OlderFirst(*b, *a) : OlderFirst(*a, *b);
  });
  std::vector<int64_t> sizes;
  int64_t added = 0;
  for (client::Object* rs : active) {
    int64_t cur = SpecReplicas(*rs);
    int64_t prop = 0;
    if (to_add != 0) {
      int64_t fraction;
      if (s.replicas == 0) {
        fraction = -cur;
      } else {
        int64_t annotated = ParseInt(Annotation(*rs, kMaxReplicasAnnotation), 0);
        if (annotated <= 0) annotated = std::max<int64_t>(1, StatusInt(s.d, "replicas"));
        double target = static_cast<double>(cur) * static_cast<double>(allowed) /
                        static_cast<double>(annotated);
        fraction = static_cast<int64_t>(std::llround(target)) - cur;
      }
      int64_t left = to_add - added;
      prop = to_add > 0 ? std::min(fraction, left) : std::max(fraction, left);
    }
    added += prop;
    sizes.push_back(cur + prop);
  }
  if (!sizes.empty() && added != to_add) sizes[0] = std::max<int64_t>(0, sizes[0] + to_add - added);
  for (size_t i = 0; i < active.size(); ++i) {
    if (api::Status st = ScaleReplicaSet(s, *active[i], sizes[i], nullptr); !st.ok()) return st;
  }
  return api::Status::Ok();
}

api::Status DeploymentController::RolloutRolling(State& s) {
  if (api::Status st = SyncRevision(s, true); !st.ok()) return st;
  // Scale the new ReplicaSet up within maxSurge.
  if (s.new_rs) {
    int64_t cur = SpecReplicas(*s.new_rs);
    if (cur != s.replicas) {
      int64_t target = cur > s.replicas ? s.replicas : s.NewRSNewReplicas(cur);
      bool scaled = false;
      if (api::Status st = ScaleReplicaSet(s, *s.new_rs, target, &scaled); !st.ok()) return st;
      if (scaled) return SyncStatus(s, true);
    }
  }
  // Scale old ReplicaSets down within maxUnavailable.
  int64_t old_pods = 0;
  for (const client::Object& rs : s.old_rss) old_pods += SpecReplicas(rs);
  if (old_pods > 0) {
    int64_t new_spec = s.new_rs ? SpecReplicas(*s.new_rs) : 0;
    int64_t all = old_pods + new_spec;
    int64_t min_available = s.replicas - s.fp.max_unavailable;
    int64_t new_unavailable = s.new_rs ? new_spec - StatusInt(*s.new_rs, "availableReplicas") : 0;
    int64_t max_scaled_down = all - min_available - new_unavailable;
    int64_t total = 0;
    if (max_scaled_down > 0) {
      // First old pods that are not available at all.
      for (client::Object& rs : s.old_rss) {
        if (total >= max_scaled_down) break;
        int64_t spec = SpecReplicas(rs), avail = StatusInt(rs, "availableReplicas");
        if (spec == 0 || spec <= avail) continue;
        int64_t n = std::min(max_scaled_down - total, spec - avail);
        if (api::Status st = ScaleReplicaSet(s, rs, spec - n, nullptr); !st.ok()) return st;
        total += n;
      }
      // Then available ones, keeping minAvailable.
      int64_t available = 0;
      for (client::Object* rs : s.All()) available += StatusInt(*rs, "availableReplicas");
      if (available > min_available) {
        int64_t want = available - min_available, done = 0;
        for (client::Object& rs : s.old_rss) {
          if (done >= want) break;
          int64_t spec = SpecReplicas(rs);
          if (spec == 0) continue;
          int64_t n = std::min(spec, want - done);
          if (api::Status st = ScaleReplicaSet(s, rs, spec - n, nullptr); !st.ok()) return st;
          done += n;
        }
        total += done;
      }
    }
    if (total > 0) return SyncStatus(s, true);
  }
  return SyncStatus(s, true);
}

api::Status DeploymentController::RolloutRecreate(State& s) {
  if (api::Status st = SyncRevision(s, false); !st.ok()) return st;
  bool scaled_down = false;
  for (client::Object& rs : s.old_rss) {
    if (SpecReplicas(rs) == 0) continue;
    bool scaled = false;
    if (api::Status st = ScaleReplicaSet(s, rs, 0, &scaled); !st.ok()) return st;
    scaled_down |= scaled;
  }
  if (scaled_down) return SyncStatus(s, true);
  // Wait until no old pod runs.
  std::set<std::string> old_uids;
  int64_t old_status = 0;
  for (const client::Object& rs : s.old_rss) {
    old_uids.insert(client::ObjectMetaString(rs, "uid"));
    old_status += StatusInt(rs, "replicas");
  }
  bool old_running = old_status > 0;
  for (const client::ObjectPtr& pod : pod_informer_->ByIndex(client::kNamespaceIndex, s.ns)) {
    if (old_running) break;
    std::optional<OwnerRef> ref = ControllerOf(*pod);
    if (!ref || !old_uids.count(ref->uid)) continue;
    const boost::json::value* phase = api::Lookup(*pod, "status.phase");
    std::string p = phase && phase->is_string() ? std::string(phase->get_string()) : "";
    if (p != "Failed" && p != "Succeeded") old_running = true;
  }
  if (old_running) return SyncStatus(s, true);
  if (!s.new_rs) {
    if (api::Status st = SyncRevision(s, true); !st.ok()) return st;
  }
  if (s.new_rs) {
    if (api::Status st = ScaleReplicaSet(s, *s.new_rs, s.replicas, nullptr); !st.ok()) return st;
  }
  return SyncStatus(s, true);
}

api::Status DeploymentController::CleanupHistory(State& s) {
  int64_t limit = api::GetInt64(Spec(s.d), "revisionHistoryLimit", 10);
  std::vector<const client::Object*> alive;
  for (const client::Object& rs : s.old_rss) {
    if (!IsDeleting(rs)) alive.push_back(&rs);
  }
  int64_t diff = static_cast<int64_t>(alive.size()) - limit;
  if (diff <= 0) return api::Status::Ok();
  std::stable_sort(alive.begin(), alive.end(),
                   [](const client::Object* a, const client::Object* b) {
                     if (Revision(*a) != Revision(*b)) return Revision(*a) < Revision(*b);
                     return OlderFirst(*a, *b);
                   });
  for (int64_t i = 0; i < diff; ++i) {
    const client::Object& rs = *alive[static_cast<size_t>(i)];
    int64_t generation = api::GetInt64(*api::GetObject(rs, "metadata"), "generation");
    if (StatusInt(rs, "replicas") != 0 || SpecReplicas(rs) != 0 ||
        generation > StatusInt(rs, "observedGeneration")) {
      continue;
    }
    api::Result<client::Object> r = client_.Delete(kReplicaSets, s.ns, Name(rs));
    if (!r.ok() && !IsNotFound(r.status())) return r.status();
    spdlog::info("deployment controller: {}: deleted old replicaset {}", s.key, Name(rs));
  }
  return api::Status::Ok();
}

api::Status DeploymentController::SyncStatus(State& s, bool rollout) {
  boost::json::array conditions = s.Conditions();
  boost::json::object status = api::EnsureObject(s.d, "status");
  int64_t replicas = 0, ready = 0, available = 0, spec_total = 0;
  for (client::Object* rs : s.All()) {
    replicas += StatusInt(*rs, "replicas");
    ready += StatusInt(*rs, "readyReplicas");
    available += StatusInt(*rs, "availableReplicas");
    spec_total += SpecReplicas(*rs);
  }
  int64_t updated = s.new_rs ? StatusInt(*s.new_rs, "replicas") : 0;
  int64_t generation = api::GetInt64(*api::GetObject(s.d, "metadata"), "generation");
  status["observedGeneration"] = generation;
  status["replicas"] = replicas;
  status["updatedReplicas"] = updated;
  status["readyReplicas"] = ready;
  status["availableReplicas"] = available;
  status["unavailableReplicas"] = std::max<int64_t>(0, spec_total - available);
  if (available >= s.replicas - s.fp.max_unavailable) {
    SetCondition(conditions, "Available", "True", "MinimumReplicasAvailable",
                 "Deployment has minimum availability.", s.now);
  } else {
    SetCondition(conditions, "Available", "False", "MinimumReplicasUnavailable",
                 "Deployment does not have minimum availability.", s.now);
  }
  const int64_t deadline = ProgressDeadline(s.d);
  bool complete = updated == s.replicas && replicas == s.replicas && available == s.replicas;
  std::string what =
      s.new_rs ? "ReplicaSet \"" + Name(*s.new_rs) + "\"" : "Deployment \"" + Name(s.d) + "\"";
  if (rollout) {
    if (deadline == kMaxInt32) RemoveCondition(conditions, "Progressing");
    const boost::json::object* cond = FindCondition(conditions, "Progressing");
    std::string reason = cond ? api::GetString(*cond, "reason") : "";
    if (deadline != kMaxInt32 && reason != "ProgressDeadlineExceeded") {
      const boost::json::object& old = s.original_status;
      bool progressing = updated > api::GetInt64(old, "updatedReplicas") ||
                         ready > api::GetInt64(old, "readyReplicas") ||
                         available > api::GetInt64(old, "availableReplicas") ||
                         replicas - updated <
                             api::GetInt64(old, "replicas") - api::GetInt64(old, "updatedReplicas");
      if (complete) {
        SetCondition(conditions, "Progressing", "True", "NewReplicaSetAvailable",
                     what + " has successfully progressed.", s.now);
      } else if (progressing) {
        std::string transition = s.now;
        if (cond && api::GetString(*cond, "status") == "True") {
          transition = api::GetString(*cond, "lastTransitionTime");
        }
        RemoveCondition(conditions, "Progressing");
        SetCondition(conditions, "Progressing", "True", "ReplicaSetUpdated",
                     what + " is progressing.", s.now);
        boost::json::value& last = conditions.back().as_object()["lastTransitionTime"];
        last = transition;
      } else if (cond && reason != "NewReplicaSetAvailable") {
        std::optional<api::Clock::time_point> from =
            api::ParseTime(api::GetString(*cond, "lastUpdateTime"));
        if (from && *from + std::chrono::seconds(deadline) < std::chrono::system_clock::now()) {
          SetCondition(conditions, "Progressing", "False", "ProgressDeadlineExceeded",
                       what + " has timed out progressing.", s.now);
        } else if (from) {
          auto left = *from + std::chrono::seconds(deadline) - std::chrono::system_clock::now();
          queue_.AddAfter(s.key, std::chrono::duration_cast<std::chrono::steady_clock::duration>(
                                     left + std::chrono::seconds(1)));
        }
      }
    }
    if (complete) {
      if (api::Status st = CleanupHistory(s); !st.ok()) return st;
    }
  }
  // Surface a ReplicaSet's ReplicaFailure.
  const boost::json::object* failure = nullptr;
  for (client::Object* rs : s.All()) {
    const boost::json::value* c = api::Lookup(*rs, "status.conditions");
    if (!c || !c->is_array()) continue;
    const boost::json::object* f = FindCondition(c->get_array(), "ReplicaFailure");
    if (f && api::GetString(*f, "status") == "True") failure = f;
  }
  if (failure) {
    SetCondition(conditions, "ReplicaFailure", "True", api::GetString(*failure, "reason"),
                 api::GetString(*failure, "message"), s.now);
  } else {
    RemoveCondition(conditions, "ReplicaFailure");
  }
  if (conditions.empty()) {
    status.erase("conditions");
  } else {
    status["conditions"] = std::move(conditions);
  }
  return WriteStatus(s, status);
}

api::Status DeploymentController::WriteStatus(State& s, const boost::json::object& status) {
  if (CanonicalJson(status) == CanonicalJson(s.original_status)) return api::Status::Ok();
  client::Object next = s.d;
  next["status"] = status;
  client::WriteOptions w;
  w.subresource = "status";
  api::Result<client::Object> r = client_.Update(kDeployments, s.ns, next, w);
  if (!r.ok() && !IsNotFound(r.status())) return r.status();
  return api::Status::Ok();
}

}  // namespace kc::controllers
