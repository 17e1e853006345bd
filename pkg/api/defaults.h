// Defaulting for built-in kinds (Kubernetes 1.32): fills in the fields the real API server
// fills when it decodes a request body, plus the create-time mutations of the kind strategies
// that make a stored object look complete (Job selector generation, Namespace finalizer and
// phase, PVC/PV phase, Service IP-family fields, DaemonSet template generation annotation).
//
// Call on the full object for create and for update (after the server has set metadata.uid /
// metadata.name, which Job selector generation needs). The function is idempotent and never
// overwrites a value the client set; fields holding an unexpected JSON type are left alone so
// validation can report them.
//
// Thread-safety: pure function over the object passed in; safe from any thread.
#pragma once

#include <boost/json/object.hpp>
#include <string>

#include "pkg/api/resource_info.h"

namespace kc::api {

void ApplyDefaults(const ResourceInfo& ri, boost::json::object& obj);

// The QoS class (Guaranteed, Burstable, BestEffort) of a defaulted Pod, computed as the API
// server does at create time for status.qosClass.
std::string PodQOSClass(const boost::json::object& pod);

}  // namespace kc::api
