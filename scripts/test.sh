#!/usr/bin/env bash
# Fresh machine → every test: installs the Debian packages, builds everything with warnings as
# errors, runs the unit tests and the end-to-end scenarios (real kubectl against the real
# binary) through ctest.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/install-deps.sh
bash scripts/build.sh
ctest --test-dir build --output-on-failure --timeout 900 "$@"
