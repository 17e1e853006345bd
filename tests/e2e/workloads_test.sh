#!/usr/bin/env bash
# Issue 4 end to end with real pods: Deployment rollout (status, history, undo, restart),
# StatefulSet ordering and stable names, DaemonSet one pod per node, Job completion (kubectl wait),
# CronJob → Job, garbage collection of the lot.
source "$(dirname "$0")/lib.sh"
REPO="$(cd "$(dirname "$0")/../.." && pwd)"

IMAGES="${KC_IMAGES_DIR:-$REPO/build/images}"
bash "$REPO/scripts/build-images.sh" "$IMAGES" >/dev/null || { echo "image build failed"; exit 1; }
mkdir -p "$WORK/data/agent/images"
cp "$IMAGES"/*.tar "$WORK/data/agent/images/"

start_server --disable-kube-proxy --disable-dns
NODE=$(hostname)
for _ in $(seq 1 120); do
  [ "$(k get node "$NODE" -o jsonpath='{.status.conditions[?(@.type=="Ready")].status}' 2>/dev/null)" == "True" ] && break
  sleep 0.5
done

# --- Deployment rollout ---------------------------------------------------------------------------
k create deployment web --image=busybox:1.35 --replicas=2 -- sleep 3600 >/dev/null
expect_ok "rollout status of a new deployment" k rollout status deploy/web --timeout=90s
k set image deploy/web busybox=docker.io/library/busybox:1.35 >/dev/null
k annotate deploy/web kubernetes.io/change-cause="fully-qualified" >/dev/null
expect_ok "rollout to a second template" k rollout status deploy/web --timeout=90s
expect_match "rollout history lists both revisions" '2 +fully-qualified' "$(k rollout history deploy/web)"
expect_ok "rollout undo" k rollout undo deploy/web
expect_ok "rollout status after undo" k rollout status deploy/web --timeout=90s
expect_eq "undo restored the first image" "busybox:1.35" \
  "$(k get deploy web -o jsonpath='{.spec.template.spec.containers[0].image}')"
expect_ok "rollout restart" k rollout restart deploy/web
expect_ok "rollout status after restart" k rollout status deploy/web --timeout=90s
expect_eq "2 pods ready" "2" "$(k get deploy web -o jsonpath='{.status.readyReplicas}')"

# --- StatefulSet ----------------------------------------------------------------------------------
cat <<'YAML' | k apply -f - >/dev/null
apiVersion: v1
kind: Service
metadata: {name: db}
spec: {clusterIP: None, selector: {app: db}, ports: [{port: 80}]}
---
apiVersion: apps/v1
kind: StatefulSet
metadata: {name: db}
spec:
  serviceName: db
  replicas: 3
  selector: {matchLabels: {app: db}}
  template:
    metadata: {labels: {app: db}}
    spec:
      terminationGracePeriodSeconds: 2
      containers:
      - name: c
        image: busybox:1.35
        command: ["sh", "-c", "hostname > /tmp/name; sleep 3600"]
        readinessProbe: {exec: {command: ["cat", "/tmp/name"]}, periodSeconds: 1}
YAML
expect_ok "statefulset rollout status" k rollout status sts/db --timeout=120s
expect_eq "stable pod names" "db-0 db-1 db-2" "$(k get pods -l app=db -o jsonpath='{.items[*].metadata.name}' | tr ' ' '\n' | sort | xargs)"
expect_eq "hostname is the pod name" "db-1" "$(k exec db-1 -- hostname)"
t0=$(k get pod db-0 -o jsonpath='{.metadata.creationTimestamp}')
t2=$(k get pod db-2 -o jsonpath='{.metadata.creationTimestamp}')
if [[ "$t0" < "$t2" || "$t0" == "$t2" ]]; then pass "ordinals created in order"; else fail "db-0 $t0 after db-2 $t2"; fi
# Partitioned rolling update: only ordinals >= partition get the new template.
k patch sts db --type merge -p '{"spec":{"updateStrategy":{"type":"RollingUpdate","rollingUpdate":{"partition":2}},"template":{"metadata":{"annotations":{"rev":"two"}}}}}' >/dev/null
upd=""
for _ in $(seq 1 120); do
  upd=$(k get sts db -o jsonpath='{.status.updatedReplicas}')
  [ "$upd" == "1" ] && [ "$(k get sts db -o jsonpath='{.status.readyReplicas}')" == "3" ] && break
  sleep 0.5
done
expect_eq "partition 2: one pod updated" "1" "$upd"
expect_eq "db-2 has the new template" "two" "$(k get pod db-2 -o jsonpath='{.metadata.annotations.rev}')"
expect_eq "db-0 and db-1 keep the old one" "" "$(k get pod db-0 db-1 -o jsonpath='{.items[*].metadata.annotations.rev}')"
k scale sts db --replicas=1 >/dev/null
for _ in $(seq 1 120); do [ "$(k get pods -l app=db --no-headers 2>/dev/null | wc -l)" == "1" ] && break; sleep 0.5; done
expect_eq "scaled down to db-0" "db-0" "$(k get pods -l app=db -o jsonpath='{.items[*].metadata.name}')"

# --- DaemonSet ------------------------------------------------------------------------------------
cat <<'YAML' | k apply -f - >/dev/null
apiVersion: apps/v1
kind: DaemonSet
metadata: {name: agent}
spec:
  selector: {matchLabels: {app: agent}}
  template:
    metadata: {labels: {app: agent}}
    spec:
      terminationGracePeriodSeconds: 2
      containers: [{name: c, image: busybox:1.35, command: ["sleep", "3600"]}]
YAML
expect_ok "daemonset rollout status" k rollout status ds/agent --timeout=90s
expect_eq "one daemon pod on the node" "$NODE" "$(k get pods -l app=agent -o jsonpath='{.items[*].spec.nodeName}')"

# --- Job and CronJob ------------------------------------------------------------------------------
k create job once --image=busybox:1.35 -- sh -c 'echo job-done' >/dev/null
expect_ok "kubectl wait for the job to complete" k wait --for=condition=complete job/once --timeout=90s
expect_eq "job succeeded once" "1" "$(k get job once -o jsonpath='{.status.succeeded}')"
expect_match "job pod logs readable after completion" 'job-done' "$(k logs job/once)"
cat <<'YAML' | k apply -f - >/dev/null
apiVersion: batch/v1
kind: Job
metadata: {name: indexed}
spec:
  completions: 3
  parallelism: 3
  completionMode: Indexed
  template:
    spec:
      restartPolicy: Never
      containers: [{name: c, image: busybox:1.35, command: ["sh", "-c", "echo index=$JOB_COMPLETION_INDEX"]}]
---
apiVersion: batch/v1
kind: Job
metadata: {name: failing}
spec:
  backoffLimit: 1
  template:
    spec:
      restartPolicy: Never
      containers: [{name: c, image: busybox:1.35, command: ["sh", "-c", "exit 2"]}]
YAML
expect_ok "indexed job completes" k wait --for=condition=complete job/indexed --timeout=90s
expect_eq "all indexes completed" "0-2" "$(k get job indexed -o jsonpath='{.status.completedIndexes}')"
expect_ok "failing job fails after its backoff limit" k wait --for=condition=failed job/failing --timeout=120s
expect_eq "with reason BackoffLimitExceeded" "BackoffLimitExceeded" \
  "$(k get job failing -o jsonpath='{.status.conditions[?(@.type=="Failed")].reason}')"
cat <<'YAML' | k apply -f - >/dev/null
apiVersion: batch/v1
kind: Job
metadata: {name: five}
spec:
  completions: 5
  parallelism: 2
  template:
    spec:
      restartPolicy: Never
      terminationGracePeriodSeconds: 1
      containers: [{name: c, image: busybox:1.35, command: ["sh", "-c", "echo five-done"]}]
YAML
expect_ok "job with completions 5 / parallelism 2 completes" k wait --for=condition=complete job/five --timeout=120s
expect_eq "5 succeeded" "5" "$(k get job five -o jsonpath='{.status.succeeded}')"
expect_eq "its 5 pods' logs are readable" "5" \
  "$(for p in $(k get pods -l job-name=five -o name); do k logs "$p"; done | grep -c five-done)"
k create cronjob tick --image=busybox:1.35 --schedule='* * * * *' -- echo tick >/dev/null
expect_ok "a job created from the cronjob template" k create job tick-now --from=cronjob/tick
expect_ok "that job completes" k wait --for=condition=complete job/tick-now --timeout=90s
last=""
for _ in $(seq 1 150); do
  last=$(k get cronjob tick -o jsonpath='{.status.lastScheduleTime}')
  [ -n "$last" ] && break
  sleep 0.5
done
expect_match "the cronjob schedules a job within a minute" '^20[0-9-]+T' "$last"
expect_match "a job owned by the cronjob exists" 'tick-[0-9]+' "$(k get jobs -o name)"

# --- cleanup through the garbage collector --------------------------------------------------------
k delete deploy/web sts/db ds/agent >/dev/null
for _ in $(seq 1 120); do
  [ "$(k get pods -l 'app in (web,db,agent)' --no-headers 2>/dev/null | wc -l)" == "0" ] && break
  sleep 0.5
done
left=$(k get pods -l 'app in (web,db,agent)' --no-headers 2>/dev/null | wc -l)
[ "$left" == "0" ] || k get pods -l 'app in (web,db,agent)' -o wide
expect_eq "owned pods removed with their owners" "0" "$left"
finish
