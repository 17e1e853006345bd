// Registry: deletion — preconditions, propagation finalizers, graceful deletion of pods,
// namespaces that terminate, and immediate removal.
#include <boost/json/array.hpp>
#include <chrono>

#include "pkg/api/time_util.h"
#include "pkg/apiserver/keys.h"
#include "pkg/apiserver/registry.h"
#include "pkg/apiserver/strategy.h"

namespace kc::apiserver {
namespace json = boost::json;

namespace {

json::object& Meta(json::object& obj) {
  json::value& m = obj["metadata"];
  if (!m.is_object()) m = json::object();
  return m.get_object();
}

std::string Str(const json::object& o, std::string_view key) {
  auto it = o.find(key);
  return it != o.end() && it->value().is_string() ? std::string(it->value().get_string()) : "";
}

void AddFinalizer(json::object& meta, const char* f) {
  json::value& fin = meta["finalizers"];
  if (!fin.is_array()) fin = json::array();
  for (const auto& v : fin.get_array()) {
    if (v.is_string() && v.get_string() == f) return;
  }
  fin.get_array().emplace_back(f);
}

void RemoveFinalizer(json::object& meta, const char* f) {
  auto it = meta.find("finalizers");
  if (it == meta.end() || !it->value().is_array()) return;
  auto& arr = it->value().get_array();
  for (auto v = arr.begin(); v != arr.end();) {
    if (v->is_string() && v->get_string() == f) {
      v = arr.erase(v);
    } else {
      ++v;
    }
  }
  if (arr.empty()) meta.erase("finalizers");
}

bool HasFinalizers(const json::object& meta) {
  auto it = meta.find("finalizers");
  return it != meta.end() && it->value().is_array() && !it->value().get_array().empty();
}

void BumpGeneration(json::object& meta) {
  auto it = meta.find("generation");
  if (it != meta.end() && it->value().is_int64() && it->value().get_int64() > 0) {
    it->value() = it->value().get_int64() + 1;
  }
}

}  // namespace

api::Result<DeleteResult> Registry::Delete(const api::ResourceInfo& ri, const std::string& ns,
                                           const std::string& name, const DeleteOptions& opts,
                                           RequestContext& ctx) {
  if (!opts.propagation_policy.empty() && opts.propagation_policy != "Orphan" &&
      opts.propagation_policy != "Background" && opts.propagation_policy != "Foreground") {
    return api::Status::Invalid("DeleteOptions.meta.k8s.io \"\" is invalid: propagationPolicy: "
                                "Unsupported value: \"" +
                                opts.propagation_policy +
                                "\": supported values: \"Foreground\", \"Background\", "
                                "\"Orphan\", \"nil\"");
  }
  if (opts.orphan_dependents && !opts.propagation_policy.empty()) {
    return api::Status::Invalid(
        "DeleteOptions.meta.k8s.io \"\" is invalid: propagationPolicy: Invalid value: \"" +
        opts.propagation_policy + "\": orphanDependents and deletionPropagation cannot be both set");
  }
  if (ri.group.empty() && ri.kind == "Namespace" &&
      (name == "default" || name == "kube-system" || name == "kube-public")) {
    return api::Status::Forbidden("namespaces \"" + name +
                                  "\" is forbidden: this namespace may not be deleted")
        .WithName(name)
        .WithResource("", "namespaces");
  }
  const std::string key = ObjectKey(ri, ns, name);
  for (int attempt = 0; attempt < 16; ++attempt) {
    auto kv = backend_.Get(key);
    if (!kv.ok()) {
      if (kv.status().reason() == api::Reason::kNotFound) {
        return api::Status::NotFoundFor(ri.QualifiedResource(), name)
            .WithResource(ri.group, ri.plural);
      }
      return kv.status();
    }
    auto cur = Decode(*kv);
    if (!cur.ok()) return cur.status();
    json::object obj = std::move(*cur);
    json::object& meta = Meta(obj);
    if (!opts.precondition_uid.empty() && opts.precondition_uid != Str(meta, "uid")) {
      return api::Status::ConflictFor(
                 ri.QualifiedResource(), name,
                 "Precondition failed: UID in precondition: " + opts.precondition_uid +
                     ", UID in object meta: " + Str(meta, "uid"))
          .WithResource(ri.group, ri.plural);
    }
    if (!opts.precondition_resource_version.empty() &&
        opts.precondition_resource_version != Str(meta, "resourceVersion")) {
      return api::Status::ConflictFor(
                 ri.QualifiedResource(), name,
                 "Precondition failed: ResourceVersion in precondition: " +
                     opts.precondition_resource_version +
                     ", ResourceVersion in object meta: " + Str(meta, "resourceVersion"))
          .WithResource(ri.group, ri.plural);
    }

    // Propagation: finalizers the garbage collector honours.
    std::string policy = opts.propagation_policy;
    if (policy.empty() && opts.orphan_dependents) policy = *opts.orphan_dependents ? "Orphan" : "Background";
    if (policy.empty()) policy = DefaultPropagation(ri);
    bool changed = false;
    const bool already_deleting = !Str(meta, "deletionTimestamp").empty();
    if (!already_deleting || policy != "Background") {
      if (policy == "Orphan") {
        AddFinalizer(meta, "orphan");
        RemoveFinalizer(meta, "foregroundDeletion");
        changed = true;
      } else if (policy == "Foreground") {
        AddFinalizer(meta, "foregroundDeletion");
        RemoveFinalizer(meta, "orphan");
        changed = true;
      } else if (already_deleting) {
        RemoveFinalizer(meta, "orphan");
      }
    }

    // Graceful deletion (pods on a node) and namespaces keep the object.
    auto now = api::Clock::now();
    int64_t grace = 0;
    if (ri.group.empty() && ri.kind == "Pod") {
      const json::object* spec = obj.if_contains("spec") ? obj["spec"].if_object() : nullptr;
      grace = 30;
      if (spec) {
        if (auto g = spec->find("terminationGracePeriodSeconds");
            g != spec->end() && g->value().is_int64()) {
          grace = g->value().get_int64();
        }
      }
      if (opts.grace_period_seconds) grace = *opts.grace_period_seconds;
      if (grace < 0) grace = 1;
      std::string phase;
      if (const json::object* st = obj.if_contains("status") ? obj["status"].if_object() : nullptr) {
        phase = Str(*st, "phase");
      }
      if (!spec || Str(*spec, "nodeName").empty() || phase == "Succeeded" || phase == "Failed") {
        grace = 0;
      }
    }
    bool is_namespace = ri.group.empty() && ri.kind == "Namespace";
    bool keep = HasFinalizers(meta) || grace > 0 || is_namespace;
    if (is_namespace) {
      // Namespaces stay until the namespace controller finalizes spec.finalizers.
      const json::value* spec = obj.if_contains("spec");
      bool spec_fin = spec && spec->is_object() && spec->get_object().contains("finalizers") &&
                      spec->get_object().at("finalizers").is_array() &&
                      !spec->get_object().at("finalizers").get_array().empty();
      keep = spec_fin || HasFinalizers(meta);
      if (keep) {
        json::value& status = obj["status"];
        if (!status.is_object()) status = json::object();
        status.get_object()["phase"] = "Terminating";
        changed = true;
      }
    }

    if (keep) {
      if (grace > 0) {
        auto deadline = now + std::chrono::seconds(grace);
        if (already_deleting) {
          auto old_ts = api::ParseTime(Str(meta, "deletionTimestamp"));
          int64_t old_grace = meta.contains("deletionGracePeriodSeconds") &&
                                      meta["deletionGracePeriodSeconds"].is_int64()
                                  ? meta["deletionGracePeriodSeconds"].get_int64()
                                  : 0;
          if (old_ts && grace < old_grace) {
            meta["deletionTimestamp"] = api::FormatTime(*old_ts - std::chrono::seconds(old_grace) +
                                                        std::chrono::seconds(grace));
            meta["deletionGracePeriodSeconds"] = grace;
            changed = true;
          }
        } else {
          meta["deletionTimestamp"] = api::FormatTime(deadline);
          meta["deletionGracePeriodSeconds"] = grace;
          BumpGeneration(meta);
          changed = true;
        }
      } else if (!already_deleting) {
        meta["deletionTimestamp"] = api::FormatTime(now);
        meta["deletionGracePeriodSeconds"] = 0;
        BumpGeneration(meta);
        changed = true;
      }
      if (!changed || opts.dry_run || ctx.dry_run) return DeleteResult{std::move(obj), false};
      std::string rv = Str(meta, "resourceVersion");
      auto rev = backend_.Update(key, EncodeForStorage(obj), kv->mod_revision);
      if (!rev.ok()) {
        if (rev.status().reason() == api::Reason::kConflict ||
            rev.status().reason() == api::Reason::kNotFound) {
          continue;  // raced with another writer: re-read
        }
        return rev.status();
      }
      meta["resourceVersion"] = std::to_string(*rev);
      return DeleteResult{std::move(obj), false};
    }

    if (opts.dry_run || ctx.dry_run) return DeleteResult{std::move(obj), true};
    auto del = backend_.Delete(key, kv->mod_revision);
    if (!del.ok()) {
      if (del.status().reason() == api::Reason::kConflict ||
          del.status().reason() == api::Reason::kNotFound) {
        continue;
      }
      return del.status();
    }
    meta["resourceVersion"] = std::to_string(del->mod_revision);
    OnRemoved(ri, obj);
    return DeleteResult{std::move(obj), true};
  }
  return api::Status::ConflictFor(ri.QualifiedResource(), name,
                                  "the object is being modified concurrently");
}

}  // namespace kc::apiserver
