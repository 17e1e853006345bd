#include "pkg/kubelet/log_symlinks.h"

#include <filesystem>
#include <vector>

namespace kc::kubelet {
namespace fs = std::filesystem;

std::string ContainerLogSymlinkPath(const std::string& dir, const std::string& pod,
                                    const std::string& ns, const std::string& container,
                                    const std::string& container_id) {
  return dir + "/" + pod + "_" + ns + "_" + container + "-" + container_id + ".log";
}

void CreateContainerLogSymlink(const std::string& link, const std::string& target) {
  std::error_code ec;
  fs::create_directories(fs::path(link).parent_path(), ec);
  fs::remove(link, ec);
  fs::create_symlink(target, link, ec);
}

void RemovePodLogSymlinks(const std::string& dir, const std::string& pod, const std::string& ns,
                          const std::string& pod_log_dir) {
  std::error_code ec;
  std::string prefix = pod + "_" + ns + "_";
  std::vector<fs::path> doomed;
  for (auto it = fs::directory_iterator(dir, ec); !ec && it != fs::directory_iterator();
       it.increment(ec)) {
    std::string name = it->path().filename().string();
    if (name.rfind(prefix, 0) != 0 || !fs::is_symlink(it->symlink_status())) continue;
    std::error_code rec;
    std::string target = fs::read_symlink(it->path(), rec).string();
    if (!rec && target.rfind(pod_log_dir + "/", 0) == 0) doomed.push_back(it->path());
  }
  for (const fs::path& p : doomed) fs::remove(p, ec);
}

}  // namespace kc::kubelet
