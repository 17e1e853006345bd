#include "pkg/openapi/schema_json.h"

#include <boost/json/array.hpp>

namespace kc::openapi::internal {
namespace {

constexpr const char* kListMeta = "io.k8s.apimachinery.pkg.apis.meta.v1.ListMeta";

// The schema of a value of type `t`, without a description (used for list items and map values).
boost::json::object ValueSchema(const TypeRef& t) {
  boost::json::object o;
  using K = TypeRef::Kind;
  switch (t.kind) {
    case K::kString:
      o["type"] = "string";
      break;
    case K::kInt32:
      o["type"] = "integer";
      o["format"] = "int32";
      break;
    case K::kInt64:
      o["type"] = "integer";
      o["format"] = "int64";
      break;
    case K::kBool:
      o["type"] = "boolean";
      break;
    case K::kDouble:
      o["type"] = "number";
      o["format"] = "double";
      break;
    case K::kByte:
      o["type"] = "string";
      o["format"] = "byte";
      break;
    case K::kObject:
      o["type"] = "object";
      o["x-kubernetes-preserve-unknown-fields"] = true;
      break;
    case K::kRef:
      o["$ref"] = SchemaRef(t.ref);
      break;
    case K::kArray:
      o["type"] = "array";
      o["items"] = ValueSchema(*t.elem);
      break;
    case K::kMap:
      o["type"] = "object";
      o["additionalProperties"] = ValueSchema(*t.elem);
      break;
  }
  return o;
}

// A property: references are wrapped in allOf so the description can sit beside them.
boost::json::object PropertySchema(const FieldDef& f) {
  boost::json::object o;
  if (f.type.kind == TypeRef::Kind::kRef) {
    boost::json::object ref;
    ref["$ref"] = SchemaRef(f.type.ref);
    o["allOf"] = boost::json::array{std::move(ref)};
  } else {
    o = ValueSchema(f.type);
  }
  if (!f.description.empty()) o["description"] = f.description;
  return o;
}

boost::json::array GvkArray(const std::vector<Gvk>& gvks) {
  boost::json::array arr;
  for (const auto& g : gvks) {
    boost::json::object o;
    o["group"] = g.group;
    o["kind"] = g.kind;
    o["version"] = g.version;
    arr.emplace_back(std::move(o));
  }
  return arr;
}

}  // namespace

std::string SchemaRef(const std::string& name) { return "#/components/schemas/" + name; }

boost::json::object TypeSchemaJson(const TypeDef& type) {
  boost::json::object o;
  o["description"] = type.description;
  switch (type.scalar) {
    case Scalar::kQuantity:
      o["oneOf"] = boost::json::array{boost::json::object{{"type", "string"}},
                                      boost::json::object{{"type", "number"}}};
      return o;
    case Scalar::kIntOrString:
      o["format"] = "int-or-string";
      o["oneOf"] = boost::json::array{boost::json::object{{"type", "integer"}},
                                      boost::json::object{{"type", "string"}}};
      o["x-kubernetes-int-or-string"] = true;
      return o;
    case Scalar::kDateTime:
      o["type"] = "string";
      o["format"] = "date-time";
      return o;
    case Scalar::kNone:
      break;
  }
  o["type"] = "object";
  if (!type.fields.empty()) {
    boost::json::object props;
    boost::json::array required;
    for (const auto& f : type.fields) {
      props[f.name] = PropertySchema(f);
      if (f.required) required.emplace_back(f.name);
    }
    o["properties"] = std::move(props);
    if (!required.empty()) o["required"] = std::move(required);
  }
  if (type.open) o["x-kubernetes-preserve-unknown-fields"] = true;
  if (!type.gvks.empty()) o["x-kubernetes-group-version-kind"] = GvkArray(type.gvks);
  return o;
}

boost::json::object ListSchemaJson(const TypeDef& kind_type, const Gvk& gvk) {
  boost::json::object o;
  o["description"] = gvk.kind + "List is a list of " + gvk.kind + " objects.";
  o["type"] = "object";
  boost::json::object props;
  props["apiVersion"] = boost::json::object{
      {"type", "string"}, {"description", "The versioned schema of this object."}};
  boost::json::object items;
  items["type"] = "array";
  items["items"] = boost::json::object{{"$ref", SchemaRef(kind_type.name)}};
  items["description"] = "The " + gvk.kind + " objects.";
  props["items"] = std::move(items);
  props["kind"] = boost::json::object{
      {"type", "string"}, {"description", "The REST resource this object represents."}};
  boost::json::object meta;
  meta["allOf"] = boost::json::array{boost::json::object{{"$ref", SchemaRef(kListMeta)}}};
  meta["description"] = "Standard list metadata.";
  props["metadata"] = std::move(meta);
  o["properties"] = std::move(props);
  o["required"] = boost::json::array{"items"};
  o["x-kubernetes-group-version-kind"] =
      GvkArray({Gvk{gvk.group, gvk.version, gvk.kind + "List"}});
  return o;
}

void CollectReachable(const SchemaRegistry& reg, const std::string& name,
                      std::set<std::string>* out) {
  if (!out->insert(name).second) return;
  const TypeDef* t = reg.Find(name);
  if (!t) return;
  for (const auto& f : t->fields) {
    const TypeRef* r = &f.type;
    while (r->elem) r = r->elem.get();
    if (r->kind == TypeRef::Kind::kRef) CollectReachable(reg, r->ref, out);
  }
}

}  // namespace kc::openapi::internal
