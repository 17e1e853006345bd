// GrpcRuntime: the Runtime implementation that talks CRI runtime.v1 to containerd 1.6 over its
// unix socket (plain gRPC, no TLS, no auth).
//
// Every call gets its own deadline: `default_timeout` (kubelet default 2 min), PullImage 10 min,
// ExecSync its own `timeout` seconds plus `default_timeout` (no deadline when timeout is 0, as in
// the kubelet), StopContainer its grace `timeout` plus `default_timeout`. Replies up to 16 MiB are
// accepted (containerd's own send limit). gRPC codes are mapped by StatusFromGrpc.
//
// Thread-safety: safe for concurrent use from any number of threads; the gRPC channel and stubs
// are shared and themselves thread-safe.
#pragma once

#include <chrono>
#include <memory>
#include <string>

#include "pkg/kubelet/cri/runtime.h"

namespace grpc {
class Channel;
class ClientContext;
class Status;
}  // namespace grpc

namespace kc::cri {

class GrpcRuntime : public Runtime {
 public:
  static constexpr std::chrono::seconds kDefaultTimeout{120};
  static constexpr std::chrono::seconds kPullImageTimeout{600};
  static constexpr int kMaxReceiveMessageBytes = 16 * 1024 * 1024;

  // `socket_path` is an absolute path ("/run/containerd/containerd.sock") or already a target
  // "unix:///abs/path". The channel connects lazily: Connect only validates the path (BadRequest if
  // empty or relative) and sets the channel up; use WaitForReady to wait for the socket.
  static api::Result<std::unique_ptr<GrpcRuntime>> Connect(
      const std::string& socket_path, std::chrono::seconds default_timeout = kDefaultTimeout);

  ~GrpcRuntime() override;
  GrpcRuntime(const GrpcRuntime&) = delete;
  GrpcRuntime& operator=(const GrpcRuntime&) = delete;

  // Waits until the channel is connected (ServiceUnavailable on timeout). This checks only the
  // transport; call Version to see that the CRI plugin is loaded (it answers UNIMPLEMENTED, mapped
  // to InternalError, when it failed to load).
  api::Status WaitForReady(std::chrono::milliseconds timeout);

  // The gRPC target, e.g. "unix:///run/containerd/containerd.sock".
  const std::string& target() const { return target_; }

  api::Result<v1::VersionResponse> Version(const v1::VersionRequest& req) override;
  api::Result<v1::StatusResponse> Status(const v1::StatusRequest& req) override;
  api::Result<v1::RunPodSandboxResponse> RunPodSandbox(const v1::RunPodSandboxRequest& req) override;
  api::Status StopPodSandbox(const v1::StopPodSandboxRequest& req) override;
  api::Status RemovePodSandbox(const v1::RemovePodSandboxRequest& req) override;
  api::Result<v1::PodSandboxStatusResponse> PodSandboxStatus(
      const v1::PodSandboxStatusRequest& req) override;
  api::Result<v1::ListPodSandboxResponse> ListPodSandbox(const v1::ListPodSandboxRequest& req) override;
  api::Result<v1::CreateContainerResponse> CreateContainer(
      const v1::CreateContainerRequest& req) override;
  api::Status StartContainer(const v1::StartContainerRequest& req) override;
  api::Status StopContainer(const v1::StopContainerRequest& req) override;
  api::Status RemoveContainer(const v1::RemoveContainerRequest& req) override;
  api::Result<v1::ListContainersResponse> ListContainers(const v1::ListContainersRequest& req) override;
  api::Result<v1::ContainerStatusResponse> ContainerStatus(
      const v1::ContainerStatusRequest& req) override;
  api::Status UpdateContainerResources(const v1::UpdateContainerResourcesRequest& req) override;
  api::Status ReopenContainerLog(const v1::ReopenContainerLogRequest& req) override;
  api::Result<v1::ExecSyncResponse> ExecSync(const v1::ExecSyncRequest& req) override;
  api::Result<v1::ExecResponse> Exec(const v1::ExecRequest& req) override;
  api::Result<v1::AttachResponse> Attach(const v1::AttachRequest& req) override;
  api::Result<v1::PortForwardResponse> PortForward(const v1::PortForwardRequest& req) override;
  api::Result<v1::ContainerStatsResponse> ContainerStats(const v1::ContainerStatsRequest& req) override;
  api::Result<v1::ListContainerStatsResponse> ListContainerStats(
      const v1::ListContainerStatsRequest& req) override;
  api::Status UpdateRuntimeConfig(const v1::UpdateRuntimeConfigRequest& req) override;
  api::Result<v1::ListImagesResponse> ListImages(const v1::ListImagesRequest& req) override;
  api::Result<v1::ImageStatusResponse> ImageStatus(const v1::ImageStatusRequest& req) override;
  api::Result<v1::PullImageResponse> PullImage(const v1::PullImageRequest& req) override;
  api::Status RemoveImage(const v1::RemoveImageRequest& req) override;
  api::Result<v1::ImageFsInfoResponse> ImageFsInfo(const v1::ImageFsInfoRequest& req) override;

 private:
  struct Stubs;  // the generated RuntimeService/ImageService stubs (kept out of this header)

  GrpcRuntime(std::string target, std::shared_ptr<grpc::Channel> channel,
              std::chrono::seconds default_timeout);

  // Runs one unary RPC (`rpc` is a generated stub member function) with the given deadline
  // (zero = none) and maps the status. Defined in the .cc, the only place it is used.
  template <typename Resp, typename Stub, typename Req>
  api::Result<Resp> Call(Stub& stub,
                         grpc::Status (Stub::*rpc)(grpc::ClientContext*, const Req&, Resp*),
                         const char* method, const Req& req, std::chrono::seconds timeout) const;

  const std::string target_;
  const std::chrono::seconds default_timeout_;
  std::shared_ptr<grpc::Channel> channel_;
  std::unique_ptr<Stubs> stubs_;
};

}  // namespace kc::cri
