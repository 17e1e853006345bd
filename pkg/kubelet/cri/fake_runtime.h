// FakeRuntime: an in-memory Runtime for kubelet unit tests.
//
// Keeps sandboxes, containers and images in maps and follows containerd 1.6's observable
// semantics (runtime.h): states and nanosecond timestamps, labels/annotations stored verbatim,
// List* filters (id exact, state, pod_sandbox_id, label_selector exact-match AND), idempotent
// Stop*/Remove*, ImageStatus of an unknown image = OK without image, RemoveImage removes every tag,
// CreateContainer needs the image locally, StopPodSandbox kills its containers, Exec/Attach/
// PortForward return fake stream URLs. Nothing runs: containers only change state when the kubelet
// calls Start/Stop/Remove or a test calls SetContainerExited.
//
// Test controls: add images, make images pullable (or not), end containers with an exit code,
// inject failures per method (FailNext), read back the call log (calls()), and a clock.
//
// Thread-safety: all methods (RPCs and test controls) are safe to call concurrently; one mutex
// guards all state. The clock is called with the mutex held (it must not call into the
// FakeRuntime); the ExecSync handler is called without it.
#pragma once

#include <cstdint>
#include <deque>
#include <functional>
#include <map>
#include <mutex>
#include <string>
#include <vector>

#include "pkg/kubelet/cri/runtime.h"

namespace kc::cri {

class FakeRuntime : public Runtime {
 public:
  // Returns the current time in nanoseconds since the epoch.
  using Clock = std::function<int64_t()>;
  // Computes an ExecSync reply; called with the FakeRuntime's mutex released.
  using ExecSyncHandler = std::function<api::Result<v1::ExecSyncResponse>(const v1::ExecSyncRequest&)>;

  // `clock` defaults to the system clock.
  explicit FakeRuntime(Clock clock = nullptr);
  ~FakeRuntime() override;

  // ---- Runtime --------------------------------------------------------------------------------
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

  // ---- Test controls --------------------------------------------------------------------------

  // Adds a local image under `ref` (normalised, e.g. "busybox" → docker.io/library/busybox:latest)
  // and returns its ID ("sha256:<64 hex>", derived from the name). Adding a second tag of an
  // existing ID is done with AddImageTag.
  std::string AddImage(const std::string& ref, uint64_t size = 1 << 20);
  // Adds another repo tag to the image with ID `image_id`. NotFound if there is no such image.
  api::Status AddImageTag(const std::string& image_id, const std::string& ref);

  // Pull policy. By default (pull_any = true) PullImage of any name succeeds and adds the image.
  // With SetPullAnyImage(false) only names made pullable by AddPullableImage (or already local)
  // can be pulled; others fail with NotFound
  // "failed to pull and unpack image \"<ref>\": failed to resolve reference \"<ref>\": <ref>: not found".
  void SetPullAnyImage(bool pull_any);
  void AddPullableImage(const std::string& ref);

  // Ends a container as if its process exited: state EXITED, finished_at = now, exit_code and
  // reason (e.g. "Completed", "Error", "OOMKilled") set; also sets started_at if it never started.
  // NotFound if the container is unknown.
  api::Status SetContainerExited(const std::string& container_id, int32_t exit_code,
                                 const std::string& reason);

  // Exit code and reason given to RUNNING containers stopped by StopContainer/StopPodSandbox/
  // RemovePodSandbox. Default 137 / "Error" (containerd's SIGKILL result).
  void SetStopResult(int32_t exit_code, const std::string& reason);

  // The next call of `method` (the RPC name, e.g. "StartContainer") returns `status` without any
  // effect. Several FailNext for the same method queue up, one per call. The failed call still
  // appears in calls().
  void FailNext(const std::string& method, api::Status status);

  // The NetworkReady condition reported by Status (default true; false → reason
  // "NetworkPluginNotReady", message "Network plugin returns error: cni plugin not initialized").
  void SetNetworkReady(bool ready);

  // Sets how ExecSync answers (default: exit_code 0, empty output). Only consulted for RUNNING
  // containers.
  void SetExecSyncHandler(ExecSyncHandler handler);

  // Stats ContainerStats/ListContainerStats report for a container (default 0/0).
  api::Status SetContainerUsage(const std::string& container_id, uint64_t cpu_usage_core_nano_seconds,
                                uint64_t memory_working_set_bytes);

  // Every RPC call so far, in order, by RPC name ("RunPodSandbox", "ImageStatus", ...).
  std::vector<std::string> calls() const;
  // How many times `method` was called.
  int CallCount(const std::string& method) const;
  void ClearCalls();

  // The pod CIDR last given to UpdateRuntimeConfig ("" if none).
  std::string pod_cidr() const;

 private:
  struct Sandbox {
    v1::PodSandboxConfig config;
    std::string id;
    uint64_t seq = 0;  // creation order, for stable List results
    std::string runtime_handler;
    v1::PodSandboxState state = v1::SANDBOX_READY;
    int64_t created_at = 0;
    std::string ip;
  };
  struct Container {
    v1::ContainerConfig config;
    std::string id;
    uint64_t seq = 0;  // creation order, for stable List results
    std::string sandbox_id;
    std::string image_id;
    std::string log_path;  // absolute, "" if sandbox log_directory or config log_path is empty
    v1::ContainerState state = v1::CONTAINER_CREATED;
    int64_t created_at = 0;
    int64_t started_at = 0;
    int64_t finished_at = 0;
    int32_t exit_code = 0;
    std::string reason;
    std::string message;
    v1::LinuxContainerResources resources;
    uint64_t cpu_usage_core_ns = 0;
    uint64_t memory_working_set_bytes = 0;
  };

  // Records the call and pops an injected failure for `method`, if any (OK otherwise).
  api::Status BeginCall(const char* method);
  int64_t Now() const;
  std::string NewId();
  std::string NewStreamUrl(const char* kind);
  // Looks an image up by (normalised) tag, full ID, or ID prefix; nullptr if absent.
  v1::Image* FindImage(const std::string& ref);
  v1::Image& PutImage(const std::string& normalized_ref, uint64_t size, bool with_digest);
  void StopContainerLocked(Container& c);
  void StopSandboxLocked(Sandbox& s);
  v1::ContainerStats StatsLocked(const Container& c) const;

  const Clock clock_;

  mutable std::mutex mu_;
  // ---- guarded by mu_ ----
  std::map<std::string, Sandbox> sandboxes_;
  std::map<std::string, Container> containers_;
  std::map<std::string, v1::Image> images_;  // by image ID
  std::vector<std::string> pullable_;        // normalised names
  bool pull_any_ = true;
  bool network_ready_ = true;
  int32_t stop_exit_code_ = 137;
  std::string stop_reason_ = "Error";
  std::map<std::string, std::deque<api::Status>> fail_next_;
  std::vector<std::string> calls_;
  std::string pod_cidr_;
  ExecSyncHandler exec_sync_handler_;
  uint64_t next_id_ = 1;
  uint64_t next_ip_ = 2;
  uint64_t next_token_ = 1;
};

}  // namespace kc::cri
