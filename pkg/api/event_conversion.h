// Conversion of Event objects between events.k8s.io/v1 and core/v1, and the field selector labels
// each version accepts.
//
// kcluster stores every Event in the core/v1 shape under the core `events` key, as upstream does
// (upstream converts both versions to the one internal core Event), and serves events.k8s.io/v1
// from it. The versions differ only in field names; everything else is carried unchanged:
//
//   events.k8s.io/v1            core/v1
//   regarding                   involvedObject
//   note                        message
//   deprecatedSource            source
//   deprecatedFirstTimestamp    firstTimestamp
//   deprecatedLastTimestamp     lastTimestamp
//   deprecatedCount             count
//   reportingController         reportingComponent
//   eventTime, series, action, reason, related, type, reportingInstance, metadata: same name
//
// A field of the other version found in the object (a `message` in an events.k8s.io object,
// e.g. from a merge patch) is dropped, as decoding into the typed object would drop it.
//
// Thread-safety: pure functions over the caller's object; safe from any thread.
#pragma once

#include <boost/json/object.hpp>
#include <string_view>

namespace kc::api {

// Converts an events.k8s.io/v1 Event into the core/v1 shape, in place, keeping the key order, and
// sets apiVersion to v1. Never fails: values are moved, not interpreted.
void ConvertEventsV1ToCore(boost::json::object& obj);

// Converts a core/v1 Event into what an events.k8s.io/v1 client sees, in place, keeping the key
// order, and sets apiVersion to events.k8s.io/v1. reportingController and reportingInstance are
// left out when empty (core/v1 always serializes them, events.k8s.io/v1 omits empty ones).
void ConvertCoreToEventsV1(boost::json::object& obj);

// The JSON path in a stored (core/v1) Event that field selector label `label` of core/v1 reads, or
// "" when core/v1 does not support the label. metadata.name and metadata.namespace are not listed
// here (every kind supports them). Upstream's set: involvedObject.{kind,namespace,name,uid,
// apiVersion,resourceVersion,fieldPath}, reason, reportingComponent, source (which selects
// source.component), type.
std::string_view CoreEventFieldPath(std::string_view label);

// The same for events.k8s.io/v1 labels, which upstream maps onto the core ones:
// regarding.{kind,namespace,name,uid,apiVersion,resourceVersion,fieldPath} select
// involvedObject.*, reportingController selects reportingComponent; reason, source and type are
// as in core/v1.
std::string_view EventsV1FieldPath(std::string_view label);

}  // namespace kc::api
