#include "pkg/client/request_path.h"

#include "pkg/api/resource_info.h"

namespace kc::client {

std::string PercentEncode(std::string_view s) {
  static const char kHex[] = "0123456789ABCDEF";
  std::string out;
  out.reserve(s.size());
  for (unsigned char c : s) {
    bool unreserved = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
                      c == '-' || c == '.' || c == '_' || c == '~';
    if (unreserved) {
      out.push_back(static_cast<char>(c));
    } else {
      out.push_back('%');
      out.push_back(kHex[c >> 4]);
      out.push_back(kHex[c & 15]);
    }
  }
  return out;
}

bool IsNamespaced(const ResourceRef& res, const std::string& ns) {
  if (const api::ResourceInfo* info = api::FindResource(res.group, res.version, res.resource)) {
    return info->namespaced;
  }
  return !ns.empty();
}

std::string ResourcePath(const ResourceRef& res, const std::string& ns, const std::string& name,
                         const std::string& subresource) {
  std::string path = res.group.empty() ? "/api/" + res.version
                                       : "/apis/" + res.group + "/" + res.version;
  if (IsNamespaced(res, ns) && !ns.empty()) path += "/namespaces/" + PercentEncode(ns);
  path += "/" + res.resource;
  if (!name.empty()) {
    path += "/" + PercentEncode(name);
    if (!subresource.empty()) path += "/" + subresource;
  }
  return path;
}

std::string EncodeQuery(const std::map<std::string, std::string>& params) {
  std::string q;
  for (const auto& [k, v] : params) {
    q += q.empty() ? "?" : "&";
    q += PercentEncode(k) + "=" + PercentEncode(v);
  }
  return q;
}

std::string ListQuery(const ListOptions& opts, bool watch) {
  std::map<std::string, std::string> p;
  if (!opts.label_selector.empty()) p["labelSelector"] = opts.label_selector;
  if (!opts.field_selector.empty()) p["fieldSelector"] = opts.field_selector;
  if (!opts.resource_version.empty()) p["resourceVersion"] = opts.resource_version;
  if (watch) {
    p["watch"] = "true";
    if (opts.timeout_seconds > 0) p["timeoutSeconds"] = std::to_string(opts.timeout_seconds);
    if (opts.allow_bookmarks) p["allowWatchBookmarks"] = "true";
  } else {
    if (opts.limit > 0) p["limit"] = std::to_string(opts.limit);
    if (!opts.continue_token.empty()) p["continue"] = opts.continue_token;
  }
  return EncodeQuery(p);
}

std::string WriteQuery(const std::string& field_manager, bool dry_run) {
  std::map<std::string, std::string> p;
  if (!field_manager.empty()) p["fieldManager"] = field_manager;
  if (dry_run) p["dryRun"] = "All";
  return EncodeQuery(p);
}

std::string PatchQuery(PatchType type, const PatchOptions& opts) {
  std::map<std::string, std::string> p;
  if (!opts.field_manager.empty()) p["fieldManager"] = opts.field_manager;
  if (opts.dry_run) p["dryRun"] = "All";
  if (type == PatchType::kApply) p["force"] = opts.force ? "true" : "false";
  return EncodeQuery(p);
}

const char* PatchContentType(PatchType type) {
  switch (type) {
    case PatchType::kJson: return "application/json-patch+json";
    case PatchType::kMerge: return "application/merge-patch+json";
    case PatchType::kStrategicMerge: return "application/strategic-merge-patch+json";
    case PatchType::kApply: return "application/apply-patch+yaml";
  }
  return "application/merge-patch+json";
}

}  // namespace kc::client
