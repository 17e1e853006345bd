#!/usr/bin/env bash
# Issue 3 end to end: real containerd + runc + CNI, images built from Debian packages, the real
# kubectl. Pods run, and logs/exec/attach/cp/port-forward, probes, back-off, image pulls (local
# registry), OOM kills and a server restart behave as upstream.
source "$(dirname "$0")/lib.sh"
REPO="$(cd "$(dirname "$0")/../.." && pwd)"

IMAGES="${KC_IMAGES_DIR:-$REPO/build/images}"
bash "$REPO/scripts/build-images.sh" "$IMAGES" >/dev/null || { echo "image build failed"; exit 1; }
mkdir -p "$WORK/data/agent/images"
cp "$IMAGES"/*.tar "$WORK/data/agent/images/"


start_server
NODE=$(hostname)

log "waiting for the node to be Ready"
for _ in $(seq 1 120); do
  [ "$(k get node "$NODE" -o jsonpath='{.status.conditions[?(@.type=="Ready")].status}' 2>/dev/null)" == "True" ] && break
  sleep 0.5
done
expect_eq "node $NODE is Ready" "True" \
  "$(k get node "$NODE" -o jsonpath='{.status.conditions[?(@.type=="Ready")].status}')"
expect_match "node has the control-plane role label" "control-plane" "$(k get node "$NODE" --show-labels)"
expect_ok "node lease exists" k -n kube-node-lease get lease "$NODE"

wait_phase() {  # pod phase timeout_s
  for _ in $(seq 1 $(( $3 * 4 ))); do
    [ "$(k get pod "$1" -o jsonpath='{.status.phase}' 2>/dev/null)" == "$2" ] && return 0
    sleep 0.25
  done
  return 1
}

# --- a plain pod ------------------------------------------------------------------------------
k run bb --image=busybox:1.35 --restart=Never -- sh -c 'echo hello-from-bb; sleep 0.5; echo err-line >&2; while true; do sleep 1; done' >/dev/null
if wait_phase bb Running 60; then pass "kubectl run → Running"; else fail "bb not Running: $(k describe pod bb | tail -20)"; fi
expect_match "pod has an IP from the pod CIDR" '^10\.42\.' "$(k get pod bb -o jsonpath='{.status.podIP}')"
expect_eq "container is ready" "true" "$(k get pod bb -o jsonpath='{.status.containerStatuses[0].ready}')"
expect_match "kubectl get shows 1/1 Running" 'bb +1/1 +Running +0' "$(k get pod bb)"
sleep 1
expect_match "kubectl logs" 'hello-from-bb' "$(k logs bb)"
expect_match "kubectl logs has stderr too" 'err-line' "$(k logs bb)"
expect_match "kubectl logs --timestamps" '^20[0-9-]+T[0-9:.]+Z hello-from-bb' "$(k logs bb --timestamps | head -1)"
expect_match "kubectl logs -f streams" 'hello-from-bb' "$(timeout 3 kubectl logs -f bb 2>&1 | head -1)"

# --- exec / attach / cp -----------------------------------------------------------------------
expect_eq "kubectl exec" "hi there" "$(k exec bb -- echo hi there)"
expect_eq "kubectl exec with stdin" "piped-input" "$(echo piped-input | k exec -i bb -- cat)"
out=$(k exec bb -- sh -c 'exit 3' 2>&1); rc=$?
expect_eq "kubectl exec exit code propagated" "3" "$rc"
expect_match "kubectl exec reports the exit code" 'command terminated with exit code 3' "$out"
expect_match "kubectl exec -t gives a tty" 'tty|pts' "$(script -qc "kubectl exec -it bb -- tty" /dev/null </dev/null 2>&1)"
echo "local-file-content" > "$WORK/upload.txt"
expect_ok "kubectl cp to the pod" k cp "$WORK/upload.txt" default/bb:/tmp/upload.txt
expect_eq "file arrived in the pod" "local-file-content" "$(k exec bb -- cat /tmp/upload.txt)"
expect_ok "kubectl cp from the pod" k cp default/bb:/tmp/upload.txt "$WORK/download.txt"
expect_eq "file came back" "local-file-content" "$(cat "$WORK/download.txt" 2>/dev/null)"

k run att --image=busybox:1.35 --restart=Never -- sh -c 'i=0; while true; do echo tick-$i; i=$((i+1)); sleep 1; done' >/dev/null
wait_phase att Running 60
expect_match "kubectl attach sees output" 'tick-' "$(timeout 4 kubectl attach att 2>/dev/null | head -2)"

# --- port-forward to an httpd -------------------------------------------------------------------
cat <<'YAML' | k apply -f - >/dev/null
apiVersion: v1
kind: Pod
metadata: {name: web}
spec:
  initContainers:
  - name: init
    image: busybox:1.35
    command: ["sh", "-c", "echo written-by-init > /www/index.html"]
    volumeMounts: [{name: www, mountPath: /www}]
  containers:
  - name: httpd
    image: busybox:1.35
    command: ["httpd", "-f", "-p", "8080", "-h", "/www"]
    ports: [{containerPort: 8080}]
    volumeMounts: [{name: www, mountPath: /www}]
  volumes:
  - name: www
    emptyDir: {}
YAML
if wait_phase web Running 60; then pass "pod with an init container → Running"; else fail "web: $(k describe pod web | tail -20)"; fi
expect_eq "init container terminated Completed" "Completed" \
  "$(k get pod web -o jsonpath='{.status.initContainerStatuses[0].state.terminated.reason}')"
LPORT=$(free_port)
kubectl port-forward pod/web "$LPORT:8080" >"$WORK/pf.log" 2>&1 &
PF=$!
got=""
for _ in $(seq 1 40); do
  got=$(curl -s --max-time 2 "http://127.0.0.1:$LPORT/index.html" 2>/dev/null) && [ -n "$got" ] && break
  sleep 0.25
done
expect_eq "port-forward reaches the pod's httpd (file written by the init container)" "written-by-init" "$got"
got2=$(curl -s --max-time 2 "http://127.0.0.1:$LPORT/index.html" 2>/dev/null)
expect_eq "port-forward serves a second connection" "written-by-init" "$got2"
kill $PF 2>/dev/null; wait $PF 2>/dev/null

# --- probes, crash loops, scheduling, images, OOM ----------------------------------------------
cat <<'YAML' | k apply -f - >/dev/null
apiVersion: v1
kind: Pod
metadata: {name: live}
spec:
  containers:
  - name: c
    image: busybox:1.35
    command: ["sh", "-c", "sleep 3600"]
    livenessProbe:
      exec: {command: ["cat", "/tmp/healthy"]}
      periodSeconds: 1
      failureThreshold: 1
---
apiVersion: v1
kind: Pod
metadata: {name: crash}
spec:
  containers:
  - name: c
    image: busybox:1.35
    command: ["sh", "-c", "echo crashing; exit 1"]
---
apiVersion: v1
kind: Pod
metadata: {name: huge}
spec:
  containers:
  - name: c
    image: busybox:1.35
    resources: {requests: {cpu: "1000"}}
---
apiVersion: v1
kind: Pod
metadata: {name: noimage}
spec:
  containers:
  - name: c
    image: 127.0.0.1:1/does-not/exist:1
---
apiVersion: v1
kind: Pod
metadata: {name: oom}
spec:
  restartPolicy: Never
  containers:
  - name: c
    image: busybox:1.35
    command: ["sh", "-c", "x=a; while true; do x=$x$x; done"]
    resources: {limits: {memory: "20Mi"}}
YAML
restarts=0
for _ in $(seq 1 60); do
  restarts=$(k get pod live -o jsonpath='{.status.containerStatuses[0].restartCount}' 2>/dev/null)
  [ "${restarts:-0}" -ge 1 ] && break
  sleep 0.5
done
if [ "${restarts:-0}" -ge 1 ]; then pass "failing liveness probe restarts the container ($restarts)"; else fail "liveness restarts: $restarts"; fi

st=""
for _ in $(seq 1 80); do
  st=$(k get pod crash -o jsonpath='{.status.containerStatuses[0].state.waiting.reason}' 2>/dev/null)
  [ "$st" == "CrashLoopBackOff" ] && break
  sleep 0.5
done
expect_eq "crashing container → CrashLoopBackOff" "CrashLoopBackOff" "$st"
# The row flips to Running for a moment at each restart; look until the back-off shows.
row=""
for _ in $(seq 1 60); do
  row=$(k get pod crash --no-headers 2>/dev/null)
  echo "$row" | grep -Eq 'crash +0/1 +CrashLoopBackOff' && break
  sleep 0.5
done
expect_match "kubectl get shows CrashLoopBackOff" 'crash +0/1 +CrashLoopBackOff' "$row"
expect_match "kubectl logs --previous of a crashed container" 'crashing' "$(k logs crash --previous 2>&1)"

sleep 1
expect_eq "unsatisfiable pod stays Pending" "Pending" "$(k get pod huge -o jsonpath='{.status.phase}')"
expect_match "with the upstream scheduler message" '0/1 nodes are available: 1 Insufficient cpu' \
  "$(k get pod huge -o jsonpath='{.status.conditions[?(@.type=="PodScheduled")].message}')"

st=""
for _ in $(seq 1 60); do
  st=$(k get pod noimage -o jsonpath='{.status.containerStatuses[0].state.waiting.reason}' 2>/dev/null)
  [ "$st" == "ImagePullBackOff" ] && break
  sleep 0.5
done
expect_match "missing image → ErrImagePull / ImagePullBackOff" '^(ErrImagePull|ImagePullBackOff)$' "$st"

st=""
for _ in $(seq 1 60); do
  st=$(k get pod oom -o jsonpath='{.status.containerStatuses[0].state.terminated.reason}' 2>/dev/null)
  [ -n "$st" ] && break
  sleep 0.5
done
expect_eq "memory limit enforced: OOMKilled" "OOMKilled" "$st"

# --- a pull from a local registry -------------------------------------------------------------
if command -v docker-registry >/dev/null && command -v skopeo >/dev/null; then
  RPORT=$(free_port)
  mkdir -p "$WORK/registry"
  cat > "$WORK/registry/config.yml" <<YAML
version: 0.1
storage: {filesystem: {rootdirectory: $WORK/registry/data}}
http: {addr: 127.0.0.1:$RPORT}
YAML
  docker-registry serve "$WORK/registry/config.yml" >"$WORK/registry.log" 2>&1 &
  REG=$!
  for _ in $(seq 1 40); do curl -s "http://127.0.0.1:$RPORT/v2/" >/dev/null && break; sleep 0.25; done
  if skopeo copy --quiet --dest-tls-verify=false "docker-archive:$IMAGES/busybox.tar:docker.io/library/busybox:1.35" \
      "docker://127.0.0.1:$RPORT/team/bb:v1" >"$WORK/skopeo.log" 2>&1; then
    k run pulled --image="127.0.0.1:$RPORT/team/bb:v1" --restart=Never -- sh -c 'echo pulled-ok; sleep 3600' >/dev/null
    if wait_phase pulled Running 60; then pass "pod from the local registry pulled and run"; else fail "pulled: $(k describe pod pulled | tail -15)"; fi
    expect_match "imageID is the registry digest" "127.0.0.1:$RPORT/team/bb@sha256:" \
      "$(k get pod pulled -o jsonpath='{.status.containerStatuses[0].imageID}')"
  else
    fail "skopeo could not push to the local registry: $(cat "$WORK/skopeo.log")"
  fi
  kill $REG 2>/dev/null
else
  fail "docker-registry or skopeo missing"
fi

# --- restart the server: running pods are adopted, not recreated --------------------------------
cid_before=$(k get pod bb -o jsonpath='{.status.containerStatuses[0].containerID}')
stop_server TERM
start_server
sleep 3
expect_eq "after a server restart bb still Running" "Running" "$(k get pod bb -o jsonpath='{.status.phase}')"
expect_eq "and its container was not recreated" "$cid_before" \
  "$(k get pod bb -o jsonpath='{.status.containerStatuses[0].containerID}')"
expect_eq "exec still works after the restart" "still-here" "$(k exec bb -- echo still-here)"

# --- deletion stops the containers -------------------------------------------------------------
cid=${cid_before#containerd://}
k delete pod bb --grace-period=1 --wait=true --timeout=60s >/dev/null 2>&1
expect_fail "deleted pod is gone" k get pod bb
expect_eq "its container is gone from containerd" "" \
  "$(ctr --address "$WORK/data/agent/containerd/containerd.sock" -n k8s.io containers ls -q 2>/dev/null | grep "$cid")"

k delete pod --all --grace-period=0 --force >/dev/null 2>&1
finish
