#include "pkg/fsutil/file_util.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <vector>

namespace kc::fsutil {

namespace {

api::Status ErrnoStatus(const std::string& what, const std::string& path, int err) {
  return api::Status::Internal(what + " " + path + ": " + std::strerror(err));
}

}  // namespace

api::Result<std::string> ReadFile(const std::string& path) {
  int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) {
    if (errno == ENOENT) return api::Status::NotFound(path + " does not exist");
    return ErrnoStatus("open", path, errno);
  }
  std::string data;
  char buf[8192];
  while (true) {
    ssize_t n = ::read(fd, buf, sizeof(buf));
    if (n < 0) {
      if (errno == EINTR) continue;
      int err = errno;
      ::close(fd);
      return ErrnoStatus("read", path, err);
    }
    if (n == 0) break;
    data.append(buf, static_cast<size_t>(n));
  }
  ::close(fd);
  return data;
}

api::Status WriteFileAtomic(const std::string& path, const std::string& data, mode_t mode) {
  // A hidden temporary beside the target (so directory watchers that load by extension, such as
  // CNI's, never pick up a half-written file).
  std::filesystem::path target(path);
  std::string tmpl =
      (target.parent_path() / ("." + target.filename().string() + ".tmp.XXXXXX")).string();
  std::vector<char> name(tmpl.begin(), tmpl.end());
  name.push_back('\0');
  int fd = ::mkostemp(name.data(), O_CLOEXEC);  // created 0600, so a key is never briefly world-readable
  if (fd < 0) return ErrnoStatus("create temporary file for", path, errno);
  std::string tmp(name.data());
  auto fail = [&](const char* what) {
    int err = errno;
    ::close(fd);
    ::unlink(tmp.c_str());
    return ErrnoStatus(what, tmp, err);
  };
  size_t off = 0;
  while (off < data.size()) {
    ssize_t n = ::write(fd, data.data() + off, data.size() - off);
    if (n < 0) {
      if (errno == EINTR) continue;
      return fail("write");
    }
    off += static_cast<size_t>(n);
  }
  if (::fchmod(fd, mode) != 0) return fail("chmod");
  if (::fsync(fd) != 0) return fail("fsync");
  if (::close(fd) != 0) {
    int err = errno;
    ::unlink(tmp.c_str());
    return ErrnoStatus("close", tmp, err);
  }
  if (::rename(tmp.c_str(), path.c_str()) != 0) {
    int err = errno;
    ::unlink(tmp.c_str());
    return ErrnoStatus("rename to", path, err);
  }
  return api::Status::Ok();
}

api::Status EnsureDirectory(const std::string& dir, mode_t mode) {
  namespace fs = std::filesystem;
  if (dir.empty()) return api::Status::Invalid("empty directory path");
  std::error_code ec;
  fs::path p(dir);
  // Walk down from the first missing ancestor so each created level gets `mode`.
  std::vector<fs::path> missing;
  for (fs::path cur = p; !cur.empty(); cur = cur.parent_path()) {
    if (fs::exists(cur, ec)) {
      if (!fs::is_directory(cur, ec)) {
        return api::Status::Internal(cur.string() + " exists and is not a directory");
      }
      break;
    }
    missing.push_back(cur);
    if (cur == cur.parent_path()) break;
  }
  for (auto it = missing.rbegin(); it != missing.rend(); ++it) {
    if (::mkdir(it->c_str(), mode) != 0 && errno != EEXIST) {
      return ErrnoStatus("mkdir", it->string(), errno);
    }
    ::chmod(it->c_str(), mode);  // mkdir applies the umask; the caller asked for exact bits
  }
  return api::Status::Ok();
}

}  // namespace kc::fsutil
