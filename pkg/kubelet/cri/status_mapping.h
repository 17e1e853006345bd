// Mapping of gRPC status codes returned by the CRI runtime to kcluster's Status reasons.
//
// Thread-safety: pure functions.
#pragma once

#include <string>

#include <grpcpp/support/status_code_enum.h>

#include "pkg/api/status.h"

namespace kc::cri {

// OK → Ok; NOT_FOUND → NotFound; INVALID_ARGUMENT → BadRequest; DEADLINE_EXCEEDED → Timeout;
// UNAVAILABLE → ServiceUnavailable; every other code → InternalError. The message is the runtime's
// message unchanged; when it is empty, "CRI call failed with gRPC code <NAME>" instead.
api::Status StatusFromGrpc(grpc::StatusCode code, const std::string& message);

// "NOT_FOUND", "UNIMPLEMENTED", ...; "CODE_OTHER" for values outside the enum.
const char* GrpcCodeName(grpc::StatusCode code);

}  // namespace kc::cri
