// Pod volume validation: names, exactly one source, and the common sources' required fields.
#include "pkg/api/name_validation.h"

#include "pkg/api/validation_internal.h"
#include "pkg/api/volume_sources.h"

namespace kc::api::validation {
namespace {

constexpr const char* kFileModeMsg = "must be a number between 0 and 0777 (octal), both inclusive";


ErrorList ValidateMode(const json::object* o, std::string_view key, const Path& p) {
  ErrorList errs;
  if (auto m = GetInt(o, key); m && (*m < 0 || *m > 0777))
    errs.push_back(InvalidInt(p, *m, kFileModeMsg));
  return errs;
}

ErrorList ValidateKeyToPaths(const json::array* items, const Path& p) {
  ErrorList errs;
  if (items == nullptr) return errs;
  for (size_t i = 0; i < items->size(); ++i) {
    const json::object* kp = (*items)[i].if_object();
    Path ip = p.Index(i);
    if (GetStr(kp, "key").empty()) errs.push_back(Required(ip.Child("key")));
    std::string_view path = GetStr(kp, "path");
    if (path.empty()) {
      errs.push_back(Required(ip.Child("path")));
    } else {
      if (path.front() == '/')
        errs.push_back(InvalidStr(ip.Child("path"), path, "must be a relative path"));
      Append(errs, ValidatePathNoBacksteps(path, ip.Child("path")));
      if (path.substr(0, 2) == "..") {
        errs.push_back(InvalidStr(ip.Child("path"), path, "must not start with '..'"));
      }
    }
    Append(errs, ValidateMode(kp, "mode", ip.Child("mode")));
  }
  return errs;
}

ErrorList ValidateSource(std::string_view kind, const json::object* s, const Path& p) {
  ErrorList errs;
  if (kind == "emptyDir") {
    if (const json::value* lim = s ? s->if_contains("sizeLimit") : nullptr;
        lim && !lim->is_null()) {
      auto q = ParseQuantity(*lim);
      if (!q || q->Sign() < 0) {
        errs.push_back(
            Forbidden(p.Child("sizeLimit"), "SizeLimit field must be a valid resource quantity"));
      }
    }
  } else if (kind == "hostPath") {
    std::string_view path = GetStr(s, "path");
    if (path.empty()) {
      errs.push_back(Required(p.Child("path")));
    } else {
      Append(errs, ValidatePathNoBacksteps(path, p.Child("path")));
    }
    if (Has(s, "type")) {
      std::string_view t = GetStr(s, "type");
      if (!t.empty() && t != "DirectoryOrCreate" && t != "Directory" && t != "FileOrCreate" &&
          t != "File" && t != "Socket" && t != "CharDevice" && t != "BlockDevice") {
        errs.push_back(NotSupported(p.Child("type"), t,
                                    {"", "BlockDevice", "CharDevice", "Directory",
                                     "DirectoryOrCreate", "File", "FileOrCreate", "Socket"}));
      }
    }
  } else if (kind == "secret") {
    if (GetStr(s, "secretName").empty()) errs.push_back(Required(p.Child("secretName")));
    Append(errs, ValidateMode(s, "defaultMode", p.Child("defaultMode")));
    Append(errs, ValidateKeyToPaths(GetArr(s, "items"), p.Child("items")));
  } else if (kind == "configMap") {
    if (GetStr(s, "name").empty()) errs.push_back(Required(p.Child("name")));
    Append(errs, ValidateMode(s, "defaultMode", p.Child("defaultMode")));
    Append(errs, ValidateKeyToPaths(GetArr(s, "items"), p.Child("items")));
  } else if (kind == "persistentVolumeClaim") {
    if (GetStr(s, "claimName").empty()) errs.push_back(Required(p.Child("claimName")));
  } else if (kind == "nfs") {
    if (GetStr(s, "server").empty()) errs.push_back(Required(p.Child("server")));
    std::string_view path = GetStr(s, "path");
    if (path.empty()) {
      errs.push_back(Required(p.Child("path")));
    } else if (path.front() != '/') {
      errs.push_back(InvalidStr(p.Child("path"), path, "must be an absolute path"));
    }
  } else if (kind == "downwardAPI") {
    Append(errs, ValidateMode(s, "defaultMode", p.Child("defaultMode")));
    if (const json::array* items = GetArr(s, "items")) {
      for (size_t i = 0; i < items->size(); ++i) {
        const json::object* item = (*items)[i].if_object();
        if (GetStr(item, "path").empty())
          errs.push_back(Required(p.Child("items").Index(i).Child("path")));
      }
    }
  } else if (kind == "projected") {
    Append(errs, ValidateMode(s, "defaultMode", p.Child("defaultMode")));
    if (const json::array* sources = GetArr(s, "sources")) {
      for (size_t i = 0; i < sources->size(); ++i) {
        const json::object* src = (*sources)[i].if_object();
        Path ip = p.Child("sources").Index(i);
        int n = 0;
        for (const char* k :
             {"secret", "downwardAPI", "configMap", "serviceAccountToken", "clusterTrustBundle"}) {
          if (!Has(src, k)) continue;
          if (n++ > 0)
            errs.push_back(
                Forbidden(ip.Child(k), "may not specify more than 1 volume type per source"));
        }
        if (const json::object* sat = GetObj(src, "serviceAccountToken")) {
          Path sp = ip.Child("serviceAccountToken");
          if (GetStr(sat, "path").empty()) errs.push_back(Required(sp.Child("path")));
          if (auto exp = GetInt(sat, "expirationSeconds")) {
            if (*exp < 600) {
              errs.push_back(InvalidInt(sp.Child("expirationSeconds"), *exp,
                                        "may not specify a duration less than 10 minutes"));
            } else if (*exp > (int64_t{1} << 32)) {
              errs.push_back(InvalidInt(sp.Child("expirationSeconds"), *exp,
                                        "may not specify a duration larger than 2^32 seconds"));
            }
          }
        }
        for (const char* k : {"secret", "configMap"}) {
          if (const json::object* ref = GetObj(src, k)) {
            Append(errs, ValidateKeyToPaths(GetArr(ref, "items"), ip.Child(k, "items")));
          }
        }
      }
    }
  } else if (kind == "csi") {
    std::string_view driver = GetStr(s, "driver");
    if (driver.empty()) {
      errs.push_back(Required(p.Child("driver")));
    } else {
      Append(errs, ValidateDNS1123Subdomain(driver, p.Child("driver")));
    }
  } else if (kind == "ephemeral") {
    if (!Has(s, "volumeClaimTemplate")) errs.push_back(Required(p.Child("volumeClaimTemplate")));
  }
  return errs;
}

}  // namespace

ErrorList ValidateVolumes(const json::array* volumes, const Path& p, std::set<std::string>* names) {
  ErrorList errs;
  if (volumes == nullptr) return errs;
  std::set<std::string> seen;
  for (size_t i = 0; i < volumes->size(); ++i) {
    const json::object* vol = (*volumes)[i].if_object();
    Path ip = p.Index(i);
    ErrorList el;
    int count = 0;
    for (const char* kind : kVolumeSourceFields) {
      if (!Has(vol, kind)) continue;
      if (count > 0) {
        el.push_back(Forbidden(ip.Child(kind), "may not specify more than 1 volume type"));
        continue;
      }
      ++count;
      Append(el, ValidateSource(kind, GetObj(vol, kind), ip.Child(kind)));
    }
    if (count == 0) el.push_back(Required(ip, "must specify a volume type"));
    std::string name(GetStr(vol, "name"));
    if (name.empty()) {
      el.push_back(Required(ip.Child("name")));
    } else {
      Append(el, ValidateDNS1123Label(name, ip.Child("name")));
    }
    if (seen.count(name)) el.push_back(Duplicate(ip.Child("name"), name));
    if (el.empty()) {
      seen.insert(name);
      if (names) names->insert(name);
    } else {
      Append(errs, std::move(el));
    }
  }
  return errs;
}

}  // namespace kc::api::validation
