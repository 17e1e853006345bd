// Pod update rules (ValidatePodUpdate): only images, activeDeadlineSeconds, toleration
// additions, terminationGracePeriodSeconds (negative → 1) and scheduling-gate removals may change.
#include <boost/json/serialize.hpp>
#include <set>

#include "pkg/api/name_validation.h"
#include "pkg/api/validation_internal.h"

namespace kc::api::validation {

namespace {

constexpr int64_t kMaxInt32 = 2147483647;

// Containers may only change their image on update.
ErrorList ValidateContainerUpdates(const json::array* nc, const json::array* oc, const Path& p,
                                   bool* stop) {
  ErrorList errs;
  size_t nn = nc ? nc->size() : 0, on = oc ? oc->size() : 0;
  if (nn != on) {
    errs.push_back(Forbidden(p, "pod updates may not add or remove containers"));
    *stop = true;
    return errs;
  }
  for (size_t i = 0; i < nn; ++i) {
    std::string_view image = GetStr((*nc)[i].if_object(), "image");
    if (image.empty()) {
      errs.push_back(Required(p.Index(i).Child("image")));
    } else if (std::isspace(static_cast<unsigned char>(image.front())) ||
               std::isspace(static_cast<unsigned char>(image.back()))) {
      errs.push_back(InvalidStr(p.Index(i).Child("image"), image,
                                "must not have leading or trailing whitespace"));
    }
  }
  return errs;
}

json::value WithoutSeconds(const json::value& t) {
  json::value c = t;
  if (json::object* o = c.if_object()) o->erase("tolerationSeconds");
  return c;
}

}  // namespace

ErrorList ValidatePodUpdate(const ResourceInfo& ri, const json::object& obj,
                            const json::object& old) {
  ErrorList errs = ValidateObjectMetaUpdate(obj, old);
  Path sp("spec");
  const json::object* ns = GetObj(obj, "spec");
  const json::object* os = GetObj(old, "spec");
  bool stop = false;
  Append(errs, ValidateContainerUpdates(GetArr(ns, "containers"), GetArr(os, "containers"),
                                        sp.Child("containers"), &stop));
  if (stop) return errs;
  Append(errs, ValidateContainerUpdates(GetArr(ns, "initContainers"), GetArr(os, "initContainers"),
                                        sp.Child("initContainers"), &stop));
  if (stop) return errs;

  auto nads = GetInt(ns, "activeDeadlineSeconds");
  auto oads = GetInt(os, "activeDeadlineSeconds");
  if (nads) {
    if (*nads < 0 || *nads > kMaxInt32) {
      errs.push_back(
          InvalidInt(sp.Child("activeDeadlineSeconds"), *nads, InclusiveRangeError(0, kMaxInt32)));
      return errs;
    }
    if (oads && *oads < *nads) {
      errs.push_back(InvalidInt(sp.Child("activeDeadlineSeconds"), *nads,
                                "must be less than or equal to previous value"));
      return errs;
    }
  } else if (oads) {
    errs.push_back(InvalidRendered(sp.Child("activeDeadlineSeconds"), "\"null\"",
                                   "must not update from a positive integer to nil value"));
  }

  // Build the spec as it would be if only the allowed fields had changed, then compare.
  json::object munged = ns ? *ns : json::object();
  auto copy_images = [&](const char* list) {
    json::array* nl = MutArr(munged, list);
    const json::array* ol = GetArr(os, list);
    if (nl == nullptr || ol == nullptr) return;
    for (size_t i = 0; i < nl->size() && i < ol->size(); ++i) {
      json::object* c = (*nl)[i].if_object();
      const json::object* oc = (*ol)[i].if_object();
      const json::value* img = oc ? oc->if_contains("image") : nullptr;
      if (c && img) (*c)["image"] = *img;
    }
  };
  copy_images("containers");
  copy_images("initContainers");
  auto restore = [&](const char* key) {
    if (os && os->contains(key)) {
      munged[key] = os->at(key);
    } else {
      munged.erase(key);
    }
  };
  restore("activeDeadlineSeconds");

  // Tolerations: existing entries may only change tolerationSeconds; additions are allowed.
  const json::array* nt = GetArr(ns, "tolerations");
  const json::array* ot = GetArr(os, "tolerations");
  if (ot) {
    for (const auto& o : *ot) {
      bool found = false;
      if (nt) {
        for (const auto& n : *nt) {
          if (SemanticEqual(WithoutSeconds(o), WithoutSeconds(n))) found = true;
        }
      }
      if (!found) {
        errs.push_back(
            Forbidden(sp.Child("tolerations"),
                      "existing toleration can not be modified except its tolerationSeconds"));
        break;
      }
    }
  }
  Append(errs, ValidateTolerations(nt, sp.Child("tolerations")));
  restore("tolerations");

  auto ogp = GetInt(os, "terminationGracePeriodSeconds");
  auto ngp = GetInt(ns, "terminationGracePeriodSeconds");
  if (ogp && *ogp < 0 && ngp && *ngp == 1) restore("terminationGracePeriodSeconds");

  // Scheduling gates: removals only; while gated, nodeSelector additions are allowed.
  const json::array* ng = GetArr(ns, "schedulingGates");
  const json::array* og = GetArr(os, "schedulingGates");
  std::set<std::string> old_gates;
  if (og) {
    for (const auto& g : *og) old_gates.insert(std::string(GetStr(g.if_object(), "name")));
  }
  if (ng) {
    for (const auto& g : *ng) {
      std::string name(GetStr(g.if_object(), "name"));
      if (!old_gates.count(name)) {
        errs.push_back(
            Forbidden(sp.Child("schedulingGates"),
                      "only deletion is allowed, but found new scheduling gate '" + name + "'"));
      }
    }
  }
  restore("schedulingGates");
  if (!old_gates.empty()) {
    const json::object* nsel = GetObj(ns, "nodeSelector");
    const json::object* osel = GetObj(os, "nodeSelector");
    bool superset = true;
    if (osel) {
      for (const auto& kv : *osel) {
        const json::value* v = nsel ? nsel->if_contains(kv.key()) : nullptr;
        if (v == nullptr || !(*v == kv.value())) superset = false;
      }
    }
    if (superset) restore("nodeSelector");
  }

  json::value munged_v(std::move(munged));
  json::value old_v = os ? json::value(*os) : json::value(json::object());
  if (!SemanticEqual(munged_v, old_v)) {
    std::string diff;
    const json::object& mo = munged_v.get_object();
    const json::object& oo = old_v.get_object();
    std::set<std::string> keys;
    for (const auto& kv : mo) keys.insert(std::string(kv.key()));
    for (const auto& kv : oo) keys.insert(std::string(kv.key()));
    for (const auto& k : keys) {
      const json::value* a = oo.if_contains(k);
      const json::value* b = mo.if_contains(k);
      if (SemanticEqual(a, b)) continue;
      diff += "\n  spec." + k + ": " + (a ? json::serialize(*a) : "null") + " -> " +
              (b ? json::serialize(*b) : "null");
    }
    errs.push_back(Forbidden(
        sp,
        "pod updates may not change fields other than `spec.containers[*].image`,"
        "`spec.initContainers[*].image`,`spec.activeDeadlineSeconds`,`spec.tolerations` (only "
        "additions to existing tolerations),`spec.terminationGracePeriodSeconds` (allow it to "
        "be set to 1 if it was previously negative)" +
            diff));
  }
  (void)ri;
  return errs;
}

}  // namespace kc::api::validation
