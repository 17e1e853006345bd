// The volume source fields of a core/v1 Volume, in upstream's checking order. Defaulting uses
// them to see whether a volume names a source; validation to require exactly one.
#pragma once

namespace kc::api {

inline constexpr const char* kVolumeSourceFields[] = {
    "emptyDir",  "hostPath",     "gitRepo",       "gcePersistentDisk", "awsElasticBlockStore",
    "secret",    "nfs",          "iscsi",         "glusterfs",         "flocker",
    "persistentVolumeClaim",     "rbd",           "cinder",            "cephfs",
    "quobyte",   "downwardAPI",  "fc",            "azureFile",         "vsphereVolume",
    "photonPersistentDisk",      "portworxVolume", "azureDisk",        "storageos",
    "projected", "configMap",    "scaleIO",       "csi",               "ephemeral",
    "image"};

}  // namespace kc::api
