#include "pkg/kubelet/machine_info.h"

#include <arpa/inet.h>
#include <ifaddrs.h>
#include <net/if.h>
#include <netinet/in.h>
#include <sys/statvfs.h>
#include <sys/utsname.h>
#include <unistd.h>

#include <cctype>
#include <filesystem>
#include <fstream>
#include <sstream>

namespace kc::kubelet {
namespace {

std::string ReadAll(const std::string& path) {
  std::ifstream in(path);
  if (!in) return "";
  std::ostringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

std::string Trim(std::string s) {
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.back()))) s.pop_back();
  size_t i = 0;
  while (i < s.size() && std::isspace(static_cast<unsigned char>(s[i]))) ++i;
  return s.substr(i);
}

// The interface name of the default route from /proc/net/route.
std::string DefaultRouteInterface() {
  std::istringstream in(ReadAll("/proc/net/route"));
  std::string line;
  std::getline(in, line);  // header
  while (std::getline(in, line)) {
    std::istringstream ls(line);
    std::string iface, dest;
    if (ls >> iface >> dest && dest == "00000000") return iface;
  }
  return "";
}

}  // namespace

int64_t ParseMemTotal(const std::string& meminfo) {
  std::istringstream in(meminfo);
  std::string line;
  while (std::getline(in, line)) {
    if (line.rfind("MemTotal:", 0) != 0) continue;
    std::istringstream ls(line.substr(9));
    int64_t kb = 0;
    std::string unit;
    ls >> kb >> unit;
    return unit == "kB" || unit.empty() ? kb * 1024 : kb;
  }
  return 0;
}

std::string ParseOsImage(const std::string& os_release) {
  std::istringstream in(os_release);
  std::string line;
  while (std::getline(in, line)) {
    if (line.rfind("PRETTY_NAME=", 0) != 0) continue;
    std::string v = Trim(line.substr(12));
    if (v.size() >= 2 && (v.front() == '"' || v.front() == '\'') && v.back() == v.front()) {
      v = v.substr(1, v.size() - 2);
    }
    return v;
  }
  return "Linux";
}

MachineInfo ReadMachineInfo(const std::string& root_dir) {
  MachineInfo m;
  long n = sysconf(_SC_NPROCESSORS_ONLN);
  m.cpu_count = n > 0 ? n : 1;
  m.memory_bytes = ParseMemTotal(ReadAll("/proc/meminfo"));
  std::filesystem::path p(root_dir.empty() ? "/" : root_dir);
  std::error_code ec;
  while (!p.empty() && !std::filesystem::exists(p, ec) && p != p.root_path()) p = p.parent_path();
  struct statvfs vfs;
  if (::statvfs(p.empty() ? "/" : p.c_str(), &vfs) == 0) {
    m.ephemeral_storage_bytes = static_cast<int64_t>(vfs.f_blocks) * vfs.f_frsize;
  }
  m.os_image = ParseOsImage(ReadAll("/etc/os-release"));
  struct utsname u;
  if (uname(&u) == 0) m.kernel_version = u.release;
  char host[256] = {};
  if (gethostname(host, sizeof(host) - 1) == 0) m.hostname = host;
  for (char& c : m.hostname) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  m.boot_id = Trim(ReadAll("/proc/sys/kernel/random/boot_id"));
  m.machine_id = Trim(ReadAll("/etc/machine-id"));
  m.system_uuid = Trim(ReadAll("/sys/class/dmi/id/product_uuid"));
  return m;
}

std::string DetectNodeIp() {
  std::string route_if = DefaultRouteInterface();
  struct ifaddrs* addrs = nullptr;
  if (getifaddrs(&addrs) != 0) return "127.0.0.1";
  std::string first, on_route;
  for (struct ifaddrs* a = addrs; a; a = a->ifa_next) {
    if (!a->ifa_addr || a->ifa_addr->sa_family != AF_INET) continue;
    if (a->ifa_flags & IFF_LOOPBACK) continue;
    char buf[INET_ADDRSTRLEN];
    auto* sin = reinterpret_cast<struct sockaddr_in*>(a->ifa_addr);
    if (!inet_ntop(AF_INET, &sin->sin_addr, buf, sizeof(buf))) continue;
    if (first.empty()) first = buf;
    if (on_route.empty() && route_if == a->ifa_name) on_route = buf;
  }
  freeifaddrs(addrs);
  if (!on_route.empty()) return on_route;
  return first.empty() ? "127.0.0.1" : first;
}

}  // namespace kc::kubelet
