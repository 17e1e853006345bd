#!/usr/bin/env bash
# Benchmarks kcluster's API server against a local etcd 3.4 in the same run.
# Usage: [BUILD=build] [SERVER_FLAGS="--disable-controllers ..."] bash bench/run.sh [api_bench flags]   (figures are printed; copy them into the issue note)
set -euo pipefail
cd "$(dirname "$0")/.."
BUILD="${BUILD:-build}"
KC="$BUILD/cmd/kcluster"; BENCH="$BUILD/bench/api_bench"
WORK=$(mktemp -d /tmp/kc-bench.XXXXXX)
cleanup() { kill "${SPID:-}" "${EPID:-}" 2>/dev/null || true; wait 2>/dev/null || true; rm -rf "$WORK"; }
trap cleanup EXIT
PORT=$(/usr/bin/python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')

proc_cpu() { awk '{print $14+$15}' "/proc/$1/stat"; }
proc_rss_kib() { awk '/VmRSS/ {print $2}' "/proc/$1/status"; }

"$KC" server --data-dir "$WORK/data" --https-port "$PORT" --bind-address 127.0.0.1 --disable-agent --disable-kube-proxy --disable-dns ${SERVER_FLAGS:-} >"$WORK/server.log" 2>&1 &
SPID=$!
until curl -sk "https://127.0.0.1:$PORT/readyz" | grep -q ok; do sleep 0.1; done
sleep 2
c0=$(proc_cpu $SPID); sleep 10; c1=$(proc_cpu $SPID)
echo "idle_rss_mib_fresh: $(( $(proc_rss_kib $SPID) / 1024 ))"
echo "idle_cpu_percent_fresh: $(awk -v a="$c0" -v b="$c1" -v hz="$(getconf CLK_TCK)" 'BEGIN{printf "%.2f", (b-a)/hz/10*100}')"

"$BENCH" --kubeconfig "$WORK/data/kubeconfig.yaml" "$@"

sleep 32  # one malloc_trim period
c0=$(proc_cpu $SPID); sleep 10; c1=$(proc_cpu $SPID)
echo "idle_rss_mib_after_load: $(( $(proc_rss_kib $SPID) / 1024 ))"
echo "idle_cpu_percent_after_load: $(awk -v a="$c0" -v b="$c1" -v hz="$(getconf CLK_TCK)" 'BEGIN{printf "%.2f", (b-a)/hz/10*100}')"
echo "db_size_bytes: $(curl -sk --cert "$WORK/data/server/tls/client-admin.crt" --key "$WORK/data/server/tls/client-admin.key" "https://127.0.0.1:$PORT/metrics" | awk '/^kcluster_store_db_size_bytes/ {print $2}')"
kill $SPID; wait $SPID 2>/dev/null || true; SPID=""

if command -v etcd >/dev/null; then
  EPORT=$(/usr/bin/python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
  PPORT=$(/usr/bin/python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
  ETCD_UNSUPPORTED_ARCH=amd64 etcd --data-dir "$WORK/etcd" --listen-client-urls "http://127.0.0.1:$EPORT" \
    --advertise-client-urls "http://127.0.0.1:$EPORT" --listen-peer-urls "http://127.0.0.1:$PPORT" \
    >"$WORK/etcd.log" 2>&1 &
  EPID=$!
  until curl -s "http://127.0.0.1:$EPORT/health" | grep -q true; do sleep 0.2; done
  "$BENCH" --etcd "http://127.0.0.1:$EPORT"
else
  echo "etcd not installed (scripts/install-deps.sh installs etcd-server)"
fi
