#include "pkg/kubelet/cri/status_mapping.h"

#include <doctest/doctest.h>

namespace kc::cri {
namespace {

TEST_CASE("StatusFromGrpc maps gRPC codes to Kubernetes reasons and keeps the message") {
  struct Case {
    grpc::StatusCode code;
    api::Reason reason;
  };
  const Case cases[] = {
      {grpc::StatusCode::NOT_FOUND, api::Reason::kNotFound},
      {grpc::StatusCode::INVALID_ARGUMENT, api::Reason::kBadRequest},
      {grpc::StatusCode::DEADLINE_EXCEEDED, api::Reason::kTimeout},
      {grpc::StatusCode::UNAVAILABLE, api::Reason::kServiceUnavailable},
      {grpc::StatusCode::UNKNOWN, api::Reason::kInternalError},
      {grpc::StatusCode::UNIMPLEMENTED, api::Reason::kInternalError},
      {grpc::StatusCode::INTERNAL, api::Reason::kInternalError},
      {grpc::StatusCode::RESOURCE_EXHAUSTED, api::Reason::kInternalError},
      {grpc::StatusCode::CANCELLED, api::Reason::kInternalError},
      {grpc::StatusCode::ALREADY_EXISTS, api::Reason::kInternalError},
  };
  for (const auto& c : cases) {
    SUBCASE(GrpcCodeName(c.code)) {
      api::Status st = StatusFromGrpc(c.code, "container \"x\" boom");
      CHECK_FALSE(st.ok());
      CHECK(st.reason() == c.reason);
      CHECK(st.message() == "container \"x\" boom");
    }
  }
  SUBCASE("OK") {
    CHECK(StatusFromGrpc(grpc::StatusCode::OK, "").ok());
  }
  SUBCASE("an empty message names the code") {
    api::Status st = StatusFromGrpc(grpc::StatusCode::UNIMPLEMENTED, "");
    CHECK(st.reason() == api::Reason::kInternalError);
    CHECK(st.message() == "CRI call failed with gRPC code UNIMPLEMENTED");
  }
}

}  // namespace
}  // namespace kc::cri
