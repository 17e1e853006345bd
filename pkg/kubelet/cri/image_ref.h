// Image reference normalisation with the docker reference rules containerd applies to every CRI
// call (reference §6.1), so the kubelet can store and compare fully-qualified names.
//
// Thread-safety: pure functions.
#pragma once

#include <string>

#include "pkg/api/status.h"

namespace kc::cri {

// "busybox:1.35" → "docker.io/library/busybox:1.35"; "k3st/pause:1" → "docker.io/k3st/pause:1";
// a first component containing '.' or ':' or equal to "localhost" is a registry and is kept;
// no tag and no digest → ":latest"; "name@sha256:…" digests are kept, and a tag given together
// with a digest is dropped (containerd's ParseDockerRef). The registry "index.docker.io" is
// rewritten to "docker.io". Malformed references (empty, upper-case repository, bad characters,
// empty components, bad tag or digest) → BadRequest.
api::Result<std::string> NormalizeImageName(const std::string& ref);

}  // namespace kc::cri
