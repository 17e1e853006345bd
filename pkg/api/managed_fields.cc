#include "pkg/api/managed_fields.h"

#include <string>
#include <vector>

#include "pkg/api/field_set_compare.h"
#include "pkg/api/managed_fields_entry.h"

namespace kc::api {
namespace {

// [] or [{}]: the client asks to reset managedFields.
bool IsReset(const boost::json::value& v) {
  if (!v.is_array()) return false;
  const auto& a = v.get_array();
  return a.empty() || (a.size() == 1 && a[0].is_object() && a[0].get_object().empty());
}

std::vector<ManagedFieldsEntry> LiveEntries(const boost::json::object* old_obj) {
  return old_obj != nullptr ? ManagedFieldsOf(*old_obj) : std::vector<ManagedFieldsEntry>{};
}

std::vector<ManagedFieldsEntry> StartingEntries(const boost::json::object* old_obj,
                                                const boost::json::object& new_meta,
                                                std::string_view subresource) {
  if (!subresource.empty()) return LiveEntries(old_obj);
  auto mf = new_meta.find("managedFields");
  if (mf == new_meta.end() || mf->value().is_null()) return LiveEntries(old_obj);
  if (IsReset(mf->value())) return {};
  auto decoded = DecodeManagedFields(mf->value());
  if (!decoded.ok() || decoded->empty()) return LiveEntries(old_obj);
  return std::move(decoded.value());
}

// The common create: no live object and no entries to start from, so this write's entry owns
// every field the object sets. Built straight from the object (AddedFieldsV1); the general path
// below gives the same result through FieldSets at several times the cost.
void CreateEntry(boost::json::object& new_obj, std::string_view manager,
                 std::string_view api_version, std::string_view subresource,
                 std::string_view now_rfc3339, std::string_view group, std::string_view kind) {
  static const FieldSet kMainBeneath = ServerOwnedSubtrees().Union(IgnoredFieldsFor(""));
  static const FieldSet kStatusBeneath = ServerOwnedSubtrees().Union(IgnoredFieldsFor("status"));
  const FieldSet& beneath = subresource == "status" ? kStatusBeneath : kMainBeneath;
  boost::json::object fields = AddedFieldsV1(new_obj, group, kind, ServerOwnedFields(), beneath);
  auto& meta = new_obj["metadata"].get_object();
  if (fields.empty()) {
    meta.stable_erase("managedFields");
    return;
  }
  ManagedFieldsEntry self;
  self.manager = std::string(manager);
  self.operation = kOperationUpdate;
  self.api_version = std::string(api_version);
  self.subresource = std::string(subresource);
  self.time = std::string(now_rfc3339);
  boost::json::array list;
  list.push_back(EncodeManagedFieldsEntry(self, std::move(fields)));
  meta["managedFields"] = std::move(list);
}

}  // namespace

FieldSet IgnoredFieldsFor(std::string_view subresource) {
  FieldSet s;
  s.Insert(MakeFieldPath({subresource == "status" ? "spec" : "status"}));
  return s;
}

void UpdateManagedFields(const boost::json::object* old_obj, boost::json::object& new_obj,
                         std::string_view manager, std::string_view api_version,
                         std::string_view subresource, std::string_view now_rfc3339,
                         std::string_view group, std::string_view kind) {
  auto meta_it = new_obj.find("metadata");
  if (meta_it == new_obj.end() || !meta_it->value().is_object()) return;
  std::vector<ManagedFieldsEntry> entries =
      StartingEntries(old_obj, meta_it->value().get_object(), subresource);
  if (old_obj == nullptr && entries.empty()) {
    CreateEntry(new_obj, manager, api_version, subresource, now_rfc3339, group, kind);
    return;
  }

  FieldSetComparison cmp = CompareObjects(old_obj, &new_obj, group, kind);
  cmp.Filter(IgnoredFieldsFor(subresource));
  FieldSet changed = StripServerFields(cmp.added.Union(cmp.modified));
  FieldSet removed = StripServerFields(cmp.removed);

  ManagedFieldsEntry self;
  self.manager = std::string(manager);
  self.operation = kOperationUpdate;
  self.api_version = std::string(api_version);
  self.subresource = std::string(subresource);

  bool found_self = false;
  for (ManagedFieldsEntry& e : entries) {
    e.fields = e.fields.Difference(changed).Difference(removed);
    if (!changed.Empty() && e.SameOwner(self)) {
      e.fields = e.fields.Union(changed);
      e.time = std::string(now_rfc3339);
      found_self = true;
    }
  }
  if (!changed.Empty() && !found_self) {
    self.fields = changed;
    self.time = std::string(now_rfc3339);
    entries.push_back(std::move(self));
  }

  std::vector<ManagedFieldsEntry> kept;
  for (ManagedFieldsEntry& e : entries) {
    if (!e.fields.Empty()) kept.push_back(std::move(e));
  }
  CapUpdateManagers(kept);
  // Assigning in place keeps the key where the client had it; the comparison above never sees
  // managedFields because StripServerFields drops them.
  auto& meta = new_obj["metadata"].get_object();
  if (kept.empty()) {
    meta.stable_erase("managedFields");
  } else {
    meta["managedFields"] = EncodeManagedFields(std::move(kept));
  }
}

}  // namespace kc::api
