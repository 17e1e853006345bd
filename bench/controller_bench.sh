#!/usr/bin/env bash
# Controller throughput and idle cost of kcluster's control plane.
#
# Starts `kcluster server --disable-agent --disable-kube-proxy --disable-dns` (no kubelet: pods
# stay Pending and unbound; bench/controller_bench.py marks them Running+Ready through
# pods/status as they appear) and measures: a Deployment of 1,000 replicas → time until the 1,000
# pods exist and until the Deployment reports 1,000 available; then 100 idle Deployments of 1
# replica → the server's CPU over 60 s as % of one core (and a fresh-server baseline before).
# Figures are printed; this is not a test.
#
# Usage: [BUILD=build] [SERVER_FLAGS="..."] bash bench/controller_bench.sh [controller_bench.py flags]
#   e.g. --replicas 1000 --idle-deployments 100 --idle-seconds 60 --baseline-seconds 30
set -uo pipefail
cd "$(dirname "$0")/.."
REPO=$PWD
BUILD="${BUILD:-build}"
KC="$(readlink -f "$BUILD/cmd/kcluster")"
PY=/usr/bin/python3
WORK=$(mktemp -d /tmp/kc-ctrlbench.XXXXXX)
SPID=""
PYPID=""

log() { echo "[$(date +%H:%M:%S)] $*" >&2; }

cleanup() {
  trap - EXIT INT TERM
  [ -n "$PYPID" ] && kill "$PYPID" 2>/dev/null && wait "$PYPID" 2>/dev/null
  if [ -n "$SPID" ] && kill -0 "$SPID" 2>/dev/null; then
    kill -TERM "$SPID" 2>/dev/null
    for _ in $(seq 1 60); do kill -0 "$SPID" 2>/dev/null || break; sleep 0.5; done
    kill -KILL "$SPID" 2>/dev/null
    wait "$SPID" 2>/dev/null
  fi
  rm -rf "$WORK"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

PORT=$($PY -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
# shellcheck disable=SC2086
"$KC" server --data-dir "$WORK/data" --https-port "$PORT" --bind-address 127.0.0.1 \
  --disable-agent --disable-kube-proxy --disable-dns ${SERVER_FLAGS:-} >"$WORK/server.log" 2>&1 &
SPID=$!
for _ in $(seq 1 300); do
  curl -sk "https://127.0.0.1:$PORT/readyz" 2>/dev/null | grep -q ok && [ -f "$WORK/data/kubeconfig.yaml" ] && break
  kill -0 "$SPID" 2>/dev/null || { log "server exited:"; tail -30 "$WORK/server.log" >&2; exit 1; }
  sleep 0.1
done

echo "controller_bench: $(nproc) CPUs, $(uname -r), $KC built $(date -r "$KC" '+%F %T') (HEAD $(git -C "$REPO" rev-parse --short HEAD 2>/dev/null)), flags: --disable-agent --disable-kube-proxy --disable-dns ${SERVER_FLAGS:-}"
$PY "$REPO/bench/controller_bench.py" "$WORK/data" "$PORT" "$SPID" "$@" &
PYPID=$!
wait "$PYPID"  # (in the background so a signal runs the cleanup at once)
rc=$?
PYPID=""
if [ $rc -ne 0 ]; then
  log "controller_bench.py failed ($rc); server log tail:"
  tail -30 "$WORK/server.log" >&2
fi
if [ -n "${KEEP_LOG:-}" ]; then cp "$WORK/server.log" "$KEEP_LOG"; fi
exit $rc
