#include "pkg/kubelet/cri/grpc_runtime.h"

#include <algorithm>

#include <grpcpp/grpcpp.h>
#include <spdlog/spdlog.h>

#include "pkg/kubelet/cri/api.grpc.pb.h"
#include "pkg/kubelet/cri/status_mapping.h"

namespace kc::cri {

struct GrpcRuntime::Stubs {
  std::unique_ptr<v1::RuntimeService::Stub> runtime;
  std::unique_ptr<v1::ImageService::Stub> image;
};

namespace {

template <typename Resp>
api::Status StatusOf(const api::Result<Resp>& r) {
  return r.ok() ? api::Status::Ok() : r.status();
}

}  // namespace

api::Result<std::unique_ptr<GrpcRuntime>> GrpcRuntime::Connect(const std::string& socket_path,
                                                               std::chrono::seconds default_timeout) {
  std::string path = socket_path;
  if (path.rfind("unix://", 0) == 0) path = path.substr(7);
  if (path.empty() || path.front() != '/') {
    return api::Status::BadRequest("CRI socket path must be absolute, got \"" + socket_path + "\"");
  }
  if (default_timeout.count() <= 0) {
    return api::Status::BadRequest("CRI default timeout must be positive");
  }
  std::string target = "unix://" + path;
  grpc::ChannelArguments args;
  args.SetMaxReceiveMessageSize(kMaxReceiveMessageBytes);
  auto channel = grpc::CreateCustomChannel(target, grpc::InsecureChannelCredentials(), args);
  if (!channel) return api::Status::Internal("failed to create gRPC channel to " + target);
  return std::unique_ptr<GrpcRuntime>(
      new GrpcRuntime(std::move(target), std::move(channel), default_timeout));
}

GrpcRuntime::GrpcRuntime(std::string target, std::shared_ptr<grpc::Channel> channel,
                         std::chrono::seconds default_timeout)
    : target_(std::move(target)),
      default_timeout_(default_timeout),
      channel_(std::move(channel)),
      stubs_(std::make_unique<Stubs>()) {
  stubs_->runtime = v1::RuntimeService::NewStub(channel_);
  stubs_->image = v1::ImageService::NewStub(channel_);
}

GrpcRuntime::~GrpcRuntime() = default;

api::Status GrpcRuntime::WaitForReady(std::chrono::milliseconds timeout) {
  auto deadline = std::chrono::system_clock::now() + timeout;
  if (channel_->WaitForConnected(deadline)) return api::Status::Ok();
  return api::Status::Unavailable("CRI runtime at " + target_ + " not reachable within " +
                                  std::to_string(timeout.count()) + "ms");
}

template <typename Resp, typename Stub, typename Req>
api::Result<Resp> GrpcRuntime::Call(
    Stub& stub, grpc::Status (Stub::*rpc)(grpc::ClientContext*, const Req&, Resp*),
    const char* method, const Req& req, std::chrono::seconds timeout) const {
  grpc::ClientContext ctx;
  if (timeout.count() > 0) ctx.set_deadline(std::chrono::system_clock::now() + timeout);
  Resp resp;
  grpc::Status st = (stub.*rpc)(&ctx, req, &resp);
  if (st.ok()) return resp;
  spdlog::debug("CRI {} failed: code={} message={}", method,
                GrpcCodeName(st.error_code()), st.error_message());
  return StatusFromGrpc(st.error_code(), st.error_message());
}

// One line per RPC; R = RuntimeService, I = ImageService.
#define KC_CRI_R(Method, timeout) \
  Call(*stubs_->runtime, &v1::RuntimeService::Stub::Method, #Method, req, timeout)
#define KC_CRI_I(Method, timeout) \
  Call(*stubs_->image, &v1::ImageService::Stub::Method, #Method, req, timeout)

api::Result<v1::VersionResponse> GrpcRuntime::Version(const v1::VersionRequest& req) {
  return KC_CRI_R(Version, default_timeout_);
}
api::Result<v1::StatusResponse> GrpcRuntime::Status(const v1::StatusRequest& req) {
  return KC_CRI_R(Status, default_timeout_);
}
api::Result<v1::RunPodSandboxResponse> GrpcRuntime::RunPodSandbox(
    const v1::RunPodSandboxRequest& req) {
  return KC_CRI_R(RunPodSandbox, default_timeout_);
}
api::Status GrpcRuntime::StopPodSandbox(const v1::StopPodSandboxRequest& req) {
  return StatusOf(KC_CRI_R(StopPodSandbox, default_timeout_));
}
api::Status GrpcRuntime::RemovePodSandbox(const v1::RemovePodSandboxRequest& req) {
  return StatusOf(KC_CRI_R(RemovePodSandbox, default_timeout_));
}
api::Result<v1::PodSandboxStatusResponse> GrpcRuntime::PodSandboxStatus(
    const v1::PodSandboxStatusRequest& req) {
  return KC_CRI_R(PodSandboxStatus, default_timeout_);
}
api::Result<v1::ListPodSandboxResponse> GrpcRuntime::ListPodSandbox(
    const v1::ListPodSandboxRequest& req) {
  return KC_CRI_R(ListPodSandbox, default_timeout_);
}
api::Result<v1::CreateContainerResponse> GrpcRuntime::CreateContainer(
    const v1::CreateContainerRequest& req) {
  return KC_CRI_R(CreateContainer, default_timeout_);
}
api::Status GrpcRuntime::StartContainer(const v1::StartContainerRequest& req) {
  return StatusOf(KC_CRI_R(StartContainer, default_timeout_));
}
api::Status GrpcRuntime::StopContainer(const v1::StopContainerRequest& req) {
  // The reply comes only after the grace period, so the deadline must outlast it.
  auto timeout = default_timeout_ + std::chrono::seconds(std::max<int64_t>(req.timeout(), 0));
  return StatusOf(KC_CRI_R(StopContainer, timeout));
}
api::Status GrpcRuntime::RemoveContainer(const v1::RemoveContainerRequest& req) {
  return StatusOf(KC_CRI_R(RemoveContainer, default_timeout_));
}
api::Result<v1::ListContainersResponse> GrpcRuntime::ListContainers(
    const v1::ListContainersRequest& req) {
  return KC_CRI_R(ListContainers, default_timeout_);
}
api::Result<v1::ContainerStatusResponse> GrpcRuntime::ContainerStatus(
    const v1::ContainerStatusRequest& req) {
  return KC_CRI_R(ContainerStatus, default_timeout_);
}
api::Status GrpcRuntime::UpdateContainerResources(const v1::UpdateContainerResourcesRequest& req) {
  return StatusOf(KC_CRI_R(UpdateContainerResources, default_timeout_));
}
api::Status GrpcRuntime::ReopenContainerLog(const v1::ReopenContainerLogRequest& req) {
  return StatusOf(KC_CRI_R(ReopenContainerLog, default_timeout_));
}
api::Result<v1::ExecSyncResponse> GrpcRuntime::ExecSync(const v1::ExecSyncRequest& req) {
  // As the kubelet: the command's own timeout plus the default, or no deadline without one.
  auto timeout = req.timeout() > 0 ? default_timeout_ + std::chrono::seconds(req.timeout())
                                   : std::chrono::seconds(0);
  return KC_CRI_R(ExecSync, timeout);
}
api::Result<v1::ExecResponse> GrpcRuntime::Exec(const v1::ExecRequest& req) {
  return KC_CRI_R(Exec, default_timeout_);
}
api::Result<v1::AttachResponse> GrpcRuntime::Attach(const v1::AttachRequest& req) {
  return KC_CRI_R(Attach, default_timeout_);
}
api::Result<v1::PortForwardResponse> GrpcRuntime::PortForward(const v1::PortForwardRequest& req) {
  return KC_CRI_R(PortForward, default_timeout_);
}
api::Result<v1::ContainerStatsResponse> GrpcRuntime::ContainerStats(
    const v1::ContainerStatsRequest& req) {
  return KC_CRI_R(ContainerStats, default_timeout_);
}
api::Result<v1::ListContainerStatsResponse> GrpcRuntime::ListContainerStats(
    const v1::ListContainerStatsRequest& req) {
  return KC_CRI_R(ListContainerStats, default_timeout_);
}
api::Status GrpcRuntime::UpdateRuntimeConfig(const v1::UpdateRuntimeConfigRequest& req) {
  return StatusOf(KC_CRI_R(UpdateRuntimeConfig, default_timeout_));
}

api::Result<v1::ListImagesResponse> GrpcRuntime::ListImages(const v1::ListImagesRequest& req) {
  return KC_CRI_I(ListImages, default_timeout_);
}
api::Result<v1::ImageStatusResponse> GrpcRuntime::ImageStatus(const v1::ImageStatusRequest& req) {
  return KC_CRI_I(ImageStatus, default_timeout_);
}
api::Result<v1::PullImageResponse> GrpcRuntime::PullImage(const v1::PullImageRequest& req) {
  return KC_CRI_I(PullImage, std::max(default_timeout_, kPullImageTimeout));
}
api::Status GrpcRuntime::RemoveImage(const v1::RemoveImageRequest& req) {
  return StatusOf(KC_CRI_I(RemoveImage, default_timeout_));
}
api::Result<v1::ImageFsInfoResponse> GrpcRuntime::ImageFsInfo(const v1::ImageFsInfoRequest& req) {
  return KC_CRI_I(ImageFsInfo, default_timeout_);
}

#undef KC_CRI_R
#undef KC_CRI_I

}  // namespace kc::cri
