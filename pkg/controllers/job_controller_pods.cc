// JobController's writes: claiming pods, creating and deleting them, removing the tracking
// finalizer, and writing Job status.
#include <spdlog/spdlog.h>

#include <algorithm>
#include <boost/json/serialize.hpp>
#include <cstdlib>

#include "pkg/api/json_path.h"
#include "pkg/api/label_selector.h"
#include "pkg/controllers/job_controller.h"
#include "pkg/controllers/object_meta.h"

namespace kc::controllers {
namespace {

const client::ResourceRef kJobs{"batch", "v1", "jobs"};
const client::ResourceRef kPods{"", "v1", "pods"};
// names.MaxGeneratedNameLength: 63 minus the 5 random characters.
constexpr size_t kMaxGeneratedNameLength = 58;

boost::json::object JobControllerRef(const client::Object& job) {
  return boost::json::object{{"apiVersion", "batch/v1"},
                             {"kind", "Job"},
                             {"name", client::ObjectMetaString(job, "name")},
                             {"uid", client::ObjectMetaString(job, "uid")},
                             {"controller", true},
                             {"blockOwnerDeletion", true}};
}

boost::json::array MetaArray(const client::Object& obj, const char* field) {
  const boost::json::value* v = api::Lookup(obj, std::string("metadata.") + field);
  return v && v->is_array() ? v->get_array() : boost::json::array();
}

std::string PodGenerateNameWithIndex(const std::string& job_name, int64_t index) {
  std::string suffix = "-" + std::to_string(index) + "-";
  std::string prefix = job_name + suffix;
  if (prefix.size() > kMaxGeneratedNameLength) {
    prefix = job_name.substr(0, kMaxGeneratedNameLength - suffix.size()) + suffix;
  }
  return prefix;
}

void AddCompletionIndexEnv(boost::json::object& spec, const char* containers_field) {
  boost::json::value* list = spec.if_contains(containers_field);
  if (!list || !list->is_array()) return;
  for (boost::json::value& c : list->get_array()) {
    if (!c.is_object()) continue;
    boost::json::object& container = c.get_object();
    boost::json::value* env = container.if_contains("env");
    if (!env || !env->is_array()) {
      container["env"] = boost::json::array();
      env = container.if_contains("env");
    }
    bool present = false;
    for (const boost::json::value& e : env->get_array()) {
      if (e.is_object() && api::GetString(e.get_object(), "name") == kJobCompletionIndexEnv) {
        present = true;
      }
    }
    if (present) continue;
    env->get_array().push_back(boost::json::object{
        {"name", kJobCompletionIndexEnv},
        {"valueFrom",
         boost::json::object{
             {"fieldRef",
              boost::json::object{{"fieldPath", std::string("metadata.labels['") +
                                                    kJobCompletionIndexAnnotation + "']"}}}}}});
  }
}

// JSON patch removing metadata.finalizers[i] after checking it is the tracking finalizer, so a
// concurrent change of the list makes the patch fail instead of removing the wrong entry.
std::string RemoveFinalizerPatch(const client::Object& pod) {
  boost::json::array fins = MetaArray(pod, "finalizers");
  for (size_t i = 0; i < fins.size(); ++i) {
    if (fins[i].is_string() && fins[i].get_string() == kJobTrackingFinalizer) {
      std::string path = "/metadata/finalizers/" + std::to_string(i);
      boost::json::array patch{
          boost::json::object{{"op", "test"}, {"path", path}, {"value", kJobTrackingFinalizer}},
          boost::json::object{{"op", "remove"}, {"path", path}}};
      return boost::json::serialize(patch);
    }
  }
  return "";
}

}  // namespace

api::Status JobController::RemoveTrackingFinalizer(const client::Object& pod) {
  std::string ns = client::ObjectMetaString(pod, "namespace");
  std::string name = client::ObjectMetaString(pod, "name");
  std::string patch = RemoveFinalizerPatch(pod);
  if (patch.empty()) return api::Status::Ok();
  api::Result<client::Object> r = client_.Patch(kPods, ns, name, client::PatchType::kJson, patch);
  if (r.ok() || IsNotFound(r.status())) return api::Status::Ok();
  // The cached copy may be stale: retry once against the stored pod.
  api::Result<client::Object> fresh = client_.Get(kPods, ns, name);
  if (!fresh.ok()) return IsNotFound(fresh.status()) ? api::Status::Ok() : fresh.status();
  if (client::ObjectMetaString(*fresh, "uid") != client::ObjectMetaString(pod, "uid")) {
    return api::Status::Ok();
  }
  patch = RemoveFinalizerPatch(*fresh);
  if (patch.empty()) return api::Status::Ok();
  r = client_.Patch(kPods, ns, name, client::PatchType::kJson, patch);
  return r.ok() || IsNotFound(r.status()) ? api::Status::Ok() : r.status();
}

api::Status JobController::UpdateStatus(client::Object& job) {
  client::WriteOptions w;
  w.subresource = "status";
  api::Result<client::Object> r =
      client_.Update(kJobs, client::ObjectMetaString(job, "namespace"), job, w);
  if (!r.ok()) return r.status();
  job = std::move(*r);
  std::lock_guard<std::mutex> l(mu_);
  written_rv_[client::ObjectKey(job)] = client::ObjectMetaString(job, "resourceVersion");
  return api::Status::Ok();
}

api::Result<client::ObjectPtr> JobController::CurrentJob(const std::string& key) {
  client::ObjectPtr cached = job_informer_->Get(key);
  if (!cached) return cached;
  std::string written;
  {
    std::lock_guard<std::mutex> l(mu_);
    auto it = written_rv_.find(key);
    if (it == written_rv_.end()) return cached;
    written = it->second;
  }
  std::string rv = client::ObjectMetaString(*cached, "resourceVersion");
  if (rv == written) return cached;
  // kcluster's resourceVersions are increasing integers: a larger one is newer than our write.
  char* end = nullptr;
  unsigned long long a = std::strtoull(rv.c_str(), &end, 10);
  bool numeric = !rv.empty() && *end == '\0';
  unsigned long long b = std::strtoull(written.c_str(), &end, 10);
  numeric = numeric && !written.empty() && *end == '\0';
  if (numeric && a > b) {
    std::lock_guard<std::mutex> l(mu_);
    written_rv_.erase(key);
    return cached;
  }
  std::string ns, name;
  client::SplitObjectKey(key, &ns, &name);
  api::Result<client::Object> fresh = client_.Get(kJobs, ns, name);
  if (!fresh.ok()) {
    if (IsNotFound(fresh.status())) return client::ObjectPtr();
    return fresh.status();
  }
  if (client::ObjectMetaString(*fresh, "resourceVersion") != written) {
    std::lock_guard<std::mutex> l(mu_);
    written_rv_.erase(key);  // someone wrote after us: a caught-up cache will include our write
  }
  return std::make_shared<const client::Object>(std::move(*fresh));
}

api::Result<std::vector<client::ObjectPtr>> JobController::PodsForJob(const client::Object& job) {
  api::LabelSelector sel = api::LabelSelector::Nothing();
  if (const boost::json::value* s = api::Lookup(job, "spec.selector"); s && s->is_object()) {
    api::Result<api::LabelSelector> parsed = api::LabelSelector::FromJson(s->get_object());
    if (!parsed.ok()) return parsed.status();
    sel = *parsed;
  }
  std::string ns = client::ObjectMetaString(job, "namespace");
  std::vector<client::ObjectPtr> owned;
  api::Status err;
  bool checked_fresh = false, can_adopt = false;
  for (const client::ObjectPtr& pod : pod_informer_->ByIndex(client::kNamespaceIndex, ns)) {
    const boost::json::value* lv = api::Lookup(*pod, "metadata.labels");
    bool matches = sel.Matches(lv && lv->is_object() ? &lv->get_object() : nullptr);
    ClaimAction action = ClaimObject(*pod, job, matches);
    std::string pod_name = client::ObjectMetaString(*pod, "name");
    if (action == ClaimAction::kOwned) {
      owned.push_back(pod);
    } else if (action == ClaimAction::kAdopt) {
      if (!checked_fresh) {
        // Re-check uncached that the Job is not being deleted before adopting (upstream).
        checked_fresh = true;
        api::Result<client::Object> fresh =
            client_.Get(kJobs, ns, client::ObjectMetaString(job, "name"));
        can_adopt =
            fresh.ok() &&
            client::ObjectMetaString(*fresh, "uid") == client::ObjectMetaString(job, "uid") &&
            !IsDeleting(*fresh);
      }
      if (!can_adopt) continue;
      boost::json::array refs = MetaArray(*pod, "ownerReferences");
      refs.push_back(JobControllerRef(job));
      boost::json::array fins = MetaArray(*pod, "finalizers");
      if (!HasJobTrackingFinalizer(*pod)) fins.emplace_back(kJobTrackingFinalizer);
      boost::json::object patch{
          {"metadata", boost::json::object{
                           {"resourceVersion", client::ObjectMetaString(*pod, "resourceVersion")},
                           {"ownerReferences", std::move(refs)},
                           {"finalizers", std::move(fins)}}}};
      api::Result<client::Object> r = client_.Patch(kPods, ns, pod_name, client::PatchType::kMerge,
                                                    boost::json::serialize(patch));
      if (r.ok()) {
        owned.push_back(std::make_shared<const client::Object>(std::move(*r)));
      } else if (!IsNotFound(r.status())) {
        err = r.status();
      }
    } else if (action == ClaimAction::kRelease) {
      std::string uid = client::ObjectMetaString(job, "uid");
      boost::json::array refs, fins;
      for (const boost::json::value& r : MetaArray(*pod, "ownerReferences")) {
        if (!(r.is_object() && api::GetString(r.get_object(), "uid") == uid)) refs.push_back(r);
      }
      for (const boost::json::value& f : MetaArray(*pod, "finalizers")) {
        if (!(f.is_string() && f.get_string() == kJobTrackingFinalizer)) fins.push_back(f);
      }
      boost::json::object meta{
          {"resourceVersion", client::ObjectMetaString(*pod, "resourceVersion")}};
      meta["ownerReferences"] =
          refs.empty() ? boost::json::value(nullptr) : boost::json::value(refs);
      meta["finalizers"] = fins.empty() ? boost::json::value(nullptr) : boost::json::value(fins);
      api::Result<client::Object> r =
          client_.Patch(kPods, ns, pod_name, client::PatchType::kMerge,
                        boost::json::serialize(boost::json::object{{"metadata", meta}}));
      if (!r.ok() && !IsNotFound(r.status())) err = r.status();
    }
  }
  if (!err.ok()) return err;
  return owned;
}

api::Status JobController::CreatePods(SyncContext& ctx, int64_t diff,
                                      const std::vector<int64_t>& indexes, int64_t* active) {
  const client::Object& job = ctx.job;
  std::string ns = client::ObjectMetaString(job, "namespace");
  std::string name = client::ObjectMetaString(job, "name");
  client::Object base;
  base["apiVersion"] = "v1";
  base["kind"] = "Pod";
  boost::json::object meta;
  meta["namespace"] = ns;
  if (const boost::json::value* l = api::Lookup(job, "spec.template.metadata.labels");
      l && l->is_object()) {
    meta["labels"] = *l;
  }
  if (const boost::json::value* a = api::Lookup(job, "spec.template.metadata.annotations");
      a && a->is_object()) {
    meta["annotations"] = *a;
  }
  boost::json::array fins;
  if (const boost::json::value* f = api::Lookup(job, "spec.template.metadata.finalizers");
      f && f->is_array()) {
    fins = f->get_array();
  }
  bool has_tracking = false;
  for (const boost::json::value& f : fins) {
    if (f.is_string() && f.get_string() == kJobTrackingFinalizer) has_tracking = true;
  }
  if (!has_tracking) fins.emplace_back(kJobTrackingFinalizer);
  meta["finalizers"] = std::move(fins);
  meta["ownerReferences"] = boost::json::array{JobControllerRef(job)};
  base["metadata"] = std::move(meta);
  const boost::json::value* ps = api::Lookup(job, "spec.template.spec");
  base["spec"] = ps && ps->is_object() ? ps->get_object() : boost::json::object();
  bool indexed = !indexes.empty();
  if (indexed) {
    AddCompletionIndexEnv(base["spec"].get_object(), "initContainers");
    AddCompletionIndexEnv(base["spec"].get_object(), "containers");
  }

  expectations_.ExpectCreations(ctx.key, static_cast<int>(diff));
  *active += diff;
  api::Status first_err;
  size_t next_index = 0;
  int errors = 0;
  for (int64_t batch = std::min<int64_t>(diff, 1); diff > 0; batch = std::min(2 * batch, diff)) {
    int errors_before = errors;
    for (int64_t i = 0; i < batch; ++i) {
      client::Object pod = base;
      boost::json::object& pm = pod["metadata"].get_object();
      if (indexed && next_index < indexes.size()) {
        int64_t ix = indexes[next_index++];
        std::string v = std::to_string(ix);
        api::EnsureObject(pm, "annotations")[kJobCompletionIndexAnnotation] = v;
        api::EnsureObject(pm, "labels")[kJobCompletionIndexAnnotation] = v;
        pod["spec"].get_object()["hostname"] = name + "-" + v;
        pm["generateName"] = PodGenerateNameWithIndex(name, ix);
      } else {
        pm["generateName"] = name + "-";
      }
      api::Result<client::Object> r = client_.Create(kPods, ns, pod);
      if (r.ok()) {
        events_.Event(job, kEventNormal, "SuccessfulCreate",
                      "Created pod: " + client::ObjectMetaString(*r, "name"));
        continue;
      }
      expectations_.CreationObserved(ctx.key);
      --*active;
      ++errors;
      if (first_err.ok()) first_err = r.status();
      events_.Event(job, kEventWarning, "FailedCreate", "Error creating: " + r.status().message());
    }
    int64_t skipped = diff - batch;
    if (errors > errors_before && skipped > 0) {
      // Slow start: stop after a failed batch; the next sync retries.
      *active -= skipped;
      for (int64_t i = 0; i < skipped; ++i) expectations_.CreationObserved(ctx.key);
      break;
    }
    diff -= batch;
  }
  if (!first_err.ok()) {
    spdlog::warn("job controller: {}: creating pods: {}", ctx.key, first_err.message());
  }
  return first_err;
}

int64_t JobController::DeletePods(SyncContext& ctx, const std::vector<client::ObjectPtr>& pods,
                                  bool remove_finalizer, bool expect, int64_t* ready,
                                  api::Status* err) {
  if (expect) {
    std::set<std::string> keys;
    for (const client::ObjectPtr& p : pods) keys.insert(client::ObjectKey(*p));
    expectations_.ExpectDeletions(ctx.key, keys);
  }
  int64_t deleted = 0;
  for (const client::ObjectPtr& p : pods) {
    std::string pod_key = client::ObjectKey(*p);
    std::string pod_name = client::ObjectMetaString(*p, "name");
    if (remove_finalizer) {
      api::Status st = RemoveTrackingFinalizer(*p);
      if (!st.ok()) {
        if (expect) expectations_.DeletionObserved(ctx.key, pod_key);
        if (err->ok()) *err = st;
        continue;
      }
    }
    api::Result<client::Object> r =
        client_.Delete(kPods, client::ObjectMetaString(*p, "namespace"), pod_name);
    if (!r.ok()) {
      if (expect) expectations_.DeletionObserved(ctx.key, pod_key);
      if (!IsNotFound(r.status())) {
        if (err->ok()) *err = r.status();
        events_.Event(ctx.job, kEventWarning, "FailedDelete",
                      "Error deleting: " + r.status().message());
        continue;
      }
    } else {
      events_.Event(ctx.job, kEventNormal, "SuccessfulDelete", "Deleted pod: " + pod_name);
    }
    ++deleted;
    if (IsPodReady(*p)) ++*ready;
  }
  return deleted;
}

}  // namespace kc::controllers
