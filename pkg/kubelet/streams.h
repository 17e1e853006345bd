// KubeletStreams: the kubelet's PodStreams (pkg/streaming/pod_streams.h) — exec/attach/
// port-forward URLs from the CRI stream server for the pod's running containers, and the log
// file of a container's current or previous instance, with upstream's error texts.
//
// Thread-safety: safe from any thread.
#pragma once

#include "pkg/streaming/pod_streams.h"

namespace kc::kubelet {

class Kubelet;

class KubeletStreams : public streaming::PodStreams {
 public:
  explicit KubeletStreams(Kubelet& kubelet) : kubelet_(kubelet) {}

  api::Result<std::string> ExecUrl(const streaming::ExecParams& p) override;
  api::Result<std::string> AttachUrl(const streaming::ExecParams& p) override;
  api::Result<std::string> PortForwardUrl(const std::string& ns, const std::string& pod,
                                          const std::vector<int32_t>& ports) override;
  api::Result<streaming::LogTarget> ContainerLog(const std::string& ns, const std::string& pod,
                                                 const std::string& container,
                                                 bool previous) override;

 private:
  // The id of the running instance of the container; errors as upstream.
  api::Result<std::string> RunningContainer(const std::string& ns, const std::string& pod,
                                            const std::string& container);

  Kubelet& kubelet_;
};

}  // namespace kc::kubelet
