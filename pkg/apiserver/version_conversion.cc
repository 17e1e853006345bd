#include "pkg/apiserver/version_conversion.h"

#include "pkg/api/hpa_conversion.h"

namespace kc::apiserver {
namespace version_conversion_internal {

// The catalog is a function-local static, so resolving it here is safe at any init order.
const api::ResourceInfo* const kHpaV1 =
    api::FindResource("autoscaling", "v1", "horizontalpodautoscalers");
const api::ResourceInfo* const kHpaV2 =
    api::FindResource("autoscaling", "v2", "horizontalpodautoscalers");

api::Status ToStorageSlow(const api::ResourceInfo& ri, boost::json::object& obj) {
  if (&ri == kHpaV1) return api::ConvertHpaV1ToV2(obj);
  if (&ri == kHpaV2) api::DropHpaRoundTripAnnotations(obj);
  return api::Status::Ok();
}

void FromStorageSlow(const api::ResourceInfo& ri, boost::json::object& obj) {
  if (&ri == kHpaV1) {
    api::ConvertHpaV2ToV1(obj);
  } else if (&ri == kHpaV2) {
    api::DropHpaRoundTripAnnotations(obj);
  }
}

}  // namespace version_conversion_internal
}  // namespace kc::apiserver
