// Schema table for k8s.io/api/scheduling/v1: PriorityClass.
#include "pkg/protobuf/schemas.h"

namespace kc::protobuf::scheduling {

KC_PB_MESSAGE(PriorityClass,
              Message(1, "metadata", meta::ObjectMeta), Int32Keep(2, "value"),
              Bool(3, "globalDefault"), String(4, "description"),
              StringKeep(5, "preemptionPolicy"))

}  // namespace kc::protobuf::scheduling
