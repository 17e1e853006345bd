// Validation of built-in kinds (Kubernetes 1.32 rules). Each error is a StatusCause with the
// upstream reason (FieldValueRequired, FieldValueInvalid, ...), the field path
// ("spec.template.spec.containers[0].image") and the message body exactly as upstream prints
// it ("Invalid value: -1: must be greater than or equal to 0"), ready for Status::InvalidFor.
//
// Objects are expected to be defaulted first (ApplyDefaults), as upstream validates defaulted
// objects. An empty result means valid.
//
// Thread-safety: pure functions; safe from any thread.
#pragma once

#include <boost/json/object.hpp>
#include <vector>

#include "pkg/api/resource_info.h"
#include "pkg/api/status.h"

namespace kc::api {

// Validates a full object: for create, and for the new object of an update.
std::vector<StatusCause> ValidateObject(const ResourceInfo& ri, const boost::json::object& obj);

// The extra checks of an update (to be reported together with ValidateObject of the new
// object): immutable metadata, immutable spec fields per kind, Pod update restrictions.
std::vector<StatusCause> ValidateUpdate(const ResourceInfo& ri, const boost::json::object& obj,
                                        const boost::json::object& old);

}  // namespace kc::api
