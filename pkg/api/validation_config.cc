// Configuration and storage kinds: ConfigMap, Secret, PersistentVolumeClaim, PersistentVolume,
// ResourceQuota, LimitRange.
#include <boost/json/parse.hpp>
#include <set>

#include "pkg/api/name_validation.h"
#include "pkg/api/validation_internal.h"

namespace kc::api::validation {
namespace {

constexpr size_t kMaxSecretSize = 1024 * 1024;

// Decoded size of a base64 string (binaryData / Secret data values).
size_t Base64DecodedSize(std::string_view s) {
  size_t n = s.size();
  while (n > 0 && s[n - 1] == '=') --n;
  return n * 6 / 8;
}

std::string Base64Decode(std::string_view s) {
  auto val = [](char c) -> int {
    if (c >= 'A' && c <= 'Z') return c - 'A';
    if (c >= 'a' && c <= 'z') return c - 'a' + 26;
    if (c >= '0' && c <= '9') return c - '0' + 52;
    if (c == '+') return 62;
    if (c == '/') return 63;
    return -1;
  };
  std::string out;
  int bits = 0, acc = 0;
  for (char c : s) {
    int v = val(c);
    if (v < 0) continue;
    acc = (acc << 6) | v;
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      out.push_back(static_cast<char>((acc >> bits) & 0xff));
    }
  }
  return out;
}

std::string_view StrOf(const json::value& v) {
  return v.is_string() ? std::string_view(v.get_string()) : std::string_view();
}

ErrorList ValidateImmutableData(const json::object& obj, const json::object& old,
                                std::initializer_list<const char*> data_fields) {
  ErrorList errs;
  if (!IsTrue(&old, "immutable")) return errs;
  if (!IsTrue(&obj, "immutable")) {
    errs.push_back(Forbidden(Path("immutable"), "field is immutable when `immutable` is set"));
  }
  for (const char* f : data_fields) {
    if (!SemanticEqual(obj.if_contains(f), old.if_contains(f))) {
      errs.push_back(Forbidden(Path(f), "field is immutable when `immutable` is set"));
    }
  }
  return errs;
}

const char* kAccessModes[] = {"ReadOnlyMany", "ReadWriteMany", "ReadWriteOnce", "ReadWriteOncePod"};

ErrorList ValidateAccessModes(const json::object* spec, const Path& p,
                              std::string_view required_detail) {
  ErrorList errs;
  const json::array* modes = GetArr(spec, "accessModes");
  if (modes == nullptr || modes->empty()) {
    errs.push_back(Required(p, required_detail));
    return errs;
  }
  bool rwop = false, other = false;
  for (const auto& m : *modes) {
    std::string_view mode = StrOf(m);
    bool known = false;
    for (const char* k : kAccessModes) known = known || mode == k;
    if (!known) {
      errs.push_back(NotSupported(
          p, mode, {"ReadOnlyMany", "ReadWriteMany", "ReadWriteOnce", "ReadWriteOncePod"}));
    }
    (mode == "ReadWriteOncePod" ? rwop : other) = true;
  }
  if (rwop && other)
    errs.push_back(Forbidden(p, "may not use ReadWriteOncePod with other access modes"));
  return errs;
}

ErrorList ValidateVolumeMode(const json::object* spec, const Path& p) {
  ErrorList errs;
  if (Has(spec, "volumeMode")) {
    std::string_view vm = GetStr(spec, "volumeMode");
    if (vm != "Block" && vm != "Filesystem")
      errs.push_back(NotSupported(p, vm, {"Block", "Filesystem"}));
  }
  return errs;
}

}  // namespace

ErrorList ValidateConfigMap(const ResourceInfo& ri, const json::object& obj) {
  ErrorList errs = ValidateObjectMeta(ri, obj);
  size_t total = 0;
  const json::object* data = GetObj(obj, "data");
  const json::object* binary = GetObj(obj, "binaryData");
  if (data) {
    for (const auto& kv : *data) {
      std::string_view key(kv.key().data(), kv.key().size());
      for (auto& msg : IsConfigMapKey(key))
        errs.push_back(InvalidStr(Path("data").Key(key), key, msg));
      if (binary && binary->contains(key)) {
        errs.push_back(
            InvalidStr(Path("data").Key(key), key, "duplicate of key present in binaryData"));
      }
      total += StrOf(kv.value()).size();
    }
  }
  if (binary) {
    for (const auto& kv : *binary) {
      std::string_view key(kv.key().data(), kv.key().size());
      for (auto& msg : IsConfigMapKey(key))
        errs.push_back(InvalidStr(Path("binaryData").Key(key), key, msg));
      if (data && data->contains(key)) {
        errs.push_back(
            InvalidStr(Path("binaryData").Key(key), key, "duplicate of key present in data"));
      }
      total += Base64DecodedSize(StrOf(kv.value()));
    }
  }
  if (total > kMaxSecretSize) errs.push_back(TooLong(Path(""), kMaxSecretSize));
  return errs;
}

ErrorList ValidateConfigMapUpdate(const ResourceInfo& ri, const json::object& obj,
                                  const json::object& old) {
  ErrorList errs = ValidateObjectMetaUpdate(obj, old);
  Append(errs, ValidateImmutableData(obj, old, {"data", "binaryData"}));
  (void)ri;
  return errs;
}

ErrorList ValidateSecret(const ResourceInfo& ri, const json::object& obj) {
  ErrorList errs = ValidateObjectMeta(ri, obj);
  Path dp("data");
  const json::object* data = GetObj(obj, "data");
  size_t total = 0;
  if (data) {
    for (const auto& kv : *data) {
      std::string_view key(kv.key().data(), kv.key().size());
      for (auto& msg : IsConfigMapKey(key)) errs.push_back(InvalidStr(dp.Key(key), key, msg));
      total += Base64DecodedSize(StrOf(kv.value()));
    }
  }
  if (total > kMaxSecretSize) errs.push_back(TooLong(dp, kMaxSecretSize));
  auto has = [&](std::string_view k) { return data && data->contains(k); };
  std::string_view type = GetStr(obj, "type");
  if (type == "kubernetes.io/service-account-token") {
    const json::object* ann = GetObj(GetObj(obj, "metadata"), "annotations");
    if (GetStr(ann, "kubernetes.io/service-account.name").empty()) {
      errs.push_back(Required(
          Path("metadata").Child("annotations").Key("kubernetes.io/service-account.name")));
    }
  } else if (type == "kubernetes.io/dockercfg" || type == "kubernetes.io/dockerconfigjson") {
    std::string key = type == "kubernetes.io/dockercfg" ? ".dockercfg" : ".dockerconfigjson";
    if (!has(key)) {
      errs.push_back(Required(dp.Key(key)));
    } else {
      boost::system::error_code ec;
      json::value parsed = json::parse(Base64Decode(StrOf(data->at(key))), ec);
      if (ec || !parsed.is_object()) {
        errs.push_back(InvalidStr(
            dp.Key(key), "<secret contents redacted>",
            ec ? ec.message()
               : "json: cannot unmarshal into Go value of type map[string]interface {}"));
      }
    }
  } else if (type == "kubernetes.io/basic-auth") {
    if (!has("username") && !has("password")) {
      errs.push_back(Required(dp.Key("username")));
      errs.push_back(Required(dp.Key("password")));
    }
  } else if (type == "kubernetes.io/ssh-auth") {
    if (!has("ssh-privatekey") || StrOf(data->at("ssh-privatekey")).empty()) {
      errs.push_back(Required(dp.Key("ssh-privatekey")));
    }
  } else if (type == "kubernetes.io/tls") {
    if (!has("tls.crt")) errs.push_back(Required(dp.Key("tls.crt")));
    if (!has("tls.key")) errs.push_back(Required(dp.Key("tls.key")));
  }
  return errs;
}

ErrorList ValidateSecretUpdate(const ResourceInfo& ri, const json::object& obj,
                               const json::object& old) {
  ErrorList errs = ValidateObjectMetaUpdate(obj, old);
  Append(errs, ValidateImmutable(&obj, &old, "type", Path("type")));
  Append(errs, ValidateImmutableData(obj, old, {"data"}));
  (void)ri;
  return errs;
}

ErrorList ValidatePersistentVolumeClaim(const ResourceInfo& ri, const json::object& obj) {
  ErrorList errs = ValidateObjectMeta(ri, obj);
  Path sp("spec");
  const json::object* spec = GetObj(obj, "spec");
  Append(errs,
         ValidateAccessModes(spec, sp.Child("accessModes"), "at least 1 access mode is required"));
  if (Has(spec, "selector"))
    Append(errs, ValidateLabelSelector(GetObj(spec, "selector"), sp.Child("selector")));
  Path rp = sp.Child("resources").Key("storage");
  const json::value* storage = nullptr;
  if (const json::object* requests = GetObj(GetObj(spec, "resources"), "requests")) {
    storage = requests->if_contains("storage");
  }
  if (storage == nullptr) {
    errs.push_back(Required(rp));
  } else {
    std::string parse_error;
    auto q = ParseQuantity(*storage, &parse_error);
    if (!q) {
      errs.push_back(Invalid(rp, *storage, parse_error));
    } else if (q->Sign() <= 0) {
      errs.push_back(InvalidStr(rp, q->ToString(), "must be greater than zero"));
    }
  }
  std::string_view cls = GetStr(spec, "storageClassName");
  if (!cls.empty()) Append(errs, ValidateDNS1123Subdomain(cls, sp.Child("storageClassName")));
  Append(errs, ValidateVolumeMode(spec, sp.Child("volumeMode")));
  return errs;
}

ErrorList ValidatePersistentVolumeClaimUpdate(const ResourceInfo& ri, const json::object& obj,
                                              const json::object& old) {
  ErrorList errs = ValidateObjectMetaUpdate(obj, old);
  const json::object* ns = GetObj(obj, "spec");
  const json::object* os = GetObj(old, "spec");
  json::object nc = ns ? *ns : json::object();
  json::object oc = os ? *os : json::object();
  // volumeName may be set once, from empty.
  if (GetStr(os, "volumeName").empty()) nc.erase("volumeName"), oc.erase("volumeName");
  bool bound = GetStr(GetObj(old, "status"), "phase") == "Bound";
  if (bound) {
    // Bound claims may change resources.requests (resize) and volumeAttributesClassName.
    for (json::object* spec : {&nc, &oc}) {
      if (json::object* res = MutObj(*spec, "resources")) res->erase("requests");
      spec->erase("volumeAttributesClassName");
    }
  }
  if (!SemanticEqual(json::value(nc), json::value(oc))) {
    errs.push_back(Forbidden(Path("spec"),
                             "spec is immutable after creation except resources.requests and "
                             "volumeAttributesClassName for bound claims"));
  }
  if (bound) {
    const json::value* nsz = nullptr;
    if (const json::object* r = GetObj(GetObj(ns, "resources"), "requests"))
      nsz = r->if_contains("storage");
    const json::value* cap = nullptr;
    if (const json::object* c = GetObj(GetObj(old, "status"), "capacity"))
      cap = c->if_contains("storage");
    if (nsz && cap) {
      auto nq = ParseQuantity(*nsz);
      auto cq = ParseQuantity(*cap);
      if (nq && cq && nq->Compare(*cq) < 0) {
        errs.push_back(Forbidden(Path("spec").Child("resources", "requests", "storage"),
                                 "field can not be less than status.capacity"));
      }
    }
  }
  (void)ri;
  return errs;
}

ErrorList ValidatePersistentVolume(const ResourceInfo& ri, const json::object& obj) {
  ErrorList errs = ValidateObjectMeta(ri, obj);
  Path sp("spec");
  const json::object* spec = GetObj(obj, "spec");
  Append(errs, ValidateAccessModes(spec, sp.Child("accessModes"), ""));
  const json::object* cap = GetObj(spec, "capacity");
  if (cap == nullptr || cap->empty()) errs.push_back(Required(sp.Child("capacity")));
  if (cap == nullptr || !cap->contains("storage") || cap->size() > 1) {
    errs.push_back(NotSupportedRendered(sp.Child("capacity"), RenderStringMap(cap), {"storage"}));
  }
  if (cap) {
    for (const auto& kv : *cap) {
      Path kp = sp.Child("capacity").Key(kv.key());
      std::string parse_error;
      auto q = ParseQuantity(kv.value(), &parse_error);
      if (!q) {
        errs.push_back(Invalid(kp, kv.value(), parse_error));
      } else if (q->Sign() <= 0) {
        errs.push_back(InvalidStr(kp, q->ToString(), "must be greater than zero"));
      }
    }
  }
  std::string_view cls = GetStr(spec, "storageClassName");
  if (!cls.empty()) Append(errs, ValidateDNS1123Subdomain(cls, sp.Child("storageClassName")));
  std::string_view policy = GetStr(spec, "persistentVolumeReclaimPolicy");
  if (!policy.empty() && policy != "Delete" && policy != "Recycle" && policy != "Retain") {
    errs.push_back(NotSupported(sp.Child("persistentVolumeReclaimPolicy"), policy,
                                {"Delete", "Recycle", "Retain"}));
  }
  static const char* kSources[] = {"hostPath",
                                   "gcePersistentDisk",
                                   "awsElasticBlockStore",
                                   "glusterfs",
                                   "nfs",
                                   "rbd",
                                   "quobyte",
                                   "cinder",
                                   "cephfs",
                                   "fc",
                                   "flocker",
                                   "azureFile",
                                   "vsphereVolume",
                                   "azureDisk",
                                   "photonPersistentDisk",
                                   "portworxVolume",
                                   "scaleIO",
                                   "local",
                                   "storageos",
                                   "csi",
                                   "iscsi"};
  int count = 0;
  for (const char* s : kSources) {
    if (!Has(spec, s)) continue;
    if (count++ > 0) {
      errs.push_back(Forbidden(sp.Child(s), "may not specify more than 1 volume type"));
      continue;
    }
    const json::object* src = GetObj(spec, s);
    if (std::string_view(s) == "hostPath" || std::string_view(s) == "local") {
      if (GetStr(src, "path").empty()) errs.push_back(Required(sp.Child(s, "path")));
    } else if (std::string_view(s) == "nfs") {
      if (GetStr(src, "server").empty()) errs.push_back(Required(sp.Child(s, "server")));
      if (GetStr(src, "path").empty()) errs.push_back(Required(sp.Child(s, "path")));
    } else if (std::string_view(s) == "csi") {
      if (GetStr(src, "driver").empty()) errs.push_back(Required(sp.Child(s, "driver")));
      if (GetStr(src, "volumeHandle").empty())
        errs.push_back(Required(sp.Child(s, "volumeHandle")));
    }
  }
  if (count == 0) errs.push_back(Required(sp, "must specify a volume type"));
  Append(errs, ValidateVolumeMode(spec, sp.Child("volumeMode")));
  return errs;
}

ErrorList ValidatePersistentVolumeUpdate(const ResourceInfo& ri, const json::object& obj,
                                         const json::object& old) {
  ErrorList errs = ValidateObjectMetaUpdate(obj, old);
  const json::object* ns = GetObj(obj, "spec");
  const json::object* os = GetObj(old, "spec");
  Append(errs, ValidateImmutable(ns, os, "volumeMode", Path("spec").Child("volumeMode")));
  (void)ri;
  return errs;
}

ErrorList ValidateResourceQuota(const ResourceInfo& ri, const json::object& obj) {
  ErrorList errs = ValidateObjectMeta(ri, obj);
  Path sp("spec");
  const json::object* spec = GetObj(obj, "spec");
  Append(errs, ValidateResourceList(GetObj(spec, "hard"), sp.Child("hard"), false));
  if (const json::array* scopes = GetArr(spec, "scopes")) {
    for (const auto& s : *scopes) {
      std::string_view scope = StrOf(s);
      if (scope != "Terminating" && scope != "NotTerminating" && scope != "BestEffort" &&
          scope != "NotBestEffort" && scope != "PriorityClass" &&
          scope != "CrossNamespacePodAffinity") {
        errs.push_back(InvalidStr(sp.Child("scopes"), scope, "unsupported scope"));
      }
    }
  }
  return errs;
}

ErrorList ValidateResourceQuotaUpdate(const ResourceInfo& ri, const json::object& obj,
                                      const json::object& old) {
  ErrorList errs = ValidateObjectMetaUpdate(obj, old);
  Append(errs, ValidateImmutable(GetObj(obj, "spec"), GetObj(old, "spec"), "scopes",
                                 Path("spec").Child("scopes")));
  (void)ri;
  return errs;
}

ErrorList ValidateLimitRange(const ResourceInfo& ri, const json::object& obj) {
  ErrorList errs = ValidateObjectMeta(ri, obj);
  Path lp = Path("spec").Child("limits");
  const json::array* limits = GetArr(GetObj(obj, "spec"), "limits");
  if (limits == nullptr) return errs;
  std::set<std::string> types;
  for (size_t i = 0; i < limits->size(); ++i) {
    const json::object* item = (*limits)[i].if_object();
    Path ip = lp.Index(i);
    std::string_view type = GetStr(item, "type");
    if (type.empty()) {
      errs.push_back(Required(ip.Child("type")));
    } else if (!types.insert(std::string(type)).second) {
      errs.push_back(Duplicate(ip.Child("type"), type));
    }
    for (const char* f : {"max", "min", "default", "defaultRequest", "maxLimitRequestRatio"}) {
      Append(errs, ValidateResourceList(GetObj(item, f), ip.Child(f), false));
    }
    const json::object* mn = GetObj(item, "min");
    const json::object* mx = GetObj(item, "max");
    if (mn && mx) {
      for (const auto& kv : *mn) {
        const json::value* maxv = mx->if_contains(kv.key());
        if (maxv == nullptr) continue;
        auto a = ParseQuantity(kv.value());
        auto b = ParseQuantity(*maxv);
        if (a && b && a->Compare(*b) > 0) {
          errs.push_back(InvalidStr(
              ip.Child("min").Key(kv.key()), a->ToString(),
              "min value " + a->ToString() + " is greater than max value " + b->ToString()));
        }
      }
    }
  }
  return errs;
}

}  // namespace kc::api::validation
