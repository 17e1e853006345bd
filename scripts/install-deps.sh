#!/usr/bin/env bash
# Installs every Debian package kcluster's build, run, tests and benchmarks need.
# Idempotent: packages already present are skipped; apt-get update runs only when needed.
set -euo pipefail

PKGS=(
  # build
  build-essential cmake ninja-build pkg-config ccache
  libboost1.81-dev libboost-json1.81-dev libssl-dev libsqlite3-dev libsimdjson-dev libyaml-cpp-dev
  libfmt-dev libspdlog-dev libcli11-dev doctest-dev libcurl4-openssl-dev zlib1g-dev
  libgrpc++-dev libprotobuf-dev protobuf-compiler protobuf-compiler-grpc libldns-dev libmimalloc-dev
  # run
  openssl iptables iproute2 ca-certificates conntrack
  containerd runc containernetworking-plugins
  # tests and benchmarks
  curl jq wrk etcd-server etcd-client procps psmisc
  busybox-static skopeo docker-registry
)

missing=()
for p in "${PKGS[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done

if [ ${#missing[@]} -eq 0 ]; then
  echo "install-deps: all ${#PKGS[@]} packages present"
  exit 0
fi

SUDO=""
[ "$(id -u)" -eq 0 ] || SUDO="sudo"
export DEBIAN_FRONTEND=noninteractive
echo "install-deps: installing ${missing[*]}"
$SUDO apt-get update -qq
$SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}"
