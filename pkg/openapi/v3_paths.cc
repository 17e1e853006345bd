#include "pkg/openapi/v3_paths.h"

#include <boost/json/array.hpp>

#include <cctype>

#include "pkg/openapi/schema_json.h"

namespace kc::openapi::internal {
namespace {

namespace json = boost::json;

constexpr const char* kStatus = "io.k8s.apimachinery.pkg.apis.meta.v1.Status";
constexpr const char* kDeleteOptions = "io.k8s.apimachinery.pkg.apis.meta.v1.DeleteOptions";
constexpr const char* kPatch = "io.k8s.apimachinery.pkg.apis.meta.v1.Patch";
constexpr const char* kScale = "io.k8s.api.autoscaling.v1.Scale";

json::object Param(const char* name, const char* in, const char* type, const std::string& desc,
                   bool required = false) {
  json::object p;
  p["name"] = name;
  p["in"] = in;
  p["description"] = desc;
  if (required) p["required"] = true;
  p["schema"] = json::object{{"type", type}, {"uniqueItems", true}};
  return p;
}

json::object DryRun() {
  return Param("dryRun", "query", "string",
               "When present, the request is validated but not persisted. The only valid value "
               "is All.");
}
json::object FieldManager() {
  return Param("fieldManager", "query", "string",
               "Name of the actor making the change, recorded in managedFields.");
}
// Its presence on PATCH operations is what makes kubectl leave validation to the server.
json::object FieldValidation() {
  return Param("fieldValidation", "query", "string",
               "How unknown and duplicate fields in the request body are handled: Ignore drops "
               "them, Warn drops them and returns a warning per field, Strict fails the request "
               "(the default for kubectl).");
}

json::object Response(const std::string& description, const std::string& schema) {
  json::object r;
  r["description"] = description;
  json::object media{{"schema", json::object{{"$ref", SchemaRef(schema)}}}};
  r["content"] = json::object{{"application/json", media}, {"application/yaml", media}};
  return r;
}

json::object BodyOf(const std::string& schema) {
  json::object body;
  body["content"] = json::object{
      {"*/*", json::object{{"schema", json::object{{"$ref", SchemaRef(schema)}}}}}};
  body["required"] = true;
  return body;
}

// Patch bodies: JSON patch, merge patch and apply. Strategic merge patch is deliberately not
// advertised: kubectl would then try to build SMP metadata from these schemas (which carry no
// patch strategies) instead of using its compiled-in types.
json::object PatchBody() {
  json::object media{{"schema", json::object{{"$ref", SchemaRef(kPatch)}}}};
  json::object body;
  body["content"] = json::object{{"application/json-patch+json", media},
                                 {"application/merge-patch+json", media},
                                 {"application/apply-patch+yaml", media}};
  body["required"] = true;
  return body;
}

json::array ListParams() {
  return json::array{
      Param("allowWatchBookmarks", "query", "boolean", "Request BOOKMARK events in a watch."),
      Param("continue", "query", "string", "Continue token from a previous paginated list."),
      Param("fieldSelector", "query", "string", "Restrict the list by object fields."),
      Param("labelSelector", "query", "string", "Restrict the list by labels."),
      Param("limit", "query", "integer", "Maximum number of items to return."),
      Param("resourceVersion", "query", "string", "Resource version to read at or watch from."),
      Param("resourceVersionMatch", "query", "string", "How resourceVersion is applied."),
      Param("sendInitialEvents", "query", "boolean", "Start a watch with the current state."),
      Param("timeoutSeconds", "query", "integer", "Timeout of the list or watch call."),
      Param("watch", "query", "boolean", "Watch for changes instead of listing."),
  };
}

json::array DeleteParams() {
  return json::array{
      DryRun(),
      Param("gracePeriodSeconds", "query", "integer", "Seconds before the object is deleted."),
      Param("ignoreStoreReadErrorWithClusterBreakingPotential", "query", "boolean",
            "Delete even if the stored object cannot be decoded."),
      Param("orphanDependents", "query", "boolean", "Deprecated: use propagationPolicy."),
      Param("propagationPolicy", "query", "string",
            "Whether and how garbage collection is performed: Orphan, Background, Foreground."),
  };
}

// "rbac.authorization.k8s.io" -> {"Rbac", "Authorization"}; "" -> {"Core"}.
std::vector<std::string> GroupWords(const std::string& group) {
  std::string g = group;
  const std::string suffix = ".k8s.io";
  if (g.size() > suffix.size() && g.compare(g.size() - suffix.size(), suffix.size(), suffix) == 0) {
    g.resize(g.size() - suffix.size());
  }
  if (g.empty()) return {"Core"};
  std::vector<std::string> words;
  size_t start = 0;
  while (start <= g.size()) {
    size_t dot = g.find('.', start);
    std::string w = g.substr(start, dot == std::string::npos ? std::string::npos : dot - start);
    if (!w.empty()) {
      w[0] = static_cast<char>(std::toupper(static_cast<unsigned char>(w[0])));
      words.push_back(w);
    }
    if (dot == std::string::npos) break;
    start = dot + 1;
  }
  return words;
}

}  // namespace

OperationNaming NamingFor(const api::ResourceInfo& ri) {
  OperationNaming n;
  std::string version = ri.version;
  version[0] = static_cast<char>(std::toupper(static_cast<unsigned char>(version[0])));
  std::string tag_group;
  for (const auto& w : GroupWords(ri.group)) {
    n.id_infix += w;
    tag_group += tag_group.empty() ? std::string(1, static_cast<char>(std::tolower(w[0]))) + w.substr(1) : w;
  }
  n.id_infix += version;
  n.tag = tag_group + "_" + ri.version;
  return n;
}

namespace {

json::object GvkObject(const Gvk& g) {
  return json::object{{"group", g.group}, {"kind", g.kind}, {"version", g.version}};
}

}  // namespace

void AddResourcePaths(const api::ResourceInfo& ri, const std::string& kind_schema,
                      json::object* paths) {
  const OperationNaming n = NamingFor(ri);
  const Gvk gvk{ri.group, ri.version, ri.kind};
  const std::string list_schema = kind_schema + "List";
  const std::string scope = ri.namespaced ? "Namespaced" : "";
  const std::string base = ri.PathPrefix();
  const std::string collection =
      ri.namespaced ? base + "/namespaces/{namespace}/" + ri.plural : base + "/" + ri.plural;
  const std::string item = collection + "/{name}";

  auto op = [&](const std::string& action, const std::string& verb, const std::string& suffix,
                const std::string& desc, json::array params, const Gvk& op_gvk) {
    json::object o;
    o["tags"] = json::array{json::value(n.tag)};
    o["description"] = desc;
    o["operationId"] = verb + n.id_infix + suffix;
    if (!params.empty()) o["parameters"] = std::move(params);
    o["x-kubernetes-action"] = action;
    o["x-kubernetes-group-version-kind"] = GvkObject(op_gvk);
    return o;
  };
  auto path_params = [&](bool with_name, const std::string& what) {
    json::array p;
    if (with_name) p.emplace_back(Param("name", "path", "string", "name of the " + what, true));
    if (ri.namespaced) {
      p.emplace_back(Param("namespace", "path", "string",
                           "object name and auth scope, such as for teams and projects", true));
    }
    p.emplace_back(Param("pretty", "query", "string", "If 'true', the output is pretty printed."));
    return p;
  };
  const json::object unauthorized{{"description", "Unauthorized"}};

  // Collection: list, create, delete collection.
  {
    json::object item_path;
    json::object get = op("list", "list", scope + ri.kind, "list or watch objects of kind " + ri.kind,
                          ListParams(), gvk);
    get["responses"] = json::object{{"200", Response("OK", list_schema)}, {"401", unauthorized}};
    json::object post = op("post", "create", scope + ri.kind, "create a " + ri.kind,
                           json::array{DryRun(), FieldManager(), FieldValidation()}, gvk);
    post["requestBody"] = BodyOf(kind_schema);
    post["responses"] = json::object{{"200", Response("OK", kind_schema)},
                                     {"201", Response("Created", kind_schema)},
                                     {"202", Response("Accepted", kind_schema)},
                                     {"401", unauthorized}};
    json::array dc_params = ListParams();
    for (auto& p : DeleteParams()) dc_params.emplace_back(std::move(p));
    json::object del = op("deletecollection", "deleteCollection", scope + ri.kind,
                          "delete collection of " + ri.kind, std::move(dc_params), gvk);
    del["requestBody"] = BodyOf(kDeleteOptions);
    del["responses"] = json::object{{"200", Response("OK", kStatus)}, {"401", unauthorized}};
    item_path["get"] = std::move(get);
    item_path["post"] = std::move(post);
    item_path["delete"] = std::move(del);
    item_path["parameters"] = path_params(false, ri.kind);
    (*paths)[collection] = std::move(item_path);
  }
  // Item: read, replace, patch, delete.
  auto item_ops = [&](const std::string& path, const std::string& suffix, const Gvk& op_gvk,
                      const std::string& schema, bool with_delete) {
    json::object p;
    const std::string what = suffix.empty() ? ri.kind : ri.kind + " " + suffix;
    json::object get = op("get", "read", scope + ri.kind + suffix, "read the specified " + what,
                          json::array{}, op_gvk);
    get["responses"] = json::object{{"200", Response("OK", schema)}, {"401", unauthorized}};
    json::object put = op("put", "replace", scope + ri.kind + suffix,
                          "replace the specified " + what,
                          json::array{DryRun(), FieldManager(), FieldValidation()}, op_gvk);
    put["requestBody"] = BodyOf(schema);
    put["responses"] = json::object{{"200", Response("OK", schema)},
                                    {"201", Response("Created", schema)},
                                    {"401", unauthorized}};
    json::array patch_params{DryRun(), FieldManager(), FieldValidation(),
                             Param("force", "query", "boolean",
                                   "Force apply requests to take ownership of conflicting fields.")};
    json::object patch = op("patch", "patch", scope + ri.kind + suffix,
                            "partially update the specified " + what, std::move(patch_params),
                            op_gvk);
    patch["requestBody"] = PatchBody();
    patch["responses"] = json::object{{"200", Response("OK", schema)},
                                      {"201", Response("Created", schema)},
                                      {"401", unauthorized}};
    p["get"] = std::move(get);
    p["put"] = std::move(put);
    p["patch"] = std::move(patch);
    if (with_delete) {
      json::object del = op("delete", "delete", scope + ri.kind, "delete a " + ri.kind,
                            DeleteParams(), op_gvk);
      del["requestBody"] = BodyOf(kDeleteOptions);
      del["responses"] = json::object{{"200", Response("OK", kStatus)},
                                      {"202", Response("Accepted", kStatus)},
                                      {"401", unauthorized}};
      p["delete"] = std::move(del);
    }
    p["parameters"] = path_params(true, what);
    (*paths)[path] = std::move(p);
  };
  item_ops(item, "", gvk, kind_schema, true);
  if (ri.has_status) item_ops(item + "/status", "Status", gvk, kind_schema, false);
  if (ri.has_scale) item_ops(item + "/scale", "Scale", Gvk{"autoscaling", "v1", "Scale"}, kScale, false);

  // List across all namespaces.
  if (ri.namespaced) {
    json::object all;
    json::object get = op("list", "list", ri.kind + "ForAllNamespaces",
                          "list or watch objects of kind " + ri.kind, ListParams(), gvk);
    get["responses"] = json::object{{"200", Response("OK", list_schema)}, {"401", unauthorized}};
    all["get"] = std::move(get);
    all["parameters"] = json::array{
        Param("pretty", "query", "string", "If 'true', the output is pretty printed.")};
    (*paths)[base + "/" + ri.plural] = std::move(all);
  }
}

std::vector<std::string> SharedSchemaRoots(const api::ResourceInfo& ri) {
  std::vector<std::string> roots = {kStatus, kDeleteOptions, kPatch};
  if (ri.has_scale) roots.emplace_back(kScale);
  return roots;
}

}  // namespace kc::openapi::internal
