#include "pkg/openapi/v2_paths.h"

#include <utility>
#include <vector>

#include "pkg/openapi/schema_registry.h"
#include "pkg/openapi/v2_fields.h"
#include "pkg/openapi/v2_schema.h"
#include "pkg/openapi/v3_paths.h"

namespace kc::openapi::internal {
namespace {

namespace f = v2;

constexpr const char* kStatus = "io.k8s.apimachinery.pkg.apis.meta.v1.Status";
constexpr const char* kDeleteOptions = "io.k8s.apimachinery.pkg.apis.meta.v1.DeleteOptions";
constexpr const char* kPatch = "io.k8s.apimachinery.pkg.apis.meta.v1.Patch";
constexpr const char* kScale = "io.k8s.api.autoscaling.v1.Scale";

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

ProtoWriter PathParam(const char* name, const std::string& desc) {
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

ProtoWriter DryRun() {
  return Query("dryRun", "string",
               "When present, the request is validated but not persisted. The only valid value "
               "is All.");
}
ProtoWriter FieldManager() {
  return Query("fieldManager", "string",
               "Name of the actor making the change, recorded in managedFields.");
}
// Its presence on PATCH operations is what makes kubectl leave validation to the server.
ProtoWriter FieldValidation() {
  return Query("fieldValidation", "string",
               "How unknown and duplicate fields in the request body are handled: Ignore drops "
               "them, Warn drops them and returns a warning per field, Strict fails the request "
               "(the default for kubectl).");
}
ProtoWriter Pretty() {
  return Query("pretty", "string", "If 'true', the output is pretty printed.");
}

std::vector<ProtoWriter> ListParams() {
  return {
      Query("allowWatchBookmarks", "boolean", "Request BOOKMARK events in a watch."),
      Query("continue", "string", "Continue token from a previous paginated list."),
      Query("fieldSelector", "string", "Restrict the list by object fields."),
      Query("labelSelector", "string", "Restrict the list by labels."),
      Query("limit", "integer", "Maximum number of items to return."),
      Query("resourceVersion", "string", "Resource version to read at or watch from."),
      Query("resourceVersionMatch", "string", "How resourceVersion is applied."),
      Query("sendInitialEvents", "boolean", "Start a watch with the current state."),
      Query("timeoutSeconds", "integer", "Timeout of the list or watch call."),
      Query("watch", "boolean", "Watch for changes instead of listing."),
  };
}

std::vector<ProtoWriter> DeleteParams() {
  return {
      DryRun(),
      Query("gracePeriodSeconds", "integer", "Seconds before the object is deleted."),
      Query("ignoreStoreReadErrorWithClusterBreakingPotential", "boolean",
            "Delete even if the stored object cannot be decoded."),
      Query("orphanDependents", "boolean", "Deprecated: use propagationPolicy."),
      Query("propagationPolicy", "string",
            "Whether and how garbage collection is performed: Orphan, Background, Foreground."),
  };
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

struct ResponseSpec {
  std::string code;
  std::string description;
  std::string schema;  // empty: no body
};

// One openapi_v2.Operation.
struct Op {
  std::string tag;
  std::string description;
  std::string operation_id;
  const std::vector<std::string>* produces = nullptr;
  const std::vector<std::string>* consumes = nullptr;
  std::vector<ProtoWriter> params;  // ParametersItem messages
  std::vector<ResponseSpec> responses;
  std::string action;
  Gvk gvk;

  ProtoWriter Encode() const {
    namespace o = f::operation;
    ProtoWriter w;
    w.String(o::kTags, tag, /*keep_empty=*/true);
    w.String(o::kDescription, description);
    w.String(o::kOperationId, operation_id);
    if (produces) {
      for (const auto& p : *produces) w.String(o::kProduces, p, true);
    }
    if (consumes) {
      for (const auto& c : *consumes) w.String(o::kConsumes, c, true);
    }
    for (const auto& p : params) w.Message(o::kParameters, p);
    ProtoWriter rs;
    for (const auto& r : responses) {
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
    w.Message(o::kVendorExtension, NamedAnyYaml("x-kubernetes-action", YamlQuote(action) + "\n"));
    w.Message(o::kVendorExtension, NamedAnyYaml("x-kubernetes-group-version-kind", GvkYamlMap(gvk)));
    return w;
  }
};

std::vector<ProtoWriter> Concat(std::vector<ProtoWriter> a, std::vector<ProtoWriter> b) {
  for (auto& x : b) a.push_back(std::move(x));
  return a;
}

}  // namespace

void AddV2ResourcePaths(const api::ResourceInfo& ri, const std::string& kind_schema,
                        std::map<std::string, ProtoWriter>* paths) {
  namespace pi = f::path_item;
  const OperationNaming n = NamingFor(ri);
  const Gvk gvk{ri.group, ri.version, ri.kind};
  const std::string list_schema = kind_schema + "List";
  const std::string scope = ri.namespaced ? "Namespaced" : "";
  const std::string base = ri.PathPrefix();
  const std::string collection =
      ri.namespaced ? base + "/namespaces/{namespace}/" + ri.plural : base + "/" + ri.plural;
  const std::string item = collection + "/{name}";

  auto op = [&](const std::string& action, const std::string& verb, const std::string& suffix,
                const std::string& desc, std::vector<ProtoWriter> params, const Gvk& op_gvk) {
    Op o;
    o.tag = n.tag;
    o.description = desc;
    o.operation_id = verb + n.id_infix + suffix;
    o.produces = &Produces();
    o.consumes = &AnyConsumes();
    o.params = std::move(params);
    o.action = action;
    o.gvk = op_gvk;
    return o;
  };
  auto path_params = [&](bool with_name, const std::string& what, ProtoWriter* path_item) {
    if (with_name) path_item->Message(pi::kParameters, PathParam("name", "name of the " + what));
    if (ri.namespaced) {
      path_item->Message(pi::kParameters,
                         PathParam("namespace",
                                   "object name and auth scope, such as for teams and projects"));
    }
    path_item->Message(pi::kParameters, Pretty());
  };
  const ResponseSpec unauthorized{"401", "Unauthorized", ""};

  // Collection: list, create, delete collection.
  {
    Op get = op("list", "list", scope + ri.kind, "list or watch objects of kind " + ri.kind,
                ListParams(), gvk);
    get.produces = &ListProduces();
    get.responses = {{"200", "OK", list_schema}, unauthorized};
    std::vector<ProtoWriter> create_params;
    create_params.push_back(Body(kind_schema, true));
    create_params.push_back(DryRun());
    create_params.push_back(FieldManager());
    create_params.push_back(FieldValidation());
    Op post = op("post", "create", scope + ri.kind, "create a " + ri.kind,
                 std::move(create_params), gvk);
    post.responses = {{"200", "OK", kind_schema},
                      {"201", "Created", kind_schema},
                      {"202", "Accepted", kind_schema},
                      unauthorized};
    std::vector<ProtoWriter> dc_params;
    dc_params.push_back(Body(kDeleteOptions, false));
    Op del = op("deletecollection", "deleteCollection", scope + ri.kind,
                "delete collection of " + ri.kind,
                Concat(std::move(dc_params), Concat(ListParams(), DeleteParams())), gvk);
    del.responses = {{"200", "OK", kStatus}, unauthorized};
    ProtoWriter p;
    p.Message(pi::kGet, get.Encode());
    p.Message(pi::kPost, post.Encode());
    p.Message(pi::kDelete, del.Encode());
    path_params(false, ri.kind, &p);
    (*paths)[collection] = std::move(p);
  }
  // Item: read, replace, patch, delete.
  auto item_ops = [&](const std::string& path, const std::string& suffix, const Gvk& op_gvk,
                      const std::string& schema, bool with_delete) {
    const std::string what = suffix.empty() ? ri.kind : ri.kind + " " + suffix;
    Op get = op("get", "read", scope + ri.kind + suffix, "read the specified " + what, {}, op_gvk);
    get.responses = {{"200", "OK", schema}, unauthorized};
    std::vector<ProtoWriter> put_params;
    put_params.push_back(Body(schema, true));
    put_params.push_back(DryRun());
    put_params.push_back(FieldManager());
    put_params.push_back(FieldValidation());
    Op put = op("put", "replace", scope + ri.kind + suffix, "replace the specified " + what,
                std::move(put_params), op_gvk);
    put.responses = {{"200", "OK", schema}, {"201", "Created", schema}, unauthorized};
    std::vector<ProtoWriter> patch_params;
    patch_params.push_back(Body(kPatch, true));
    patch_params.push_back(DryRun());
    patch_params.push_back(FieldManager());
    patch_params.push_back(FieldValidation());
    patch_params.push_back(
        Query("force", "boolean", "Force apply requests to take ownership of conflicting fields."));
    Op patch = op("patch", "patch", scope + ri.kind + suffix,
                  "partially update the specified " + what, std::move(patch_params), op_gvk);
    patch.consumes = &PatchConsumes();
    patch.responses = {{"200", "OK", schema}, {"201", "Created", schema}, unauthorized};
    ProtoWriter p;
    p.Message(pi::kGet, get.Encode());
    p.Message(pi::kPut, put.Encode());
    if (with_delete) {
      std::vector<ProtoWriter> del_params;
      del_params.push_back(Body(kDeleteOptions, false));
      Op del = op("delete", "delete", scope + ri.kind, "delete a " + ri.kind,
                  Concat(std::move(del_params), DeleteParams()), op_gvk);
      del.responses = {{"200", "OK", kStatus}, {"202", "Accepted", kStatus}, unauthorized};
      p.Message(pi::kDelete, del.Encode());
    }
    p.Message(pi::kPatch, patch.Encode());
    path_params(true, what, &p);
    (*paths)[path] = std::move(p);
  };
  item_ops(item, "", gvk, kind_schema, true);
  if (ri.has_status) item_ops(item + "/status", "Status", gvk, kind_schema, false);
  if (ri.has_scale) {
    item_ops(item + "/scale", "Scale", Gvk{"autoscaling", "v1", "Scale"}, kScale, false);
  }

  // List across all namespaces.
  if (ri.namespaced) {
    Op get = op("list", "list", ri.kind + "ForAllNamespaces",
                "list or watch objects of kind " + ri.kind, ListParams(), gvk);
    get.produces = &ListProduces();
    get.responses = {{"200", "OK", list_schema}, unauthorized};
    ProtoWriter p;
    p.Message(pi::kGet, get.Encode());
    p.Message(pi::kParameters, Pretty());
    (*paths)[base + "/" + ri.plural] = std::move(p);
  }
}

}  // namespace kc::openapi::internal
