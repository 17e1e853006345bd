#include "pkg/apiserver/discovery.h"

#include <boost/json/array.hpp>
#include <boost/json/object.hpp>
#include <boost/json/serialize.hpp>
#include <map>

namespace kc::apiserver {
namespace json = boost::json;

namespace {

bool ParseBool(const std::string& v, bool* out) {
  if (v.empty() || v == "true" || v == "1") {
    *out = true;
    return true;
  }
  if (v == "false" || v == "0") {
    *out = false;
    return true;
  }
  return false;
}

json::array Strings(const std::vector<std::string>& v) {
  json::array a;
  for (const auto& s : v) a.emplace_back(s);
  return a;
}

json::array FullVerbs() {
  return Strings({"create", "delete", "deletecollection", "get", "list", "patch", "update",
                  "watch"});
}

// Discovery groups in upstream's order, core first.
std::vector<std::string> GroupOrder(const std::vector<const api::ResourceInfo*>& enabled) {
  std::vector<std::string> order;
  for (const auto* r : enabled) {
    if (r->group.empty()) continue;
    bool seen = false;
    for (const auto& g : order) seen = seen || g == r->group;
    if (!seen) order.push_back(r->group);
  }
  return order;
}

// Versions of a group, preferred first (v2 > v1 > v1beta1 ...; catalog order already is).
std::vector<std::string> Versions(const std::vector<const api::ResourceInfo*>& enabled,
                                  const std::string& group) {
  std::vector<std::string> out;
  for (const auto* r : enabled) {
    if (r->group != group) continue;
    bool seen = false;
    for (const auto& v : out) seen = seen || v == r->version;
    if (!seen) out.push_back(r->version);
  }
  return out;
}

json::object GroupJson(const std::vector<const api::ResourceInfo*>& enabled,
                       const std::string& group) {
  json::object g;
  g["name"] = group;
  json::array versions;
  for (const auto& v : Versions(enabled, group)) {
    json::object gv;
    gv["groupVersion"] = group + "/" + v;
    gv["version"] = v;
    versions.push_back(std::move(gv));
  }
  g["preferredVersion"] = versions.empty() ? json::value() : versions[0];
  g["versions"] = std::move(versions);
  return g;
}

}  // namespace

api::Result<ApiSurface> ApiSurface::Build(const std::string& runtime_config) {
  bool alpha = false, beta = true, all = true;
  std::map<std::string, bool> gv_switch;   // "apps/v1" → on/off
  std::map<std::string, bool> res_switch;  // "apps/v1/deployments" → on/off
  size_t i = 0;
  while (i < runtime_config.size()) {
    size_t comma = runtime_config.find(',', i);
    std::string item = runtime_config.substr(i, comma == std::string::npos ? std::string::npos
                                                                           : comma - i);
    i = comma == std::string::npos ? runtime_config.size() : comma + 1;
    if (item.empty()) continue;
    size_t eq = item.find('=');
    std::string key = item.substr(0, eq);
    bool on = true;
    if (eq != std::string::npos && !ParseBool(item.substr(eq + 1), &on)) {
      return api::Status::BadRequest("invalid value in --runtime-config: " + item);
    }
    if (key == "api/all") {
      all = on;
      alpha = beta = on;
    } else if (key == "api/alpha") {
      alpha = on;
    } else if (key == "api/beta") {
      beta = on;
    } else {
      int slashes = 0;
      for (char c : key) slashes += c == '/';
      if (key.rfind("api/", 0) == 0 && slashes == 1) key = key.substr(4);  // api/v1 → v1
      if (slashes == 2 && key.rfind("api/v1/", 0) == 0) key = key.substr(4);
      bool is_resource = false;
      // group/version/resource, or core v1/resource.
      if (slashes == 2 || (slashes == 1 && key.rfind("v1/", 0) == 0)) is_resource = true;
      bool known = false;
      for (const auto& r : api::BuiltinResources()) {
        std::string gv = r.GroupVersion();
        if ((!is_resource && gv == key) || (is_resource && gv + "/" + r.plural == key)) known = true;
      }
      if (!known) return api::Status::BadRequest("unknown api group/version in --runtime-config: " + key);
      (is_resource ? res_switch : gv_switch)[key] = on;
    }
  }
  ApiSurface s;
  for (const auto& r : api::BuiltinResources()) {
    bool on = all;
    if (r.stability == api::Stability::kAlpha) on = alpha;
    if (r.stability == api::Stability::kBeta) on = beta;
    if (auto it = gv_switch.find(r.GroupVersion()); it != gv_switch.end()) on = it->second;
    if (auto it = res_switch.find(r.GroupVersion() + "/" + r.plural); it != res_switch.end()) {
      on = it->second;
    }
    if (on) s.enabled_.push_back(&r);
  }
  return s;
}

const api::ResourceInfo* ApiSurface::Find(const std::string& group, const std::string& version,
                                          const std::string& resource) const {
  for (const auto* r : enabled_) {
    if (r->group == group && r->version == version && r->plural == resource) return r;
  }
  return nullptr;
}

bool ApiSurface::ServesGroupVersion(const std::string& group, const std::string& version) const {
  for (const auto* r : enabled_) {
    if (r->group == group && r->version == version) return true;
  }
  return false;
}

std::string ApiSurface::ApiVersionsJson() const {
  json::object o;
  o["kind"] = "APIVersions";
  o["versions"] = Strings({"v1"});
  json::array addrs;
  json::object a;
  a["clientCIDR"] = "0.0.0.0/0";
  a["serverAddress"] = "";
  addrs.push_back(std::move(a));
  o["serverAddressByClientCIDRs"] = std::move(addrs);
  return json::serialize(o);
}

std::string ApiSurface::ApiGroupListJson() const {
  json::object o;
  o["kind"] = "APIGroupList";
  o["apiVersion"] = "v1";
  json::array groups;
  for (const auto& g : GroupOrder(enabled_)) groups.push_back(GroupJson(enabled_, g));
  o["groups"] = std::move(groups);
  return json::serialize(o);
}

std::optional<std::string> ApiSurface::ApiGroupJson(const std::string& group) const {
  for (const auto& g : GroupOrder(enabled_)) {
    if (g == group) {
      json::object o = GroupJson(enabled_, g);
      o["kind"] = "APIGroup";
      o["apiVersion"] = "v1";
      return json::serialize(o);
    }
  }
  return std::nullopt;
}

std::optional<std::string> ApiSurface::ApiResourceListJson(const std::string& group,
                                                           const std::string& version) const {
  if (!ServesGroupVersion(group, version)) return std::nullopt;
  json::object o;
  o["kind"] = "APIResourceList";
  o["apiVersion"] = "v1";
  o["groupVersion"] = group.empty() ? version : group + "/" + version;
  json::array resources;
  for (const auto* r : enabled_) {
    if (r->group != group || r->version != version) continue;
    json::object e;
    e["name"] = r->plural;
    e["singularName"] = r->singular;
    e["namespaced"] = r->namespaced;
    e["kind"] = r->kind;
    e["verbs"] = FullVerbs();
    if (!r->short_names.empty()) e["shortNames"] = Strings(r->short_names);
    if (!r->categories.empty()) e["categories"] = Strings(r->categories);
    resources.push_back(std::move(e));
    auto sub = [&](const std::string& name, const std::string& kind, json::array verbs,
                   const std::string& sub_group = "", const std::string& sub_version = "") {
      json::object s;
      s["name"] = r->plural + "/" + name;
      s["singularName"] = "";
      s["namespaced"] = r->namespaced;
      if (!sub_group.empty() || !sub_version.empty()) {
        s["group"] = sub_group;
        s["version"] = sub_version;
      }
      s["kind"] = kind;
      s["verbs"] = std::move(verbs);
      resources.push_back(std::move(s));
    };
    if (r->has_status) sub("status", r->kind, Strings({"get", "patch", "update"}));
    if (r->has_scale) sub("scale", "Scale", Strings({"get", "patch", "update"}), "autoscaling", "v1");
    for (const auto& x : r->extra_subresources) {
      if (x == "eviction") {
        sub(x, "Eviction", Strings({"create"}), "policy", "v1");
      } else if (x == "binding") {
        sub(x, "Binding", Strings({"create"}));
      } else if (x == "log") {
        sub(x, "Pod", Strings({"get"}));
      } else if (x == "exec" || x == "attach" || x == "portforward") {
        std::string kind = x == "exec" ? "PodExecOptions"
                           : x == "attach" ? "PodAttachOptions" : "PodPortForwardOptions";
        sub(x, kind, Strings({"create", "get"}));
      } else if (x == "ephemeralcontainers") {
        sub(x, r->kind, Strings({"get", "patch", "update"}));
      } else if (x == "finalize") {
        sub(x, r->kind, Strings({"update"}));
      } else if (x == "token") {
        sub(x, "TokenRequest", Strings({"create"}), "authentication.k8s.io", "v1");
      }
    }
  }
  o["resources"] = std::move(resources);
  return json::serialize(o);
}

}  // namespace kc::apiserver
