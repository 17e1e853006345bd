// core/v1 Pod and the types of its spec: containers, probes, environment, security contexts.
#include "pkg/openapi/schema_sources.h"

namespace kc::openapi::internal {

std::string_view PodSchemas() {
  return R"DSL(
package core.v1
Pod @/v1/Pod A group of containers scheduled together onto one node, sharing network and storage. Created by clients and usually managed by controllers.
  spec PodSpec Desired behaviour of the pod.
  status PodStatus Most recently observed status of the pod. Read-only; populated by the system.

PodTemplateSpec The pod a controller creates: its metadata and spec.
  metadata meta.v1.ObjectMeta Metadata of the pods created from this template, e.g. their labels.
  spec PodSpec Specification of the desired behaviour of the pod.

PodSpec Description of a pod: its containers, volumes and scheduling constraints.
  activeDeadlineSeconds int64 Seconds the pod may be active on a node, counted from its start time, before the system fails it.
  affinity Affinity Node affinity, pod affinity and pod anti-affinity scheduling constraints.
  automountServiceAccountToken bool Whether a service account token is mounted automatically.
  containers! []Container The containers of the pod. At least one is required; cannot be added or removed after creation.
  dnsConfig PodDNSConfig DNS parameters merged into the configuration generated from dnsPolicy.
  dnsPolicy string How the pod's DNS is configured: ClusterFirst (default), ClusterFirstWithHostNet, Default or None.
  enableServiceLinks bool Whether information about services is injected as environment variables. Defaults to true.
  ephemeralContainers []EphemeralContainer Temporary containers added to a running pod for debugging, through the ephemeralcontainers subresource.
  hostAliases []HostAlias Extra entries for the pod's /etc/hosts file.
  hostIPC bool Use the host's IPC namespace.
  hostNetwork bool Use the host's network namespace; the pod's ports are then host ports.
  hostPID bool Use the host's PID namespace.
  hostUsers bool Use the host's user namespace. Defaults to true; false runs the pod in its own user namespace.
  hostname string Hostname of the pod; defaults to the pod name.
  imagePullSecrets []LocalObjectReference Secrets in the same namespace used to pull the images.
  initContainers []Container Containers run in order before the app containers start; each must succeed. Init containers with restartPolicy Always are sidecars that keep running.
  nodeName string The node the pod is bound to. Setting it bypasses the scheduler.
  nodeSelector {}string Labels a node must carry for the pod to be scheduled onto it.
  os PodOS The operating system the pod's containers need.
  overhead {}quantity Resources consumed by the pod sandbox, in addition to the containers' requests. Set from the RuntimeClass.
  preemptionPolicy string Whether the pod may preempt lower-priority pods: PreemptLowerPriority (default) or Never.
  priority int32 Priority value, resolved from priorityClassName by the admission controller.
  priorityClassName string Name of the PriorityClass that sets the pod's priority.
  readinessGates []PodReadinessGate Extra conditions that must be True for the pod to be ready.
  resourceClaims []PodResourceClaim Dynamic resource claims the pod's containers may use.
  resources ResourceRequirements Pod-level resource requests and limits shared by all containers (alpha).
  restartPolicy string Restart policy for the containers: Always (default), OnFailure or Never.
  runtimeClassName string Name of the RuntimeClass used to run the pod.
  schedulerName string The scheduler responsible for the pod; the default scheduler when empty.
  schedulingGates []PodSchedulingGate Gates that keep the pod from being scheduled while any remains.
  securityContext PodSecurityContext Pod-level security attributes and defaults for all containers.
  serviceAccount string Deprecated alias of serviceAccountName.
  serviceAccountName string Name of the ServiceAccount the pod runs as.
  setHostnameAsFQDN bool Set the pod's hostname to its fully qualified domain name.
  shareProcessNamespace bool Share one process namespace between all containers of the pod.
  subdomain string Subdomain of the pod's fully qualified hostname: <hostname>.<subdomain>.<namespace>.svc.<cluster-domain>.
  terminationGracePeriodSeconds int64 Seconds the pod is given to stop gracefully before being killed. Defaults to 30.
  tolerations []Toleration Taints the pod tolerates.
  topologySpreadConstraints []TopologySpreadConstraint How the pods of a group should spread across topology domains.
  volumes []Volume Volumes the pod's containers can mount.

Container One application container of a pod.
  args []string Arguments to the entrypoint; the image's CMD is used when empty. $(VAR) references are expanded.
  command []string Entrypoint array, run without a shell; the image's ENTRYPOINT is used when empty.
  env []EnvVar Environment variables set in the container.
  envFrom []EnvFromSource Sources whose keys become environment variables. Explicit env entries take precedence.
  image string Container image name.
  imagePullPolicy string When to pull the image: Always, Never or IfNotPresent. Defaults to Always for :latest, else IfNotPresent.
  lifecycle Lifecycle Actions the system runs in response to container lifecycle events.
  livenessProbe Probe Periodic probe of container liveness; the container is restarted when it fails.
  name! string Name of the container, unique within the pod (DNS label).
  ports []ContainerPort Ports the container exposes. Informational; any port the process listens on is reachable.
  readinessProbe Probe Periodic probe of container readiness; the pod is removed from service endpoints when it fails.
  resizePolicy []ContainerResizePolicy How each resource is resized in place.
  resources ResourceRequirements Compute resources the container needs (requests) and may use (limits).
  restartPolicy string Only for init containers: Always makes it a sidecar that runs alongside the app containers.
  securityContext SecurityContext Security options of the container; overrides the pod-level settings.
  startupProbe Probe Probe that must succeed before the other probes start.
  stdin bool Allocate a buffer for stdin so attach can write to it.
  stdinOnce bool Close stdin after the first attach session ends.
  terminationMessagePath string File the container's termination message is read from. Defaults to /dev/termination-log.
  terminationMessagePolicy string File (default) or FallbackToLogsOnError.
  tty bool Allocate a TTY; requires stdin.
  volumeDevices []VolumeDevice Block devices the container uses.
  volumeMounts []VolumeMount Volumes mounted into the container's filesystem.
  workingDir string Working directory; the image's default when empty.

EphemeralContainer A temporary container added to a running pod, e.g. by kubectl debug. It has no ports, probes or resources.
  ...Container
  targetContainerName string The container whose namespaces (IPC, PID) the ephemeral container joins.

ContainerPort A network port of a container.
  containerPort! int32 Port number on the pod's IP address (1-65535).
  hostIP string Host IP to bind the host port to.
  hostPort int32 Port number exposed on the host.
  name string Named port that services can refer to (IANA_SVC_NAME).
  protocol string UDP, TCP (default) or SCTP.

EnvVar An environment variable.
  name! string Name of the variable.
  value string Value; $(VAR) references to earlier variables are expanded.
  valueFrom EnvVarSource Source of the value, when value is empty.

EnvVarSource Where an environment variable's value comes from.
  configMapKeyRef ConfigMapKeySelector A key of a ConfigMap.
  fieldRef ObjectFieldSelector A field of the pod: metadata.name, metadata.namespace, metadata.labels['<k>'], spec.nodeName, status.podIP, ...
  resourceFieldRef ResourceFieldSelector A resource limit or request of a container.
  secretKeyRef SecretKeySelector A key of a Secret.

ConfigMapKeySelector Selects a key of a ConfigMap.
  key! string The key to select.
  name string Name of the ConfigMap.
  optional bool Whether the ConfigMap or key may be missing.

SecretKeySelector Selects a key of a Secret.
  key! string The key to select.
  name string Name of the Secret.
  optional bool Whether the Secret or key may be missing.

ObjectFieldSelector Selects a field of an object.
  apiVersion string Version of the schema the field path is written in. Defaults to v1.
  fieldPath! string Path of the field to select.

ResourceFieldSelector Selects a container resource (limits.cpu, requests.memory, ...).
  containerName string Container name; required for volumes, optional for env vars.
  divisor quantity Output format of the exposed resource. Defaults to 1.
  resource! string The resource to select.

EnvFromSource A source of environment variables.
  configMapRef ConfigMapEnvSource The ConfigMap to take variables from.
  prefix string Prefix added to every key.
  secretRef SecretEnvSource The Secret to take variables from.

ConfigMapEnvSource A ConfigMap whose keys become environment variables.
  name string Name of the ConfigMap.
  optional bool Whether the ConfigMap may be missing.

SecretEnvSource A Secret whose keys become environment variables.
  name string Name of the Secret.
  optional bool Whether the Secret may be missing.

VolumeMount Mounts a volume into a container.
  mountPath! string Path in the container to mount at; must not contain ':'.
  mountPropagation string How mounts propagate between host and container: None, HostToContainer or Bidirectional.
  name! string Name of the volume (a pod volume).
  readOnly bool Mount read-only. Defaults to false.
  recursiveReadOnly string Whether a read-only mount is recursively read-only: Disabled, IfPossible or Enabled.
  subPath string Path within the volume to mount instead of its root.
  subPathExpr string Like subPath, with $(VAR) references to the container's environment expanded.

VolumeDevice Maps a raw block volume into a container.
  devicePath! string Path inside the container the device is mapped to.
  name! string Name of a persistentVolumeClaim volume of the pod.

ResourceRequirements Compute resource requests and limits.
  claims []ResourceClaim Names of the pod's resourceClaims this container uses.
  limits {}quantity Maximum amount of each resource the container may use.
  requests {}quantity Minimum amount of each resource the container needs; used for scheduling. Defaults to limits when omitted.

ResourceClaim References one entry of the pod's resourceClaims.
  name! string Name of the entry in pod.spec.resourceClaims.
  request string Name of a request inside the claim to use; all requests when empty.

ContainerResizePolicy How a resource of a container is resized.
  resourceName! string The resource: cpu or memory.
  restartPolicy! string NotRequired (default) or RestartContainer.

Probe A health check run against a container.
  exec ExecAction Run a command; exit status 0 is success.
  failureThreshold int32 Consecutive failures after which the probe has failed. Defaults to 3.
  grpc GRPCAction Call the gRPC health checking protocol.
  httpGet HTTPGetAction Send an HTTP GET; 2xx and 3xx responses are success.
  initialDelaySeconds int32 Seconds after the container starts before probes begin.
  periodSeconds int32 How often to probe, in seconds. Defaults to 10.
  successThreshold int32 Consecutive successes after which the probe has succeeded. Defaults to 1; must be 1 for liveness and startup.
  tcpSocket TCPSocketAction Open a TCP connection.
  terminationGracePeriodSeconds int64 Grace period used when the probe fails and the container is killed.
  timeoutSeconds int32 Seconds after which the probe times out. Defaults to 1.

ExecAction Runs a command in the container.
  command []string Command line to run, with no shell; working directory is the container's root.

GRPCAction Calls the gRPC health service.
  port! int32 Port number of the gRPC service.
  service string Service name passed in the HealthCheckRequest.

HTTPGetAction An HTTP GET request.
  host string Host name to connect to; defaults to the pod IP.
  httpHeaders []HTTPHeader Custom request headers.
  path string Path to request.
  port! ios Port number or name to connect to.
  scheme string HTTP (default) or HTTPS.

HTTPHeader An HTTP header.
  name! string Header name.
  value! string Header value.

TCPSocketAction A TCP connection attempt.
  host string Host name to connect to; defaults to the pod IP.
  port! ios Port number or name to connect to.

Lifecycle Actions run on container lifecycle events.
  postStart LifecycleHandler Run right after the container is created; the container is restarted if it fails.
  preStop LifecycleHandler Run before the container is terminated by an API request or management event.

LifecycleHandler One lifecycle action; exactly one of its fields is set.
  exec ExecAction Run a command.
  httpGet HTTPGetAction Send an HTTP GET.
  sleep SleepAction Wait for a while.
  tcpSocket TCPSocketAction Deprecated; kept for compatibility.

SleepAction Pauses for a duration.
  seconds! int64 Seconds to sleep.

SecurityContext Security settings of a container. Where a field is also set in the pod's securityContext, this one wins.
  allowPrivilegeEscalation bool Whether a process can gain more privileges than its parent (no_new_privs).
  appArmorProfile AppArmorProfile AppArmor profile of the container.
  capabilities Capabilities Linux capabilities to add to and drop from the default set.
  privileged bool Run as privileged: equivalent to root on the host.
  procMount string Default (default) or Unmasked /proc mount.
  readOnlyRootFilesystem bool Mount the root filesystem read-only.
  runAsGroup int64 GID to run the entrypoint as.
  runAsNonRoot bool Require the container to run as a non-root user.
  runAsUser int64 UID to run the entrypoint as.
  seLinuxOptions SELinuxOptions SELinux context of the container.
  seccompProfile SeccompProfile Seccomp profile of the container.
  windowsOptions WindowsSecurityContextOptions Windows-specific settings.

Capabilities Linux capabilities.
  add []string Capabilities to add.
  drop []string Capabilities to remove.

SELinuxOptions SELinux labels.
  level string SELinux level label.
  role string SELinux role label.
  type string SELinux type label.
  user string SELinux user label.

SeccompProfile A seccomp profile.
  localhostProfile string Profile file on the node, relative to the kubelet's seccomp directory; only for type Localhost.
  type! string RuntimeDefault, Unconfined or Localhost.

AppArmorProfile An AppArmor profile.
  localhostProfile string Name of a profile loaded on the node; only for type Localhost.
  type! string RuntimeDefault, Unconfined or Localhost.

WindowsSecurityContextOptions Windows-specific security settings.
  gmsaCredentialSpec string Contents of the GMSA credential spec.
  gmsaCredentialSpecName string Name of the GMSA credential spec.
  hostProcess bool Run as a Windows HostProcess container.
  runAsUserName string User name to run the entrypoint as.

PodSecurityContext Pod-level security settings, applied to every container unless overridden.
  appArmorProfile AppArmorProfile AppArmor profile of the pod's containers.
  fsGroup int64 Supplemental group applied to all containers; volumes that support ownership management are made writable by it.
  fsGroupChangePolicy string OnRootMismatch or Always: when volume ownership is changed to fsGroup.
  runAsGroup int64 GID to run the entrypoint of every container as.
  runAsNonRoot bool Require all containers to run as a non-root user.
  runAsUser int64 UID to run the entrypoint of every container as.
  seLinuxChangePolicy string How SELinux labels are applied to volumes: MountOption or Recursive.
  seLinuxOptions SELinuxOptions SELinux context of all containers.
  seccompProfile SeccompProfile Seccomp profile of all containers.
  supplementalGroups []int64 Groups added to the first process of each container.
  supplementalGroupsPolicy string Merge (default) or Strict: how supplemental groups are computed.
  sysctls []Sysctl Namespaced sysctls set for the pod.
  windowsOptions WindowsSecurityContextOptions Windows-specific settings.

Sysctl A kernel parameter.
  name! string Name of the parameter.
  value! string Value to set.

PodDNSConfig Extra DNS settings of a pod.
  nameservers []string DNS server IP addresses.
  options []PodDNSConfigOption Resolver options.
  searches []string DNS search domains.

PodDNSConfigOption A resolver option.
  name string Option name.
  value string Option value.

HostAlias An /etc/hosts entry.
  hostnames []string Host names for the IP address.
  ip! string IP address of the entry.

PodOS The operating system of a pod.
  name! string linux or windows.

PodReadinessGate An extra readiness condition.
  conditionType! string Type of a pod condition that must be True for the pod to be ready.

PodResourceClaim A dynamic resource claim used by the pod.
  name! string Name of the claim inside the pod.
  resourceClaimName string Name of an existing ResourceClaim in the pod's namespace.
  resourceClaimTemplateName string Name of a ResourceClaimTemplate used to create a claim for the pod.

PodSchedulingGate A gate that keeps a pod from being scheduled.
  name! string Name of the gate.

PodStatus +open Observed state of a pod.
  conditions []PodCondition Current service state of the pod.
  containerStatuses []ContainerStatus Status of each app container.
  ephemeralContainerStatuses []ContainerStatus Status of each ephemeral container.
  hostIP string IP address of the host the pod runs on.
  hostIPs []HostIP IP addresses of the host.
  initContainerStatuses []ContainerStatus Status of each init container.
  message string Human-readable detail about the pod's condition.
  nominatedNodeName string Node the scheduler nominated while preempting other pods.
  phase string Pending, Running, Succeeded, Failed or Unknown.
  podIP string IP address of the pod.
  podIPs []PodIP IP addresses of the pod, one per address family.
  qosClass string Guaranteed, Burstable or BestEffort.
  reason string Short reason for the pod's state, e.g. Evicted.
  resize string Status of a pending in-place resize.
  resourceClaimStatuses []object Names of the ResourceClaims generated for the pod.
  startTime time When the kubelet acknowledged the pod.

PodCondition A condition of a pod.
  lastProbeTime time Last time the condition was probed.
  lastTransitionTime time Last time the condition changed status.
  message string Human-readable detail.
  reason string Machine-readable reason.
  status! string True, False or Unknown.
  type! string PodScheduled, Initialized, ContainersReady, Ready, ...

PodIP An IP address of a pod.
  ip! string The address.

HostIP An IP address of a host.
  ip! string The address.

ContainerStatus +open Observed state of a container.
  allocatedResources {}quantity Resources allocated to the container by the node.
  allocatedResourcesStatus []object Health of allocated resources.
  containerID string Runtime ID of the container, as <type>://<id>.
  image! string Image the container runs.
  imageID! string Resolved image ID.
  lastState ContainerState State of the previous run of the container.
  name! string Name of the container.
  ready! bool Whether the container passes its readiness probe.
  resources ResourceRequirements Resources applied to the running container.
  restartCount! int32 Times the container has been restarted.
  started bool Whether the container passed its startup probe.
  state ContainerState Current state.
  user object Identity of the container's process.
  volumeMounts []object Mount status of each volume.

ContainerState The state of a container; exactly one member is set.
  running ContainerStateRunning The container is running.
  terminated ContainerStateTerminated The container has stopped.
  waiting ContainerStateWaiting The container has not started yet.

ContainerStateRunning A running container.
  startedAt time When the container last (re)started.

ContainerStateTerminated A terminated container.
  containerID string Runtime ID of the container.
  exitCode! int32 Exit status of the last run.
  finishedAt time When the container last stopped.
  message string Message about the termination.
  reason string Short reason, e.g. Completed, Error, OOMKilled.
  signal int32 Signal that killed the container.
  startedAt time When the run started.

ContainerStateWaiting A waiting container.
  message string Why the container is not running yet.
  reason string Short reason, e.g. ContainerCreating, CrashLoopBackOff, ImagePullBackOff.
)DSL";
}

}  // namespace kc::openapi::internal
