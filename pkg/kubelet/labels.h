// The label and annotation keys the kubelet puts on CRI sandboxes and containers, so it can find
// its pods again after a restart (upstream pkg/kubelet/types/labels.go and kuberuntime/labels.go).
#pragma once

namespace kc::kubelet {

inline constexpr char kPodNameLabel[] = "io.kubernetes.pod.name";
inline constexpr char kPodNamespaceLabel[] = "io.kubernetes.pod.namespace";
inline constexpr char kPodUidLabel[] = "io.kubernetes.pod.uid";
inline constexpr char kContainerNameLabel[] = "io.kubernetes.container.name";

inline constexpr char kContainerHashAnnotation[] = "io.kubernetes.container.hash";
inline constexpr char kContainerRestartCountAnnotation[] = "io.kubernetes.container.restartCount";
inline constexpr char kContainerTerminationMessagePathAnnotation[] =
    "io.kubernetes.container.terminationMessagePath";
inline constexpr char kContainerTerminationMessagePolicyAnnotation[] =
    "io.kubernetes.container.terminationMessagePolicy";
inline constexpr char kContainerPreStopHandlerAnnotation[] = "io.kubernetes.container.preStopHandler";
inline constexpr char kPodTerminationGracePeriodAnnotation[] =
    "io.kubernetes.pod.terminationGracePeriod";
inline constexpr char kContainerImageAnnotation[] = "io.kubernetes.container.image";
inline constexpr char kInitContainerAnnotation[] = "io.kubernetes.container.init";

}  // namespace kc::kubelet
