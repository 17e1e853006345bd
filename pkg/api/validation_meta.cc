// ObjectMeta validation and the field rules shared by every kind (labels, selectors,
// non-negative integers, immutability, int-or-percent, resource lists).
#include <algorithm>
#include <set>

#include "pkg/api/name_validation.h"
#include "pkg/api/validation_internal.h"

namespace kc::api::validation {
namespace {

constexpr size_t kTotalAnnotationSizeLimit = 256 * 1024;
constexpr const char* kNegativeMsg = "must be greater than or equal to 0";

bool IsStandardFinalizer(std::string_view f) {
  return f == "kubernetes" || f == "orphan" || f == "foregroundDeletion";
}

ErrorList ValidateFinalizers(const json::array* finalizers, const Path& p) {
  ErrorList errs;
  if (finalizers == nullptr) return errs;
  bool orphan = false, foreground = false;
  for (const auto& f : *finalizers) {
    std::string_view name = f.is_string() ? std::string_view(f.get_string()) : std::string_view();
    for (auto& msg : IsQualifiedName(name)) errs.push_back(InvalidStr(p, name, msg));
    orphan = orphan || name == "orphan";
    foreground = foreground || name == "foregroundDeletion";
  }
  if (orphan && foreground) {
    errs.push_back(InvalidRendered(p, RenderValue(json::value(*finalizers)),
                                   "finalizer orphan and foregroundDeletion cannot be both set"));
  }
  // Kubernetes-specific rule: a finalizer without a '/' must be a standard one.
  for (size_t i = 0; i < finalizers->size(); ++i) {
    const auto& f = (*finalizers)[i];
    std::string_view name = f.is_string() ? std::string_view(f.get_string()) : std::string_view();
    if (name.find('/') == std::string_view::npos && !IsStandardFinalizer(name)) {
      errs.push_back(InvalidStr(
          p.Index(i), name, "name is neither a standard finalizer name nor is it fully qualified"));
    }
  }
  return errs;
}

ErrorList ValidateOwnerReferences(const json::array* refs, const Path& p) {
  ErrorList errs;
  if (refs == nullptr) return errs;
  std::string first_controller;
  for (const auto& rv : *refs) {
    const json::object* ref = rv.if_object();
    std::string_view api_version = GetStr(ref, "apiVersion");
    std::string_view kind = GetStr(ref, "kind");
    // schema.FromAPIVersionAndKind: "v1" → group "", version "v1"; "a/b" → group a, version b.
    std::string_view group, version;
    size_t slash = api_version.find('/');
    if (slash == std::string_view::npos) {
      version = api_version;
    } else if (api_version.find('/', slash + 1) == std::string_view::npos) {
      group = api_version.substr(0, slash);
      version = api_version.substr(slash + 1);
    }
    if (version.empty())
      errs.push_back(InvalidStr(p.Child("apiVersion"), api_version, "version must not be empty"));
    if (kind.empty()) errs.push_back(InvalidStr(p.Child("kind"), kind, "kind must not be empty"));
    if (GetStr(ref, "name").empty()) {
      errs.push_back(InvalidStr(p.Child("name"), "", "name must not be empty"));
    }
    if (GetStr(ref, "uid").empty())
      errs.push_back(InvalidStr(p.Child("uid"), "", "uid must not be empty"));
    if (group.empty() && version == "v1" && kind == "Event") {
      errs.push_back(
          InvalidRendered(p, RenderValue(rv), "/v1, Kind=Event is disallowed from being an owner"));
    }
    if (IsTrue(ref, "controller")) {
      std::string cur = std::string(kind) + "/" + std::string(GetStr(ref, "name"));
      if (!first_controller.empty()) {
        errs.push_back(InvalidRendered(p, RenderValue(json::value(*refs)),
                                       "Only one reference can have Controller set to true. Found "
                                       "\"true\" in references for " +
                                           first_controller + " and " + cur));
      } else {
        first_controller = cur;
      }
    }
  }
  return errs;
}

ErrorList ValidateManagedFields(const json::array* entries, const Path& p) {
  ErrorList errs;
  if (entries == nullptr) return errs;
  for (size_t i = 0; i < entries->size(); ++i) {
    const json::object* e = (*entries)[i].if_object();
    Path ip = p.Index(i);
    std::string_view op = GetStr(e, "operation");
    if (op != "Apply" && op != "Update") {
      errs.push_back(InvalidStr(ip.Child("operation"), op, "must be `Apply` or `Update`"));
    }
    std::string_view ft = GetStr(e, "fieldsType");
    if (!ft.empty() && ft != "FieldsV1") {
      errs.push_back(InvalidStr(ip.Child("fieldsType"), ft, "must be `FieldsV1`"));
    }
    std::string_view manager = GetStr(e, "manager");
    if (manager.size() > 128) errs.push_back(TooLong(ip.Child("manager"), 128));
  }
  return errs;
}

bool IsHugePages(std::string_view r) {
  return r.substr(0, 10) == "hugepages-" || r.substr(0, 19) == "requests.hugepages-";
}

bool IsNativeResource(std::string_view r) {
  return r.find('/') == std::string_view::npos ||
         r.find("kubernetes.io/") != std::string_view::npos;
}

bool IsExtendedResource(std::string_view r) {
  if (IsNativeResource(r) || r.substr(0, 9) == "requests.") return false;
  return IsQualifiedName("requests." + std::string(r)).empty();
}

bool IsStandardResourceName(std::string_view r) {
  static const std::set<std::string_view> kStandard = {"cpu",
                                                       "memory",
                                                       "ephemeral-storage",
                                                       "requests.cpu",
                                                       "requests.memory",
                                                       "requests.ephemeral-storage",
                                                       "limits.cpu",
                                                       "limits.memory",
                                                       "limits.ephemeral-storage",
                                                       "pods",
                                                       "services",
                                                       "replicationcontrollers",
                                                       "resourcequotas",
                                                       "secrets",
                                                       "configmaps",
                                                       "persistentvolumeclaims",
                                                       "storage",
                                                       "requests.storage",
                                                       "services.nodeports",
                                                       "services.loadbalancers"};
  return kStandard.count(r) > 0 || IsHugePages(r);
}

bool IsIntegerResource(std::string_view r) {
  static const std::set<std::string_view> kInteger = {"pods",
                                                      "services",
                                                      "replicationcontrollers",
                                                      "resourcequotas",
                                                      "secrets",
                                                      "configmaps",
                                                      "persistentvolumeclaims",
                                                      "services.nodeports",
                                                      "services.loadbalancers"};
  return kInteger.count(r) > 0 || IsExtendedResource(r) || r.substr(0, 6) == "count/";
}

ErrorList ValidateResourceName(std::string_view r, const Path& p, bool container) {
  ErrorList errs = ValidateQualifiedName(r, p);
  if (!errs.empty()) return errs;
  bool unprefixed = r.find('/') == std::string_view::npos;
  if (unprefixed && !IsStandardResourceName(r) && r.substr(0, 6) != "count/") {
    errs.push_back(InvalidStr(p, r, "must be a standard resource type or fully qualified"));
    return errs;
  }
  if (container) {
    if (unprefixed) {
      if (r != "cpu" && r != "memory" && r != "ephemeral-storage" &&
          r.substr(0, 10) != "hugepages-") {
        errs.push_back(InvalidStr(p, r, "must be a standard resource for containers"));
      }
    } else if (!IsNativeResource(r) && !IsExtendedResource(r)) {
      errs.push_back(InvalidStr(p, r, "doesn't follow extended resource name standard"));
    }
  }
  return errs;
}

}  // namespace

bool IsOvercommitAllowed(std::string_view resource) {
  return IsNativeResource(resource) && !IsHugePages(resource);
}

bool IsHugePagesResource(std::string_view resource) { return IsHugePages(resource); }

ErrorList ValidateQualifiedName(std::string_view v, const Path& p) {
  ErrorList errs;
  for (auto& msg : IsQualifiedName(v)) errs.push_back(InvalidStr(p, v, msg));
  return errs;
}

ErrorList ValidateDNS1123Label(std::string_view v, const Path& p) {
  ErrorList errs;
  for (auto& msg : IsDNS1123Label(v)) errs.push_back(InvalidStr(p, v, msg));
  return errs;
}

ErrorList ValidateDNS1123Subdomain(std::string_view v, const Path& p) {
  ErrorList errs;
  for (auto& msg : IsDNS1123Subdomain(v)) errs.push_back(InvalidStr(p, v, msg));
  return errs;
}

ErrorList ValidateLabels(const json::object* labels, const Path& p) {
  ErrorList errs;
  if (labels == nullptr) return errs;
  for (const auto& kv : *labels) {
    std::string_view key(kv.key().data(), kv.key().size());
    Append(errs, ValidateQualifiedName(key, p));
    if (!kv.value().is_string()) {
      errs.push_back(Invalid(p, kv.value(), "label values must be strings"));
      continue;
    }
    std::string_view value = kv.value().get_string();
    for (auto& msg : IsValidLabelValue(value)) errs.push_back(InvalidStr(p, value, msg));
  }
  return errs;
}

ErrorList ValidateAnnotations(const json::object* annotations, const Path& p) {
  ErrorList errs;
  if (annotations == nullptr) return errs;
  size_t total = 0;
  for (const auto& kv : *annotations) {
    std::string key(kv.key());
    std::string lower = key;
    std::transform(lower.begin(), lower.end(), lower.begin(),
                   [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    for (auto& msg : IsQualifiedName(lower)) errs.push_back(InvalidStr(p, key, msg));
    total += key.size();
    if (kv.value().is_string()) total += kv.value().get_string().size();
  }
  if (total > kTotalAnnotationSizeLimit) errs.push_back(TooLong(p, kTotalAnnotationSizeLimit));
  return errs;
}

ErrorList ValidateLabelSelector(const json::object* selector, const Path& p) {
  ErrorList errs;
  if (selector == nullptr) return errs;
  Append(errs, ValidateLabels(GetObj(selector, "matchLabels"), p.Child("matchLabels")));
  if (const json::array* exprs = GetArr(selector, "matchExpressions")) {
    for (size_t i = 0; i < exprs->size(); ++i) {
      const json::object* e = (*exprs)[i].if_object();
      Path ip = p.Child("matchExpressions").Index(i);
      std::string_view op = GetStr(e, "operator");
      size_t nvalues = Len(e, "values");
      if (op == "In" || op == "NotIn") {
        if (nvalues == 0) {
          errs.push_back(
              Required(ip.Child("values"), "must be specified when `operator` is 'In' or 'NotIn'"));
        }
      } else if (op == "Exists" || op == "DoesNotExist") {
        if (nvalues > 0) {
          errs.push_back(
              Forbidden(ip.Child("values"),
                        "may not be specified when `operator` is 'Exists' or 'DoesNotExist'"));
        }
      } else {
        errs.push_back(InvalidStr(ip.Child("operator"), op, "not a valid selector operator"));
      }
      Append(errs, ValidateQualifiedName(GetStr(e, "key"), ip.Child("key")));
      if (const json::array* values = GetArr(e, "values")) {
        for (size_t j = 0; j < values->size(); ++j) {
          const auto& v = (*values)[j];
          std::string_view s =
              v.is_string() ? std::string_view(v.get_string()) : std::string_view();
          for (auto& msg : IsValidLabelValue(s)) {
            errs.push_back(InvalidStr(ip.Child("values").Index(j), s, msg));
          }
        }
      }
    }
  }
  return errs;
}

ErrorList ValidateNonnegative(const json::object* o, std::string_view key, const Path& p) {
  ErrorList errs;
  if (o == nullptr) return errs;
  if (auto v = GetInt(*o, key); v && *v < 0) errs.push_back(InvalidInt(p, *v, kNegativeMsg));
  return errs;
}

ErrorList ValidateImmutable(const json::object* o, const json::object* old, std::string_view key,
                            const Path& p) {
  ErrorList errs;
  const json::value* nv = o ? o->if_contains(key) : nullptr;
  const json::value* ov = old ? old->if_contains(key) : nullptr;
  if (!SemanticEqual(nv, ov)) {
    std::string rendered = nv ? RenderValue(*nv) : "\"null\"";
    errs.push_back(InvalidRendered(p, rendered, "field is immutable"));
  }
  return errs;
}

int64_t IntOrPercentValue(const json::value* v) {
  if (v == nullptr) return 0;
  if (auto i = AsInt(*v)) return *i;
  if (v->is_string()) {
    std::string_view s = v->get_string();
    if (!s.empty() && s.back() == '%') s.remove_suffix(1);
    int64_t n = 0;
    for (char c : s) {
      if (c < '0' || c > '9') return 0;
      n = n * 10 + (c - '0');
      if (n > 1000000000) return n;
    }
    return n;
  }
  return 0;
}

ErrorList ValidateIntOrPercent(const json::value* v, const Path& p, bool check_100) {
  ErrorList errs;
  if (v == nullptr || v->is_null()) return errs;
  if (v->is_string()) {
    for (auto& msg : IsValidPercent(v->get_string())) errs.push_back(Invalid(p, *v, msg));
  } else if (auto i = AsInt(*v)) {
    if (*i < 0) errs.push_back(InvalidInt(p, *i, kNegativeMsg));
  } else {
    errs.push_back(Invalid(p, *v, "must be an integer or percentage (e.g '5%')"));
  }
  if (check_100 && v->is_string() && IsValidPercent(v->get_string()).empty() &&
      IntOrPercentValue(v) > 100) {
    errs.push_back(Invalid(p, *v, "must not be greater than 100%"));
  }
  return errs;
}

ErrorList ValidateResourceList(const json::object* list, const Path& p, bool container_names) {
  ErrorList errs;
  if (list == nullptr) return errs;
  for (const auto& kv : *list) {
    std::string_view name(kv.key().data(), kv.key().size());
    Path kp = p.Key(name);
    Append(errs, ValidateResourceName(name, kp, container_names));
    std::string parse_error;
    auto q = ParseQuantity(kv.value(), &parse_error);
    if (!q) {
      errs.push_back(Invalid(kp, kv.value(), parse_error));
      continue;
    }
    if (q->Sign() < 0) errs.push_back(InvalidStr(kp, q->ToString(), kNegativeMsg));
    if (IsIntegerResource(name) && q->MilliValue() % 1000 != 0) {
      errs.push_back(InvalidStr(kp, q->ToString(), "must be an integer"));
    }
  }
  return errs;
}

ErrorList ValidateSelectorMatchesTemplate(const json::object* selector,
                                          const json::object* template_meta, const Path& p) {
  ErrorList errs;
  const json::object* labels = GetObj(template_meta, "labels");
  if (!SelectorMatches(selector, labels)) {
    errs.push_back(
        InvalidRendered(p, RenderStringMap(labels), "`selector` does not match template `labels`"));
  }
  return errs;
}

ErrorList ValidateObjectMeta(const ResourceInfo& ri, const json::object& obj) {
  ErrorList errs;
  Path meta("metadata");
  const json::object* m = GetObj(obj, "metadata");
  std::string_view generate_name = GetStr(m, "generateName");
  std::string_view name = GetStr(m, "name");
  std::string_view ns = GetStr(m, "namespace");
  if (!generate_name.empty()) {
    for (auto& msg : ValidateObjectNamePrefix(ri, generate_name)) {
      errs.push_back(InvalidStr(meta.Child("generateName"), generate_name, msg));
    }
  }
  if (name.empty()) {
    // The server generates the name from generateName before storing.
    if (generate_name.empty()) {
      errs.push_back(Required(meta.Child("name"), "name or generateName is required"));
    }
  } else {
    for (auto& msg : ValidateObjectName(ri, name))
      errs.push_back(InvalidStr(meta.Child("name"), name, msg));
  }
  if (ri.namespaced) {
    if (ns.empty()) {
      errs.push_back(Required(meta.Child("namespace")));
    } else {
      for (auto& msg : IsDNS1123Label(ns))
        errs.push_back(InvalidStr(meta.Child("namespace"), ns, msg));
    }
  } else if (!ns.empty()) {
    errs.push_back(Forbidden(meta.Child("namespace"), "not allowed on this type"));
  }
  Append(errs, ValidateNonnegative(m, "generation", meta.Child("generation")));
  Append(errs, ValidateLabels(GetObj(m, "labels"), meta.Child("labels")));
  Append(errs, ValidateAnnotations(GetObj(m, "annotations"), meta.Child("annotations")));
  Append(errs,
         ValidateOwnerReferences(GetArr(m, "ownerReferences"), meta.Child("ownerReferences")));
  Append(errs, ValidateFinalizers(GetArr(m, "finalizers"), meta.Child("finalizers")));
  Append(errs, ValidateManagedFields(GetArr(m, "managedFields"), meta.Child("managedFields")));
  return errs;
}

ErrorList ValidateObjectMetaUpdate(const json::object& obj, const json::object& old) {
  ErrorList errs;
  Path meta("metadata");
  const json::object* m = GetObj(obj, "metadata");
  const json::object* om = GetObj(old, "metadata");
  // No new finalizers while the object is being deleted.
  if (Has(om, "deletionTimestamp")) {
    std::vector<std::string> added;
    std::set<std::string> had;
    if (const json::array* of = GetArr(om, "finalizers")) {
      for (const auto& f : *of) {
        if (f.is_string()) had.insert(std::string(f.get_string()));
      }
    }
    if (const json::array* nf = GetArr(m, "finalizers")) {
      for (const auto& f : *nf) {
        if (f.is_string() && !had.count(std::string(f.get_string()))) {
          added.emplace_back(f.get_string());
        }
      }
    }
    if (!added.empty()) {
      std::string list = "[]string{";
      for (size_t i = 0; i < added.size(); ++i) list += (i ? ", " : "") + GoQuote(added[i]);
      list += "}";
      errs.push_back(Forbidden(meta.Child("finalizers"),
                               "no new finalizers can be added if the object is being deleted, "
                               "found new finalizers " +
                                   list));
    }
  }
  auto ng = GetInt(m, "generation").value_or(0);
  auto og = GetInt(om, "generation").value_or(0);
  if (ng < og) errs.push_back(InvalidInt(meta.Child("generation"), ng, "must not be decremented"));
  for (const char* key : {"name", "namespace"}) {
    Append(errs, ValidateImmutable(m, om, key, meta.Child(key)));
  }
  // The server carries these over from the stored object when the client omits them, so only a
  // value that differs is an error.
  for (const char* key :
       {"uid", "creationTimestamp", "deletionTimestamp", "deletionGracePeriodSeconds"}) {
    if (Has(m, key) && !(m->at(key).is_string() && m->at(key).get_string().empty())) {
      Append(errs, ValidateImmutable(m, om, key, meta.Child(key)));
    }
  }
  return errs;
}

}  // namespace kc::api::validation
