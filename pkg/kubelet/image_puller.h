// ImagePuller: makes sure a container's image is present before CreateContainer (upstream
// images.imageManager.EnsureImageExists): pull policy Always/IfNotPresent/Never, ImageStatus →
// PullImage, pull failures → ErrImagePull, then ImagePullBackOff while the per-(pod, image)
// back-off runs; Never with a missing image → ErrImageNeverPull; malformed names →
// InvalidImageName.
//
// Thread-safety: safe from any thread (the back-off is thread-safe; the runtime too).
#pragma once

#include <boost/json/object.hpp>
#include <optional>
#include <string>

#include "pkg/kubelet/backoff.h"
#include "pkg/kubelet/config_source.h"
#include "pkg/kubelet/cri/runtime.h"
#include "pkg/kubelet/event_recorder.h"
#include "pkg/kubelet/pod_status.h"

namespace kc::kubelet {

namespace json = boost::json;

struct ImageResult {
  bool ok = false;
  std::string image_ref;  // the image id to create the container from
  std::optional<int64_t> uid;
  std::string username;
  WaitingReason failure;  // when !ok
};

class ImagePuller {
 public:
  ImagePuller(cri::Runtime& runtime, Backoff& backoff) : runtime_(runtime), backoff_(backoff) {}

  // Records Pulling/Pulled/Failed/BackOff events on `events` when given; reads the pod's
  // imagePullSecrets through `config` when given.
  ImageResult EnsureImage(const json::object& pod, const json::object& container,
                          const cri::v1::PodSandboxConfig& sandbox_config,
                          EventRecorder* events = nullptr, ConfigSource* config = nullptr);

 private:
  cri::Runtime& runtime_;
  Backoff& backoff_;
};

// "rpc error: code = NotFound desc = <message>", as a Go gRPC error prints.
std::string GrpcErrorText(const api::Status& s);

}  // namespace kc::kubelet
