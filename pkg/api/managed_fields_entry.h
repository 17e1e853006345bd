// ManagedFieldsEntry: one decoded element of metadata.managedFields, plus the codec and the
// bookkeeping rules both write paths share (field manager updates and server-side apply):
// which server-owned paths are never tracked, how entries are ordered on output and how the
// number of Update managers is capped.
//
//   {"manager":"kubectl","operation":"Apply","apiVersion":"apps/v1",
//    "time":"2024-05-01T12:00:00Z","fieldsType":"FieldsV1","fieldsV1":{...},"subresource":"scale"}
//
// Thread-safety: value types and pure functions.
#pragma once

#include <cstddef>
#include <string>
#include <vector>

#include <boost/json/array.hpp>
#include <boost/json/object.hpp>
#include <boost/json/value.hpp>

#include "pkg/api/field_set.h"
#include "pkg/api/status.h"

namespace kc::api {

inline constexpr char kOperationApply[] = "Apply";
inline constexpr char kOperationUpdate[] = "Update";
// Name of the entry that absorbs the oldest Update managers beyond the cap.
inline constexpr char kAncientChangesManager[] = "ancient-changes";
inline constexpr size_t kMaxUpdateManagers = 10;

struct ManagedFieldsEntry {
  std::string manager;
  std::string operation;  // kOperationApply or kOperationUpdate
  std::string api_version;
  std::string time;  // RFC 3339, may be empty
  std::string subresource;
  FieldSet fields;

  bool IsApply() const { return operation == kOperationApply; }
  // True when both entries belong to the same owner. As upstream's manager identifier: manager,
  // operation and subresource, plus apiVersion for Update entries (an applier keeps one entry
  // across versions).
  bool SameOwner(const ManagedFieldsEntry& other) const;
  // How conflict messages name the owner: "\"kubectl\"", "\"kubectl-edit\" using apps/v1",
  // "\"kubectl\" with subresource \"scale\" using apps/v1".
  std::string Describe() const;
};

// Decodes a metadata.managedFields array. Anything malformed (wrong types, unknown operation,
// fieldsType other than FieldsV1, bad FieldsV1, the same owner twice) is a BadRequest.
Result<std::vector<ManagedFieldsEntry>> DecodeManagedFields(const boost::json::value& list);

// The decoded metadata.managedFields of `obj`; empty when absent or undecodable (upstream drops
// history it cannot read rather than failing the write).
std::vector<ManagedFieldsEntry> ManagedFieldsOf(const boost::json::object& obj);

// Encodes entries in upstream's order: operation, time, manager, apiVersion, subresource.
boost::json::array EncodeManagedFields(std::vector<ManagedFieldsEntry> entries);

// Removes the paths the server owns and nobody is tracked for: apiVersion, kind, metadata itself,
// metadata.name/namespace/uid/resourceVersion/generation/creationTimestamp/selfLink/clusterName
// and everything under metadata.managedFields.
FieldSet StripServerFields(const FieldSet& set);
// The two halves of that rule: the exact paths, and the paths whose whole subtree goes.
const FieldSet& ServerOwnedFields();
const FieldSet& ServerOwnedSubtrees();

// One managedFields element for `e` with `fields_v1` as its fieldsV1 (e.fields is not read).
boost::json::object EncodeManagedFieldsEntry(const ManagedFieldsEntry& e,
                                             boost::json::object fields_v1);

// When more than `max_updaters` Update entries exist, folds the oldest into an
// "ancient-changes" entry per apiVersion until at most `max_updaters` remain.
void CapUpdateManagers(std::vector<ManagedFieldsEntry>& entries,
                       size_t max_updaters = kMaxUpdateManagers);

}  // namespace kc::api
