#include "pkg/apiserver/version_conversion.h"

#include <boost/json/string.hpp>
#include <boost/json/value.hpp>

#include "pkg/api/event_conversion.h"
#include "pkg/api/hpa_conversion.h"
#include "pkg/api/validation.h"

namespace kc::apiserver {
namespace version_conversion_internal {
namespace {

namespace json = boost::json;

// The catalog is a function-local static, so resolving it here is safe at any init order.
const api::ResourceInfo* const kHpaV1 =
    api::FindResource("autoscaling", "v1", "horizontalpodautoscalers");
const api::ResourceInfo* const kHpaV2 =
    api::FindResource("autoscaling", "v2", "horizontalpodautoscalers");
const api::ResourceInfo* const kEventsV1 = api::FindResource("events.k8s.io", "v1", "events");
const api::ResourceInfo* const kCoreEvents = api::FindResource("", "v1", "events");

api::Status HpaV2ToStorage(json::object& obj) {
  api::DropHpaRoundTripAnnotations(obj);
  return api::Status::Ok();
}

// The events.k8s.io/v1 rules (eventTime, reportingController, reportingInstance, action and
// reason required, type Normal or Warning, the deprecated* fields unset, ...) on the body in
// its own shape; core/v1's validation, which the registry runs on the converted object, keeps
// only the legacy rules. The namespace may still be missing here (the registry fills it in from
// the path), so a missing one is checked as "default"; the namespace rules are core/v1's too and
// run again on the stored shape.
api::Status ValidateEventsV1(const json::object& obj) {
  json::object view = obj;
  json::value& meta = view["metadata"];
  if (!meta.is_object()) meta = json::object();
  const json::value* ns = meta.get_object().if_contains("namespace");
  if (ns == nullptr || !ns->is_string() || ns->get_string().empty()) {
    meta.get_object()["namespace"] = "default";
  }
  std::vector<api::StatusCause> causes = api::ValidateObject(*kEventsV1, view);
  if (causes.empty()) return api::Status::Ok();
  const json::value* name = meta.get_object().if_contains("name");
  // Upstream names the internal (core) kind: `Event "x" is invalid: ...`.
  api::Status s = api::Status::InvalidFor(
      kCoreEvents->kind, name && name->is_string() ? name->get_string().c_str() : "",
      std::move(causes));
  s.WithResource(kCoreEvents->group, kCoreEvents->kind);
  return s;
}

api::Status EventsV1ToStorage(json::object& obj) {
  if (auto s = ValidateEventsV1(obj); !s.ok()) return s;
  api::ConvertEventsV1ToCore(obj);
  return api::Status::Ok();
}

}  // namespace

const Conversion kConversions[kConversionCount] = {
    {kHpaV1, kHpaV2, &api::ConvertHpaV1ToV2, &api::ConvertHpaV2ToV1},
    {kHpaV2, kHpaV2, &HpaV2ToStorage, &api::DropHpaRoundTripAnnotations},
    {kEventsV1, kCoreEvents, &EventsV1ToStorage, &api::ConvertCoreToEventsV1},
};

}  // namespace version_conversion_internal
}  // namespace kc::apiserver
