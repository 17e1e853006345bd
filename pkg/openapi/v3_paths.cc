#include "pkg/openapi/v3_paths.h"

#include <boost/json/array.hpp>

#include "pkg/openapi/schema_json.h"

namespace kc::openapi::internal {
namespace {

namespace json = boost::json;

json::object Param(const ParamSpec& s) {
  json::object p;
  p["name"] = s.name;
  p["in"] = s.in;
  p["description"] = s.description;
  if (s.required) p["required"] = true;
  p["schema"] = json::object{{"type", s.type}, {"uniqueItems", true}};
  return p;
}

json::array Params(const std::vector<ParamSpec>& specs) {
  json::array a;
  for (const ParamSpec& s : specs) a.emplace_back(Param(s));
  return a;
}

json::object Response(const ResponseSpec& s) {
  json::object r;
  r["description"] = s.description;
  if (!s.schema.empty()) {
    json::object media{{"schema", json::object{{"$ref", SchemaRef(s.schema)}}}};
    r["content"] = json::object{{"application/json", media}, {"application/yaml", media}};
  }
  return r;
}

// Patch bodies: JSON patch, merge patch and apply. Strategic merge patch is deliberately not
// advertised: kubectl would then try to build SMP metadata from these schemas (which carry no
// patch strategies) instead of using its compiled-in types.
json::object RequestBody(const OperationSpec& op) {
  json::object media{{"schema", json::object{{"$ref", SchemaRef(op.body_schema)}}}};
  json::object body;
  if (op.is_patch) {
    body["content"] = json::object{{"application/json-patch+json", media},
                                   {"application/merge-patch+json", media},
                                   {"application/apply-patch+yaml", media}};
  } else {
    body["content"] = json::object{{"*/*", media}};
  }
  body["required"] = true;
  return body;
}

json::object GvkObject(const Gvk& g) {
  return json::object{{"group", g.group}, {"kind", g.kind}, {"version", g.version}};
}

json::object Operation(const OperationSpec& op) {
  json::object o;
  o["tags"] = json::array{json::value(op.tag)};
  o["description"] = op.description;
  o["operationId"] = op.operation_id;
  if (!op.params.empty()) o["parameters"] = Params(op.params);
  if (!op.body_schema.empty()) o["requestBody"] = RequestBody(op);
  json::object responses;
  for (const ResponseSpec& r : op.responses) responses[r.code] = Response(r);
  o["responses"] = std::move(responses);
  o["x-kubernetes-action"] = op.action;
  o["x-kubernetes-group-version-kind"] = GvkObject(op.gvk);
  return o;
}

}  // namespace

void AddResourcePaths(const api::ResourceInfo& ri, const std::string& kind_schema,
                      json::object* paths) {
  for (const PathSpec& p : ResourcePaths(ri, kind_schema)) {
    json::object item;
    for (const OperationSpec& op : p.operations) item[op.method] = Operation(op);
    item["parameters"] = Params(p.params);
    (*paths)[p.path] = std::move(item);
  }
}

}  // namespace kc::openapi::internal
