#!/usr/bin/env bash
# Configures and builds kcluster into ./build (Release flags, warnings as errors).
set -euo pipefail
cd "$(dirname "$0")/.."
BUILD_DIR="${BUILD_DIR:-build}"
# Let ccache share objects between checkouts and build dirs (paths are made relative).
export CCACHE_BASEDIR="$PWD" CCACHE_NOHASHDIR=true
cmake -S . -B "$BUILD_DIR" -G Ninja -DCMAKE_BUILD_TYPE="${BUILD_TYPE:-RelWithDebInfo}" \
  -DKC_WERROR="${KC_WERROR:-ON}" >/dev/null
ninja -C "$BUILD_DIR" -j"${JOBS:-$(nproc)}" "$@"
