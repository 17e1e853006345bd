#include "pkg/containerd/image_dir_watcher.h"

#include <spdlog/spdlog.h>
#include <sys/stat.h>

#include <algorithm>
#include <filesystem>
#include <set>
#include <system_error>
#include <vector>

namespace kc::containerd {

namespace {

bool IsImageTarball(const std::filesystem::path& p) {
  return p.extension() == ".tar" && p.filename().string().front() != '.';
}

}  // namespace

ImageDirWatcher::Importer ImageDirWatcher::CtrImporter(std::string socket, ImportOptions options) {
  return [socket = std::move(socket), options = std::move(options)](const std::string& path) {
    auto names = ImportImageTarball(socket, path, options);
    if (!names.ok()) return names.status();
    std::string list;
    for (const auto& n : *names) list += (list.empty() ? "" : ", ") + n;
    spdlog::info("images: imported {}: {}", path, list.empty() ? "(no tagged images)" : list);
    return api::Status::Ok();
  };
}

ImageDirWatcher::ImageDirWatcher(Options options, Importer importer)
    : options_(std::move(options)), importer_(std::move(importer)) {}

ImageDirWatcher::~ImageDirWatcher() { Stop(); }

int ImageDirWatcher::Scan(bool ignore_min_age) {
  namespace fs = std::filesystem;
  std::lock_guard<std::mutex> lock(scan_mu_);
  std::error_code ec;
  std::vector<fs::path> files;
  for (fs::directory_iterator it(options_.dir, ec), end; !ec && it != end; it.increment(ec)) {
    if (IsImageTarball(it->path())) files.push_back(it->path());
  }
  std::sort(files.begin(), files.end());  // deterministic order (pause.tar before others, etc.)

  const auto now = std::chrono::system_clock::now();
  std::set<std::string> present;
  int attempts = 0;
  for (const auto& file : files) {
    struct stat st {};
    if (::stat(file.c_str(), &st) != 0 || !S_ISREG(st.st_mode)) continue;
    std::string path = file.string();
    present.insert(path);
    FileKey key{static_cast<std::uintmax_t>(st.st_size),
                static_cast<std::int64_t>(st.st_mtim.tv_sec) * 1000000000 + st.st_mtim.tv_nsec};
    auto it = seen_.find(path);
    if (it != seen_.end() && it->second == key) continue;
    auto mtime = std::chrono::system_clock::time_point(
        std::chrono::duration_cast<std::chrono::system_clock::duration>(
            std::chrono::nanoseconds(key.mtime_ns)));
    if (!ignore_min_age && now - mtime < options_.min_age) continue;  // probably being written
    ++attempts;
    api::Status st_import = importer_(path);
    if (st_import.ok()) {
      spdlog::debug("images: {} imported", path);
    } else {
      spdlog::error("images: importing {} failed: {}", path, st_import.message());
    }
    seen_[path] = key;  // a failed file is retried when it changes
  }
  for (auto it = seen_.begin(); it != seen_.end();) {
    it = present.count(it->first) > 0 ? std::next(it) : seen_.erase(it);
  }
  return attempts;
}

void ImageDirWatcher::Start() {
  std::lock_guard<std::mutex> lifecycle(lifecycle_mu_);
  if (thread_.joinable()) return;
  {
    std::lock_guard<std::mutex> lock(mu_);
    stopping_ = false;
  }
  Scan(/*ignore_min_age=*/true);
  thread_ = std::thread([this] { PollLoop(); });
}

void ImageDirWatcher::Stop() {
  std::lock_guard<std::mutex> lifecycle(lifecycle_mu_);
  {
    std::lock_guard<std::mutex> lock(mu_);
    stopping_ = true;
  }
  cv_.notify_all();
  if (thread_.joinable()) thread_.join();
}

void ImageDirWatcher::PollLoop() {
  while (true) {
    {
      std::unique_lock<std::mutex> lock(mu_);
      if (cv_.wait_for(lock, options_.interval, [&] { return stopping_; })) return;
    }
    Scan(/*ignore_min_age=*/false);
  }
}

}  // namespace kc::containerd
