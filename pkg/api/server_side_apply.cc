#include "pkg/api/server_side_apply.h"

#include <string>
#include <vector>

#include "pkg/api/field_set.h"
#include "pkg/api/field_set_compare.h"
#include "pkg/api/managed_fields.h"
#include "pkg/api/managed_fields_entry.h"
#include "pkg/api/server_side_apply_conflict.h"
#include "pkg/api/server_side_apply_last_applied.h"
#include "pkg/api/server_side_apply_merge.h"

namespace kc::api {
namespace {

Status CheckAppliedConfig(const boost::json::object& applied, std::string_view api_version) {
  std::string patch_version;
  if (auto it = applied.find("apiVersion"); it != applied.end() && it->value().is_string()) {
    patch_version = std::string(it->value().get_string());
  }
  if (patch_version != api_version) {
    return Status::BadRequest(
        "Incorrect version specified in apply patch. Specified patch version: " + patch_version +
        ", expected: " + std::string(api_version));
  }
  auto meta = applied.find("metadata");
  if (meta != applied.end() && !meta->value().is_object()) {
    return Status::BadRequest("error decoding apply patch: metadata must be an object");
  }
  if (meta != applied.end()) {
    auto mf = meta->value().get_object().find("managedFields");
    if (mf != meta->value().get_object().end() && !mf->value().is_null()) {
      return Status::BadRequest("metadata.managedFields must be nil");
    }
  }
  return Status::Ok();
}

// Removes what the applier gave up: paths it applied last time that are in the object but that
// neither its new configuration nor any other manager owns (upstream's prune, with named fields
// counted as owned when anything beneath them is).
void Prune(boost::json::object& merged, const FieldSet& last_applied, const FieldSet& new_applied,
           const std::vector<ManagedFieldsEntry>& others, const SchemaScope& scope) {
  if (last_applied.Empty()) return;
  FieldSet owned = new_applied;
  for (const ManagedFieldsEntry& e : others) owned = owned.Union(e.fields);
  FieldSet present = FieldSet::FromObject(merged, scope.group, scope.kind).WithFieldPrefixes();
  FieldSet remove = present.Difference(owned.WithFieldPrefixes())
                        .Intersection(last_applied.WithFieldPrefixes());
  RemoveFieldPaths(merged, StripServerFields(remove), scope);
}

}  // namespace

Result<boost::json::object> ServerSideApply(const boost::json::object* live,
                                            const boost::json::object& applied,
                                            std::string_view manager, bool force,
                                            std::string_view group, std::string_view kind,
                                            std::string_view api_version,
                                            std::string_view now_rfc3339) {
  if (Status s = CheckAppliedConfig(applied, api_version); !s.ok()) return s;
  const SchemaScope scope{group, kind};
  std::string_view version = api_version.substr(api_version.find('/') + 1);

  // The main resource never takes status from an apply. A "creationTimestamp: null" (what
  // `kubectl create --dry-run -o yaml` prints) must not wipe the live timestamp.
  boost::json::object config = applied;
  config.stable_erase("status");
  if (auto meta = config.find("metadata"); meta != config.end() && meta->value().is_object()) {
    auto& m = meta->value().get_object();
    if (auto ts = m.find("creationTimestamp"); ts != m.end() && ts->value().is_null()) {
      m.stable_erase(ts);
    }
  }
  auto applied_set = FieldSet::FromAppliedObject(config, group, version, kind);
  if (!applied_set.ok()) return applied_set.status();

  std::vector<ManagedFieldsEntry> entries;
  boost::json::object base;
  if (live != nullptr) {
    entries = ManagedFieldsOf(*live);
    base = *live;  // its managedFields stay in place; they are never part of a field set
  }

  ManagedFieldsEntry self;
  self.manager = std::string(manager);
  self.operation = kOperationApply;
  self.api_version = std::string(api_version);
  const ManagedFieldsEntry* last = nullptr;
  std::vector<ManagedFieldsEntry> others;
  for (const ManagedFieldsEntry& e : entries) {
    if (e.SameOwner(self)) {
      last = &e;
    } else {
      others.push_back(e);
    }
  }

  boost::json::object merged = MergeAppliedConfig(base, config, scope);
  if (last != nullptr) Prune(merged, last->fields, *applied_set, others, scope);

  FieldSetComparison cmp = CompareObjects(&base, &merged, group, kind);
  cmp.Filter(IgnoredFieldsFor(""));
  FieldSet changed = StripServerFields(cmp.added.Union(cmp.modified));
  FieldSet removed = StripServerFields(cmp.removed);

  std::vector<ApplyConflict> conflicts;
  for (const ManagedFieldsEntry& e : others) {
    FieldSet clash = e.fields.Intersection(changed);
    if (!clash.Empty()) conflicts.push_back({e, std::move(clash)});
  }
  if (!conflicts.empty() && !force) {
    for (ApplyConflict& c : conflicts) c.owner.fields = FieldSet();
    return ApplyConflictStatus(std::move(conflicts));
  }

  std::vector<ManagedFieldsEntry> result;
  for (ManagedFieldsEntry& e : others) {
    e.fields = e.fields.Difference(changed).Difference(removed);
    if (!e.fields.Empty()) result.push_back(std::move(e));
  }
  bool unchanged = live != nullptr && JsonEqual(base, merged);
  self.fields = StripServerFields(applied_set->RecursiveDifference(IgnoredFieldsFor("")));
  self.time = unchanged && last != nullptr && !last->time.empty() ? last->time
                                                                 : std::string(now_rfc3339);
  if (!self.fields.Empty()) result.push_back(std::move(self));
  CapUpdateManagers(result);

  SyncLastAppliedAnnotation(merged, applied, manager);
  auto meta = merged.find("metadata");
  if (meta == merged.end() || !meta->value().is_object()) {
    merged["metadata"] = boost::json::object();
    meta = merged.find("metadata");
  }
  if (result.empty()) {
    meta->value().get_object().stable_erase("managedFields");
  } else {
    meta->value().get_object()["managedFields"] = EncodeManagedFields(std::move(result));
  }
  return merged;
}

}  // namespace kc::api
