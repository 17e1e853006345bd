// Server-side apply (PATCH with Content-Type application/apply-patch+yaml, `kubectl apply
// --server-side`): merges a manager's partial configuration into the live object under the
// field-ownership rules recorded in metadata.managedFields.
//
//   - Fields in the applied configuration are set; keyed lists merge by key, atomic lists and
//     maps are replaced.
//   - Fields the manager applied last time but leaves out now are removed, unless another
//     manager (or the new configuration) still owns them.
//   - A field another manager owns that this apply would change is a conflict: a 409 naming
//     each owner and path (see server_side_apply_conflict.h). With force the applier takes the
//     fields: they leave the other managers' entries.
//   - Fields the apply removes leave every other manager's entry.
//   - The manager's Apply entry becomes exactly the applied field set (identity and
//     server-owned metadata excluded, status excluded since this is the main resource).
//   - Applying a configuration that changes nothing returns the live object with its
//     managedFields times untouched, so the store can treat it as a no-op.
//   - With manager "kubectl", an existing last-applied-configuration annotation is refreshed.
//
// Thread-safety: a pure function over its arguments.
#pragma once

#include <string_view>

#include <boost/json/object.hpp>

#include "pkg/api/status.h"

namespace kc::api {

// `live` nullptr: the object does not exist and the result is the object to create. `applied`
// is the decoded request body; its apiVersion must equal `api_version` and it may not carry
// metadata.managedFields (BadRequest otherwise). Keyed-list items without their key or with a
// repeated key are a BadRequest. The result still needs defaulting, the strategy's
// PrepareFor{Create,Update} (which e.g. restores status) and validation; name/namespace checks
// against the URL are the caller's.
Result<boost::json::object> ServerSideApply(const boost::json::object* live,
                                            const boost::json::object& applied,
                                            std::string_view manager, bool force,
                                            std::string_view group, std::string_view kind,
                                            std::string_view api_version,
                                            std::string_view now_rfc3339);

}  // namespace kc::api
