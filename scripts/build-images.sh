#!/usr/bin/env bash
# Builds kcluster's bundled images as docker-archive tarballs, without docker or a registry:
#
#   OUTDIR/pause.tar    docker.io/kcluster/pause:1  - the pod sandbox image (scripts/images/pause.c,
#                       linked statically; rootfs holds only /pause)
#   OUTDIR/busybox.tar  docker.io/library/busybox:1.35 and :latest - Debian's busybox-static with a
#                       symlink per applet, /etc/passwd and /etc/group
#
# Import them with `kcluster images import FILE` or drop them into <data-dir>/agent/images/.
# The archives are reproducible (sorted entries, owner 0:0, fixed mtime), so image IDs do not
# change between builds. An output newer than all of its inputs is left alone.
#
# Needs gcc with static glibc (libc6-dev), python3 and busybox-static. Env: BUSYBOX (default
# /bin/busybox), CC (default gcc), FORCE=1 rebuilds everything.
set -euo pipefail

if [ $# -ne 1 ]; then
  echo "usage: $0 OUTDIR" >&2
  exit 2
fi
OUTDIR=$1
HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
IMAGES="$HERE/images"
SELF="$HERE/$(basename "${BASH_SOURCE[0]}")"
PYTHON=/usr/bin/python3
[ -x "$PYTHON" ] || PYTHON=python3
CC=${CC:-gcc}
BUSYBOX=${BUSYBOX:-/bin/busybox}
PATH_ENV="PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"

mkdir -p "$OUTDIR"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

# up_to_date OUT INPUT...: OUT exists and is newer than every input.
up_to_date() {
  local out=$1
  shift
  [ "${FORCE:-0}" != 1 ] && [ -f "$out" ] || return 1
  local in
  for in in "$@"; do
    [ "$in" -nt "$out" ] && return 1
  done
  return 0
}

pack() {  # pack ROOTFS OUT ARGS... -> docker_archive.py
  local rootfs=$1 out=$2
  shift 2
  "$PYTHON" "$IMAGES/docker_archive.py" --rootfs "$rootfs" --out "$out" --env "$PATH_ENV" "$@"
}

build_pause() {
  local out="$OUTDIR/pause.tar"
  if up_to_date "$out" "$IMAGES/pause.c" "$IMAGES/docker_archive.py" "$SELF"; then
    echo "$out: up to date"
    return
  fi
  local rootfs="$work/pause"
  mkdir -p "$rootfs"
  "$CC" -static -Os -s -Wall -Wextra -o "$rootfs/pause" "$IMAGES/pause.c"
  chmod 0755 "$rootfs" "$rootfs/pause"
  pack "$rootfs" "$out" --tag docker.io/kcluster/pause:1 --cmd '["/pause"]'
}

build_busybox() {
  local out="$OUTDIR/busybox.tar"
  if [ ! -x "$BUSYBOX" ] || ! file_is_static "$BUSYBOX"; then
    echo "build-images: $BUSYBOX is not a static busybox (apt-get install busybox-static)" >&2
    exit 1
  fi
  if up_to_date "$out" "$BUSYBOX" "$IMAGES/docker_archive.py" "$SELF"; then
    echo "$out: up to date"
    return
  fi
  local rootfs="$work/busybox"
  mkdir -p "$rootfs"/{bin,etc,dev,proc,sys,tmp,root,home,var,usr/bin,usr/sbin,sbin}
  cp "$BUSYBOX" "$rootfs/bin/busybox"
  # Every applet in /bin (as in Docker Hub's busybox) and at its canonical path.
  local applet
  for applet in $("$BUSYBOX" --list); do
    [ "$applet" = busybox ] || [ "$applet" = linuxrc ] || ln -sf /bin/busybox "$rootfs/bin/$applet"
  done
  for applet in $("$BUSYBOX" --list-full); do
    case "$applet" in
      */*) [ -e "$rootfs/$applet" ] || [ -L "$rootfs/$applet" ] || {
             mkdir -p "$rootfs/$(dirname "$applet")"
             ln -s /bin/busybox "$rootfs/$applet"
           } ;;
    esac
  done
  printf 'root:x:0:0:root:/root:/bin/sh\nnobody:x:65534:65534:nobody:/home:/bin/false\n' \
    >"$rootfs/etc/passwd"
  printf 'root:x:0:\nnobody:x:65534:\n' >"$rootfs/etc/group"
  find "$rootfs" -type d -exec chmod 0755 {} +
  chmod 0644 "$rootfs/etc/passwd" "$rootfs/etc/group"
  chmod 0755 "$rootfs/bin/busybox"
  chmod 1777 "$rootfs/tmp"
  chmod 0700 "$rootfs/root"
  pack "$rootfs" "$out" --tag docker.io/library/busybox:1.35 --tag docker.io/library/busybox:latest \
    --cmd '["sh"]'
}

# True when the ELF file has no program interpreter (statically linked).
file_is_static() {
  ! LC_ALL=C grep -q -a '/lib64/ld-linux\|/lib/ld-linux\|ld-musl' "$1"
}

build_pause
build_busybox
