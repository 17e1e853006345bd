// Cluster and miscellaneous kinds: Namespace, Node, ServiceAccount (metadata only), Lease,
// core/v1 and events.k8s.io/v1 Events, PodDisruptionBudget, HorizontalPodAutoscaler.
#include <set>

#include "pkg/api/name_validation.h"
#include "pkg/api/validation_internal.h"

namespace kc::api::validation {
namespace {

bool IsStandardFinalizer(std::string_view f) {
  return f == "kubernetes" || f == "orphan" || f == "foregroundDeletion";
}

ErrorList ValidateTaints(const json::array* taints, const Path& p) {
  ErrorList errs;
  if (taints == nullptr) return errs;
  std::set<std::string> seen;
  for (size_t i = 0; i < taints->size(); ++i) {
    const json::object* t = (*taints)[i].if_object();
    Path ip = p.Index(i);
    std::string_view key = GetStr(t, "key");
    std::string_view value = GetStr(t, "value");
    std::string_view effect = GetStr(t, "effect");
    Append(errs, ValidateQualifiedName(key, ip.Child("key")));
    auto msgs = IsValidLabelValue(value);
    if (!msgs.empty()) {
      std::string joined;
      for (size_t k = 0; k < msgs.size(); ++k) joined += (k ? ";" : "") + msgs[k];
      errs.push_back(InvalidStr(ip.Child("value"), value, joined));
    }
    if (effect.empty()) {
      errs.push_back(Required(ip.Child("effect")));
    } else if (effect != "NoSchedule" && effect != "PreferNoSchedule" && effect != "NoExecute") {
      errs.push_back(NotSupported(ip.Child("effect"), effect,
                                  {"NoSchedule", "PreferNoSchedule", "NoExecute"}));
    }
    if (!seen.insert(std::string(effect) + "\n" + std::string(key)).second) {
      StatusCause dup = DuplicateRendered(ip, RenderValue((*taints)[i]));
      dup.message += ": taints must be unique by key and effect pair";
      errs.push_back(std::move(dup));
    }
  }
  return errs;
}

bool IsValidCIDR(std::string_view cidr) {
  size_t slash = cidr.find('/');
  if (slash == std::string_view::npos) return false;
  std::string_view ip = cidr.substr(0, slash);
  std::string_view bits = cidr.substr(slash + 1);
  if (!IsValidIP(ip) || bits.empty() || bits.size() > 3) return false;
  int n = 0;
  for (char c : bits) {
    if (c < '0' || c > '9') return false;
    n = n * 10 + (c - '0');
  }
  return n <= (IsIPv6(ip) ? 128 : 32);
}

ErrorList ValidateCrossVersionRef(const json::object* ref, const Path& p) {
  ErrorList errs;
  for (const char* key : {"kind", "name"}) {
    std::string_view v = GetStr(ref, key);
    if (v.empty()) {
      errs.push_back(Required(p.Child(key)));
    } else {
      for (auto& msg : IsValidPathSegmentName(v)) errs.push_back(InvalidStr(p.Child(key), v, msg));
    }
  }
  return errs;
}

ErrorList ValidateMetricTarget(const json::object* target, const Path& p) {
  ErrorList errs;
  std::string_view type = GetStr(target, "type");
  if (type.empty()) errs.push_back(Required(p.Child("type"), "must specify a metric target type"));
  if (type != "Utilization" && type != "Value" && type != "AverageValue") {
    errs.push_back(
        InvalidStr(p.Child("type"), type, "must be either Utilization, Value, or AverageValue"));
  }
  for (const char* key : {"value", "averageValue"}) {
    const json::value* v = target ? target->if_contains(key) : nullptr;
    if (v == nullptr || v->is_null()) continue;
    auto q = ParseQuantity(*v);
    if (!q || q->Sign() != 1) {
      errs.push_back(
          InvalidStr(p.Child(key), q ? q->ToString() : RenderValue(*v), "must be positive"));
    }
  }
  if (auto u = GetInt(target, "averageUtilization"); u && *u < 1) {
    errs.push_back(InvalidInt(p.Child("averageUtilization"), *u, "must be greater than 0"));
  }
  return errs;
}

ErrorList ValidateMetrics(const json::array* metrics, const Path& p) {
  ErrorList errs;
  if (metrics == nullptr) return errs;
  for (size_t i = 0; i < metrics->size(); ++i) {
    const json::object* m = (*metrics)[i].if_object();
    Path ip = p.Index(i);
    std::string_view type = GetStr(m, "type");
    if (type.empty())
      errs.push_back(Required(ip.Child("type"), "must specify a metric source type"));
    static const std::set<std::string_view> kTypes = {"Object", "Pods", "Resource", "External",
                                                      "ContainerResource"};
    if (!kTypes.count(type)) {
      errs.push_back(NotSupported(ip.Child("type"), type,
                                  {"Object", "Pods", "Resource", "External", "ContainerResource"}));
      continue;
    }
    std::string key = type == "Object"     ? "object"
                      : type == "Pods"     ? "pods"
                      : type == "Resource" ? "resource"
                      : type == "External" ? "external"
                                           : "containerResource";
    const json::object* src = GetObj(m, key);
    if (src == nullptr) {
      errs.push_back(
          Required(ip.Child(key), "must populate information for the given metric source"));
      continue;
    }
    Path sp = ip.Child(key);
    if (type == "Resource" || type == "ContainerResource") {
      if (GetStr(src, "name").empty())
        errs.push_back(Required(sp.Child("name"), "must specify a resource name"));
      if (type == "ContainerResource" && GetStr(src, "container").empty()) {
        errs.push_back(Required(sp.Child("container"), "must specify a container"));
      }
    } else {
      const json::object* metric = GetObj(src, "metric");
      if (GetStr(metric, "name").empty())
        errs.push_back(Required(sp.Child("metric", "name"), "must specify a metric name"));
      if (type == "Object")
        Append(errs, ValidateCrossVersionRef(GetObj(src, "describedObject"),
                                             sp.Child("describedObject")));
    }
    Append(errs, ValidateMetricTarget(GetObj(src, "target"), sp.Child("target")));
  }
  return errs;
}

ErrorList ValidateScalingRules(const json::object* rules, const Path& p) {
  ErrorList errs;
  if (rules == nullptr) return errs;
  if (auto w = GetInt(rules, "stabilizationWindowSeconds"); w && (*w < 0 || *w > 3600)) {
    errs.push_back(InvalidInt(
        p.Child("stabilizationWindowSeconds"), *w,
        *w < 0 ? "must be greater than or equal to zero" : "must be less than or equal to 3600"));
  }
  std::string_view select = GetStr(rules, "selectPolicy");
  if (Has(rules, "selectPolicy") && select != "Max" && select != "Min" && select != "Disabled") {
    errs.push_back(NotSupported(p.Child("selectPolicy"), select, {"Disabled", "Max", "Min"}));
  }
  if (const json::array* policies = GetArr(rules, "policies")) {
    if (policies->empty())
      errs.push_back(Required(p.Child("policies"), "must specify at least one Policy"));
    for (size_t i = 0; i < policies->size(); ++i) {
      const json::object* pol = (*policies)[i].if_object();
      Path ip = p.Child("policies").Index(i);
      std::string_view type = GetStr(pol, "type");
      if (type != "Pods" && type != "Percent") {
        errs.push_back(NotSupported(ip.Child("type"), type, {"Percent", "Pods"}));
      }
      int64_t value = GetInt(pol, "value").value_or(0);
      if (value <= 0)
        errs.push_back(InvalidInt(ip.Child("value"), value, "must be greater than zero"));
      int64_t period = GetInt(pol, "periodSeconds").value_or(0);
      if (period <= 0) {
        errs.push_back(InvalidInt(ip.Child("periodSeconds"), period, "must be greater than zero"));
      } else if (period > 1800) {
        errs.push_back(
            InvalidInt(ip.Child("periodSeconds"), period, "must be less than or equal to 1800"));
      }
    }
  }
  return errs;
}

}  // namespace

ErrorList ValidateMetaOnly(const ResourceInfo& ri, const json::object& obj) {
  return ValidateObjectMeta(ri, obj);
}

ErrorList ValidateNamespace(const ResourceInfo& ri, const json::object& obj) {
  ErrorList errs = ValidateObjectMeta(ri, obj);
  Path fp = Path("spec").Child("finalizers");
  if (const json::array* fins = GetArr(GetObj(obj, "spec"), "finalizers")) {
    for (const auto& f : *fins) {
      std::string_view name = f.is_string() ? std::string_view(f.get_string()) : "";
      for (auto& msg : IsQualifiedName(name)) errs.push_back(InvalidStr(fp, name, msg));
      if (name.find('/') == std::string_view::npos && !IsStandardFinalizer(name)) {
        errs.push_back(InvalidStr(
            fp, name, "name is neither a standard finalizer name nor is it fully qualified"));
      }
    }
  }
  return errs;
}

ErrorList ValidateNode(const ResourceInfo& ri, const json::object& obj) {
  ErrorList errs = ValidateObjectMeta(ri, obj);
  const json::object* spec = GetObj(obj, "spec");
  Path sp("spec");
  const json::object* status = GetObj(obj, "status");
  for (const char* list : {"capacity", "allocatable"}) {
    Append(errs, ValidateResourceList(GetObj(status, list), Path("status").Child(list), false));
  }
  if (const json::array* cidrs = GetArr(spec, "podCIDRs")) {
    for (size_t i = 0; i < cidrs->size(); ++i) {
      std::string_view c =
          (*cidrs)[i].is_string() ? std::string_view((*cidrs)[i].get_string()) : "";
      if (!IsValidCIDR(c)) {
        errs.push_back(
            InvalidStr(sp.Child("podCIDRs").Index(i), c,
                       "must be a valid CIDR value, (e.g. 10.9.8.0/24 or 2001:db8::/64)"));
      }
    }
    if (cidrs->size() > 1) {
      std::string_view a =
          (*cidrs)[0].is_string() ? std::string_view((*cidrs)[0].get_string()) : "";
      std::string_view b =
          (*cidrs)[1].is_string() ? std::string_view((*cidrs)[1].get_string()) : "";
      bool dual = cidrs->size() == 2 && (a.find(':') == std::string_view::npos) !=
                                            (b.find(':') == std::string_view::npos);
      if (!dual) {
        errs.push_back(Invalid(sp.Child("podCIDRs"), json::value(*cidrs),
                               "may specify no more than one CIDR for each IP family"));
      }
    }
  }
  Append(errs, ValidateTaints(GetArr(spec, "taints"), sp.Child("taints")));
  return errs;
}

ErrorList ValidateNodeUpdate(const ResourceInfo& ri, const json::object& obj,
                             const json::object& old) {
  ErrorList errs = ValidateObjectMetaUpdate(obj, old);
  const json::object* ns = GetObj(obj, "spec");
  const json::object* os = GetObj(old, "spec");
  Path sp("spec");
  if (Len(os, "podCIDRs") > 0) {
    const json::array* n = GetArr(ns, "podCIDRs");
    const json::array* o = GetArr(os, "podCIDRs");
    if (!SemanticEqual(n ? json::value(*n) : json::value(), json::value(*o))) {
      errs.push_back(Forbidden(sp.Child("podCIDRs"),
                               "node updates may not change podCIDR except from \"\" to valid"));
    }
  }
  std::string_view old_provider = GetStr(os, "providerID");
  if (!old_provider.empty() && old_provider != GetStr(ns, "providerID")) {
    errs.push_back(Forbidden(sp.Child("providerID"),
                             "node updates may not change providerID except from \"\" to valid"));
  }
  (void)ri;
  return errs;
}

ErrorList ValidateLease(const ResourceInfo& ri, const json::object& obj) {
  ErrorList errs = ValidateObjectMeta(ri, obj);
  const json::object* spec = GetObj(obj, "spec");
  Path sp("spec");
  if (auto d = GetInt(spec, "leaseDurationSeconds"); d && *d <= 0) {
    errs.push_back(InvalidInt(sp.Child("leaseDurationSeconds"), *d, "must be greater than 0"));
  }
  if (auto t = GetInt(spec, "leaseTransitions"); t && *t < 0) {
    errs.push_back(
        InvalidInt(sp.Child("leaseTransitions"), *t, "must be greater than or equal to 0"));
  }
  return errs;
}

ErrorList ValidateCoreEvent(const ResourceInfo& ri, const json::object& obj) {
  // core/v1 Events keep the legacy rules only; generic metadata checks run when those pass.
  ErrorList errs;
  const json::object* meta = GetObj(obj, "metadata");
  std::string_view ns = GetStr(meta, "namespace");
  std::string_view involved_ns = GetStr(GetObj(obj, "involvedObject"), "namespace");
  Path inp = Path("involvedObject").Child("namespace");
  bool has_event_time = !GetStr(obj, "eventTime").empty();
  if (!has_event_time) {
    if (involved_ns.empty()) {
      if (!ns.empty() && ns != "default")
        errs.push_back(InvalidStr(inp, involved_ns, "does not match event.namespace"));
    } else if (ns != involved_ns) {
      errs.push_back(InvalidStr(inp, involved_ns, "does not match event.namespace"));
    }
  } else {
    if (involved_ns.empty() && ns != "default" && ns != "kube-system") {
      errs.push_back(InvalidStr(inp, involved_ns, "does not match event.namespace"));
    }
    std::string_view rc = GetStr(obj, "reportingComponent");
    if (rc.empty()) errs.push_back(Required(Path("reportingComponent")));
    Append(errs, ValidateQualifiedName(rc, Path("reportingComponent")));
    std::string_view ri_ = GetStr(obj, "reportingInstance");
    if (ri_.empty()) errs.push_back(Required(Path("reportingInstance")));
    if (ri_.size() > 128)
      errs.push_back(InvalidStr(Path("reportingInstance"), "", "can have at most 128 characters"));
    std::string_view action = GetStr(obj, "action");
    if (action.empty()) errs.push_back(Required(Path("action")));
    if (action.size() > 128)
      errs.push_back(InvalidStr(Path("action"), "", "can have at most 128 characters"));
    std::string_view reason = GetStr(obj, "reason");
    if (reason.empty()) errs.push_back(Required(Path("reason")));
    if (reason.size() > 128)
      errs.push_back(InvalidStr(Path("reason"), "", "can have at most 128 characters"));
    if (GetStr(obj, "message").size() > 1024) {
      errs.push_back(InvalidStr(Path("message"), "", "can have at most 1024 characters"));
    }
  }
  for (auto& msg : IsDNS1123Subdomain(ns)) errs.push_back(InvalidStr(Path("namespace"), ns, msg));
  if (errs.empty()) errs = ValidateObjectMeta(ri, obj);
  return errs;
}

ErrorList ValidateEventsV1Event(const ResourceInfo& ri, const json::object& obj) {
  ErrorList errs;
  const json::object* meta = GetObj(obj, "metadata");
  std::string_view ns = GetStr(meta, "namespace");
  std::string_view regarding_ns = GetStr(GetObj(obj, "regarding"), "namespace");
  if (regarding_ns.empty() && ns != "default" && ns != "kube-system") {
    errs.push_back(InvalidStr(Path("involvedObject").Child("namespace"), regarding_ns,
                              "does not match event.namespace"));
  }
  std::string_view rc = GetStr(obj, "reportingController");
  if (rc.empty()) errs.push_back(Required(Path("reportingController")));
  Append(errs, ValidateQualifiedName(rc, Path("reportingController")));
  std::string_view inst = GetStr(obj, "reportingInstance");
  if (inst.empty()) errs.push_back(Required(Path("reportingInstance")));
  if (inst.size() > 128)
    errs.push_back(InvalidStr(Path("reportingInstance"), "", "can have at most 128 characters"));
  std::string_view action = GetStr(obj, "action");
  if (action.empty()) errs.push_back(Required(Path("action")));
  if (action.size() > 128)
    errs.push_back(InvalidStr(Path("action"), "", "can have at most 128 characters"));
  std::string_view reason = GetStr(obj, "reason");
  if (reason.empty()) errs.push_back(Required(Path("reason")));
  if (reason.size() > 128)
    errs.push_back(InvalidStr(Path("reason"), "", "can have at most 128 characters"));
  if (GetStr(obj, "note").size() > 1024)
    errs.push_back(InvalidStr(Path("message"), "", "can have at most 1024 characters"));
  for (auto& msg : IsDNS1123Subdomain(ns)) errs.push_back(InvalidStr(Path("namespace"), ns, msg));
  Append(errs, ValidateObjectMeta(ri, obj));
  if (GetStr(obj, "eventTime").empty()) errs.push_back(Required(Path("eventTime")));
  std::string_view type = GetStr(obj, "type");
  if (type != "Normal" && type != "Warning") {
    errs.push_back(InvalidStr(Path("type"), "", "has invalid value: " + std::string(type)));
  }
  for (const char* key : {"deprecatedFirstTimestamp", "deprecatedLastTimestamp"}) {
    if (!GetStr(obj, key).empty()) {
      std::string internal =
          std::string(key) == "deprecatedFirstTimestamp" ? "firstTimestamp" : "lastTimestamp";
      errs.push_back(InvalidStr(Path(internal), "", "needs to be unset"));
    }
  }
  if (GetInt(obj, "deprecatedCount").value_or(0) != 0)
    errs.push_back(InvalidStr(Path("count"), "", "needs to be unset"));
  const json::object* src = GetObj(obj, "deprecatedSource");
  if (!GetStr(src, "component").empty() || !GetStr(src, "host").empty()) {
    errs.push_back(InvalidStr(Path("source"), "", "needs to be unset"));
  }
  return errs;
}

ErrorList ValidatePodDisruptionBudget(const ResourceInfo& ri, const json::object& obj) {
  ErrorList errs = ValidateObjectMeta(ri, obj);
  Path sp("spec");
  const json::object* spec = GetObj(obj, "spec");
  const json::value* min = spec ? spec->if_contains("minAvailable") : nullptr;
  const json::value* max = spec ? spec->if_contains("maxUnavailable") : nullptr;
  bool has_min = min && !min->is_null();
  bool has_max = max && !max->is_null();
  if (has_min && has_max) {
    errs.push_back(
        Invalid(sp, json::value(*spec), "minAvailable and maxUnavailable cannot be both set"));
  }
  if (has_min) Append(errs, ValidateIntOrPercent(min, sp.Child("minAvailable")));
  if (has_max) Append(errs, ValidateIntOrPercent(max, sp.Child("maxUnavailable")));
  Append(errs, ValidateLabelSelector(GetObj(spec, "selector"), sp.Child("selector")));
  if (Has(spec, "unhealthyPodEvictionPolicy")) {
    std::string_view p = GetStr(spec, "unhealthyPodEvictionPolicy");
    if (p != "IfHealthyBudget" && p != "AlwaysAllow") {
      errs.push_back(NotSupported(sp.Child("unhealthyPodEvictionPolicy"), p,
                                  {"AlwaysAllow", "IfHealthyBudget"}));
    }
  }
  return errs;
}

ErrorList ValidateHorizontalPodAutoscaler(const ResourceInfo& ri, const json::object& obj) {
  ErrorList errs = ValidateObjectMeta(ri, obj);
  Path sp("spec");
  const json::object* spec = GetObj(obj, "spec");
  auto min = GetInt(spec, "minReplicas");
  int64_t max = GetInt(spec, "maxReplicas").value_or(0);
  if (min && *min < 1)
    errs.push_back(InvalidInt(sp.Child("minReplicas"), *min, "must be greater than or equal to 1"));
  if (max < 1) errs.push_back(InvalidInt(sp.Child("maxReplicas"), max, "must be greater than 0"));
  if (min && max < *min) {
    errs.push_back(
        InvalidInt(sp.Child("maxReplicas"), max, "must be greater than or equal to `minReplicas`"));
  }
  Append(errs, ValidateCrossVersionRef(GetObj(spec, "scaleTargetRef"), sp.Child("scaleTargetRef")));
  if (ri.version == "v1") {
    if (auto t = GetInt(spec, "targetCPUUtilizationPercentage"); t && *t < 1) {
      errs.push_back(
          InvalidInt(sp.Child("targetCPUUtilizationPercentage"), *t, "must be greater than 0"));
    }
  } else {
    Append(errs, ValidateMetrics(GetArr(spec, "metrics"), sp.Child("metrics")));
    if (const json::object* behavior = GetObj(spec, "behavior")) {
      Append(errs,
             ValidateScalingRules(GetObj(behavior, "scaleUp"), sp.Child("behavior", "scaleUp")));
      Append(errs, ValidateScalingRules(GetObj(behavior, "scaleDown"),
                                        sp.Child("behavior", "scaleDown")));
    }
  }
  return errs;
}

}  // namespace kc::api::validation
