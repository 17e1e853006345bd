#include "pkg/kubelet/atomic_writer.h"

#include <sys/stat.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>
#include <vector>

namespace kc::kubelet {
namespace fs = std::filesystem;

namespace {

constexpr char kDataLink[] = "..data";

bool ReadFile(const fs::path& p, std::string* out) {
  std::ifstream in(p, std::ios::binary);
  if (!in) return false;
  std::ostringstream ss;
  ss << in.rdbuf();
  *out = ss.str();
  return true;
}

// Whether <dir>/..data holds exactly `payload` (contents and modes).
bool SameAsCurrent(const fs::path& dir, const std::map<std::string, FileProjection>& payload) {
  std::error_code ec;
  fs::path data = dir / kDataLink;
  if (!fs::is_symlink(data, ec)) return false;
  size_t count = 0;
  for (auto it = fs::recursive_directory_iterator(data, ec);
       !ec && it != fs::recursive_directory_iterator(); it.increment(ec)) {
    if (it->is_regular_file()) count++;
  }
  if (ec || count != payload.size()) return false;
  for (const auto& [rel, file] : payload) {
    std::string content;
    if (!ReadFile(data / rel, &content) || content != file.data) return false;
    struct stat st;
    if (::stat((data / rel).c_str(), &st) != 0 || (st.st_mode & 07777) != (file.mode & 07777)) {
      return false;
    }
  }
  return true;
}

std::string TimestampDirName() {
  auto now = std::chrono::system_clock::now();
  std::time_t t = std::chrono::system_clock::to_time_t(now);
  std::tm tm{};
  gmtime_r(&t, &tm);
  auto ns = std::chrono::duration_cast<std::chrono::nanoseconds>(now.time_since_epoch()).count() %
            1000000000;
  char buf[64];
  std::snprintf(buf, sizeof(buf), "..%04d_%02d_%02d_%02d_%02d_%02d.%09lld", tm.tm_year + 1900,
                tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec,
                static_cast<long long>(ns));
  return buf;
}

}  // namespace

bool IsSafeRelativePath(const std::string& rel) {
  if (rel.empty() || rel[0] == '/') return false;
  std::stringstream ss(rel);
  std::string part;
  while (std::getline(ss, part, '/')) {
    if (part == "..") return false;
  }
  return true;
}

api::Status MakeDirs(const std::string& path, int mode) {
  std::error_code ec;
  fs::create_directories(path, ec);
  if (ec) return api::Status::Internal("mkdir " + path + ": " + ec.message());
  ::chmod(path.c_str(), mode);
  return {};
}

api::Status RemoveAll(const std::string& path) {
  std::error_code ec;
  fs::remove_all(path, ec);
  if (ec) return api::Status::Internal("remove " + path + ": " + ec.message());
  return {};
}

api::Status WriteAtomically(const std::string& dir_str,
                            const std::map<std::string, FileProjection>& payload, bool* changed) {
  if (changed) *changed = false;
  fs::path dir(dir_str);
  for (const auto& [rel, file] : payload) {
    if (!IsSafeRelativePath(rel) || rel.rfind("..", 0) == 0) {
      return api::Status::Invalid("invalid file path " + rel);
    }
  }
  if (api::Status s = MakeDirs(dir_str); !s.ok()) return s;
  if (SameAsCurrent(dir, payload)) return {};

  std::error_code ec;
  std::string ts_name = TimestampDirName();
  fs::path ts_dir = dir / ts_name;
  fs::create_directory(ts_dir, ec);
  if (ec) return api::Status::Internal("mkdir " + ts_dir.string() + ": " + ec.message());
  ::chmod(ts_dir.c_str(), 0755);
  for (const auto& [rel, file] : payload) {
    fs::path p = ts_dir / rel;
    fs::create_directories(p.parent_path(), ec);
    std::ofstream out(p, std::ios::binary | std::ios::trunc);
    out << file.data;
    out.close();
    if (!out) return api::Status::Internal("write " + p.string() + " failed");
    ::chmod(p.c_str(), file.mode & 07777);
  }

  // Swap ..data to the new version with one rename.
  fs::path old_target;
  if (fs::is_symlink(dir / kDataLink, ec)) old_target = fs::read_symlink(dir / kDataLink, ec);
  fs::path tmp_link = dir / "..data_tmp";
  fs::remove(tmp_link, ec);
  fs::create_symlink(ts_name, tmp_link, ec);
  if (ec) return api::Status::Internal("symlink " + tmp_link.string() + ": " + ec.message());
  if (::rename(tmp_link.c_str(), (dir / kDataLink).c_str()) != 0) {
    return api::Status::Internal("rename " + tmp_link.string() + " failed");
  }

  // User-visible names: one symlink per top-level entry.
  std::set<std::string> top;
  for (const auto& [rel, file] : payload) top.insert(rel.substr(0, rel.find('/')));
  for (const std::string& name : top) {
    fs::path link = dir / name;
    if (fs::is_symlink(link, ec)) continue;
    fs::remove_all(link, ec);
    fs::create_symlink(fs::path(kDataLink) / name, link, ec);
    if (ec) return api::Status::Internal("symlink " + link.string() + ": " + ec.message());
  }
  std::vector<fs::path> stale;
  for (auto it = fs::directory_iterator(dir, ec); !ec && it != fs::directory_iterator();
       it.increment(ec)) {
    std::string name = it->path().filename().string();
    if (name.rfind("..", 0) == 0) continue;
    if (!top.count(name)) stale.push_back(it->path());
  }
  for (const fs::path& p : stale) fs::remove_all(p, ec);
  if (!old_target.empty() && old_target.string() != ts_name) fs::remove_all(dir / old_target, ec);
  if (changed) *changed = true;
  return {};
}

}  // namespace kc::kubelet
