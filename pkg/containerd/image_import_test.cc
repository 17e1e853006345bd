#include "pkg/containerd/image_import.h"

#include <doctest/doctest.h>

#include <string>

#include "pkg/fsutil/file_util.h"
#include "pkg/containerd/test_util.h"

namespace kc::containerd {
namespace {

// A stand-in for ctr: records its arguments, prints what ctr 1.6 prints, exits with $FAKE_RC.
std::string WriteFakeCtr(const std::string& dir, int rc) {
  std::string path = dir + "/fake-ctr";
  std::string script =
      "#!/bin/sh\n"
      "echo \"$@\" > " +
      dir +
      "/args\n"
      "echo 'unpacking docker.io/library/busybox:1.35 (sha256:26cc27)...done'\n"
      "echo 'unpacking docker.io/library/busybox:latest (sha256:26cc27)...done'\n"
      "echo 'ctr: some failure' >&2\n"
      "exit " +
      std::to_string(rc) + "\n";
  REQUIRE(fsutil::WriteFileAtomic(path, script, 0755).ok());
  return path;
}

TEST_CASE("ImportImageTarball runs ctr import into k8s.io, unpacked into overlayfs") {
  testing::TempDir tmp;
  std::string tarball = tmp.path() + "/busybox.tar";
  REQUIRE(fsutil::WriteFileAtomic(tarball, "tar", 0644).ok());
  ImportOptions options;
  options.ctr_binary = WriteFakeCtr(tmp.path(), 0);
  auto names = ImportImageTarball("/run/x.sock", tarball, options);
  REQUIRE(names.ok());
  CHECK(*names == std::vector<std::string>{"docker.io/library/busybox:1.35",
                                           "docker.io/library/busybox:latest"});
  auto args = fsutil::ReadFile(tmp.path() + "/args");
  REQUIRE(args.ok());
  CHECK(*args == "--address /run/x.sock --namespace k8s.io images import --snapshotter overlayfs " +
                     tarball + "\n");
}

TEST_CASE("ImportImageTarball errors") {
  testing::TempDir tmp;
  SUBCASE("missing file") {
    CHECK(ImportImageTarball("/s", tmp.path() + "/nope.tar").status().reason() ==
          api::Reason::kNotFound);
  }
  SUBCASE("not a regular file") {
    CHECK(ImportImageTarball("/s", tmp.path()).status().reason() == api::Reason::kInvalid);
  }
  SUBCASE("ctr fails: its output is in the message") {
    std::string tarball = tmp.path() + "/x.tar";
    REQUIRE(fsutil::WriteFileAtomic(tarball, "tar", 0644).ok());
    ImportOptions options;
    options.ctr_binary = WriteFakeCtr(tmp.path(), 1);
    auto r = ImportImageTarball("/s", tarball, options);
    REQUIRE_FALSE(r.ok());
    CHECK(r.status().reason() == api::Reason::kInternalError);
    CHECK(r.status().message().find("ctr: some failure") != std::string::npos);
    CHECK(r.status().message().find("exit 1") != std::string::npos);
  }
}

TEST_CASE("CtrArgv prefixes the socket") {
  CHECK(CtrArgv("/d/containerd.sock", {"images", "ls"}) ==
        std::vector<std::string>{"ctr", "--address", "/d/containerd.sock", "images", "ls"});
  CHECK(CtrArgv("/s", {}, "/usr/bin/ctr") ==
        std::vector<std::string>{"/usr/bin/ctr", "--address", "/s"});
}

}  // namespace
}  // namespace kc::containerd
