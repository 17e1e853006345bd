#!/usr/bin/python3
"""Packs a root filesystem directory into a single-layer docker-archive image tarball.

Used by scripts/build-images.sh. The output is byte-for-byte reproducible: entries are sorted,
owned by 0:0 with no user/group names, and carry one fixed mtime, so the layer digest, the image
config digest (the image ID) and the archive itself are stable across builds.

Layout (what `docker save` writes and `ctr images import` reads):
  <layer-sha256>/layer.tar   uncompressed tar of the rootfs
  <config-sha256>.json       image config; its sha256 is the image ID
  manifest.json              [{"Config": ..., "RepoTags": [...], "Layers": [...]}]
"""

import argparse
import hashlib
import io
import json
import os
import platform
import stat
import sys
import tarfile

ARCHES = {"x86_64": "amd64", "aarch64": "arm64", "armv7l": "arm", "ppc64le": "ppc64le",
          "s390x": "s390x", "riscv64": "riscv64"}


def tar_info(name, st, mtime):
    info = tarfile.TarInfo(name)
    info.mtime = mtime
    info.uid = info.gid = 0
    info.uname = info.gname = ""
    info.mode = stat.S_IMODE(st.st_mode)
    return info


def build_layer(rootfs, mtime):
    """The layer tar of `rootfs` as bytes."""
    buf = io.BytesIO()
    with tarfile.open(fileobj=buf, mode="w", format=tarfile.GNU_FORMAT) as tar:
        entries = []
        for dirpath, dirnames, filenames in os.walk(rootfs):
            dirnames.sort()
            for name in sorted(dirnames + filenames):
                entries.append(os.path.join(dirpath, name))
        for path in sorted(entries, key=lambda p: os.path.relpath(p, rootfs)):
            rel = os.path.relpath(path, rootfs)
            st = os.lstat(path)
            info = tar_info(rel, st, mtime)
            if stat.S_ISLNK(st.st_mode):
                info.type = tarfile.SYMTYPE
                info.linkname = os.readlink(path)
                info.mode = 0o777
                tar.addfile(info)
            elif stat.S_ISDIR(st.st_mode):
                info.type = tarfile.DIRTYPE
                tar.addfile(info)
            elif stat.S_ISREG(st.st_mode):
                info.size = st.st_size
                with open(path, "rb") as f:
                    tar.addfile(info, f)
            else:
                sys.exit("docker_archive: unsupported file type: " + path)
    return buf.getvalue()


def add_bytes(tar, name, data, mtime, mode=0o644):
    info = tarfile.TarInfo(name)
    info.mtime, info.uid, info.gid, info.uname, info.gname = mtime, 0, 0, "", ""
    info.mode = mode
    info.size = len(data)
    tar.addfile(info, io.BytesIO(data))


def main():
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--rootfs", required=True)
    p.add_argument("--out", required=True)
    p.add_argument("--tag", action="append", required=True, help="repo tag, repeatable")
    p.add_argument("--cmd", default="[]", help="JSON array")
    p.add_argument("--entrypoint", default="[]", help="JSON array")
    p.add_argument("--env", action="append", default=[])
    p.add_argument("--workdir", default="/")
    p.add_argument("--mtime", type=int, default=0)
    args = p.parse_args()

    layer = build_layer(args.rootfs, args.mtime)
    layer_hex = hashlib.sha256(layer).hexdigest()
    created = "1970-01-01T00:00:00Z"
    container_config = {"Env": args.env, "WorkingDir": args.workdir}
    if json.loads(args.cmd):
        container_config["Cmd"] = json.loads(args.cmd)
    if json.loads(args.entrypoint):
        container_config["Entrypoint"] = json.loads(args.entrypoint)
    config = {
        "architecture": ARCHES.get(platform.machine(), platform.machine()),
        "os": "linux",
        "created": created,
        "config": container_config,
        "rootfs": {"type": "layers", "diff_ids": ["sha256:" + layer_hex]},
        "history": [{"created": created, "created_by": "kcluster scripts/build-images.sh"}],
    }
    config_bytes = json.dumps(config, sort_keys=True, separators=(",", ":")).encode()
    config_hex = hashlib.sha256(config_bytes).hexdigest()
    manifest = [{"Config": config_hex + ".json", "RepoTags": args.tag,
                 "Layers": [layer_hex + "/layer.tar"]}]
    manifest_bytes = json.dumps(manifest, separators=(",", ":")).encode()

    tmp = args.out + ".tmp"
    with tarfile.open(tmp, mode="w", format=tarfile.GNU_FORMAT) as tar:
        d = tarfile.TarInfo(layer_hex)
        d.type, d.mode, d.mtime, d.uid, d.gid, d.uname, d.gname = (
            tarfile.DIRTYPE, 0o755, args.mtime, 0, 0, "", "")
        tar.addfile(d)
        add_bytes(tar, layer_hex + "/layer.tar", layer, args.mtime)
        add_bytes(tar, config_hex + ".json", config_bytes, args.mtime)
        add_bytes(tar, "manifest.json", manifest_bytes, args.mtime)
    os.replace(tmp, args.out)
    print("%s: %s (image id sha256:%s)" % (args.out, " ".join(args.tag), config_hex[:12]))


if __name__ == "__main__":
    main()
