// Schema tables for k8s.io/api/core/v1 containers: Container and everything it holds (ports,
// env, resources, mounts, probes, lifecycle hooks, security contexts).
#include "pkg/protobuf/schemas.h"

namespace kc::protobuf::core {
namespace {
const MessageSchema& ContainerPort();
const MessageSchema& ContainerResizePolicy();
const MessageSchema& ContainerRestartRule();
const MessageSchema& ContainerRestartRuleOnExitCodes();
const MessageSchema& EnvVar();
const MessageSchema& EnvVarSource();
const MessageSchema& ConfigMapKeySelector();
const MessageSchema& SecretKeySelector();
const MessageSchema& FileKeySelector();
const MessageSchema& EnvFromSource();
const MessageSchema& ConfigMapEnvSource();
const MessageSchema& SecretEnvSource();
const MessageSchema& ResourceClaim();
const MessageSchema& VolumeMount();
const MessageSchema& VolumeDevice();
const MessageSchema& Probe();
const MessageSchema& ProbeHandler();
const MessageSchema& ExecAction();
const MessageSchema& HTTPGetAction();
const MessageSchema& HTTPHeader();
const MessageSchema& TCPSocketAction();
const MessageSchema& GRPCAction();
const MessageSchema& Lifecycle();
const MessageSchema& LifecycleHandler();
const MessageSchema& SleepAction();
const MessageSchema& SecurityContext();
const MessageSchema& Capabilities();
const MessageSchema& SELinuxOptions();
const MessageSchema& WindowsSecurityContextOptions();
const MessageSchema& SeccompProfile();
const MessageSchema& AppArmorProfile();
const MessageSchema& Sysctl();

KC_PB_MESSAGE(ContainerPort,
              String(1, "name"), Int32(2, "hostPort"), Int32Keep(3, "containerPort"),
              String(4, "protocol"), String(5, "hostIP"))

KC_PB_MESSAGE(ContainerResizePolicy,
              StringKeep(1, "resourceName"), StringKeep(2, "restartPolicy"))

KC_PB_MESSAGE(ContainerRestartRule,
              StringKeep(1, "action"),
              Message(2, "exitCodes", ContainerRestartRuleOnExitCodes))

KC_PB_MESSAGE(ContainerRestartRuleOnExitCodes, StringKeep(1, "operator"), Int32List(2, "values"))

KC_PB_MESSAGE(EnvVar,
              StringKeep(1, "name"), String(2, "value"), Message(3, "valueFrom", EnvVarSource))

KC_PB_MESSAGE(EnvVarSource,
              Message(1, "fieldRef", ObjectFieldSelector),
              Message(2, "resourceFieldRef", ResourceFieldSelector),
              Message(3, "configMapKeyRef", ConfigMapKeySelector),
              Message(4, "secretKeyRef", SecretKeySelector),
              Message(5, "fileKeyRef", FileKeySelector))

KC_PB_MESSAGE(ConfigMapKeySelector,
              Inline(1, LocalObjectReference), StringKeep(2, "key"), BoolKeep(3, "optional"))

KC_PB_MESSAGE(SecretKeySelector,
              Inline(1, LocalObjectReference), StringKeep(2, "key"), BoolKeep(3, "optional"))

KC_PB_MESSAGE(FileKeySelector,
              StringKeep(1, "volumeName"), StringKeep(2, "path"), StringKeep(3, "key"),
              BoolKeep(4, "optional"))

KC_PB_MESSAGE(EnvFromSource,
              String(1, "prefix"), Message(2, "configMapRef", ConfigMapEnvSource),
              Message(3, "secretRef", SecretEnvSource))

KC_PB_MESSAGE(ConfigMapEnvSource, Inline(1, LocalObjectReference), BoolKeep(2, "optional"))

KC_PB_MESSAGE(SecretEnvSource, Inline(1, LocalObjectReference), BoolKeep(2, "optional"))

KC_PB_MESSAGE(ResourceClaim, StringKeep(1, "name"), String(2, "request"))

KC_PB_MESSAGE(VolumeMount,
              StringKeep(1, "name"), Bool(2, "readOnly"), StringKeep(7, "recursiveReadOnly"),
              StringKeep(3, "mountPath"), String(4, "subPath"),
              StringKeep(5, "mountPropagation"), String(6, "subPathExpr"))

KC_PB_MESSAGE(VolumeDevice, StringKeep(1, "name"), StringKeep(2, "devicePath"))

KC_PB_MESSAGE(Probe,
              Inline(1, ProbeHandler), Int32(2, "initialDelaySeconds"),
              Int32(3, "timeoutSeconds"), Int32(4, "periodSeconds"),
              Int32(5, "successThreshold"), Int32(6, "failureThreshold"),
              Int64Keep(7, "terminationGracePeriodSeconds"))

KC_PB_MESSAGE(ProbeHandler,
              Message(1, "exec", ExecAction), Message(2, "httpGet", HTTPGetAction),
              Message(3, "tcpSocket", TCPSocketAction), Message(4, "grpc", GRPCAction))

KC_PB_MESSAGE(ExecAction, StringList(1, "command"))

KC_PB_MESSAGE(HTTPGetAction,
              String(1, "path"), IntOrString(2, "port"), String(3, "host"),
              String(4, "scheme"), MessageList(5, "httpHeaders", HTTPHeader))

KC_PB_MESSAGE(HTTPHeader, StringKeep(1, "name"), StringKeep(2, "value"))

KC_PB_MESSAGE(TCPSocketAction, IntOrString(1, "port"), String(2, "host"))

KC_PB_MESSAGE(GRPCAction, Int32Keep(1, "port"), StringKeep(2, "service"))

KC_PB_MESSAGE(Lifecycle,
              Message(1, "postStart", LifecycleHandler), Message(2, "preStop", LifecycleHandler),
              StringKeep(3, "stopSignal"))

KC_PB_MESSAGE(LifecycleHandler,
              Message(1, "exec", ExecAction), Message(2, "httpGet", HTTPGetAction),
              Message(3, "tcpSocket", TCPSocketAction), Message(4, "sleep", SleepAction))

KC_PB_MESSAGE(SleepAction, Int64Keep(1, "seconds"))

KC_PB_MESSAGE(SecurityContext,
              Message(1, "capabilities", Capabilities), BoolKeep(2, "privileged"),
              Message(3, "seLinuxOptions", SELinuxOptions),
              Message(10, "windowsOptions", WindowsSecurityContextOptions),
              Int64Keep(4, "runAsUser"), Int64Keep(8, "runAsGroup"),
              BoolKeep(5, "runAsNonRoot"), BoolKeep(6, "readOnlyRootFilesystem"),
              BoolKeep(7, "allowPrivilegeEscalation"), StringKeep(9, "procMount"),
              Message(11, "seccompProfile", SeccompProfile),
              Message(12, "appArmorProfile", AppArmorProfile))

KC_PB_MESSAGE(Capabilities, StringList(1, "add"), StringList(2, "drop"))

KC_PB_MESSAGE(SELinuxOptions,
              String(1, "user"), String(2, "role"), String(3, "type"), String(4, "level"))

KC_PB_MESSAGE(WindowsSecurityContextOptions,
              StringKeep(1, "gmsaCredentialSpecName"), StringKeep(2, "gmsaCredentialSpec"),
              StringKeep(3, "runAsUserName"), BoolKeep(4, "hostProcess"))

KC_PB_MESSAGE(SeccompProfile, StringKeep(1, "type"), StringKeep(2, "localhostProfile"))

KC_PB_MESSAGE(AppArmorProfile, StringKeep(1, "type"), StringKeep(2, "localhostProfile"))

KC_PB_MESSAGE(Sysctl, StringKeep(1, "name"), StringKeep(2, "value"))
}  // namespace

KC_PB_MESSAGE(Container,
              StringKeep(1, "name"), String(2, "image"), StringList(3, "command"),
              StringList(4, "args"), String(5, "workingDir"),
              MessageList(6, "ports", ContainerPort), MessageList(19, "envFrom", EnvFromSource),
              MessageList(7, "env", EnvVar), Message(8, "resources", ResourceRequirements),
              MessageList(23, "resizePolicy", ContainerResizePolicy),
              StringKeep(24, "restartPolicy"),
              MessageList(25, "restartPolicyRules", ContainerRestartRule),
              MessageList(9, "volumeMounts", VolumeMount),
              MessageList(21, "volumeDevices", VolumeDevice),
              Message(10, "livenessProbe", Probe), Message(11, "readinessProbe", Probe),
              Message(22, "startupProbe", Probe), Message(12, "lifecycle", Lifecycle),
              String(13, "terminationMessagePath"), String(20, "terminationMessagePolicy"),
              String(14, "imagePullPolicy"), Message(15, "securityContext", SecurityContext),
              Bool(16, "stdin"), Bool(17, "stdinOnce"), Bool(18, "tty"))

// EphemeralContainerCommon has the same field numbers as Container and is inlined.
KC_PB_MESSAGE(EphemeralContainer, Inline(1, Container), String(2, "targetContainerName"))

KC_PB_MESSAGE(ResourceRequirements,
              QuantityMap(1, "limits"), QuantityMap(2, "requests"),
              MessageList(3, "claims", ResourceClaim))

KC_PB_MESSAGE(PodSecurityContext,
              Message(1, "seLinuxOptions", SELinuxOptions),
              Message(8, "windowsOptions", WindowsSecurityContextOptions),
              Int64Keep(2, "runAsUser"), Int64Keep(6, "runAsGroup"),
              BoolKeep(3, "runAsNonRoot"), Int64List(4, "supplementalGroups"),
              StringKeep(12, "supplementalGroupsPolicy"), Int64Keep(5, "fsGroup"),
              MessageList(7, "sysctls", Sysctl), StringKeep(9, "fsGroupChangePolicy"),
              Message(10, "seccompProfile", SeccompProfile),
              Message(11, "appArmorProfile", AppArmorProfile),
              StringKeep(13, "seLinuxChangePolicy"))

KC_PB_MESSAGE(ObjectFieldSelector, String(1, "apiVersion"), StringKeep(2, "fieldPath"))

KC_PB_MESSAGE(ResourceFieldSelector,
              String(1, "containerName"), StringKeep(2, "resource"), Quantity(3, "divisor"))

}  // namespace kc::protobuf::core
