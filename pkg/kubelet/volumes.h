// VolumeManager: prepares a pod's volumes on the node and turns volumeMounts into CRI mounts.
//
// Supported sources: emptyDir (medium Memory = a tmpfs mount with sizeLimit), hostPath (with the
// type checks DirectoryOrCreate/Directory/FileOrCreate/File/Socket/CharDevice/BlockDevice),
// configMap, secret, downwardAPI and projected (configMap/secret/downwardAPI/serviceAccountToken
// sources) written by AtomicWriter and refreshed on every sync, and persistentVolumeClaim bound
// to a hostPath/local PersistentVolume. Directories live under
// <root>/pods/<uid>/volumes/<plugin>/<name> as upstream lays them out.
//
// Thread-safety: SetupPodVolumes/CleanupPod for one pod must not run concurrently (the pod
// worker serialises them); different pods may be handled in parallel.
#pragma once

#include <boost/json/object.hpp>
#include <map>
#include <string>
#include <vector>

#include "pkg/api/status.h"
#include "pkg/client/client.h"
#include "pkg/kubelet/config_source.h"
#include "pkg/kubelet/cri/runtime.h"
#include "pkg/kubelet/env.h"

namespace kc::kubelet {

namespace json = boost::json;

// Volume name → host path.
using VolumePaths = std::map<std::string, std::string>;

class VolumeManager {
 public:
  VolumeManager(client::Client& client, std::string root_dir)
      : client_(client), root_dir_(std::move(root_dir)) {}

  // Creates/refreshes every volume of the pod. The first failing volume's error is returned
  // (message as upstream's FailedMount event: `MountVolume.SetUp failed for volume "x" : ...`).
  api::Result<VolumePaths> SetupPodVolumes(const json::object& pod, ConfigSource& config,
                                           const EnvContext& env_ctx);
  // Unmounts tmpfs volumes and removes <root>/pods/<uid>.
  api::Status CleanupPod(const std::string& uid);

  std::string PodDir(const std::string& uid) const { return root_dir_ + "/pods/" + uid; }

 private:
  client::Client& client_;
  const std::string root_dir_;
};

// CRI mounts for `container` (subPath/subPathExpr, readOnly, mountPropagation). Errors are
// CreateContainerConfigError messages.
api::Result<std::vector<cri::v1::Mount>> ContainerMounts(const json::object& container,
                                                         const VolumePaths& volumes,
                                                         const EnvList& env);

}  // namespace kc::kubelet
