#include "pkg/kubelet/cri/status_mapping.h"

#include <fmt/format.h>

namespace kc::cri {

const char* GrpcCodeName(grpc::StatusCode code) {
  switch (code) {
    case grpc::StatusCode::OK: return "OK";
    case grpc::StatusCode::CANCELLED: return "CANCELLED";
    case grpc::StatusCode::UNKNOWN: return "UNKNOWN";
    case grpc::StatusCode::INVALID_ARGUMENT: return "INVALID_ARGUMENT";
    case grpc::StatusCode::DEADLINE_EXCEEDED: return "DEADLINE_EXCEEDED";
    case grpc::StatusCode::NOT_FOUND: return "NOT_FOUND";
    case grpc::StatusCode::ALREADY_EXISTS: return "ALREADY_EXISTS";
    case grpc::StatusCode::PERMISSION_DENIED: return "PERMISSION_DENIED";
    case grpc::StatusCode::RESOURCE_EXHAUSTED: return "RESOURCE_EXHAUSTED";
    case grpc::StatusCode::FAILED_PRECONDITION: return "FAILED_PRECONDITION";
    case grpc::StatusCode::ABORTED: return "ABORTED";
    case grpc::StatusCode::OUT_OF_RANGE: return "OUT_OF_RANGE";
    case grpc::StatusCode::UNIMPLEMENTED: return "UNIMPLEMENTED";
    case grpc::StatusCode::INTERNAL: return "INTERNAL";
    case grpc::StatusCode::UNAVAILABLE: return "UNAVAILABLE";
    case grpc::StatusCode::DATA_LOSS: return "DATA_LOSS";
    case grpc::StatusCode::UNAUTHENTICATED: return "UNAUTHENTICATED";
    default: return "CODE_OTHER";
  }
}

api::Status StatusFromGrpc(grpc::StatusCode code, const std::string& message) {
  if (code == grpc::StatusCode::OK) return api::Status::Ok();
  std::string msg = message.empty()
                        ? fmt::format("CRI call failed with gRPC code {}", GrpcCodeName(code))
                        : message;
  switch (code) {
    case grpc::StatusCode::NOT_FOUND: return api::Status::NotFound(std::move(msg));
    case grpc::StatusCode::INVALID_ARGUMENT: return api::Status::BadRequest(std::move(msg));
    case grpc::StatusCode::DEADLINE_EXCEEDED: return {api::Reason::kTimeout, std::move(msg)};
    case grpc::StatusCode::UNAVAILABLE: return api::Status::Unavailable(std::move(msg));
    default: return api::Status::Internal(std::move(msg));
  }
}

}  // namespace kc::cri
