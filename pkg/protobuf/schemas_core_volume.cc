// Schema tables for k8s.io/api/core/v1 volumes: Volume with the volume sources pods commonly
// use (hostPath, emptyDir, secret, configMap, projected, downwardAPI, persistentVolumeClaim,
// nfs, csi, ephemeral, image, gitRepo, gcePersistentDisk, awsElasticBlockStore) and
// PersistentVolumeClaim. Other (deprecated, vendor-specific) sources are not decoded.
#include "pkg/protobuf/schemas.h"

namespace kc::protobuf::core {
namespace {
const MessageSchema& VolumeSource();
const MessageSchema& HostPathVolumeSource();
const MessageSchema& EmptyDirVolumeSource();
const MessageSchema& GCEPersistentDiskVolumeSource();
const MessageSchema& AWSElasticBlockStoreVolumeSource();
const MessageSchema& GitRepoVolumeSource();
const MessageSchema& SecretVolumeSource();
const MessageSchema& NFSVolumeSource();
const MessageSchema& PersistentVolumeClaimVolumeSource();
const MessageSchema& DownwardAPIVolumeSource();
const MessageSchema& DownwardAPIVolumeFile();
const MessageSchema& ConfigMapVolumeSource();
const MessageSchema& KeyToPath();
const MessageSchema& ProjectedVolumeSource();
const MessageSchema& VolumeProjection();
const MessageSchema& SecretProjection();
const MessageSchema& ConfigMapProjection();
const MessageSchema& DownwardAPIProjection();
const MessageSchema& ServiceAccountTokenProjection();
const MessageSchema& ClusterTrustBundleProjection();
const MessageSchema& CSIVolumeSource();
const MessageSchema& EphemeralVolumeSource();
const MessageSchema& ImageVolumeSource();
const MessageSchema& PersistentVolumeClaimTemplate();
const MessageSchema& PersistentVolumeClaimSpec();
const MessageSchema& PersistentVolumeClaimStatus();
const MessageSchema& VolumeResourceRequirements();
const MessageSchema& TypedObjectReference();

KC_PB_MESSAGE(VolumeSource,
              Message(1, "hostPath", HostPathVolumeSource),
              Message(2, "emptyDir", EmptyDirVolumeSource),
              Message(3, "gcePersistentDisk", GCEPersistentDiskVolumeSource),
              Message(4, "awsElasticBlockStore", AWSElasticBlockStoreVolumeSource),
              Message(5, "gitRepo", GitRepoVolumeSource), Message(6, "secret", SecretVolumeSource),
              Message(7, "nfs", NFSVolumeSource),
              Message(10, "persistentVolumeClaim", PersistentVolumeClaimVolumeSource),
              Message(16, "downwardAPI", DownwardAPIVolumeSource),
              Message(19, "configMap", ConfigMapVolumeSource),
              Message(26, "projected", ProjectedVolumeSource), Message(28, "csi", CSIVolumeSource),
              Message(29, "ephemeral", EphemeralVolumeSource),
              Message(30, "image", ImageVolumeSource))

KC_PB_MESSAGE(HostPathVolumeSource, StringKeep(1, "path"), StringKeep(2, "type"))

KC_PB_MESSAGE(EmptyDirVolumeSource, String(1, "medium"), Quantity(2, "sizeLimit"))

KC_PB_MESSAGE(GCEPersistentDiskVolumeSource,
              StringKeep(1, "pdName"), String(2, "fsType"), Int32(3, "partition"),
              Bool(4, "readOnly"))

KC_PB_MESSAGE(AWSElasticBlockStoreVolumeSource,
              StringKeep(1, "volumeID"), String(2, "fsType"), Int32(3, "partition"),
              Bool(4, "readOnly"))

KC_PB_MESSAGE(GitRepoVolumeSource,
              StringKeep(1, "repository"), String(2, "revision"), String(3, "directory"))

KC_PB_MESSAGE(SecretVolumeSource,
              String(1, "secretName"), MessageList(2, "items", KeyToPath),
              Int32Keep(3, "defaultMode"), BoolKeep(4, "optional"))

KC_PB_MESSAGE(NFSVolumeSource, StringKeep(1, "server"), StringKeep(2, "path"), Bool(3, "readOnly"))

KC_PB_MESSAGE(PersistentVolumeClaimVolumeSource, StringKeep(1, "claimName"), Bool(2, "readOnly"))

KC_PB_MESSAGE(DownwardAPIVolumeSource,
              MessageList(1, "items", DownwardAPIVolumeFile), Int32Keep(2, "defaultMode"))

KC_PB_MESSAGE(DownwardAPIVolumeFile,
              StringKeep(1, "path"), Message(2, "fieldRef", ObjectFieldSelector),
              Message(3, "resourceFieldRef", ResourceFieldSelector), Int32Keep(4, "mode"))

KC_PB_MESSAGE(ConfigMapVolumeSource,
              Inline(1, LocalObjectReference), MessageList(2, "items", KeyToPath),
              Int32Keep(3, "defaultMode"), BoolKeep(4, "optional"))

KC_PB_MESSAGE(KeyToPath, StringKeep(1, "key"), StringKeep(2, "path"), Int32Keep(3, "mode"))

KC_PB_MESSAGE(ProjectedVolumeSource,
              MessageList(1, "sources", VolumeProjection), Int32Keep(2, "defaultMode"))

KC_PB_MESSAGE(VolumeProjection,
              Message(1, "secret", SecretProjection),
              Message(2, "downwardAPI", DownwardAPIProjection),
              Message(3, "configMap", ConfigMapProjection),
              Message(4, "serviceAccountToken", ServiceAccountTokenProjection),
              Message(5, "clusterTrustBundle", ClusterTrustBundleProjection))

KC_PB_MESSAGE(SecretProjection,
              Inline(1, LocalObjectReference), MessageList(2, "items", KeyToPath),
              BoolKeep(4, "optional"))

KC_PB_MESSAGE(ConfigMapProjection,
              Inline(1, LocalObjectReference), MessageList(2, "items", KeyToPath),
              BoolKeep(4, "optional"))

KC_PB_MESSAGE(DownwardAPIProjection, MessageList(1, "items", DownwardAPIVolumeFile))

KC_PB_MESSAGE(ServiceAccountTokenProjection,
              String(1, "audience"), Int64Keep(2, "expirationSeconds"), StringKeep(3, "path"))

KC_PB_MESSAGE(ClusterTrustBundleProjection,
              StringKeep(1, "name"), StringKeep(2, "signerName"),
              Message(3, "labelSelector", meta::LabelSelector), BoolKeep(5, "optional"),
              StringKeep(4, "path"))

KC_PB_MESSAGE(CSIVolumeSource,
              StringKeep(1, "driver"), BoolKeep(2, "readOnly"), StringKeep(3, "fsType"),
              StringMap(4, "volumeAttributes"),
              Message(5, "nodePublishSecretRef", LocalObjectReference))

KC_PB_MESSAGE(EphemeralVolumeSource,
              Message(1, "volumeClaimTemplate", PersistentVolumeClaimTemplate))

KC_PB_MESSAGE(ImageVolumeSource, String(1, "reference"), String(2, "pullPolicy"))

KC_PB_MESSAGE(PersistentVolumeClaimTemplate,
              Message(1, "metadata", meta::ObjectMeta), Message(2, "spec", PersistentVolumeClaimSpec))

KC_PB_MESSAGE(PersistentVolumeClaimSpec,
              StringList(1, "accessModes"), Message(4, "selector", meta::LabelSelector),
              Message(2, "resources", VolumeResourceRequirements), String(3, "volumeName"),
              StringKeep(5, "storageClassName"), StringKeep(6, "volumeMode"),
              Message(7, "dataSource", TypedLocalObjectReference),
              Message(8, "dataSourceRef", TypedObjectReference),
              StringKeep(9, "volumeAttributesClassName"))

KC_PB_MESSAGE(PersistentVolumeClaimStatus,
              String(1, "phase"), StringList(2, "accessModes"), QuantityMap(3, "capacity"))

KC_PB_MESSAGE(VolumeResourceRequirements, QuantityMap(1, "limits"), QuantityMap(2, "requests"))

KC_PB_MESSAGE(TypedObjectReference,
              StringKeep(1, "apiGroup"), StringKeep(2, "kind"), StringKeep(3, "name"),
              StringKeep(4, "namespace"))
}  // namespace

// VolumeSource is an embedded struct: its one set member sits next to "name".
KC_PB_MESSAGE(Volume, StringKeep(1, "name"), Inline(2, VolumeSource))

KC_PB_MESSAGE(PersistentVolumeClaim,
              Message(1, "metadata", meta::ObjectMeta),
              Message(2, "spec", PersistentVolumeClaimSpec),
              Message(3, "status", PersistentVolumeClaimStatus))

}  // namespace kc::protobuf::core
