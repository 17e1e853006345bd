// Small read helpers over a v1 Pod (boost::json) used across the kubelet: container lists,
// restart policy, host networking, the restart decision and the container spec hash.
//
// Thread-safety: pure functions.
#pragma once

#include <boost/json/array.hpp>
#include <boost/json/object.hpp>
#include <string>
#include <vector>

#include "pkg/kubelet/runtime_pod.h"

namespace kc::kubelet {

namespace json = boost::json;

std::string PodName(const json::object& pod);
std::string PodNamespace(const json::object& pod);
std::string PodUid(const json::object& pod);
// "<name>_<namespace>(<uid>)" as upstream's format.Pod prints it.
std::string PodDesc(const json::object& pod);

const json::object& EmptyObject();
const json::array& EmptyArray();
const json::object& PodSpec(const json::object& pod);
const json::array& Containers(const json::object& pod);
const json::array& InitContainers(const json::object& pod);
// The container (regular or init) named `name`, or nullptr.
const json::object* FindContainer(const json::object& pod, const std::string& name);
bool IsInitContainer(const json::object& pod, const std::string& name);

// "Always" (default), "OnFailure" or "Never".
std::string RestartPolicy(const json::object& pod);
bool IsHostNetwork(const json::object& pod);
bool IsDeleted(const json::object& pod);  // metadata.deletionTimestamp set
std::string PodPhase(const json::object& pod);
bool IsTerminalPhase(const std::string& phase);
// A sidecar: an init container with restartPolicy Always.
bool IsRestartableInitContainer(const json::object& container);
std::string ContainerName(const json::object& container);

// Upstream ShouldContainerBeRestarted: whether the container must be (re)started now given its
// newest runtime instance.
bool ShouldContainerBeRestarted(const json::object& container, const json::object& pod,
                                const RuntimePod& runtime);

// A stable hash (hex) of the container's spec; a change means "recreate the container".
std::string ContainerHash(const json::object& container);

// spec.terminationGracePeriodSeconds (default 30), or metadata.deletionGracePeriodSeconds when
// the pod is being deleted.
int64_t GracePeriodSeconds(const json::object& pod);

}  // namespace kc::kubelet
