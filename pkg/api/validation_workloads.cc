// Workload controllers: Deployment, ReplicaSet, ReplicationController, DaemonSet, StatefulSet,
// ControllerRevision (apps/v1 and core/v1 validation rules).
#include "pkg/api/name_validation.h"
#include "pkg/api/validation_internal.h"

namespace kc::api::validation {
namespace {

// Template checks shared by Deployment/ReplicaSet (ValidatePodTemplateSpecForReplicaSet).
ErrorList ValidateTemplateForReplicaSet(const json::object* selector, bool selector_ok,
                                        const json::object* tmpl, const Path& p,
                                        std::string_view kind_for_deadline) {
  ErrorList errs;
  if (tmpl == nullptr) {
    errs.push_back(Required(p));
    return errs;
  }
  // A nil selector selects nothing (mismatch); an empty one matches everything.
  if (selector_ok && (selector == nullptr || !InspectSelector(selector).empty)) {
    Append(errs, ValidateSelectorMatchesTemplate(selector, GetObj(tmpl, "metadata"),
                                                 p.Child("metadata", "labels")));
  }
  Append(errs, ValidatePodTemplateSpec(tmpl, p, PodSpecOptions{}));
  const json::object* spec = GetObj(tmpl, "spec");
  std::string_view restart = GetStr(spec, "restartPolicy");
  if (restart != "Always")
    errs.push_back(NotSupported(p.Child("spec", "restartPolicy"), restart, {"Always"}));
  if (Has(spec, "activeDeadlineSeconds")) {
    errs.push_back(Invalid(
        p.Child("spec", "activeDeadlineSeconds"), *spec->if_contains("activeDeadlineSeconds"),
        "activeDeadlineSeconds in " + std::string(kind_for_deadline) + " is not Supported"));
  }
  return errs;
}

// The apps/v1 selector block: required, valid, non-empty.
ErrorList ValidateAppsSelector(const json::object& spec, const Path& p, std::string_view kind_word,
                               bool* selector_ok) {
  ErrorList errs;
  const json::value* sv = spec.if_contains("selector");
  const json::object* sel = GetObj(spec, "selector");
  *selector_ok = true;
  if (sel == nullptr) {
    errs.push_back(Required(p.Child("selector")));
  } else {
    Append(errs, ValidateLabelSelector(sel, p.Child("selector")));
    SelectorEval ev = InspectSelector(sel);
    if (ev.empty) {
      errs.push_back(InvalidRendered(p.Child("selector"), RenderLabelSelector(sv),
                                     "empty selector is invalid for " + std::string(kind_word)));
    }
    if (!ev.ok) {
      *selector_ok = false;
      errs.push_back(
          InvalidRendered(p.Child("selector"), RenderLabelSelector(sv), "invalid label selector"));
    }
  }
  return errs;
}

ErrorList ValidateDeploymentStrategy(const json::object* strategy, const Path& p) {
  ErrorList errs;
  std::string_view type = GetStr(strategy, "type");
  const json::object* ru = GetObj(strategy, "rollingUpdate");
  if (type == "Recreate") {
    if (ru != nullptr) {
      errs.push_back(Forbidden(p.Child("rollingUpdate"),
                               "may not be specified when strategy `type` is 'Recreate'"));
    }
  } else if (type == "RollingUpdate") {
    if (ru == nullptr) {
      errs.push_back(
          Required(p.Child("rollingUpdate"), "this should be defaulted and never be nil"));
    } else {
      Path rp = p.Child("rollingUpdate");
      const json::value* mu = ru->if_contains("maxUnavailable");
      const json::value* ms = ru->if_contains("maxSurge");
      Append(errs, ValidateIntOrPercent(mu, rp.Child("maxUnavailable"), false));
      Append(errs, ValidateIntOrPercent(ms, rp.Child("maxSurge"), false));
      if (IntOrPercentValue(mu) == 0 && IntOrPercentValue(ms) == 0) {
        errs.push_back(InvalidRendered(rp.Child("maxUnavailable"), RenderIntOrString(mu),
                                       "may not be 0 when `maxSurge` is 0"));
      }
      if (mu && mu->is_string() && IsValidPercent(mu->get_string()).empty() &&
          IntOrPercentValue(mu) > 100) {
        errs.push_back(Invalid(rp.Child("maxUnavailable"), *mu, "must not be greater than 100%"));
      }
    }
  } else {
    errs.push_back(NotSupported(p, type, {"Recreate", "RollingUpdate"}));
  }
  return errs;
}

}  // namespace

ErrorList ValidateDeployment(const ResourceInfo& ri, const json::object& obj) {
  ErrorList errs = ValidateObjectMeta(ri, obj);
  Path sp("spec");
  const json::object* spec = GetObj(obj, "spec");
  static const json::object kEmpty;
  if (spec == nullptr) spec = &kEmpty;
  Append(errs, ValidateNonnegative(spec, "replicas", sp.Child("replicas")));
  bool selector_ok = true;
  Append(errs, ValidateAppsSelector(*spec, sp, "deployment", &selector_ok));
  Append(errs, ValidateTemplateForReplicaSet(GetObj(spec, "selector"), selector_ok,
                                             GetObj(spec, "template"), sp.Child("template"),
                                             "ReplicaSet"));
  Append(errs, ValidateDeploymentStrategy(GetObj(spec, "strategy"), sp.Child("strategy")));
  Append(errs, ValidateNonnegative(spec, "minReadySeconds", sp.Child("minReadySeconds")));
  Append(errs, ValidateNonnegative(spec, "revisionHistoryLimit", sp.Child("revisionHistoryLimit")));
  if (auto pds = GetInt(spec, "progressDeadlineSeconds")) {
    Append(errs, ValidateNonnegative(spec, "progressDeadlineSeconds",
                                     sp.Child("progressDeadlineSeconds")));
    if (*pds <= GetInt(spec, "minReadySeconds").value_or(0)) {
      errs.push_back(InvalidInt(sp.Child("progressDeadlineSeconds"), *pds,
                                "must be greater than minReadySeconds"));
    }
  }
  return errs;
}

ErrorList ValidateReplicaSet(const ResourceInfo& ri, const json::object& obj) {
  ErrorList errs = ValidateObjectMeta(ri, obj);
  Path sp("spec");
  const json::object* spec = GetObj(obj, "spec");
  static const json::object kEmpty;
  if (spec == nullptr) spec = &kEmpty;
  Append(errs, ValidateNonnegative(spec, "replicas", sp.Child("replicas")));
  Append(errs, ValidateNonnegative(spec, "minReadySeconds", sp.Child("minReadySeconds")));
  bool selector_ok = true;
  // Upstream reuses the Deployment wording for ReplicaSets.
  Append(errs, ValidateAppsSelector(*spec, sp, "deployment", &selector_ok));
  Append(errs, ValidateTemplateForReplicaSet(GetObj(spec, "selector"), selector_ok,
                                             GetObj(spec, "template"), sp.Child("template"),
                                             "ReplicaSet"));
  return errs;
}

ErrorList ValidateReplicationController(const ResourceInfo& ri, const json::object& obj) {
  ErrorList errs = ValidateObjectMeta(ri, obj);
  Path sp("spec");
  const json::object* spec = GetObj(obj, "spec");
  Append(errs, ValidateNonnegative(spec, "minReadySeconds", sp.Child("minReadySeconds")));
  const json::object* selector = GetObj(spec, "selector");
  if (Len(spec, "selector") == 0) errs.push_back(Required(sp.Child("selector")));
  Append(errs, ValidateLabels(selector, sp.Child("selector")));
  Append(errs, ValidateNonnegative(spec, "replicas", sp.Child("replicas")));
  const json::object* tmpl = GetObj(spec, "template");
  Path tp = sp.Child("template");
  if (tmpl == nullptr) {
    errs.push_back(Required(tp));
    return errs;
  }
  if (selector && !selector->empty()) {
    json::object as_selector;
    as_selector["matchLabels"] = *selector;
    Append(errs, ValidateSelectorMatchesTemplate(&as_selector, GetObj(tmpl, "metadata"),
                                                 tp.Child("metadata", "labels")));
  }
  Append(errs, ValidatePodTemplateSpec(tmpl, tp, PodSpecOptions{}));
  const json::object* pspec = GetObj(tmpl, "spec");
  std::string_view restart = GetStr(pspec, "restartPolicy");
  if (restart != "Always")
    errs.push_back(NotSupported(tp.Child("spec", "restartPolicy"), restart, {"Always"}));
  if (Has(pspec, "activeDeadlineSeconds")) {
    errs.push_back(Invalid(tp.Child("spec", "activeDeadlineSeconds"),
                           *pspec->if_contains("activeDeadlineSeconds"),
                           "activeDeadlineSeconds in ReplicationController is not Supported"));
  }
  return errs;
}

ErrorList ValidateDaemonSet(const ResourceInfo& ri, const json::object& obj) {
  ErrorList errs = ValidateObjectMeta(ri, obj);
  Path sp("spec");
  const json::object* spec = GetObj(obj, "spec");
  const json::object* sel = GetObj(spec, "selector");
  Append(errs, ValidateLabelSelector(sel, sp.Child("selector")));
  const json::object* tmpl = GetObj(spec, "template");
  SelectorEval ev = InspectSelector(sel);
  if (ev.ok && (sel == nullptr || !ev.empty)) {
    Append(errs, ValidateSelectorMatchesTemplate(sel, GetObj(tmpl, "metadata"),
                                                 sp.Child("template", "metadata", "labels")));
  }
  if (sel != nullptr && ev.empty) {
    errs.push_back(InvalidRendered(sp.Child("selector"),
                                   RenderLabelSelector(spec->if_contains("selector")),
                                   "empty selector is invalid for daemonset"));
  }
  Path tp = sp.Child("template");
  Append(errs, ValidatePodTemplateSpec(tmpl, tp, PodSpecOptions{}));
  const json::object* pspec = GetObj(tmpl, "spec");
  std::string_view restart = GetStr(pspec, "restartPolicy");
  if (tmpl && restart != "Always") {
    errs.push_back(NotSupported(tp.Child("spec", "restartPolicy"), restart, {"Always"}));
  }
  if (Has(pspec, "activeDeadlineSeconds")) {
    errs.push_back(Invalid(tp.Child("spec", "activeDeadlineSeconds"),
                           *pspec->if_contains("activeDeadlineSeconds"),
                           "activeDeadlineSeconds must be nil for daemon set pods"));
  }
  Append(errs, ValidateNonnegative(spec, "minReadySeconds", sp.Child("minReadySeconds")));
  Append(errs, ValidateNonnegative(spec, "templateGeneration", sp.Child("templateGeneration")));

  const json::object* strategy = GetObj(spec, "updateStrategy");
  Path up = sp.Child("updateStrategy");
  std::string_view type = GetStr(strategy, "type");
  if (type == "RollingUpdate") {
    const json::object* ru = GetObj(strategy, "rollingUpdate");
    if (ru == nullptr) {
      errs.push_back(Required(up.Child("rollingUpdate")));
    } else {
      Path rp = up.Child("rollingUpdate");
      const json::value* mu = ru->if_contains("maxUnavailable");
      const json::value* ms = ru->if_contains("maxSurge");
      Append(errs, ValidateIntOrPercent(mu, rp.Child("maxUnavailable"), false));
      Append(errs, ValidateIntOrPercent(ms, rp.Child("maxSurge"), false));
      for (auto [v, name] : {std::pair{mu, "maxUnavailable"}, std::pair{ms, "maxSurge"}}) {
        if (v && v->is_string() && IsValidPercent(v->get_string()).empty() &&
            IntOrPercentValue(v) > 100) {
          errs.push_back(Invalid(rp.Child(name), *v, "must not be greater than 100%"));
        }
      }
      bool has_unavailable = IntOrPercentValue(mu) != 0;
      bool has_surge = IntOrPercentValue(ms) != 0;
      if (has_unavailable && has_surge) {
        errs.push_back(InvalidRendered(rp.Child("maxSurge"), RenderIntOrString(ms),
                                       "may not be set when maxUnavailable is non-zero"));
      } else if (!has_unavailable && !has_surge) {
        errs.push_back(Required(rp.Child("maxUnavailable"), "cannot be 0 when maxSurge is 0"));
      }
    }
  } else if (type != "OnDelete") {
    errs.push_back(NotSupported(up, type, {"RollingUpdate", "OnDelete"}));
  }
  Append(errs, ValidateNonnegative(spec, "revisionHistoryLimit", sp.Child("revisionHistoryLimit")));
  return errs;
}

ErrorList ValidateStatefulSet(const ResourceInfo& ri, const json::object& obj) {
  ErrorList errs = ValidateObjectMeta(ri, obj);
  Path sp("spec");
  const json::object* spec = GetObj(obj, "spec");
  static const json::object kEmpty;
  if (spec == nullptr) spec = &kEmpty;

  std::string_view pmp = GetStr(spec, "podManagementPolicy");
  if (pmp.empty()) {
    errs.push_back(Required(sp.Child("podManagementPolicy")));
  } else if (pmp != "OrderedReady" && pmp != "Parallel") {
    errs.push_back(
        InvalidStr(sp.Child("podManagementPolicy"), pmp, "must be 'OrderedReady' or 'Parallel'"));
  }
  const json::object* us = GetObj(spec, "updateStrategy");
  std::string_view ut = GetStr(us, "type");
  Path up = sp.Child("updateStrategy");
  if (ut.empty()) {
    errs.push_back(Required(up));
  } else if (ut == "OnDelete") {
    if (Has(us, "rollingUpdate")) {
      errs.push_back(Invalid(up.Child("rollingUpdate"), *us->if_contains("rollingUpdate"),
                             "only allowed for updateStrategy 'RollingUpdate'"));
    }
  } else if (ut == "RollingUpdate") {
    if (const json::object* ru = GetObj(us, "rollingUpdate")) {
      Path rp = up.Child("rollingUpdate");
      Append(errs, ValidateNonnegative(ru, "partition", rp.Child("partition")));
      if (const json::value* mu = ru->if_contains("maxUnavailable"); mu && !mu->is_null()) {
        Append(errs, ValidateIntOrPercent(mu, rp.Child("maxUnavailable")));
        if (IntOrPercentValue(mu) == 0) {
          errs.push_back(
              InvalidRendered(rp.Child("maxUnavailable"), RenderIntOrString(mu), "cannot be 0"));
        }
      }
    }
  } else {
    errs.push_back(
        Invalid(up, *spec->if_contains("updateStrategy"), "must be 'RollingUpdate' or 'OnDelete'"));
  }
  if (const json::object* rp = GetObj(spec, "persistentVolumeClaimRetentionPolicy")) {
    Path pp = sp.Child("persistentVolumeClaimRetentionPolicy");
    for (const char* key : {"whenDeleted", "whenScaled"}) {
      std::string_view v = GetStr(rp, key);
      if (v != "Retain" && v != "Delete")
        errs.push_back(NotSupported(pp.Child(key), v, {"Retain", "Delete"}));
    }
  }
  Append(errs, ValidateNonnegative(spec, "replicas", sp.Child("replicas")));
  if (const json::object* ord = GetObj(spec, "ordinals")) {
    Append(errs, ValidateNonnegative(ord, "start", sp.Child("ordinals", "start")));
  }
  Append(errs, ValidateNonnegative(spec, "minReadySeconds", sp.Child("minReadySeconds")));

  bool selector_ok = true;
  Append(errs, ValidateAppsSelector(*spec, sp, "statefulset", &selector_ok));
  const json::object* sel = GetObj(spec, "selector");
  const json::object* tmpl = GetObj(spec, "template");
  Path tp = sp.Child("template");
  if (tmpl == nullptr) {
    errs.push_back(Required(tp));
  } else {
    if (selector_ok && (sel == nullptr || !InspectSelector(sel).empty)) {
      Append(errs, ValidateSelectorMatchesTemplate(sel, GetObj(tmpl, "metadata"),
                                                   tp.Child("metadata", "labels")));
    }
    // Claim templates provide volumes the containers may mount.
    PodSpecOptions opts;
    if (const json::array* vcts = GetArr(spec, "volumeClaimTemplates")) {
      for (const auto& v : *vcts) {
        opts.extra_volumes.emplace_back(GetStr(GetObj(v.if_object(), "metadata"), "name"));
      }
    }
    Append(errs, ValidatePodTemplateSpec(tmpl, tp, opts));
  }
  const json::object* pspec = GetObj(tmpl, "spec");
  std::string_view restart = GetStr(pspec, "restartPolicy");
  if (restart != "Always")
    errs.push_back(NotSupported(tp.Child("spec", "restartPolicy"), restart, {"Always"}));
  if (Has(pspec, "activeDeadlineSeconds")) {
    errs.push_back(Forbidden(tp.Child("spec", "activeDeadlineSeconds"),
                             "activeDeadlineSeconds in StatefulSet is not Supported"));
  }
  return errs;
}

ErrorList ValidateControllerRevision(const ResourceInfo& ri, const json::object& obj) {
  ErrorList errs = ValidateObjectMeta(ri, obj);
  if (!Has(obj, "data")) errs.push_back(Required(Path("data"), "data is mandatory"));
  Append(errs, ValidateNonnegative(&obj, "revision", Path("revision")));
  return errs;
}

ErrorList ValidateSelectorUpdate(const ResourceInfo& ri, const json::object& obj,
                                 const json::object& old) {
  ErrorList errs = ValidateObjectMetaUpdate(obj, old);
  const json::object* ns = GetObj(obj, "spec");
  const json::object* os = GetObj(old, "spec");
  if (ri.group == "apps") {
    const json::value* nv = ns ? ns->if_contains("selector") : nullptr;
    const json::value* ov = os ? os->if_contains("selector") : nullptr;
    if (!SemanticEqual(nv, ov)) {
      errs.push_back(InvalidRendered(Path("spec").Child("selector"), RenderLabelSelector(nv),
                                     "field is immutable"));
    }
  }
  return errs;
}

ErrorList ValidateStatefulSetUpdate(const ResourceInfo& ri, const json::object& obj,
                                    const json::object& old) {
  ErrorList errs = ValidateObjectMetaUpdate(obj, old);
  json::object ns = GetObj(obj, "spec") ? *GetObj(obj, "spec") : json::object();
  json::object os = GetObj(old, "spec") ? *GetObj(old, "spec") : json::object();
  for (const char* key : {"replicas", "ordinals", "template", "updateStrategy",
                          "persistentVolumeClaimRetentionPolicy", "minReadySeconds"}) {
    ns.erase(key);
    os.erase(key);
  }
  if (!SemanticEqual(json::value(ns), json::value(os))) {
    errs.push_back(
        Forbidden(Path("spec"),
                  "updates to statefulset spec for fields other than 'replicas', 'ordinals', "
                  "'template', 'updateStrategy', 'persistentVolumeClaimRetentionPolicy' and "
                  "'minReadySeconds' are forbidden"));
  }
  (void)ri;
  return errs;
}

ErrorList ValidateControllerRevisionUpdate(const ResourceInfo& ri, const json::object& obj,
                                           const json::object& old) {
  ErrorList errs = ValidateObjectMetaUpdate(obj, old);
  Append(errs, ValidateImmutable(&obj, &old, "data", Path("data")));
  (void)ri;
  return errs;
}

}  // namespace kc::api::validation
