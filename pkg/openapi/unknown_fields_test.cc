#include <doctest/doctest.h>

#include <boost/json/parse.hpp>

#include "pkg/openapi/openapi.h"

namespace kc::openapi {
namespace {

std::vector<std::string> Unknown(std::string_view group, std::string_view version,
                                 std::string_view kind, std::string_view json) {
  const api::ResourceInfo* ri = api::FindKind(group, version, kind);
  REQUIRE(ri);
  return UnknownFields(*ri, boost::json::parse(json));
}

using Paths = std::vector<std::string>;

// A Deployment as `kubectl get -o json` returns it from a real 1.32 cluster.
constexpr const char* kDeployment = R"({
  "apiVersion": "apps/v1", "kind": "Deployment",
  "metadata": {
    "name": "web", "namespace": "default", "uid": "7b3c1a52-0f0e-4c3e-9d8f-2f5a8a9b0c1d",
    "resourceVersion": "1234", "generation": 3, "creationTimestamp": "2024-05-01T10:00:00Z",
    "labels": {"app": "web"},
    "annotations": {"deployment.kubernetes.io/revision": "2",
      "kubectl.kubernetes.io/last-applied-configuration": "{\"apiVersion\":\"apps/v1\"}\n"},
    "ownerReferences": [{"apiVersion": "example.com/v1", "kind": "App", "name": "web", "uid": "1",
      "controller": true, "blockOwnerDeletion": true}],
    "finalizers": ["example.com/cleanup"],
    "managedFields": [{"manager": "kubectl-client-side-apply", "operation": "Update",
      "apiVersion": "apps/v1", "time": "2024-05-01T10:00:00Z", "fieldsType": "FieldsV1",
      "fieldsV1": {"f:metadata": {"f:annotations": {".": {}, "f:kubectl.kubernetes.io/last-applied-configuration": {}}},
        "f:spec": {"f:template": {"f:spec": {"f:containers": {"k:{\"name\":\"nginx\"}": {".": {}, "f:image": {}}}}}}}},
      {"manager": "kube-controller-manager", "operation": "Update", "apiVersion": "apps/v1",
       "time": "2024-05-01T10:01:00Z", "fieldsType": "FieldsV1", "fieldsV1": {"f:status": {}}, "subresource": "status"}]
  },
  "spec": {
    "replicas": 3, "revisionHistoryLimit": 10, "progressDeadlineSeconds": 600, "minReadySeconds": 5,
    "paused": false,
    "selector": {"matchLabels": {"app": "web"}, "matchExpressions": [{"key": "tier", "operator": "In", "values": ["fe"]}]},
    "strategy": {"type": "RollingUpdate", "rollingUpdate": {"maxSurge": "25%", "maxUnavailable": 1}},
    "template": {
      "metadata": {"labels": {"app": "web", "tier": "fe"}, "annotations": {"prometheus.io/scrape": "true"},
        "creationTimestamp": null},
      "spec": {
        "serviceAccountName": "web", "automountServiceAccountToken": false,
        "terminationGracePeriodSeconds": 30, "dnsPolicy": "ClusterFirst", "restartPolicy": "Always",
        "schedulerName": "default-scheduler", "enableServiceLinks": true, "priorityClassName": "high",
        "hostname": "web", "subdomain": "web", "shareProcessNamespace": false, "hostNetwork": false,
        "nodeSelector": {"kubernetes.io/os": "linux"},
        "imagePullSecrets": [{"name": "regcred"}],
        "securityContext": {"runAsNonRoot": true, "runAsUser": 1000, "runAsGroup": 3000, "fsGroup": 2000,
          "fsGroupChangePolicy": "OnRootMismatch", "supplementalGroups": [4000],
          "seccompProfile": {"type": "RuntimeDefault"}, "sysctls": [{"name": "net.core.somaxconn", "value": "1024"}]},
        "affinity": {
          "nodeAffinity": {"requiredDuringSchedulingIgnoredDuringExecution": {"nodeSelectorTerms": [
              {"matchExpressions": [{"key": "disk", "operator": "In", "values": ["ssd"]}]}]},
            "preferredDuringSchedulingIgnoredDuringExecution": [{"weight": 1, "preference": {
              "matchExpressions": [{"key": "zone", "operator": "In", "values": ["a"]}]}}]},
          "podAntiAffinity": {"preferredDuringSchedulingIgnoredDuringExecution": [{"weight": 100,
            "podAffinityTerm": {"labelSelector": {"matchLabels": {"app": "web"}}, "topologyKey": "kubernetes.io/hostname",
              "matchLabelKeys": ["pod-template-hash"]}}]},
          "podAffinity": {"requiredDuringSchedulingIgnoredDuringExecution": [{"labelSelector":
            {"matchExpressions": [{"key": "app", "operator": "Exists"}]}, "topologyKey": "zone", "namespaces": ["default"]}]}},
        "tolerations": [{"key": "node-role.kubernetes.io/control-plane", "operator": "Exists", "effect": "NoSchedule"},
          {"key": "node.kubernetes.io/not-ready", "operator": "Exists", "effect": "NoExecute", "tolerationSeconds": 300}],
        "topologySpreadConstraints": [{"maxSkew": 1, "topologyKey": "zone", "whenUnsatisfiable": "ScheduleAnyway",
          "labelSelector": {"matchLabels": {"app": "web"}}, "minDomains": 1, "nodeAffinityPolicy": "Honor"}],
        "hostAliases": [{"ip": "10.0.0.1", "hostnames": ["db.local"]}],
        "dnsConfig": {"nameservers": ["1.1.1.1"], "searches": ["svc.local"], "options": [{"name": "ndots", "value": "2"}]},
        "readinessGates": [{"conditionType": "example.com/ready"}],
        "initContainers": [{"name": "init", "image": "busybox:1.36", "command": ["sh", "-c", "true"],
          "resources": {}, "terminationMessagePath": "/dev/termination-log", "terminationMessagePolicy": "File",
          "imagePullPolicy": "IfNotPresent"},
          {"name": "log-shipper", "image": "fluent-bit", "restartPolicy": "Always"}],
        "containers": [{
          "name": "nginx", "image": "nginx:1.25", "imagePullPolicy": "IfNotPresent",
          "command": ["nginx"], "args": ["-g", "daemon off;"], "workingDir": "/",
          "ports": [{"name": "http", "containerPort": 80, "protocol": "TCP"}, {"containerPort": 9113, "hostPort": 9113, "hostIP": "0.0.0.0"}],
          "env": [{"name": "A", "value": "1"},
            {"name": "POD", "valueFrom": {"fieldRef": {"apiVersion": "v1", "fieldPath": "metadata.name"}}},
            {"name": "CPU", "valueFrom": {"resourceFieldRef": {"containerName": "nginx", "resource": "limits.cpu", "divisor": "1m"}}},
            {"name": "CFG", "valueFrom": {"configMapKeyRef": {"name": "cfg", "key": "k", "optional": true}}},
            {"name": "PW", "valueFrom": {"secretKeyRef": {"name": "s", "key": "pw"}}}],
          "envFrom": [{"configMapRef": {"name": "cfg"}, "prefix": "CFG_"}, {"secretRef": {"name": "s", "optional": false}}],
          "resources": {"requests": {"cpu": "100m", "memory": "128Mi"}, "limits": {"cpu": 1, "memory": "256Mi"}},
          "resizePolicy": [{"resourceName": "cpu", "restartPolicy": "NotRequired"}],
          "livenessProbe": {"httpGet": {"path": "/healthz", "port": "http", "scheme": "HTTP",
              "httpHeaders": [{"name": "X", "value": "y"}]},
            "initialDelaySeconds": 3, "periodSeconds": 10, "timeoutSeconds": 1, "successThreshold": 1, "failureThreshold": 3},
          "readinessProbe": {"tcpSocket": {"port": 80}, "periodSeconds": 5},
          "startupProbe": {"exec": {"command": ["cat", "/tmp/ok"]}, "failureThreshold": 30},
          "lifecycle": {"preStop": {"sleep": {"seconds": 5}}, "postStart": {"exec": {"command": ["true"]}}},
          "securityContext": {"allowPrivilegeEscalation": false, "readOnlyRootFilesystem": true,
            "capabilities": {"drop": ["ALL"], "add": ["NET_BIND_SERVICE"]}, "privileged": false,
            "runAsNonRoot": true, "seLinuxOptions": {"level": "s0:c123,c456"}},
          "volumeMounts": [{"name": "data", "mountPath": "/data"}, {"name": "cfg", "mountPath": "/etc/cfg", "readOnly": true,
            "subPath": "x"}, {"name": "tok", "mountPath": "/var/run/tok", "recursiveReadOnly": "IfPossible", "readOnly": true}],
          "terminationMessagePath": "/dev/termination-log", "terminationMessagePolicy": "File",
          "stdin": false, "tty": false}],
        "volumes": [
          {"name": "data", "persistentVolumeClaim": {"claimName": "data"}},
          {"name": "cfg", "configMap": {"name": "cfg", "defaultMode": 420, "items": [{"key": "a", "path": "a.conf"}]}},
          {"name": "sec", "secret": {"secretName": "s", "defaultMode": 256}},
          {"name": "tmp", "emptyDir": {"medium": "Memory", "sizeLimit": "64Mi"}},
          {"name": "host", "hostPath": {"path": "/var/log", "type": "Directory"}},
          {"name": "info", "downwardAPI": {"items": [{"path": "labels", "fieldRef": {"fieldPath": "metadata.labels"}}]}},
          {"name": "nfs", "nfs": {"server": "nfs.local", "path": "/export", "readOnly": true}},
          {"name": "tok", "projected": {"defaultMode": 420, "sources": [
            {"serviceAccountToken": {"expirationSeconds": 3607, "path": "token"}},
            {"configMap": {"name": "kube-root-ca.crt", "items": [{"key": "ca.crt", "path": "ca.crt"}]}},
            {"downwardAPI": {"items": [{"path": "namespace", "fieldRef": {"apiVersion": "v1", "fieldPath": "metadata.namespace"}}]}}]}},
          {"name": "eph", "ephemeral": {"volumeClaimTemplate": {"metadata": {"labels": {"a": "b"}},
            "spec": {"accessModes": ["ReadWriteOnce"], "resources": {"requests": {"storage": "1Gi"}}}}}},
          {"name": "ebs", "awsElasticBlockStore": {"volumeID": "vol-1", "fsType": "ext4"}},
          {"name": "csi", "csi": {"driver": "secrets-store.csi.k8s.io", "readOnly": true,
            "volumeAttributes": {"secretProviderClass": "x"}}}]
      }
    }
  },
  "status": {"observedGeneration": 3, "replicas": 3, "updatedReplicas": 3, "readyReplicas": 3,
    "availableReplicas": 3, "conditions": [{"type": "Available", "status": "True", "lastUpdateTime": "2024-05-01T10:01:00Z",
      "lastTransitionTime": "2024-05-01T10:01:00Z", "reason": "MinimumReplicasAvailable", "message": "ok"}],
    "someFutureField": 1}
})";

}  // namespace

TEST_CASE("unknown fields are reported with upstream's paths") {
  CHECK(Unknown("apps", "v1", "Deployment",
                R"({"apiVersion":"apps/v1","kind":"Deployment","metadata":{"name":"x"},
                    "spec":{"foo":1,"replicas":1,"selector":{"matchLabels":{"a":"b"}},
                      "template":{"metadata":{"labels":{"a":"b"}},"spec":{"containers":[
                        {"name":"c","image":"nginx"},{"name":"d","imagee":"nginx","ports":[{"containerPort":80,"prot":"TCP"}]}]}}}})") ==
        Paths{"spec.foo", "spec.template.spec.containers[1].imagee",
              "spec.template.spec.containers[1].ports[0].prot"});
  CHECK(Unknown("apps", "v1", "Deployment",
                R"({"spec":{"template":{"spec":{"containers":[{"name":"c","imagee":"x"}]}}}})") ==
        Paths{"spec.template.spec.containers[0].imagee"});
  CHECK(Unknown("", "v1", "Pod", R"({"metadata":{"name":"p","lables":{"a":"b"}},"foo":{"bar":1}})") ==
        Paths{"metadata.lables", "foo"});
  CHECK(Unknown("", "v1", "Pod",
                R"({"spec":{"volumes":[{"name":"v","emptyDir":{"medum":"Memory"}}],
                    "containers":[{"name":"c","resources":{"limits":{"cpu":"1"}},"env":[{"name":"a","valueFrom":{"fieldRef":{"path":"x"}}}]}]}})") ==
        Paths{"spec.volumes[0].emptyDir.medum", "spec.containers[0].env[0].valueFrom.fieldRef.path"});
  CHECK(Unknown("", "v1", "ConfigMap", R"({"data":{"a":"b"},"date":{"x":"y"}})") == Paths{"date"});
}

TEST_CASE("realistic manifests have no unknown fields") {
  SUBCASE("deployment") { CHECK(Unknown("apps", "v1", "Deployment", kDeployment).empty()); }
  SUBCASE("pod with status") {
    CHECK(Unknown("", "v1", "Pod", R"({
      "apiVersion":"v1","kind":"Pod",
      "metadata":{"name":"web-5d8f-abcde","generateName":"web-5d8f-","namespace":"default","uid":"u",
        "resourceVersion":"99","creationTimestamp":"2024-05-01T10:00:00Z","deletionTimestamp":"2024-05-01T11:00:00Z",
        "deletionGracePeriodSeconds":30,"labels":{"app":"web","pod-template-hash":"5d8f"},
        "ownerReferences":[{"apiVersion":"apps/v1","kind":"ReplicaSet","name":"web-5d8f","uid":"r","controller":true,"blockOwnerDeletion":true}]},
      "spec":{"nodeName":"node-1","containers":[{"name":"nginx","image":"nginx","resources":{},
          "volumeMounts":[{"name":"kube-api-access-x","readOnly":true,"mountPath":"/var/run/secrets/kubernetes.io/serviceaccount"}]}],
        "ephemeralContainers":[{"name":"debug","image":"busybox","targetContainerName":"nginx","stdin":true,"tty":true}],
        "preemptionPolicy":"PreemptLowerPriority","priority":0,"os":{"name":"linux"},"overhead":{"cpu":"10m"},
        "schedulingGates":[],"hostUsers":true,"setHostnameAsFQDN":false,"runtimeClassName":"runc",
        "serviceAccount":"default","activeDeadlineSeconds":600,
        "resourceClaims":[{"name":"gpu","resourceClaimTemplateName":"gpu-tmpl"}]},
      "status":{"phase":"Running","conditions":[{"type":"Ready","status":"True","lastProbeTime":null,"lastTransitionTime":"2024-05-01T10:00:05Z"}],
        "hostIP":"192.168.1.10","hostIPs":[{"ip":"192.168.1.10"}],"podIP":"10.42.0.5","podIPs":[{"ip":"10.42.0.5"}],
        "startTime":"2024-05-01T10:00:00Z","qosClass":"BestEffort",
        "containerStatuses":[{"name":"nginx","state":{"running":{"startedAt":"2024-05-01T10:00:04Z"}},"lastState":{},
          "ready":true,"restartCount":0,"image":"docker.io/library/nginx:latest","imageID":"docker.io/library/nginx@sha256:x",
          "containerID":"containerd://abc","started":true,
          "volumeMounts":[{"name":"kube-api-access-x","mountPath":"/var/run/secrets/kubernetes.io/serviceaccount","readOnly":true,"recursiveReadOnly":"Disabled"}]}]}})")
              .empty());
  }
  SUBCASE("service") {
    CHECK(Unknown("", "v1", "Service", R"({"apiVersion":"v1","kind":"Service",
      "metadata":{"name":"web","namespace":"default","annotations":{"a":"b"}},
      "spec":{"type":"LoadBalancer","selector":{"app":"web"},"clusterIP":"10.43.0.10","clusterIPs":["10.43.0.10"],
        "ipFamilies":["IPv4"],"ipFamilyPolicy":"SingleStack","internalTrafficPolicy":"Cluster","externalTrafficPolicy":"Local",
        "healthCheckNodePort":31000,"allocateLoadBalancerNodePorts":true,"sessionAffinity":"ClientIP",
        "sessionAffinityConfig":{"clientIP":{"timeoutSeconds":10800}},"loadBalancerSourceRanges":["0.0.0.0/0"],
        "ports":[{"name":"http","protocol":"TCP","port":80,"targetPort":"http","nodePort":30080,"appProtocol":"http"}]},
      "status":{"loadBalancer":{"ingress":[{"ip":"1.2.3.4","ipMode":"VIP","ports":[{"port":80,"protocol":"TCP"}]}]}}})")
              .empty());
  }
  SUBCASE("job and cronjob") {
    CHECK(Unknown("batch", "v1", "Job", R"({"apiVersion":"batch/v1","kind":"Job","metadata":{"name":"pi"},
      "spec":{"completions":5,"parallelism":2,"backoffLimit":4,"activeDeadlineSeconds":100,"ttlSecondsAfterFinished":60,
        "completionMode":"Indexed","suspend":false,"manualSelector":false,"podReplacementPolicy":"Failed",
        "backoffLimitPerIndex":1,"maxFailedIndexes":2,
        "selector":{"matchLabels":{"batch.kubernetes.io/controller-uid":"u"}},
        "podFailurePolicy":{"rules":[{"action":"FailJob","onExitCodes":{"containerName":"pi","operator":"In","values":[42]}},
          {"action":"Ignore","onPodConditions":[{"type":"DisruptionTarget"}]}]},
        "successPolicy":{"rules":[{"succeededIndexes":"0-2","succeededCount":1}]},
        "template":{"metadata":{"labels":{"job-name":"pi"}},"spec":{"restartPolicy":"Never",
          "containers":[{"name":"pi","image":"perl:5.34","command":["perl","-Mbignum=bpi","-wle","print bpi(2000);"]}]}}},
      "status":{"startTime":"2024-05-01T10:00:00Z","active":1,"ready":1,"uncountedTerminatedPods":{},"terminating":0}})")
              .empty());
    CHECK(Unknown("batch", "v1", "CronJob", R"({"apiVersion":"batch/v1","kind":"CronJob","metadata":{"name":"c"},
      "spec":{"schedule":"*/1 * * * *","timeZone":"Etc/UTC","concurrencyPolicy":"Forbid","startingDeadlineSeconds":30,
        "successfulJobsHistoryLimit":3,"failedJobsHistoryLimit":1,"suspend":false,
        "jobTemplate":{"metadata":{"labels":{"a":"b"}},"spec":{"template":{"spec":{"restartPolicy":"OnFailure",
          "containers":[{"name":"hello","image":"busybox"}]}}}}},
      "status":{"lastScheduleTime":"2024-05-01T10:00:00Z","active":[{"kind":"Job","name":"c-1","namespace":"default"}]}})")
              .empty());
  }
  SUBCASE("configmap, secret, namespace, serviceaccount") {
    CHECK(Unknown("", "v1", "ConfigMap", R"({"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"cfg"},
      "data":{"app.properties":"a=b\n"},"binaryData":{"bin":"AAE="},"immutable":false})").empty());
    CHECK(Unknown("", "v1", "Secret", R"({"apiVersion":"v1","kind":"Secret","metadata":{"name":"s"},
      "type":"kubernetes.io/tls","data":{"tls.crt":"eA==","tls.key":"eQ=="},"stringData":{"extra":"z"},"immutable":true})")
              .empty());
    CHECK(Unknown("", "v1", "Namespace", R"({"apiVersion":"v1","kind":"Namespace",
      "metadata":{"name":"team-a","labels":{"kubernetes.io/metadata.name":"team-a"}},
      "spec":{"finalizers":["kubernetes"]},"status":{"phase":"Active"}})").empty());
    CHECK(Unknown("", "v1", "ServiceAccount", R"({"apiVersion":"v1","kind":"ServiceAccount","metadata":{"name":"sa"},
      "automountServiceAccountToken":false,"imagePullSecrets":[{"name":"r"}],"secrets":[{"name":"t"}]})").empty());
  }
  SUBCASE("statefulset, daemonset, ingress, pdb, hpa, rbac") {
    CHECK(Unknown("apps", "v1", "StatefulSet", R"({"metadata":{"name":"db"},"spec":{"serviceName":"db","replicas":3,
      "podManagementPolicy":"Parallel","ordinals":{"start":1},
      "persistentVolumeClaimRetentionPolicy":{"whenDeleted":"Delete","whenScaled":"Retain"},
      "updateStrategy":{"type":"RollingUpdate","rollingUpdate":{"partition":0,"maxUnavailable":1}},
      "selector":{"matchLabels":{"app":"db"}},
      "template":{"metadata":{"labels":{"app":"db"}},"spec":{"containers":[{"name":"db","image":"postgres",
        "volumeMounts":[{"name":"data","mountPath":"/var/lib/postgresql"}]}]}},
      "volumeClaimTemplates":[{"apiVersion":"v1","kind":"PersistentVolumeClaim","metadata":{"name":"data"},
        "spec":{"accessModes":["ReadWriteOnce"],"storageClassName":"local-path","resources":{"requests":{"storage":"1Gi"}}},
        "status":{"phase":"Pending"}}]}})").empty());
    CHECK(Unknown("apps", "v1", "DaemonSet", R"({"metadata":{"name":"ds"},"spec":{"selector":{"matchLabels":{"a":"b"}},
      "updateStrategy":{"type":"RollingUpdate","rollingUpdate":{"maxUnavailable":1,"maxSurge":0}},"revisionHistoryLimit":10,
      "template":{"metadata":{"labels":{"a":"b"}},"spec":{"hostNetwork":true,"hostPID":true,
        "containers":[{"name":"c","image":"x","securityContext":{"privileged":true}}]}}}})").empty());
    CHECK(Unknown("networking.k8s.io", "v1", "Ingress", R"({"metadata":{"name":"i"},"spec":{"ingressClassName":"traefik",
      "defaultBackend":{"service":{"name":"d","port":{"number":80}}},
      "tls":[{"hosts":["a.example.com"],"secretName":"tls"}],
      "rules":[{"host":"a.example.com","http":{"paths":[{"path":"/","pathType":"Prefix",
        "backend":{"service":{"name":"web","port":{"name":"http"}}}}]}}]}})").empty());
    CHECK(Unknown("policy", "v1", "PodDisruptionBudget", R"({"metadata":{"name":"p"},"spec":{"minAvailable":"50%",
      "selector":{"matchLabels":{"a":"b"}},"unhealthyPodEvictionPolicy":"AlwaysAllow"}})").empty());
    CHECK(Unknown("autoscaling", "v2", "HorizontalPodAutoscaler", R"({"metadata":{"name":"h"},"spec":{
      "scaleTargetRef":{"apiVersion":"apps/v1","kind":"Deployment","name":"web"},"minReplicas":1,"maxReplicas":10,
      "metrics":[{"type":"Resource","resource":{"name":"cpu","target":{"type":"Utilization","averageUtilization":50}}}],
      "behavior":{"scaleDown":{"stabilizationWindowSeconds":300,"selectPolicy":"Max",
        "policies":[{"type":"Pods","value":4,"periodSeconds":60}]}}}})").empty());
    CHECK(Unknown("autoscaling", "v1", "HorizontalPodAutoscaler", R"({"metadata":{"name":"h"},"spec":{
      "scaleTargetRef":{"kind":"Deployment","name":"web"},"maxReplicas":3,"targetCPUUtilizationPercentage":80}})").empty());
    CHECK(Unknown("rbac.authorization.k8s.io", "v1", "ClusterRole", R"({"metadata":{"name":"r"},
      "aggregationRule":{"clusterRoleSelectors":[{"matchLabels":{"x":"true"}}]},
      "rules":[{"apiGroups":[""],"resources":["pods","pods/log"],"verbs":["get","list"],"resourceNames":["a"]},
        {"nonResourceURLs":["/healthz"],"verbs":["get"]}]})").empty());
    CHECK(Unknown("rbac.authorization.k8s.io", "v1", "RoleBinding", R"({"metadata":{"name":"rb","namespace":"d"},
      "roleRef":{"apiGroup":"rbac.authorization.k8s.io","kind":"Role","name":"r"},
      "subjects":[{"kind":"ServiceAccount","name":"sa","namespace":"d"},{"kind":"User","apiGroup":"rbac.authorization.k8s.io","name":"u"}]})")
              .empty());
  }
  SUBCASE("event, lease, endpoints, endpointslice, pv, pvc, quota, limitrange, controllerrevision") {
    CHECK(Unknown("", "v1", "Event", R"({"metadata":{"name":"e"},"involvedObject":{"kind":"Pod","name":"p","fieldPath":"spec.containers{c}"},
      "reason":"Pulled","message":"m","source":{"component":"kubelet","host":"n"},"firstTimestamp":"2024-05-01T10:00:00Z",
      "lastTimestamp":"2024-05-01T10:00:00Z","count":1,"type":"Normal","eventTime":null,"reportingComponent":"kubelet",
      "reportingInstance":"n","series":{"count":2,"lastObservedTime":"2024-05-01T10:00:00.000000Z"},"action":"Pull"})").empty());
    CHECK(Unknown("events.k8s.io", "v1", "Event", R"({"metadata":{"name":"e"},"eventTime":"2024-05-01T10:00:00.000000Z",
      "reportingController":"c","reportingInstance":"i","action":"A","reason":"R","regarding":{"kind":"Pod","name":"p"},
      "note":"n","type":"Normal","deprecatedSource":{"component":"c"},"deprecatedCount":1})").empty());
    CHECK(Unknown("coordination.k8s.io", "v1", "Lease", R"({"metadata":{"name":"l"},"spec":{"holderIdentity":"h",
      "leaseDurationSeconds":15,"acquireTime":"2024-05-01T10:00:00.000000Z","renewTime":"2024-05-01T10:00:00.000000Z","leaseTransitions":1}})")
              .empty());
    CHECK(Unknown("", "v1", "Endpoints", R"({"metadata":{"name":"e"},"subsets":[{"addresses":[{"ip":"10.0.0.1","nodeName":"n",
      "targetRef":{"kind":"Pod","name":"p","namespace":"d","uid":"u"}}],"ports":[{"name":"http","port":80,"protocol":"TCP"}]}]})")
              .empty());
    CHECK(Unknown("discovery.k8s.io", "v1", "EndpointSlice", R"({"metadata":{"name":"e"},"addressType":"IPv4",
      "endpoints":[{"addresses":["10.0.0.1"],"conditions":{"ready":true,"serving":true,"terminating":false},"nodeName":"n",
        "zone":"a","hints":{"forZones":[{"name":"a"}]},"targetRef":{"kind":"Pod","name":"p"}}],
      "ports":[{"name":"http","port":80,"protocol":"TCP","appProtocol":"http"}]})").empty());
    CHECK(Unknown("", "v1", "PersistentVolume", R"({"metadata":{"name":"pv"},"spec":{"capacity":{"storage":"1Gi"},
      "accessModes":["ReadWriteOnce"],"persistentVolumeReclaimPolicy":"Delete","storageClassName":"local-path",
      "volumeMode":"Filesystem","hostPath":{"path":"/x","type":"DirectoryOrCreate"},"mountOptions":["ro"],
      "claimRef":{"kind":"PersistentVolumeClaim","namespace":"d","name":"c","uid":"u"},
      "nodeAffinity":{"required":{"nodeSelectorTerms":[{"matchExpressions":[{"key":"kubernetes.io/hostname","operator":"In","values":["n"]}]}]}}},
      "status":{"phase":"Bound"}})").empty());
    CHECK(Unknown("", "v1", "PersistentVolumeClaim", R"({"metadata":{"name":"c"},"spec":{"accessModes":["ReadWriteOnce"],
      "resources":{"requests":{"storage":"1Gi"}},"storageClassName":"local-path","volumeMode":"Filesystem","volumeName":"pv",
      "dataSource":{"kind":"PersistentVolumeClaim","name":"src"},"selector":{"matchLabels":{"a":"b"}}}})").empty());
    CHECK(Unknown("", "v1", "ResourceQuota", R"({"metadata":{"name":"q"},"spec":{"hard":{"pods":"10","requests.cpu":"4"},
      "scopeSelector":{"matchExpressions":[{"operator":"In","scopeName":"PriorityClass","values":["high"]}]}}})").empty());
    CHECK(Unknown("", "v1", "LimitRange", R"({"metadata":{"name":"l"},"spec":{"limits":[{"type":"Container",
      "default":{"cpu":"500m"},"defaultRequest":{"cpu":"100m"},"max":{"cpu":"2"},"min":{"cpu":"10m"},"maxLimitRequestRatio":{"cpu":"4"}}]}})")
              .empty());
    CHECK(Unknown("apps", "v1", "ControllerRevision", R"({"metadata":{"name":"r"},"revision":2,
      "data":{"spec":{"template":{"anything":"goes"}}}})").empty());
    CHECK(Unknown("", "v1", "ReplicationController", R"({"metadata":{"name":"rc"},"spec":{"replicas":1,"selector":{"a":"b"},
      "template":{"metadata":{"labels":{"a":"b"}},"spec":{"containers":[{"name":"c","image":"x"}]}}}})").empty());
    CHECK(Unknown("", "v1", "PodTemplate", R"({"metadata":{"name":"pt"},"template":{"spec":{"containers":[{"name":"c"}]}}})")
              .empty());
  }
  SUBCASE("node from a real kubelet") {
    CHECK(Unknown("", "v1", "Node", R"({"metadata":{"name":"n","labels":{"kubernetes.io/hostname":"n"},
      "annotations":{"node.alpha.kubernetes.io/ttl":"0"}},
      "spec":{"podCIDR":"10.42.0.0/24","podCIDRs":["10.42.0.0/24"],"providerID":"kcluster://n",
        "taints":[{"key":"node.kubernetes.io/not-ready","effect":"NoSchedule","timeAdded":"2024-05-01T10:00:00Z"}]},
      "status":{"capacity":{"cpu":"2","memory":"4Gi","pods":"110"},"allocatable":{"cpu":"2"},
        "conditions":[{"type":"Ready","status":"True","lastHeartbeatTime":"2024-05-01T10:00:00Z","reason":"KubeletReady"}],
        "addresses":[{"type":"InternalIP","address":"192.168.1.10"}],"daemonEndpoints":{"kubeletEndpoint":{"Port":10250}},
        "nodeInfo":{"machineID":"m","systemUUID":"s","bootID":"b","kernelVersion":"6.1","osImage":"Debian","containerRuntimeVersion":"containerd://1.6",
          "kubeletVersion":"v1.32.4","kubeProxyVersion":"","operatingSystem":"linux","architecture":"amd64","swap":{}},
        "images":[{"names":["nginx"],"sizeBytes":1}],"features":{"supplementalGroupsPolicy":true},"runtimeHandlers":[{"name":"runc"}]}})")
              .empty());
  }
}

TEST_CASE("unknown fields edge cases") {
  // Wrong JSON types are not unknown fields (validation reports them).
  CHECK(Unknown("apps", "v1", "Deployment", R"({"spec":"nope","metadata":[]})").empty());
  CHECK(Unknown("apps", "v1", "Deployment", R"([1,2])").empty());
  // Status is free-form at the top level only.
  CHECK(Unknown("", "v1", "Pod", R"({"status":{"whatever":{"deep":1}}})").empty());
  // Map values are checked against their element type.
  CHECK(Unknown("", "v1", "Pod", R"({"spec":{"containers":[{"name":"c","resources":{"limits":{"cpu":{"x":1}}}}]}})")
            .empty());
  // Free-form volume plugins accept anything.
  CHECK(Unknown("", "v1", "Pod", R"({"spec":{"volumes":[{"name":"v","rbd":{"monitors":["a"],"image":"i","x":{}}}]}})")
            .empty());
  // Unknown top-level and nested metadata fields.
  CHECK(Unknown("", "v1", "Secret", R"({"metadata":{"ownerReferences":[{"name":"o","kind":"K","apiVersion":"v1","uid":"u","ctrl":true}]},"typ":"x"})") ==
        Paths{"metadata.ownerReferences[0].ctrl", "typ"});
}

}  // namespace kc::openapi
