// The Kubernetes channel protocol carried in WebSocket binary messages for exec/attach
// (`v4.channel.k8s.io`, `v5.channel.k8s.io`): byte 0 names the channel, the rest is payload.
//   0 stdin (client → server)      1 stdout        2 stderr
//   3 error: a metav1 Status JSON, sent once at the end
//   4 resize (client → server): JSON {"Width":W,"Height":H}
//   255 close (v5 only): payload is one byte, the channel the client will not write again
// Pure codec functions; the relays use them.
//
// Thread-safety: pure functions.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "pkg/api/status.h"

namespace kc::streaming {

inline constexpr uint8_t kChannelStdin = 0;
inline constexpr uint8_t kChannelStdout = 1;
inline constexpr uint8_t kChannelStderr = 2;
inline constexpr uint8_t kChannelError = 3;
inline constexpr uint8_t kChannelResize = 4;
inline constexpr uint8_t kChannelClose = 255;

inline constexpr std::string_view kProtocolV4 = "v4.channel.k8s.io";
inline constexpr std::string_view kProtocolV5 = "v5.channel.k8s.io";

struct ChannelMessage {
  uint8_t channel = 0;
  std::string_view payload;  // views into the decoded message
};

std::string EncodeChannelMessage(uint8_t channel, std::string_view payload);
// An empty message has no channel byte: error.
api::Result<ChannelMessage> DecodeChannelMessage(std::string_view message);

// v5 close signal [255, channel].
std::string EncodeCloseSignal(uint8_t channel);
// The channel named by a close signal's payload (the bytes after 255).
api::Result<uint8_t> DecodeCloseSignal(std::string_view payload);

struct TerminalSize {
  uint16_t width = 0;
  uint16_t height = 0;
};
std::string EncodeResize(TerminalSize size);
api::Result<TerminalSize> DecodeResize(std::string_view json);

// Channel 3 bodies, as the kubelet writes them.
std::string SuccessStatusJson();  // {"metadata":{},"status":"Success"}
std::string FailureStatusJson(const api::Status& status);

// Splits a comma-separated header value ("a, b,c") into trimmed, non-empty tokens.
std::vector<std::string> SplitHeaderList(std::string_view value);

}  // namespace kc::streaming
