// rbac.authorization.k8s.io/v1: Role, ClusterRole, RoleBinding, ClusterRoleBinding.
#include "pkg/api/name_validation.h"
#include "pkg/api/validation_internal.h"

namespace kc::api::validation {
namespace {

constexpr const char* kRbacGroup = "rbac.authorization.k8s.io";

ErrorList ValidatePolicyRule(const json::object* rule, bool namespaced, const Path& p) {
  ErrorList errs;
  if (Len(rule, "verbs") == 0)
    errs.push_back(Required(p.Child("verbs"), "verbs must contain at least one value"));
  if (Len(rule, "nonResourceURLs") > 0) {
    json::value urls = *rule->if_contains("nonResourceURLs");
    if (namespaced) {
      errs.push_back(Invalid(p.Child("nonResourceURLs"), urls,
                             "namespaced rules cannot apply to non-resource URLs"));
    }
    if (Len(rule, "apiGroups") > 0 || Len(rule, "resources") > 0 ||
        Len(rule, "resourceNames") > 0) {
      errs.push_back(Invalid(p.Child("nonResourceURLs"), urls,
                             "rules cannot apply to both regular resources and non-resource URLs"));
    }
    return errs;
  }
  if (Len(rule, "apiGroups") == 0) {
    errs.push_back(
        Required(p.Child("apiGroups"), "resource rules must supply at least one api group"));
  }
  if (Len(rule, "resources") == 0) {
    errs.push_back(
        Required(p.Child("resources"), "resource rules must supply at least one resource"));
  }
  return errs;
}

ErrorList ValidateSubject(const json::object* subject, bool namespaced, const Path& p) {
  ErrorList errs;
  std::string_view name = GetStr(subject, "name");
  std::string_view kind = GetStr(subject, "kind");
  std::string_view group = GetStr(subject, "apiGroup");
  if (name.empty()) errs.push_back(Required(p.Child("name")));
  if (kind == "ServiceAccount") {
    if (!name.empty()) {
      for (auto& msg : IsDNS1123Subdomain(name))
        errs.push_back(InvalidStr(p.Child("name"), name, msg));
    }
    if (!group.empty()) errs.push_back(NotSupported(p.Child("apiGroup"), group, {""}));
    if (!namespaced && GetStr(subject, "namespace").empty())
      errs.push_back(Required(p.Child("namespace")));
  } else if (kind == "User" || kind == "Group") {
    if (group != kRbacGroup) errs.push_back(NotSupported(p.Child("apiGroup"), group, {kRbacGroup}));
  } else {
    errs.push_back(NotSupported(p.Child("kind"), kind, {"ServiceAccount", "User", "Group"}));
  }
  return errs;
}

}  // namespace

ErrorList ValidateRole(const ResourceInfo& ri, const json::object& obj) {
  ErrorList errs = ValidateObjectMeta(ri, obj);
  if (const json::array* rules = GetArr(obj, "rules")) {
    for (size_t i = 0; i < rules->size(); ++i) {
      Append(errs,
             ValidatePolicyRule((*rules)[i].if_object(), ri.namespaced, Path("rules").Index(i)));
    }
  }
  if (const json::object* agg = GetObj(obj, "aggregationRule")) {
    const json::array* selectors = GetArr(agg, "clusterRoleSelectors");
    Path ap = Path("aggregationRule").Child("clusterRoleSelectors");
    if (selectors == nullptr || selectors->empty()) {
      errs.push_back(
          Required(ap, "at least one clusterRoleSelector required if aggregationRule is non-nil"));
    } else {
      for (size_t i = 0; i < selectors->size(); ++i) {
        Append(errs, ValidateLabelSelector((*selectors)[i].if_object(), ap.Index(i)));
      }
    }
  }
  return errs;
}

ErrorList ValidateRoleBinding(const ResourceInfo& ri, const json::object& obj) {
  ErrorList errs = ValidateObjectMeta(ri, obj);
  const json::object* ref = GetObj(obj, "roleRef");
  Path rp("roleRef");
  std::string_view group = GetStr(ref, "apiGroup");
  if (group != kRbacGroup) errs.push_back(NotSupported(rp.Child("apiGroup"), group, {kRbacGroup}));
  std::string_view kind = GetStr(ref, "kind");
  if (ri.namespaced) {
    if (kind != "Role" && kind != "ClusterRole")
      errs.push_back(NotSupported(rp.Child("kind"), kind, {"Role", "ClusterRole"}));
  } else if (kind != "ClusterRole") {
    errs.push_back(NotSupported(rp.Child("kind"), kind, {"ClusterRole"}));
  }
  std::string_view name = GetStr(ref, "name");
  if (name.empty()) {
    errs.push_back(Required(rp.Child("name")));
  } else {
    for (auto& msg : IsValidPathSegmentName(name))
      errs.push_back(InvalidStr(rp.Child("name"), name, msg));
  }
  if (const json::array* subjects = GetArr(obj, "subjects")) {
    for (size_t i = 0; i < subjects->size(); ++i) {
      Append(errs,
             ValidateSubject((*subjects)[i].if_object(), ri.namespaced, Path("subjects").Index(i)));
    }
  }
  return errs;
}

ErrorList ValidateRoleBindingUpdate(const ResourceInfo& ri, const json::object& obj,
                                    const json::object& old) {
  ErrorList errs = ValidateObjectMetaUpdate(obj, old);
  const json::value* nr = obj.if_contains("roleRef");
  const json::value* orf = old.if_contains("roleRef");
  if (!SemanticEqual(nr, orf)) {
    errs.push_back(InvalidRendered(Path("roleRef"), nr ? RenderValue(*nr) : "\"null\"",
                                   "cannot change roleRef"));
  }
  (void)ri;
  return errs;
}

}  // namespace kc::api::validation
