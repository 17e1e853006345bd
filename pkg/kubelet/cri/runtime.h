// Runtime: the container runtime as the kubelet sees it — one method per CRI (runtime.v1) RPC the
// kubelet uses, taking and returning the generated `runtime::v1::` messages (api.proto).
//
// Implementations: GrpcRuntime (containerd 1.6 over its unix socket) and FakeRuntime (in memory,
// for kubelet unit tests). Errors come back as kc::api::Status with the gRPC code mapped by
// StatusFromGrpc (status_mapping.h): NOT_FOUND → NotFound, INVALID_ARGUMENT → BadRequest,
// DEADLINE_EXCEEDED → Timeout, UNAVAILABLE → ServiceUnavailable, anything else → InternalError;
// the message is the runtime's own text.
//
// Notes that hold for every method (containerd 1.6.20, see the reference §2.2):
//  * Timestamps (created_at, started_at, finished_at, stats timestamps) are int64 nanoseconds since
//    the epoch; StopContainer/ExecSync timeouts are seconds.
//  * proto3 omits default values: SANDBOX_READY and CONTAINER_CREATED are 0. Test message
//    presence (has_status(), has_image()), not scalars.
//  * Empty ids make containerd answer UNKNOWN "Prefix can't be empty" — validate ids first.
//  * Stop*/Remove* are idempotent for already-stopped / already-removed objects.
//
// Thread-safety: every implementation is safe for concurrent use from any number of threads
// without external synchronization.
#pragma once

#include "pkg/api/status.h"
#include "pkg/kubelet/cri/api.pb.h"

namespace kc::cri {

namespace v1 = ::runtime::v1;

class Runtime {
 public:
  virtual ~Runtime() = default;

  // ---- RuntimeService -------------------------------------------------------------------------

  // Runtime name/version. containerd 1.6: version "0.1.0", runtime_name "containerd",
  // runtime_version e.g. "1.6.20~ds1", runtime_api_version "v1".
  virtual api::Result<v1::VersionResponse> Version(const v1::VersionRequest& req) = 0;

  // Runtime conditions "RuntimeReady" (always true in 1.6) and "NetworkReady" (true once a CNI
  // config was loaded; else reason "NetworkPluginNotReady"). verbose adds `info` (config,
  // cniconfig, golang, lastCNILoadStatus).
  virtual api::Result<v1::StatusResponse> Status(const v1::StatusRequest& req) = 0;

  // Pulls sandbox_image if missing, creates the netns and calls CNI (unless network = NODE),
  // starts the pause container in cgroup <cgroup_parent>/<sandbox-id>. runtime_handler "" =
  // default runtime; unknown handler → error.
  virtual api::Result<v1::RunPodSandboxResponse> RunPodSandbox(
      const v1::RunPodSandboxRequest& req) = 0;

  // SIGKILLs every container of the sandbox and the pause process, tears down CNI; the sandbox
  // becomes SANDBOX_NOTREADY with an empty `network`. Unknown id → NotFound.
  virtual api::Status StopPodSandbox(const v1::StopPodSandboxRequest& req) = 0;

  // Removes the sandbox and all its containers (force-stopping them). Unknown id → OK.
  // Log files are left in place (deleting them is the kubelet's job).
  virtual api::Status RemovePodSandbox(const v1::RemovePodSandboxRequest& req) = 0;

  // status.network.ip is the pod IP (empty for host-network pods). Unknown id → NotFound.
  virtual api::Result<v1::PodSandboxStatusResponse> PodSandboxStatus(
      const v1::PodSandboxStatusRequest& req) = 0;

  // Filter: id, state, label_selector (exact match, AND of all pairs).
  virtual api::Result<v1::ListPodSandboxResponse> ListPodSandbox(
      const v1::ListPodSandboxRequest& req) = 0;

  // Creates (does not start) a container. `sandbox_config` must be the config the sandbox was run
  // with (log_directory etc.). The image must already be present — CreateContainer never pulls:
  // NotFound "failed to resolve image ...". Unknown sandbox → NotFound.
  virtual api::Result<v1::CreateContainerResponse> CreateContainer(
      const v1::CreateContainerRequest& req) = 0;

  // CREATED → RUNNING. Fails (InternalError) if the container is in another state or its
  // sandbox is not ready.
  virtual api::Status StartContainer(const v1::StartContainerRequest& req) = 0;

  // Sends the image's STOPSIGNAL (default SIGTERM), waits `timeout` seconds, then SIGKILLs;
  // timeout 0 = SIGKILL at once. The reply arrives only after the container exited, so callers
  // should allow timeout + a margin. Already stopped → OK; unknown → NotFound.
  virtual api::Status StopContainer(const v1::StopContainerRequest& req) = 0;

  // A RUNNING container is force-killed and removed. Unknown → OK.
  virtual api::Status RemoveContainer(const v1::RemoveContainerRequest& req) = 0;

  // Filter: id, state, pod_sandbox_id, label_selector (exact match, AND of all pairs).
  virtual api::Result<v1::ListContainersResponse> ListContainers(
      const v1::ListContainersRequest& req) = 0;

  // Unknown id → NotFound. status.log_path is absolute; status.image is the image's first repo
  // tag (not necessarily the name used at create), image_ref its first repo digest if any, else
  // the image ID; reason "Completed" (exit 0), "Error" or "OOMKilled" once exited.
  virtual api::Result<v1::ContainerStatusResponse> ContainerStatus(
      const v1::ContainerStatusRequest& req) = 0;

  // Applies cpu/memory limits live to the container's cgroup.
  virtual api::Status UpdateContainerResources(const v1::UpdateContainerResourcesRequest& req) = 0;

  // Re-creates the log file at the same path (after the kubelet renamed it for rotation).
  // The container must be RUNNING, else InternalError "container is not running".
  virtual api::Status ReopenContainerLog(const v1::ReopenContainerLogRequest& req) = 0;

  // Runs cmd synchronously. A non-zero exit is a normal reply (exit_code); expiry of `timeout`
  // seconds → Timeout ("timeout 1s exceeded"); container not running → InternalError
  // ("container is in CONTAINER_EXITED state").
  virtual api::Result<v1::ExecSyncResponse> ExecSync(const v1::ExecSyncRequest& req) = 0;

  // Exec/Attach/PortForward only validate and store the request; they return a single-use URL
  // (valid 60 s) on containerd's stream server where the I/O happens (reference §3). tty together
  // with stderr, or none of stdin/stdout/stderr → BadRequest. Container must be RUNNING.
  virtual api::Result<v1::ExecResponse> Exec(const v1::ExecRequest& req) = 0;
  virtual api::Result<v1::AttachResponse> Attach(const v1::AttachRequest& req) = 0;
  // The sandbox must be READY.
  virtual api::Result<v1::PortForwardResponse> PortForward(const v1::PortForwardRequest& req) = 0;

  // cpu/memory from the cgroup, writable_layer from the snapshotter. usage_nano_cores is absent
  // on the first call for a container (it is computed from the previous call's sample).
  virtual api::Result<v1::ContainerStatsResponse> ContainerStats(
      const v1::ContainerStatsRequest& req) = 0;
  // Filter: id, pod_sandbox_id, label_selector.
  virtual api::Result<v1::ListContainerStatsResponse> ListContainerStats(
      const v1::ListContainerStatsRequest& req) = 0;

  // Only network_config.pod_cidr; containerd uses it only when cni.conf_template is configured.
  virtual api::Status UpdateRuntimeConfig(const v1::UpdateRuntimeConfigRequest& req) = 0;

  // ---- ImageService ---------------------------------------------------------------------------

  // One entry per image ID with all its tags in repo_tags. containerd 1.6 ignores the filter.
  virtual api::Result<v1::ListImagesResponse> ListImages(const v1::ListImagesRequest& req) = 0;

  // Accepts a tag, short name ("busybox:1.35"), full ID or ID prefix. An unknown image is NOT an
  // error: the reply is OK with `image` unset (check has_image()).
  virtual api::Result<v1::ImageStatusResponse> ImageStatus(const v1::ImageStatusRequest& req) = 0;

  // image_ref = image ID "sha256:<config digest>". May take minutes (GrpcRuntime allows 10 min).
  // Unknown image → NotFound "failed to pull and unpack image ...: not found".
  virtual api::Result<v1::PullImageResponse> PullImage(const v1::PullImageRequest& req) = 0;

  // Removes the whole image — every tag of that image ID — even when given one tag. Unknown → OK.
  virtual api::Status RemoveImage(const v1::RemoveImageRequest& req) = 0;

  // Usage of the image filesystem (mountpoint <root>/io.containerd.snapshotter.v1.overlayfs).
  virtual api::Result<v1::ImageFsInfoResponse> ImageFsInfo(const v1::ImageFsInfoRequest& req) = 0;
};

}  // namespace kc::cri
