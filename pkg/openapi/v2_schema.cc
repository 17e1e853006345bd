#include "pkg/openapi/v2_schema.h"

#include <boost/json/serialize.hpp>
#include <boost/json/string.hpp>

#include "pkg/openapi/v2_fields.h"

namespace kc::openapi::internal {
namespace {

namespace f = v2;
constexpr const char* kListMeta = "io.k8s.apimachinery.pkg.apis.meta.v1.ListMeta";
constexpr const char* kPreserveUnknown = "x-kubernetes-preserve-unknown-fields";
constexpr const char* kGvkExtension = "x-kubernetes-group-version-kind";

// The parts of a schema kcluster writes, encoded in field-number order.
struct SchemaParts {
  std::string ref;
  std::string format;
  std::string description;
  std::vector<std::string> required;
  const ProtoWriter* additional_properties = nullptr;  // a Schema
  std::string type;
  const ProtoWriter* items = nullptr;  // a Schema
  std::vector<std::pair<std::string, ProtoWriter>> properties;
  std::vector<std::pair<std::string, std::string>> extensions;  // name -> yaml

  ProtoWriter Encode() const {
    ProtoWriter w;
    w.String(f::schema::kRef, ref);
    w.String(f::schema::kFormat, format);
    w.String(f::schema::kDescription, description);
    for (const auto& r : required) w.String(f::schema::kRequired, r, /*keep_empty=*/true);
    if (additional_properties) {
      ProtoWriter ap;
      ap.Message(f::additional_properties_item::kSchema, *additional_properties);
      w.Message(f::schema::kAdditionalProperties, ap);
    }
    if (!type.empty()) {
      ProtoWriter t;
      t.String(f::type_item::kValue, type, /*keep_empty=*/true);
      w.Message(f::schema::kType, t);
    }
    if (items) {
      ProtoWriter it;
      it.Message(f::items_item::kSchema, *items);
      w.Message(f::schema::kItems, it);
    }
    if (!properties.empty()) {
      ProtoWriter props;
      for (const auto& [name, schema] : properties) {
        ProtoWriter named;
        named.String(f::named::kName, name, /*keep_empty=*/true);
        named.Message(f::named::kValue, schema);
        props.Message(f::named_schemas::kAdditionalProperties, named);
      }
      w.Message(f::schema::kProperties, props);
    }
    for (const auto& [name, yaml] : extensions) {
      w.Message(f::schema::kVendorExtension, NamedAnyYaml(name, yaml));
    }
    return w;
  }
};

// The schema of a value of type `t`, with an optional description.
ProtoWriter ValueSchema(const TypeRef& t, const std::string& description) {
  SchemaParts s;
  s.description = description;
  ProtoWriter elem;
  using K = TypeRef::Kind;
  switch (t.kind) {
    case K::kString:
      s.type = "string";
      break;
    case K::kInt32:
      s.type = "integer";
      s.format = "int32";
      break;
    case K::kInt64:
      s.type = "integer";
      s.format = "int64";
      break;
    case K::kBool:
      s.type = "boolean";
      break;
    case K::kDouble:
      s.type = "number";
      s.format = "double";
      break;
    case K::kByte:
      s.type = "string";
      s.format = "byte";
      break;
    case K::kObject:
      // No properties and no additionalProperties: kube-openapi reads it as a map of anything.
      s.type = "object";
      s.extensions.emplace_back(kPreserveUnknown, "true\n");
      break;
    case K::kRef:
      // A bare reference; kube-openapi rejects a $ref schema that also has a type or properties
      // but keeps a description.
      s.ref = V2Ref(t.ref);
      break;
    case K::kArray:
      s.type = "array";
      elem = ValueSchema(*t.elem, "");
      s.items = &elem;
      break;
    case K::kMap:
      s.type = "object";
      elem = ValueSchema(*t.elem, "");
      s.additional_properties = &elem;
      break;
  }
  return s.Encode();
}

}  // namespace

std::string V2Ref(const std::string& name) { return "#/definitions/" + name; }

std::string YamlQuote(std::string_view s) {
  // A JSON string is a valid YAML double-quoted scalar (same escapes, \uXXXX for controls).
  return boost::json::serialize(boost::json::string(s));
}

std::string GvkYamlMap(const Gvk& gvk) {
  return "group: " + YamlQuote(gvk.group) + "\nkind: " + YamlQuote(gvk.kind) +
         "\nversion: " + YamlQuote(gvk.version) + "\n";
}

std::string GvkYamlList(const std::vector<Gvk>& gvks) {
  std::string out;
  for (const auto& g : gvks) {
    out += "- group: " + YamlQuote(g.group) + "\n  kind: " + YamlQuote(g.kind) +
           "\n  version: " + YamlQuote(g.version) + "\n";
  }
  return out.empty() ? "[]\n" : out;
}

ProtoWriter NamedAnyYaml(std::string_view name, const std::string& yaml) {
  ProtoWriter any;
  any.String(f::any::kYaml, yaml);
  ProtoWriter named;
  named.String(f::named::kName, name);
  named.Message(f::named::kValue, any);
  return named;
}

ProtoWriter V2RefSchema(const std::string& name) {
  SchemaParts s;
  s.ref = V2Ref(name);
  return s.Encode();
}

ProtoWriter V2TypeSchema(const TypeDef& type) {
  SchemaParts s;
  s.description = type.description;
  switch (type.scalar) {
    case Scalar::kQuantity:
      s.type = "string";  // upstream's v2 definition: a string (numbers are accepted on input)
      return s.Encode();
    case Scalar::kIntOrString:
      s.type = "string";
      s.format = "int-or-string";
      return s.Encode();
    case Scalar::kDateTime:
      s.type = "string";
      s.format = "date-time";
      return s.Encode();
    case Scalar::kNone:
      break;
  }
  s.type = "object";
  for (const auto& field : type.fields) {
    s.properties.emplace_back(field.name, ValueSchema(field.type, field.description));
    if (field.required) s.required.push_back(field.name);
  }
  if (type.open) s.extensions.emplace_back(kPreserveUnknown, "true\n");
  if (!type.gvks.empty()) s.extensions.emplace_back(kGvkExtension, GvkYamlList(type.gvks));
  return s.Encode();
}

ProtoWriter V2ListSchema(const TypeDef& kind_type, const Gvk& gvk) {
  SchemaParts s;
  s.description = gvk.kind + "List is a list of " + gvk.kind + " objects.";
  s.type = "object";
  s.required = {"items"};
  TypeRef str;
  str.kind = TypeRef::Kind::kString;
  s.properties.emplace_back("apiVersion", ValueSchema(str, "The versioned schema of this object."));
  {
    SchemaParts items;
    items.description = "The " + gvk.kind + " objects.";
    items.type = "array";
    const ProtoWriter elem = V2RefSchema(kind_type.name);
    items.items = &elem;
    s.properties.emplace_back("items", items.Encode());
  }
  s.properties.emplace_back("kind", ValueSchema(str, "The REST resource this object represents."));
  {
    SchemaParts meta;
    meta.ref = V2Ref(kListMeta);
    meta.description = "Standard list metadata.";
    s.properties.emplace_back("metadata", meta.Encode());
  }
  s.extensions.emplace_back(kGvkExtension,
                            GvkYamlList({Gvk{gvk.group, gvk.version, gvk.kind + "List"}}));
  return s.Encode();
}

}  // namespace kc::openapi::internal
