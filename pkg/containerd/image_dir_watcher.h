// ImageDirWatcher: imports every image tarball dropped into a directory (k3s' "airgap images").
//
// kcluster watches <data-dir>/agent/images/. Start() imports every `*.tar` there synchronously
// (so the pause image is present before the kubelet starts pods), then a thread polls the
// directory every 5 s and imports files that are new or whose size or mtime changed. Each
// import's success or failure is logged; a failed file is retried only when it changes. Files
// modified less than `min_age` ago are left for a later poll (still being copied).
//
// Thread-safety: Start(), Stop() and ScanOnce() may be called from any thread; scans never
// overlap. The importer is called from the calling thread (Start/ScanOnce) or the poll thread.
// The destructor calls Stop().
#pragma once

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <functional>
#include <map>
#include <mutex>
#include <string>
#include <thread>

#include "pkg/api/status.h"
#include "pkg/containerd/image_import.h"

namespace kc::containerd {

class ImageDirWatcher {
 public:
  using Importer = std::function<api::Status(const std::string& path)>;

  struct Options {
    std::string dir;
    std::chrono::milliseconds interval{5000};
    std::chrono::milliseconds min_age{2000};
  };

  // An importer that runs ImportImageTarball against containerd at `socket`.
  static Importer CtrImporter(std::string socket, ImportOptions options = {});

  ImageDirWatcher(Options options, Importer importer);
  ~ImageDirWatcher();
  ImageDirWatcher(const ImageDirWatcher&) = delete;
  ImageDirWatcher& operator=(const ImageDirWatcher&) = delete;

  // Imports what is there now (ignoring min_age), then starts polling. A missing directory is
  // not an error (it is looked for again at every poll).
  void Start();
  void Stop();

  // One pass: imports new or changed files. Returns how many imports were attempted.
  int ScanOnce() { return Scan(/*ignore_min_age=*/false); }

 private:
  struct FileKey {
    std::uintmax_t size = 0;
    std::int64_t mtime_ns = 0;
    bool operator==(const FileKey&) const = default;
  };

  int Scan(bool ignore_min_age);
  void PollLoop();

  const Options options_;
  const Importer importer_;

  std::mutex scan_mu_;                   // serializes scans
  std::map<std::string, FileKey> seen_;  // guarded by scan_mu_: path -> what was imported

  std::mutex mu_;
  std::condition_variable cv_;
  bool stopping_ = false;  // guarded by mu_
  std::thread thread_;     // started/joined under lifecycle_mu_
  std::mutex lifecycle_mu_;
};

}  // namespace kc::containerd
