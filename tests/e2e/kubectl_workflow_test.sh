#!/usr/bin/env bash
# The kubectl 1.32 workflow against a fresh kcluster server: apply, get in every output form,
# watch, label/annotate/patch/edit, re-apply, server-side apply, replace, diff, scale, delete
# with cascade modes, describe, explain, discovery commands and wait. No --validate=false.
HERE="$(cd "$(dirname "$0")" && pwd)"
source "$HERE/lib.sh"
start_server --disable-agent --disable-kube-proxy --disable-dns

expect_match "version reports a 1.32 server" 'Server Version: v1\.32' "$(k version 2>&1)"
expect_match "api-versions lists apps/v1" '^apps/v1$' "$(k api-versions)"
expect_match "api-resources lists deployments with short name" 'deployments +deploy +apps/v1 +true +Deployment' "$(k api-resources)"

out=$(k apply -f "$HERE/manifests.yaml" 2>&1)
expect_match "apply creates the namespace" 'namespace/demo created' "$out"
expect_match "apply creates the deployment" 'deployment.apps/web created' "$out"
expect_match "apply creates the job" 'job.batch/once created' "$out"
expect_match "apply creates the secret" 'secret/web-secret created' "$out"

out=$(k get deploy -n demo)
expect_match "get shows the deployment table header" '^NAME +READY +UP-TO-DATE +AVAILABLE +AGE' "$out"
expect_match "get shows the deployment row" '^web +0/2 +[0-2] +0 +[0-9]+s' "$out"
# The deployment controller creates a ReplicaSet and its pods; with no node yet the scheduler
# reports them unschedulable with upstream's message.
for _ in $(seq 1 50); do [ "$(k get pods -n demo -l app=web --no-headers 2>/dev/null | wc -l)" = 2 ] && break; sleep 0.2; done
expect_match "deployment created a hashed ReplicaSet" '^web-[a-z0-9]+ +2 +2 +0 ' "$(k get rs -n demo)"
expect_eq "replicaset created 2 pods" "2" "$(k get pods -n demo -l app=web --no-headers | wc -l)"
for _ in $(seq 1 50); do k get pods -n demo -l app=web -o json | jq -e '[.items[].status.conditions[]? | select(.type=="PodScheduled" and .status=="False")] | length == 2' >/dev/null && break; sleep 0.2; done
expect_match "scheduler marks pods unschedulable" 'no nodes available to schedule pods' \
  "$(k get pods -n demo -l app=web -o jsonpath='{.items[0].status.conditions[0].message}')"
out=$(k get deploy -n demo -o wide)
expect_match "wide adds containers, images, selector" 'web +busybox:1.36 +app=web' "$out"
expect_eq "jsonpath reads replicas" "2" "$(k get deploy web -n demo -o jsonpath='{.spec.replicas}')"
expect_eq "defaults are applied (strategy)" "RollingUpdate 25% 25%" \
  "$(k get deploy web -n demo -o jsonpath='{.spec.strategy.type} {.spec.strategy.rollingUpdate.maxSurge} {.spec.strategy.rollingUpdate.maxUnavailable}')"
expect_eq "-o json is a Deployment" "Deployment" "$(k get deploy web -n demo -o json | jq -r .kind)"
expect_match "-o yaml has the generation" 'generation: 1' "$(k get deploy web -n demo -o yaml)"
expect_match "-A shows the namespace column" '^demo +web-config +2 ' "$(k get cm -A)"
expect_match "--show-labels prints labels" 'app=web' "$(k get cm web-config -n demo --show-labels)"
expect_match "-l filters by label" '^web-config' "$(k get cm -n demo -l app=web)"
for i in 1 2 3; do k create configmap "page$i" -n demo --from-literal=i=$i >/dev/null; done
expect_eq "--chunk-size=1 pages through every configmap" "$(k get cm -n demo -o name | wc -l)" "$(k get cm -n demo --chunk-size=1 -o name | wc -l)"
expect_eq "-l with no match" "No resources found in demo namespace." "$(k get cm -n demo -l app=nope 2>&1)"
expect_eq "secret stringData became data" "czNjcmV0" "$(k get secret web-secret -n demo -o jsonpath='{.data.password}')"
expect_match "service got a ClusterIP from the service CIDR" '^web +ClusterIP +10\.43\.[0-9]+\.[0-9]+ ' "$(k get svc -n demo)"
expect_match "the kubernetes service holds 10.43.0.1" '^kubernetes +ClusterIP +10\.43\.0\.1 ' "$(k get svc -n default)"
expect_match "a taken ClusterIP is refused" 'provided IP is already allocated' \
  "$(k create service clusterip dup -n demo --tcp=80:80 --clusterip=10.43.0.1 2>&1)"
expect_match "get job" '^once' "$(k get jobs -n demo)"

# Watch: ADDED, MODIFIED, DELETED seen by `get -w`.
k get cm -n demo -w --output-watch-events -o json >"$WORK/watch.out" 2>&1 &
WPID=$!
sleep 1
k create configmap watched -n demo --from-literal=a=1 >/dev/null
k label cm watched -n demo stage=one >/dev/null
k delete cm watched -n demo >/dev/null
sleep 1
kill $WPID 2>/dev/null; wait $WPID 2>/dev/null
w=$(jq -r 'select(.object.metadata.name=="watched") | .type' "$WORK/watch.out" | tr '\n' ' ')
expect_eq "get -w sees ADDED MODIFIED DELETED" "ADDED MODIFIED DELETED " "$w"

# kubectl's generator commands send protobuf bodies.
expect_match "create namespace (protobuf)" 'namespace/gen created' "$(k create namespace gen 2>&1)"
expect_match "create configmap (protobuf)" 'configmap/c1 created' "$(k create configmap c1 -n gen --from-literal=k=v 2>&1)"
expect_eq "configmap data decoded" "v" "$(k get cm c1 -n gen -o jsonpath='{.data.k}')"
expect_match "create secret generic (protobuf)" 'secret/s1 created' "$(k create secret generic s1 -n gen --from-literal=pw=x 2>&1)"
expect_match "create deployment (protobuf)" 'deployment.apps/d1 created' "$(k create deployment d1 -n gen --image=busybox:1.36 --replicas=2 --port=80 2>&1)"
expect_eq "deployment decoded" "2 busybox:1.36 80" "$(k get deploy d1 -n gen -o jsonpath='{.spec.replicas} {.spec.template.spec.containers[0].image} {.spec.template.spec.containers[0].ports[0].containerPort}')"
expect_match "create job (protobuf)" 'job.batch/j1 created' "$(k create job j1 -n gen --image=busybox:1.36 -- echo hi 2>&1)"
expect_match "create service clusterip (protobuf)" 'service/s1 created' "$(k create service clusterip s1 -n gen --tcp=80:8080 2>&1)"
expect_match "delete namespace with generated content" 'deleted' "$(k delete ns gen --timeout=60s 2>&1)"

# label / annotate / patch in all three types.
expect_match "label" 'labeled' "$(k label deploy web -n demo tier=frontend)"
expect_match "annotate" 'annotated' "$(k annotate deploy web -n demo owner=alice)"
expect_eq "label stored" "frontend" "$(k get deploy web -n demo -o jsonpath='{.metadata.labels.tier}')"
expect_match "patch --type merge" 'patched' "$(k patch deploy web -n demo --type merge -p '{"spec":{"minReadySeconds":5}}')"
expect_match "patch --type json" 'patched' "$(k patch deploy web -n demo --type json -p '[{"op":"replace","path":"/spec/replicas","value":3}]')"
expect_match "patch strategic keeps the container list merged" 'patched' \
  "$(k patch deploy web -n demo -p '{"spec":{"template":{"spec":{"containers":[{"name":"web","image":"busybox:1.37"}]}}}}')"
expect_eq "strategic patch changed only the image" "busybox:1.37 httpd" \
  "$(k get deploy web -n demo -o jsonpath='{.spec.template.spec.containers[0].image} {.spec.template.spec.containers[0].command[0]}')"
expect_eq "generation bumped by spec changes only" "5" "$(k get deploy web -n demo -o jsonpath='{.metadata.generation}')"
expect_match "patch with no change" 'patched \(no change\)' "$(k patch deploy web -n demo --type merge -p '{"spec":{"replicas":3}}')"

# edit with a scripted editor.
cat >"$WORK/editor.sh" <<'ED'
#!/bin/sh
sed -i 's/color: blue/color: green/' "$1"
ED
chmod +x "$WORK/editor.sh"
expect_match "edit" 'edited' "$(KUBE_EDITOR="$WORK/editor.sh" k edit cm web-config -n demo 2>&1)"
expect_eq "edit stored the change" "green" "$(k get cm web-config -n demo -o jsonpath='{.data.color}')"

# apply again after a change: three-way merge keeps fields set by others.
sed 's/greeting: hello/greeting: bonjour/' "$HERE/manifests.yaml" >"$WORK/m2.yaml"
out=$(k apply -f "$WORK/m2.yaml" 2>&1)
expect_match "re-apply configures the configmap" 'configmap/web-config configured' "$out"
expect_match "re-apply leaves the namespace unchanged" 'namespace/demo unchanged' "$out"
expect_eq "re-apply changed greeting" "bonjour" "$(k get cm web-config -n demo -o jsonpath='{.data.greeting}')"
expect_eq "re-apply kept the label set by kubectl label" "frontend" "$(k get deploy web -n demo -o jsonpath='{.metadata.labels.tier}')"

# server-side apply.
cat >"$WORK/ssa.yaml" <<'Y'
apiVersion: v1
kind: ConfigMap
metadata:
  name: ssa-config
  namespace: demo
data:
  mode: server-side
Y
expect_match "apply --server-side creates" 'serverside-applied' "$(k apply --server-side -f "$WORK/ssa.yaml" 2>&1)"
expect_eq "ssa managedFields record the manager" "kubectl" \
  "$(k get cm ssa-config -n demo -o json --show-managed-fields | jq -r '.metadata.managedFields[] | select(.operation=="Apply") | .manager')"
sed -i 's/server-side/updated/' "$WORK/ssa.yaml"
expect_match "apply --server-side updates" 'serverside-applied' "$(k apply --server-side -f "$WORK/ssa.yaml" 2>&1)"
expect_eq "ssa update stored" "updated" "$(k get cm ssa-config -n demo -o jsonpath='{.data.mode}')"

# replace and diff.
k get cm ssa-config -n demo -o yaml | sed 's/mode: updated/mode: replaced/' >"$WORK/replace.yaml"
expect_match "replace" 'replaced' "$(k replace -f "$WORK/replace.yaml" 2>&1)"
expect_eq "replace stored" "replaced" "$(k get cm ssa-config -n demo -o jsonpath='{.data.mode}')"
sed 's/greeting: hello/greeting: hola/' "$HERE/manifests.yaml" >"$WORK/m3.yaml"
out=$(k diff -f "$WORK/m3.yaml" 2>&1); rc=$?
expect_eq "diff exits 1 on differences" "1" "$rc"
expect_match "diff shows the change" '\+  greeting: hola' "$out"
expect_eq "diff did not change the object (dry run)" "bonjour" "$(k get cm web-config -n demo -o jsonpath='{.data.greeting}')"

# scale.
expect_match "scale" 'scaled' "$(k scale deploy web -n demo --replicas=4)"
expect_eq "scale stored" "4" "$(k get deploy web -n demo -o jsonpath='{.spec.replicas}')"
expect_match "scale with a stale precondition fails" 'the object has been modified|Conflict|Expected resource version' \
  "$(k scale deploy web -n demo --replicas=2 --resource-version=1 2>&1)"

# describe and explain.
expect_match "describe shows the deployment" 'Replicas: +4 desired' "$(k describe deploy web -n demo)"
expect_match "describe configmap shows data" 'greeting' "$(k describe cm web-config -n demo)"
expect_match "explain deployment.spec" 'FIELDS:' "$(k explain deployment.spec 2>&1)"
expect_match "explain lists replicas" 'replicas' "$(k explain deployment.spec 2>&1)"

# wait.
expect_match "wait --for=jsonpath" 'condition met' "$(k wait --for=jsonpath='{.data.greeting}'=bonjour cm/web-config -n demo --timeout=10s 2>&1)"

# create -f of something invalid gets the server's validation message.
cat >"$WORK/bad.yaml" <<'Y'
apiVersion: apps/v1
kind: Deployment
metadata:
  name: bad
  namespace: demo
spec:
  replicas: -1
  selector: {matchLabels: {app: bad}}
  template:
    metadata: {labels: {app: bad}}
    spec:
      containers: [{name: c, image: busybox}]
Y
expect_match "invalid replicas is refused" 'spec.replicas: Invalid value: -1' "$(k create -f "$WORK/bad.yaml" 2>&1)"
sed -i 's/replicas: -1/replicas: 1\n  bogus: 1/' "$WORK/bad.yaml"
expect_match "unknown field refused under strict validation" 'unknown field "spec.bogus"' "$(k create -f "$WORK/bad.yaml" 2>&1)"

# Discovery: kubectl's Accept gets the aggregated v2 document, so a fresh cache needs only /api
# and /apis (no per-group-version requests).
disc_log=$(kubectl --cache-dir "$WORK/fresh-cache" get pods -n demo -v=6 2>&1)
expect_match "aggregated discovery: /apis fetched" 'GET https://[^ ]*/apis(\?[^ ]*)? 200' "$disc_log"
expect_eq "aggregated discovery: no per-group-version discovery requests" "0" \
  "$(grep -cE 'GET https://[^ ]*/(apis/[a-z0-9.]+/v[0-9a-z]+|api/v1)(\?[^ ]*)? 200' <<<"$disc_log" || true)"
expect_match "aggregated discovery content type" 'as=APIGroupDiscoveryList' \
  "$(curl_api -o /dev/null -w '%{content_type}' -H 'Accept: application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList,application/json' "https://127.0.0.1:$PORT/apis")"
# OpenAPI v2 (kubectl's fallback) is served as protobuf.
expect_eq "openapi v2 protobuf content type" "200 application/com.github.proto-openapi.spec.v2.v1.0+protobuf" \
  "$(curl_api -o "$WORK/v2.pb" -w '%{http_code} %{content_type}' -H 'Accept: application/com.github.proto-openapi.spec.v2@v1.0+protobuf' "https://127.0.0.1:$PORT/openapi/v2")"
expect_eq "openapi v2 document names Deployment" "io.k8s.api.apps.v1.Deployment" \
  "$(grep -a -o 'io\.k8s\.api\.apps\.v1\.Deployment' "$WORK/v2.pb" | head -1)"

# HorizontalPodAutoscaler: kubectl autoscale writes autoscaling/v2; the same object reads as v1.
expect_match "autoscale creates an hpa" 'autoscaled' "$(k autoscale deploy web -n demo --cpu-percent=50 --min=1 --max=3 2>&1)"
expect_eq "hpa read as autoscaling/v1" "50" \
  "$(k get horizontalpodautoscalers.v1.autoscaling web -n demo -o jsonpath='{.spec.targetCPUUtilizationPercentage}' 2>&1)"
expect_eq "hpa read as autoscaling/v2" "50" \
  "$(k get horizontalpodautoscalers.v2.autoscaling web -n demo -o jsonpath='{.spec.metrics[0].resource.target.averageUtilization}' 2>&1)"
k patch horizontalpodautoscalers.v1.autoscaling web -n demo --type merge -p '{"spec":{"targetCPUUtilizationPercentage":70}}' >/dev/null 2>&1
expect_eq "v1 patch seen through v2" "70" \
  "$(k get horizontalpodautoscalers.v2.autoscaling web -n demo -o jsonpath='{.spec.metrics[0].resource.target.averageUtilization}' 2>&1)"
expect_match "kubectl get hpa table" 'web +Deployment/web +cpu: <unknown>/70%' "$(k get hpa -n demo 2>&1)"

# Events: events.k8s.io/v1 and core/v1 are two views of one store.
cat >"$WORK/event.yaml" <<'Y'
apiVersion: events.k8s.io/v1
kind: Event
metadata:
  name: e2e-event
  namespace: demo
eventTime: "2026-01-01T00:00:00.000000Z"
reportingController: example.com/e2e
reportingInstance: e2e-1
action: Testing
reason: Checked
note: written through events.k8s.io
type: Normal
regarding: {kind: ConfigMap, namespace: demo, name: web-config, apiVersion: v1}
Y
expect_match "create an events.k8s.io/v1 event" 'created' "$(k create -f "$WORK/event.yaml" 2>&1)"
expect_eq "core/v1 sees it as message" "written through events.k8s.io" \
  "$(k get events e2e-event -n demo -o jsonpath='{.message}' 2>&1)"
expect_eq "core/v1 involvedObject" "web-config" \
  "$(k get events e2e-event -n demo -o jsonpath='{.involvedObject.name}' 2>&1)"
expect_eq "events.k8s.io/v1 reads it back" "written through events.k8s.io" \
  "$(k get events.v1.events.k8s.io e2e-event -n demo -o jsonpath='{.note}' 2>&1)"

# delete: plain, orphan and foreground cascades are accepted and complete.
expect_match "delete configmap" 'deleted' "$(k delete cm ssa-config -n demo 2>&1)"
expect_fail "deleted configmap is gone" k get cm ssa-config -n demo
expect_match "delete --cascade=orphan" 'deleted' "$(k delete job once -n demo --cascade=orphan --timeout=30s 2>&1)"
expect_match "delete --cascade=foreground" 'deleted' "$(k delete deploy web -n demo --cascade=foreground --timeout=30s 2>&1)"
expect_fail "deployment is gone" k get deploy web -n demo
expect_match "delete namespace" 'deleted' "$(k delete ns demo --timeout=60s 2>&1)"
expect_fail "namespace is gone" k get ns demo

finish
