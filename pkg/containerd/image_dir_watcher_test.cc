#include "pkg/containerd/image_dir_watcher.h"

#include <doctest/doctest.h>
#include <sys/stat.h>
#include <sys/time.h>

#include <atomic>
#include <mutex>
#include <thread>
#include <vector>

#include "pkg/fsutil/file_util.h"
#include "pkg/containerd/test_util.h"

namespace kc::containerd {
namespace {

using std::chrono::milliseconds;

// Records the paths it is asked to import; fails for names containing "bad".
struct FakeImporter {
  std::mutex mu;
  std::vector<std::string> calls;

  ImageDirWatcher::Importer Fn() {
    return [this](const std::string& path) {
      std::lock_guard<std::mutex> lock(mu);
      calls.push_back(path);
      if (path.find("bad") != std::string::npos) return api::Status::Internal("broken tarball");
      return api::Status::Ok();
    };
  }
  std::vector<std::string> Take() {
    std::lock_guard<std::mutex> lock(mu);
    return std::exchange(calls, {});
  }
};

void Write(const std::string& path, const std::string& data) {
  REQUIRE(fsutil::WriteFileAtomic(path, data, 0644).ok());
}

void SetMtime(const std::string& path, time_t seconds) {
  timeval times[2] = {{seconds, 0}, {seconds, 0}};
  REQUIRE(::utimes(path.c_str(), times) == 0);
}

TEST_CASE("ImageDirWatcher imports new and changed *.tar files once") {
  testing::TempDir tmp;
  const std::string dir = tmp.path();
  FakeImporter importer;
  ImageDirWatcher watcher({dir, milliseconds(3600000), milliseconds(0)}, importer.Fn());

  Write(dir + "/b.tar", "b");
  Write(dir + "/a.tar", "a");
  Write(dir + "/notes.txt", "not an image");
  Write(dir + "/.hidden.tar", "partial");
  CHECK(watcher.ScanOnce() == 2);
  CHECK(importer.Take() == std::vector<std::string>{dir + "/a.tar", dir + "/b.tar"});

  CHECK(watcher.ScanOnce() == 0);  // nothing changed
  CHECK(importer.Take().empty());

  SUBCASE("changed size") {
    Write(dir + "/a.tar", "aa");
    CHECK(watcher.ScanOnce() == 1);
    CHECK(importer.Take() == std::vector<std::string>{dir + "/a.tar"});
  }
  SUBCASE("changed mtime only") {
    SetMtime(dir + "/b.tar", 1000000);
    CHECK(watcher.ScanOnce() == 1);
    CHECK(importer.Take() == std::vector<std::string>{dir + "/b.tar"});
  }
  SUBCASE("a failed import is retried only after the file changes") {
    Write(dir + "/bad.tar", "x");
    CHECK(watcher.ScanOnce() == 1);
    CHECK(watcher.ScanOnce() == 0);
    Write(dir + "/bad.tar", "xy");
    CHECK(watcher.ScanOnce() == 1);
    CHECK(importer.Take() == std::vector<std::string>{dir + "/bad.tar", dir + "/bad.tar"});
  }
  SUBCASE("a removed and re-added file is imported again") {
    std::filesystem::remove(dir + "/a.tar");
    CHECK(watcher.ScanOnce() == 0);
    Write(dir + "/a.tar", "a");
    SetMtime(dir + "/a.tar", 2000000);
    CHECK(watcher.ScanOnce() == 1);
  }
}

TEST_CASE("ImageDirWatcher leaves files that are still being written for later") {
  testing::TempDir tmp;
  FakeImporter importer;
  ImageDirWatcher watcher({tmp.path(), milliseconds(3600000), milliseconds(60000)}, importer.Fn());
  Write(tmp.path() + "/fresh.tar", "x");
  CHECK(watcher.ScanOnce() == 0);
  SetMtime(tmp.path() + "/fresh.tar", 1000000);  // long ago
  CHECK(watcher.ScanOnce() == 1);
}

TEST_CASE("ImageDirWatcher Start imports synchronously, then polls") {
  testing::TempDir tmp;
  const std::string dir = tmp.path() + "/images";  // created later
  FakeImporter importer;
  ImageDirWatcher watcher({dir, milliseconds(50), milliseconds(0)}, importer.Fn());
  watcher.Start();  // missing directory: fine
  CHECK(importer.Take().empty());

  std::filesystem::create_directories(dir);
  Write(dir + "/pause.tar", "p");
  std::vector<std::string> seen;
  for (int i = 0; i < 200 && seen.empty(); ++i) {
    std::this_thread::sleep_for(milliseconds(10));
    seen = importer.Take();
  }
  CHECK(seen == std::vector<std::string>{dir + "/pause.tar"});
  watcher.Stop();
  watcher.Stop();  // idempotent

  // A new watcher imports what is already there during Start(), before returning.
  FakeImporter second;
  ImageDirWatcher again({dir, milliseconds(3600000), milliseconds(60000)}, second.Fn());
  again.Start();
  CHECK(second.Take() == std::vector<std::string>{dir + "/pause.tar"});
}

}  // namespace
}  // namespace kc::containerd
