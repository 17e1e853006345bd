#include "pkg/fsutil/file_util.h"

#include <doctest/doctest.h>
#include <sys/stat.h>

#include <cstdlib>
#include <filesystem>
#include <string>

namespace kc::fsutil {
namespace {

// A fresh directory under /tmp, removed with everything in it.
class TempDir {
 public:
  TempDir() {
    char tmpl[] = "/tmp/kc-fsutil-XXXXXX";
    if (char* d = mkdtemp(tmpl)) path_ = d;
  }
  ~TempDir() {
    std::error_code ec;
    if (!path_.empty()) std::filesystem::remove_all(path_, ec);
  }
  const std::string& path() const { return path_; }
  std::string File(const std::string& name) const { return path_ + "/" + name; }

 private:
  std::string path_;
};

int ModeOf(const std::string& path) {
  struct stat st;
  return ::stat(path.c_str(), &st) == 0 ? static_cast<int>(st.st_mode & 07777) : -1;
}

}  // namespace


TEST_CASE("WriteFileAtomic writes the exact mode whatever the umask") {
  TempDir dir;
  REQUIRE(!dir.path().empty());
  mode_t old = ::umask(0);  // a permissive umask must not widen a key's mode
  SUBCASE("0600") {
    REQUIRE(WriteFileAtomic(dir.File("k"), "secret", 0600).ok());
    CHECK(ModeOf(dir.File("k")) == 0600);
  }
  SUBCASE("0644") {
    REQUIRE(WriteFileAtomic(dir.File("c"), "public", 0644).ok());
    CHECK(ModeOf(dir.File("c")) == 0644);
  }
  ::umask(old);
}

TEST_CASE("WriteFileAtomic replaces content and leaves no temporary files") {
  TempDir dir;
  REQUIRE(WriteFileAtomic(dir.File("f"), "one", 0600).ok());
  REQUIRE(WriteFileAtomic(dir.File("f"), "two", 0600).ok());
  auto data = ReadFile(dir.File("f"));
  REQUIRE(data.ok());
  CHECK(*data == "two");
  int entries = 0;
  for (const auto& e : std::filesystem::directory_iterator(dir.path())) {
    (void)e;
    ++entries;
  }
  CHECK(entries == 1);
}

TEST_CASE("file errors are status values") {
  TempDir dir;
  CHECK(ReadFile(dir.File("missing")).status().reason() == api::Reason::kNotFound);
  CHECK(WriteFileAtomic(dir.File("no/such/dir/f"), "x", 0600).reason() ==
        api::Reason::kInternalError);
  REQUIRE(WriteFileAtomic(dir.File("plain"), "x", 0600).ok());
  CHECK_FALSE(EnsureDirectory(dir.File("plain"), 0700).ok());
  CHECK_FALSE(EnsureDirectory("", 0700).ok());
}

TEST_CASE("EnsureDirectory creates missing parents with the given mode") {
  TempDir dir;
  REQUIRE(EnsureDirectory(dir.File("a/b/c"), 0700).ok());
  CHECK(ModeOf(dir.File("a")) == 0700);
  CHECK(ModeOf(dir.File("a/b/c")) == 0700);
  REQUIRE(::chmod(dir.File("a").c_str(), 0755) == 0);
  REQUIRE(EnsureDirectory(dir.File("a/b/c"), 0700).ok());  // existing: untouched
  CHECK(ModeOf(dir.File("a")) == 0755);
}

}  // namespace kc::fsutil
