#include <doctest/doctest.h>

#include "pkg/printers/printers_test_util.h"

namespace kc::printers {

using testing::CellsJson;

TEST_CASE("namespace, configmap, secret, serviceaccount") {
  CHECK(CellsJson("", "Namespace",
                  R"({"metadata":{"name":"kube-system","creationTimestamp":"2024-01-01T00:00:00Z"},
                      "spec":{"finalizers":["kubernetes"]},"status":{"phase":"Active"}})") ==
        R"(["kube-system","Active","121d"])");
  CHECK(CellsJson("", "ConfigMap",
                  R"({"metadata":{"name":"cfg","creationTimestamp":"2024-05-01T11:59:00Z"},
                      "data":{"a":"1","b":"2"},"binaryData":{"c":"AAE="}})") ==
        R"(["cfg",3,"60s"])");
  CHECK(CellsJson("", "ConfigMap", R"({"metadata":{"name":"empty"}})") ==
        R"(["empty",0,"<unknown>"])");
  CHECK(CellsJson("", "Secret",
                  R"({"metadata":{"name":"tls","creationTimestamp":"2024-05-01T11:00:00Z"},
                      "type":"kubernetes.io/tls","data":{"tls.crt":"eA==","tls.key":"eQ=="}})") ==
        R"(["tls","kubernetes.io/tls",2,"60m"])");
  CHECK(CellsJson("", "Secret",
                  R"({"metadata":{"name":"s"},"type":"Opaque","data":{"a":"eA=="},"stringData":{"a":"x","b":"y"}})") ==
        R"(["s","Opaque",2,"<unknown>"])");
  CHECK(CellsJson("", "ServiceAccount",
                  R"({"metadata":{"name":"default","creationTimestamp":"2024-05-01T11:59:59Z"}})") ==
        R"(["default",0,"1s"])");
}

TEST_CASE("node table") {
  const auto& cols = ColumnsFor(testing::Res("", "Node"));
  REQUIRE(cols.size() == 10);
  CHECK(cols[1].name == "Status");
  CHECK(cols[2].name == "Roles");
  CHECK(cols[4].name == "Version");
  CHECK(cols[5].name == "Internal-IP");
  CHECK(cols[9].name == "Container-Runtime");
  CHECK(cols[9].priority == 1);
  CHECK(CellsJson("", "Node",
                  R"j({"metadata":{"name":"node-1","creationTimestamp":"2024-04-20T12:00:00Z",
                      "labels":{"node-role.kubernetes.io/control-plane":"","node-role.kubernetes.io/master":"",
                        "kubernetes.io/role":"worker","node-role.kubernetes.io/":"x","kubernetes.io/hostname":"node-1"}},
                      "spec":{"unschedulable":true},
                      "status":{"conditions":[{"type":"MemoryPressure","status":"False"},{"type":"Ready","status":"True"}],
                        "addresses":[{"type":"Hostname","address":"node-1"},{"type":"InternalIP","address":"192.168.1.10"},
                          {"type":"InternalIP","address":"192.168.1.11"}],
                        "nodeInfo":{"kubeletVersion":"v1.32.4","osImage":"Debian GNU/Linux 12 (bookworm)",
                          "kernelVersion":"6.1.0-18-amd64","containerRuntimeVersion":"containerd://1.6.20"}}})j") ==
        R"j(["node-1","Ready,SchedulingDisabled","control-plane,master,worker","11d","v1.32.4","192.168.1.10","<none>","Debian GNU/Linux 12 (bookworm)","6.1.0-18-amd64","containerd://1.6.20"])j");
  CHECK(CellsJson("", "Node",
                  R"({"metadata":{"name":"n2"},"status":{"conditions":[{"type":"Ready","status":"Unknown"}]}})") ==
        R"(["n2","NotReady","<none>","<unknown>","","<none>","<none>","<unknown>","<unknown>","<unknown>"])");
  CHECK(CellsJson("", "Node", R"({"metadata":{"name":"n3"}})") ==
        R"(["n3","Unknown","<none>","<unknown>","","<none>","<none>","<unknown>","<unknown>","<unknown>"])");
}

TEST_CASE("resource quota table (1.32 column order)") {
  const auto& cols = ColumnsFor(testing::Res("", "ResourceQuota"));
  REQUIRE(cols.size() == 4);
  CHECK(cols[1].name == "Age");
  CHECK(cols[2].name == "Request");
  CHECK(cols[3].name == "Limit");
  CHECK(CellsJson("", "ResourceQuota",
                  R"({"metadata":{"name":"q","creationTimestamp":"2024-05-01T11:00:00Z"},
                      "spec":{"hard":{"pods":"10"}},
                      "status":{"hard":{"pods":"10","requests.cpu":"1","limits.memory":"2Gi","limits.cpu":"2000m",
                        "count/deployments.apps":"5"},
                        "used":{"pods":"3","requests.cpu":"500m","limits.memory":"1024Mi"}}})") ==
        R"(["q","60m","count/deployments.apps: 0/5, pods: 3/10, requests.cpu: 500m/1","limits.cpu: 0/2, limits.memory: 1Gi/2Gi"])");
}

TEST_CASE("service table") {
  SUBCASE("cluster ip") {
    CHECK(CellsJson("", "Service",
                    R"({"metadata":{"name":"web","creationTimestamp":"2024-05-01T11:55:00Z"},
                        "spec":{"type":"ClusterIP","clusterIP":"10.43.0.10","clusterIPs":["10.43.0.10"],
                          "selector":{"app":"web"},"ports":[{"name":"http","port":80,"targetPort":8080,"protocol":"TCP"},
                          {"name":"dns","port":53,"protocol":"UDP"}]}})") ==
          R"(["web","ClusterIP","10.43.0.10","<none>","80/TCP,53/UDP","5m","app=web"])");
  }
  SUBCASE("node port with external ips") {
    CHECK(CellsJson("", "Service",
                    R"({"metadata":{"name":"np"},"spec":{"type":"NodePort","clusterIPs":["10.43.0.11"],
                        "externalIPs":["1.2.3.4","5.6.7.8"],"ports":[{"port":80,"nodePort":30080,"protocol":"TCP"}]}})") ==
          R"(["np","NodePort","10.43.0.11","1.2.3.4,5.6.7.8","80:30080/TCP","<unknown>","<none>"])");
  }
  SUBCASE("load balancer") {
    CHECK(CellsJson("", "Service",
                    R"({"metadata":{"name":"lb"},"spec":{"type":"LoadBalancer","clusterIP":"10.43.0.12",
                        "ports":[{"port":443,"nodePort":31443,"protocol":"TCP"}]},"status":{"loadBalancer":{}}})") ==
          R"(["lb","LoadBalancer","10.43.0.12","<pending>","443:31443/TCP","<unknown>","<none>"])");
    CHECK(CellsJson("", "Service",
                    R"({"metadata":{"name":"lb"},"spec":{"type":"LoadBalancer","clusterIPs":["10.43.0.12"],
                        "externalIPs":["9.9.9.9"],"ports":[{"port":443,"nodePort":31443,"protocol":"TCP"}]},
                        "status":{"loadBalancer":{"ingress":[{"ip":"172.18.0.3"},{"hostname":"lb.example.com"},{"ip":"172.18.0.2"},{"ip":"172.18.0.3"}]}}})") ==
          R"(["lb","LoadBalancer","10.43.0.12","172.18.0.2,172.18.0.3,lb.example.com,9.9.9.9","443:31443/TCP","<unknown>","<none>"])");
  }
  SUBCASE("headless and external name") {
    CHECK(CellsJson("", "Service",
                    R"({"metadata":{"name":"h"},"spec":{"type":"ClusterIP","clusterIP":"None","clusterIPs":["None"],
                        "selector":{"app":"db","tier":"x"}}})") ==
          R"(["h","ClusterIP","None","<none>","<none>","<unknown>","app=db,tier=x"])");
    CHECK(CellsJson("", "Service",
                    R"({"metadata":{"name":"ext"},"spec":{"type":"ExternalName","externalName":"db.example.com"}})") ==
          R"(["ext","ExternalName","<none>","db.example.com","<none>","<unknown>","<none>"])");
  }
}

TEST_CASE("endpoints and endpoint slices") {
  CHECK(CellsJson("", "Endpoints", R"({"metadata":{"name":"e"}})") == R"(["e","<none>","<unknown>"])");
  CHECK(CellsJson("", "Endpoints",
                  R"({"metadata":{"name":"web","creationTimestamp":"2024-05-01T11:59:00Z"},"subsets":[
                      {"addresses":[{"ip":"10.42.0.5"},{"ip":"fd00::5"}],"notReadyAddresses":[{"ip":"10.42.0.6"}],
                       "ports":[{"name":"http","port":8080,"protocol":"TCP"}]}]})") ==
        R"(["web","10.42.0.5:8080,[fd00::5]:8080","60s"])");
  CHECK(CellsJson("", "Endpoints",
                  R"({"metadata":{"name":"many"},"subsets":[
                      {"addresses":[{"ip":"10.0.0.1"},{"ip":"10.0.0.2"}],"ports":[{"port":80},{"port":443}]},
                      {"addresses":[{"ip":"10.0.0.9"}]}]})") ==
        R"(["many","10.0.0.1:80,10.0.0.2:80,10.0.0.1:443 + 2 more...","<unknown>"])");
  CHECK(CellsJson("", "Endpoints", R"({"metadata":{"name":"nr"},"subsets":[{"notReadyAddresses":[{"ip":"1.1.1.1"}],"ports":[{"port":80}]}]})") ==
        R"(["nr","","<unknown>"])");

  CHECK(CellsJson("discovery.k8s.io", "EndpointSlice",
                  R"({"metadata":{"name":"web-abc","creationTimestamp":"2024-05-01T11:58:00Z"},"addressType":"IPv4",
                      "ports":[{"name":"http","port":8080,"protocol":"TCP"},{"name":"named"},{}],
                      "endpoints":[{"addresses":["10.42.0.5"],"conditions":{"ready":true}},
                        {"addresses":["10.42.0.6"],"conditions":{"ready":false}},{"addresses":["10.42.0.7","10.42.0.8"]}]})") ==
        R"(["web-abc","IPv4","8080,named,*","10.42.0.5,10.42.0.6,10.42.0.7 + 1 more...","2m"])");
  CHECK(CellsJson("discovery.k8s.io", "EndpointSlice", R"({"metadata":{"name":"e"},"addressType":"IPv6"})") ==
        R"(["e","IPv6","<unset>","<unset>","<unknown>"])");
}

TEST_CASE("ingress table") {
  CHECK(CellsJson("networking.k8s.io", "Ingress",
                  R"({"metadata":{"name":"ing","creationTimestamp":"2024-05-01T11:00:00Z"},
                      "spec":{"ingressClassName":"traefik","tls":[{"hosts":["a.example.com"],"secretName":"t"}],
                        "rules":[{"host":"a.example.com"},{"host":"b.example.com"},{},{"host":"c.example.com"},{"host":"d.example.com"}]},
                      "status":{"loadBalancer":{"ingress":[{"ip":"10.0.0.2"},{"ip":"10.0.0.1"}]}}})") ==
        R"(["ing","traefik","a.example.com,b.example.com,c.example.com + 2 more...","10.0.0.1,10.0.0.2","80, 443","60m"])");
  CHECK(CellsJson("networking.k8s.io", "Ingress",
                  R"({"metadata":{"name":"i"},"spec":{"defaultBackend":{"service":{"name":"s","port":{"number":80}}}}})") ==
        R"(["i","<none>","*","","80","<unknown>"])");
}

TEST_CASE("persistent volumes and claims") {
  CHECK(CellsJson("", "PersistentVolume",
                  R"({"metadata":{"name":"pv1","creationTimestamp":"2024-05-01T11:00:00Z"},
                      "spec":{"capacity":{"storage":"10240Mi"},"accessModes":["ReadWriteMany","ReadWriteOnce","ReadWriteOnce"],
                        "persistentVolumeReclaimPolicy":"Retain","storageClassName":"local-path",
                        "claimRef":{"namespace":"default","name":"data"},"hostPath":{"path":"/data"}},
                      "status":{"phase":"Bound"}})") ==
        R"(["pv1","10Gi","RWO,RWX","Retain","Bound","default/data","local-path","<unset>","","60m","<unset>"])");
  CHECK(CellsJson("", "PersistentVolume",
                  R"({"metadata":{"name":"pv2","deletionTimestamp":"2024-05-01T11:00:00Z",
                        "annotations":{"volume.beta.kubernetes.io/storage-class":"beta"}},
                      "spec":{"storageClassName":"x","volumeMode":"Block","volumeAttributesClassName":"gold"},
                      "status":{"phase":"Released","reason":"Oops"}})") ==
        R"(["pv2","0","","","Terminating","","beta","gold","Oops","<unknown>","Block"])");
  CHECK(CellsJson("", "PersistentVolumeClaim",
                  R"({"metadata":{"name":"data","creationTimestamp":"2024-05-01T11:59:00Z"},
                      "spec":{"accessModes":["ReadWriteOnce"],"resources":{"requests":{"storage":"1Gi"}},
                        "storageClassName":"local-path","volumeName":"pv1","volumeMode":"Filesystem"},
                      "status":{"phase":"Bound","accessModes":["ReadWriteOnce"],"capacity":{"storage":"1Gi"}}})") ==
        R"(["data","Bound","pv1","1Gi","RWO","local-path","<unset>","60s","Filesystem"])");
  CHECK(CellsJson("", "PersistentVolumeClaim",
                  R"({"metadata":{"name":"pending"},"spec":{"resources":{"requests":{"storage":"1Gi"}}},
                      "status":{"phase":"Pending"}})") ==
        R"(["pending","Pending","","","","","<unset>","<unknown>","<unset>"])");
}

TEST_CASE("events (core and events.k8s.io)") {
  const auto& cols = ColumnsFor(testing::Res("", "Event"));
  REQUIRE(cols.size() == 10);
  CHECK(cols[0].name == "Last Seen");
  CHECK(cols[9].name == "Name");
  CHECK(cols[9].format == "name");
  CHECK(cols[9].priority == 1);
  CHECK(CellsJson("", "Event",
                  R"({"metadata":{"name":"web-1.17c","namespace":"default"},
                      "involvedObject":{"kind":"Pod","name":"web-1","namespace":"default","fieldPath":"spec.containers{nginx}"},
                      "reason":"Pulled","message":"  Successfully pulled image \"nginx\"\n","type":"Normal",
                      "source":{"component":"kubelet","host":"node-1"},
                      "firstTimestamp":"2024-05-01T11:50:00Z","lastTimestamp":"2024-05-01T11:58:00Z","count":3})") ==
        R"(["2m","Normal","Pulled","pod/web-1","spec.containers{nginx}","kubelet, node-1","Successfully pulled image \"nginx\"","10m",3,"web-1.17c"])");
  // New-style event: no timestamps but eventTime, reportingController, no count.
  CHECK(CellsJson("", "Event",
                  R"({"metadata":{"name":"e2"},"involvedObject":{"kind":"Node"},"reason":"Starting","type":"Normal",
                      "eventTime":"2024-05-01T11:59:30.123456Z","reportingComponent":"kube-proxy","reportingInstance":"",
                      "firstTimestamp":null,"lastTimestamp":null})") ==
        R"(["29s","Normal","Starting","node","","kube-proxy","","29s",1,"e2"])");
  // A series overrides the last-seen time and count.
  CHECK(CellsJson("", "Event",
                  R"({"metadata":{"name":"e3"},"involvedObject":{"kind":"Pod","name":"p"},"type":"Warning","reason":"BackOff",
                      "eventTime":"2024-05-01T11:00:00.000000Z","series":{"count":7,"lastObservedTime":"2024-05-01T11:59:00.000000Z"},
                      "reportingComponent":"kubelet","reportingInstance":"node-2"})") ==
        R"(["60s","Warning","BackOff","pod/p","","kubelet, node-2","","60m",7,"e3"])");
  CHECK(CellsJson("events.k8s.io", "Event",
                  R"({"metadata":{"name":"e4"},"regarding":{"kind":"Deployment","name":"web"},"note":"Scaled up",
                      "reason":"ScalingReplicaSet","type":"Normal","eventTime":null,
                      "reportingController":"deployment-controller","reportingInstance":"kc-1",
                      "deprecatedFirstTimestamp":"2024-05-01T11:40:00Z","deprecatedLastTimestamp":"2024-05-01T11:45:00Z","deprecatedCount":2})") ==
        R"(["15m","Normal","ScalingReplicaSet","deployment/web","","deployment-controller, kc-1","Scaled up","20m",2,"e4"])");
}

TEST_CASE("pdb, hpa, lease, rbac") {
  CHECK(CellsJson("policy", "PodDisruptionBudget",
                  R"({"metadata":{"name":"pdb","creationTimestamp":"2024-05-01T11:00:00Z"},
                      "spec":{"minAvailable":"50%","selector":{"matchLabels":{"app":"web"}}},
                      "status":{"disruptionsAllowed":1,"currentHealthy":2,"desiredHealthy":1,"expectedPods":2}})") ==
        R"(["pdb","50%","N/A",1,"60m"])");
  CHECK(CellsJson("policy", "PodDisruptionBudget", R"({"metadata":{"name":"p"},"spec":{"maxUnavailable":1}})") ==
        R"(["p","N/A","1",0,"<unknown>"])");

  CHECK(CellsJson("autoscaling", "HorizontalPodAutoscaler",
                  R"({"metadata":{"name":"web","creationTimestamp":"2024-05-01T11:00:00Z"},
                      "spec":{"scaleTargetRef":{"apiVersion":"apps/v1","kind":"Deployment","name":"web"},"minReplicas":1,"maxReplicas":10,
                        "metrics":[{"type":"Resource","resource":{"name":"cpu","target":{"type":"Utilization","averageUtilization":80}}},
                          {"type":"Resource","resource":{"name":"memory","target":{"type":"AverageValue","averageValue":"500Mi"}}},
                          {"type":"Pods","pods":{"metric":{"name":"qps"},"target":{"type":"AverageValue","averageValue":"1k"}}}]},
                      "status":{"currentReplicas":2,"desiredReplicas":2,"currentMetrics":[
                        {"type":"Resource","resource":{"name":"cpu","current":{"averageUtilization":23,"averageValue":"100m"}}}]}})",
                  "v2") ==
        R"(["web","Deployment/web","cpu: 23%/80%, memory: <unknown>/500Mi + 1 more...","1",10,2,"60m"])");
  CHECK(CellsJson("autoscaling", "HorizontalPodAutoscaler",
                  R"({"metadata":{"name":"o"},"spec":{"scaleTargetRef":{"kind":"StatefulSet","name":"db"},"maxReplicas":3,
                        "metrics":[{"type":"External","external":{"metric":{"name":"q"},"target":{"type":"AverageValue","averageValue":"30"}}},
                          {"type":"Object","object":{"metric":{"name":"rps"},"target":{"type":"Value","value":"2k"}}}]},
                      "status":{"currentMetrics":[{"type":"External","external":{"current":{"averageValue":"12"}}},
                        {"type":"Object","object":{"current":{"value":"1500"}}}]}})",
                  "v2") ==
        R"(["o","StatefulSet/db","12/30 (avg), 1500/2k","<unset>",3,0,"<unknown>"])");
  CHECK(CellsJson("autoscaling", "HorizontalPodAutoscaler",
                  R"({"metadata":{"name":"v1"},"spec":{"scaleTargetRef":{"kind":"Deployment","name":"web"},"minReplicas":2,
                        "maxReplicas":5,"targetCPUUtilizationPercentage":50},"status":{"currentReplicas":2,"desiredReplicas":2}})",
                  "v1") ==
        R"(["v1","Deployment/web","cpu: <unknown>/50%","2",5,2,"<unknown>"])");
  CHECK(CellsJson("autoscaling", "HorizontalPodAutoscaler",
                  R"({"metadata":{"name":"none"},"spec":{"scaleTargetRef":{"kind":"Deployment","name":"w"},"maxReplicas":5}})",
                  "v2") == R"(["none","Deployment/w","<none>","<unset>",5,0,"<unknown>"])");

  CHECK(CellsJson("coordination.k8s.io", "Lease",
                  R"({"metadata":{"name":"node-1","creationTimestamp":"2024-05-01T11:59:50Z"},
                      "spec":{"holderIdentity":"node-1","leaseDurationSeconds":40}})") ==
        R"(["node-1","node-1","10s"])");
  CHECK(CellsJson("rbac.authorization.k8s.io", "RoleBinding",
                  R"({"metadata":{"name":"rb","creationTimestamp":"2024-05-01T11:00:00Z"},
                      "roleRef":{"apiGroup":"rbac.authorization.k8s.io","kind":"ClusterRole","name":"admin"},
                      "subjects":[{"kind":"User","name":"alice"},{"kind":"Group","name":"devs"},
                        {"kind":"ServiceAccount","name":"builder","namespace":"ci"},{"kind":"User","name":"bob"}]})") ==
        R"(["rb","ClusterRole/admin","60m","alice, bob","devs","ci/builder"])");
  CHECK(CellsJson("rbac.authorization.k8s.io", "ClusterRoleBinding",
                  R"({"metadata":{"name":"crb"},"roleRef":{"kind":"ClusterRole","name":"view"}})") ==
        R"(["crb","ClusterRole/view","<unknown>","","",""])");
}

TEST_CASE("kinds without a printer use the default table") {
  for (const char* kind : {"Role", "ClusterRole"}) {
    const auto& ri = testing::Res("rbac.authorization.k8s.io", kind);
    const auto& cols = ColumnsFor(ri);
    REQUIRE(cols.size() == 2);
    CHECK(cols[1].name == "Created At");
    CHECK(cols[1].type == "date");
  }
  CHECK(CellsJson("", "LimitRange",
                  R"({"metadata":{"name":"lr","creationTimestamp":"2024-04-30T08:15:00+02:00"}})") ==
        R"(["lr","2024-04-30T06:15:00Z"])");
  CHECK(CellsJson("rbac.authorization.k8s.io", "Role", R"({"metadata":{"name":"r"}})") ==
        R"(["r","0001-01-01T00:00:00Z"])");
}

TEST_CASE("column definitions json") {
  auto defs = ColumnDefinitionsJson(ColumnsFor(testing::Res("", "ConfigMap")));
  REQUIRE(defs.size() == 3);
  CHECK(defs[0].at("name") == "Name");
  CHECK(defs[0].at("format") == "name");
  CHECK(defs[1].at("format") == "");
  CHECK(defs[1].at("priority") == 0);
  CHECK(defs[2].at("type") == "string");
  CHECK(defs[2].as_object().contains("description"));
}

TEST_CASE("every catalog kind: one cell per column, name column present, tolerant of junk") {
  const char* junk[] = {
      R"({})",
      R"({"metadata":{"name":"x","creationTimestamp":"garbage","labels":[]},"spec":[],"status":"weird"})",
      R"({"metadata":{"name":"x"},"spec":{"containers":"no","selector":{"matchLabels":5},"replicas":"3",
          "template":{"spec":{"containers":[1,2]}},"ports":[null,{"port":"x"}],"metrics":[{"type":"Resource"}]},
          "status":{"conditions":[null,{"type":5}],"containerStatuses":[{"state":null}],"initContainerStatuses":[7],
          "hard":{"cpu":"bad"}},"subsets":[{}],"endpoints":[{}],"involvedObject":7,"subjects":[3]})",
  };
  for (const auto& ri : api::BuiltinResources()) {
    const auto& cols = ColumnsFor(ri);
    int name_cols = 0;
    for (const auto& c : cols) name_cols += c.format == "name";
    CHECK_MESSAGE(name_cols == 1, ri.kind);
    if (ri.kind != "Event") CHECK_MESSAGE(cols[0].format == "name", ri.kind);
    for (const char* j : junk) {
      auto cells = CellsFor(ri, testing::Obj(j), testing::Now());
      CHECK_MESSAGE(cells.size() == cols.size(), ri.kind);
    }
  }
}

}  // namespace kc::printers
