// Container validation shared by Pods and every pod template: names, image, ports, env,
// volume mounts, resources, probes, lifecycle hooks and security context.
#include <set>

#include "pkg/api/name_validation.h"
#include "pkg/api/validation_internal.h"

namespace kc::api::validation {
namespace {

constexpr int64_t kMaxInt32 = 2147483647;

ErrorList ValidatePortNumOrName(const json::value* port, const Path& p) {
  ErrorList errs;
  if (port != nullptr && port->is_string()) {
    std::string_view name = port->get_string();
    for (auto& msg : IsValidPortName(name)) errs.push_back(InvalidStr(p, name, msg));
    return errs;
  }
  int64_t n = port ? AsInt(*port).value_or(0) : 0;
  for (auto& msg : IsValidPortNum(n)) errs.push_back(InvalidInt(p, n, msg));
  return errs;
}

// Probe and lifecycle handlers: exactly one handler type.
ErrorList ValidateHandler(const json::object* h, const Path& p, bool lifecycle,
                          const ContainerContext& ctx) {
  ErrorList errs;
  int n = 0;
  auto more_than_one = [&](const char* key) {
    errs.push_back(Forbidden(p.Child(key), "may not specify more than 1 handler type"));
  };
  if (const json::object* exec = GetObj(h, "exec")) {
    ++n;
    if (Len(exec, "command") == 0) errs.push_back(Required(p.Child("exec", "command")));
  }
  if (const json::object* http = GetObj(h, "httpGet")) {
    if (n++ > 0) {
      more_than_one("httpGet");
    } else {
      Path hp = p.Child("httpGet");
      if (GetStr(http, "path").empty()) errs.push_back(Required(hp.Child("path")));
      Append(errs, ValidatePortNumOrName(http->if_contains("port"), hp.Child("port")));
      std::string_view scheme = GetStr(http, "scheme");
      if (scheme != "HTTP" && scheme != "HTTPS") {
        errs.push_back(NotSupported(hp.Child("scheme"), scheme, {"HTTP", "HTTPS"}));
      }
    }
  }
  if (const json::object* tcp = GetObj(h, "tcpSocket")) {
    if (n++ > 0) {
      more_than_one("tcpSocket");
    } else {
      Append(errs, ValidatePortNumOrName(tcp->if_contains("port"), p.Child("tcpSocket", "port")));
    }
  }
  if (!lifecycle) {
    if (const json::object* grpc = GetObj(h, "grpc")) {
      if (n++ > 0) {
        more_than_one("grpc");
      } else {
        int64_t port = GetInt(grpc, "port").value_or(0);
        for (auto& msg : IsValidPortNum(port))
          errs.push_back(InvalidInt(p.Child("grpc", "port"), port, msg));
      }
    }
  } else if (const json::object* sleep = GetObj(h, "sleep")) {
    if (n++ > 0) {
      more_than_one("sleep");
    } else if (ctx.grace_period) {
      int64_t s = GetInt(sleep, "seconds").value_or(0);
      if (s <= 0 || s > *ctx.grace_period) {
        errs.push_back(
            InvalidInt(p.Child("sleep"), s,
                       "must be greater than 0 and less than terminationGracePeriodSeconds (" +
                           std::to_string(*ctx.grace_period) + ")"));
      }
    }
  }
  if (n == 0) errs.push_back(Required(p, "must specify a handler type"));
  return errs;
}

enum class ProbeKind { kLiveness, kReadiness, kStartup };

ErrorList ValidateProbe(const json::object* probe, const Path& p, ProbeKind kind,
                        const ContainerContext& ctx) {
  ErrorList errs;
  if (probe == nullptr) return errs;
  Append(errs, ValidateHandler(probe, p, false, ctx));
  for (const char* key : {"initialDelaySeconds", "timeoutSeconds", "periodSeconds",
                          "successThreshold", "failureThreshold"}) {
    Append(errs, ValidateNonnegative(probe, key, p.Child(key)));
  }
  if (auto tgp = GetInt(probe, "terminationGracePeriodSeconds"); tgp && *tgp <= 0) {
    errs.push_back(
        InvalidInt(p.Child("terminationGracePeriodSeconds"), *tgp, "must be greater than 0"));
  }
  if (kind == ProbeKind::kReadiness) {
    if (Has(probe, "terminationGracePeriodSeconds")) {
      errs.push_back(
          InvalidRendered(p.Child("terminationGracePeriodSeconds"),
                          RenderValue(*probe->if_contains("terminationGracePeriodSeconds")),
                          "must not be set for readinessProbes"));
    }
  } else {
    int64_t st = GetInt(probe, "successThreshold").value_or(0);
    if (st != 1) errs.push_back(InvalidInt(p.Child("successThreshold"), st, "must be 1"));
  }
  return errs;
}

ErrorList ValidateLifecycle(const json::object* lc, const Path& p, const ContainerContext& ctx) {
  ErrorList errs;
  for (const char* hook : {"postStart", "preStop"}) {
    if (const json::object* h = GetObj(lc, hook))
      Append(errs, ValidateHandler(h, p.Child(hook), true, ctx));
  }
  return errs;
}

ErrorList ValidateContainerPorts(const json::array* ports, const Path& p) {
  ErrorList errs;
  if (ports == nullptr) return errs;
  std::set<std::string> names;
  for (size_t i = 0; i < ports->size(); ++i) {
    const json::object* port = (*ports)[i].if_object();
    Path ip = p.Index(i);
    std::string_view name = GetStr(port, "name");
    if (!name.empty()) {
      auto msgs = IsValidPortName(name);
      if (!msgs.empty()) {
        for (auto& msg : msgs) errs.push_back(InvalidStr(ip.Child("name"), name, msg));
      } else if (!names.insert(std::string(name)).second) {
        errs.push_back(Duplicate(ip.Child("name"), name));
      }
    }
    int64_t cp = GetInt(port, "containerPort").value_or(0);
    if (cp == 0) {
      errs.push_back(Required(ip.Child("containerPort")));
    } else {
      for (auto& msg : IsValidPortNum(cp))
        errs.push_back(InvalidInt(ip.Child("containerPort"), cp, msg));
    }
    int64_t hp = GetInt(port, "hostPort").value_or(0);
    if (hp != 0) {
      for (auto& msg : IsValidPortNum(hp))
        errs.push_back(InvalidInt(ip.Child("hostPort"), hp, msg));
    }
    std::string_view proto = GetStr(port, "protocol");
    if (proto.empty()) {
      errs.push_back(Required(ip.Child("protocol")));
    } else if (proto != "TCP" && proto != "UDP" && proto != "SCTP") {
      errs.push_back(NotSupported(ip.Child("protocol"), proto, {"SCTP", "TCP", "UDP"}));
    }
  }
  return errs;
}

ErrorList ValidateKeySelector(const json::object* ref, const Path& p) {
  ErrorList errs;
  std::string_view name = GetStr(ref, "name");
  for (auto& msg : IsDNS1123Subdomain(name)) errs.push_back(InvalidStr(p.Child("name"), name, msg));
  std::string_view key = GetStr(ref, "key");
  if (key.empty()) {
    errs.push_back(Required(p.Child("key")));
  } else {
    for (auto& msg : IsConfigMapKey(key)) errs.push_back(InvalidStr(p.Child("key"), key, msg));
  }
  return errs;
}

ErrorList ValidateFieldRef(const json::object* ref, const Path& p) {
  ErrorList errs;
  std::string_view api_version = GetStr(ref, "apiVersion");
  std::string_view field_path = GetStr(ref, "fieldPath");
  if (api_version.empty()) {
    errs.push_back(Required(p.Child("apiVersion")));
    return errs;
  }
  if (field_path.empty()) {
    errs.push_back(Required(p.Child("fieldPath")));
    return errs;
  }
  if (api_version != "v1") {
    errs.push_back(InvalidStr(
        p.Child("fieldPath"), field_path,
        "error converting fieldPath: unsupported pod version: " + std::string(api_version)));
    return errs;
  }
  // metadata.labels['key'] / metadata.annotations['key']
  size_t bracket = field_path.find("['");
  if (bracket != std::string_view::npos && field_path.size() > bracket + 4 &&
      field_path.substr(field_path.size() - 2) == "']") {
    std::string_view path = field_path.substr(0, bracket);
    std::string_view subscript = field_path.substr(bracket + 2, field_path.size() - bracket - 4);
    if (path == "metadata.annotations") {
      std::string lower(subscript);
      for (auto& c : lower) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
      Append(errs, ValidateQualifiedName(lower, p));
    } else if (path == "metadata.labels") {
      Append(errs, ValidateQualifiedName(subscript, p));
    } else {
      errs.push_back(
          InvalidStr(p.Child("fieldPath"), field_path,
                     "error converting fieldPath: field label does not support subscript: " +
                         std::string(field_path)));
    }
    return errs;
  }
  static const std::set<std::string_view> kKnown = {
      "metadata.annotations", "metadata.labels", "metadata.name",      "metadata.namespace",
      "metadata.uid",         "spec.nodeName",   "spec.restartPolicy", "spec.serviceAccountName",
      "spec.schedulerName",   "status.phase",    "status.hostIP",      "status.hostIPs",
      "status.podIP",         "status.podIPs",   "spec.host"};
  if (!kKnown.count(field_path)) {
    errs.push_back(InvalidStr(
        p.Child("fieldPath"), field_path,
        "error converting fieldPath: field label not supported: " + std::string(field_path)));
    return errs;
  }
  std::string_view internal = field_path == "spec.host" ? "spec.nodeName" : field_path;
  static const std::set<std::string_view> kEnv = {"metadata.name",
                                                  "metadata.namespace",
                                                  "metadata.uid",
                                                  "spec.nodeName",
                                                  "spec.serviceAccountName",
                                                  "status.hostIP",
                                                  "status.hostIPs",
                                                  "status.podIP",
                                                  "status.podIPs"};
  if (!kEnv.count(internal)) {
    errs.push_back(NotSupported(p.Child("fieldPath"), internal,
                                {"metadata.name", "metadata.namespace", "metadata.uid",
                                 "spec.nodeName", "spec.serviceAccountName", "status.hostIP",
                                 "status.hostIPs", "status.podIP", "status.podIPs"}));
  }
  return errs;
}

ErrorList ValidateEnv(const json::array* env, const Path& p) {
  ErrorList errs;
  if (env == nullptr) return errs;
  for (size_t i = 0; i < env->size(); ++i) {
    const json::object* ev = (*env)[i].if_object();
    Path ip = p.Index(i);
    std::string_view name = GetStr(ev, "name");
    if (name.empty()) errs.push_back(Required(ip.Child("name")));
    for (auto& msg : IsRelaxedEnvVarName(name))
      errs.push_back(InvalidStr(ip.Child("name"), name, msg));
    const json::object* from = GetObj(ev, "valueFrom");
    if (from == nullptr) continue;
    Path fp = ip.Child("valueFrom");
    int sources = 0;
    if (const json::object* r = GetObj(from, "fieldRef")) {
      ++sources;
      Append(errs, ValidateFieldRef(r, fp.Child("fieldRef")));
    }
    if (const json::object* r = GetObj(from, "resourceFieldRef")) {
      ++sources;
      if (GetStr(r, "resource").empty())
        errs.push_back(Required(fp.Child("resourceFieldRef", "resource")));
    }
    if (const json::object* r = GetObj(from, "configMapKeyRef")) {
      ++sources;
      Append(errs, ValidateKeySelector(r, fp.Child("configMapKeyRef")));
    }
    if (const json::object* r = GetObj(from, "secretKeyRef")) {
      ++sources;
      Append(errs, ValidateKeySelector(r, fp.Child("secretKeyRef")));
    }
    if (sources == 0) {
      errs.push_back(InvalidStr(fp, "",
                                "must specify one of: `fieldRef`, `resourceFieldRef`, "
                                "`configMapKeyRef` or `secretKeyRef`"));
    } else if (!GetStr(ev, "value").empty()) {
      errs.push_back(InvalidStr(fp, "", "may not be specified when `value` is not empty"));
    } else if (sources > 1) {
      errs.push_back(InvalidStr(fp, "", "may not have more than one field specified at a time"));
    }
  }
  return errs;
}

ErrorList ValidateEnvFrom(const json::array* env_from, const Path& p) {
  ErrorList errs;
  if (env_from == nullptr) return errs;
  for (size_t i = 0; i < env_from->size(); ++i) {
    const json::object* ev = (*env_from)[i].if_object();
    Path ip = p.Index(i);
    std::string_view prefix = GetStr(ev, "prefix");
    if (!prefix.empty()) {
      for (auto& msg : IsRelaxedEnvVarName(prefix))
        errs.push_back(InvalidStr(ip.Child("prefix"), prefix, msg));
    }
    int sources = 0;
    for (const char* key : {"configMapRef", "secretRef"}) {
      const json::object* ref = GetObj(ev, key);
      if (ref == nullptr) continue;
      ++sources;
      std::string_view name = GetStr(ref, "name");
      if (name.empty()) {
        errs.push_back(Required(ip.Child(key, "name")));
      } else {
        // Names are checked as generateName-style prefixes upstream (trailing '-' tolerated).
        std::string masked(name);
        if (masked.size() > 1 && masked.back() == '-')
          masked = masked.substr(0, masked.size() - 2) + "a";
        for (auto& msg : IsDNS1123Subdomain(masked))
          errs.push_back(InvalidStr(ip.Child(key, "name"), name, msg));
      }
    }
    if (sources == 0) {
      errs.push_back(InvalidStr(p, "", "must specify one of: `configMapRef` or `secretRef`"));
    } else if (sources > 1) {
      errs.push_back(InvalidStr(p, "", "may not have more than one field specified at a time"));
    }
  }
  return errs;
}

ErrorList ValidateVolumeMounts(const json::array* mounts, const Path& p,
                               const std::set<std::string>* volumes) {
  ErrorList errs;
  if (mounts == nullptr) return errs;
  std::set<std::string> mount_points;
  for (size_t i = 0; i < mounts->size(); ++i) {
    const json::object* m = (*mounts)[i].if_object();
    Path ip = p.Index(i);
    std::string_view name = GetStr(m, "name");
    if (name.empty()) errs.push_back(Required(ip.Child("name")));
    if (volumes == nullptr || !volumes->count(std::string(name))) {
      errs.push_back(NotFound(ip.Child("name"), name));
    }
    std::string_view mount_path = GetStr(m, "mountPath");
    if (mount_path.empty()) errs.push_back(Required(ip.Child("mountPath")));
    if (!mount_points.insert(std::string(mount_path)).second) {
      errs.push_back(InvalidStr(ip.Child("mountPath"), mount_path, "must be unique"));
    }
    std::string_view sub_path = GetStr(m, "subPath");
    if (!sub_path.empty()) {
      if (sub_path.front() == '/')
        errs.push_back(InvalidStr(p.Child("subPath"), sub_path, "must be a relative path"));
      Append(errs, ValidatePathNoBacksteps(sub_path, p.Child("subPath")));
    }
    std::string_view prop = GetStr(m, "mountPropagation");
    if (!prop.empty() && prop != "None" && prop != "HostToContainer" && prop != "Bidirectional") {
      errs.push_back(NotSupported(ip.Child("mountPropagation"), prop,
                                  {"Bidirectional", "HostToContainer", "None"}));
    }
  }
  return errs;
}

ErrorList ValidateResources(const json::object* res, const Path& p) {
  ErrorList errs;
  if (res == nullptr) return errs;
  Path lim_path = p.Child("limits");
  Path req_path = p.Child("requests");
  const json::object* limits = GetObj(res, "limits");
  const json::object* requests = GetObj(res, "requests");
  bool lim_cpu_mem = false, req_cpu_mem = false, hugepages = false;
  Append(errs, ValidateResourceList(limits, lim_path, true));
  if (limits) {
    for (const auto& kv : *limits) {
      std::string_view r(kv.key().data(), kv.key().size());
      if (r == "cpu" || r == "memory") lim_cpu_mem = true;
      if (IsHugePagesResource(r)) hugepages = true;
    }
  }
  Append(errs, ValidateResourceList(requests, req_path, true));
  if (requests) {
    for (const auto& kv : *requests) {
      std::string_view r(kv.key().data(), kv.key().size());
      auto req = ParseQuantity(kv.value());
      const json::value* lv = limits ? limits->if_contains(r) : nullptr;
      if (lv != nullptr) {
        auto lim = ParseQuantity(*lv);
        if (req && lim) {
          int cmp = req->Compare(*lim);
          if (cmp != 0 && !IsOvercommitAllowed(r)) {
            errs.push_back(
                InvalidStr(req_path, req->ToString(),
                           "must be equal to " + std::string(r) + " limit of " + lim->ToString()));
          } else if (cmp > 0) {
            errs.push_back(InvalidStr(req_path, req->ToString(),
                                      "must be less than or equal to " + std::string(r) +
                                          " limit of " + lim->ToString()));
          }
        }
      } else if (!IsOvercommitAllowed(r)) {
        errs.push_back(Required(lim_path, "Limit must be set for non overcommitable resources"));
      }
      if (r == "cpu" || r == "memory") req_cpu_mem = true;
      if (IsHugePagesResource(r)) hugepages = true;
    }
  }
  if (hugepages && !lim_cpu_mem && !req_cpu_mem) {
    errs.push_back(Forbidden(p, "HugePages require cpu or memory"));
  }
  return errs;
}

ErrorList ValidateIds(const json::object* sc, const Path& p,
                      std::initializer_list<const char*> keys) {
  ErrorList errs;
  for (const char* key : keys) {
    if (auto v = GetInt(sc, key); v && (*v < 0 || *v > kMaxInt32)) {
      errs.push_back(InvalidInt(p.Child(key), *v, InclusiveRangeError(0, kMaxInt32)));
    }
  }
  return errs;
}

ErrorList ValidateContainerSecurityContext(const json::object* sc, const Path& p) {
  ErrorList errs;
  if (sc == nullptr) return errs;
  Append(errs, ValidateIds(sc, p, {"runAsUser", "runAsGroup"}));
  auto ape = GetBool(*sc, "allowPrivilegeEscalation");
  if (ape && !*ape && IsTrue(sc, "privileged")) {
    errs.push_back(
        InvalidRendered(p, RenderValue(json::value(*sc)),
                        "cannot set `allowPrivilegeEscalation` to false and `privileged` to true"));
  }
  std::string_view proc_mount = GetStr(sc, "procMount");
  if (!proc_mount.empty() && proc_mount != "Default" && proc_mount != "Unmasked") {
    errs.push_back(NotSupported(p.Child("procMount"), proc_mount, {"Default", "Unmasked"}));
  }
  return errs;
}

ErrorList ValidateContainerCommon(const json::object* c, const Path& p,
                                  const ContainerContext& ctx) {
  ErrorList errs;
  std::string_view name = GetStr(c, "name");
  if (name.empty()) {
    errs.push_back(Required(p.Child("name")));
  } else {
    Append(errs, ValidateDNS1123Label(name, p.Child("name")));
  }
  if (GetStr(c, "image").empty()) errs.push_back(Required(p.Child("image")));
  std::string_view tmp = GetStr(c, "terminationMessagePolicy");
  if (tmp.empty()) {
    errs.push_back(
        Required(p.Child("terminationMessagePolicy"), "must be 'File' or 'FallbackToLogsOnError'"));
  } else if (tmp != "File" && tmp != "FallbackToLogsOnError") {
    errs.push_back(
        NotSupported(p.Child("terminationMessagePolicy"), tmp, {"File", "FallbackToLogsOnError"}));
  }
  Append(errs, ValidateContainerPorts(GetArr(c, "ports"), p.Child("ports")));
  Append(errs, ValidateEnv(GetArr(c, "env"), p.Child("env")));
  Append(errs, ValidateEnvFrom(GetArr(c, "envFrom"), p.Child("envFrom")));
  Append(errs,
         ValidateVolumeMounts(GetArr(c, "volumeMounts"), p.Child("volumeMounts"), ctx.volumes));
  std::string_view pull = GetStr(c, "imagePullPolicy");
  if (pull.empty()) {
    errs.push_back(Required(p.Child("imagePullPolicy")));
  } else if (pull != "Always" && pull != "IfNotPresent" && pull != "Never") {
    errs.push_back(
        NotSupported(p.Child("imagePullPolicy"), pull, {"Always", "IfNotPresent", "Never"}));
  }
  Append(errs, ValidateResources(GetObj(c, "resources"), p.Child("resources")));
  Append(errs, ValidateContainerSecurityContext(GetObj(c, "securityContext"),
                                                p.Child("securityContext")));
  return errs;
}

// Host ports must be unique per (protocol, hostIP, hostPort) across the given containers.
ErrorList AccumulateHostPorts(const json::array* containers, const Path& p,
                              std::set<std::string>* seen) {
  ErrorList errs;
  if (containers == nullptr) return errs;
  for (size_t ci = 0; ci < containers->size(); ++ci) {
    const json::array* ports = GetArr((*containers)[ci].if_object(), "ports");
    if (ports == nullptr) continue;
    for (size_t pi = 0; pi < ports->size(); ++pi) {
      const json::object* port = (*ports)[pi].if_object();
      int64_t hp = GetInt(port, "hostPort").value_or(0);
      if (hp == 0) continue;
      std::string key = std::string(GetStr(port, "protocol")) + "/" +
                        std::string(GetStr(port, "hostIP")) + "/" + std::to_string(hp);
      if (!seen->insert(key).second) {
        errs.push_back(Duplicate(p.Index(ci).Child("ports").Index(pi).Child("hostPort"), key));
      }
    }
  }
  return errs;
}

void AddProbesAndLifecycle(const json::object* c, const Path& p, const ContainerContext& ctx,
                           ErrorList& errs) {
  if (const json::object* lc = GetObj(c, "lifecycle"))
    Append(errs, ValidateLifecycle(lc, p.Child("lifecycle"), ctx));
  Append(errs, ValidateProbe(GetObj(c, "livenessProbe"), p.Child("livenessProbe"),
                             ProbeKind::kLiveness, ctx));
  Append(errs, ValidateProbe(GetObj(c, "readinessProbe"), p.Child("readinessProbe"),
                             ProbeKind::kReadiness, ctx));
  Append(errs, ValidateProbe(GetObj(c, "startupProbe"), p.Child("startupProbe"),
                             ProbeKind::kStartup, ctx));
}

}  // namespace

ErrorList ValidatePathNoBacksteps(std::string_view path, const Path& p) {
  ErrorList errs;
  size_t start = 0;
  while (start <= path.size()) {
    size_t slash = path.find('/', start);
    std::string_view part =
        path.substr(start, slash == std::string_view::npos ? path.npos : slash - start);
    if (part == "..") {
      errs.push_back(InvalidStr(p, path, "must not contain '..'"));
      break;
    }
    if (slash == std::string_view::npos) break;
    start = slash + 1;
  }
  return errs;
}

ErrorList ValidateContainers(const json::array* containers, const Path& p,
                             const ContainerContext& ctx) {
  ErrorList errs;
  if (containers == nullptr || containers->empty()) {
    errs.push_back(Required(p));
    return errs;
  }
  std::set<std::string> names;
  for (size_t i = 0; i < containers->size(); ++i) {
    const json::object* c = (*containers)[i].if_object();
    Path ip = p.Index(i);
    Append(errs, ValidateContainerCommon(c, ip, ctx));
    std::string name(GetStr(c, "name"));
    if (!names.insert(name).second) errs.push_back(Duplicate(ip.Child("name"), name));
    AddProbesAndLifecycle(c, ip, ctx, errs);
    if (Has(c, "restartPolicy")) {
      errs.push_back(
          Forbidden(ip.Child("restartPolicy"), "may not be set for non-init containers"));
    }
  }
  std::set<std::string> host_ports;
  Append(errs, AccumulateHostPorts(containers, p, &host_ports));
  return errs;
}

ErrorList ValidateInitContainers(const json::array* init, const json::array* regular, const Path& p,
                                 const ContainerContext& ctx) {
  ErrorList errs;
  if (init == nullptr) return errs;
  std::set<std::string> names;
  if (regular) {
    for (const auto& c : *regular) names.insert(std::string(GetStr(c.if_object(), "name")));
  }
  for (size_t i = 0; i < init->size(); ++i) {
    const json::object* c = (*init)[i].if_object();
    Path ip = p.Index(i);
    Append(errs, ValidateContainerCommon(c, ip, ctx));
    bool restart_always = false;
    if (Has(c, "restartPolicy")) {
      std::string_view rp = GetStr(c, "restartPolicy");
      if (rp == "Always") {
        restart_always = true;
      } else {
        errs.push_back(NotSupported(ip.Child("restartPolicy"), rp, {"Always"}));
      }
    }
    std::string name(GetStr(c, "name"));
    if (names.count(name)) {
      errs.push_back(Duplicate(ip.Child("name"), name));
    } else if (!name.empty()) {
      names.insert(name);
    }
    // Init containers run one at a time: host ports only conflict within one container.
    json::array single;
    single.push_back((*init)[i]);
    std::set<std::string> host_ports;
    Append(errs, AccumulateHostPorts(&single, p, &host_ports));
    if (restart_always) {
      AddProbesAndLifecycle(c, ip, ctx, errs);
    } else {
      for (const char* key : {"lifecycle", "livenessProbe", "readinessProbe", "startupProbe"}) {
        if (Has(c, key)) {
          errs.push_back(Forbidden(
              ip.Child(key), "may not be set for init containers without restartPolicy=Always"));
        }
      }
    }
  }
  return errs;
}

ErrorList ValidateEphemeralContainers(const json::array* ephemeral, const json::array* regular,
                                      const json::array* init, const Path& p,
                                      const ContainerContext& ctx) {
  ErrorList errs;
  if (ephemeral == nullptr) return errs;
  std::set<std::string> others;
  for (const json::array* list : {regular, init}) {
    if (list == nullptr) continue;
    for (const auto& c : *list) others.insert(std::string(GetStr(c.if_object(), "name")));
  }
  std::set<std::string> names;
  for (size_t i = 0; i < ephemeral->size(); ++i) {
    const json::object* c = (*ephemeral)[i].if_object();
    Path ip = p.Index(i);
    Append(errs, ValidateContainerCommon(c, ip, ctx));
    std::string name(GetStr(c, "name"));
    if (others.count(name) || !names.insert(name).second)
      errs.push_back(Duplicate(ip.Child("name"), name));
    for (const char* key :
         {"lifecycle", "livenessProbe", "readinessProbe", "startupProbe", "ports"}) {
      if (Len(c, key) > 0 || (Has(c, key) && !Get(*c, key)->is_array())) {
        errs.push_back(Forbidden(ip.Child(key), "cannot be set for an Ephemeral Container"));
      }
    }
    if (Has(c, "restartPolicy")) {
      errs.push_back(
          Forbidden(ip.Child("restartPolicy"), "cannot be set for an Ephemeral Container"));
    }
  }
  return errs;
}

}  // namespace kc::api::validation
