// Pod, PodSpec, container, probe and volume defaults (pkg/apis/core/v1/defaults.go in 1.32).
//
// Note on mutation: inserting a key into a boost::json::object may move its other values, so
// each helper finishes with one child before touching its parent again.
#include "pkg/api/defaults_internal.h"

#include "pkg/api/validation_field.h"
#include "pkg/api/volume_sources.h"

namespace kc::api::defaults {
namespace {

using validation::EnsureObj;
using validation::GetStr;
using validation::MutArr;
using validation::MutObj;
using validation::SetDefault;
using validation::SetDefaultStr;

// imagePullPolicy from the image reference: a ":latest" (or absent) tag pulls Always.
std::string_view DefaultPullPolicy(std::string_view image) {
  if (image.empty()) return "IfNotPresent";
  std::string_view name = image;
  bool has_digest = false;
  if (size_t at = name.find('@'); at != std::string_view::npos) {
    has_digest = true;
    name = name.substr(0, at);
  }
  size_t slash = name.rfind('/');
  std::string_view last = slash == std::string_view::npos ? name : name.substr(slash + 1);
  std::string_view repo = name;
  std::string_view tag;
  if (size_t colon = last.find(':'); colon != std::string_view::npos) {
    tag = last.substr(colon + 1);
    repo = name.substr(0, name.size() - tag.size() - 1);
  }
  // Repository paths must be lowercase; an unparsable reference pulls IfNotPresent.
  std::string_view path = repo;
  if (size_t first = repo.find('/'); first != std::string_view::npos) {
    std::string_view domain = repo.substr(0, first);
    if (domain.find('.') != std::string_view::npos || domain.find(':') != std::string_view::npos ||
        domain == "localhost") {
      path = repo.substr(first + 1);
    }
  }
  for (char c : path) {
    bool ok = (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '.' || c == '_' ||
              c == '-' || c == '/';
    if (!ok) return "IfNotPresent";
  }
  if (path.empty() || (slash != std::string_view::npos && last.empty())) return "IfNotPresent";
  if (tag.empty() && !has_digest) tag = "latest";
  return tag == "latest" ? "Always" : "IfNotPresent";
}

void DefaultHttpGet(json::object& handler) {
  if (json::object* http = MutObj(handler, "httpGet")) {
    SetDefaultStr(*http, "path", "/");
    SetDefaultStr(*http, "scheme", "HTTP");
  }
}

void DefaultProbe(json::object& c, std::string_view key) {
  json::object* probe = MutObj(c, key);
  if (probe == nullptr) return;
  auto zero_or_absent = [&](std::string_view k) {
    auto v = validation::GetInt(*probe, k);
    return !v || *v == 0;
  };
  if (zero_or_absent("timeoutSeconds")) (*probe)["timeoutSeconds"] = 1;
  if (zero_or_absent("periodSeconds")) (*probe)["periodSeconds"] = 10;
  if (zero_or_absent("successThreshold")) (*probe)["successThreshold"] = 1;
  if (zero_or_absent("failureThreshold")) (*probe)["failureThreshold"] = 3;
  DefaultHttpGet(*probe);
  if (json::object* grpc = MutObj(*probe, "grpc")) {
    if (!validation::Has(*grpc, "service")) (*grpc)["service"] = "";
  }
}

void DefaultFieldRef(json::object& holder) {
  if (json::object* ref = MutObj(holder, "fieldRef")) SetDefaultStr(*ref, "apiVersion", "v1");
}

void DefaultContainer(json::object& c) {
  if (!validation::HasStr(c, "imagePullPolicy")) {
    c["imagePullPolicy"] = DefaultPullPolicy(GetStr(c, "image"));
  }
  SetDefaultStr(c, "terminationMessagePath", "/dev/termination-log");
  SetDefaultStr(c, "terminationMessagePolicy", "File");
  if (json::array* ports = MutArr(c, "ports")) {
    for (auto& p : *ports) {
      if (json::object* po = p.if_object()) SetDefaultStr(*po, "protocol", "TCP");
    }
  }
  if (json::array* env = MutArr(c, "env")) {
    for (auto& e : *env) {
      json::object* eo = e.if_object();
      if (eo == nullptr) continue;
      if (json::object* from = MutObj(*eo, "valueFrom")) DefaultFieldRef(*from);
    }
  }
  if (json::object* res = EnsureObj(c, "resources")) {
    CanonicalizeResourceList(*res, "limits", true);
    CanonicalizeResourceList(*res, "requests", true);
  }
  for (const char* probe : {"livenessProbe", "readinessProbe", "startupProbe"})
    DefaultProbe(c, probe);
  if (json::object* lc = MutObj(c, "lifecycle")) {
    for (const char* hook : {"postStart", "preStop"}) {
      if (json::object* h = MutObj(*lc, hook)) DefaultHttpGet(*h);
    }
  }
}

void DefaultDownwardAPIItems(json::object& src) {
  if (json::array* items = MutArr(src, "items")) {
    for (auto& item : *items) {
      if (json::object* io = item.if_object()) DefaultFieldRef(*io);
    }
  }
}



void DefaultVolume(json::object& vol) {
  bool any = false;
  for (const char* s : kVolumeSourceFields) any = any || validation::Has(vol, s);
  if (!any) vol["emptyDir"] = json::object();
  for (const char* s : {"secret", "configMap", "downwardAPI", "projected"}) {
    json::object* src = MutObj(vol, s);
    if (src == nullptr) continue;
    SetDefault(*src, "defaultMode", 420);
    if (std::string_view(s) == "downwardAPI") DefaultDownwardAPIItems(*src);
    if (std::string_view(s) == "projected") {
      if (json::array* sources = MutArr(*src, "sources")) {
        for (auto& ps : *sources) {
          json::object* pso = ps.if_object();
          if (pso == nullptr) continue;
          if (json::object* sat = MutObj(*pso, "serviceAccountToken"))
            SetDefault(*sat, "expirationSeconds", 3600);
          if (json::object* dapi = MutObj(*pso, "downwardAPI")) DefaultDownwardAPIItems(*dapi);
        }
      }
    }
  }
  if (json::object* hp = MutObj(vol, "hostPath")) {
    if (!hp->contains("type") || hp->at("type").is_null()) (*hp)["type"] = "";
  }
  if (json::object* iscsi = MutObj(vol, "iscsi"))
    SetDefaultStr(*iscsi, "iscsiInterface", "default");
  if (json::object* rbd = MutObj(vol, "rbd")) {
    SetDefaultStr(*rbd, "pool", "rbd");
    SetDefaultStr(*rbd, "user", "admin");
    SetDefaultStr(*rbd, "keyring", "/etc/ceph/keyring");
  }
  if (json::object* ad = MutObj(vol, "azureDisk")) {
    SetDefaultStr(*ad, "cachingMode", "ReadWrite");
    SetDefaultStr(*ad, "fsType", "ext4");
    SetDefault(*ad, "readOnly", false);
    SetDefaultStr(*ad, "kind", "Shared");
  }
  if (json::object* sio = MutObj(vol, "scaleIO")) {
    SetDefaultStr(*sio, "storageMode", "ThinProvisioned");
    SetDefaultStr(*sio, "fsType", "xfs");
  }
}

// Pod only: copy limits into missing requests.
void DefaultRequestsFromLimits(json::object& c) {
  json::object* res = MutObj(c, "resources");
  if (res == nullptr) return;
  const json::object* limits = validation::GetObj(*res, "limits");
  if (limits == nullptr || limits->empty()) return;
  json::object limits_copy = *limits;
  json::object* requests = EnsureObj(*res, "requests");
  if (requests == nullptr) return;
  for (const auto& kv : limits_copy) {
    if (!requests->contains(kv.key())) (*requests)[kv.key()] = kv.value();
  }
}

}  // namespace

void CanonicalizeResourceList(json::object& parent, std::string_view key, bool round_to_milli) {
  json::object* list = MutObj(parent, key);
  if (list == nullptr) return;
  for (auto& kv : *list) {
    auto q = validation::ParseQuantity(kv.value());
    if (!q) continue;  // validation reports malformed quantities
    if (round_to_milli) q->RoundUpToMilli();
    kv.value() = q->ToString();
  }
}

void DefaultPodSpec(json::object& spec, bool is_pod) {
  SetDefaultStr(spec, "dnsPolicy", "ClusterFirst");
  SetDefaultStr(spec, "restartPolicy", "Always");
  EnsureObj(spec, "securityContext");
  SetDefault(spec, "terminationGracePeriodSeconds", 30);
  SetDefaultStr(spec, "schedulerName", "default-scheduler");
  // The deprecated serviceAccount field mirrors serviceAccountName in v1.
  // (Values are copied before inserting: an insertion may move the object's other values.)
  if (validation::HasStr(spec, "serviceAccountName")) {
    json::value sa = spec.at("serviceAccountName");
    spec["serviceAccount"] = std::move(sa);
  } else if (validation::HasStr(spec, "serviceAccount")) {
    json::value sa = spec.at("serviceAccount");
    spec["serviceAccountName"] = std::move(sa);
  }
  if (is_pod) SetDefault(spec, "enableServiceLinks", true);
  bool host_network = validation::IsTrue(&spec, "hostNetwork");
  for (const char* list : {"containers", "initContainers", "ephemeralContainers"}) {
    json::array* cs = MutArr(spec, list);
    if (cs == nullptr) continue;
    for (auto& cv : *cs) {
      json::object* c = cv.if_object();
      if (c == nullptr) continue;
      DefaultContainer(*c);
      if (is_pod && std::string_view(list) != "ephemeralContainers") DefaultRequestsFromLimits(*c);
      if (is_pod && host_network && std::string_view(list) != "ephemeralContainers") {
        if (json::array* ports = MutArr(*c, "ports")) {
          for (auto& p : *ports) {
            json::object* po = p.if_object();
            if (po == nullptr) continue;
            auto hp = validation::GetInt(*po, "hostPort");
            if ((!hp || *hp == 0) && po->contains("containerPort")) {
              json::value cp = po->at("containerPort");
              (*po)["hostPort"] = std::move(cp);
            }
          }
        }
      }
    }
  }
  if (json::array* vols = MutArr(spec, "volumes")) {
    for (auto& v : *vols) {
      if (json::object* vo = v.if_object()) DefaultVolume(*vo);
    }
  }
  CanonicalizeResourceList(spec, "overhead", true);
}

void DefaultPodTemplateAt(json::object& parent, std::string_view key) {
  // Templates are plain structs upstream, so a missing one is defaulted as an empty one.
  json::object* tmpl = EnsureObj(parent, key);
  if (tmpl == nullptr) return;
  if (json::object* meta = EnsureObj(*tmpl, "metadata")) {
    // Zero metav1.Time in embedded templates serializes as null upstream.
    if (!meta->contains("creationTimestamp")) (*meta)["creationTimestamp"] = nullptr;
  }
  if (json::object* spec = EnsureObj(*tmpl, "spec")) DefaultPodSpec(*spec, false);
}

void DefaultPod(json::object& obj) {
  if (json::object* spec = EnsureObj(obj, "spec")) DefaultPodSpec(*spec, true);
}

}  // namespace kc::api::defaults
