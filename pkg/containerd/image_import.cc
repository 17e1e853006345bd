#include "pkg/containerd/image_import.h"

#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <sstream>

#include "pkg/containerd/command.h"
#include "pkg/containerd/containerd_config.h"
#include "pkg/containerd/readiness.h"

namespace kc::containerd {

api::Result<std::vector<std::string>> ImportImageTarball(const std::string& socket,
                                                         const std::string& path,
                                                         const ImportOptions& options) {
  struct stat st {};
  if (::stat(path.c_str(), &st) != 0) {
    if (errno == ENOENT) return api::Status::NotFound(path + " does not exist");
    return api::Status::Internal("stat " + path + ": " + std::strerror(errno));
  }
  if (!S_ISREG(st.st_mode)) return api::Status::Invalid(path + " is not a regular file");
  // No --no-unpack: CRI can only start containers from unpacked images.
  std::vector<std::string> argv = {options.ctr_binary,  "--address", socket,   "--namespace",
                                   kCriNamespace,       "images",    "import", "--snapshotter",
                                   options.snapshotter, path};
  auto run = RunCommand(argv, options.timeout);
  if (!run.ok()) return run.status();
  if (run->exit_code != 0) {
    return api::Status::Internal("importing " + path + " failed (exit " +
                                 std::to_string(run->exit_code) +
                                 "): " + LastLines(run->output, 5));
  }
  // ctr prints "unpacking <name> (sha256:...)...done" per image.
  std::vector<std::string> names;
  std::istringstream in(run->output);
  for (std::string line; std::getline(in, line);) {
    constexpr std::string_view kPrefix = "unpacking ";
    size_t at = line.find(kPrefix);
    if (at == std::string::npos) continue;
    std::string rest = line.substr(at + kPrefix.size());
    size_t space = rest.find(' ');
    names.push_back(rest.substr(0, space));
  }
  return names;
}

std::vector<std::string> CtrArgv(const std::string& socket, const std::vector<std::string>& args,
                                 const std::string& ctr_binary) {
  std::vector<std::string> argv = {ctr_binary, "--address", socket};
  argv.insert(argv.end(), args.begin(), args.end());
  return argv;
}

int ExecCtr(const std::string& socket, const std::vector<std::string>& args,
            const std::string& ctr_binary) {
  ::setenv("CONTAINERD_NAMESPACE", kCriNamespace, /*overwrite=*/0);
  std::vector<std::string> argv = CtrArgv(socket, args, ctr_binary);
  std::vector<char*> cargv;
  for (auto& a : argv) cargv.push_back(a.data());
  cargv.push_back(nullptr);
  ::execvp(cargv[0], cargv.data());
  std::fprintf(stderr, "cannot run %s: %s\n", ctr_binary.c_str(), std::strerror(errno));
  return 127;
}

}  // namespace kc::containerd
