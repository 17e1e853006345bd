#include "pkg/containerd/cni_config.h"

#include <arpa/inet.h>

#include <boost/json/array.hpp>
#include <boost/json/object.hpp>
#include <boost/json/serialize.hpp>
#include <boost/json/value.hpp>
#include <cstdint>
#include <filesystem>

#include "pkg/fsutil/file_util.h"

namespace kc::containerd {

namespace {

// Checks "<address>/<prefix>" with no host bits set; sets *ipv6.
api::Status CheckCidr(const std::string& cidr, bool* ipv6) {
  auto bad = [&](const std::string& why) {
    return api::Status::Invalid("invalid pod CIDR \"" + cidr + "\": " + why);
  };
  size_t slash = cidr.find('/');
  if (slash == std::string::npos) return bad("missing /prefix");
  std::string addr = cidr.substr(0, slash);
  std::string prefix_text = cidr.substr(slash + 1);
  if (prefix_text.empty() || prefix_text.size() > 3 ||
      prefix_text.find_first_not_of("0123456789") != std::string::npos) {
    return bad("bad prefix length");
  }
  int prefix = std::stoi(prefix_text);
  unsigned char bytes[16];
  int len;
  if (inet_pton(AF_INET, addr.c_str(), bytes) == 1) {
    *ipv6 = false;
    len = 4;
  } else if (inet_pton(AF_INET6, addr.c_str(), bytes) == 1) {
    *ipv6 = true;
    len = 16;
  } else {
    return bad("bad address");
  }
  if (prefix > len * 8) return bad("prefix length out of range");
  // host-local needs at least a gateway and one pod address.
  if (prefix > len * 8 - 2) return bad("prefix too long for a pod network");
  for (int bit = prefix; bit < len * 8; ++bit) {
    if (bytes[bit / 8] & (0x80 >> (bit % 8))) return bad("host bits set");
  }
  return api::Status::Ok();
}

bool ValidInterfaceName(const std::string& name) {
  if (name.empty() || name.size() > 15 || name == "." || name == "..") return false;
  for (char c : name) {
    if (c == '/' || c == ':' || static_cast<unsigned char>(c) <= 0x20 || c == 0x7f) return false;
  }
  return true;
}

}  // namespace

api::Result<std::string> RenderBridgeConflist(const std::string& pod_cidr,
                                              const std::string& ipam_data_dir,
                                              const std::string& bridge_name) {
  bool ipv6 = false;
  if (auto st = CheckCidr(pod_cidr, &ipv6); !st.ok()) return st;
  if (ipam_data_dir.empty() || ipam_data_dir[0] != '/') {
    return api::Status::Invalid("CNI IPAM data dir must be an absolute path, got \"" +
                                ipam_data_dir + "\"");
  }
  if (!ValidInterfaceName(bridge_name)) {
    return api::Status::Invalid("invalid bridge name \"" + bridge_name + "\"");
  }

  boost::json::object range{{"subnet", pod_cidr}};
  boost::json::object ipam{
      {"type", "host-local"},
      {"ranges", boost::json::array{boost::json::array{range}}},
      {"routes", boost::json::array{boost::json::object{{"dst", ipv6 ? "::/0" : "0.0.0.0/0"}}}},
      {"dataDir", ipam_data_dir},
  };
  boost::json::object bridge{
      {"type", "bridge"}, {"bridge", bridge_name}, {"isGateway", true},
      {"ipMasq", true},   {"hairpinMode", true},   {"ipam", ipam},
  };
  boost::json::object portmap{
      {"type", "portmap"},
      {"capabilities", boost::json::object{{"portMappings", true}}},
      {"snat", true},
  };
  boost::json::object conflist{
      {"cniVersion", kCniVersion},
      {"name", kCniNetworkName},
      {"plugins", boost::json::array{bridge, portmap}},
  };
  return boost::json::serialize(conflist) + "\n";
}

api::Status WriteCniConfig(const std::string& dir, const std::string& contents) {
  if (auto st = fsutil::EnsureDirectory(dir, 0755); !st.ok()) return st;
  std::string path = (std::filesystem::path(dir) / kCniConfigFileName).string();
  auto existing = fsutil::ReadFile(path);
  if (existing.ok() && *existing == contents) return api::Status::Ok();
  return fsutil::WriteFileAtomic(path, contents, 0644);
}

}  // namespace kc::containerd
