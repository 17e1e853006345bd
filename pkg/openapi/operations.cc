#include "pkg/openapi/operations.h"

#include <cctype>
#include <utility>

namespace kc::openapi::internal {
namespace {

ParamSpec Query(const char* name, const char* type, const std::string& desc) {
  return ParamSpec{name, "query", type, desc, false};
}

ParamSpec DryRun() {
  return Query("dryRun", "string",
               "When present, the request is validated but not persisted. The only valid value "
               "is All.");
}
ParamSpec FieldManager() {
  return Query("fieldManager", "string",
               "Name of the actor making the change, recorded in managedFields.");
}
ParamSpec FieldValidation() {
  return Query("fieldValidation", "string",
               "How unknown and duplicate fields in the request body are handled: Ignore drops "
               "them, Warn drops them and returns a warning per field, Strict fails the request "
               "(the default for kubectl).");
}
ParamSpec Pretty() { return Query("pretty", "string", "If 'true', the output is pretty printed."); }

std::vector<ParamSpec> ListParams() {
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

std::vector<ParamSpec> DeleteParams() {
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

std::vector<ParamSpec> WriteParams() { return {DryRun(), FieldManager(), FieldValidation()}; }

std::vector<ParamSpec> Concat(std::vector<ParamSpec> a, const std::vector<ParamSpec>& b) {
  a.insert(a.end(), b.begin(), b.end());
  return a;
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

std::vector<std::string> SharedSchemaRoots(const api::ResourceInfo& ri) {
  std::vector<std::string> roots = {kStatusSchema, kDeleteOptionsSchema, kPatchSchema};
  if (ri.has_scale) roots.emplace_back(kScaleSchema);
  return roots;
}

std::vector<PathSpec> ResourcePaths(const api::ResourceInfo& ri, const std::string& kind_schema) {
  const OperationNaming n = NamingFor(ri);
  const Gvk gvk{ri.group, ri.version, ri.kind};
  const std::string list_schema = kind_schema + "List";
  const std::string scope = ri.namespaced ? "Namespaced" : "";
  const std::string base = ri.PathPrefix();
  const std::string collection =
      ri.namespaced ? base + "/namespaces/{namespace}/" + ri.plural : base + "/" + ri.plural;
  const std::string item = collection + "/{name}";
  const ResponseSpec unauthorized{"401", "Unauthorized", ""};

  auto op = [&](const char* method, const char* action, const std::string& verb,
                const std::string& suffix, const std::string& desc, std::vector<ParamSpec> params,
                const Gvk& op_gvk) {
    OperationSpec o;
    o.method = method;
    o.action = action;
    o.operation_id = verb + n.id_infix + suffix;
    o.tag = n.tag;
    o.description = desc;
    o.gvk = op_gvk;
    o.params = std::move(params);
    return o;
  };
  auto path_params = [&](bool with_name, const std::string& what) {
    std::vector<ParamSpec> p;
    if (with_name) p.push_back(ParamSpec{"name", "path", "string", "name of the " + what, true});
    if (ri.namespaced) {
      p.push_back(ParamSpec{"namespace", "path", "string",
                            "object name and auth scope, such as for teams and projects", true});
    }
    p.push_back(Pretty());
    return p;
  };

  std::vector<PathSpec> paths;
  // Collection: list, create, delete collection.
  {
    PathSpec p{collection, {}, path_params(false, ri.kind)};
    OperationSpec list = op("get", "list", "list", scope + ri.kind,
                            "list or watch objects of kind " + ri.kind, ListParams(), gvk);
    list.is_list = true;
    list.responses = {{"200", "OK", list_schema}, unauthorized};
    OperationSpec create =
        op("post", "post", "create", scope + ri.kind, "create a " + ri.kind, WriteParams(), gvk);
    create.body_schema = kind_schema;
    create.body_required = true;
    create.responses = {{"200", "OK", kind_schema},
                        {"201", "Created", kind_schema},
                        {"202", "Accepted", kind_schema},
                        unauthorized};
    OperationSpec del = op("delete", "deletecollection", "deleteCollection", scope + ri.kind,
                           "delete collection of " + ri.kind, Concat(ListParams(), DeleteParams()),
                           gvk);
    del.body_schema = kDeleteOptionsSchema;
    del.responses = {{"200", "OK", kStatusSchema}, unauthorized};
    p.operations = {std::move(list), std::move(create), std::move(del)};
    paths.push_back(std::move(p));
  }
  // Item: read, replace, patch, delete (delete only on the object itself).
  auto item_ops = [&](const std::string& path, const std::string& suffix, const Gvk& op_gvk,
                      const std::string& schema, bool with_delete) {
    const std::string what = suffix.empty() ? ri.kind : ri.kind + " " + suffix;
    PathSpec p{path, {}, path_params(true, what)};
    OperationSpec get = op("get", "get", "read", scope + ri.kind + suffix,
                           "read the specified " + what, {}, op_gvk);
    get.responses = {{"200", "OK", schema}, unauthorized};
    OperationSpec put = op("put", "put", "replace", scope + ri.kind + suffix,
                           "replace the specified " + what, WriteParams(), op_gvk);
    put.body_schema = schema;
    put.body_required = true;
    put.responses = {{"200", "OK", schema}, {"201", "Created", schema}, unauthorized};
    OperationSpec patch =
        op("patch", "patch", "patch", scope + ri.kind + suffix,
           "partially update the specified " + what,
           Concat(WriteParams(), {Query("force", "boolean",
                                        "Force apply requests to take ownership of conflicting "
                                        "fields.")}),
           op_gvk);
    patch.body_schema = kPatchSchema;
    patch.body_required = true;
    patch.is_patch = true;
    patch.responses = {{"200", "OK", schema}, {"201", "Created", schema}, unauthorized};
    p.operations = {std::move(get), std::move(put), std::move(patch)};
    if (with_delete) {
      OperationSpec del = op("delete", "delete", "delete", scope + ri.kind, "delete a " + ri.kind,
                             DeleteParams(), op_gvk);
      del.body_schema = kDeleteOptionsSchema;
      del.responses = {{"200", "OK", kStatusSchema}, {"202", "Accepted", kStatusSchema},
                       unauthorized};
      p.operations.push_back(std::move(del));
    }
    paths.push_back(std::move(p));
  };
  item_ops(item, "", gvk, kind_schema, true);
  if (ri.has_status) item_ops(item + "/status", "Status", gvk, kind_schema, false);
  if (ri.has_scale) {
    item_ops(item + "/scale", "Scale", Gvk{"autoscaling", "v1", "Scale"}, kScaleSchema, false);
  }
  // List across all namespaces.
  if (ri.namespaced) {
    PathSpec p{base + "/" + ri.plural, {}, {Pretty()}};
    OperationSpec list = op("get", "list", "list", ri.kind + "ForAllNamespaces",
                            "list or watch objects of kind " + ri.kind, ListParams(), gvk);
    list.is_list = true;
    list.responses = {{"200", "OK", list_schema}, unauthorized};
    p.operations.push_back(std::move(list));
    paths.push_back(std::move(p));
  }
  return paths;
}

}  // namespace kc::openapi::internal
