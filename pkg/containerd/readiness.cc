#include "pkg/containerd/readiness.h"

#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include <cstring>
#include <sstream>
#include <vector>

namespace kc::containerd {

namespace {

std::vector<std::string> Fields(const std::string& line) {
  std::istringstream in(line);
  std::vector<std::string> out;
  for (std::string f; in >> f;) out.push_back(f);
  return out;
}

// Undoes Go's %q-style escaping of logrus' error="..." values (\" and \\).
std::string Unquote(std::string_view s) {
  std::string out;
  for (size_t i = 0; i < s.size(); ++i) {
    if (s[i] == '\\' && i + 1 < s.size()) {
      ++i;
      out += s[i] == 'n' ? '\n' : s[i] == 't' ? '\t' : s[i];
    } else {
      out += s[i];
    }
  }
  return out;
}

}  // namespace

PluginState ParsePluginState(std::string_view output, std::string_view type, std::string_view id) {
  std::istringstream in{std::string(output)};
  for (std::string line; std::getline(in, line);) {
    std::vector<std::string> f = Fields(line);
    if (f.size() < 3 || f[0] != type || f[1] != id) continue;
    const std::string& status = f.back();
    if (status == "ok") return PluginState::kOk;
    if (status == "skip") return PluginState::kSkip;
    return PluginState::kError;
  }
  return PluginState::kMissing;
}

std::string CriLoadError(std::string_view log) {
  constexpr std::string_view kMarker = "failed to load plugin io.containerd.grpc.v1.cri";
  size_t at = log.rfind(kMarker);
  if (at == std::string_view::npos) return "";
  size_t eol = log.find('\n', at);
  size_t bol = log.rfind('\n', at);
  bol = bol == std::string_view::npos ? 0 : bol + 1;
  std::string_view line = log.substr(bol, eol == std::string_view::npos ? eol : eol - bol);
  size_t err = line.find("error=\"");
  if (err == std::string_view::npos) return std::string(line);
  std::string_view rest = line.substr(err + 7);
  size_t end = 0;
  for (; end < rest.size(); ++end) {
    if (rest[end] == '\\') {
      ++end;
    } else if (rest[end] == '"') {
      break;
    }
  }
  return Unquote(rest.substr(0, std::min(end, rest.size())));
}

std::string LastLines(std::string_view text, int max_lines) {
  while (!text.empty() && text.back() == '\n') text.remove_suffix(1);
  size_t pos = text.size();
  for (int n = 0; n < max_lines && pos != std::string_view::npos && pos > 0; ++n) {
    pos = text.rfind('\n', pos - 1);
  }
  if (pos == std::string_view::npos) return std::string(text);
  return std::string(text.substr(pos == 0 ? 0 : pos + 1));
}

bool SocketAcceptsConnections(const std::string& path) {
  sockaddr_un addr{};
  if (path.size() >= sizeof(addr.sun_path)) return false;
  addr.sun_family = AF_UNIX;
  std::memcpy(addr.sun_path, path.c_str(), path.size() + 1);
  int fd = ::socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (fd < 0) return false;
  bool ok = ::connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof(addr)) == 0;
  ::close(fd);
  return ok;
}

}  // namespace kc::containerd
