#include "pkg/controllers/object_meta.h"

#include <boost/json/serialize.hpp>
#include <set>

#include "pkg/api/json_path.h"

namespace kc::controllers {
namespace {

const boost::json::object* MetaOf(const client::Object& obj) {
  return api::GetObject(obj, "metadata");
}

bool BoolField(const boost::json::object& o, const char* key) {
  const boost::json::value* v = o.if_contains(key);
  return v && v->is_bool() && v->get_bool();
}

}  // namespace

std::vector<OwnerRef> OwnerRefs(const client::Object& obj) {
  std::vector<OwnerRef> out;
  const boost::json::object* meta = MetaOf(obj);
  const boost::json::array* refs = meta ? api::GetArray(*meta, "ownerReferences") : nullptr;
  if (!refs) return out;
  for (const boost::json::value& v : *refs) {
    if (!v.is_object()) continue;
    const boost::json::object& o = v.get_object();
    OwnerRef r;
    r.api_version = api::GetString(o, "apiVersion");
    r.kind = api::GetString(o, "kind");
    r.name = api::GetString(o, "name");
    r.uid = api::GetString(o, "uid");
    r.controller = BoolField(o, "controller");
    r.block_owner_deletion = BoolField(o, "blockOwnerDeletion");
    if (!r.uid.empty()) out.push_back(std::move(r));
  }
  return out;
}

std::vector<std::string> Finalizers(const client::Object& obj) {
  std::vector<std::string> out;
  const boost::json::object* meta = MetaOf(obj);
  const boost::json::array* fin = meta ? api::GetArray(*meta, "finalizers") : nullptr;
  if (!fin) return out;
  for (const boost::json::value& v : *fin) {
    if (v.is_string()) out.emplace_back(v.get_string());
  }
  return out;
}

bool HasFinalizer(const std::vector<std::string>& finalizers, const std::string& f) {
  for (const std::string& x : finalizers) {
    if (x == f) return true;
  }
  return false;
}

bool NamespaceActive(const client::Object& ns) {
  if (IsDeleting(ns)) return false;
  const boost::json::value* phase = api::Lookup(ns, "status.phase");
  return !phase || !phase->is_string() || phase->get_string() == "Active";
}

bool IsDeleting(const client::Object& obj) {
  const boost::json::object* meta = MetaOf(obj);
  return meta && !api::GetString(*meta, "deletionTimestamp").empty();
}

const api::ResourceInfo* ResolveKind(const std::string& api_version, const std::string& kind) {
  std::string group, version;
  api::SplitGroupVersion(api_version, &group, &version);
  if (const api::ResourceInfo* exact = api::FindKind(group, version, kind)) return exact;
  for (const api::ResourceInfo& r : api::BuiltinResources()) {
    if (r.group == group && r.kind == kind) return &r;
  }
  return nullptr;
}

client::ResourceRef RefFor(const api::ResourceInfo& info) {
  return client::ResourceRef{info.group, info.version, info.plural};
}

std::string QualifiedName(const client::ResourceRef& res) {
  return res.group.empty() ? res.resource : res.resource + "." + res.group;
}

std::vector<const api::ResourceInfo*> UniqueResources(bool namespaced_only) {
  std::vector<const api::ResourceInfo*> out;
  std::set<std::string> seen;
  for (const api::ResourceInfo& r : api::BuiltinResources()) {
    if (namespaced_only && !r.namespaced) continue;
    if (!seen.insert(r.group + "/" + r.plural).second) continue;
    out.push_back(&r);
  }
  return out;
}

std::string MetadataListPatch(const std::string& resource_version, const std::string& field,
                              const boost::json::array& list) {
  boost::json::object meta;
  meta["resourceVersion"] = resource_version;
  if (list.empty()) {
    meta[field] = nullptr;
  } else {
    meta[field] = list;
  }
  boost::json::object patch;
  patch["metadata"] = std::move(meta);
  return boost::json::serialize(patch);
}

}  // namespace kc::controllers
