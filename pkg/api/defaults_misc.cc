// Defaults of the remaining kinds: Namespace, Secret, PVC, PV, Node, ResourceQuota,
// LimitRange, HorizontalPodAutoscaler, RBAC bindings.
#include "pkg/api/defaults_internal.h"
#include "pkg/api/validation_field.h"

namespace kc::api::defaults {
namespace {

using validation::EnsureObj;
using validation::GetObj;
using validation::GetStr;
using validation::Has;
using validation::MutArr;
using validation::MutObj;
using validation::SetDefault;
using validation::SetDefaultStr;

constexpr const char* kRbacGroup = "rbac.authorization.k8s.io";

std::string Base64Encode(std::string_view in) {
  static const char kAlphabet[] =
      "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  std::string out;
  size_t i = 0;
  while (i + 2 < in.size()) {
    uint32_t n = (static_cast<uint8_t>(in[i]) << 16) | (static_cast<uint8_t>(in[i + 1]) << 8) |
                 static_cast<uint8_t>(in[i + 2]);
    out += kAlphabet[(n >> 18) & 63];
    out += kAlphabet[(n >> 12) & 63];
    out += kAlphabet[(n >> 6) & 63];
    out += kAlphabet[n & 63];
    i += 3;
  }
  if (i + 1 == in.size()) {
    uint32_t n = static_cast<uint8_t>(in[i]) << 16;
    out += kAlphabet[(n >> 18) & 63];
    out += kAlphabet[(n >> 12) & 63];
    out += "==";
  } else if (i + 2 == in.size()) {
    uint32_t n = (static_cast<uint8_t>(in[i]) << 16) | (static_cast<uint8_t>(in[i + 1]) << 8);
    out += kAlphabet[(n >> 18) & 63];
    out += kAlphabet[(n >> 12) & 63];
    out += kAlphabet[(n >> 6) & 63];
    out += '=';
  }
  return out;
}

json::object HpaPolicy(std::string_view type, int value, int period) {
  json::object p;
  p["type"] = type;
  p["value"] = value;
  p["periodSeconds"] = period;
  return p;
}

// Fills the nil fields of behavior.<key> from the upstream default rules.
void DefaultScalingRules(json::object& behavior, std::string_view key, bool scale_up) {
  json::object* rules = EnsureObj(behavior, key);
  if (rules == nullptr) return;
  if (scale_up) SetDefault(*rules, "stabilizationWindowSeconds", 0);
  SetDefaultStr(*rules, "selectPolicy", "Max");
  if (!Has(*rules, "policies")) {
    json::array policies;
    if (scale_up) {
      policies.push_back(HpaPolicy("Pods", 4, 15));
      policies.push_back(HpaPolicy("Percent", 100, 15));
    } else {
      policies.push_back(HpaPolicy("Percent", 100, 15));
    }
    (*rules)["policies"] = std::move(policies);
  }
}

}  // namespace

void DefaultNamespace(json::object& obj) {
  json::object* meta = EnsureObj(obj, "metadata");
  if (meta == nullptr) return;
  std::string name(GetStr(*meta, "name"));
  if (!name.empty()) {
    if (json::object* labels = EnsureObj(*meta, "labels"))
      (*labels)["kubernetes.io/metadata.name"] = name;
  }
  // Create-time strategy behaviour: the "kubernetes" finalizer and phase Active. A namespace
  // being deleted keeps whatever finalizers it has (they are cleared through /finalize).
  bool deleting = Has(GetObj(obj, "metadata"), "deletionTimestamp");
  if (json::object* spec = EnsureObj(obj, "spec")) {
    if (!deleting && !spec->contains("finalizers")) {
      json::array fins;
      fins.push_back("kubernetes");
      (*spec)["finalizers"] = std::move(fins);
    }
  }
  if (json::object* status = EnsureObj(obj, "status")) {
    SetDefaultStr(*status, "phase", deleting ? "Terminating" : "Active");
  }
}

void DefaultSecret(json::object& obj) {
  SetDefaultStr(obj, "type", "Opaque");
  // stringData is write-only: merged into data (overriding) by conversion.
  const json::object* string_data = GetObj(obj, "stringData");
  if (string_data != nullptr) {
    json::object merged;
    for (const auto& kv : *string_data) {
      if (kv.value().is_string()) merged[kv.key()] = Base64Encode(kv.value().get_string());
    }
    obj.erase("stringData");
    if (json::object* data = EnsureObj(obj, "data")) {
      for (auto& kv : merged) (*data)[kv.key()] = std::move(kv.value());
    }
  } else if (obj.contains("stringData")) {
    obj.erase("stringData");
  }
}

void DefaultPersistentVolumeClaimSpec(json::object& pvc) {
  if (json::object* spec = EnsureObj(pvc, "spec")) {
    SetDefaultStr(*spec, "volumeMode", "Filesystem");
    if (json::object* res = MutObj(*spec, "resources")) {
      CanonicalizeResourceList(*res, "requests", true);
      CanonicalizeResourceList(*res, "limits", true);
    }
  }
  if (json::object* status = EnsureObj(pvc, "status")) SetDefaultStr(*status, "phase", "Pending");
}

void DefaultPersistentVolume(json::object& obj) {
  if (json::object* spec = EnsureObj(obj, "spec")) {
    SetDefaultStr(*spec, "persistentVolumeReclaimPolicy", "Retain");
    SetDefaultStr(*spec, "volumeMode", "Filesystem");
    CanonicalizeResourceList(*spec, "capacity", true);
  }
  if (json::object* status = EnsureObj(obj, "status")) SetDefaultStr(*status, "phase", "Pending");
}

void DefaultNode(json::object& obj) {
  json::object* status = MutObj(obj, "status");
  if (status == nullptr) return;
  CanonicalizeResourceList(*status, "capacity", true);
  CanonicalizeResourceList(*status, "allocatable", true);
  if (!Has(*status, "allocatable")) {
    if (const json::object* cap = GetObj(*status, "capacity")) {
      json::object copy = *cap;
      (*status)["allocatable"] = std::move(copy);
    }
  }
}

void DefaultResourceQuota(json::object& obj) {
  if (json::object* spec = MutObj(obj, "spec")) CanonicalizeResourceList(*spec, "hard", true);
}

void DefaultLimitRange(json::object& obj) {
  json::object* spec = MutObj(obj, "spec");
  json::array* limits = spec ? MutArr(*spec, "limits") : nullptr;
  if (limits == nullptr) return;
  for (auto& iv : *limits) {
    json::object* item = iv.if_object();
    if (item == nullptr) continue;
    for (const char* f : {"max", "min", "default", "defaultRequest", "maxLimitRequestRatio"}) {
      CanonicalizeResourceList(*item, f, true);
    }
    if (GetStr(*item, "type") != "Container") continue;
    json::object def = GetObj(*item, "default") ? *GetObj(*item, "default") : json::object();
    json::object req =
        GetObj(*item, "defaultRequest") ? *GetObj(*item, "defaultRequest") : json::object();
    if (const json::object* max = GetObj(*item, "max")) {
      for (const auto& kv : *max) {
        if (!def.contains(kv.key())) def[kv.key()] = kv.value();
      }
    }
    for (const auto& kv : def) {
      if (!req.contains(kv.key())) req[kv.key()] = kv.value();
    }
    if (const json::object* min = GetObj(*item, "min")) {
      for (const auto& kv : *min) {
        if (!req.contains(kv.key())) req[kv.key()] = kv.value();
      }
    }
    if (!def.empty()) (*item)["default"] = std::move(def);
    if (!req.empty()) (*item)["defaultRequest"] = std::move(req);
  }
}

void DefaultHorizontalPodAutoscaler(const ResourceInfo& ri, json::object& obj) {
  json::object* spec = EnsureObj(obj, "spec");
  if (spec == nullptr) return;
  SetDefault(*spec, "minReplicas", 1);
  if (ri.version != "v2") return;
  if (validation::Len(spec, "metrics") == 0) {
    json::object target;
    target["type"] = "Utilization";
    target["averageUtilization"] = 80;
    json::object resource;
    resource["name"] = "cpu";
    resource["target"] = std::move(target);
    json::object metric;
    metric["type"] = "Resource";
    metric["resource"] = std::move(resource);
    json::array metrics;
    metrics.push_back(std::move(metric));
    (*spec)["metrics"] = std::move(metrics);
  }
  if (json::object* behavior = MutObj(*spec, "behavior")) {
    DefaultScalingRules(*behavior, "scaleUp", true);
    DefaultScalingRules(*behavior, "scaleDown", false);
  }
}

void DefaultRoleBinding(json::object& obj) {
  if (json::object* ref = MutObj(obj, "roleRef")) SetDefaultStr(*ref, "apiGroup", kRbacGroup);
  if (json::array* subjects = MutArr(obj, "subjects")) {
    for (auto& sv : *subjects) {
      json::object* s = sv.if_object();
      if (s == nullptr || validation::HasStr(*s, "apiGroup")) continue;
      std::string_view kind = GetStr(*s, "kind");
      if (kind == "User" || kind == "Group") (*s)["apiGroup"] = kRbacGroup;
    }
  }
}

}  // namespace kc::api::defaults
