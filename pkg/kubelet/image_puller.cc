#include "pkg/kubelet/image_puller.h"

#include <spdlog/spdlog.h>

#include <chrono>

#include "pkg/api/json_path.h"
#include "pkg/kubelet/cri/image_ref.h"
#include "pkg/kubelet/go_duration.h"
#include "pkg/kubelet/pod_util.h"
#include "pkg/kubelet/pull_secrets.h"

namespace kc::kubelet {

std::string GrpcErrorText(const api::Status& s) {
  const char* code = "Unknown";
  switch (s.reason()) {
    case api::Reason::kNotFound:
      code = "NotFound";
      break;
    case api::Reason::kBadRequest:
    case api::Reason::kInvalid:
      code = "InvalidArgument";
      break;
    case api::Reason::kTimeout:
      code = "DeadlineExceeded";
      break;
    case api::Reason::kServiceUnavailable:
      code = "Unavailable";
      break;
    default:
      break;
  }
  return std::string("rpc error: code = ") + code + " desc = " + s.message();
}

ImageResult ImagePuller::EnsureImage(const json::object& pod, const json::object& container,
                                     const cri::v1::PodSandboxConfig& sandbox_config,
                                     EventRecorder* events, ConfigSource* config) {
  ImageResult r;
  std::string image = api::GetString(container, "image");
  std::string cname = ContainerName(container);
  auto normal = [&](const std::string& reason, const std::string& msg) {
    if (events) events->Normal(pod, cname, reason, msg);
  };
  auto warning = [&](const std::string& reason, const std::string& msg) {
    if (events) events->Warning(pod, cname, reason, msg);
  };
  auto normalized = cri::NormalizeImageName(image);
  if (!normalized.ok()) {
    r.failure = {"InvalidImageName",
                 "Failed to apply default image tag \"" + image + "\": " +
                     normalized.status().message()};
    return r;
  }
  cri::v1::ImageStatusRequest sreq;
  sreq.mutable_image()->set_image(*normalized);
  auto status = runtime_.ImageStatus(sreq);
  if (!status.ok()) {
    r.failure = {"ImageInspectError", "Failed to inspect image \"" + image + "\": " +
                                          GrpcErrorText(status.status())};
    return r;
  }
  bool present = status->has_image() && !status->image().id().empty();
  std::string policy = api::GetString(container, "imagePullPolicy");
  if (policy.empty()) {
    // The API server defaults this; for objects that skipped defaulting, the same rule.
    bool latest = normalized->find('@') == std::string::npos &&
                  normalized->size() > 7 && normalized->ends_with(":latest");
    policy = latest ? "Always" : "IfNotPresent";
  }
  bool pull = policy == "Always" || (policy == "IfNotPresent" && !present);
  auto fill_user = [&](const cri::v1::Image& img) {
    if (img.has_uid()) r.uid = img.uid().value();
    r.username = img.username();
  };
  if (!pull) {
    if (present) {
      normal("Pulled", "Container image \"" + image + "\" already present on machine");
      r.ok = true;
      r.image_ref = status->image().id();
      fill_user(status->image());
      return r;
    }
    r.failure = {"ErrImageNeverPull",
                 "Container image \"" + image + "\" is not present with pull policy of Never"};
    warning("ErrImageNeverPull", r.failure.message);
    return r;
  }
  std::string key = PodUid(pod) + "_" + image;
  if (backoff_.IsInBackOffSinceUpdate(key)) {
    r.failure = {"ImagePullBackOff", "Back-off pulling image \"" + image + "\""};
    normal("BackOff", r.failure.message);
    return r;
  }
  spdlog::info("kubelet: pulling image \"{}\" for pod {}", image, PodDesc(pod));
  normal("Pulling", "Pulling image \"" + image + "\"");
  auto started = std::chrono::steady_clock::now();
  cri::v1::PullImageRequest preq;
  preq.mutable_image()->set_image(*normalized);
  *preq.mutable_sandbox_config() = sandbox_config;
  if (config) {
    if (auto auth = PullAuthFor(pod, *normalized, *config)) *preq.mutable_auth() = *auth;
  }
  auto pulled = runtime_.PullImage(preq);
  if (!pulled.ok()) {
    spdlog::warn("kubelet: failed to pull image \"{}\": {}", image, pulled.status().message());
    backoff_.Next(key, backoff_.Now());
    r.failure = {"ErrImagePull", GrpcErrorText(pulled.status())};
    warning("Failed", "Failed to pull image \"" + image + "\": " + r.failure.message);
    return r;
  }
  r.ok = true;
  r.image_ref = pulled->image_ref();
  auto after = runtime_.ImageStatus(sreq);
  if (after.ok() && after->has_image()) {
    fill_user(after->image());
    if (r.image_ref.empty()) r.image_ref = after->image().id();
  }
  if (r.image_ref.empty()) r.image_ref = *normalized;
  std::string took = GoDuration(std::chrono::duration_cast<std::chrono::milliseconds>(
      std::chrono::steady_clock::now() - started));
  std::string size = after.ok() && after->has_image() ? std::to_string(after->image().size()) : "0";
  normal("Pulled", "Successfully pulled image \"" + image + "\" in " + took + " (" + took +
                       " including waiting). Image size: " + size + " bytes.");
  return r;
}

}  // namespace kc::kubelet
