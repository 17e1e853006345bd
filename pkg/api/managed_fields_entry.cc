#include "pkg/api/managed_fields_entry.h"

#include <algorithm>
#include <map>
#include <tuple>


namespace kc::api {
namespace {

// Go's %q for the printable manager names we deal with.
std::string Quote(const std::string& s) {
  std::string out = "\"";
  for (char c : s) {
    if (c == '"' || c == '\\') out += '\\';
    out += c;
  }
  return out + "\"";
}

// Reads an optional string member; false when present with another type.
bool OptionalString(const boost::json::object& o, const char* key, std::string* out) {
  auto it = o.find(key);
  if (it == o.end() || it->value().is_null()) return true;
  if (!it->value().is_string()) return false;
  *out = std::string(it->value().get_string());
  return true;
}

Status Malformed(size_t i, const std::string& why) {
  return Status::BadRequest("error decoding managedFields[" + std::to_string(i) + "]: " + why);
}

}  // namespace

bool ManagedFieldsEntry::SameOwner(const ManagedFieldsEntry& other) const {
  if (manager != other.manager || operation != other.operation ||
      subresource != other.subresource) {
    return false;
  }
  return IsApply() || api_version == other.api_version;
}

std::string ManagedFieldsEntry::Describe() const {
  std::string out = Quote(manager);
  if (!subresource.empty()) out += " with subresource " + Quote(subresource);
  if (!IsApply()) out += " using " + api_version;
  return out;
}

Result<std::vector<ManagedFieldsEntry>> DecodeManagedFields(const boost::json::value& list) {
  std::vector<ManagedFieldsEntry> entries;
  if (list.is_null()) return entries;
  if (!list.is_array()) return Status::BadRequest("metadata.managedFields must be a list");
  const auto& arr = list.get_array();
  for (size_t i = 0; i < arr.size(); ++i) {
    if (!arr[i].is_object()) return Malformed(i, "not an object");
    const auto& o = arr[i].get_object();
    ManagedFieldsEntry e;
    std::string fields_type;
    if (!OptionalString(o, "manager", &e.manager) ||
        !OptionalString(o, "operation", &e.operation) ||
        !OptionalString(o, "apiVersion", &e.api_version) ||
        !OptionalString(o, "time", &e.time) ||
        !OptionalString(o, "subresource", &e.subresource) ||
        !OptionalString(o, "fieldsType", &fields_type)) {
      return Malformed(i, "expected string fields");
    }
    if (e.operation != kOperationApply && e.operation != kOperationUpdate) {
      return Malformed(i, "operation must be `Apply` or `Update`");
    }
    auto fv = o.find("fieldsV1");
    if (fv != o.end() && !fv->value().is_null()) {
      if (fields_type != "FieldsV1") {
        return Malformed(i, "fieldsType must be `FieldsV1`, got \"" + fields_type + "\"");
      }
      auto set = FieldSet::FromFieldsV1(fv->value());
      if (!set.ok()) return Malformed(i, set.status().message());
      e.fields = std::move(set.value());
    } else if (!fields_type.empty() && fields_type != "FieldsV1") {
      return Malformed(i, "fieldsType must be `FieldsV1`, got \"" + fields_type + "\"");
    }
    for (const ManagedFieldsEntry& prior : entries) {
      if (prior.SameOwner(e)) return Malformed(i, "duplicate entry for manager " + e.Describe());
    }
    entries.push_back(std::move(e));
  }
  return entries;
}

std::vector<ManagedFieldsEntry> ManagedFieldsOf(const boost::json::object& obj) {
  auto meta = obj.find("metadata");
  if (meta == obj.end() || !meta->value().is_object()) return {};
  auto mf = meta->value().get_object().find("managedFields");
  if (mf == meta->value().get_object().end()) return {};
  auto decoded = DecodeManagedFields(mf->value());
  if (!decoded.ok()) return {};
  return std::move(decoded.value());
}

boost::json::object EncodeManagedFieldsEntry(const ManagedFieldsEntry& e,
                                             boost::json::object fields_v1) {
  boost::json::object o;
  o["manager"] = e.manager;
  o["operation"] = e.operation;
  o["apiVersion"] = e.api_version;
  if (!e.time.empty()) o["time"] = e.time;
  o["fieldsType"] = "FieldsV1";
  o["fieldsV1"] = std::move(fields_v1);
  if (!e.subresource.empty()) o["subresource"] = e.subresource;
  return o;
}

boost::json::array EncodeManagedFields(std::vector<ManagedFieldsEntry> entries) {
  std::sort(entries.begin(), entries.end(),
            [](const ManagedFieldsEntry& a, const ManagedFieldsEntry& b) {
              return std::tie(a.operation, a.time, a.manager, a.api_version, a.subresource) <
                     std::tie(b.operation, b.time, b.manager, b.api_version, b.subresource);
            });
  boost::json::array out;
  for (const ManagedFieldsEntry& e : entries) {
    out.push_back(EncodeManagedFieldsEntry(e, e.fields.ToFieldsV1()));
  }
  return out;
}

const FieldSet& ServerOwnedFields() {
  static const FieldSet kExact = [] {
    FieldSet s;
    s.Insert(MakeFieldPath({"apiVersion"}));
    s.Insert(MakeFieldPath({"kind"}));
    s.Insert(MakeFieldPath({"metadata"}));
    for (const char* f : {"name", "namespace", "creationTimestamp", "selfLink", "uid",
                          "clusterName", "generation", "resourceVersion"}) {
      s.Insert(MakeFieldPath({"metadata", f}));
    }
    return s;
  }();
  return kExact;
}

const FieldSet& ServerOwnedSubtrees() {
  static const FieldSet kRecursive = [] {
    FieldSet s;
    s.Insert(MakeFieldPath({"metadata", "managedFields"}));
    return s;
  }();
  return kRecursive;
}

FieldSet StripServerFields(const FieldSet& set) {
  return set.Difference(ServerOwnedFields()).RecursiveDifference(ServerOwnedSubtrees());
}

void CapUpdateManagers(std::vector<ManagedFieldsEntry>& entries, size_t max_updaters) {
  std::vector<size_t> updaters;
  for (size_t i = 0; i < entries.size(); ++i) {
    if (!entries[i].IsApply()) updaters.push_back(i);
  }
  size_t count = updaters.size();
  if (count <= max_updaters) return;
  std::sort(updaters.begin(), updaters.end(), [&](size_t a, size_t b) {
    const auto& x = entries[a];
    const auto& y = entries[b];
    return std::tie(x.time, x.manager, x.api_version, x.subresource) <
           std::tie(y.time, y.manager, y.api_version, y.subresource);
  });
  auto is_bucket = [&](size_t i, const std::string& version) {
    const auto& e = entries[i];
    return !e.IsApply() && e.manager == kAncientChangesManager && e.subresource.empty() &&
           e.api_version == version;
  };
  std::vector<bool> removed(entries.size(), false);
  std::map<std::string, size_t> first_for_version;
  for (size_t idx : updaters) {
    if (count <= max_updaters) break;
    const std::string version = entries[idx].api_version;
    auto first = first_for_version.find(version);
    if (first == first_for_version.end()) {
      first_for_version.emplace(version, idx);
      continue;
    }
    size_t bucket = entries.size();
    for (size_t i = 0; i < entries.size(); ++i) {
      if (!removed[i] && i != idx && is_bucket(i, version)) bucket = i;
    }
    if (bucket == entries.size()) {
      bucket = first->second;
      entries[bucket].manager = kAncientChangesManager;
      entries[bucket].subresource.clear();
    }
    entries[bucket].fields = entries[bucket].fields.Union(entries[idx].fields);
    entries[bucket].time = entries[idx].time;
    removed[idx] = true;
    --count;
  }
  std::vector<ManagedFieldsEntry> kept;
  for (size_t i = 0; i < entries.size(); ++i) {
    if (!removed[i]) kept.push_back(std::move(entries[i]));
  }
  entries = std::move(kept);
}

}  // namespace kc::api
