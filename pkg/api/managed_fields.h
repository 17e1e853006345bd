// Field-manager bookkeeping for ordinary writes (create, update, patch, subresource writes):
// keeps metadata.managedFields telling which manager last set which fields.
//
// An Update operation takes ownership of every field it added or changed, without conflicts:
// those fields leave every other entry, and fields it removed leave every entry. The manager's
// entry (one per manager + operation + apiVersion + subresource) gains the changed fields and
// time = now; a write that changes nothing leaves managedFields as they were. Entries left with no
// fields are dropped, and at most 10 Update entries are kept (older ones fold into
// "ancient-changes").
//
// Which managedFields the write starts from (upstream's rules):
//   - subresource writes: always the live object's;
//   - new_obj without managedFields (absent or null): the live object's;
//   - new_obj with [] or [{}]: none (a reset; only this write's entry results);
//   - new_obj with a valid non-empty list: that list (this is how clients such as kubectl's
//     client-side-apply migration edit managedFields); an invalid list falls back to the live
//     object's.
//
// Thread-safety: a pure function over its arguments.
#pragma once

#include <string_view>

#include <boost/json/object.hpp>

#include "pkg/api/field_set.h"

namespace kc::api {

// Call after defaulting and the strategy's PrepareFor{Create,Update}, before validation, with
// old_obj = the stored object (nullptr on create). `subresource` is "" for the main resource,
// "status", "scale", ...; main-resource writes never own status and status writes never own
// spec. Updates new_obj.metadata.managedFields in place (removed when no entry remains);
// objects without a metadata object are left alone.
void UpdateManagedFields(const boost::json::object* old_obj, boost::json::object& new_obj,
                         std::string_view manager, std::string_view api_version,
                         std::string_view subresource, std::string_view now_rfc3339,
                         std::string_view group, std::string_view kind);

// The top-level paths a write to `subresource` never takes ownership of: {.status} for the main
// resource and other subresources, {.spec} for "status".
FieldSet IgnoredFieldsFor(std::string_view subresource);

}  // namespace kc::api
