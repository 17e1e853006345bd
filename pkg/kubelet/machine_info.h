// MachineInfo: what the node reports about the machine it runs on (cpu count, memory,
// ephemeral storage of the kubelet's root dir, OS image, kernel, hostname, node IP).
//
// Thread-safety: ReadMachineInfo is safe from any thread; MachineInfo is a value type.
#pragma once

#include <cstdint>
#include <string>

namespace kc::kubelet {

struct MachineInfo {
  int64_t cpu_count = 1;
  int64_t memory_bytes = 0;
  int64_t ephemeral_storage_bytes = 0;
  std::string os_image;        // PRETTY_NAME of /etc/os-release
  std::string kernel_version;  // uname -r
  std::string hostname;        // lower-cased
  std::string boot_id;
  std::string machine_id;
  std::string system_uuid;
};

// `root_dir` is statvfs'ed for the ephemeral storage capacity (its nearest existing parent).
MachineInfo ReadMachineInfo(const std::string& root_dir);

// MemTotal of a /proc/meminfo text, in bytes (0 if absent).
int64_t ParseMemTotal(const std::string& meminfo);
// PRETTY_NAME of an os-release text ("Linux" if absent).
std::string ParseOsImage(const std::string& os_release);

// The IPv4 address of the interface holding the default route, else the first non-loopback
// address, else "127.0.0.1".
std::string DetectNodeIp();

}  // namespace kc::kubelet
