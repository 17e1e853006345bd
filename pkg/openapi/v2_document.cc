// /openapi/v2: the swagger 2.0 document as a gnostic openapi_v2.Document protobuf, built from the
// schema registry and cached per set of enabled resources.
#include <map>
#include <memory>
#include <mutex>
#include <set>

#include "pkg/openapi/openapi.h"
#include "pkg/openapi/proto_writer.h"
#include "pkg/openapi/schema_json.h"
#include "pkg/openapi/schema_registry.h"
#include "pkg/openapi/v2_fields.h"
#include "pkg/openapi/v2_paths.h"
#include "pkg/openapi/v2_schema.h"
#include "pkg/openapi/operations.h"

namespace kc::openapi {
namespace {

namespace f = internal::v2;
using internal::ProtoWriter;
using internal::Registry;

// The base of the served gitVersion (pkg/apiserver/version.h), as upstream's info.version.
constexpr const char* kInfoVersion = "v1.32.4";

ProtoWriter Named(std::string_view name, const ProtoWriter& value) {
  ProtoWriter w;
  w.String(f::named::kName, name, /*keep_empty=*/true);
  w.Message(f::named::kValue, value);
  return w;
}

std::string BuildDocument(const std::vector<const api::ResourceInfo*>& resources) {
  const auto& reg = Registry();
  std::map<std::string, ProtoWriter> paths;
  std::set<std::string> schema_names;
  std::map<std::string, internal::Gvk> list_types;  // list definition name -> kind GVK
  for (const auto* ri : resources) {
    const internal::TypeDef* t = reg.ForKind(ri->group, ri->version, ri->kind);
    if (!t) continue;  // a kind without a schema gets no paths, as in the v3 documents
    internal::AddV2ResourcePaths(*ri, t->name, &paths);
    internal::CollectReachable(reg, t->name, &schema_names);
    for (const auto& root : internal::SharedSchemaRoots(*ri)) {
      internal::CollectReachable(reg, root, &schema_names);
    }
    list_types[t->name + "List"] = internal::Gvk{ri->group, ri->version, ri->kind};
  }
  if (!list_types.empty()) {
    internal::CollectReachable(reg, "io.k8s.apimachinery.pkg.apis.meta.v1.ListMeta",
                               &schema_names);
  }

  // Definitions, sorted by name like upstream's document. Names the registry does not define
  // are left out (the registry tests keep that set empty); a list type shadows nothing because
  // the registry never defines "<Kind>List" for a kind it serves.
  std::map<std::string, ProtoWriter> definitions;
  for (const auto& name : schema_names) {
    if (const auto* t = reg.Find(name)) definitions[name] = internal::V2TypeSchema(*t);
  }
  for (const auto& [name, gvk] : list_types) {
    if (definitions.count(name)) continue;
    const auto* kind_type = reg.Find(name.substr(0, name.size() - 4));
    definitions[name] = internal::V2ListSchema(*kind_type, gvk);
  }

  ProtoWriter doc;
  doc.String(f::document::kSwagger, "2.0");
  {
    ProtoWriter info;
    info.String(f::info::kTitle, "Kubernetes");
    info.String(f::info::kVersion, kInfoVersion);
    doc.Message(f::document::kInfo, info);
  }
  {
    ProtoWriter p;
    for (const auto& [path, item] : paths) p.Message(f::paths::kPath, Named(path, item));
    doc.Message(f::document::kPaths, p);
  }
  {
    ProtoWriter d;
    for (const auto& [name, schema] : definitions) {
      d.Message(f::named_schemas::kAdditionalProperties, Named(name, schema));
    }
    doc.Message(f::document::kDefinitions, d);
  }
  {
    // security: [{BearerToken: []}]
    ProtoWriter req;
    req.Message(f::security_requirement::kAdditionalProperties,
                Named("BearerToken", ProtoWriter()));
    doc.Message(f::document::kSecurity, req);
  }
  {
    // securityDefinitions: {BearerToken: {type: apiKey, name: authorization, in: header}}
    namespace k = f::api_key_security;
    ProtoWriter key;
    key.String(k::kType, "apiKey");
    key.String(k::kName, "authorization");
    key.String(k::kIn, "header");
    key.String(k::kDescription, "Bearer Token authentication");
    ProtoWriter item;
    item.Message(f::security_definitions_item::kApiKeySecurity, key);
    ProtoWriter defs;
    defs.Message(f::security_definitions::kAdditionalProperties, Named("BearerToken", item));
    doc.Message(f::document::kSecurityDefinitions, defs);
  }
  return doc.Release();
}

std::string CacheKey(const std::vector<const api::ResourceInfo*>& enabled) {
  std::string key;
  for (const auto* ri : enabled) {
    if (!ri) continue;
    key += ri->group + "/" + ri->version + "/" + ri->plural + "/" + ri->kind +
           (ri->namespaced ? "+n" : "") + (ri->has_status ? "+s" : "") +
           (ri->has_scale ? "+c" : "") + "|";
  }
  return key;
}

}  // namespace

std::string V2DocumentProto(const std::vector<const api::ResourceInfo*>& enabled) {
  static std::mutex mu;
  static auto* cache = new std::map<std::string, std::shared_ptr<const std::string>>();
  const std::string key = CacheKey(enabled);
  {
    std::lock_guard<std::mutex> lock(mu);
    auto it = cache->find(key);
    if (it != cache->end()) return *it->second;
  }
  std::vector<const api::ResourceInfo*> resources;
  for (const auto* ri : enabled) {
    if (ri) resources.push_back(ri);
  }
  // Built outside the lock; a concurrent duplicate build produces the same bytes.
  auto body = std::make_shared<const std::string>(BuildDocument(resources));
  std::lock_guard<std::mutex> lock(mu);
  auto [it, inserted] = cache->emplace(key, std::move(body));
  return *it->second;
}

}  // namespace kc::openapi
