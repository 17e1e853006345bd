#include "pkg/kubelet/volumes.h"

#include <spdlog/spdlog.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/vfs.h>

#include <filesystem>
#include <fstream>

#include "pkg/api/json_path.h"
#include "pkg/api/quantity.h"
#include "pkg/kubelet/atomic_writer.h"
#include "pkg/kubelet/pod_util.h"

namespace kc::kubelet {
namespace fs = std::filesystem;
namespace {

constexpr long kTmpfsMagic = 0x01021994;

bool GetBool(const json::object& o, const char* key) {
  const json::value* v = o.if_contains(key);
  return v && v->is_bool() && v->get_bool();
}

int ModeOf(const json::object& o, const char* key, int def) {
  const json::value* v = o.if_contains(key);
  return v && v->is_int64() ? static_cast<int>(v->get_int64()) : def;
}

bool IsTmpfs(const std::string& path) {
  struct statfs st;
  return ::statfs(path.c_str(), &st) == 0 && static_cast<long>(st.f_type) == kTmpfsMagic;
}

using Payload = std::map<std::string, FileProjection>;

// Files of a configMap/secret source: every key, or the listed items.
api::Status ProjectKeys(const ConfigSource::Data& data, const json::object& src, int default_mode,
                        const std::string& kind, const std::string& name, Payload* out) {
  const json::array* items = api::GetArray(src, "items");
  if (!items || items->empty()) {
    for (const auto& [k, v] : data) (*out)[k] = FileProjection{v, default_mode};
    return {};
  }
  for (const json::value& iv : *items) {
    if (!iv.is_object()) continue;
    const json::object& item = iv.get_object();
    std::string key = api::GetString(item, "key");
    auto it = data.find(key);
    if (it == data.end()) {
      if (GetBool(src, "optional")) continue;
      return api::Status::NotFound(kind == "secret"
                                       ? "references non-existent secret key: " + key
                                       : "configmap references non-existent config key: " + key);
    }
    (void)name;
    (*out)[api::GetString(item, "path")] =
        FileProjection{it->second, ModeOf(item, "mode", default_mode)};
  }
  return {};
}

api::Status ProjectDownward(const json::object& src, const json::object& pod,
                            const EnvContext& ctx, int default_mode, Payload* out) {
  const json::array* items = api::GetArray(src, "items");
  if (!items) return {};
  for (const json::value& iv : *items) {
    if (!iv.is_object()) continue;
    const json::object& item = iv.get_object();
    std::string value;
    if (const json::object* f = api::GetObject(item, "fieldRef")) {
      auto v = PodFieldValue(api::GetString(*f, "fieldPath"), ctx);
      if (!v.ok()) return v.status();
      value = *v;
    } else if (const json::object* r = api::GetObject(item, "resourceFieldRef")) {
      const json::object* c = FindContainer(pod, api::GetString(*r, "containerName"));
      if (!c) return api::Status::BadRequest("resourceFieldRef: container not found");
      auto v = ResourceFieldValue(*r, *c, ctx.allocatable);
      if (!v.ok()) return v.status();
      value = *v;
    }
    (*out)[api::GetString(item, "path")] = FileProjection{value, ModeOf(item, "mode", default_mode)};
  }
  return {};
}

api::Status ProjectToken(const json::object& src, const json::object& pod, client::Client& client,
                         int default_mode, Payload* out) {
  std::string sa = api::GetString(PodSpec(pod), "serviceAccountName");
  if (sa.empty()) sa = "default";
  json::object req{{"apiVersion", "authentication.k8s.io/v1"}, {"kind", "TokenRequest"}};
  json::object spec;
  std::string audience = api::GetString(src, "audience");
  if (!audience.empty()) spec["audiences"] = json::array{json::value(audience)};
  spec["expirationSeconds"] = api::GetInt64(src, "expirationSeconds", 3607);
  spec["boundObjectRef"] = json::object{{"apiVersion", "v1"}, {"kind", "Pod"},
                                        {"name", PodName(pod)}, {"uid", PodUid(pod)}};
  req["spec"] = std::move(spec);
  req["metadata"] = json::object{{"name", sa}, {"namespace", PodNamespace(pod)}};
  client::WriteOptions wo;
  wo.subresource = "token";
  auto got = client.Create({"", "v1", "serviceaccounts"}, PodNamespace(pod), req, wo);
  std::string token;
  if (got.ok()) {
    if (const json::object* st = api::GetObject(*got, "status")) token = api::GetString(*st, "token");
  } else {
    spdlog::warn("kubelet: token request for {}/{} failed: {}", PodNamespace(pod), sa,
                 got.status().message());
  }
  (*out)[api::GetString(src, "path")] = FileProjection{token, ModeOf(src, "mode", default_mode)};
  return {};
}

api::Status CheckHostPath(const std::string& path, const std::string& type) {
  struct stat st;
  bool exists = ::stat(path.c_str(), &st) == 0;
  if (type.empty()) return {};
  if (type == "DirectoryOrCreate") {
    if (!exists) return MakeDirs(path, 0755);
    if (!S_ISDIR(st.st_mode)) return api::Status::Invalid("hostPath type check failed: " + path + " is not a directory");
    return {};
  }
  if (type == "FileOrCreate") {
    if (!exists) {
      std::ofstream f(path);
      if (!f) return api::Status::Internal("failed to create file " + path);
      f.close();
      ::chmod(path.c_str(), 0644);
      return {};
    }
    if (!S_ISREG(st.st_mode)) return api::Status::Invalid("hostPath type check failed: " + path + " is not a file");
    return {};
  }
  if (!exists) {
    std::string what = type == "Directory" ? "directory" : type == "File" ? "file"
                       : type == "Socket" ? "socket" : type == "CharDevice" ? "character device"
                                                         : "block device";
    return api::Status::NotFound("hostPath type check failed: " + path + " is not a " + what);
  }
  bool ok = type == "Directory"    ? S_ISDIR(st.st_mode)
            : type == "File"       ? S_ISREG(st.st_mode)
            : type == "Socket"     ? S_ISSOCK(st.st_mode)
            : type == "CharDevice" ? S_ISCHR(st.st_mode)
            : type == "BlockDevice" ? S_ISBLK(st.st_mode)
                                    : true;
  if (!ok) return api::Status::Invalid("hostPath type check failed: " + path + " is not a " + type);
  return {};
}

}  // namespace

api::Result<VolumePaths> VolumeManager::SetupPodVolumes(const json::object& pod,
                                                        ConfigSource& config,
                                                        const EnvContext& env_ctx) {
  VolumePaths paths;
  const json::array* volumes = api::GetArray(PodSpec(pod), "volumes");
  if (!volumes) return paths;
  std::string uid = PodUid(pod);
  std::string ns = PodNamespace(pod);
  std::string base = PodDir(uid) + "/volumes/";
  for (const json::value& vv : *volumes) {
    if (!vv.is_object()) continue;
    const json::object& vol = vv.get_object();
    std::string name = api::GetString(vol, "name");
    auto fail = [&](const api::Status& s) {
      return api::Status(s.reason(), "MountVolume.SetUp failed for volume \"" + name + "\" : " +
                                         s.message());
    };
    if (const json::object* ed = api::GetObject(vol, "emptyDir")) {
      std::string dir = base + "kubernetes.io~empty-dir/" + name;
      if (api::Status s = MakeDirs(dir, 0777); !s.ok()) return fail(s);
      ::chmod(dir.c_str(), 0777);
      if (api::GetString(*ed, "medium") == "Memory" && !IsTmpfs(dir)) {
        std::string opts = "mode=0777";
        if (const json::value* sl = ed->if_contains("sizeLimit")) {
          auto q = api::Quantity::FromJson(*sl);
          if (q.ok() && q->Value() > 0) opts += ",size=" + std::to_string(q->Value());
        }
        if (::mount("tmpfs", dir.c_str(), "tmpfs", 0, opts.c_str()) != 0) {
          return fail(api::Status::Internal("mount tmpfs on " + dir + " failed"));
        }
      }
      paths[name] = dir;
    } else if (const json::object* hp = api::GetObject(vol, "hostPath")) {
      std::string path = api::GetString(*hp, "path");
      if (api::Status s = CheckHostPath(path, api::GetString(*hp, "type")); !s.ok()) {
        return fail(s);
      }
      paths[name] = path;
    } else if (const json::object* cm = api::GetObject(vol, "configMap")) {
      std::string dir = base + "kubernetes.io~configmap/" + name;
      Payload payload;
      auto data = config.ConfigMap(ns, api::GetString(*cm, "name"));
      if (!data.ok() && !(data.status().reason() == api::Reason::kNotFound &&
                          GetBool(*cm, "optional"))) {
        return fail(data.status());
      }
      if (data.ok()) {
        api::Status s = ProjectKeys(*data, *cm, ModeOf(*cm, "defaultMode", 0644), "configmap",
                                    api::GetString(*cm, "name"), &payload);
        if (!s.ok()) return fail(s);
      }
      if (api::Status s = WriteAtomically(dir, payload); !s.ok()) return fail(s);
      paths[name] = dir;
    } else if (const json::object* sec = api::GetObject(vol, "secret")) {
      std::string dir = base + "kubernetes.io~secret/" + name;
      Payload payload;
      auto data = config.Secret(ns, api::GetString(*sec, "secretName"));
      if (!data.ok() && !(data.status().reason() == api::Reason::kNotFound &&
                          GetBool(*sec, "optional"))) {
        return fail(data.status());
      }
      if (data.ok()) {
        api::Status s = ProjectKeys(*data, *sec, ModeOf(*sec, "defaultMode", 0644), "secret",
                                    api::GetString(*sec, "secretName"), &payload);
        if (!s.ok()) return fail(s);
      }
      if (api::Status s = WriteAtomically(dir, payload); !s.ok()) return fail(s);
      paths[name] = dir;
    } else if (const json::object* da = api::GetObject(vol, "downwardAPI")) {
      std::string dir = base + "kubernetes.io~downward-api/" + name;
      Payload payload;
      api::Status s = ProjectDownward(*da, pod, env_ctx, ModeOf(*da, "defaultMode", 0644),
                                      &payload);
      if (!s.ok()) return fail(s);
      if (api::Status w = WriteAtomically(dir, payload); !w.ok()) return fail(w);
      paths[name] = dir;
    } else if (const json::object* pr = api::GetObject(vol, "projected")) {
      std::string dir = base + "kubernetes.io~projected/" + name;
      int mode = ModeOf(*pr, "defaultMode", 0644);
      Payload payload;
      if (const json::array* sources = api::GetArray(*pr, "sources")) {
        for (const json::value& sv : *sources) {
          if (!sv.is_object()) continue;
          const json::object& src = sv.get_object();
          api::Status s;
          if (const json::object* c = api::GetObject(src, "configMap")) {
            auto data = config.ConfigMap(ns, api::GetString(*c, "name"));
            if (data.ok()) {
              s = ProjectKeys(*data, *c, mode, "configmap", api::GetString(*c, "name"), &payload);
            } else if (!(data.status().reason() == api::Reason::kNotFound &&
                         GetBool(*c, "optional"))) {
              s = data.status();
            }
          } else if (const json::object* c = api::GetObject(src, "secret")) {
            auto data = config.Secret(ns, api::GetString(*c, "name"));
            if (data.ok()) {
              s = ProjectKeys(*data, *c, mode, "secret", api::GetString(*c, "name"), &payload);
            } else if (!(data.status().reason() == api::Reason::kNotFound &&
                         GetBool(*c, "optional"))) {
              s = data.status();
            }
          } else if (const json::object* c = api::GetObject(src, "downwardAPI")) {
            s = ProjectDownward(*c, pod, env_ctx, mode, &payload);
          } else if (const json::object* c = api::GetObject(src, "serviceAccountToken")) {
            s = ProjectToken(*c, pod, client_, mode, &payload);
          }
          if (!s.ok()) return fail(s);
        }
      }
      if (api::Status s = WriteAtomically(dir, payload); !s.ok()) return fail(s);
      paths[name] = dir;
    } else if (const json::object* pvc = api::GetObject(vol, "persistentVolumeClaim")) {
      std::string claim = api::GetString(*pvc, "claimName");
      auto c = client_.Get({"", "v1", "persistentvolumeclaims"}, ns, claim);
      if (!c.ok()) return fail(c.status());
      const json::object* cspec = api::GetObject(*c, "spec");
      std::string pv_name = cspec ? api::GetString(*cspec, "volumeName") : "";
      if (pv_name.empty()) {
        return fail(api::Status::Unavailable("persistentvolumeclaim \"" + claim +
                                             "\" is not bound"));
      }
      auto pv = client_.Get({"", "v1", "persistentvolumes"}, "", pv_name);
      if (!pv.ok()) return fail(pv.status());
      const json::object* pspec = api::GetObject(*pv, "spec");
      const json::object* src = pspec ? api::GetObject(*pspec, "hostPath") : nullptr;
      if (!src && pspec) src = api::GetObject(*pspec, "local");
      if (!src) return fail(api::Status::BadRequest("unsupported persistent volume source"));
      std::string path = api::GetString(*src, "path");
      if (api::Status s = MakeDirs(path, 0777); !s.ok()) return fail(s);
      paths[name] = path;
    } else {
      return fail(api::Status::BadRequest("unsupported volume source"));
    }
  }
  return paths;
}

api::Status VolumeManager::CleanupPod(const std::string& uid) {
  std::string dir = PodDir(uid);
  std::error_code ec;
  if (!fs::exists(dir, ec)) return {};
  std::string empty_dirs = dir + "/volumes/kubernetes.io~empty-dir";
  if (fs::exists(empty_dirs, ec)) {
    for (const auto& e : fs::directory_iterator(empty_dirs, ec)) {
      if (IsTmpfs(e.path().string())) ::umount2(e.path().c_str(), MNT_DETACH);
    }
  }
  return RemoveAll(dir);
}

api::Result<std::vector<cri::v1::Mount>> ContainerMounts(const json::object& container,
                                                         const VolumePaths& volumes,
                                                         const EnvList& env) {
  std::vector<cri::v1::Mount> out;
  const json::array* mounts = api::GetArray(container, "volumeMounts");
  if (!mounts) return out;
  std::map<std::string, std::string> env_map(env.begin(), env.end());
  for (const json::value& mv : *mounts) {
    if (!mv.is_object()) continue;
    const json::object& m = mv.get_object();
    std::string name = api::GetString(m, "name");
    auto it = volumes.find(name);
    if (it == volumes.end()) {
      return api::Status::NotFound("cannot find volume \"" + name + "\" to mount into container \"" +
                                   ContainerName(container) + "\"");
    }
    std::string host = it->second;
    std::string sub = api::GetString(m, "subPath");
    std::string expr = api::GetString(m, "subPathExpr");
    if (!expr.empty()) {
      sub = ExpandVars(expr, [&](const std::string& n) -> std::optional<std::string> {
        auto e = env_map.find(n);
        if (e == env_map.end()) return std::nullopt;
        return e->second;
      });
    }
    if (!sub.empty()) {
      if (!IsSafeRelativePath(sub)) {
        return api::Status::BadRequest("failed to prepare subPath for volumeMount \"" + name +
                                       "\" of container \"" + ContainerName(container) + "\"");
      }
      host += "/" + sub;
      std::error_code ec;
      if (!fs::exists(host, ec)) MakeDirs(host, 0777);
    }
    cri::v1::Mount mount;
    mount.set_container_path(api::GetString(m, "mountPath"));
    mount.set_host_path(host);
    mount.set_readonly(GetBool(m, "readOnly"));
    std::string prop = api::GetString(m, "mountPropagation");
    mount.set_propagation(prop == "HostToContainer" ? cri::v1::PROPAGATION_HOST_TO_CONTAINER
                          : prop == "Bidirectional" ? cri::v1::PROPAGATION_BIDIRECTIONAL
                                                    : cri::v1::PROPAGATION_PRIVATE);
    out.push_back(std::move(mount));
  }
  return out;
}

}  // namespace kc::kubelet
