// /openapi/v3 index and per group-version documents, built from the schema registry and cached.
#include <boost/json/array.hpp>
#include <boost/json/object.hpp>
#include <boost/json/serialize.hpp>

#include <cstdint>
#include <cstdio>
#include <map>
#include <memory>
#include <mutex>
#include <set>

#include "pkg/openapi/openapi.h"
#include "pkg/openapi/schema_json.h"
#include "pkg/openapi/schema_registry.h"
#include "pkg/openapi/v3_paths.h"

namespace kc::openapi {
namespace {

namespace json = boost::json;
using internal::Registry;

struct BuiltDoc {
  std::string body;
  std::string hash;
};

// "api/v1" or "apis/<group>/<version>" for a resource.
std::string GvPath(const api::ResourceInfo& ri) {
  return ri.group.empty() ? "api/" + ri.version : "apis/" + ri.group + "/" + ri.version;
}

std::string_view Normalize(std::string_view gv_path) {
  while (!gv_path.empty() && gv_path.front() == '/') gv_path.remove_prefix(1);
  while (!gv_path.empty() && gv_path.back() == '/') gv_path.remove_suffix(1);
  return gv_path;
}

// A stable 128-bit FNV-1a style hash, as 32 upper-case hex digits.
std::string StableHash(const std::string& s) {
  uint64_t h1 = 0xcbf29ce484222325ULL, h2 = 0x84222325cbf29ce4ULL;
  for (unsigned char c : s) {
    h1 = (h1 ^ c) * 0x100000001b3ULL;
    h2 = (h2 ^ static_cast<unsigned char>(c + 0x5b)) * 0x100000001b3ULL;
  }
  char buf[33];
  std::snprintf(buf, sizeof(buf), "%016llX%016llX", static_cast<unsigned long long>(h1),
                static_cast<unsigned long long>(h2));
  return buf;
}

std::string BuildDocument(const std::vector<const api::ResourceInfo*>& resources) {
  const auto& reg = Registry();
  json::object paths;
  std::set<std::string> schema_names;
  std::map<std::string, internal::Gvk> list_types;  // list schema name -> kind GVK
  for (const auto* ri : resources) {
    const internal::TypeDef* t = reg.ForKind(ri->group, ri->version, ri->kind);
    if (!t) continue;  // a kind without a schema gets no paths (kubectl then validates nothing)
    internal::AddResourcePaths(*ri, t->name, &paths);
    internal::CollectReachable(reg, t->name, &schema_names);
    for (const auto& root : internal::SharedSchemaRoots(*ri)) {
      internal::CollectReachable(reg, root, &schema_names);
    }
    list_types[t->name + "List"] = internal::Gvk{ri->group, ri->version, ri->kind};
  }
  schema_names.insert("io.k8s.apimachinery.pkg.apis.meta.v1.ListMeta");
  json::object schemas;
  for (const auto& name : schema_names) {
    if (const auto* t = reg.Find(name)) schemas[name] = internal::TypeSchemaJson(*t);
  }
  for (const auto& [name, gvk] : list_types) {
    const auto* kind_type = reg.Find(name.substr(0, name.size() - 4));
    schemas[name] = internal::ListSchemaJson(*kind_type, gvk);
  }
  json::object doc;
  doc["openapi"] = "3.0.0";
  doc["info"] = json::object{{"title", "Kubernetes"}, {"version", "v1.32.0"}};
  doc["paths"] = std::move(paths);
  json::object components;
  components["schemas"] = std::move(schemas);
  components["securitySchemes"] = json::object{
      {"BearerToken", json::object{{"type", "apiKey"},
                                   {"name", "authorization"},
                                   {"in", "header"},
                                   {"description", "Bearer Token authentication"}}}};
  doc["components"] = std::move(components);
  return json::serialize(doc);
}

// Returns the cached document for the enabled resources of gv_path, building it on first use;
// nullptr when none of them belongs to gv_path.
std::shared_ptr<const BuiltDoc> CachedDocument(std::string_view gv_path,
                                               const std::vector<const api::ResourceInfo*>& enabled) {
  gv_path = Normalize(gv_path);
  std::vector<const api::ResourceInfo*> resources;
  std::string key(gv_path);
  for (const auto* ri : enabled) {
    if (ri && GvPath(*ri) == gv_path) {
      resources.push_back(ri);
      key += "|" + ri->plural + "/" + ri->kind + (ri->has_status ? "+s" : "") +
             (ri->has_scale ? "+c" : "");
    }
  }
  if (resources.empty()) return nullptr;

  static std::mutex mu;
  static std::map<std::string, std::shared_ptr<const BuiltDoc>>* cache =
      new std::map<std::string, std::shared_ptr<const BuiltDoc>>();
  {
    std::lock_guard<std::mutex> lock(mu);
    auto it = cache->find(key);
    if (it != cache->end()) return it->second;
  }
  // Built outside the lock; a concurrent duplicate build produces the same bytes.
  auto doc = std::make_shared<BuiltDoc>();
  doc->body = BuildDocument(resources);
  doc->hash = StableHash(doc->body);
  std::lock_guard<std::mutex> lock(mu);
  auto [it, inserted] = cache->emplace(key, std::move(doc));
  return it->second;
}

}  // namespace

std::string V3Index(const std::vector<const api::ResourceInfo*>& enabled) {
  json::object paths;
  for (const auto* ri : enabled) {
    if (!ri) continue;
    const std::string gv = GvPath(*ri);
    if (paths.contains(gv)) continue;
    auto doc = CachedDocument(gv, enabled);
    if (!doc) continue;
    paths[gv] = json::object{{"serverRelativeURL", "/openapi/v3/" + gv + "?hash=" + doc->hash}};
  }
  json::object index;
  index["paths"] = std::move(paths);
  return json::serialize(index);
}

std::optional<std::string> V3Document(std::string_view gv_path,
                                      const std::vector<const api::ResourceInfo*>& enabled) {
  auto doc = CachedDocument(gv_path, enabled);
  if (!doc) return std::nullopt;
  return doc->body;
}

std::string V3DocumentHash(std::string_view gv_path,
                           const std::vector<const api::ResourceInfo*>& enabled) {
  auto doc = CachedDocument(gv_path, enabled);
  return doc ? doc->hash : std::string();
}

}  // namespace kc::openapi
