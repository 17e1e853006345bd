# Shared helpers for the end-to-end scenarios: start a fresh `kcluster server` in a temporary
# data dir on a free port, drive it with the real kubectl, and assert on the results.
# Usage: source lib.sh; start_server; ...; (cleanup runs on exit)
set -uo pipefail

KCLUSTER="${1:-${KCLUSTER:-kcluster}}"
KCLUSTER="$(readlink -f "$KCLUSTER" 2>/dev/null || echo "$KCLUSTER")"
WORK="$(mktemp -d /tmp/kc-e2e.XXXXXX)"
export KUBECACHEDIR="$WORK/kube-cache"
export KUBECONFIG="$WORK/data/kubeconfig.yaml"
SERVER_PID=""
FAILURES=0
PASSES=0

log() { echo "[$(date +%H:%M:%S)] $*"; }

free_port() {
  /usr/bin/python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()'
}

start_server() {
  PORT="${PORT:-$(free_port)}"
  "$KCLUSTER" server --data-dir "$WORK/data" --https-port "$PORT" --bind-address 127.0.0.1 \
    "$@" >>"$WORK/server.log" 2>&1 &
  SERVER_PID=$!
  for _ in $(seq 1 100); do
    if curl -sk "https://127.0.0.1:$PORT/readyz" 2>/dev/null | grep -q ok && [ -f "$KUBECONFIG" ]; then
      return 0
    fi
    if ! kill -0 "$SERVER_PID" 2>/dev/null; then
      echo "server exited early:"; tail -30 "$WORK/server.log"; exit 1
    fi
    sleep 0.1
  done
  echo "server did not become ready"; tail -30 "$WORK/server.log"; exit 1
}

stop_server() {
  local sig="${1:-TERM}"
  if [ -n "$SERVER_PID" ] && kill -0 "$SERVER_PID" 2>/dev/null; then
    kill -"$sig" "$SERVER_PID" 2>/dev/null
    wait "$SERVER_PID" 2>/dev/null
  fi
  SERVER_PID=""
}

# Node teardown for tests that run pods: pods deleted through the API (the kubelet stops their
# sandboxes, so CNI releases IPs and netns), then whatever is left is killed and unmounted.
drain_node() {
  local sock="$WORK/data/agent/containerd/containerd.sock"
  [ -S "$sock" ] || return 0
  if [ -n "$SERVER_PID" ] && kill -0 "$SERVER_PID" 2>/dev/null; then
    kubectl delete pods --all -A --grace-period=0 --force --wait=false >/dev/null 2>&1
    for _ in $(seq 1 60); do
      [ -z "$(ctr --address "$sock" -n k8s.io tasks ls -q 2>/dev/null | head -1)" ] && break
      sleep 0.5
    done
  fi
  stop_server TERM
  for t in $(ctr --address "$sock" -n k8s.io tasks ls -q 2>/dev/null); do
    ctr --address "$sock" -n k8s.io tasks kill -s KILL "$t" >/dev/null 2>&1
  done
  pkill -f "containerd --config $WORK/data/agent/containerd" 2>/dev/null
  sleep 0.5
  grep " $WORK/" /proc/mounts | awk '{print $2}' | sort -r | xargs -r umount -l 2>/dev/null
}

cleanup() {
  drain_node
  stop_server KILL
  if [ "$FAILURES" -ne 0 ]; then
    echo "---- server log (tail) ----"; tail -50 "$WORK/server.log" 2>/dev/null
  fi
  rm -rf "$WORK"
}
trap cleanup EXIT

k() { kubectl "$@"; }

# Client certificate args for curl against the API.
curl_api() {
  local tls="$WORK/data/server/tls"
  curl -s --cacert "$tls/server-ca.crt" --cert "$tls/client-admin.crt" --key "$tls/client-admin.key" \
    "$@"
}

pass() { PASSES=$((PASSES + 1)); log "ok   - $*"; }
fail() { FAILURES=$((FAILURES + 1)); log "FAIL - $*"; }

# expect_eq DESC EXPECTED ACTUAL
expect_eq() {
  if [ "$2" == "$3" ]; then pass "$1"; else fail "$1: expected [$2], got [$3]"; fi
}
# expect_match DESC REGEX TEXT
expect_match() {
  if echo "$3" | grep -Eq -- "$2"; then pass "$1"; else fail "$1: [$3] does not match /$2/"; fi
}
# expect_ok DESC CMD...
expect_ok() {
  local desc="$1"; shift
  local out
  if out=$("$@" 2>&1); then pass "$desc"; else fail "$desc: exit $?: $out"; fi
}
expect_fail() {
  local desc="$1"; shift
  local out
  if out=$("$@" 2>&1); then fail "$desc: unexpectedly succeeded: $out"; else pass "$desc"; fi
}

finish() {
  echo "$PASSES passed, $FAILURES failed"
  [ "$FAILURES" -eq 0 ]
  exit $?
}
