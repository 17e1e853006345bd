#include "pkg/kubelet/termination_message.h"

#include <sys/stat.h>

#include <deque>
#include <filesystem>
#include <fstream>

#include "pkg/kubelet/labels.h"

namespace kc::kubelet {
namespace {

constexpr size_t kMaxMessageBytes = 4096;
constexpr int kFallbackLines = 80;
constexpr size_t kFallbackBytes = 2048;

std::string ReadHead(const std::string& path, size_t max) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return "";
  std::string out(max, '\0');
  in.read(out.data(), static_cast<std::streamsize>(max));
  out.resize(static_cast<size_t>(in.gcount()));
  return out;
}

}  // namespace

std::string TerminationMessageHostPath(const std::string& root_dir, const std::string& uid,
                                       const std::string& container, int restart_count) {
  return root_dir + "/pods/" + uid + "/containers/" + container + "/" +
         std::to_string(restart_count);
}

api::Status PrepareTerminationMessageFile(const std::string& path) {
  std::error_code ec;
  std::filesystem::create_directories(std::filesystem::path(path).parent_path(), ec);
  if (ec) return api::Status::Internal("mkdir for " + path + ": " + ec.message());
  std::ofstream f(path, std::ios::trunc);
  if (!f) return api::Status::Internal("create " + path + " failed");
  f.close();
  ::chmod(path.c_str(), 0666);
  return {};
}

std::string TailCriLog(const std::string& path, int max_lines, size_t max_bytes) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return "";
  // Only the end of the file matters; 64 KiB covers 80 lines of any sensible size.
  in.seekg(0, std::ios::end);
  std::streamoff size = in.tellg();
  std::streamoff start = std::max<std::streamoff>(0, size - 65536);
  in.seekg(start);
  std::deque<std::string> lines;
  std::string line, partial;
  if (start > 0) std::getline(in, line);  // drop the cut first line
  while (std::getline(in, line)) {
    // "<timestamp> <stream> <tag> <content>"
    size_t a = line.find(' ');
    size_t b = a == std::string::npos ? a : line.find(' ', a + 1);
    size_t c = b == std::string::npos ? b : line.find(' ', b + 1);
    if (c == std::string::npos) continue;
    std::string tag = line.substr(b + 1, c - b - 1);
    partial += line.substr(c + 1);
    if (tag == "P") continue;
    lines.push_back(partial + "\n");
    partial.clear();
    if (static_cast<int>(lines.size()) > max_lines) lines.pop_front();
  }
  std::string out;
  for (const std::string& l : lines) out += l;
  if (out.size() > max_bytes) out = out.substr(out.size() - max_bytes);
  return out;
}

std::string ReadTerminationMessage(const std::string& root_dir, const std::string& uid,
                                   const RuntimeContainer& c) {
  std::string msg =
      ReadHead(TerminationMessageHostPath(root_dir, uid, c.name, c.restart_count), kMaxMessageBytes);
  if (!msg.empty()) return msg;
  auto policy = c.annotations.find(kContainerTerminationMessagePolicyAnnotation);
  if (policy != c.annotations.end() && policy->second == "FallbackToLogsOnError" &&
      c.exit_code != 0 && !c.log_path.empty()) {
    return TailCriLog(c.log_path, kFallbackLines, kFallbackBytes);
  }
  return "";
}

}  // namespace kc::kubelet
