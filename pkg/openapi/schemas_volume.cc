// core/v1 storage: pod volume sources, PersistentVolume and PersistentVolumeClaim. Cloud and
// legacy in-tree volume plugins are described as free-form objects.
#include "pkg/openapi/schema_sources.h"

namespace kc::openapi::internal {

std::string_view VolumeSchemas() {
  return R"DSL(
package core.v1
Volume A named volume of a pod that its containers can mount. Exactly one source is set.
  awsElasticBlockStore object Deprecated in-tree AWS EBS volume.
  azureDisk object Deprecated in-tree Azure data disk.
  azureFile object Deprecated in-tree Azure File share.
  cephfs object Ceph filesystem mount.
  cinder object Deprecated in-tree OpenStack Cinder volume.
  configMap ConfigMapVolumeSource A ConfigMap whose keys are projected as files.
  csi CSIVolumeSource An ephemeral volume provided by a CSI driver.
  downwardAPI DownwardAPIVolumeSource Pod fields and container resources exposed as files.
  emptyDir EmptyDirVolumeSource An empty directory that lives as long as the pod.
  ephemeral EphemeralVolumeSource A volume provisioned from a PVC template for the lifetime of the pod.
  fc object Fibre Channel volume.
  flexVolume object Deprecated FlexVolume plugin volume.
  flocker object Deprecated Flocker volume.
  gcePersistentDisk object Deprecated in-tree GCE persistent disk.
  gitRepo object Deprecated: a directory cloned from a git repository.
  glusterfs object Deprecated Glusterfs mount.
  hostPath HostPathVolumeSource A file or directory on the host node.
  image ImageVolumeSource The contents of an OCI image or artifact, mounted read-only.
  iscsi object iSCSI disk.
  name! string Name of the volume; must be a DNS label, unique within the pod.
  nfs NFSVolumeSource An NFS export.
  persistentVolumeClaim PersistentVolumeClaimVolumeSource A PersistentVolumeClaim in the pod's namespace.
  photonPersistentDisk object Deprecated PhotonController disk.
  portworxVolume object Deprecated Portworx volume.
  projected ProjectedVolumeSource Several sources projected into one directory.
  quobyte object Deprecated Quobyte mount.
  rbd object Deprecated Rados block device.
  scaleIO object Deprecated ScaleIO volume.
  secret SecretVolumeSource A Secret whose keys are projected as files.
  storageos object Deprecated StorageOS volume.
  vsphereVolume object Deprecated vSphere volume.

KeyToPath Maps a key to a file path inside a volume.
  key! string The key to project.
  mode int32 Permission bits of the file (0000-0777); the volume's defaultMode when unset.
  path! string Relative path of the file; must not contain '..'.

ConfigMapVolumeSource A ConfigMap as a volume.
  defaultMode int32 Permission bits for created files. Defaults to 0644.
  items []KeyToPath Keys to project and their paths; all keys when empty.
  name string Name of the ConfigMap.
  optional bool Whether the ConfigMap or its keys may be missing.

SecretVolumeSource A Secret as a volume.
  defaultMode int32 Permission bits for created files. Defaults to 0644.
  items []KeyToPath Keys to project and their paths; all keys when empty.
  optional bool Whether the Secret or its keys may be missing.
  secretName string Name of the Secret in the pod's namespace.

DownwardAPIVolumeSource Pod information as files.
  defaultMode int32 Permission bits for created files. Defaults to 0644.
  items []DownwardAPIVolumeFile The files to create.

DownwardAPIVolumeFile One downward API file.
  fieldRef ObjectFieldSelector A pod field: metadata.name, metadata.namespace, metadata.labels, metadata.annotations.
  mode int32 Permission bits of the file.
  path! string Relative path of the file.
  resourceFieldRef ResourceFieldSelector A container resource limit or request.

EmptyDirVolumeSource A temporary directory.
  medium string Storage medium: "" (node default) or Memory (tmpfs).
  sizeLimit quantity Maximum size of the directory.

HostPathVolumeSource A host path.
  path! string Path on the host; symlinks are followed.
  type string Expected type: "", DirectoryOrCreate, Directory, FileOrCreate, File, Socket, CharDevice or BlockDevice.

ImageVolumeSource An OCI image as a volume.
  pullPolicy string Always, Never or IfNotPresent.
  reference string Image reference to mount.

NFSVolumeSource An NFS mount.
  path! string Path exported by the server.
  readOnly bool Mount read-only.
  server! string Host name or IP of the NFS server.

PersistentVolumeClaimVolumeSource A reference to a PersistentVolumeClaim.
  claimName! string Name of the claim in the pod's namespace.
  readOnly bool Mount read-only.

ProjectedVolumeSource Several volume sources in one directory.
  defaultMode int32 Permission bits for created files.
  sources []VolumeProjection The sources to project.

VolumeProjection One projected source.
  clusterTrustBundle ClusterTrustBundleProjection Certificates from ClusterTrustBundle objects.
  configMap ConfigMapProjection Keys of a ConfigMap.
  downwardAPI DownwardAPIProjection Pod information.
  secret SecretProjection Keys of a Secret.
  serviceAccountToken ServiceAccountTokenProjection A service account token.

ConfigMapProjection A projected ConfigMap.
  items []KeyToPath Keys to project.
  name string Name of the ConfigMap.
  optional bool Whether the ConfigMap may be missing.

SecretProjection A projected Secret.
  items []KeyToPath Keys to project.
  name string Name of the Secret.
  optional bool Whether the Secret may be missing.

DownwardAPIProjection Projected pod information.
  items []DownwardAPIVolumeFile The files to create.

ServiceAccountTokenProjection A projected, automatically rotated service account token.
  audience string Intended audience of the token; the API server's by default.
  expirationSeconds int64 Requested validity of the token. Defaults to 1 hour.
  path! string Relative path of the token file.

ClusterTrustBundleProjection Certificates from ClusterTrustBundle objects.
  labelSelector meta.v1.LabelSelector Selects bundles by label.
  name string Selects a single bundle by name.
  optional bool Whether missing bundles are tolerated.
  path! string Relative path of the file.
  signerName string Selects bundles by signer name.

CSIVolumeSource An inline CSI volume.
  driver! string Name of the CSI driver.
  fsType string Filesystem type to mount.
  nodePublishSecretRef LocalObjectReference Secret passed to the driver's NodePublishVolume call.
  readOnly bool Mount read-only.
  volumeAttributes {}string Driver-specific properties.

EphemeralVolumeSource A generic ephemeral volume.
  volumeClaimTemplate PersistentVolumeClaimTemplate Template of the PVC created for the pod.

PersistentVolumeClaimTemplate Template of a PVC.
  metadata meta.v1.ObjectMeta Labels and annotations copied to the PVC.
  spec! PersistentVolumeClaimSpec Specification of the PVC.

PersistentVolume @/v1/PersistentVolume A piece of storage provisioned by an administrator or a storage class, claimed through a PersistentVolumeClaim.
  spec PersistentVolumeSpec Desired characteristics of the volume.
  status PersistentVolumeStatus Observed state of the volume. Read-only.

PersistentVolumeSpec Characteristics of a persistent volume.
  accessModes []string How the volume can be mounted: ReadWriteOnce, ReadOnlyMany, ReadWriteMany, ReadWriteOncePod.
  awsElasticBlockStore object Deprecated in-tree AWS EBS volume.
  azureDisk object Deprecated in-tree Azure data disk.
  azureFile object Deprecated in-tree Azure File share.
  capacity {}quantity Capacity of the volume, e.g. storage: 10Gi.
  cephfs object Ceph filesystem mount.
  cinder object Deprecated in-tree Cinder volume.
  claimRef ObjectReference The claim bound to this volume.
  csi CSIPersistentVolumeSource A volume managed by a CSI driver.
  fc object Fibre Channel volume.
  flexVolume object Deprecated FlexVolume plugin volume.
  flocker object Deprecated Flocker volume.
  gcePersistentDisk object Deprecated in-tree GCE persistent disk.
  glusterfs object Deprecated Glusterfs volume.
  hostPath HostPathVolumeSource A host directory; for single-node testing only.
  iscsi object iSCSI disk.
  local LocalVolumeSource A local disk directly attached to a node.
  mountOptions []string Mount options used when mounting the volume.
  nfs NFSVolumeSource An NFS export.
  nodeAffinity VolumeNodeAffinity Nodes the volume can be accessed from.
  persistentVolumeReclaimPolicy string What happens when the claim is released: Retain, Delete or Recycle.
  photonPersistentDisk object Deprecated PhotonController disk.
  portworxVolume object Deprecated Portworx volume.
  quobyte object Deprecated Quobyte mount.
  rbd object Deprecated Rados block device.
  scaleIO object Deprecated ScaleIO volume.
  storageClassName string Name of the StorageClass the volume belongs to.
  storageos object Deprecated StorageOS volume.
  volumeAttributesClassName string Name of the VolumeAttributesClass of the volume.
  volumeMode string Filesystem (default) or Block.
  vsphereVolume object Deprecated vSphere volume.

PersistentVolumeStatus +open Observed state of a persistent volume.
  lastPhaseTransitionTime time When the volume last changed phase.
  message string Human-readable detail.
  phase string Pending, Available, Bound, Released or Failed.
  reason string Short reason for a failure.

LocalVolumeSource A local disk.
  fsType string Filesystem type, for block devices.
  path! string Full path of the volume on the node.

VolumeNodeAffinity Nodes a volume can be accessed from.
  required NodeSelector Nodes that satisfy this selector.

CSIPersistentVolumeSource A persistent volume managed by a CSI driver.
  controllerExpandSecretRef SecretReference Secret for ControllerExpandVolume calls.
  controllerPublishSecretRef SecretReference Secret for ControllerPublishVolume calls.
  driver! string Name of the driver.
  fsType string Filesystem type to mount.
  nodeExpandSecretRef SecretReference Secret for NodeExpandVolume calls.
  nodePublishSecretRef SecretReference Secret for NodePublishVolume calls.
  nodeStageSecretRef SecretReference Secret for NodeStageVolume calls.
  readOnly bool Mount read-only.
  volumeAttributes {}string Driver-specific attributes.
  volumeHandle! string Driver-specific ID of the volume.

PersistentVolumeClaim @/v1/PersistentVolumeClaim A user's request for storage, bound to a PersistentVolume.
  spec PersistentVolumeClaimSpec The storage requested.
  status PersistentVolumeClaimStatus Observed state of the claim. Read-only.

PersistentVolumeClaimSpec The storage a claim asks for.
  accessModes []string Desired access modes: ReadWriteOnce, ReadOnlyMany, ReadWriteMany, ReadWriteOncePod.
  dataSource TypedLocalObjectReference A VolumeSnapshot or PersistentVolumeClaim to populate the volume from.
  dataSourceRef TypedObjectReference Any object to populate the volume from, via a volume populator.
  resources VolumeResourceRequirements Minimum (and maximum) resources the volume should have.
  selector meta.v1.LabelSelector Label query over volumes to consider for binding.
  storageClassName string Name of the StorageClass required by the claim.
  volumeAttributesClassName string Name of the VolumeAttributesClass for the volume.
  volumeMode string Filesystem (default) or Block.
  volumeName string Name of the PersistentVolume bound to the claim.

VolumeResourceRequirements Storage resources of a claim.
  limits {}quantity Maximum amount of storage.
  requests {}quantity Minimum amount of storage, e.g. storage: 1Gi.

PersistentVolumeClaimStatus +open Observed state of a claim.
  accessModes []string Access modes of the bound volume.
  allocatedResourceStatuses {}string Status of resize operations per resource.
  allocatedResources {}quantity Resources allocated to the claim.
  capacity {}quantity Actual resources of the bound volume.
  conditions []object Current conditions, e.g. Resizing.
  currentVolumeAttributesClassName string Current VolumeAttributesClass of the volume.
  modifyVolumeStatus object Status of a pending volume modification.
  phase string Pending, Bound or Lost.
)DSL";
}

}  // namespace kc::openapi::internal
