#!/usr/bin/env bash
# Issue 5 end to end: a Deployment behind a Service answers on its ClusterIP, by DNS name, on a
# NodePort; scaling, affinity, no-endpoint refusal and rule removal, with real iptables and pods.
source "$(dirname "$0")/lib.sh"
REPO="$(cd "$(dirname "$0")/../.." && pwd)"

IMAGES="${KC_IMAGES_DIR:-$REPO/build/images}"
bash "$REPO/scripts/build-images.sh" "$IMAGES" >/dev/null || { echo "image build failed"; exit 1; }
mkdir -p "$WORK/data/agent/images"
cp "$IMAGES"/*.tar "$WORK/data/agent/images/"


start_server
NODE=$(hostname)
for _ in $(seq 1 120); do
  [ "$(k get node "$NODE" -o jsonpath='{.status.conditions[?(@.type=="Ready")].status}' 2>/dev/null)" == "True" ] && break
  sleep 0.5
done

cat <<'YAML' | k apply -f - >/dev/null
apiVersion: apps/v1
kind: Deployment
metadata: {name: web}
spec:
  replicas: 3
  selector: {matchLabels: {app: web}}
  template:
    metadata: {labels: {app: web}}
    spec:
      containers:
      - name: httpd
        image: busybox:1.35
        command: ["sh", "-c", "mkdir -p /www && hostname > /www/index.html && exec httpd -f -p 8080 -h /www"]
        ports: [{name: http, containerPort: 8080}]
        readinessProbe:
          tcpSocket: {port: 8080}
          periodSeconds: 1
---
apiVersion: v1
kind: Service
metadata: {name: web}
spec:
  type: NodePort
  selector: {app: web}
  ports: [{name: http, port: 80, targetPort: http}]
---
apiVersion: v1
kind: Pod
metadata: {name: client}
spec:
  containers:
  - name: c
    image: busybox:1.35
    command: ["sleep", "3600"]
YAML

ready=0
for _ in $(seq 1 120); do
  ready=$(k get deploy web -o jsonpath='{.status.readyReplicas}' 2>/dev/null)
  [ "${ready:-0}" == "3" ] && [ "$(k get pod client -o jsonpath='{.status.phase}')" == "Running" ] && break
  sleep 0.5
done
expect_eq "3 web replicas ready" "3" "${ready:-0}"
expect_eq "Endpoints list 3 addresses" "3" "$(k get endpoints web -o jsonpath='{.subsets[*].addresses[*].ip}' | wc -w)"
expect_match "an EndpointSlice managed by the controller" 'endpointslice-controller.k8s.io' \
  "$(k get endpointslices -l kubernetes.io/service-name=web -o jsonpath='{.items[*].metadata.labels}')"

CIP=$(k get svc web -o jsonpath='{.spec.clusterIP}')
NPORT=$(k get svc web -o jsonpath='{.spec.ports[0].nodePort}')
backends_once() {  # URL N → distinct answers from N requests made inside the client pod
  k exec client -- sh -c "for i in \$(seq 1 $2); do timeout 3 wget -qO- $1; done" 2>/dev/null | sort -u | wc -l
}
backends() {  # URL N [EXPECTED] → as backends_once, retried while rules catch up (batched syncs)
  local n
  for _ in $(seq 1 10); do
    n=$(backends_once "$1" "$2")
    [ "$n" == "${3:-3}" ] && break
    sleep 1
  done
  echo "$n"
}
expect_eq "ClusterIP reaches all 3 backends" "3" "$(backends "http://$CIP/" 30)"
expect_eq "DNS name web.default.svc.cluster.local resolves and answers" "3" \
  "$(backends "http://web.default.svc.cluster.local/" 30)"
expect_eq "short name web works via search domains" "3" "$(backends "http://web/" 30)"
expect_match "nslookup of the service from a pod" "$CIP" "$(k exec client -- nslookup web.default.svc.cluster.local 2>&1)"
expect_match "unknown names are NXDOMAIN" "NXDOMAIN|can't find" "$(k exec client -- nslookup nope.default.svc.cluster.local 2>&1)"
expect_match "NodePort on localhost answers" '^web-' "$(curl -s --max-time 3 "http://127.0.0.1:$NPORT/")"
HOSTIP=$(k get node "$NODE" -o jsonpath='{.status.addresses[?(@.type=="InternalIP")].address}')
expect_match "NodePort on the node IP answers" '^web-' "$(curl -s --max-time 3 "http://$HOSTIP:$NPORT/")"
expect_match "env vars of services created before the pod" 'KUBERNETES_SERVICE_HOST=10.43.0.1' \
  "$(k exec client -- env)"
expect_match "resolv.conf has the cluster DNS and search path" 'nameserver 10.43.0.10' \
  "$(k exec client -- cat /etc/resolv.conf)"

k patch svc web -p '{"spec":{"sessionAffinity":"ClientIP"}}' >/dev/null
sleep 2
expect_eq "ClientIP affinity sticks to one backend" "1" "$(backends "http://$CIP/" 10 1)"
k patch svc web -p '{"spec":{"sessionAffinity":"None"}}' >/dev/null

k scale deploy web --replicas=1 >/dev/null
for _ in $(seq 1 60); do
  [ "$(k get endpoints web -o jsonpath='{.subsets[*].addresses[*].ip}' | wc -w)" == "1" ] && break
  sleep 0.5
done
sleep 2
expect_eq "scaled to 1: exactly one backend" "1" "$(backends "http://$CIP/" 10 1)"

k patch svc web -p '{"spec":{"type":"LoadBalancer"}}' >/dev/null
lbip=""
for _ in $(seq 1 20); do
  lbip=$(k get svc web -o jsonpath='{.status.loadBalancer.ingress[0].ip}')
  [ -n "$lbip" ] && break
  sleep 0.5
done
expect_eq "type LoadBalancer gets the node IP as ingress" "$HOSTIP" "$lbip"
got=""
for _ in $(seq 1 10); do
  got=$(curl -s --max-time 3 "http://$HOSTIP:80/") && [ -n "$got" ] && break
  sleep 0.5
done
expect_match "the LoadBalancer address answers on the service port" '^web-' "$got"

cat <<'YAML' | k apply -f - >/dev/null
apiVersion: v1
kind: Service
metadata: {name: nobody}
spec:
  selector: {app: nobody}
  ports: [{port: 80}]
YAML
sleep 2
NCIP=$(k get svc nobody -o jsonpath='{.spec.clusterIP}')
expect_match "a Service without endpoints is refused" 'refused' \
  "$(k exec client -- timeout 3 wget -qO- "http://$NCIP/" 2>&1)"

# A selector-less Service with hand-written Endpoints pointing at a server on the host.
HPORT=$(free_port)
mkdir -p "$WORK/hostwww" && echo host-server > "$WORK/hostwww/index.html"
/usr/bin/python3 -m http.server "$HPORT" --bind "$HOSTIP" --directory "$WORK/hostwww" >/dev/null 2>&1 &
HOSTSRV=$!
cat <<YAML | k apply -f - >/dev/null
apiVersion: v1
kind: Service
metadata: {name: ext}
spec:
  ports: [{port: 80, targetPort: $HPORT}]
---
apiVersion: v1
kind: Endpoints
metadata: {name: ext}
subsets:
- addresses: [{ip: "$HOSTIP"}]
  ports: [{port: $HPORT}]
YAML
got=""
for _ in $(seq 1 20); do
  got=$(k exec client -- timeout 3 wget -qO- http://ext/ 2>/dev/null) && [ -n "$got" ] && break
  sleep 0.5
done
expect_eq "selector-less Service with hand-written Endpoints reaches a server on the host" "host-server" "$got"
kill $HOSTSRV 2>/dev/null

# A headless Service of a StatefulSet: <pod>.<svc> resolves to the pod.
cat <<'YAML' | k apply -f - >/dev/null
apiVersion: v1
kind: Service
metadata: {name: hl}
spec: {clusterIP: None, selector: {app: hl}, ports: [{name: web, port: 80}]}
---
apiVersion: apps/v1
kind: StatefulSet
metadata: {name: hl}
spec:
  serviceName: hl
  replicas: 1
  selector: {matchLabels: {app: hl}}
  template:
    metadata: {labels: {app: hl}}
    spec:
      terminationGracePeriodSeconds: 1
      containers: [{name: c, image: busybox:1.35, command: ["sleep", "3600"]}]
YAML
k rollout status sts/hl --timeout=90s >/dev/null 2>&1
HLIP=$(k get pod hl-0 -o jsonpath='{.status.podIP}')
ans=""
for _ in $(seq 1 20); do
  ans=$(k exec client -- nslookup hl-0.hl.default.svc.cluster.local 2>&1)
  echo "$ans" | grep -q "$HLIP" && break
  sleep 0.5
done
expect_match "hl-0.hl.default.svc.cluster.local resolves to the pod" "Address: $HLIP" "$ans"

k delete svc web >/dev/null
sleep 3
expect_eq "deleting the Service removes its rules" "0" \
  "$(iptables-save -t nat | grep -c 'default/web:http')"

k delete deploy web >/dev/null 2>&1
k delete pod client --grace-period=0 --force >/dev/null 2>&1
finish
