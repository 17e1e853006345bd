// Telling whether a containerd instance is ready for CRI calls.
//
// Internal to kc_containerd (Supervisor). "Ready" means the gRPC socket accepts connections and
// `ctr plugins ls` lists `io.containerd.grpc.v1  cri  ...  ok`. containerd keeps serving its
// own API when the CRI plugin fails to load, so only the plugin state tells a usable instance
// from one that answers every CRI call with UNIMPLEMENTED.
//
// Thread-safety: stateless functions, callable from any thread.
#pragma once

#include <string>
#include <string_view>

namespace kc::containerd {

enum class PluginState { kMissing, kOk, kSkip, kError };

// The STATUS column of the `ctr plugins ls` row with TYPE `type` and ID `id`.
PluginState ParsePluginState(std::string_view plugins_ls_output, std::string_view type,
                             std::string_view id);

// Why the CRI plugin failed, from containerd's log: the error="..." of the last
// `failed to load plugin io.containerd.grpc.v1.cri` line, or "" when there is none.
std::string CriLoadError(std::string_view log);

// The last `max_lines` lines of `text` (for error messages).
std::string LastLines(std::string_view text, int max_lines);

// True when a unix socket at `path` accepts a connection now.
bool SocketAcceptsConnections(const std::string& path);

}  // namespace kc::containerd
