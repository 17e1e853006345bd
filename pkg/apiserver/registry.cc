#include "pkg/apiserver/registry.h"

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>

#include "pkg/api/defaults.h"
#include "pkg/api/managed_fields.h"
#include "pkg/api/time_util.h"
#include "pkg/api/validation.h"
#include "pkg/apiserver/keys.h"
#include "pkg/apiserver/service_allocation.h"
#include "pkg/apiserver/strategy.h"
#include "pkg/apiserver/watch_filter.h"

namespace kc::apiserver {
namespace json = boost::json;

namespace {

constexpr int kMaxConflictRetries = 16;

json::object& Meta(json::object& obj) {
  json::value& m = obj["metadata"];
  if (!m.is_object()) m = json::object();
  return m.get_object();
}

std::string StrField(const json::object& o, std::string_view key) {
  auto it = o.find(key);
  if (it == o.end() || !it->value().is_string()) return "";
  return std::string(it->value().get_string());
}

const json::object* MetaOf(const json::object& obj) {
  auto it = obj.find("metadata");
  if (it == obj.end() || !it->value().is_object()) return nullptr;
  return &it->value().get_object();
}

std::string MetaStr(const json::object& obj, std::string_view key) {
  const json::object* m = MetaOf(obj);
  return m ? StrField(*m, key) : "";
}

bool HasFinalizers(const json::object& obj) {
  const json::object* m = MetaOf(obj);
  if (!m) return false;
  auto it = m->find("finalizers");
  return it != m->end() && it->value().is_array() && !it->value().get_array().empty();
}

api::Status InvalidStatus(const api::ResourceInfo& ri, const std::string& name,
                          std::vector<api::StatusCause> causes) {
  api::Status s = api::Status::InvalidFor(ri.QualifiedKind(), name, std::move(causes));
  s.WithResource(ri.group, ri.kind);
  return s;
}

}  // namespace

Registry::Registry(store::Backend& backend) : backend_(backend) {}
Registry::~Registry() = default;

std::string Registry::Now() const { return api::FormatTime(api::Clock::now()); }

std::string EncodeForStorage(const json::object& obj) {
  auto it = obj.find("metadata");
  if (it != obj.end() && it->value().is_object() &&
      it->value().get_object().contains("resourceVersion")) {
    json::object copy = obj;
    copy["metadata"].get_object().erase("resourceVersion");
    return json::serialize(copy);
  }
  return json::serialize(obj);
}

api::Result<json::object> Registry::Decode(const store::KeyValue& kv) {
  boost::system::error_code ec;
  json::value v = json::parse(kv.value, ec);
  if (ec || !v.is_object()) {
    return api::Status::Internal("stored object at " + kv.key + " is corrupt");
  }
  json::object& obj = v.get_object();
  Meta(obj)["resourceVersion"] = std::to_string(kv.mod_revision);
  return std::move(obj);
}

api::Result<json::object> Registry::Get(const api::ResourceInfo& ri, const std::string& ns,
                                        const std::string& name) {
  auto kv = GetStored(ri, ns, name);
  if (!kv.ok()) return kv.status();
  return Decode(*kv);
}

api::Result<store::KeyValue> Registry::GetStored(const api::ResourceInfo& ri,
                                                 const std::string& ns, const std::string& name) {
  auto kv = backend_.Get(ObjectKey(ri, ns, name));
  if (!kv.ok() && kv.status().reason() == api::Reason::kNotFound) {
    return api::Status::NotFoundFor(ri.QualifiedResource(), name).WithResource(ri.group, ri.plural);
  }
  return kv;
}

api::Status Registry::CheckNamespaceWritable(const api::ResourceInfo& ri, const std::string& ns) {
  if (!ri.namespaced) return api::Status::Ok();
  static const api::ResourceInfo* ns_info = api::FindResource("", "v1", "namespaces");
  auto kv = backend_.Get(ObjectKey(*ns_info, "", ns));
  if (!kv.ok()) {
    if (kv.status().reason() == api::Reason::kNotFound) {
      return api::Status::NotFoundFor("namespaces", ns).WithResource("", "namespaces");
    }
    return kv.status();
  }
  // A terminating namespace carries a deletionTimestamp.
  if (kv->value.find("\"deletionTimestamp\"") != std::string::npos) {
    auto obj = Decode(*kv);
    if (obj.ok() && !MetaStr(*obj, "deletionTimestamp").empty()) {
      return api::Status::Forbidden("unable to create new content in namespace " + ns +
                                    " because it is being terminated")
          .WithName(ns)
          .WithResource("", ri.plural);
    }
  }
  return api::Status::Ok();
}

api::Result<json::object> Registry::Create(const api::ResourceInfo& ri, const std::string& ns,
                                           json::object obj, RequestContext& ctx) {
  api::Result<json::object> result = api::Status::Internal("create did not finish");
  CreateImpl(ri, ns, std::move(obj), ctx, false,
             [&result](api::Result<json::object> r, std::string) { result = std::move(r); });
  return result;
}

void Registry::CreateAsync(const api::ResourceInfo& ri, const std::string& ns, json::object obj,
                           RequestContext& ctx, CreateCallback done) {
  CreateImpl(ri, ns, std::move(obj), ctx, true, std::move(done));
}

void Registry::CreateImpl(const api::ResourceInfo& ri, const std::string& ns, json::object obj,
                          RequestContext& ctx, bool async, CreateCallback done) {
  auto prepared = PrepareCreate(ri, ns, obj, ctx);
  if (!prepared.ok()) return done(prepared.status(), {});
  if (!*prepared) return done(std::move(obj), {});  // dry run: validated, not stored
  std::string name = StrField(Meta(obj), "name");
  std::string key = ObjectKey(ri, ns, name);
  std::string value = EncodeForStorage(obj);
  // Services hold allocations that a failed write must give back; they stay synchronous.
  if (async && !IsService(ri)) {
    std::string stored = value;
    backend_.CreateAsync(key, std::move(value),
                         [ri = &ri, name = std::move(name), obj = std::move(obj),
                          stored = std::move(stored),
                          done = std::move(done)](api::Result<int64_t> rev) mutable {
                           if (!rev.ok()) stored.clear();
                           done(FinishCreate(*ri, name, std::move(obj), rev), std::move(stored));
                         });
    return;
  }
  auto rev = backend_.Create(key, std::move(value));
  if (!rev.ok() && IsService(ri)) services_->Release(obj);
  done(FinishCreate(ri, name, std::move(obj), rev), {});
}

api::Result<json::object> Registry::FinishCreate(const api::ResourceInfo& ri,
                                                 const std::string& name, json::object obj,
                                                 const api::Result<int64_t>& rev) {
  if (!rev.ok()) {
    if (rev.status().reason() == api::Reason::kAlreadyExists) {
      return api::Status::AlreadyExistsFor(ri.QualifiedResource(), name)
          .WithResource(ri.group, ri.plural);
    }
    return rev.status();
  }
  Meta(obj)["resourceVersion"] = std::to_string(*rev);
  return obj;
}

api::Result<bool> Registry::PrepareCreate(const api::ResourceInfo& ri, const std::string& ns,
                                          json::object& obj, RequestContext& ctx) {
  json::object& meta = Meta(obj);
  // Namespace reconciliation (§0 of the defaults reference).
  if (ri.namespaced) {
    std::string body_ns = StrField(meta, "namespace");
    if (!body_ns.empty() && body_ns != ns) {
      return api::Status::BadRequest(
          "the namespace of the provided object does not match the namespace sent on the "
          "request");
    }
    meta["namespace"] = ns;
  } else {
    meta.erase("namespace");
  }
  if (!StrField(meta, "resourceVersion").empty()) {
    return api::Status::Internal("resourceVersion should not be set on objects to be created");
  }
  std::string name = StrField(meta, "name");
  if (name.empty()) {
    std::string gen = StrField(meta, "generateName");
    if (!gen.empty()) {
      name = gen + api::RandomSuffix(5);
      meta["name"] = name;
    }
  }
  if (auto s = CheckNamespaceWritable(ri, ns); !s.ok()) return s;

  meta.erase("deletionTimestamp");
  meta.erase("deletionGracePeriodSeconds");
  meta.erase("selfLink");
  meta["uid"] = api::NewUid();
  std::string now = Now();
  meta["creationTimestamp"] = now;
  obj["apiVersion"] = ri.GroupVersion();
  obj["kind"] = ri.kind;

  api::ApplyDefaults(ri, obj);
  PrepareForCreate(ri, obj);
  bool allocated = false;
  if (IsService(ri)) {
    if (auto s = services_->Assign(obj); !s.ok()) return s;
    allocated = true;
  }
  // Whatever happens below, a Service that was not stored gives its addresses back.
  struct Undo {
    Registry* r;
    const api::ResourceInfo& ri;
    json::object& obj;
    bool armed;
    ~Undo() {
      if (armed) r->services_->Release(obj);
    }
  } undo{this, ri, obj, allocated};
  if (auto causes = api::ValidateObject(ri, obj); !causes.empty()) {
    return InvalidStatus(ri, name, std::move(causes));
  }
  if (!ctx.managed_fields_done) {
    api::UpdateManagedFields(nullptr, obj, ctx.field_manager, ri.GroupVersion(), "", now, ri.group,
                             ri.kind);
  }
  if (ctx.dry_run) return false;  // the undo gives a dry run's allocations back
  undo.armed = false;  // from here on CreateImpl releases them if the write fails
  return true;
}

void Registry::OnRemoved(const api::ResourceInfo& ri, const json::object& obj) {
  if (IsService(ri)) services_->Release(obj);
}

api::Result<json::object> Registry::GuaranteedUpdate(const api::ResourceInfo& ri,
                                                     const std::string& ns,
                                                     const std::string& name,
                                                     const std::string& subresource,
                                                     RequestContext& ctx, const Mutator& mutate,
                                                     bool retry_on_conflict) {
  const std::string key = ObjectKey(ri, ns, name);
  for (int attempt = 0;; ++attempt) {
    auto kv = backend_.Get(key);
    if (!kv.ok()) {
      if (kv.status().reason() == api::Reason::kNotFound) {
        return api::Status::NotFoundFor(ri.QualifiedResource(), name)
            .WithResource(ri.group, ri.plural);
      }
      return kv.status();
    }
    auto current = Decode(*kv);
    if (!current.ok()) return current.status();
    json::object desired = *current;
    if (auto s = mutate(desired); !s.ok()) return s;
    auto result = FinishUpdate(ri, *kv, *current, std::move(desired), subresource, ctx);
    if (result.ok() || result.status().reason() != api::Reason::kConflict || !retry_on_conflict ||
        attempt >= kMaxConflictRetries) {
      return result;
    }
  }
}

api::Result<json::object> Registry::FinishUpdate(const api::ResourceInfo& ri,
                                                 const store::KeyValue& old_kv,
                                                 const json::object& old, json::object obj,
                                                 const std::string& subresource,
                                                 RequestContext& ctx) {
  const std::string name = MetaStr(old, "name");
  json::object& meta = Meta(obj);
  const json::object* old_meta = MetaOf(old);
  // Precondition: a resourceVersion in the new object must match.
  std::string rv = StrField(meta, "resourceVersion");
  if (!rv.empty() && rv != std::to_string(old_kv.mod_revision)) {
    return api::Status::ConflictFor(ri.QualifiedResource(), name,
                                    "the object has been modified; please apply your changes to "
                                    "the latest version and try again")
        .WithResource(ri.group, ri.plural);
  }
  // Identity and server-owned metadata carry over.
  if (StrField(meta, "name").empty()) meta["name"] = name;
  if (ri.namespaced) {
    std::string ons = StrField(*old_meta, "namespace");
    if (StrField(meta, "namespace").empty()) meta["namespace"] = ons;
  }
  if (StrField(meta, "uid").empty()) meta["uid"] = StrField(*old_meta, "uid");
  meta["creationTimestamp"] = old_meta->at("creationTimestamp");
  for (const char* k : {"deletionTimestamp", "deletionGracePeriodSeconds", "generation"}) {
    auto it = old_meta->find(k);
    if (it != old_meta->end()) {
      meta[k] = it->value();
    } else {
      meta.erase(k);
    }
  }
  if (!meta.contains("managedFields") && old_meta->contains("managedFields")) {
    meta["managedFields"] = old_meta->at("managedFields");
  }
  obj["apiVersion"] = ri.GroupVersion();
  obj["kind"] = ri.kind;

  api::ApplyDefaults(ri, obj);
  if (subresource == "status") {
    PrepareForStatusUpdate(ri, obj, old);
  } else if (subresource == "finalize") {
    // namespaces/finalize changes only spec.finalizers.
    json::object restored = old;
    json::value fin = json::array();
    if (const json::value* spec = obj.if_contains("spec"); spec && spec->is_object()) {
      if (const json::value* f = spec->get_object().if_contains("finalizers")) fin = *f;
    }
    json::value& rspec = restored["spec"];
    if (!rspec.is_object()) rspec = json::object();
    rspec.get_object()["finalizers"] = fin;
    Meta(restored)["resourceVersion"] = Meta(obj)["resourceVersion"];
    obj = std::move(restored);
  } else {
    PrepareForUpdate(ri, obj, old);
  }
  // Services: type changes drop/allocate ClusterIPs and NodePorts; given back unless stored.
  ServiceAllocation::Claims claims;
  const bool service_update = IsService(ri) && subresource.empty();
  if (service_update) {
    auto c = services_->AssignForUpdate(obj, old);
    if (!c.ok()) return c.status();
    claims = std::move(*c);
  }
  struct UndoClaims {
    ServiceAllocation* alloc;
    const ServiceAllocation::Claims& claims;
    bool armed;
    ~UndoClaims() {
      if (armed) alloc->Undo(claims);
    }
  } undo_claims{services_, claims, service_update};
  std::vector<api::StatusCause> causes = api::ValidateObject(ri, obj);
  // pods/binding is the one sanctioned way to set spec.nodeName on an existing pod.
  std::vector<api::StatusCause> ucauses;
  if (subresource != "binding") ucauses = api::ValidateUpdate(ri, obj, old);
  causes.insert(causes.end(), ucauses.begin(), ucauses.end());
  if (!causes.empty()) return InvalidStatus(ri, name, std::move(causes));

  std::string now = Now();
  if (!ctx.managed_fields_done) {
    api::UpdateManagedFields(&old, obj, ctx.field_manager, ri.GroupVersion(), subresource, now,
                             ri.group, ri.kind);
  }

  // Removing the last finalizer of an object being deleted completes the deletion.
  bool deleting = !MetaStr(obj, "deletionTimestamp").empty();
  const json::value* grace = Meta(obj).if_contains("deletionGracePeriodSeconds");
  bool graceful = grace && grace->is_int64() && grace->get_int64() > 0;
  bool spec_finalizers = false;  // Namespaces also wait for spec.finalizers.
  if (ri.group.empty() && ri.kind == "Namespace") {
    if (const json::value* spec = obj.if_contains("spec"); spec && spec->is_object()) {
      const json::value* f = spec->get_object().if_contains("finalizers");
      spec_finalizers = f && f->is_array() && !f->get_array().empty();
    }
  }
  if (deleting && !HasFinalizers(obj) && !graceful && !spec_finalizers) {
    if (ctx.dry_run) return obj;
    auto del = backend_.Delete(old_kv.key, old_kv.mod_revision);
    if (!del.ok()) {
      if (del.status().reason() == api::Reason::kConflict) {
        return api::Status::ConflictFor(ri.QualifiedResource(), name,
                                        "the object has been modified; please apply your "
                                        "changes to the latest version and try again");
      }
      return del.status();
    }
    Meta(obj)["resourceVersion"] = std::to_string(del->mod_revision);
    undo_claims.armed = false;
    OnRemoved(ri, obj);
    if (service_update) services_->ReleaseDropped(obj, old);
    return obj;
  }

  // No-op writes keep the resourceVersion and emit no event. The stored bytes are the old
  // object's encoding (Decode only adds resourceVersion, which encoding drops again), so one
  // comparison suffices.
  std::string encoded = EncodeForStorage(obj);
  if (encoded == old_kv.value) {
    Meta(obj)["resourceVersion"] = std::to_string(old_kv.mod_revision);
    return obj;
  }
  if (ctx.dry_run) return obj;
  auto rev = backend_.Update(old_kv.key, std::move(encoded), old_kv.mod_revision);
  if (!rev.ok()) {
    if (rev.status().reason() == api::Reason::kConflict) {
      return api::Status::ConflictFor(ri.QualifiedResource(), name,
                                      "the object has been modified; please apply your changes "
                                      "to the latest version and try again")
          .WithResource(ri.group, ri.plural);
    }
    if (rev.status().reason() == api::Reason::kNotFound) {
      return api::Status::NotFoundFor(ri.QualifiedResource(), name)
          .WithResource(ri.group, ri.plural);
    }
    return rev.status();
  }
  Meta(obj)["resourceVersion"] = std::to_string(*rev);
  if (service_update) {
    undo_claims.armed = false;
    services_->ReleaseDropped(obj, old);
  }
  return obj;
}

api::Result<json::object> Registry::Update(const api::ResourceInfo& ri, const std::string& ns,
                                           const std::string& name, json::object obj,
                                           const std::string& subresource, RequestContext& ctx) {
  json::object& meta = Meta(obj);
  std::string body_name = StrField(meta, "name");
  if (!body_name.empty() && body_name != name) {
    return api::Status::BadRequest("the name of the object (" + body_name +
                                   ") does not match the name on the URL (" + name + ")");
  }
  if (ri.namespaced) {
    std::string body_ns = StrField(meta, "namespace");
    if (!body_ns.empty() && body_ns != ns) {
      return api::Status::BadRequest(
          "the namespace of the provided object does not match the namespace sent on the "
          "request");
    }
  }
  bool has_rv = !StrField(meta, "resourceVersion").empty();
  return GuaranteedUpdate(
      ri, ns, name, subresource, ctx,
      [&](json::object& current) {
        json::object next = obj;
        // An empty resourceVersion means "unconditional": take the current one.
        if (!has_rv) Meta(next)["resourceVersion"] = Meta(current)["resourceVersion"];
        current = std::move(next);
        return api::Status::Ok();
      },
      !has_rv);
}

api::Status Registry::Bootstrap() {
  static const api::ResourceInfo* ns_info = api::FindResource("", "v1", "namespaces");
  for (const char* name : {"default", "kube-system", "kube-public", "kube-node-lease"}) {
    RequestContext ctx;
    ctx.field_manager = "kcluster";
    json::object obj;
    obj["apiVersion"] = "v1";
    obj["kind"] = "Namespace";
    json::object meta;
    meta["name"] = name;
    json::object labels;
    labels["kubernetes.io/metadata.name"] = name;
    meta["labels"] = std::move(labels);
    obj["metadata"] = std::move(meta);
    auto r = Create(*ns_info, "", std::move(obj), ctx);
    if (!r.ok() && r.status().reason() != api::Reason::kAlreadyExists) return r.status();
  }
  if (!services_) return api::Status::Ok();
  // Rebuild the allocation bitmaps from the stored Services, then make sure the `kubernetes`
  // Service holds the first address of the range.
  static const api::ResourceInfo* svc_info = api::FindResource("", "v1", "services");
  auto all = List(*svc_info, "", ListOptions{});
  if (!all.ok()) return all.status();
  for (const auto& svc : all->items) services_->Restore(svc);
  if (Get(*svc_info, "default", "kubernetes").ok()) return api::Status::Ok();
  json::value svc = json::parse(R"({"apiVersion":"v1","kind":"Service","metadata":{"name":"kubernetes",
      "labels":{"component":"apiserver","provider":"kubernetes"}},"spec":{"type":"ClusterIP",
      "sessionAffinity":"None","ports":[{"name":"https","port":443,"protocol":"TCP","targetPort":6443}]}})");
  svc.get_object()["spec"].get_object()["clusterIP"] = services_->KubernetesServiceIp();
  RequestContext ctx;
  ctx.field_manager = "kcluster";
  auto r = Create(*svc_info, "default", std::move(svc.get_object()), ctx);
  if (!r.ok() && r.status().reason() != api::Reason::kAlreadyExists) return r.status();
  return api::Status::Ok();
}

}  // namespace kc::apiserver
