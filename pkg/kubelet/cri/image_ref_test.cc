#include "pkg/kubelet/cri/image_ref.h"

#include <doctest/doctest.h>

namespace kc::cri {
namespace {

TEST_CASE("NormalizeImageName follows the docker reference rules") {
  const std::string kDigest =
      "sha256:26cc271bccfa1fd9e1d4b6ad03e6ab1a0e1ba0ac7f5e7d7e1a3d3c0ab6a1c4e2";
  struct Case {
    const char* in;
    std::string want;
  };
  const Case cases[] = {
      {"busybox", "docker.io/library/busybox:latest"},
      {"busybox:1.35", "docker.io/library/busybox:1.35"},
      {"library/busybox:1.35", "docker.io/library/busybox:1.35"},
      {"docker.io/busybox", "docker.io/library/busybox:latest"},
      {"docker.io/library/busybox:1.35", "docker.io/library/busybox:1.35"},
      {"index.docker.io/busybox:1", "docker.io/library/busybox:1"},
      {"k3st/pause:1", "docker.io/k3st/pause:1"},
      {"k3st/pause", "docker.io/k3st/pause:latest"},
      {"myreg.example:5000/team/app:2", "myreg.example:5000/team/app:2"},
      {"127.0.0.1:5077/team/app:2", "127.0.0.1:5077/team/app:2"},
      {"localhost/app", "localhost/app:latest"},
      {"localhost:5000/app:v1", "localhost:5000/app:v1"},
      {"quay.io/coreos/etcd:v3.5.0", "quay.io/coreos/etcd:v3.5.0"},
      {"registry.k8s.io/pause:3.9", "registry.k8s.io/pause:3.9"},
      {"a/b/c/d", "docker.io/a/b/c/d:latest"},
      {"my_app-x.y__z:T_1.0-rc", "docker.io/library/my_app-x.y__z:T_1.0-rc"},
  };
  for (const auto& c : cases) {
    SUBCASE(c.in) {
      auto got = NormalizeImageName(c.in);
      REQUIRE_MESSAGE(got.ok(), got.status().message());
      CHECK(*got == c.want);
    }
  }
  SUBCASE("digests are kept, a tag next to a digest is dropped") {
    auto a = NormalizeImageName("busybox@" + kDigest);
    REQUIRE(a.ok());
    CHECK(*a == "docker.io/library/busybox@" + kDigest);
    auto b = NormalizeImageName("busybox:1.35@" + kDigest);
    REQUIRE(b.ok());
    CHECK(*b == "docker.io/library/busybox@" + kDigest);
    auto c = NormalizeImageName("myreg.example:5000/team/app@" + kDigest);
    REQUIRE(c.ok());
    CHECK(*c == "myreg.example:5000/team/app@" + kDigest);
  }
}

TEST_CASE("NormalizeImageName rejects malformed references") {
  const char* bad[] = {
      "",
      "Busybox",                  // upper-case repository
      "docker.io/Library/busybox",
      "busybox:",                 // empty tag
      "busybox:-x",               // tag must start with a word character
      "busybox@sha256:abc",       // short digest
      "busybox@sha256:" "ZZcc271bccfa1fd9e1d4b6ad03e6ab1a0e1ba0ac7f5e7d7e1a3d3c0ab6a1c4e2",
      "busybox@",                 // empty digest
      "a//b",                     // empty path component
      "/busybox",
      "busybox/",
      "bad-.name",
      "-busybox",
      "myreg.example:port/app",   // non-numeric port
      ":1.0",
      "busy box",
  };
  for (const char* ref : bad) {
    SUBCASE(ref) {
      auto got = NormalizeImageName(ref);
      CHECK_FALSE(got.ok());
      CHECK(got.status().reason() == api::Reason::kBadRequest);
    }
  }
  SUBCASE("too long") {
    auto got = NormalizeImageName(std::string(300, 'a'));
    CHECK_FALSE(got.ok());
  }
}

}  // namespace
}  // namespace kc::cri
