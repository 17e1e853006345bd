#!/usr/bin/env bash
# Fresh machine → running `kcluster server`: installs the Debian packages, builds, and runs the
# server in the foreground (data in /var/lib/kcluster as root, ~/.kcluster otherwise).
# Extra arguments go to `kcluster server`.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/install-deps.sh
bash scripts/build.sh kcluster
exec ./build/cmd/kcluster server "$@"
