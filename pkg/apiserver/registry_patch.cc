// Registry: PATCH (json, merge, strategic merge, server-side apply) and the scale subresource.
#include <boost/json/array.hpp>
#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>

#include "pkg/api/json_patch.h"
#include "pkg/api/label_selector.h"
#include "pkg/api/merge_patch.h"
#include "pkg/api/server_side_apply.h"
#include "pkg/api/strategic_merge_patch.h"
#include "pkg/api/time_util.h"
#include "pkg/apiserver/registry.h"
#include "pkg/apiserver/version_conversion.h"
#include "pkg/apiserver/yaml_json.h"

namespace kc::apiserver {
namespace json = boost::json;

namespace {

api::Result<json::value> ParseJson(const std::string& body) {
  boost::system::error_code ec;
  json::value v = json::parse(body, ec);
  if (ec) return api::Status::BadRequest("error decoding patch: " + ec.message());
  return v;
}

std::string PatchRv(const json::value& patch) {
  if (!patch.is_object()) return "";
  const json::value* m = patch.get_object().if_contains("metadata");
  if (!m || !m->is_object()) return "";
  const json::value* rv = m->get_object().if_contains("resourceVersion");
  return rv && rv->is_string() ? std::string(rv->get_string()) : "";
}

}  // namespace

api::Result<json::object> Registry::ApplyPatchBody(const api::ResourceInfo& ri,
                                                   const json::object& current, PatchKind kind,
                                                   const std::string& body) {
  json::value doc = current;
  auto patch = ParseJson(body);
  if (!patch.ok()) return patch.status();
  switch (kind) {
    case PatchKind::kJson: {
      if (!patch->is_array()) {
        return api::Status::BadRequest(
            "json: cannot unmarshal object into Go value of type jsonpatch.Patch");
      }
      if (auto s = api::ApplyJsonPatch(doc, *patch); !s.ok()) return s;
      break;
    }
    case PatchKind::kMerge:
      if (!patch->is_object()) return api::Status::BadRequest("merge patch must be a JSON object");
      api::ApplyMergePatch(doc, *patch);
      break;
    case PatchKind::kStrategicMerge:
      if (!patch->is_object()) {
        return api::Status::BadRequest("strategic merge patch must be a JSON object");
      }
      if (auto s = api::ApplyStrategicMergePatch(doc, *patch, ri.group, ri.kind); !s.ok()) return s;
      break;
    case PatchKind::kApply:
      return api::Status::Internal("apply patches are handled by ServerSideApply");
  }
  if (!doc.is_object()) return api::Status::BadRequest("patch result is not an object");
  return std::move(doc.get_object());
}

api::Result<json::object> Registry::CreateFromApply(const api::ResourceInfo& ri,
                                                    const std::string& ns,
                                                    const std::string& name,
                                                    const std::string& body,
                                                    RequestContext& ctx) {
  auto applied = YamlToJson(body);
  if (!applied.ok()) return applied.status();
  if (!applied->is_object()) return api::Status::BadRequest("apply patch must be an object");
  auto merged = api::ServerSideApply(nullptr, applied->get_object(), ctx.field_manager, false,
                                     ri.group, ri.kind, ri.GroupVersion(),
                                     api::FormatTime(api::Clock::now()));
  if (!merged.ok()) return merged.status();
  json::object obj = std::move(*merged);
  if (auto s = ToStorage(ri, obj); !s.ok()) return s;
  json::value& meta = obj["metadata"];
  if (!meta.is_object()) meta = json::object();
  meta.get_object()["name"] = name;
  RequestContext apply_ctx = ctx;
  apply_ctx.managed_fields_done = true;  // ServerSideApply recorded the Apply entry
  auto created = Create(StorageResource(ri), ns, std::move(obj), apply_ctx);
  ctx.warnings = apply_ctx.warnings;
  return created;
}

api::Result<json::object> Registry::Patch(const api::ResourceInfo& ri, const std::string& ns,
                                          const std::string& name, PatchKind kind,
                                          const std::string& body,
                                          const std::string& subresource, bool force,
                                          RequestContext& ctx, bool* created) {
  if (created) *created = false;
  // The patch applies to the object as a client of ri's version sees it (autoscaling/v1 HPAs:
  // the v1 view of the stored v2 object), and the result goes back to the storage shape before
  // the update is finished under the storage version. resourceVersion preconditions compare
  // with the stored object, whose metadata the views share.
  const api::ResourceInfo& storage_ri = StorageResource(ri);
  const bool convert = HasVersionConversion(ri);
  if (kind == PatchKind::kApply) {
    if (ctx.field_manager.empty()) {
      return api::Status::BadRequest(
          "PATCH, application/apply-patch+yaml requests must have a fieldManager");
    }
    auto applied = YamlToJson(body);
    if (!applied.ok()) return applied.status();
    if (!applied->is_object()) return api::Status::BadRequest("apply patch must be an object");
    auto existing = Get(ri, ns, name);
    if (!existing.ok() && existing.status().reason() == api::Reason::kNotFound &&
        subresource.empty()) {
      auto r = CreateFromApply(ri, ns, name, body, ctx);
      if (r.ok() && created) *created = true;
      return r;
    }
    if (!existing.ok()) return existing.status();
    const json::object applied_obj = applied->get_object();
    ctx.managed_fields_done = true;
    return GuaranteedUpdate(
        storage_ri, ns, name, subresource, ctx,
        [&](json::object& current) -> api::Status {
          if (convert) FromStorage(ri, current);
          auto merged = api::ServerSideApply(&current, applied_obj, ctx.field_manager, force,
                                             ri.group, ri.kind, ri.GroupVersion(),
                                             api::FormatTime(api::Clock::now()));
          if (!merged.ok()) return merged.status();
          std::string rv(current["metadata"].get_object()["resourceVersion"].get_string());
          current = std::move(*merged);
          json::value& m = current["metadata"];
          if (m.is_object() && !m.get_object().contains("resourceVersion")) {
            m.get_object()["resourceVersion"] = rv;
          }
          return convert ? ToStorage(ri, current) : api::Status::Ok();
        },
        true);
  }
  auto parsed = ParseJson(body);
  if (!parsed.ok()) return parsed.status();
  const bool has_precondition = !PatchRv(*parsed).empty();
  return GuaranteedUpdate(
      storage_ri, ns, name, subresource, ctx,
      [&](json::object& current) -> api::Status {
        if (convert) FromStorage(ri, current);
        auto patched = ApplyPatchBody(ri, current, kind, body);
        if (!patched.ok()) return patched.status();
        current = std::move(*patched);
        return convert ? ToStorage(ri, current) : api::Status::Ok();
      },
      !has_precondition);
}

// ---- binding ----

api::Result<json::object> Registry::Bind(const api::ResourceInfo& ri, const std::string& ns,
                                         const std::string& name, const std::string& node,
                                         RequestContext& ctx) {
  auto bound = GuaranteedUpdate(
      ri, ns, name, "binding", ctx,
      [&](json::object& pod) -> api::Status {
        json::value& spec = pod["spec"];
        if (!spec.is_object()) spec = json::object();
        if (const json::value* n = spec.get_object().if_contains("nodeName");
            n && n->is_string() && !n->get_string().empty()) {
          return api::Status::ConflictFor("pods/binding", name,
                                          "pod " + name + " is already assigned to node \"" +
                                              std::string(n->get_string()) + "\"");
        }
        spec.get_object()["nodeName"] = node;
        return api::Status::Ok();
      },
      true);
  if (!bound.ok()) return bound;
  return GuaranteedUpdate(
      ri, ns, name, "status", ctx,
      [&](json::object& pod) -> api::Status {
        json::value& st = pod["status"];
        if (!st.is_object()) st = json::object();
        json::array conds;
        if (const json::value* c = st.get_object().if_contains("conditions"); c && c->is_array()) {
          for (const auto& x : c->get_array()) {
            const json::value* t = x.is_object() ? x.get_object().if_contains("type") : nullptr;
            if (t && t->is_string() && t->get_string() == "PodScheduled") continue;
            conds.push_back(x);
          }
        }
        json::object cond;
        cond["type"] = "PodScheduled";
        cond["status"] = "True";
        cond["lastProbeTime"] = nullptr;
        cond["lastTransitionTime"] = api::FormatTime(api::Clock::now());
        conds.push_back(std::move(cond));
        st.get_object()["conditions"] = std::move(conds);
        return api::Status::Ok();
      },
      true);
}

// ---- scale ----

namespace {

json::object ScaleFrom(const api::ResourceInfo& ri, const json::object& obj) {
  json::object scale;
  scale["kind"] = "Scale";
  scale["apiVersion"] = "autoscaling/v1";
  json::object meta;
  const json::object& om = obj.at("metadata").get_object();
  for (const char* k : {"name", "namespace", "uid", "resourceVersion", "creationTimestamp"}) {
    if (auto it = om.find(k); it != om.end()) meta[k] = it->value();
  }
  scale["metadata"] = std::move(meta);
  int64_t replicas = 0, status_replicas = 0;
  std::string selector;
  if (const json::value* spec = obj.if_contains("spec"); spec && spec->is_object()) {
    if (const json::value* r = spec->get_object().if_contains("replicas"); r && r->is_int64()) {
      replicas = r->get_int64();
    }
    if (const json::value* s = spec->get_object().if_contains("selector"); s && s->is_object()) {
      if (ri.group.empty()) {  // ReplicationController: a plain map selector
        json::object ls;
        ls["matchLabels"] = *s;
        auto sel = api::LabelSelector::FromJson(ls);
        if (sel.ok()) selector = sel->ToString();
      } else {
        auto sel = api::LabelSelector::FromJson(s->get_object());
        if (sel.ok()) selector = sel->ToString();
      }
    }
  }
  if (const json::value* st = obj.if_contains("status"); st && st->is_object()) {
    if (const json::value* r = st->get_object().if_contains("replicas"); r && r->is_int64()) {
      status_replicas = r->get_int64();
    }
  }
  json::object spec;
  spec["replicas"] = replicas;
  scale["spec"] = std::move(spec);
  json::object status;
  status["replicas"] = status_replicas;
  if (!selector.empty()) status["selector"] = selector;
  scale["status"] = std::move(status);
  return scale;
}

api::Result<int64_t> ReplicasFromScale(const json::object& scale) {
  const json::value* spec = scale.if_contains("spec");
  const json::value* r = spec && spec->is_object() ? spec->get_object().if_contains("replicas")
                                                   : nullptr;
  if (!r || !r->is_number()) {
    return api::Status::BadRequest("Scale.spec.replicas is required");
  }
  if (r->is_double() || (r->is_int64() && r->get_int64() < 0)) {
    std::vector<api::StatusCause> causes;
    causes.push_back({"FieldValueInvalid",
                      "Invalid value: " + json::serialize(*r) + ": must be greater than or equal to 0",
                      "spec.replicas"});
    return api::Status::InvalidFor("Scale.autoscaling", "", std::move(causes));
  }
  return r->get_int64();
}

}  // namespace

api::Result<json::object> Registry::GetScale(const api::ResourceInfo& ri, const std::string& ns,
                                             const std::string& name) {
  auto obj = Get(ri, ns, name);
  if (!obj.ok()) return obj.status();
  return ScaleFrom(ri, *obj);
}

api::Result<json::object> Registry::UpdateScale(const api::ResourceInfo& ri,
                                                const std::string& ns, const std::string& name,
                                                json::object scale, RequestContext& ctx) {
  auto replicas = ReplicasFromScale(scale);
  if (!replicas.ok()) return replicas.status();
  std::string rv;
  if (const json::value* m = scale.if_contains("metadata"); m && m->is_object()) {
    if (const json::value* r = m->get_object().if_contains("resourceVersion"); r && r->is_string()) {
      rv = std::string(r->get_string());
    }
  }
  auto updated = GuaranteedUpdate(
      ri, ns, name, "scale", ctx,
      [&](json::object& current) -> api::Status {
        if (!rv.empty()) current["metadata"].get_object()["resourceVersion"] = rv;
        json::value& spec = current["spec"];
        if (!spec.is_object()) spec = json::object();
        spec.get_object()["replicas"] = *replicas;
        return api::Status::Ok();
      },
      rv.empty());
  if (!updated.ok()) return updated.status();
  return ScaleFrom(ri, *updated);
}

api::Result<json::object> Registry::PatchScale(const api::ResourceInfo& ri, const std::string& ns,
                                               const std::string& name, PatchKind kind,
                                               const std::string& body, RequestContext& ctx) {
  auto current = GetScale(ri, ns, name);
  if (!current.ok()) return current.status();
  json::value doc = *current;
  auto patch = ParseJson(body);
  if (!patch.ok()) return patch.status();
  if (kind == PatchKind::kJson) {
    if (auto s = api::ApplyJsonPatch(doc, *patch); !s.ok()) return s;
  } else if (kind == PatchKind::kApply) {
    return api::Status(api::Reason::kUnsupportedMediaType,
                       "apply patches are not supported on the scale subresource");
  } else {
    api::ApplyMergePatch(doc, *patch);
  }
  if (!doc.is_object()) return api::Status::BadRequest("patch result is not an object");
  return UpdateScale(ri, ns, name, std::move(doc.get_object()), ctx);
}

}  // namespace kc::apiserver
