#include "pkg/openapi/v2_paths.h"

#include <utility>
#include <vector>

#include "pkg/openapi/operations.h"
#include "pkg/openapi/schema_registry.h"
#include "pkg/openapi/v2_fields.h"
#include "pkg/openapi/v2_schema.h"

namespace kc::openapi::internal {
namespace {

namespace f = v2;

// ParametersItem{parameter: Parameter{non_body_parameter: NonBodyParameter{<which>: sub}}}
ProtoWriter NonBody(uint32_t which, const ProtoWriter& sub) {
  ProtoWriter non_body;
  non_body.Message(which, sub);
  ProtoWriter param;
  param.Message(f::parameter::kNonBodyParameter, non_body);
  ProtoWriter item;
  item.Message(f::parameters_item::kParameter, param);
  return item;
}

ProtoWriter Query(const char* name, const char* type, const std::string& desc) {
  namespace q = f::query_parameter;
  ProtoWriter w;
  w.String(q::kIn, "query");
  w.String(q::kDescription, desc);
  w.String(q::kName, name);
  w.String(q::kType, type);
  w.Bool(q::kUniqueItems, true);
  return NonBody(f::non_body_parameter::kQuery, w);
}

ProtoWriter PathParam(const std::string& name, const std::string& desc) {
  namespace p = f::path_parameter;
  ProtoWriter w;
  w.Bool(p::kRequired, true);
  w.String(p::kIn, "path");
  w.String(p::kDescription, desc);
  w.String(p::kName, name);
  w.String(p::kType, "string");
  w.Bool(p::kUniqueItems, true);
  return NonBody(f::non_body_parameter::kPath, w);
}

ProtoWriter Body(const std::string& schema, bool required) {
  namespace b = f::body_parameter;
  ProtoWriter w;
  w.String(b::kName, "body");
  w.String(b::kIn, "body");
  w.Bool(b::kRequired, required);
  w.Message(b::kSchema, V2RefSchema(schema));
  ProtoWriter param;
  param.Message(f::parameter::kBodyParameter, w);
  ProtoWriter item;
  item.Message(f::parameters_item::kParameter, param);
  return item;
}

// A query or path parameter as a ParametersItem.
ProtoWriter Parameter(const ParamSpec& p) {
  return p.in == "path" ? PathParam(p.name, p.description)
                        : Query(p.name.c_str(), p.type.c_str(), p.description);
}

const std::vector<std::string>& Produces() {
  static const auto* v = new std::vector<std::string>{
      "application/json", "application/yaml", "application/vnd.kubernetes.protobuf"};
  return *v;
}
const std::vector<std::string>& ListProduces() {
  static const auto* v = new std::vector<std::string>{
      "application/json",
      "application/yaml",
      "application/vnd.kubernetes.protobuf",
      "application/json;stream=watch",
      "application/vnd.kubernetes.protobuf;stream=watch"};
  return *v;
}
const std::vector<std::string>& AnyConsumes() {
  static const auto* v = new std::vector<std::string>{"*/*"};
  return *v;
}
// No application/strategic-merge-patch+json: see v2_paths.h.
const std::vector<std::string>& PatchConsumes() {
  static const auto* v = new std::vector<std::string>{
      "application/json-patch+json", "application/merge-patch+json",
      "application/apply-patch+yaml"};
  return *v;
}

// One openapi_v2.Operation.
ProtoWriter EncodeOperation(const OperationSpec& op) {
  namespace o = f::operation;
  ProtoWriter w;
  w.String(o::kTags, op.tag, /*keep_empty=*/true);
  w.String(o::kDescription, op.description);
  w.String(o::kOperationId, op.operation_id);
  for (const auto& p : op.is_list ? ListProduces() : Produces()) w.String(o::kProduces, p, true);
  for (const auto& c : op.is_patch ? PatchConsumes() : AnyConsumes()) {
    w.String(o::kConsumes, c, true);
  }
  if (!op.body_schema.empty()) w.Message(o::kParameters, Body(op.body_schema, op.body_required));
  for (const ParamSpec& p : op.params) w.Message(o::kParameters, Parameter(p));
  ProtoWriter rs;
  for (const ResponseSpec& r : op.responses) {
    ProtoWriter resp;
    resp.String(f::response::kDescription, r.description);
    if (!r.schema.empty()) {
      ProtoWriter item;
      item.Message(f::schema_item::kSchema, V2RefSchema(r.schema));
      resp.Message(f::response::kSchema, item);
    }
    ProtoWriter value;
    value.Message(f::response_value::kResponse, resp);
    ProtoWriter named;
    named.String(f::named::kName, r.code);
    named.Message(f::named::kValue, value);
    rs.Message(f::responses::kResponseCode, named);
  }
  w.Message(o::kResponses, rs);
  w.String(o::kSchemes, "https", true);
  w.Message(o::kVendorExtension, NamedAnyYaml("x-kubernetes-action", YamlQuote(op.action) + "\n"));
  w.Message(o::kVendorExtension,
            NamedAnyYaml("x-kubernetes-group-version-kind", GvkYamlMap(op.gvk)));
  return w;
}

uint32_t PathItemField(const std::string& method) {
  namespace pi = f::path_item;
  if (method == "get") return pi::kGet;
  if (method == "put") return pi::kPut;
  if (method == "post") return pi::kPost;
  if (method == "delete") return pi::kDelete;
  return pi::kPatch;
}

}  // namespace

void AddV2ResourcePaths(const api::ResourceInfo& ri, const std::string& kind_schema,
                        std::map<std::string, ProtoWriter>* paths) {
  for (const PathSpec& p : ResourcePaths(ri, kind_schema)) {
    ProtoWriter item;
    for (const OperationSpec& op : p.operations) {
      item.Message(PathItemField(op.method), EncodeOperation(op));
    }
    for (const ParamSpec& param : p.params) item.Message(f::path_item::kParameters, Parameter(param));
    (*paths)[p.path] = std::move(item);
  }
}

}  // namespace kc::openapi::internal
