// PodSpec, pod template, Pod and PodTemplate validation, and the Pod update rules.
#include <set>

#include "pkg/api/name_validation.h"
#include "pkg/api/validation_internal.h"

namespace kc::api::validation {
namespace {

constexpr int64_t kMaxInt32 = 2147483647;

ErrorList ValidateTaintEffect(std::string_view effect, bool allow_empty, const Path& p) {
  ErrorList errs;
  if (!allow_empty && effect.empty()) {
    errs.push_back(Required(p));
    return errs;
  }
  if (effect != "NoSchedule" && effect != "PreferNoSchedule" && effect != "NoExecute") {
    errs.push_back(NotSupported(p, effect, {"NoSchedule", "PreferNoSchedule", "NoExecute"}));
  }
  return errs;
}

ErrorList ValidatePodSecurityContext(const json::object* spec, const Path& spec_path) {
  ErrorList errs;
  const json::object* sc = GetObj(spec, "securityContext");
  Path p = spec_path.Child("securityContext");
  for (const char* key : {"fsGroup", "runAsUser", "runAsGroup"}) {
    if (auto v = GetInt(sc, key); v && (*v < 0 || *v > kMaxInt32)) {
      errs.push_back(InvalidInt(p.Child(key), *v, InclusiveRangeError(0, kMaxInt32)));
    }
  }
  if (const json::array* groups = GetArr(sc, "supplementalGroups")) {
    for (size_t i = 0; i < groups->size(); ++i) {
      auto g = AsInt((*groups)[i]);
      if (g && (*g < 0 || *g > kMaxInt32)) {
        errs.push_back(InvalidInt(p.Child("supplementalGroups").Index(i), *g,
                                  InclusiveRangeError(0, kMaxInt32)));
      }
    }
  }
  if (IsTrue(spec, "shareProcessNamespace") && IsTrue(spec, "hostPID")) {
    errs.push_back(InvalidRendered(p.Child("shareProcessNamespace"), "true",
                                   "ShareProcessNamespace and HostPID cannot both be enabled"));
  }
  return errs;
}

ErrorList ValidateDNSConfig(const json::object* spec, const Path& p) {
  ErrorList errs;
  std::string_view policy = GetStr(spec, "dnsPolicy");
  const json::object* cfg = GetObj(spec, "dnsConfig");
  if (policy == "None") {
    if (cfg == nullptr) {
      errs.push_back(Required(p, "must provide `dnsConfig` when `dnsPolicy` is None"));
      return errs;
    }
    if (Len(cfg, "nameservers") == 0) {
      errs.push_back(Required(p.Child("nameservers"),
                              "must provide at least one DNS nameserver when `dnsPolicy` is None"));
      return errs;
    }
  }
  if (cfg == nullptr) return errs;
  if (const json::array* ns = GetArr(cfg, "nameservers")) {
    if (ns->size() > 3) {
      errs.push_back(Invalid(p.Child("nameservers"), json::value(*ns),
                             "must not have more than 3 nameservers"));
    }
    for (size_t i = 0; i < ns->size(); ++i) {
      std::string_view ip = (*ns)[i].is_string() ? std::string_view((*ns)[i].get_string()) : "";
      if (!IsValidIP(ip)) {
        errs.push_back(InvalidStr(p.Child("nameservers").Index(i), ip,
                                  "must be a valid IP address, (e.g. 10.9.8.7 or 2001:db8::ffff)"));
      }
    }
  }
  if (const json::array* searches = GetArr(cfg, "searches")) {
    if (searches->size() > 32) {
      errs.push_back(Invalid(p.Child("searches"), json::value(*searches),
                             "must not have more than 32 search paths"));
    }
    size_t total = 0;
    for (size_t i = 0; i < searches->size(); ++i) {
      std::string_view s =
          (*searches)[i].is_string() ? std::string_view((*searches)[i].get_string()) : "";
      total += s.size();
      std::string_view trimmed = (!s.empty() && s.back() == '.') ? s.substr(0, s.size() - 1) : s;
      Append(errs, ValidateDNS1123Subdomain(trimmed, p.Child("searches").Index(i)));
    }
    total += searches->empty() ? 0 : searches->size() - 1;
    if (total > 2048) {
      errs.push_back(
          Invalid(p.Child("searches"), json::value(*searches),
                  "must not have more than 2048 characters (including spaces) in the search list"));
    }
  }
  if (const json::array* opts = GetArr(cfg, "options")) {
    for (size_t i = 0; i < opts->size(); ++i) {
      if (GetStr(opts->at(i).if_object(), "name").empty()) {
        errs.push_back(Required(p.Child("options").Index(i), "must not be empty"));
      }
    }
  }
  return errs;
}

ErrorList ValidateTopologySpread(const json::array* constraints, const Path& p) {
  ErrorList errs;
  if (constraints == nullptr) return errs;
  std::set<std::string> seen;
  for (size_t i = 0; i < constraints->size(); ++i) {
    const json::object* c = (*constraints)[i].if_object();
    Path ip = p.Index(i);
    int64_t skew = GetInt(c, "maxSkew").value_or(0);
    if (skew <= 0)
      errs.push_back(InvalidInt(ip.Child("maxSkew"), skew, "must be greater than zero"));
    std::string_view key = GetStr(c, "topologyKey");
    if (key.empty()) {
      errs.push_back(Required(ip.Child("topologyKey"), "can not be empty"));
    } else {
      Append(errs, ValidateQualifiedName(key, ip.Child("topologyKey")));
    }
    std::string_view when = GetStr(c, "whenUnsatisfiable");
    if (when != "DoNotSchedule" && when != "ScheduleAnyway") {
      errs.push_back(
          NotSupported(ip.Child("whenUnsatisfiable"), when, {"DoNotSchedule", "ScheduleAnyway"}));
    }
    std::string pair = "{" + std::string(key) + ", " + std::string(when) + "}";
    if (!seen.insert(pair).second) errs.push_back(Duplicate(ip, pair));
    if (Has(c, "labelSelector")) {
      Append(errs, ValidateLabelSelector(GetObj(c, "labelSelector"), ip.Child("labelSelector")));
    }
  }
  return errs;
}

ErrorList ValidateHostNetworkPorts(const json::object* spec, const Path& p, bool is_pod) {
  ErrorList errs;
  if (!IsTrue(spec, "hostNetwork")) return errs;
  const json::array* containers = GetArr(spec, "containers");
  if (containers == nullptr) return errs;
  for (size_t i = 0; i < containers->size(); ++i) {
    const json::array* ports = GetArr((*containers)[i].if_object(), "ports");
    if (ports == nullptr) continue;
    for (size_t j = 0; j < ports->size(); ++j) {
      const json::object* port = (*ports)[j].if_object();
      int64_t hp = GetInt(port, "hostPort").value_or(0);
      int64_t cp = GetInt(port, "containerPort").value_or(0);
      if ((is_pod && hp != cp) || (hp != 0 && hp != cp)) {
        errs.push_back(
            InvalidInt(p.Child("containers").Index(i).Child("ports").Index(j).Child("hostPort"), hp,
                       "must match `containerPort` when `hostNetwork` is true"));
      }
    }
  }
  return errs;
}

ErrorList ValidateNameList(const json::object* spec, std::string_view key, std::string_view field,
                           const Path& p, bool qualified) {
  ErrorList errs;
  const json::array* list = GetArr(spec, key);
  if (list == nullptr) return errs;
  std::set<std::string> seen;
  for (size_t i = 0; i < list->size(); ++i) {
    std::string_view v = GetStr((*list)[i].if_object(), field);
    Path ip = p.Index(i).Child(field);
    if (qualified) {
      Append(errs, ValidateQualifiedName(v, ip));
      if (!seen.insert(std::string(v)).second) errs.push_back(Duplicate(ip, v));
    } else if (v.empty()) {
      errs.push_back(Required(ip));
    }
  }
  return errs;
}

}  // namespace

ErrorList ValidateTolerations(const json::array* tolerations, const Path& p) {
  ErrorList errs;
  if (tolerations == nullptr) return errs;
  for (size_t i = 0; i < tolerations->size(); ++i) {
    const json::object* t = (*tolerations)[i].if_object();
    Path ip = p.Index(i);
    std::string_view key = GetStr(t, "key");
    std::string_view op = GetStr(t, "operator");
    std::string_view value = GetStr(t, "value");
    std::string_view effect = GetStr(t, "effect");
    if (!key.empty()) Append(errs, ValidateQualifiedName(key, ip.Child("key")));
    if (key.empty() && op != "Exists") {
      errs.push_back(InvalidStr(ip.Child("operator"), op,
                                "operator must be Exists when `key` is empty, which means \"match "
                                "all values and all keys\""));
    }
    if (Has(t, "tolerationSeconds") && effect != "NoExecute") {
      errs.push_back(InvalidStr(ip.Child("effect"), effect,
                                "effect must be 'NoExecute' when `tolerationSeconds` is set"));
    }
    if (op.empty() || op == "Equal") {
      auto msgs = IsValidLabelValue(value);
      if (!msgs.empty()) {
        std::string joined;
        for (size_t k = 0; k < msgs.size(); ++k) joined += (k ? ";" : "") + msgs[k];
        errs.push_back(InvalidStr(ip.Child("operator"), value, joined));
      }
    } else if (op == "Exists") {
      if (!value.empty()) {
        errs.push_back(Invalid(ip.Child("operator"), (*tolerations)[i],
                               "value must be empty when `operator` is 'Exists'"));
      }
    } else {
      errs.push_back(NotSupported(ip.Child("operator"), op, {"Equal", "Exists"}));
    }
    if (!effect.empty()) Append(errs, ValidateTaintEffect(effect, true, ip.Child("effect")));
  }
  return errs;
}

ErrorList ValidatePodSpec(const json::object* spec, const Path& p, const PodSpecOptions& opts) {
  ErrorList errs;
  std::set<std::string> volumes(opts.extra_volumes.begin(), opts.extra_volumes.end());
  Append(errs, ValidateVolumes(GetArr(spec, "volumes"), p.Child("volumes"), &volumes));
  ContainerContext ctx;
  ctx.volumes = &volumes;
  ctx.grace_period = GetInt(spec, "terminationGracePeriodSeconds");
  const json::array* containers = GetArr(spec, "containers");
  const json::array* init = GetArr(spec, "initContainers");
  Append(errs, ValidateContainers(containers, p.Child("containers"), ctx));
  Append(errs, ValidateInitContainers(init, containers, p.Child("initContainers"), ctx));
  Append(errs, ValidateEphemeralContainers(GetArr(spec, "ephemeralContainers"), containers, init,
                                           p.Child("ephemeralContainers"), ctx));
  Append(errs, ValidateHostNetworkPorts(spec, p, opts.is_pod));

  std::string_view restart = GetStr(spec, "restartPolicy");
  if (restart.empty()) {
    errs.push_back(Required(p.Child("restartPolicy")));
  } else if (restart != "Always" && restart != "OnFailure" && restart != "Never") {
    errs.push_back(
        NotSupported(p.Child("restartPolicy"), restart, {"Always", "OnFailure", "Never"}));
  }
  std::string_view dns = GetStr(spec, "dnsPolicy");
  if (dns.empty()) {
    errs.push_back(Required(p.Child("dnsPolicy")));
  } else if (dns != "ClusterFirstWithHostNet" && dns != "ClusterFirst" && dns != "Default" &&
             dns != "None") {
    errs.push_back(NotSupported(p.Child("dnsPolicy"), dns,
                                {"ClusterFirstWithHostNet", "ClusterFirst", "Default", "None"}));
  }
  Append(errs, ValidateLabels(GetObj(spec, "nodeSelector"), p.Child("nodeSelector")));
  Append(errs, ValidatePodSecurityContext(spec, p));
  Append(errs,
         ValidateNameList(spec, "imagePullSecrets", "name", p.Child("imagePullSecrets"), false));
  Append(errs, ValidateDNSConfig(spec, p.Child("dnsConfig")));
  Append(errs, ValidateNameList(spec, "readinessGates", "conditionType", p.Child("readinessGates"),
                                true));
  Append(errs, ValidateNameList(spec, "schedulingGates", "name", p.Child("schedulingGates"), true));
  Append(errs, ValidateTopologySpread(GetArr(spec, "topologySpreadConstraints"),
                                      p.Child("topologySpreadConstraints")));

  auto subdomain_field = [&](const char* key) {
    std::string_view v = GetStr(spec, key);
    if (!v.empty()) Append(errs, ValidateDNS1123Subdomain(v, p.Child(key)));
  };
  subdomain_field("serviceAccountName");
  subdomain_field("nodeName");
  if (auto ads = GetInt(spec, "activeDeadlineSeconds"); ads && (*ads < 1 || *ads > kMaxInt32)) {
    errs.push_back(
        InvalidInt(p.Child("activeDeadlineSeconds"), *ads, InclusiveRangeError(1, kMaxInt32)));
  }
  for (const char* key : {"hostname", "subdomain"}) {
    std::string_view v = GetStr(spec, key);
    if (!v.empty()) Append(errs, ValidateDNS1123Label(v, p.Child(key)));
  }
  Append(errs, ValidateTolerations(GetArr(spec, "tolerations"), p.Child("tolerations")));
  subdomain_field("priorityClassName");
  if (Has(spec, "preemptionPolicy")) {
    std::string_view pp = GetStr(spec, "preemptionPolicy");
    if (pp != "PreemptLowerPriority" && pp != "Never") {
      errs.push_back(
          NotSupported(p.Child("preemptionPolicy"), pp, {"Never", "PreemptLowerPriority"}));
    }
  }
  if (!Has(spec, "terminationGracePeriodSeconds")) {
    errs.push_back(Required(p.Child("terminationGracePeriodSeconds")));
  }
  return errs;
}

ErrorList ValidatePodTemplateSpec(const json::object* tmpl, const Path& p,
                                  const PodSpecOptions& opts) {
  ErrorList errs;
  if (tmpl == nullptr) {
    errs.push_back(Required(p));
    return errs;
  }
  const json::object* meta = GetObj(tmpl, "metadata");
  // Upstream reports template label/annotation problems at <template>.labels (no "metadata").
  Append(errs, ValidateLabels(GetObj(meta, "labels"), p.Child("labels")));
  Append(errs, ValidateAnnotations(GetObj(meta, "annotations"), p.Child("annotations")));
  const json::object* spec = GetObj(tmpl, "spec");
  Append(errs, ValidatePodSpec(spec, p.Child("spec"), opts));
  if (Len(spec, "ephemeralContainers") > 0) {
    errs.push_back(Forbidden(p.Child("spec", "ephemeralContainers"),
                             "ephemeral containers not allowed in pod template"));
  }
  return errs;
}

ErrorList ValidatePod(const ResourceInfo& ri, const json::object& obj) {
  ErrorList errs = ValidateObjectMeta(ri, obj);
  const json::object* spec = GetObj(obj, "spec");
  Path sp("spec");
  PodSpecOptions opts;
  opts.is_pod = true;
  Append(errs, ValidatePodSpec(spec, sp, opts));
  if (GetStr(spec, "serviceAccountName").empty()) {
    if (const json::array* vols = GetArr(spec, "volumes")) {
      for (size_t i = 0; i < vols->size(); ++i) {
        const json::array* sources = GetArr(GetObj((*vols)[i].if_object(), "projected"), "sources");
        if (sources == nullptr) continue;
        for (size_t j = 0; j < sources->size(); ++j) {
          if (Has(sources->at(j).if_object(), "serviceAccountToken")) {
            errs.push_back(Forbidden(sp.Child("volumes")
                                         .Index(i)
                                         .Child("projected", "sources")
                                         .Index(j)
                                         .Child("serviceAccountToken"),
                                     "must not be specified when serviceAccountName is not set"));
          }
        }
      }
    }
  }
  for (const char* list : {"containers", "initContainers"}) {
    const json::array* cs = GetArr(spec, list);
    if (cs == nullptr) continue;
    for (size_t i = 0; i < cs->size(); ++i) {
      std::string_view image = GetStr(cs->at(i).if_object(), "image");
      bool spaces = !image.empty() && (std::isspace(static_cast<unsigned char>(image.front())) ||
                                       std::isspace(static_cast<unsigned char>(image.back())));
      if (spaces) {
        errs.push_back(InvalidStr(sp.Child(list).Index(i).Child("image"), image,
                                  "must not have leading or trailing whitespace"));
      }
    }
  }
  if (!GetStr(spec, "nodeName").empty() && Len(spec, "schedulingGates") > 0) {
    errs.push_back(Forbidden(sp.Child("nodeName"),
                             "cannot be set until all schedulingGates have been cleared"));
  }
  return errs;
}

ErrorList ValidatePodTemplate(const ResourceInfo& ri, const json::object& obj) {
  ErrorList errs = ValidateObjectMeta(ri, obj);
  Append(errs,
         ValidatePodTemplateSpec(GetObj(obj, "template"), Path("template"), PodSpecOptions{}));
  return errs;
}

}  // namespace kc::api::validation
