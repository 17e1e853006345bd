#include "pkg/apiserver/request_decode.h"

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>
#include <cstdlib>
#include <vector>

#include "pkg/apiserver/version_conversion.h"
#include "pkg/apiserver/yaml_json.h"
#include "pkg/openapi/openapi.h"
#include "pkg/protobuf/decode_object.h"

namespace kc::apiserver {
namespace json = boost::json;

std::string BaseMediaType(const std::string& content_type) {
  std::string base = content_type.substr(0, content_type.find(';'));
  while (!base.empty() && base.back() == ' ') base.pop_back();
  while (!base.empty() && base.front() == ' ') base.erase(base.begin());
  for (auto& c : base) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return base;
}

namespace {

// Removes one field named by an UnknownFields path ("spec.foo", "a.b[2].c") from `v`.
void PrunePath(json::value& v, std::string_view path) {
  json::value* cur = &v;
  while (!path.empty()) {
    size_t dot = path.find('.');
    std::string_view seg = path.substr(0, dot);
    path = dot == std::string_view::npos ? std::string_view() : path.substr(dot + 1);
    std::vector<size_t> idx;
    while (!seg.empty() && seg.back() == ']') {
      size_t open = seg.rfind('[');
      if (open == std::string_view::npos) return;
      idx.insert(idx.begin(), std::strtoul(std::string(seg.substr(open + 1)).c_str(), nullptr, 10));
      seg = seg.substr(0, open);
    }
    if (!cur->is_object()) return;
    json::object& o = cur->get_object();
    if (path.empty() && idx.empty()) {
      o.erase(seg);
      return;
    }
    json::value* next = o.if_contains(seg);
    if (!next) return;
    for (size_t i : idx) {
      if (!next->is_array() || i >= next->get_array().size()) return;
      next = &next->get_array()[i];
    }
    cur = next;
  }
}

}  // namespace

api::Status BuildContext(const HttpRequest& req, RequestContext* ctx) {
  ctx->user = req.user;
  ctx->groups = req.groups;
  std::string manager = req.Query("fieldManager");
  if (manager.empty()) {
    std::string ua = req.Header("user-agent");
    manager = ua.substr(0, ua.find('/'));
    std::string printable;
    for (char c : manager) {
      if (c >= 0x20 && c < 0x7f) printable.push_back(c);
    }
    manager = printable.empty() ? "unknown" : printable;
  }
  if (manager.size() > 128) {
    return api::Status::BadRequest("fieldManager: Too long: may not be longer than 128");
  }
  ctx->field_manager = manager;
  if (req.HasQuery("dryRun")) {
    auto range = req.query.equal_range("dryRun");
    for (auto it = range.first; it != range.second; ++it) {
      if (it->second != "All") {
        return api::Status::BadRequest("Invalid dry run value: \"" + it->second +
                                       "\": supported values: \"All\"");
      }
      ctx->dry_run = true;
    }
  }
  std::string fv = req.Query("fieldValidation");
  if (fv.empty() || fv == "Warn") {
    ctx->field_validation = FieldValidation::kWarn;
  } else if (fv == "Strict") {
    ctx->field_validation = FieldValidation::kStrict;
  } else if (fv == "Ignore") {
    ctx->field_validation = FieldValidation::kIgnore;
  } else {
    return api::Status::BadRequest("fieldValidation parameter unsupported: " + fv);
  }
  return api::Status::Ok();
}

api::Result<json::object> DecodeObjectBody(const HttpRequest& req, const api::ResourceInfo& ri,
                                           RequestContext& ctx, bool check_schema,
                                           const std::string& expected_kind,
                                           const std::string& expected_api_version) {
  std::string media = BaseMediaType(req.Header("content-type"));
  json::value v;
  if (media.empty() || media == "application/json" || media == "*/*") {
    boost::system::error_code ec;
    json::parse_options po;
    po.max_depth = 256;
    v = json::parse(req.body, ec, {}, po);
    if (ec) {
      return api::Status::BadRequest("Object 'Kind' is missing in '" + req.body.substr(0, 256) +
                                     "': " + ec.message());
    }
  } else if (media == "application/yaml" || media == "application/x-yaml" ||
             media == "text/yaml") {
    auto y = YamlToJson(req.body);
    if (!y.ok()) return y.status();
    v = std::move(*y);
  } else if (media == protobuf::kProtobufMediaType) {
    // kubectl's typed clients (create deployment|configmap|..., auth can-i) send protobuf.
    auto decoded = protobuf::DecodeObject(req.body);
    if (!decoded.ok()) return decoded.status();
    v = std::move(*decoded);
  } else {
    return api::Status(api::Reason::kUnsupportedMediaType,
                       "the body of the request was in an unknown format - accepted media types "
                       "include: application/json, application/yaml, "
                       "application/vnd.kubernetes.protobuf");
  }
  if (!v.is_object()) {
    return api::Status::BadRequest("the body of the request must be a JSON or YAML object");
  }
  json::object& obj = v.get_object();
  const std::string want_kind = expected_kind.empty() ? ri.kind : expected_kind;
  const std::string want_av = expected_api_version.empty() ? ri.GroupVersion()
                                                           : expected_api_version;
  auto str = [&](const char* k) -> std::string {
    const json::value* f = obj.if_contains(k);
    return f && f->is_string() ? std::string(f->get_string()) : "";
  };
  std::string kind = str("kind"), av = str("apiVersion");
  if (!kind.empty() && kind != want_kind) {
    return api::Status::BadRequest("the kind in the body (" + kind +
                                   ") does not match the expected kind (" + want_kind + ")");
  }
  if (!av.empty() && av != want_av) {
    // As upstream: a body of another version of the kind (autoscaling/v2 sent to the v1 path)
    // is refused; conversion is from the path's version only (ToStorage below).
    return api::Status::BadRequest("the API version in the data (" + av +
                                   ") does not match the expected API version (" + want_av + ")");
  }
  if (const json::value* m = obj.if_contains("metadata"); m && !m->is_object() && !m->is_null()) {
    return api::Status::BadRequest("metadata must be an object");
  }
  // Unknown fields are reported per fieldValidation and, as when upstream decodes into the
  // typed object, never stored. One schema walk serves both.
  if (check_schema) {
    std::vector<std::string> unknown = openapi::UnknownFields(ri, v);
    if (!unknown.empty() && ctx.field_validation == FieldValidation::kStrict) {
      std::string msg = "strict decoding error: ";
      for (size_t i = 0; i < unknown.size(); ++i) {
        if (i) msg += ", ";
        msg += "unknown field \"" + unknown[i] + "\"";
      }
      return api::Status::BadRequest(msg);
    }
    for (const auto& f : unknown) {
      if (ctx.field_validation == FieldValidation::kWarn) {
        ctx.warnings.push_back("unknown field \"" + f + "\"");
      }
      PrunePath(v, f);
    }
  }
  // A body of the resource's own kind leaves here in its storage version's shape (autoscaling/v1
  // HPAs become autoscaling/v2), after the unknown fields were checked against its own schema.
  if (expected_kind.empty()) {
    if (auto s = ToStorage(ri, obj); !s.ok()) return s;
  }
  return std::move(obj);
}

api::Result<DeleteOptions> DecodeDeleteOptions(const HttpRequest& req) {
  DeleteOptions opts;
  if (!req.body.empty()) {
    json::value v;
    if (BaseMediaType(req.Header("content-type")) == protobuf::kProtobufMediaType) {
      auto decoded = protobuf::DecodeDeleteOptions(req.body);
      if (!decoded.ok()) return decoded.status();
      v = std::move(*decoded);
    } else {
      boost::system::error_code ec;
      v = json::parse(req.body, ec);
      if (ec) return api::Status::BadRequest("invalid DeleteOptions body");
    }
    if (!v.is_object()) return api::Status::BadRequest("invalid DeleteOptions body");
    const json::object& o = v.get_object();
    if (const json::value* g = o.if_contains("gracePeriodSeconds"); g && g->is_int64()) {
      opts.grace_period_seconds = g->get_int64();
    }
    if (const json::value* p = o.if_contains("propagationPolicy"); p && p->is_string()) {
      opts.propagation_policy = std::string(p->get_string());
    }
    if (const json::value* od = o.if_contains("orphanDependents"); od && od->is_bool()) {
      opts.orphan_dependents = od->get_bool();
    }
    if (const json::value* pre = o.if_contains("preconditions"); pre && pre->is_object()) {
      const json::object& po = pre->get_object();
      if (const json::value* u = po.if_contains("uid"); u && u->is_string()) {
        opts.precondition_uid = std::string(u->get_string());
      }
      if (const json::value* r = po.if_contains("resourceVersion"); r && r->is_string()) {
        opts.precondition_resource_version = std::string(r->get_string());
      }
    }
    if (const json::value* d = o.if_contains("dryRun"); d && d->is_array()) {
      for (const auto& x : d->get_array()) {
        if (!x.is_string() || x.get_string() != "All") {
          return api::Status::BadRequest("Invalid dry run value: supported values: \"All\"");
        }
        opts.dry_run = true;
      }
    }
  }
  if (req.HasQuery("gracePeriodSeconds")) {
    try {
      opts.grace_period_seconds = std::stoll(req.Query("gracePeriodSeconds"));
    } catch (...) {
      return api::Status::BadRequest("invalid gracePeriodSeconds");
    }
  }
  if (req.HasQuery("propagationPolicy")) opts.propagation_policy = req.Query("propagationPolicy");
  if (req.HasQuery("orphanDependents")) {
    opts.orphan_dependents = req.Query("orphanDependents") == "true";
  }
  if (req.Query("dryRun") == "All") opts.dry_run = true;
  return opts;
}

api::Result<ListOptions> DecodeListOptions(const HttpRequest& req) {
  ListOptions o;
  o.label_selector = req.Query("labelSelector");
  o.field_selector = req.Query("fieldSelector");
  o.continue_token = req.Query("continue");
  o.resource_version = req.Query("resourceVersion");
  o.resource_version_match = req.Query("resourceVersionMatch");
  if (req.HasQuery("limit")) {
    try {
      o.limit = std::stoll(req.Query("limit"));
    } catch (...) {
      return api::Status::BadRequest("invalid limit: " + req.Query("limit"));
    }
  }
  if (!o.resource_version_match.empty() && o.resource_version_match != "Exact" &&
      o.resource_version_match != "NotOlderThan") {
    return api::Status::BadRequest("resourceVersionMatch: Unsupported value: \"" +
                                   o.resource_version_match + "\"");
  }
  return o;
}

}  // namespace kc::apiserver
