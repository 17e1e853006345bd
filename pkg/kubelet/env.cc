#include "pkg/kubelet/env.h"

#include <algorithm>
#include <cctype>
#include <map>

#include "pkg/api/json_path.h"
#include "pkg/api/name_validation.h"
#include "pkg/api/quantity.h"

namespace kc::kubelet {
namespace {

// metadata.labels['key'] → ("labels", "key").
bool ParseSubscript(const std::string& path, const std::string& prefix, std::string* key) {
  if (path.rfind(prefix + "['", 0) != 0 || path.size() < prefix.size() + 4) return false;
  if (path.compare(path.size() - 2, 2, "']") != 0) return false;
  *key = path.substr(prefix.size() + 2, path.size() - prefix.size() - 4);
  return true;
}

bool GetBool(const json::object& o, const char* key) {
  const json::value* v = o.if_contains(key);
  return v && v->is_bool() && v->get_bool();
}

// An ordered environment: later sets of a name replace the value in place.
class OrderedEnv {
 public:
  void Set(const std::string& k, const std::string& v) {
    auto it = index_.find(k);
    if (it != index_.end()) {
      list_[it->second].second = v;
      return;
    }
    index_[k] = list_.size();
    list_.emplace_back(k, v);
  }
  std::optional<std::string> Get(const std::string& k) const {
    auto it = index_.find(k);
    if (it == index_.end()) return std::nullopt;
    return list_[it->second].second;
  }
  bool Has(const std::string& k) const { return index_.count(k) > 0; }
  EnvList Take() { return std::move(list_); }

 private:
  EnvList list_;
  std::map<std::string, size_t> index_;
};

int64_t CeilDiv(int64_t a, int64_t b) { return b <= 0 ? a : (a + b - 1) / b; }

// One key of a ConfigMap or Secret (`kind`) for a configMapKeyRef / secretKeyRef. nullopt when
// it is optional and missing (the variable is then left out).
api::Result<std::optional<std::string>> KeyRefValue(const api::Result<ConfigSource::Data>& data,
                                                   const json::object& ref, const char* kind,
                                                   const std::string& ns) {
  const std::string name = api::GetString(ref, "name");
  const std::string key = api::GetString(ref, "key");
  const bool optional = GetBool(ref, "optional");
  if (!data.ok()) {
    if (data.status().reason() == api::Reason::kNotFound && optional) return std::optional<std::string>();
    return data.status();
  }
  auto it = data->find(key);
  if (it != data->end()) return std::optional<std::string>(it->second);
  if (optional) return std::optional<std::string>();
  return api::Status::NotFound("couldn't find key " + key + " in " + kind + " " + ns + "/" + name);
}

}  // namespace

std::string ExpandVars(std::string_view in,
                       const std::function<std::optional<std::string>(const std::string&)>& lookup) {
  std::string out;
  size_t i = 0;
  while (i < in.size()) {
    char c = in[i];
    if (c != '$' || i + 1 >= in.size()) {
      out.push_back(c);
      ++i;
      continue;
    }
    char next = in[i + 1];
    if (next == '$') {  // escaped
      out.push_back('$');
      i += 2;
      continue;
    }
    if (next == '(') {
      size_t close = in.find(')', i + 2);
      if (close == std::string_view::npos) {  // unterminated: keep verbatim
        out.append(in.substr(i));
        break;
      }
      std::string name(in.substr(i + 2, close - i - 2));
      std::optional<std::string> v = name.empty() ? std::nullopt : lookup(name);
      if (v) {
        out += *v;
      } else {
        out.append(in.substr(i, close - i + 1));
      }
      i = close + 1;
      continue;
    }
    // "$x": not a reference, keep both characters.
    out.push_back('$');
    out.push_back(next);
    i += 2;
  }
  return out;
}

api::Result<std::string> PodFieldValue(const std::string& path, const EnvContext& ctx) {
  const json::object& pod = *ctx.pod;
  const json::object* meta = api::GetObject(pod, "metadata");
  const json::object* spec = api::GetObject(pod, "spec");
  std::string key;
  if (path == "metadata.name") return meta ? api::GetString(*meta, "name") : "";
  if (path == "metadata.namespace") return meta ? api::GetString(*meta, "namespace") : "";
  if (path == "metadata.uid") return meta ? api::GetString(*meta, "uid") : "";
  if (ParseSubscript(path, "metadata.labels", &key)) {
    const json::object* l = meta ? api::GetObject(*meta, "labels") : nullptr;
    return l ? api::GetString(*l, key) : "";
  }
  if (ParseSubscript(path, "metadata.annotations", &key)) {
    const json::object* a = meta ? api::GetObject(*meta, "annotations") : nullptr;
    return a ? api::GetString(*a, key) : "";
  }
  if (path == "metadata.labels" || path == "metadata.annotations") {
    // Volumes only: "k=\"v\"" lines sorted by key.
    const json::object* m = meta ? api::GetObject(*meta, path.substr(9)) : nullptr;
    std::vector<std::string> lines;
    if (m) {
      for (const auto& kv : *m) {
        if (!kv.value().is_string()) continue;
        std::string v(kv.value().get_string());
        std::string quoted = "\"";
        for (char c : v) {
          if (c == '"' || c == '\\') quoted.push_back('\\');
          if (c == '\n') {
            quoted += "\\n";
            continue;
          }
          quoted.push_back(c);
        }
        quoted += "\"";
        lines.push_back(std::string(kv.key()) + "=" + quoted);
      }
    }
    std::sort(lines.begin(), lines.end());
    std::string out;
    for (size_t i = 0; i < lines.size(); ++i) out += (i ? "\n" : "") + lines[i];
    return out;
  }
  if (path == "spec.nodeName") return spec ? api::GetString(*spec, "nodeName") : "";
  if (path == "spec.serviceAccountName") {
    return spec ? api::GetString(*spec, "serviceAccountName") : "";
  }
  if (path == "status.hostIP") return ctx.host_ip;
  if (path == "status.hostIPs") return ctx.host_ip;
  if (path == "status.podIP") return ctx.pod_ip;
  if (path == "status.podIPs") {
    std::string out;
    for (const std::string& ip : ctx.pod_ips) out += (out.empty() ? "" : ",") + ip;
    return out.empty() ? ctx.pod_ip : out;
  }
  return api::Status::BadRequest("unsupported fieldPath: " + path);
}

api::Result<std::string> ResourceFieldValue(const json::object& ref, const json::object& container,
                                            const NodeAllocatable& alloc) {
  std::string resource = api::GetString(ref, "resource");
  api::Quantity divisor = api::Quantity::FromValue(1);
  if (const json::value* d = ref.if_contains("divisor")) {
    auto q = api::Quantity::FromJson(*d);
    if (q.ok() && !q->IsZero()) divisor = *q;
  }
  const json::object* res = api::GetObject(container, "resources");
  auto lookup = [&](const char* which, const char* name) -> std::optional<api::Quantity> {
    const json::object* list = res ? api::GetObject(*res, which) : nullptr;
    const json::value* v = list ? list->if_contains(name) : nullptr;
    if (!v) return std::nullopt;
    auto q = api::Quantity::FromJson(*v);
    if (!q.ok()) return std::nullopt;
    return *q;
  };
  if (resource == "limits.cpu" || resource == "requests.cpu") {
    bool limit = resource == "limits.cpu";
    auto q = lookup(limit ? "limits" : "requests", "cpu");
    int64_t milli = q ? q->MilliValue() : (limit ? alloc.cpu_milli : 0);
    if (!q && !limit) {
      // requests default to the limit when only a limit is set.
      if (auto l = lookup("limits", "cpu")) milli = l->MilliValue();
    }
    return std::to_string(CeilDiv(milli, divisor.MilliValue()));
  }
  const char* name = nullptr;
  int64_t node_default = 0;
  if (resource.ends_with(".memory")) {
    name = "memory";
    node_default = alloc.memory_bytes;
  } else if (resource.ends_with(".ephemeral-storage")) {
    name = "ephemeral-storage";
    node_default = alloc.ephemeral_storage_bytes;
  } else {
    return api::Status::BadRequest("unsupported container resource : " + resource);
  }
  bool limit = resource.rfind("limits.", 0) == 0;
  auto q = lookup(limit ? "limits" : "requests", name);
  int64_t value = q ? q->Value() : (limit ? node_default : 0);
  if (!q && !limit) {
    if (auto l = lookup("limits", name)) value = l->Value();
  }
  return std::to_string(CeilDiv(value, divisor.Value()));
}

api::Result<EnvList> MakeEnvironment(const json::object& container, const EnvContext& ctx) {
  const json::object& pod = *ctx.pod;
  std::string ns;
  if (const json::object* meta = api::GetObject(pod, "metadata")) {
    ns = api::GetString(*meta, "namespace");
  }
  const EnvList& service_list = ctx.service_env;
  std::map<std::string, std::string> service_env(service_list.begin(), service_list.end());
  OrderedEnv env;

  if (const json::array* from = api::GetArray(container, "envFrom")) {
    for (const json::value& fv : *from) {
      if (!fv.is_object()) continue;
      const json::object& f = fv.get_object();
      std::string prefix = api::GetString(f, "prefix");
      const json::object* cm = api::GetObject(f, "configMapRef");
      const json::object* sec = api::GetObject(f, "secretRef");
      const json::object* ref = cm ? cm : sec;
      if (!ref || !ctx.config) continue;
      std::string name = api::GetString(*ref, "name");
      auto data = cm ? ctx.config->ConfigMap(ns, name) : ctx.config->Secret(ns, name);
      if (!data.ok()) {
        if (data.status().reason() == api::Reason::kNotFound && GetBool(*ref, "optional")) continue;
        return data.status();
      }
      for (const auto& [k, v] : *data) {
        std::string key = prefix + k;
        if (!api::IsRelaxedEnvVarName(key).empty()) continue;  // upstream skips invalid keys
        env.Set(key, v);
      }
    }
  }

  auto lookup = [&](const std::string& name) -> std::optional<std::string> {
    if (auto v = env.Get(name)) return v;
    auto it = service_env.find(name);
    if (it != service_env.end()) return it->second;
    return std::nullopt;
  };

  if (const json::array* list = api::GetArray(container, "env")) {
    for (const json::value& ev : *list) {
      if (!ev.is_object()) continue;
      const json::object& e = ev.get_object();
      std::string name = api::GetString(e, "name");
      std::string value = api::GetString(e, "value");
      const json::object* from = api::GetObject(e, "valueFrom");
      if (!value.empty()) {
        value = ExpandVars(value, lookup);
      } else if (from) {
        if (const json::object* f = api::GetObject(*from, "fieldRef")) {
          auto v = PodFieldValue(api::GetString(*f, "fieldPath"), ctx);
          if (!v.ok()) return v.status();
          value = *v;
        } else if (const json::object* r = api::GetObject(*from, "resourceFieldRef")) {
          const json::object* target = &container;
          std::string cname = api::GetString(*r, "containerName");
          if (!cname.empty()) {
            for (const char* list_name : {"containers", "initContainers"}) {
              const json::object* spec = api::GetObject(pod, "spec");
              const json::array* cs = spec ? api::GetArray(*spec, list_name) : nullptr;
              if (!cs) continue;
              for (const json::value& c : *cs) {
                if (c.is_object() && api::GetString(c.get_object(), "name") == cname) {
                  target = &c.get_object();
                }
              }
            }
          }
          auto v = ResourceFieldValue(*r, *target, ctx.allocatable);
          if (!v.ok()) return v.status();
          value = *v;
        } else if (const json::object* k = api::GetObject(*from, "configMapKeyRef")) {
          if (!ctx.config) continue;
          auto v = KeyRefValue(ctx.config->ConfigMap(ns, api::GetString(*k, "name")), *k,
                               "ConfigMap", ns);
          if (!v.ok()) return v.status();
          if (!*v) continue;
          value = **v;
        } else if (const json::object* k = api::GetObject(*from, "secretKeyRef")) {
          if (!ctx.config) continue;
          auto v = KeyRefValue(ctx.config->Secret(ns, api::GetString(*k, "name")), *k, "Secret",
                               ns);
          if (!v.ok()) return v.status();
          if (!*v) continue;
          value = **v;
        }
      }
      env.Set(name, value);
    }
  }

  for (const auto& [k, v] : service_list) {
    if (!env.Has(k)) env.Set(k, v);
  }
  return env.Take();
}

std::vector<std::string> ExpandCommand(const json::object& container, const char* field,
                                       const EnvList& env) {
  std::map<std::string, std::string> m(env.begin(), env.end());
  auto lookup = [&](const std::string& name) -> std::optional<std::string> {
    auto it = m.find(name);
    if (it == m.end()) return std::nullopt;
    return it->second;
  };
  std::vector<std::string> out;
  if (const json::array* a = api::GetArray(container, field)) {
    for (const json::value& v : *a) {
      if (v.is_string()) out.push_back(ExpandVars(std::string(v.get_string()), lookup));
    }
  }
  return out;
}

}  // namespace kc::kubelet
