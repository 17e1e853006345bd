// Event events.k8s.io/v1 <-> core/v1 conversion (see event_conversion.h). The field mapping and
// the field selector labels follow upstream pkg/apis/events/v1/conversion.go and
// pkg/apis/core/v1/conversion.go.
#include "pkg/api/event_conversion.h"

#include <boost/json/string.hpp>
#include <boost/json/value.hpp>
#include <utility>

namespace kc::api {
namespace {

namespace json = boost::json;

struct FieldName {
  std::string_view events_v1;
  std::string_view core;
};

// The top-level fields whose names differ; all others are shared.
constexpr FieldName kRenamed[] = {
    {"regarding", "involvedObject"},
    {"note", "message"},
    {"deprecatedSource", "source"},
    {"deprecatedFirstTimestamp", "firstTimestamp"},
    {"deprecatedLastTimestamp", "lastTimestamp"},
    {"deprecatedCount", "count"},
    {"reportingController", "reportingComponent"},
};

// Rebuilds `obj` with the fields of one version renamed to the other's (to core/v1 when
// `to_core`), dropping fields that already carry a target name: the source version has no such
// field. Key order is kept.
void Rename(json::object& obj, bool to_core) {
  json::object out(obj.storage());
  out.reserve(obj.size());
  for (json::key_value_pair& kv : obj) {
    std::string_view key = kv.key();
    std::string_view name = key;
    bool foreign = false;
    for (const FieldName& f : kRenamed) {
      std::string_view from = to_core ? f.events_v1 : f.core;
      std::string_view to = to_core ? f.core : f.events_v1;
      if (key == from) name = to;
      if (key == to) foreign = true;
    }
    if (!foreign) out[name] = std::move(kv.value());
  }
  obj = std::move(out);
}

bool IsEmptyString(const json::object& obj, std::string_view key) {
  const json::value* v = obj.if_contains(key);
  return v != nullptr && v->is_string() && v->get_string().empty();
}

constexpr std::string_view kInvolvedObjectPaths[] = {
    "involvedObject.kind",      "involvedObject.namespace",  "involvedObject.name",
    "involvedObject.uid",       "involvedObject.apiVersion", "involvedObject.resourceVersion",
    "involvedObject.fieldPath",
};

// The labels both versions share, with the stored path each reads.
std::string_view SharedFieldPath(std::string_view label) {
  if (label == "reason" || label == "type") return label;
  if (label == "source") return "source.component";
  return {};
}

}  // namespace

void ConvertEventsV1ToCore(json::object& obj) {
  Rename(obj, true);
  obj["apiVersion"] = "v1";
}

void ConvertCoreToEventsV1(json::object& obj) {
  Rename(obj, false);
  for (std::string_view key : {"reportingController", "reportingInstance"}) {
    if (IsEmptyString(obj, key)) obj.erase(key);
  }
  obj["apiVersion"] = "events.k8s.io/v1";
}

std::string_view CoreEventFieldPath(std::string_view label) {
  for (std::string_view p : kInvolvedObjectPaths) {
    if (label == p) return p;
  }
  if (label == "reportingComponent") return label;
  return SharedFieldPath(label);
}

std::string_view EventsV1FieldPath(std::string_view label) {
  constexpr std::string_view kRegarding = "regarding.";
  if (label.substr(0, kRegarding.size()) == kRegarding) {
    std::string_view sub = label.substr(kRegarding.size());
    for (std::string_view p : kInvolvedObjectPaths) {
      if (p.substr(p.find('.') + 1) == sub) return p;
    }
    return {};
  }
  if (label == "reportingController") return "reportingComponent";
  return SharedFieldPath(label);
}

}  // namespace kc::api
