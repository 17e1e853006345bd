#include "pkg/apiserver/discovery.h"

#include <boost/json/array.hpp>
#include <boost/json/object.hpp>
#include <boost/json/serialize.hpp>
#include <algorithm>
#include <cctype>
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

// One subresource as discovery describes it. `group`/`version` are set only when the response
// kind lives in another group-version than the parent (scale, eviction, token).
struct Subresource {
  std::string name;
  std::string group;
  std::string version;
  std::string kind;
  std::vector<std::string> verbs;
};

// The subresources of `r` with upstream's kinds and verbs, sorted by name as upstream lists
// them. Extra subresources this table does not know are left out: discovery could not name
// their response kind, and client-go drops entries without one.
std::vector<Subresource> Subresources(const api::ResourceInfo& r) {
  const std::vector<std::string> kGetPatchUpdate = {"get", "patch", "update"};
  std::vector<Subresource> out;
  if (r.has_status) out.push_back({"status", "", "", r.kind, kGetPatchUpdate});
  if (r.has_scale) out.push_back({"scale", "autoscaling", "v1", "Scale", kGetPatchUpdate});
  for (const auto& x : r.extra_subresources) {
    if (x == "eviction") {
      out.push_back({x, "policy", "v1", "Eviction", {"create"}});
    } else if (x == "binding") {
      out.push_back({x, "", "", "Binding", {"create"}});
    } else if (x == "log") {
      out.push_back({x, "", "", r.kind, {"get"}});
    } else if (x == "exec") {
      out.push_back({x, "", "", "PodExecOptions", {"create", "get"}});
    } else if (x == "attach") {
      out.push_back({x, "", "", "PodAttachOptions", {"create", "get"}});
    } else if (x == "portforward") {
      out.push_back({x, "", "", "PodPortForwardOptions", {"create", "get"}});
    } else if (x == "ephemeralcontainers") {
      out.push_back({x, "", "", r.kind, kGetPatchUpdate});
    } else if (x == "finalize") {
      out.push_back({x, "", "", r.kind, {"update"}});
    } else if (x == "token") {
      out.push_back({x, "authentication.k8s.io", "v1", "TokenRequest", {"create"}});
    }
  }
  std::sort(out.begin(), out.end(),
            [](const Subresource& a, const Subresource& b) { return a.name < b.name; });
  return out;
}

json::object GroupVersionKind(const std::string& group, const std::string& version,
                              const std::string& kind) {
  json::object gvk;
  gvk["group"] = group;
  gvk["version"] = version;
  gvk["kind"] = kind;
  return gvk;
}

// One APIResourceDiscovery: the resource with its subresources nested. responseKind always
// names group and version (upstream leaves them empty when they equal the parent's; both read
// the same to client-go, and the explicit form is what was seen working with kubectl).
json::object ResourceDiscovery(const api::ResourceInfo& r) {
  json::object e;
  e["resource"] = r.plural;
  e["responseKind"] = GroupVersionKind(r.group, r.version, r.kind);
  e["scope"] = r.namespaced ? "Namespaced" : "Cluster";
  e["singularResource"] = r.singular;
  e["verbs"] = FullVerbs();
  if (!r.short_names.empty()) e["shortNames"] = Strings(r.short_names);
  if (!r.categories.empty()) e["categories"] = Strings(r.categories);
  json::array subs;
  for (const Subresource& x : Subresources(r)) {
    json::object s;
    s["subresource"] = x.name;
    bool other_gv = !x.group.empty() || !x.version.empty();
    s["responseKind"] = GroupVersionKind(other_gv ? x.group : r.group,
                                         other_gv ? x.version : r.version, x.kind);
    s["verbs"] = Strings(x.verbs);
    subs.push_back(std::move(s));
  }
  if (!subs.empty()) e["subresources"] = std::move(subs);
  return e;
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
    for (const Subresource& x : Subresources(*r)) {
      json::object sub;
      sub["name"] = r->plural + "/" + x.name;
      sub["singularName"] = "";
      sub["namespaced"] = r->namespaced;
      if (!x.group.empty() || !x.version.empty()) {  // only when it differs from the list's
        sub["group"] = x.group;
        sub["version"] = x.version;
      }
      sub["kind"] = x.kind;
      sub["verbs"] = Strings(x.verbs);
      resources.push_back(std::move(sub));
    }
  }
  o["resources"] = std::move(resources);
  return json::serialize(o);
}

std::string ApiSurface::AggregatedDiscoveryJson(bool core) const {
  std::vector<std::string> groups;
  if (core) {
    if (ServesGroupVersion("", "v1")) groups.push_back("");
  } else {
    groups = GroupOrder(enabled_);
  }
  json::array items;
  for (const auto& g : groups) {
    json::array versions;
    for (const auto& v : core ? std::vector<std::string>{"v1"} : Versions(enabled_, g)) {
      json::array resources;
      for (const auto* r : enabled_) {
        if (r->group == g && r->version == v) resources.push_back(ResourceDiscovery(*r));
      }
      json::object gv;
      gv["version"] = v;
      gv["resources"] = std::move(resources);
      gv["freshness"] = "Current";
      versions.push_back(std::move(gv));
    }
    json::object meta;
    meta["name"] = g;
    json::object item;
    item["metadata"] = std::move(meta);
    item["versions"] = std::move(versions);
    items.push_back(std::move(item));
  }
  json::object o;
  o["kind"] = "APIGroupDiscoveryList";
  o["apiVersion"] = "apidiscovery.k8s.io/v2";
  o["metadata"] = json::object();
  o["items"] = std::move(items);
  return json::serialize(o);
}

namespace {

std::string_view Trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

std::string Lower(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

// Splits on `sep`; parameter values in Accept never contain ',' or ';' for the types we match.
std::vector<std::string_view> Split(std::string_view s, char sep) {
  std::vector<std::string_view> out;
  while (true) {
    size_t at = s.find(sep);
    out.push_back(s.substr(0, at));
    if (at == std::string_view::npos) return out;
    s.remove_prefix(at + 1);
  }
}

// True for a q value that refuses the range ("0", "0.0", "0.000").
bool IsZeroQ(std::string_view q) {
  if (q.empty() || q[0] != '0') return false;
  for (char c : q.substr(1)) {
    if (c != '.' && c != '0') return false;
  }
  return true;
}

bool IsAggregatedV2Json(std::string_view range) {
  std::vector<std::string_view> parts = Split(range, ';');
  if (Lower(Trim(parts[0])) != "application/json") return false;
  bool g = false, v = false, as = false;
  for (size_t i = 1; i < parts.size(); ++i) {
    std::string_view p = parts[i];
    size_t eq = p.find('=');
    if (eq == std::string_view::npos) continue;
    std::string key = Lower(Trim(p.substr(0, eq)));
    std::string_view value = Trim(p.substr(eq + 1));
    if (value.size() >= 2 && value.front() == '"' && value.back() == '"') {
      value = value.substr(1, value.size() - 2);
    }
    if (key == "g") g = value == "apidiscovery.k8s.io";
    if (key == "v") v = value == "v2";
    if (key == "as") as = value == "APIGroupDiscoveryList";
    if (key == "q" && IsZeroQ(value)) return false;
  }
  return g && v && as;
}

}  // namespace

bool WantsAggregatedDiscovery(std::string_view accept) {
  for (std::string_view range : Split(accept, ',')) {
    if (IsAggregatedV2Json(range)) return true;
  }
  return false;
}

HttpResponse DiscoveryRootResponse(const ApiSurface& surface, const HttpRequest& req, bool core) {
  HttpResponse r;
  r.status = 200;
  if (WantsAggregatedDiscovery(req.Header("accept"))) {
    r.content_type = std::string(kAggregatedDiscoveryContentType);
    r.body = surface.AggregatedDiscoveryJson(core);
  } else {
    r.content_type = "application/json";
    r.body = core ? surface.ApiVersionsJson() : surface.ApiGroupListJson();
  }
  r.headers.emplace_back("Vary", "Accept");
  return r;
}

}  // namespace kc::apiserver
