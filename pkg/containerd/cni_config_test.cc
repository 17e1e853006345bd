#include "pkg/containerd/cni_config.h"

#include <doctest/doctest.h>
#include <sys/stat.h>

#include <boost/json/parse.hpp>
#include <boost/json/value.hpp>
#include <filesystem>

#include "pkg/fsutil/file_util.h"
#include "pkg/containerd/test_util.h"

namespace kc::containerd {
namespace {

namespace json = boost::json;

TEST_CASE("RenderBridgeConflist: bridge + host-local + portmap") {
  auto text = RenderBridgeConflist("10.42.0.0/24", "/data/agent/cni/networks");
  REQUIRE(text.ok());
  json::value v = json::parse(*text);
  const json::object& conf = v.as_object();
  CHECK(conf.at("cniVersion").as_string() == "0.4.0");
  CHECK(conf.at("name").as_string() == "kcluster");
  const json::array& plugins = conf.at("plugins").as_array();
  REQUIRE(plugins.size() == 2);

  const json::object& bridge = plugins[0].as_object();
  CHECK(bridge.at("type").as_string() == "bridge");
  CHECK(bridge.at("bridge").as_string() == "kc0");
  CHECK(bridge.at("isGateway").as_bool());
  CHECK(bridge.at("ipMasq").as_bool());
  CHECK(bridge.at("hairpinMode").as_bool());
  const json::object& ipam = bridge.at("ipam").as_object();
  CHECK(ipam.at("type").as_string() == "host-local");
  CHECK(ipam.at("dataDir").as_string() == "/data/agent/cni/networks");
  const json::array& ranges = ipam.at("ranges").as_array();
  REQUIRE(ranges.size() == 1);
  REQUIRE(ranges[0].as_array().size() == 1);
  CHECK(ranges[0].as_array()[0].as_object().at("subnet").as_string() == "10.42.0.0/24");
  const json::array& routes = ipam.at("routes").as_array();
  REQUIRE(routes.size() == 1);
  CHECK(routes[0].as_object().at("dst").as_string() == "0.0.0.0/0");

  const json::object& portmap = plugins[1].as_object();
  CHECK(portmap.at("type").as_string() == "portmap");
  CHECK(portmap.at("capabilities").as_object().at("portMappings").as_bool());
  CHECK(portmap.at("snat").as_bool());
}

TEST_CASE("RenderBridgeConflist: IPv6 CIDR and custom bridge name") {
  auto text = RenderBridgeConflist("fd00:42::/64", "/ipam", "cni-test0");
  REQUIRE(text.ok());
  json::value v = json::parse(*text);
  const json::object& bridge = v.at("plugins").as_array()[0].as_object();
  CHECK(bridge.at("bridge").as_string() == "cni-test0");
  const json::object& ipam = bridge.at("ipam").as_object();
  CHECK(ipam.at("ranges").as_array()[0].as_array()[0].at("subnet").as_string() == "fd00:42::/64");
  CHECK(ipam.at("routes").as_array()[0].at("dst").as_string() == "::/0");
}

TEST_CASE("RenderBridgeConflist rejects bad input") {
  struct Case {
    const char* cidr;
    const char* dir;
    const char* bridge;
    const char* why;
  };
  const Case cases[] = {
      {"", "/ipam", "kc0", "pod CIDR"},
      {"10.42.0.0", "/ipam", "kc0", "missing /prefix"},
      {"10.42.0.0/", "/ipam", "kc0", "bad prefix"},
      {"10.42.0.0/x", "/ipam", "kc0", "bad prefix"},
      {"10.42.0.0/33", "/ipam", "kc0", "out of range"},
      {"10.42.0.0/31", "/ipam", "kc0", "too long"},
      {"10.42.0.1/24", "/ipam", "kc0", "host bits"},
      {"10.42.300.0/24", "/ipam", "kc0", "bad address"},
      {"fd00::1/64", "/ipam", "kc0", "host bits"},
      {"10.42.0.0/24", "", "kc0", "absolute"},
      {"10.42.0.0/24", "ipam", "kc0", "absolute"},
      {"10.42.0.0/24", "/ipam", "", "bridge name"},
      {"10.42.0.0/24", "/ipam", "a-name-longer-than-15", "bridge name"},
      {"10.42.0.0/24", "/ipam", "kc/0", "bridge name"},
      {"10.42.0.0/24", "/ipam", "kc 0", "bridge name"},
  };
  for (const Case& c : cases) {
    std::string name = std::string(c.cidr) + " | " + c.dir + " | " + c.bridge;
    SUBCASE(name.c_str()) {
      auto r = RenderBridgeConflist(c.cidr, c.dir, c.bridge);
      REQUIRE_FALSE(r.ok());
      CHECK(r.status().reason() == api::Reason::kInvalid);
      INFO(r.status().message());
      CHECK(r.status().message().find(c.why) != std::string::npos);
    }
  }
}

TEST_CASE("WriteCniConfig writes in place via a rename inside the directory") {
  testing::TempDir tmp;
  std::string dir = tmp.path() + "/etc/cni/net.d";
  auto text = RenderBridgeConflist("10.42.0.0/24", "/ipam");
  REQUIRE(text.ok());
  REQUIRE(WriteCniConfig(dir, *text).ok());
  std::string file = dir + "/10-kcluster.conflist";
  auto read = fsutil::ReadFile(file);
  REQUIRE(read.ok());
  CHECK(*read == *text);
  // Only the conflist is left in the directory (no temporary files).
  int entries = 0;
  for (const auto& e : std::filesystem::directory_iterator(dir)) {
    (void)e;
    ++entries;
  }
  CHECK(entries == 1);

  struct stat before {};
  REQUIRE(::stat(file.c_str(), &before) == 0);
  SUBCASE("unchanged contents leave the file alone") {
    REQUIRE(WriteCniConfig(dir, *text).ok());
    struct stat after {};
    REQUIRE(::stat(file.c_str(), &after) == 0);
    CHECK(after.st_ino == before.st_ino);
  }
  SUBCASE("new contents replace it") {
    auto other = RenderBridgeConflist("10.43.0.0/24", "/ipam");
    REQUIRE(other.ok());
    REQUIRE(WriteCniConfig(dir, *other).ok());
    CHECK(*fsutil::ReadFile(file) == *other);
    struct stat after {};
    REQUIRE(::stat(file.c_str(), &after) == 0);
    CHECK(after.st_ino != before.st_ino);  // renamed over, not truncated
  }
}

}  // namespace
}  // namespace kc::containerd
