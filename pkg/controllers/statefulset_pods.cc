#include "pkg/controllers/statefulset_pods.h"

#include <algorithm>
#include <boost/json/array.hpp>
#include <boost/json/serialize.hpp>

#include "pkg/api/json_path.h"
#include "pkg/client/indexer.h"
#include "pkg/controllers/controller_utils.h"

namespace kc::controllers {
namespace {

std::string Name(const client::Object& o) { return client::ObjectMetaString(o, "name"); }
std::string Uid(const client::Object& o) { return client::ObjectMetaString(o, "uid"); }

const boost::json::object* LabelsOf(const client::Object& o) {
  const boost::json::value* l = api::Lookup(o, "metadata.labels");
  return l && l->is_object() ? &l->get_object() : nullptr;
}

const boost::json::array* ClaimTemplates(const client::Object& set) {
  const boost::json::value* v = api::Lookup(set, "spec.volumeClaimTemplates");
  return v && v->is_array() ? &v->get_array() : nullptr;
}

std::string TemplateName(const boost::json::value& t) {
  const boost::json::value* n = t.is_object() ? api::Lookup(t, "metadata.name") : nullptr;
  return n && n->is_string() ? std::string(n->get_string()) : "";
}

boost::json::object OwnerRefTo(const char* api_version, const char* kind,
                               const client::Object& owner) {
  return boost::json::object{
      {"apiVersion", api_version}, {"kind", kind}, {"name", Name(owner)}, {"uid", Uid(owner)}};
}

bool HasRefUid(const boost::json::array& refs, const std::string& uid) {
  for (const boost::json::value& r : refs) {
    if (r.is_object() && api::GetString(r.get_object(), "uid") == uid) return true;
  }
  return false;
}

bool RemoveRefUid(boost::json::array& refs, const std::string& uid) {
  bool changed = false;
  for (auto it = refs.begin(); it != refs.end();) {
    if (it->is_object() && api::GetString(it->get_object(), "uid") == uid) {
      it = refs.erase(it);
      changed = true;
    } else {
      ++it;
    }
  }
  return changed;
}

}  // namespace

StatefulPodIdentity ParseStatefulPodName(const std::string& pod_name) {
  StatefulPodIdentity id;
  size_t dash = pod_name.rfind('-');
  if (dash == std::string::npos || dash + 1 >= pod_name.size()) return id;
  std::string digits = pod_name.substr(dash + 1);
  if (digits.size() > 9 || !std::all_of(digits.begin(), digits.end(), ::isdigit)) return id;
  id.parent = pod_name.substr(0, dash);
  id.ordinal = std::stoll(digits);
  return id;
}

std::string StatefulSetPodName(const client::Object& set, int64_t ordinal) {
  return Name(set) + "-" + std::to_string(ordinal);
}

int64_t StartOrdinal(const client::Object& set) {
  const boost::json::value* s = api::Lookup(set, "spec.ordinals.start");
  return s && s->is_int64() ? std::max<int64_t>(0, s->get_int64()) : 0;
}

int64_t SetReplicas(const client::Object& set) {
  const boost::json::value* r = api::Lookup(set, "spec.replicas");
  if (r && r->is_int64()) return std::max<int64_t>(0, r->get_int64());
  if (r && r->is_uint64()) return static_cast<int64_t>(r->get_uint64());
  return 1;
}

int64_t PodOrdinal(const client::Object& pod) { return ParseStatefulPodName(Name(pod)).ordinal; }

bool IsMemberOf(const client::Object& set, const client::Object& pod) {
  StatefulPodIdentity id = ParseStatefulPodName(Name(pod));
  return id.ordinal >= 0 && id.parent == Name(set);
}

bool OrdinalInRange(const client::Object& set, int64_t ordinal) {
  int64_t start = StartOrdinal(set);
  return ordinal >= start && ordinal < start + SetReplicas(set);
}

std::string ClaimName(const client::Object& set, const std::string& template_name,
                      int64_t ordinal) {
  return template_name + "-" + Name(set) + "-" + std::to_string(ordinal);
}

std::vector<client::Object> ClaimsForOrdinal(const client::Object& set, int64_t ordinal) {
  std::vector<client::Object> out;
  const boost::json::array* templates = ClaimTemplates(set);
  if (!templates) return out;
  const boost::json::value* ml = api::Lookup(set, "spec.selector.matchLabels");
  for (const boost::json::value& t : *templates) {
    std::string tname = TemplateName(t);
    if (tname.empty()) continue;
    const boost::json::object& tmpl = t.get_object();
    boost::json::object meta;
    meta["name"] = ClaimName(set, tname, ordinal);
    meta["namespace"] = client::ObjectMetaString(set, "namespace");
    boost::json::object labels;
    if (const boost::json::value* l = api::Lookup(tmpl, "metadata.labels"); l && l->is_object()) {
      labels = l->get_object();
    }
    if (ml && ml->is_object()) {
      for (const auto& kv : ml->get_object()) labels[kv.key()] = kv.value();
    }
    if (!labels.empty()) meta["labels"] = std::move(labels);
    if (const boost::json::value* a = api::Lookup(tmpl, "metadata.annotations");
        a && a->is_object() && !a->get_object().empty()) {
      meta["annotations"] = *a;
    }
    client::Object claim;
    claim["apiVersion"] = "v1";
    claim["kind"] = "PersistentVolumeClaim";
    claim["metadata"] = std::move(meta);
    const boost::json::value* spec = tmpl.if_contains("spec");
    claim["spec"] = spec && spec->is_object() ? *spec : boost::json::object();
    out.push_back(std::move(claim));
  }
  return out;
}

client::Object NewStatefulSetPod(const client::Object& set, int64_t ordinal) {
  const boost::json::value* tv = api::Lookup(set, "spec.template");
  boost::json::object tmpl = tv && tv->is_object() ? tv->get_object() : boost::json::object();
  std::string name = StatefulSetPodName(set, ordinal);
  boost::json::object meta;
  meta["name"] = name;
  meta["namespace"] = client::ObjectMetaString(set, "namespace");
  boost::json::object labels;
  if (const boost::json::value* l = api::Lookup(tmpl, "metadata.labels"); l && l->is_object()) {
    labels = l->get_object();
  }
  labels[kStatefulSetPodNameLabel] = name;
  labels[kPodIndexLabel] = std::to_string(ordinal);
  meta["labels"] = std::move(labels);
  if (const boost::json::value* a = api::Lookup(tmpl, "metadata.annotations");
      a && a->is_object() && !a->get_object().empty()) {
    meta["annotations"] = *a;
  }
  if (const boost::json::value* f = api::Lookup(tmpl, "metadata.finalizers");
      f && f->is_array() && !f->get_array().empty()) {
    meta["finalizers"] = *f;
  }
  meta["ownerReferences"] = boost::json::array{ControllerRefFor(set)};
  const boost::json::value* sv = tmpl.if_contains("spec");
  boost::json::object spec = sv && sv->is_object() ? sv->get_object() : boost::json::object();
  spec["hostname"] = name;
  const boost::json::value* service = api::Lookup(set, "spec.serviceName");
  if (service && service->is_string() && !service->get_string().empty()) {
    spec["subdomain"] = *service;
  }
  // Claim volumes first (template order), then the template's other volumes.
  boost::json::array volumes;
  std::vector<std::string> claimed;
  if (const boost::json::array* templates = ClaimTemplates(set)) {
    for (const boost::json::value& t : *templates) {
      std::string tname = TemplateName(t);
      if (tname.empty()) continue;
      claimed.push_back(tname);
      volumes.emplace_back(boost::json::object{
          {"name", tname},
          {"persistentVolumeClaim",
           boost::json::object{{"claimName", ClaimName(set, tname, ordinal)}}}});
    }
  }
  if (const boost::json::array* cur = api::GetArray(spec, "volumes")) {
    for (const boost::json::value& v : *cur) {
      std::string vname = v.is_object() ? api::GetString(v.get_object(), "name") : "";
      if (std::find(claimed.begin(), claimed.end(), vname) == claimed.end()) volumes.push_back(v);
    }
  }
  if (!volumes.empty()) spec["volumes"] = std::move(volumes);
  client::Object pod;
  pod["apiVersion"] = "v1";
  pod["kind"] = "Pod";
  pod["metadata"] = std::move(meta);
  pod["spec"] = std::move(spec);
  return pod;
}

bool IdentityMatches(const client::Object& set, const client::Object& pod) {
  StatefulPodIdentity id = ParseStatefulPodName(Name(pod));
  if (id.ordinal < 0 || id.parent != Name(set)) return false;
  if (client::ObjectMetaString(pod, "namespace") != client::ObjectMetaString(set, "namespace")) {
    return false;
  }
  const boost::json::object* labels = LabelsOf(pod);
  return labels && api::GetString(*labels, kStatefulSetPodNameLabel) == Name(pod) &&
         api::GetString(*labels, kPodIndexLabel) == std::to_string(id.ordinal);
}

bool StorageMatches(const client::Object& set, const client::Object& pod) {
  int64_t ordinal = PodOrdinal(pod);
  if (ordinal < 0) return false;
  const boost::json::array* templates = ClaimTemplates(set);
  if (!templates) return true;
  const boost::json::value* vv = api::Lookup(pod, "spec.volumes");
  for (const boost::json::value& t : *templates) {
    std::string tname = TemplateName(t);
    if (tname.empty()) continue;
    bool found = false;
    if (vv && vv->is_array()) {
      for (const boost::json::value& v : vv->get_array()) {
        if (!v.is_object() || api::GetString(v.get_object(), "name") != tname) continue;
        const boost::json::value* c = api::Lookup(v, "persistentVolumeClaim.claimName");
        found = c && c->is_string() && c->get_string() == ClaimName(set, tname, ordinal);
        break;
      }
    }
    if (!found) return false;
  }
  return true;
}

std::string IdentityLabelsPatch(const client::Object& set, const client::Object& pod) {
  int64_t ordinal = PodOrdinal(pod);
  std::string name = StatefulSetPodName(set, ordinal);
  boost::json::object patch{
      {"metadata",
       boost::json::object{
           {"resourceVersion", client::ObjectMetaString(pod, "resourceVersion")},
           {"labels", boost::json::object{{kStatefulSetPodNameLabel, name},
                                          {kPodIndexLabel, std::to_string(ordinal)}}}}}};
  return boost::json::serialize(patch);
}

ClaimRetentionPolicy RetentionPolicyOf(const client::Object& set) {
  ClaimRetentionPolicy p;
  const boost::json::value* v = api::Lookup(set, "spec.persistentVolumeClaimRetentionPolicy");
  if (!v || !v->is_object()) return p;
  p.delete_when_deleted = api::GetString(v->get_object(), "whenDeleted") == "Delete";
  p.delete_when_scaled = api::GetString(v->get_object(), "whenScaled") == "Delete";
  return p;
}

std::optional<boost::json::array> ClaimOwnerRefs(const client::Object& claim,
                                                 const client::Object& set,
                                                 const client::Object* pod) {
  boost::json::array refs;
  if (const boost::json::value* r = api::Lookup(claim, "metadata.ownerReferences");
      r && r->is_array()) {
    refs = r->get_array();
  }
  ClaimRetentionPolicy policy = RetentionPolicyOf(set);
  bool scaled_down = pod && !OrdinalInRange(set, PodOrdinal(*pod));
  bool want_set = policy.delete_when_deleted && !(policy.delete_when_scaled && scaled_down);
  bool want_pod = pod && policy.delete_when_scaled && scaled_down;
  bool changed = false;
  std::string set_uid = Uid(set);
  if (want_set && !HasRefUid(refs, set_uid)) {
    refs.emplace_back(OwnerRefTo("apps/v1", "StatefulSet", set));
    changed = true;
  } else if (!want_set) {
    changed |= RemoveRefUid(refs, set_uid);
  }
  if (pod && !Uid(*pod).empty()) {
    std::string pod_uid = Uid(*pod);
    if (want_pod && !HasRefUid(refs, pod_uid)) {
      refs.emplace_back(OwnerRefTo("v1", "Pod", *pod));
      changed = true;
    } else if (!want_pod) {
      changed |= RemoveRefUid(refs, pod_uid);
    }
  }
  if (!changed) return std::nullopt;
  return refs;
}

bool ClaimHasStalePodRef(const client::Object& claim, const std::string& pod_name,
                         const std::string& pod_uid) {
  const boost::json::value* r = api::Lookup(claim, "metadata.ownerReferences");
  if (!r || !r->is_array()) return false;
  for (const boost::json::value& ref : r->get_array()) {
    if (!ref.is_object()) continue;
    const boost::json::object& o = ref.get_object();
    if (api::GetString(o, "kind") == "Pod" && api::GetString(o, "name") == pod_name &&
        api::GetString(o, "uid") != pod_uid) {
      return true;
    }
  }
  return false;
}

}  // namespace kc::controllers
