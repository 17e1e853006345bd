#!/usr/bin/env bash
# Pod startup latency of a one-node kcluster (real containerd + runc + CNI).
#
# Starts `kcluster server` in a temporary data dir with the bundled images
# (scripts/build-images.sh → <data-dir>/agent/images), waits for the node to be Ready, then
# bench/pod_startup.py measures POST → Running (seen on a watch) for: one warm-up pod, 1 pod x10
# sequential runs, 10 pods at once, 100 pods at once (p50/p99 per pod and time until all are
# Running), and the RSS of the server and of containerd (and the shims) with the 100 pods
# running. Pods: busybox:1.35 `sleep 3600`, terminationGracePeriodSeconds 0.
# Everything is torn down at the end (pods deleted, containerd tasks gone, server stopped,
# leftovers killed by pid, the empty pod cgroups the kubelet leaves removed, mounts under the
# data dir lazily unmounted). Figures are printed;
# this is not a test.
#
# Usage: [BUILD=build] [SERVER_FLAGS="..."] [SEQ=10] [BURST=10,100] [WAIT_FOR_NODE=1800]
#        [PERF_OUT=/tmp/pods.perf.data] [KEEP_LOGS=DIR] bash bench/pod_startup.sh
# KEEP_LOGS=DIR: copy server.log and containerd.log there before the data dir is removed.
# PERF_OUT: also `perf record -a -g` the whole machine during the largest burst (a diagnostic).
# The script first waits up to WAIT_FOR_NODE seconds for other kcluster nodes on the machine
# (their containerd) to go away: they would share the CPUs, the kc0 bridge and the pod CIDR.
# SERVER_FLAGS defaults to "--disable-kube-proxy --disable-dns": neither is on the pod start-up
# path, and both change host-wide state (the KUBE-* chains of the host's iptables, 10.43.0.10
# on lo) that other kcluster servers on the same machine share. SERVER_FLAGS="" runs them too.
set -uo pipefail
cd "$(dirname "$0")/.."
REPO=$PWD
BUILD="${BUILD:-build}"
KC="$(readlink -f "$BUILD/cmd/kcluster")"
SERVER_FLAGS="${SERVER_FLAGS---disable-kube-proxy --disable-dns}"
PY=/usr/bin/python3
WORK=$(mktemp -d /tmp/kc-podbench.XXXXXX)
DATA="$WORK/data"
SOCK="$DATA/agent/containerd/containerd.sock"
SPID=""
PYPID=""

log() { echo "[$(date +%H:%M:%S)] $*" >&2; }

# Processes that belong to this run: containerd and shims name the data dir on their command line.
own_pids() {
  $PY -c 'import os, sys; sys.dont_write_bytecode = True; sys.path.insert(0, sys.argv[1]); import kcapi
print(" ".join(str(p) for p in kcapi.pids_with_cmdline(sys.argv[2]) if p != os.getpid()))' \
    "$REPO/bench" "$WORK/"
}

ctr_tasks() { ctr --address "$SOCK" -n k8s.io tasks ls -q 2>/dev/null; }

cleanup() {
  trap - EXIT INT TERM
  [ -n "$PYPID" ] && kill "$PYPID" 2>/dev/null && wait "$PYPID" 2>/dev/null
  if [ -n "$SPID" ] && kill -0 "$SPID" 2>/dev/null && [ -S "$SOCK" ]; then
    log "cleanup: deleting pods"
    KUBECONFIG="$DATA/kubeconfig.yaml" kubectl delete pods --all -A --grace-period=0 --force \
      --wait=false >/dev/null 2>&1
    for _ in $(seq 1 240); do
      [ -z "$(ctr_tasks | head -1)" ] && break
      sleep 0.5
    done
    # Whatever the kubelet did not stop: kill and delete through containerd while it still runs.
    for t in $(ctr_tasks); do
      ctr --address "$SOCK" -n k8s.io tasks kill -s KILL "$t" >/dev/null 2>&1
    done
    sleep 1
    for t in $(ctr_tasks); do
      ctr --address "$SOCK" -n k8s.io tasks delete -f "$t" >/dev/null 2>&1
    done
  fi
  if [ -n "$SPID" ] && kill -0 "$SPID" 2>/dev/null; then
    log "cleanup: stopping the server"
    kill -TERM "$SPID" 2>/dev/null
    for _ in $(seq 1 60); do kill -0 "$SPID" 2>/dev/null || break; sleep 0.5; done
    kill -KILL "$SPID" 2>/dev/null
    wait "$SPID" 2>/dev/null
  fi
  if [ -n "${KEEP_LOGS:-}" ]; then
    mkdir -p "$KEEP_LOGS" && cp "$WORK/server.log" "$DATA/agent/containerd/containerd.log" "$KEEP_LOGS/" 2>/dev/null
  fi
  local left
  left=$(own_pids)
  if [ -n "$left" ]; then
    log "cleanup: killing leftovers $(echo $left)"
    kill -KILL $left 2>/dev/null
    sleep 0.5
  fi
  # The kubelet leaves the (empty) pod-level cgroups behind: remove those of this run's pods.
  if [ -s "$WORK/pod-uids" ]; then
    local uid d
    while read -r uid; do
      for d in /sys/fs/cgroup/*/kubepods/*/pod"$uid" /sys/fs/cgroup/*/kubepods/pod"$uid" \
               /sys/fs/cgroup/kubepods/*/pod"$uid" /sys/fs/cgroup/kubepods/pod"$uid"; do
        [ -d "$d" ] && { rmdir "$d" 2>/dev/null || log "cleanup: could not remove cgroup $d"; }
      done
    done <"$WORK/pod-uids"
  fi
  grep " $WORK/" /proc/mounts | awk '{print $2}' | sort -r | xargs -r umount -l 2>/dev/null
  if grep -q " $WORK/" /proc/mounts; then log "cleanup: mounts left under $WORK"; fi
  rm -rf "$WORK" 2>/dev/null || log "cleanup: could not remove $WORK"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# Other kcluster nodes on this machine share the kc0 bridge and the pod CIDR (and the CPUs):
# wait for them to finish instead of measuring them too.
other_nodes() { pgrep -f 'containerd --config /.*/agent/containerd/config.toml' | grep -vxF "$(own_pids | tr ' ' '\n')" ; }
for i in $(seq 1 "${WAIT_FOR_NODE:-1800}"); do
  [ -z "$(other_nodes)" ] && break
  [ "$i" = 1 ] && log "another kcluster node is running (containerd pids $(other_nodes | xargs)); waiting for it to stop"
  sleep 1
done
if [ -n "$(other_nodes)" ]; then log "another kcluster node is still running"; exit 1; fi

IMAGES="${KC_IMAGES_DIR:-$REPO/build/images}"
bash "$REPO/scripts/build-images.sh" "$IMAGES" >/dev/null || { log "image build failed"; exit 1; }
mkdir -p "$DATA/agent/images"
cp "$IMAGES"/*.tar "$DATA/agent/images/"

PORT=$($PY -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
log "starting kcluster server (data dir $DATA, port $PORT, flags: ${SERVER_FLAGS:-none})"
# shellcheck disable=SC2086
"$KC" server --data-dir "$DATA" --https-port "$PORT" --bind-address 127.0.0.1 $SERVER_FLAGS \
  >"$WORK/server.log" 2>&1 &
SPID=$!
for _ in $(seq 1 300); do
  curl -sk "https://127.0.0.1:$PORT/readyz" 2>/dev/null | grep -q ok && [ -f "$DATA/kubeconfig.yaml" ] && break
  kill -0 "$SPID" 2>/dev/null || { log "server exited:"; tail -30 "$WORK/server.log" >&2; exit 1; }
  sleep 0.1
done

echo "pod_startup: $(nproc) CPUs, $(uname -r), $KC built $(date -r "$KC" '+%F %T') (HEAD $(git -C "$REPO" rev-parse --short HEAD 2>/dev/null)), server flags: ${SERVER_FLAGS:-none}"
$PY "$REPO/bench/pod_startup.py" "$DATA" "$PORT" "$SPID" --seq "${SEQ:-10}" --burst "${BURST:-10,100}" --uid-file "$WORK/pod-uids" \
  ${PERF_OUT:+--perf "$PERF_OUT"} &
PYPID=$!
wait "$PYPID"  # (in the background so a signal runs the cleanup at once)
rc=$?
PYPID=""
if [ $rc -ne 0 ]; then
  log "pod_startup.py failed ($rc); server log tail:"
  tail -30 "$WORK/server.log" >&2
fi
grep -E '"level":"(warn|error)"|\[(warning|error)\]' "$WORK/server.log" | tail -5 | sed 's/^/server log: /' >&2
exit $rc
