// Tests for the protobuf /openapi/v2 document. The bytes are decoded with pkg/protobuf's
// WireReader and a field-number table written here from OpenAPIv2.proto (independent of
// v2_fields.h), turned into swagger-shaped JSON, and checked against what kubectl reads: the
// field-validation check, the GVK -> definition map and kube-openapi's schema parsing rules.
#include <doctest/doctest.h>

#include <boost/json/array.hpp>
#include <boost/json/object.hpp>
#include <yaml-cpp/yaml.h>

#include <map>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "pkg/openapi/openapi.h"
#include "pkg/openapi/proto_writer.h"
#include "pkg/openapi/schema_registry.h"
#include "pkg/openapi/v2_schema.h"
#include "pkg/protobuf/wire_reader.h"

namespace kc::openapi {
namespace {

namespace json = boost::json;
using protobuf::WireReader;
using protobuf::WireType;

struct Field {
  uint32_t num = 0;
  WireType type = WireType::kVarint;
  uint64_t varint = 0;
  std::string_view bytes;
};

std::vector<Field> Fields(std::string_view data) {
  std::vector<Field> out;
  WireReader r(data);
  while (!r.done()) {
    Field f;
    auto st = r.ReadTag(&f.num, &f.type);
    REQUIRE_MESSAGE(st.ok(), st.message());
    if (f.type == WireType::kVarint) {
      st = r.ReadVarint(&f.varint);
    } else if (f.type == WireType::kLengthDelimited) {
      st = r.ReadLengthDelimited(&f.bytes);
    } else {
      FAIL("unexpected wire type ", static_cast<int>(f.type), " for field ", f.num);
    }
    REQUIRE_MESSAGE(st.ok(), st.message());
    out.push_back(f);
  }
  return out;
}

// Field-number tables per message: number -> (json key, kind). Kinds: 's' string, 'S' repeated
// string, 'b' bool, or the name of a nested decoder.
using Decoder = json::value (*)(std::string_view);
struct Spec {
  const char* key;
  char kind;            // 's', 'S', 'b', 'm' (message, single), 'M' (repeated message)
  Decoder sub = nullptr;
};

json::object Decode(std::string_view data, const std::map<uint32_t, Spec>& table,
                    const char* message) {
  json::object o;
  for (const Field& f : Fields(data)) {
    auto it = table.find(f.num);
    REQUIRE_MESSAGE(it != table.end(), "unexpected field ", f.num, " in ", message);
    const Spec& s = it->second;
    switch (s.kind) {
      case 's':
        REQUIRE(f.type == WireType::kLengthDelimited);
        CHECK_MESSAGE(!o.contains(s.key), "repeated singular ", s.key, " in ", message);
        o[s.key] = json::string(f.bytes);
        break;
      case 'S':
        REQUIRE(f.type == WireType::kLengthDelimited);
        if (!o.contains(s.key)) o[s.key] = json::array();
        o[s.key].as_array().emplace_back(json::string(f.bytes));
        break;
      case 'b':
        REQUIRE(f.type == WireType::kVarint);
        o[s.key] = f.varint != 0;
        break;
      case 'm':
        REQUIRE(f.type == WireType::kLengthDelimited);
        CHECK_MESSAGE(!o.contains(s.key), "repeated singular ", s.key, " in ", message);
        o[s.key] = s.sub(f.bytes);
        break;
      case 'M':
        REQUIRE(f.type == WireType::kLengthDelimited);
        if (!o.contains(s.key)) o[s.key] = json::array();
        o[s.key].as_array().emplace_back(s.sub(f.bytes));
        break;
    }
  }
  return o;
}

// Named* {name = 1; value = 2} lists become one JSON object (duplicates fail).
json::object NamedList(const json::value& list, const char* what) {
  json::object o;
  if (list.is_null()) return o;
  for (const auto& e : list.as_array()) {
    const auto& pair = e.as_object();
    std::string name(pair.contains("name") ? pair.at("name").as_string() : "");
    CHECK_MESSAGE(!o.contains(name), "duplicate ", what, " ", name);
    o[name] = pair.contains("value") ? pair.at("value") : json::value(json::object());
  }
  return o;
}

json::value Any(std::string_view d) { return Decode(d, {{2, {"yaml", 's'}}}, "Any"); }
json::value NamedAny(std::string_view d) {
  return Decode(d, {{1, {"name", 's'}}, {2, {"value", 'm', Any}}}, "NamedAny");
}
// vendor_extension lists become {"x-...": "<yaml>"} merged into the owner.
void MergeExtensions(json::object* o) {
  if (!o->contains("vendor_extension")) return;
  for (const auto& e : o->at("vendor_extension").as_array()) {
    const auto& na = e.as_object();
    std::string name(na.at("name").as_string());
    CHECK(name.rfind("x-", 0) == 0);
    (*o)[name] = na.at("value").at("yaml");
  }
  o->erase("vendor_extension");
}

json::value Schema(std::string_view d);
json::value SchemaList(std::string_view d) {  // ItemsItem
  return Decode(d, {{1, {"schema", 'M', Schema}}}, "ItemsItem");
}
json::value AdditionalProperties(std::string_view d) {
  return Decode(d, {{1, {"schema", 'm', Schema}}, {2, {"boolean", 'b'}}},
                "AdditionalPropertiesItem");
}
json::value TypeItem(std::string_view d) { return Decode(d, {{1, {"value", 'S'}}}, "TypeItem"); }
json::value NamedSchema(std::string_view d) {
  return Decode(d, {{1, {"name", 's'}}, {2, {"value", 'm', Schema}}}, "NamedSchema");
}
json::value Properties(std::string_view d) {
  return Decode(d, {{1, {"additional_properties", 'M', NamedSchema}}}, "Properties");
}

json::value Schema(std::string_view d) {
  json::object o = Decode(d,
                          {{1, {"$ref", 's'}},
                           {2, {"format", 's'}},
                           {3, {"title", 's'}},
                           {4, {"description", 's'}},
                           {19, {"required", 'S'}},
                           {21, {"additionalProperties", 'm', AdditionalProperties}},
                           {22, {"type", 'm', TypeItem}},
                           {23, {"items", 'm', SchemaList}},
                           {24, {"allOf", 'M', Schema}},
                           {25, {"properties", 'm', Properties}},
                           {31, {"vendor_extension", 'M', NamedAny}}},
                          "Schema");
  if (o.contains("properties")) {
    o["properties"] =
        NamedList(o.at("properties").as_object().if_contains("additional_properties")
                      ? o.at("properties").at("additional_properties")
                      : json::value(),
                  "property");
  }
  if (o.contains("type")) {
    const auto& v = o.at("type").as_object();
    o["type"] = v.contains("value") ? v.at("value") : json::value(json::array());
  }
  if (o.contains("items")) {
    const auto& v = o.at("items").as_object();
    o["items"] = v.contains("schema") ? v.at("schema") : json::value(json::array());
  }
  MergeExtensions(&o);
  return o;
}

json::value QueryParam(std::string_view d) {
  return Decode(d,
                {{1, {"required", 'b'}},
                 {2, {"in", 's'}},
                 {3, {"description", 's'}},
                 {4, {"name", 's'}},
                 {6, {"type", 's'}},
                 {20, {"uniqueItems", 'b'}}},
                "QueryParameterSubSchema");
}
json::value PathParam(std::string_view d) {
  return Decode(d,
                {{1, {"required", 'b'}},
                 {2, {"in", 's'}},
                 {3, {"description", 's'}},
                 {4, {"name", 's'}},
                 {5, {"type", 's'}},
                 {19, {"uniqueItems", 'b'}}},
                "PathParameterSubSchema");
}
json::value NonBody(std::string_view d) {
  return Decode(d, {{3, {"query", 'm', QueryParam}}, {4, {"path", 'm', PathParam}}},
                "NonBodyParameter");
}
json::value BodyParam(std::string_view d) {
  return Decode(d,
                {{1, {"description", 's'}},
                 {2, {"name", 's'}},
                 {3, {"in", 's'}},
                 {4, {"required", 'b'}},
                 {5, {"schema", 'm', Schema}}},
                "BodyParameter");
}
json::value Parameter(std::string_view d) {
  return Decode(d, {{1, {"body", 'm', BodyParam}}, {2, {"non_body", 'm', NonBody}}}, "Parameter");
}
// ParametersItem, flattened to the swagger parameter object.
json::value ParametersItem(std::string_view d) {
  json::object o = Decode(d, {{1, {"parameter", 'm', Parameter}}}, "ParametersItem");
  REQUIRE(o.contains("parameter"));
  const auto& p = o.at("parameter").as_object();
  REQUIRE(p.size() == 1);
  if (p.contains("body")) return p.at("body");
  const auto& nb = p.at("non_body").as_object();
  REQUIRE(nb.size() == 1);
  return nb.begin()->value();
}

json::value SchemaItem(std::string_view d) {
  return Decode(d, {{1, {"schema", 'm', Schema}}}, "SchemaItem");
}
json::value Response(std::string_view d) {
  json::object o =
      Decode(d, {{1, {"description", 's'}}, {2, {"schema", 'm', SchemaItem}}}, "Response");
  if (o.contains("schema")) o["schema"] = o.at("schema").at("schema");
  return o;
}
json::value ResponseValue(std::string_view d) {
  return Decode(d, {{1, {"response", 'm', Response}}}, "ResponseValue");
}
json::value NamedResponseValue(std::string_view d) {
  return Decode(d, {{1, {"name", 's'}}, {2, {"value", 'm', ResponseValue}}}, "NamedResponseValue");
}
json::value Responses(std::string_view d) {
  json::object o = Decode(d, {{1, {"response_code", 'M', NamedResponseValue}}}, "Responses");
  json::object out = NamedList(o.contains("response_code") ? o.at("response_code") : json::value(),
                               "response");
  for (auto& kv : out) kv.value() = kv.value().at("response");
  return out;
}

json::value Operation(std::string_view d) {
  json::object o = Decode(d,
                          {{1, {"tags", 'S'}},
                           {2, {"summary", 's'}},
                           {3, {"description", 's'}},
                           {5, {"operationId", 's'}},
                           {6, {"produces", 'S'}},
                           {7, {"consumes", 'S'}},
                           {8, {"parameters", 'M', ParametersItem}},
                           {9, {"responses", 'm', Responses}},
                           {10, {"schemes", 'S'}},
                           {13, {"vendor_extension", 'M', NamedAny}}},
                          "Operation");
  MergeExtensions(&o);
  return o;
}

json::value PathItem(std::string_view d) {
  return Decode(d,
                {{2, {"get", 'm', Operation}},
                 {3, {"put", 'm', Operation}},
                 {4, {"post", 'm', Operation}},
                 {5, {"delete", 'm', Operation}},
                 {8, {"patch", 'm', Operation}},
                 {9, {"parameters", 'M', ParametersItem}}},
                "PathItem");
}
json::value NamedPathItem(std::string_view d) {
  return Decode(d, {{1, {"name", 's'}}, {2, {"value", 'm', PathItem}}}, "NamedPathItem");
}
json::value Paths(std::string_view d) {
  json::object o = Decode(d, {{2, {"path", 'M', NamedPathItem}}}, "Paths");
  return NamedList(o.contains("path") ? o.at("path") : json::value(), "path");
}
json::value Definitions(std::string_view d) {
  json::object o = Decode(d, {{1, {"additional_properties", 'M', NamedSchema}}}, "Definitions");
  return NamedList(o.contains("additional_properties") ? o.at("additional_properties")
                                                       : json::value(),
                   "definition");
}
json::value Info(std::string_view d) {
  return Decode(d, {{1, {"title", 's'}}, {2, {"version", 's'}}}, "Info");
}
json::value Ignored(std::string_view) { return json::object(); }

json::object DecodeDocument(const std::string& bytes) {
  return Decode(bytes,
                {{1, {"swagger", 's'}},
                 {2, {"info", 'm', Info}},
                 {8, {"paths", 'm', Paths}},
                 {9, {"definitions", 'm', Definitions}},
                 {12, {"security", 'M', Ignored}},
                 {13, {"securityDefinitions", 'm', Ignored}}},
                "Document");
}

std::vector<const api::ResourceInfo*> AllResources() {
  std::vector<const api::ResourceInfo*> out;
  for (const auto& r : api::BuiltinResources()) out.push_back(&r);
  return out;
}

const json::object& FullDoc() {
  static const json::object* doc = new json::object(DecodeDocument(V2DocumentProto(AllResources())));
  return *doc;
}

const json::object* FindParam(const json::object& op, std::string_view name, std::string_view in) {
  const auto* params = op.if_contains("parameters");
  if (!params) return nullptr;
  for (const auto& p : params->as_array()) {
    const auto& po = p.as_object();
    if (po.contains("name") && po.at("name").as_string() == name && po.at("in").as_string() == in) {
      return &po;
    }
  }
  return nullptr;
}

// The operation GVK as kubectl's hasGVKExtension reads it: a YAML mapping of strings.
std::map<std::string, std::string> OpGvk(const json::object& op) {
  std::map<std::string, std::string> out;
  const auto* ext = op.if_contains("x-kubernetes-group-version-kind");
  if (!ext) return out;
  YAML::Node n = YAML::Load(std::string(ext->as_string()));
  REQUIRE(n.IsMap());
  for (const auto& kv : n) out[kv.first.as<std::string>()] = kv.second.as<std::string>();
  return out;
}

// Definition GVKs as kubectl's parseGroupVersionKind reads them: a YAML list of mappings.
std::vector<std::map<std::string, std::string>> DefGvks(const json::object& def) {
  std::vector<std::map<std::string, std::string>> out;
  const auto* ext = def.if_contains("x-kubernetes-group-version-kind");
  if (!ext) return out;
  YAML::Node n = YAML::Load(std::string(ext->as_string()));
  REQUIRE(n.IsSequence());
  for (const auto& e : n) {
    REQUIRE(e.IsMap());
    std::map<std::string, std::string> m;
    for (const auto& kv : e) {
      REQUIRE(kv.second.IsScalar());
      m[kv.first.as<std::string>()] = kv.second.as<std::string>();
    }
    out.push_back(std::move(m));
  }
  return out;
}

// kube-openapi pkg/util/proto's rules for a schema (ParseSchema): a $ref stands alone (no type,
// no properties) and points into #/definitions; at most one type; arrays have exactly one items
// schema; primitives are string/number/integer/boolean. allOf is not understood there at all.
void CheckKubeOpenAPIShape(const json::object& s, const json::object& defs, const std::string& at,
                           int* refs) {
  CHECK_MESSAGE(!s.contains("allOf"), at);
  if (const auto* r = s.if_contains("$ref")) {
    ++*refs;
    CHECK_MESSAGE(!s.contains("type"), at);
    CHECK_MESSAGE(!s.contains("properties"), at);
    const std::string ref(r->as_string());
    const std::string prefix = "#/definitions/";
    REQUIRE_MESSAGE(ref.rfind(prefix, 0) == 0, at, " ", ref);
    CHECK_MESSAGE(defs.contains(ref.substr(prefix.size())), at, " ", ref);
    return;
  }
  std::string type;
  if (const auto* t = s.if_contains("type")) {
    REQUIRE_MESSAGE(t->as_array().size() == 1, at);
    type = std::string(t->as_array()[0].as_string());
  }
  if (const auto* props = s.if_contains("properties")) {
    CHECK_MESSAGE((type.empty() || type == "object"), at);
    for (const auto& kv : props->as_object()) {
      CheckKubeOpenAPIShape(kv.value().as_object(), defs, at + "." + std::string(kv.key()), refs);
    }
    return;
  }
  if (type == "object") {
    if (const auto* ap = s.if_contains("additionalProperties")) {
      if (const auto* sub = ap->as_object().if_contains("schema")) {
        CheckKubeOpenAPIShape(sub->as_object(), defs, at + "{}", refs);
      }
    }
    return;
  }
  if (type == "array") {
    const auto* items = s.if_contains("items");
    REQUIRE_MESSAGE(items, at);
    REQUIRE_MESSAGE(items->as_array().size() == 1, at);
    CheckKubeOpenAPIShape(items->as_array()[0].as_object(), defs, at + "[]", refs);
    return;
  }
  if (type.empty()) return;  // arbitrary value
  CHECK_MESSAGE((type == "string" || type == "number" || type == "integer" || type == "boolean"),
                at, " ", type);
}

// Walks every object in `v` and checks each "$ref" resolves to a definition.
void CheckRefsResolve(const json::value& v, const json::object& defs, int* refs) {
  if (const auto* o = v.if_object()) {
    if (const auto* r = o->if_contains("$ref")) {
      ++*refs;
      const std::string ref(r->as_string());
      REQUIRE(ref.rfind("#/definitions/", 0) == 0);
      CHECK_MESSAGE(defs.contains(ref.substr(14)), ref);
    }
    for (const auto& kv : *o) CheckRefsResolve(kv.value(), defs, refs);
  } else if (const auto* a = v.if_array()) {
    for (const auto& e : *a) CheckRefsResolve(e, defs, refs);
  }
}

std::string ItemPath(const api::ResourceInfo& ri) {
  return ri.PathPrefix() + (ri.namespaced ? "/namespaces/{namespace}/" : "/") + ri.plural +
         "/{name}";
}

}  // namespace

TEST_CASE("proto writer: tags, varints and lengths round-trip through WireReader") {
  internal::ProtoWriter inner;
  inner.String(1, "x");
  internal::ProtoWriter w;
  const std::string long_text(300, 'a');
  w.String(31, long_text);  // two-byte tag, two-byte length
  w.String(2, "");          // skipped
  w.String(3, "", /*keep_empty=*/true);
  w.Bool(4, false);  // skipped
  w.Bool(20, true);
  w.Message(5, inner);
  w.Message(6, internal::ProtoWriter());
  auto fields = Fields(w.bytes());
  REQUIRE(fields.size() == 5);
  CHECK(fields[0].num == 31);
  CHECK(fields[0].bytes == long_text);
  CHECK(fields[1].num == 3);
  CHECK(fields[1].bytes.empty());
  CHECK(fields[2].num == 20);
  CHECK(fields[2].type == WireType::kVarint);
  CHECK(fields[2].varint == 1);
  CHECK(fields[3].num == 5);
  CHECK(fields[3].bytes == inner.bytes());
  CHECK(fields[4].num == 6);
  CHECK(fields[4].bytes.empty());
  // Exact bytes of a small message: field 1 "hi" = 0a 02 68 69; field 16 bool = 80 01 01.
  internal::ProtoWriter exact;
  exact.String(1, "hi");
  exact.Bool(16, true);
  CHECK(exact.bytes() == std::string("\x0a\x02hi\x80\x01\x01", 7));
}

TEST_CASE("YAML helpers produce what kubectl's yaml decoding expects") {
  SUBCASE("quoted strings round-trip") {
    for (std::string s : {"", "apps", "a \"quoted\" \\ value", "line\nbreak\ttab", "x: y # z",
                          "- not a list", "true", "123"}) {
      YAML::Node n = YAML::Load(internal::YamlQuote(s));
      REQUIRE(n.IsScalar());
      CHECK(n.as<std::string>() == s);
    }
  }
  SUBCASE("operation GVK is a mapping, core group an empty string") {
    YAML::Node n = YAML::Load(internal::GvkYamlMap({"", "v1", "Pod"}));
    REQUIRE(n.IsMap());
    CHECK(n["group"].IsScalar());
    CHECK(n["group"].as<std::string>() == "");
    CHECK(n["kind"].as<std::string>() == "Pod");
    CHECK(n["version"].as<std::string>() == "v1");
  }
  SUBCASE("definition GVK is a list of mappings") {
    YAML::Node n = YAML::Load(
        internal::GvkYamlList({{"apps", "v1", "Deployment"}, {"", "v1", "DeleteOptions"}}));
    REQUIRE(n.IsSequence());
    REQUIRE(n.size() == 2);
    CHECK(n[0]["group"].as<std::string>() == "apps");
    CHECK(n[0]["kind"].as<std::string>() == "Deployment");
    CHECK(n[1]["group"].as<std::string>() == "");
    CHECK(n[1]["version"].as<std::string>() == "v1");
  }
}

TEST_CASE("v2 document: header, paths and operations") {
  const auto& doc = FullDoc();
  CHECK(doc.at("swagger") == "2.0");
  CHECK(doc.at("info").at("title") == "Kubernetes");
  CHECK(doc.at("info").at("version").as_string().starts_with("v1.32."));
  const auto& paths = doc.at("paths").as_object();

  const auto* item = paths.if_contains("/apis/apps/v1/namespaces/{namespace}/deployments/{name}");
  REQUIRE(item);
  for (const char* verb : {"get", "put", "patch", "delete"}) {
    REQUIRE_MESSAGE(item->as_object().contains(verb), verb);
    auto gvk = OpGvk(item->at(verb).as_object());
    CHECK(gvk["group"] == "apps");
    CHECK(gvk["version"] == "v1");
    CHECK(gvk["kind"] == "Deployment");
    YAML::Node action = YAML::Load(std::string(item->at(verb).at("x-kubernetes-action").as_string()));
    CHECK(action.as<std::string>() == verb);
  }
  CHECK_FALSE(item->as_object().contains("post"));
  const auto& patch = item->at("patch").as_object();
  const auto* fv = FindParam(patch, "fieldValidation", "query");
  REQUIRE(fv);
  CHECK(fv->at("type") == "string");
  CHECK(FindParam(patch, "fieldManager", "query"));
  CHECK(FindParam(patch, "force", "query"));
  const auto* body = FindParam(patch, "body", "body");
  REQUIRE(body);
  CHECK(body->at("required") == true);
  CHECK(body->at("schema").at("$ref") == "#/definitions/io.k8s.apimachinery.pkg.apis.meta.v1.Patch");
  std::set<std::string> consumes;
  for (const auto& c : patch.at("consumes").as_array()) consumes.insert(std::string(c.as_string()));
  CHECK(consumes.count("application/merge-patch+json"));
  CHECK(consumes.count("application/json-patch+json"));
  CHECK(consumes.count("application/apply-patch+yaml"));
  CHECK_FALSE(consumes.count("application/strategic-merge-patch+json"));
  CHECK(patch.at("operationId") == "patchAppsV1NamespacedDeployment");
  CHECK(patch.at("tags") == json::array{"apps_v1"});
  CHECK(FindParam(item->at("put").as_object(), "fieldValidation", "query"));
  CHECK(item->at("put").at("operationId") == "replaceAppsV1NamespacedDeployment");
  const auto& get_ok = item->at("get").at("responses").at("200").as_object();
  CHECK(get_ok.at("schema").at("$ref") == "#/definitions/io.k8s.api.apps.v1.Deployment");
  CHECK(item->at("get").at("responses").at("401").at("description") == "Unauthorized");
  CHECK(item->at("delete").at("responses").at("200").at("schema").at("$ref") ==
        "#/definitions/io.k8s.apimachinery.pkg.apis.meta.v1.Status");
  // Path-level parameters: name and namespace (required, in path) and pretty.
  const auto& path_params = item->at("parameters").as_array();
  REQUIRE(path_params.size() == 3);
  CHECK(path_params[0].at("name") == "name");
  CHECK(path_params[0].at("in") == "path");
  CHECK(path_params[0].at("required") == true);
  CHECK(path_params[1].at("name") == "namespace");
  CHECK(path_params[2].at("name") == "pretty");
  CHECK(path_params[2].at("in") == "query");

  const auto* coll = paths.if_contains("/apis/apps/v1/namespaces/{namespace}/deployments");
  REQUIRE(coll);
  CHECK(coll->as_object().contains("get"));
  CHECK(coll->as_object().contains("delete"));
  REQUIRE(coll->as_object().contains("post"));
  CHECK(FindParam(coll->at("post").as_object(), "fieldValidation", "query"));
  CHECK(coll->at("get").at("responses").at("200").at("schema").at("$ref") ==
        "#/definitions/io.k8s.api.apps.v1.DeploymentList");
  CHECK(FindParam(coll->at("get").as_object(), "labelSelector", "query"));
  CHECK(paths.contains("/apis/apps/v1/deployments"));
  CHECK(paths.contains("/apis/apps/v1/namespaces/{namespace}/deployments/{name}/status"));
  const auto* scale = paths.if_contains("/apis/apps/v1/namespaces/{namespace}/deployments/{name}/scale");
  REQUIRE(scale);
  CHECK(OpGvk(scale->at("patch").as_object())["kind"] == "Scale");
  CHECK(OpGvk(scale->at("patch").as_object())["group"] == "autoscaling");
  CHECK_FALSE(paths.contains("/apis/apps/v1/namespaces/{namespace}/daemonsets/{name}/scale"));
  // Cluster-scoped kinds have no namespace segment and no namespace parameter.
  const auto* node = paths.if_contains("/api/v1/nodes/{name}");
  REQUIRE(node);
  CHECK(node->at("parameters").as_array().size() == 2);
  CHECK(OpGvk(node->at("patch").as_object())["group"] == "");
  CHECK(paths.contains("/api/v1/namespaces/{name}"));
}

TEST_CASE("v2 definitions: kinds, GVK extension, references and kube-openapi shape") {
  const auto& doc = FullDoc();
  const auto& defs = doc.at("definitions").as_object();
  const auto* dep = defs.if_contains("io.k8s.api.apps.v1.Deployment");
  REQUIRE(dep);
  CHECK(!dep->at("description").as_string().empty());
  CHECK(dep->at("type") == json::array{"object"});
  const auto& props = dep->at("properties").as_object();
  for (const char* p : {"apiVersion", "kind", "metadata", "spec", "status"}) {
    CHECK_MESSAGE(props.contains(p), p);
  }
  CHECK(props.at("spec").at("$ref") == "#/definitions/io.k8s.api.apps.v1.DeploymentSpec");
  CHECK(props.at("metadata").at("$ref") ==
        "#/definitions/io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta");
  CHECK(props.at("apiVersion").at("type") == json::array{"string"});
  auto gvks = DefGvks(dep->as_object());
  REQUIRE(gvks.size() == 1);
  CHECK(gvks[0]["group"] == "apps");
  CHECK(gvks[0]["version"] == "v1");
  CHECK(gvks[0]["kind"] == "Deployment");

  auto pod_gvks = DefGvks(defs.at("io.k8s.api.core.v1.Pod").as_object());
  REQUIRE(pod_gvks.size() == 1);
  CHECK(pod_gvks[0]["group"] == "");
  CHECK(pod_gvks[0]["kind"] == "Pod");

  const auto& spec = defs.at("io.k8s.api.apps.v1.DeploymentSpec").as_object();
  CHECK(spec.at("required") == json::array{"selector", "template"});
  const auto& pod_spec = defs.at("io.k8s.api.core.v1.PodSpec").as_object();
  const auto& containers = pod_spec.at("properties").at("containers").as_object();
  CHECK(containers.at("type") == json::array{"array"});
  CHECK(containers.at("items").at(0).at("$ref") == "#/definitions/io.k8s.api.core.v1.Container");
  const auto& node_selector = pod_spec.at("properties").at("nodeSelector").as_object();
  CHECK(node_selector.at("type") == json::array{"object"});
  CHECK(node_selector.at("additionalProperties").at("schema").at("type") == json::array{"string"});
  const auto& ios = defs.at("io.k8s.apimachinery.pkg.util.intstr.IntOrString").as_object();
  CHECK(ios.at("type") == json::array{"string"});
  CHECK(ios.at("format") == "int-or-string");
  CHECK(defs.at("io.k8s.apimachinery.pkg.api.resource.Quantity").at("type") ==
        json::array{"string"});
  CHECK(defs.at("io.k8s.apimachinery.pkg.apis.meta.v1.Time").at("format") == "date-time");
  CHECK(defs.at("io.k8s.api.apps.v1.DeploymentStatus").at("x-kubernetes-preserve-unknown-fields") ==
        "true\n");

  const auto* list = defs.if_contains("io.k8s.api.apps.v1.DeploymentList");
  REQUIRE(list);
  CHECK(list->at("properties").at("items").at("items").at(0).at("$ref") ==
        "#/definitions/io.k8s.api.apps.v1.Deployment");
  CHECK(list->at("properties").at("metadata").at("$ref") ==
        "#/definitions/io.k8s.apimachinery.pkg.apis.meta.v1.ListMeta");
  CHECK(DefGvks(list->as_object()).at(0)["kind"] == "DeploymentList");

  // Every definition parses under kube-openapi's rules and every $ref (definitions and paths)
  // resolves.
  int refs = 0;
  for (const auto& kv : defs) {
    CheckKubeOpenAPIShape(kv.value().as_object(), defs, std::string(kv.key()), &refs);
  }
  CHECK(refs > 100);
  int path_refs = 0;
  CheckRefsResolve(doc.at("paths"), defs, &path_refs);
  CHECK(path_refs > 100);
}

TEST_CASE("every kind: GVK maps to its definition and its patch operations accept fieldValidation") {
  const auto& doc = FullDoc();
  const auto& defs = doc.at("definitions").as_object();
  const auto& paths = doc.at("paths").as_object();
  // kubectl's GVK -> model map, built like pkg/util/openapi.NewOpenAPIData.
  std::map<std::string, std::string> gvk_to_model;
  for (const auto& kv : defs) {
    for (auto& g : DefGvks(kv.value().as_object())) {
      gvk_to_model[g["group"] + "/" + g["version"] + "/" + g["kind"]] = std::string(kv.key());
    }
  }
  for (const auto& r : api::BuiltinResources()) {
    const std::string key = r.group + "/" + r.version + "/" + r.kind;
    CHECK_MESSAGE(gvk_to_model.count(key), key);
    CHECK_MESSAGE(gvk_to_model.count(key + "List"), key);
    const auto* item = paths.if_contains(ItemPath(r));
    REQUIRE_MESSAGE(item, ItemPath(r));
    REQUIRE(item->as_object().contains("patch"));
    // kubectl uses the first patch operation (in path order) whose GVK matches: all must carry
    // the parameter.
    int matching = 0;
    for (const auto& p : paths) {
      const auto* op = p.value().as_object().if_contains("patch");
      if (!op) continue;
      auto gvk = OpGvk(op->as_object());
      if (gvk["group"] == r.group && gvk["version"] == r.version && gvk["kind"] == r.kind) {
        ++matching;
        CHECK_MESSAGE(FindParam(op->as_object(), "fieldValidation", "query"), p.key());
      }
    }
    CHECK_MESSAGE(matching >= 1, key);
  }
}

TEST_CASE("only enabled resources appear; documents are cached and stable") {
  std::vector<const api::ResourceInfo*> pods_only = {api::FindKind("", "v1", "Pod")};
  const std::string bytes = V2DocumentProto(pods_only);
  CHECK(bytes == V2DocumentProto(pods_only));
  CHECK(bytes != V2DocumentProto(AllResources()));
  auto doc = DecodeDocument(bytes);
  const auto& paths = doc.at("paths").as_object();
  const auto& defs = doc.at("definitions").as_object();
  CHECK(paths.contains("/api/v1/namespaces/{namespace}/pods/{name}"));
  CHECK(paths.contains("/api/v1/pods"));
  CHECK(defs.contains("io.k8s.api.core.v1.Pod"));
  CHECK(defs.contains("io.k8s.api.core.v1.PodList"));
  CHECK_FALSE(defs.contains("io.k8s.api.apps.v1.Deployment"));
  CHECK_FALSE(defs.contains("io.k8s.api.core.v1.ServiceList"));
  for (const auto& kv : paths) {
    CHECK_MESSAGE(kv.key().starts_with("/api/v1/"), kv.key());
    CHECK_MESSAGE(kv.key().find("services") == std::string_view::npos, kv.key());
  }
  int refs = 0;
  for (const auto& kv : defs) {
    CheckKubeOpenAPIShape(kv.value().as_object(), defs, std::string(kv.key()), &refs);
  }
  CheckRefsResolve(doc.at("paths"), defs, &refs);

  // Nothing enabled: a valid, empty document.
  auto empty = DecodeDocument(V2DocumentProto({}));
  CHECK(empty.at("swagger") == "2.0");
  CHECK(empty.at("paths").as_object().empty());
}

TEST_CASE("v2 documents are safe to build concurrently") {
  // A resource subset no other test uses, so the cache starts cold here.
  std::vector<const api::ResourceInfo*> subset = {api::FindKind("batch", "v1", "Job")};
  std::vector<std::string> bodies(4);
  std::vector<std::thread> threads;
  for (size_t i = 0; i < bodies.size(); ++i) {
    threads.emplace_back([&, i] { bodies[i] = V2DocumentProto(subset); });
  }
  for (auto& t : threads) t.join();
  for (const auto& b : bodies) {
    CHECK(!b.empty());
    CHECK(b == bodies[0]);
  }
  auto doc = DecodeDocument(bodies[0]);
  CHECK(doc.at("paths").as_object().contains("/apis/batch/v1/namespaces/{namespace}/jobs/{name}"));
  CHECK_FALSE(
      doc.at("paths").as_object().contains("/apis/batch/v1/namespaces/{namespace}/cronjobs/{name}"));
}

}  // namespace kc::openapi
