#include "pkg/controllers/controller_revision.h"

#include <algorithm>
#include <boost/json/array.hpp>
#include <utility>

#include "pkg/api/json_path.h"
#include "pkg/client/indexer.h"
#include "pkg/controllers/controller_utils.h"

namespace kc::controllers {
namespace {

// A deep copy of `v` whose object members are in key order.
boost::json::value Sorted(const boost::json::value& v) {
  if (v.is_object()) {
    std::vector<std::pair<std::string, const boost::json::value*>> members;
    for (const auto& kv : v.get_object()) members.emplace_back(std::string(kv.key()), &kv.value());
    std::sort(members.begin(), members.end(),
              [](const auto& a, const auto& b) { return a.first < b.first; });
    boost::json::object out;
    for (const auto& [k, val] : members) out[k] = Sorted(*val);
    return out;
  }
  if (v.is_array()) {
    boost::json::array out;
    for (const boost::json::value& e : v.get_array()) out.push_back(Sorted(e));
    return out;
  }
  return v;
}

std::string SafeEncode(const std::string& s) {
  static constexpr char kAlphabet[] = "bcdfghjklmnpqrstvwxz2456789";
  std::string out;
  for (unsigned char c : s) out += kAlphabet[c % (sizeof(kAlphabet) - 1)];
  return out;
}

std::string Name(const client::Object& o) { return client::ObjectMetaString(o, "name"); }

// A label value that parses as a 32-bit number (what old controllers wrote).
std::optional<int64_t> NumericHash(const std::string& s) {
  if (s.empty() || s.size() > 10 || !std::all_of(s.begin(), s.end(), ::isdigit)) {
    return std::nullopt;
  }
  int64_t v = std::stoll(s);
  if (v > 4294967295LL) return std::nullopt;
  return v;
}

}  // namespace

boost::json::object RevisionPatch(const client::Object& owner) {
  boost::json::object tmpl;
  if (const boost::json::value* t = api::Lookup(owner, "spec.template"); t && t->is_object()) {
    tmpl = t->get_object();
  }
  tmpl["$patch"] = "replace";
  boost::json::object spec;
  spec["template"] = std::move(tmpl);
  boost::json::object patch;
  patch["spec"] = std::move(spec);
  return Sorted(patch).as_object();
}

std::string HashRevisionData(const boost::json::value& data,
                             std::optional<int64_t> collision_count) {
  std::string text = CanonicalJson(data);
  if (collision_count) text += std::to_string(*collision_count);
  // FNV-1 (multiply, then xor), 32 bits.
  uint32_t h = 2166136261u;
  for (unsigned char c : text) {
    h *= 16777619u;
    h ^= c;
  }
  return SafeEncode(std::to_string(h));
}

std::string ControllerRevisionName(const std::string& prefix, const std::string& hash) {
  std::string p = prefix.size() > 223 ? prefix.substr(0, 223) : prefix;
  return p + "-" + hash;
}

client::Object NewControllerRevision(const client::Object& owner,
                                     const boost::json::object& template_labels,
                                     const boost::json::object& data, int64_t revision,
                                     std::optional<int64_t> collision_count) {
  std::string hash = HashRevisionData(data, collision_count);
  boost::json::object labels = template_labels;
  labels[kControllerRevisionHashLabel] = hash;
  boost::json::object meta;
  meta["name"] = ControllerRevisionName(Name(owner), hash);
  meta["namespace"] = client::ObjectMetaString(owner, "namespace");
  meta["labels"] = std::move(labels);
  if (const boost::json::value* a = api::Lookup(owner, "metadata.annotations");
      a && a->is_object() && !a->get_object().empty()) {
    meta["annotations"] = *a;
  }
  meta["ownerReferences"] = boost::json::array{ControllerRefFor(owner)};
  client::Object cr;
  cr["apiVersion"] = "apps/v1";
  cr["kind"] = "ControllerRevision";
  cr["metadata"] = std::move(meta);
  cr["data"] = data;
  cr["revision"] = revision;
  return cr;
}

int64_t RevisionNumber(const client::Object& revision) {
  return api::GetInt64(revision, "revision");
}

std::string RevisionHashLabel(const client::Object& revision) {
  const boost::json::value* l = api::Lookup(revision, "metadata.labels");
  return l && l->is_object() ? api::GetString(l->get_object(), kControllerRevisionHashLabel) : "";
}

bool RevisionDataEquals(const client::Object& revision, const boost::json::object& data) {
  const boost::json::value* d = revision.if_contains("data");
  return d && CanonicalJson(*d) == CanonicalJson(data);
}

bool EqualRevision(const client::Object& a, const client::Object& b) {
  std::optional<int64_t> ha = NumericHash(RevisionHashLabel(a));
  std::optional<int64_t> hb = NumericHash(RevisionHashLabel(b));
  if (ha && hb && *ha != *hb) return false;
  const boost::json::value* da = a.if_contains("data");
  const boost::json::value* db = b.if_contains("data");
  if (!da || !db) return !da && !db;
  return CanonicalJson(*da) == CanonicalJson(*db);
}

void SortRevisions(std::vector<client::Object>& revisions) {
  std::stable_sort(revisions.begin(), revisions.end(),
                   [](const client::Object& a, const client::Object& b) {
                     int64_t ra = RevisionNumber(a), rb = RevisionNumber(b);
                     if (ra != rb) return ra < rb;
                     std::string ta = client::ObjectMetaString(a, "creationTimestamp");
                     std::string tb = client::ObjectMetaString(b, "creationTimestamp");
                     if (ta != tb) return ta < tb;
                     return Name(a) < Name(b);
                   });
}

std::vector<size_t> FindEqualRevisions(const std::vector<client::Object>& revisions,
                                       const client::Object& needle) {
  std::vector<size_t> out;
  for (size_t i = 0; i < revisions.size(); ++i) {
    if (EqualRevision(revisions[i], needle)) out.push_back(i);
  }
  return out;
}

int64_t NextRevision(const std::vector<client::Object>& sorted) {
  return sorted.empty() ? 1 : RevisionNumber(sorted.back()) + 1;
}

api::Result<client::Object> ApplyRevision(const client::Object& owner,
                                          const client::Object& revision) {
  const boost::json::value* t = api::Lookup(revision, "data.spec.template");
  if (!t || !t->is_object()) {
    return api::Status::Invalid("controllerrevision " + Name(revision) + " has no template");
  }
  boost::json::object tmpl = t->get_object();
  tmpl.erase("$patch");
  client::Object out = owner;
  api::EnsureObject(out, "spec")["template"] = std::move(tmpl);
  return out;
}

std::vector<const client::Object*> RevisionsToPrune(const std::vector<client::Object>& sorted,
                                                    const std::set<std::string>& live,
                                                    int64_t limit) {
  std::vector<const client::Object*> history;
  for (const client::Object& r : sorted) {
    if (!live.count(Name(r))) history.push_back(&r);
  }
  int64_t excess = static_cast<int64_t>(history.size()) - std::max<int64_t>(0, limit);
  if (excess <= 0) return {};
  history.resize(static_cast<size_t>(excess));
  return history;
}

api::Result<client::Object> CreateControllerRevision(client::Client& client,
                                                     const client::Object& owner,
                                                     const client::Object& revision,
                                                     int64_t* collision_count) {
  const boost::json::value* dv = revision.if_contains("data");
  boost::json::object data = dv && dv->is_object() ? dv->get_object() : boost::json::object();
  std::string ns = client::ObjectMetaString(owner, "namespace");
  // Each round either returns or raises the count, so this ends; the bound is a safety net.
  for (int attempt = 0; attempt < 100; ++attempt) {
    std::string hash = HashRevisionData(data, *collision_count);
    client::Object clone = revision;
    boost::json::object& meta = api::EnsureObject(clone, "metadata");
    meta["name"] = ControllerRevisionName(Name(owner), hash);
    api::EnsureObject(meta, "labels")[kControllerRevisionHashLabel] = hash;
    api::Result<client::Object> created = client.Create(kControllerRevisionsResource, ns, clone);
    if (created.ok() || created.status().reason() != api::Reason::kAlreadyExists) return created;
    api::Result<client::Object> existing =
        client.Get(kControllerRevisionsResource, ns, Name(clone));
    if (!existing.ok()) return existing.status();
    if (RevisionDataEquals(*existing, data)) return existing;
    ++*collision_count;
  }
  return api::Status::Internal("controllerrevision for " + Name(owner) +
                               ": too many hash collisions");
}

api::Result<client::Object> UpdateRevisionNumber(client::Client& client,
                                                 const client::Object& revision, int64_t number) {
  client::Object clone = revision;
  std::string ns = client::ObjectMetaString(revision, "namespace");
  api::Status last;
  for (int attempt = 0; attempt < 5; ++attempt) {
    if (RevisionNumber(clone) == number) return clone;
    clone["revision"] = number;
    api::Result<client::Object> r = client.Update(kControllerRevisionsResource, ns, clone);
    if (r.ok()) return r;
    if (r.status().reason() != api::Reason::kConflict) return r.status();
    last = r.status();
    api::Result<client::Object> fresh = client.Get(kControllerRevisionsResource, ns, Name(clone));
    if (!fresh.ok()) return fresh.status();
    clone = std::move(*fresh);
  }
  return last;
}

}  // namespace kc::controllers
