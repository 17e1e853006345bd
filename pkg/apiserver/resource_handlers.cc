// ApiHandler: the resource verbs.
#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>
#include <charconv>
#include <optional>
#include <random>
#include <string_view>

#include "pkg/api/time_util.h"
#include "pkg/apiserver/api_handler.h"
#include "pkg/apiserver/request_decode.h"
#include "pkg/apiserver/response_util.h"
#include "pkg/apiserver/stored_json.h"
#include "pkg/apiserver/strategy.h"
#include "pkg/apiserver/version_conversion.h"
#include "pkg/apiserver/watch_response.h"

namespace kc::apiserver {
namespace json = boost::json;

namespace {

// metadata.resourceVersion of an object the registry returned (a decimal revision); 0 if absent.
int64_t ResourceVersionOf(const json::object& obj) {
  int64_t rv = 0;
  const json::value* meta = obj.if_contains("metadata");
  if (meta == nullptr || !meta->is_object()) return 0;
  const json::value* v = meta->get_object().if_contains("resourceVersion");
  if (v == nullptr || !v->is_string()) return 0;
  std::string_view s = v->get_string();
  std::from_chars(s.data(), s.data() + s.size(), rv);
  return rv;
}

void AddWarnings(const RequestContext& ctx, HttpResponse* r) {
  for (const auto& w : ctx.warnings) {
    std::string esc;
    for (char c : w) {
      if (c == '"' || c == '\\') esc.push_back('\\');
      esc.push_back(c);
    }
    r->headers.emplace_back("Warning", "299 - \"" + esc + "\"");
  }
}

}  // namespace

HttpResponse ApiHandler::HandleGet(HttpRequest& req, const RequestInfo& info,
                                   const api::ResourceInfo& ri) {
  if (info.subresource == "scale") {
    auto s = registry_.GetScale(ri, info.namespace_, info.name);
    return s.ok() ? JsonResponse(200, *s) : ErrorResponse(s.status());
  }
  // The common case (plain JSON of an object stored in the requested version): the stored
  // bytes plus resourceVersion, no DOM.
  const bool plain = info.subresource.empty() && !WantsTable(req) && !HasVersionConversion(ri);
  auto kv = registry_.GetStored(ri, info.namespace_, info.name);
  if (!kv.ok()) return ErrorResponse(kv.status());
  if (plain) {
    if (auto body = WithResourceVersion(kv->value, kv->mod_revision)) {
      HttpResponse r;
      r.body = std::move(*body);
      return r;
    }
  }
  auto obj = Registry::Decode(*kv);
  if (!obj.ok()) return ErrorResponse(obj.status());
  return ObjectOrTable(req, ri, 200, *obj);
}

HttpResponse ApiHandler::HandleList(HttpRequest& req, const RequestInfo& info,
                                    const api::ResourceInfo& ri) {
  auto opts = DecodeListOptions(req);
  if (!opts.ok()) return ErrorResponse(opts.status());
  auto list = registry_.List(ri, info.namespace_, *opts);
  if (!list.ok()) return ErrorResponse(list.status());
  json::object meta;
  meta["resourceVersion"] = std::to_string(list->revision);
  if (!list->continue_token.empty()) meta["continue"] = list->continue_token;
  if (list->remaining) meta["remainingItemCount"] = *list->remaining;
  if (WantsTable(req)) {
    json::object t = ToTable(ri, list->items, ParseIncludeObject(req.Query("includeObject")), true,
                             std::chrono::system_clock::now());
    t["metadata"] = std::move(meta);
    HttpResponse r = JsonResponse(200, t);
    r.content_type = "application/json;as=Table;v=v1;g=meta.k8s.io";
    return r;
  }
  // Serialize items straight into the body: lists can be large.
  std::string body = "{\"kind\":\"" + ri.ListKind() + "\",\"apiVersion\":\"" + ri.GroupVersion() +
                     "\",\"metadata\":" + json::serialize(meta) + ",\"items\":[";
  const bool convert = HasVersionConversion(ri);
  for (size_t i = 0; i < list->items.size(); ++i) {
    if (i) body.push_back(',');
    if (convert) FromStorage(ri, list->items[i]);
    body += json::serialize(list->items[i]);
  }
  body += "]}";
  HttpResponse r;
  r.body = std::move(body);
  return r;
}

HttpResponse ApiHandler::HandleWatch(HttpRequest& req, const RequestInfo& info,
                                     const api::ResourceInfo& ri) {
  auto opts = DecodeListOptions(req);
  if (!opts.ok()) return ErrorResponse(opts.status());
  if (!info.name.empty()) {  // legacy single-object watch
    std::string f = "metadata.name=" + info.name;
    opts->field_selector = opts->field_selector.empty() ? f : opts->field_selector + "," + f;
  }
  WatchResponseOptions wo;
  wo.table = WantsTable(req);
  wo.include = ParseIncludeObject(req.Query("includeObject"));
  wo.allow_bookmarks = req.Query("allowWatchBookmarks") == "true";
  if (req.HasQuery("timeoutSeconds")) {
    try {
      wo.timeout = std::chrono::seconds(std::max<int64_t>(0, std::stoll(req.Query("timeoutSeconds"))));
    } catch (...) {
      return ErrorResponse(api::Status::BadRequest("invalid timeoutSeconds"));
    }
  } else {
    // Upstream picks a random timeout between the minimum and twice it (30–60 minutes).
    static thread_local std::mt19937 rng{std::random_device{}()};
    wo.timeout = std::chrono::seconds(1800 + rng() % 1800);
  }
  auto handle = registry_.Watch(ri, info.namespace_, *opts);
  if (!handle.ok()) {
    if (handle.status().reason() == api::Reason::kExpired ||
        handle.status().reason() == api::Reason::kGone) {
      // As the real watch cache: 200 and an ERROR event carrying the 410 Status.
      json::object ev;
      ev["type"] = "ERROR";
      ev["object"] = StatusToJson(handle.status());
      HttpResponse r;
      r.body = json::serialize(ev) + "\n";
      return r;
    }
    return ErrorResponse(handle.status());
  }
  metrics_.WatchOpened();
  struct Counted : WatchResponse {
    Counted(const api::ResourceInfo& ri, WatchHandle h, WatchResponseOptions o, Metrics& m)
        : WatchResponse(ri, std::move(h), o), metrics(m) {}
    ~Counted() override { metrics.WatchClosed(); }
    Metrics& metrics;
  };
  HttpResponse r;
  r.content_type = wo.table ? "application/json;as=Table;v=v1;g=meta.k8s.io" : "application/json";
  r.stream = std::make_shared<Counted>(ri, std::move(*handle), wo, metrics_);
  return r;
}

HttpResponse ApiHandler::HandleCreate(HttpRequest& req, const RequestInfo& info,
                                      const api::ResourceInfo& ri) {
  RequestContext ctx;
  if (auto s = BuildContext(req, &ctx); !s.ok()) return ErrorResponse(s);
  if (ri.namespaced && info.namespace_.empty()) {
    return ErrorResponse(MethodNotAllowed());
  }
  auto obj = DecodeObjectBody(req, ri, ctx);
  if (!obj.ok()) return ErrorResponse(obj.status());
  if (req.async_reply && !ctx.dry_run && !WantsTable(req)) {
    // No thread waits for the store's group commit: the answer is built on the connection's
    // loop once the write is durable.
    HttpResponse later;
    later.deferred = true;
    later.status = 201;  // what the request metrics record
    std::shared_ptr<AsyncReply> reply = req.async_reply;
    const api::ResourceInfo* rp = &ri;
    registry_.CreateAsync(
        StorageResource(ri), info.namespace_, std::move(*obj), ctx,
        [reply, rp, warnings = ctx.warnings](api::Result<json::object> created,
                                             std::string stored) {
          reply->Post([reply, rp, warnings, created = std::move(created),
                       stored = std::move(stored)]() mutable {
            if (!created.ok()) return reply->Send(ErrorResponse(created.status()));
            HttpResponse r;
            std::optional<std::string> json;
            if (!stored.empty() && !HasVersionConversion(*rp)) {
              if (int64_t rv = ResourceVersionOf(*created); rv > 0) {
                json = WithResourceVersion(stored, rv);
              }
            }
            if (json) {
              r.status = 201;
              r.body = std::move(*json);  // the stored bytes: no second serialization
            } else {
              if (HasVersionConversion(*rp)) FromStorage(*rp, *created);
              r = JsonResponse(201, *created);
            }
            RequestContext w;
            w.warnings = warnings;
            AddWarnings(w, &r);
            reply->Send(std::move(r));
          });
        });
    return later;
  }
  auto created = registry_.Create(StorageResource(ri), info.namespace_, std::move(*obj), ctx);
  if (!created.ok()) return ErrorResponse(created.status());
  HttpResponse r = ObjectOrTable(req, ri, 201, *created);
  AddWarnings(ctx, &r);
  return r;
}

HttpResponse ApiHandler::HandleUpdate(HttpRequest& req, const RequestInfo& info,
                                      const api::ResourceInfo& ri) {
  RequestContext ctx;
  if (auto s = BuildContext(req, &ctx); !s.ok()) return ErrorResponse(s);
  if (info.subresource == "scale") {
    auto scale = DecodeObjectBody(req, ri, ctx, false, "Scale", "autoscaling/v1");
    if (!scale.ok()) return ErrorResponse(scale.status());
    auto r = registry_.UpdateScale(ri, info.namespace_, info.name, std::move(*scale), ctx);
    return r.ok() ? JsonResponse(200, *r) : ErrorResponse(r.status());
  }
  auto obj = DecodeObjectBody(req, ri, ctx);
  if (!obj.ok()) return ErrorResponse(obj.status());
  auto updated = registry_.Update(StorageResource(ri), info.namespace_, info.name, std::move(*obj),
                                  info.subresource, ctx);
  if (!updated.ok()) return ErrorResponse(updated.status());
  HttpResponse r = ObjectOrTable(req, ri, 200, *updated);
  AddWarnings(ctx, &r);
  return r;
}

HttpResponse ApiHandler::HandlePatch(HttpRequest& req, const RequestInfo& info,
                                     const api::ResourceInfo& ri) {
  RequestContext ctx;
  if (auto s = BuildContext(req, &ctx); !s.ok()) return ErrorResponse(s);
  std::string media = BaseMediaType(req.Header("content-type"));
  PatchKind kind;
  if (media == "application/json-patch+json") {
    kind = PatchKind::kJson;
  } else if (media == "application/merge-patch+json") {
    kind = PatchKind::kMerge;
  } else if (media == "application/strategic-merge-patch+json") {
    kind = PatchKind::kStrategicMerge;
  } else if (media == "application/apply-patch+yaml") {
    kind = PatchKind::kApply;
  } else {
    return ErrorResponse(api::Status(
        api::Reason::kUnsupportedMediaType,
        "the body of the request was in an unknown format - accepted media types include: "
        "application/json-patch+json, application/merge-patch+json, "
        "application/apply-patch+yaml, application/strategic-merge-patch+json"));
  }
  std::string force = req.Query("force");
  if (!force.empty() && kind != PatchKind::kApply) {
    return ErrorResponse(api::Status::BadRequest("force: Forbidden: may not be specified for non-apply patch"));
  }
  if (info.subresource == "scale") {
    auto r = registry_.PatchScale(ri, info.namespace_, info.name, kind, req.body, ctx);
    return r.ok() ? JsonResponse(200, *r) : ErrorResponse(r.status());
  }
  // Unknown fields in the patch body are checked on the patched result only for apply.
  bool created = false;
  auto patched = registry_.Patch(ri, info.namespace_, info.name, kind, req.body, info.subresource,
                                 force == "true", ctx, &created);
  if (!patched.ok()) return ErrorResponse(patched.status());
  HttpResponse r = ObjectOrTable(req, ri, created ? 201 : 200, *patched);
  AddWarnings(ctx, &r);
  return r;
}

HttpResponse ApiHandler::HandleDelete(HttpRequest& req, const RequestInfo& info,
                                      const api::ResourceInfo& ri) {
  if (!info.subresource.empty()) return ErrorResponse(MethodNotAllowed());
  RequestContext ctx;
  if (auto s = BuildContext(req, &ctx); !s.ok()) return ErrorResponse(s);
  auto opts = DecodeDeleteOptions(req);
  if (!opts.ok()) return ErrorResponse(opts.status());
  auto result = registry_.Delete(ri, info.namespace_, info.name, *opts, ctx);
  if (!result.ok()) return ErrorResponse(result.status());
  if (result->removed && !ReturnsDeletedObject(ri)) {
    return JsonResponse(200, SuccessStatus(ri, result->object));
  }
  FromStorage(ri, result->object);
  return JsonResponse(200, result->object);
}

HttpResponse ApiHandler::HandleDeleteCollection(HttpRequest& req, const RequestInfo& info,
                                                const api::ResourceInfo& ri) {
  RequestContext ctx;
  if (auto s = BuildContext(req, &ctx); !s.ok()) return ErrorResponse(s);
  auto list = DecodeListOptions(req);
  if (!list.ok()) return ErrorResponse(list.status());
  auto opts = DecodeDeleteOptions(req);
  if (!opts.ok()) return ErrorResponse(opts.status());
  auto deleted = registry_.DeleteCollection(ri, info.namespace_, *list, *opts, ctx);
  if (!deleted.ok()) return ErrorResponse(deleted.status());
  json::object out;
  out["kind"] = ri.ListKind();
  out["apiVersion"] = ri.GroupVersion();
  json::object meta;
  meta["resourceVersion"] = std::to_string(registry_.backend().CurrentRevision());
  out["metadata"] = std::move(meta);
  json::array items;
  for (auto& o : *deleted) {
    FromStorage(ri, o);
    items.push_back(std::move(o));
  }
  out["items"] = std::move(items);
  return JsonResponse(200, out);
}

HttpResponse ApiHandler::HandleBinding(HttpRequest& req, const RequestInfo& info,
                                       const api::ResourceInfo& ri) {
  RequestContext ctx;
  if (auto s = BuildContext(req, &ctx); !s.ok()) return ErrorResponse(s);
  auto binding = DecodeObjectBody(req, ri, ctx, false, "Binding", "v1");
  if (!binding.ok()) return ErrorResponse(binding.status());
  std::string node;
  if (const json::value* t = binding->if_contains("target"); t && t->is_object()) {
    if (const json::value* n = t->get_object().if_contains("name"); n && n->is_string()) {
      node = std::string(n->get_string());
    }
  }
  if (node.empty()) {
    return ErrorResponse(api::Status::InvalidFor("Binding", info.name,
                                                 {{"FieldValueRequired", "Required value",
                                                   "target.name"}}));
  }
  auto bound = registry_.Bind(ri, info.namespace_, info.name, node, ctx);
  if (!bound.ok()) return ErrorResponse(bound.status());
  return CreatedSuccessResponse();
}

HttpResponse ApiHandler::HandleEviction(HttpRequest& req, const RequestInfo& info,
                                        const api::ResourceInfo& ri) {
  RequestContext ctx;
  if (auto s = BuildContext(req, &ctx); !s.ok()) return ErrorResponse(s);
  auto ev = DecodeObjectBody(req, ri, ctx, false, "Eviction", "policy/v1");
  if (!ev.ok()) return ErrorResponse(ev.status());
  DeleteOptions opts;
  if (const json::value* d = ev->if_contains("deleteOptions"); d && d->is_object()) {
    HttpRequest sub;
    sub.body = json::serialize(*d);
    auto parsed = DecodeDeleteOptions(sub);
    if (!parsed.ok()) return ErrorResponse(parsed.status());
    opts = *parsed;
  }
  auto r = registry_.Delete(ri, info.namespace_, info.name, opts, ctx);
  if (!r.ok()) return ErrorResponse(r.status());
  return CreatedSuccessResponse();
}

}  // namespace kc::apiserver
