// The 409 server-side apply returns when an applied field is owned by another manager with a
// different value, worded exactly as upstream (apimachinery managedfields/internal/conflict.go):
//
//   Apply failed with 1 conflict: conflict with "kubectl-edit" using apps/v1: .spec.replicas
//
//   Apply failed with 2 conflicts: conflicts with "kubectl-edit" using apps/v1:
//   - .spec.replicas
//   - .spec.template.spec.containers[name="web"].image
//
// with details.causes [{reason: FieldManagerConflict, message: "conflict with \"kubectl-edit\"
// using apps/v1", field: ".spec.replicas"}, ...]. Managers are listed in name order, paths in
// path order.
//
// Thread-safety: a pure function.
#pragma once

#include <vector>

#include "pkg/api/field_set.h"
#include "pkg/api/managed_fields_entry.h"
#include "pkg/api/status.h"

namespace kc::api {

struct ApplyConflict {
  ManagedFieldsEntry owner;  // only the identity (manager, operation, apiVersion, subresource)
  FieldSet fields;           // the owner's fields the apply would change
};

// A Conflict Status for `conflicts` (which must not be empty).
Status ApplyConflictStatus(std::vector<ApplyConflict> conflicts);

}  // namespace kc::api
