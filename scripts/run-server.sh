#!/usr/bin/env bash
# Fresh machine → running `kcluster server`: installs the Debian packages, builds, and runs the
# server in the foreground (data in /var/lib/kcluster as root, ~/.kcluster otherwise).
# Extra arguments go to `kcluster server` (KCLUSTER_DATA_DIR overrides the data dir).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/install-deps.sh
bash scripts/build.sh kcluster
# The airgap images (pause, busybox) built from Debian packages, imported by the server at start.
bash scripts/build-images.sh build/images
DATA_DIR="${KCLUSTER_DATA_DIR:-$([ "$(id -u)" -eq 0 ] && echo /var/lib/kcluster || echo "$HOME/.kcluster")}"
mkdir -p "$DATA_DIR/agent/images"
cp build/images/*.tar "$DATA_DIR/agent/images/"
exec ./build/cmd/kcluster server --data-dir "$DATA_DIR" "$@"
