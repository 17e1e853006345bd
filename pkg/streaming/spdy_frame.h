// SPDY/3.1 framing (the protocol of Kubernetes' exec/attach/port-forward streams): the frame
// value type, the zlib-compressed name/value header blocks, and a writer and a reader holding
// the per-direction compression state of one connection.
//
// Wire format (all integers big-endian):
//   control frame: |1|version:15|type:16| |flags:8|length:24| payload
//   data frame:    |0|stream-id:31|       |flags:8|length:24| payload
// Header blocks: u32 count, then per pair u32 length + name, u32 length + value (values of a
// repeated name joined by NUL). Each block is deflated with Z_SYNC_FLUSH on one zlib stream per
// direction of the connection, primed with the SPDY/3 dictionary.
//
// Thread-safety: Frame is a value type. A FrameWriter or FrameReader belongs to one connection
// direction and is used by one thread at a time.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "pkg/api/status.h"

namespace kc::streaming::spdy {

inline constexpr uint16_t kVersion = 3;

enum class FrameType : uint16_t {
  kData = 0,  // not a control frame type; marks DATA frames in Frame::type
  kSynStream = 1,
  kSynReply = 2,
  kRstStream = 3,
  kSettings = 4,
  kPing = 6,
  kGoAway = 7,
  kHeaders = 8,
  kWindowUpdate = 9,
};

inline constexpr uint8_t kFlagFin = 0x01;             // DATA, SYN_STREAM, SYN_REPLY, HEADERS
inline constexpr uint8_t kFlagUnidirectional = 0x02;  // SYN_STREAM

// RST_STREAM status codes.
enum RstStatus : uint32_t {
  kProtocolError = 1,
  kInvalidStream = 2,
  kRefusedStream = 3,
  kUnsupportedVersion = 4,
  kCancel = 5,
  kInternalError = 6,
  kFlowControlError = 7,
  kStreamInUse = 8,
  kStreamAlreadyClosed = 9,
  kFrameTooLarge = 11,
};

inline constexpr uint32_t kSettingsInitialWindowSize = 7;
inline constexpr int64_t kDefaultWindow = 64 * 1024;  // per stream and per session (3.1)
inline constexpr size_t kFrameHeaderSize = 8;
inline constexpr uint32_t kMaxFrameLength = (1u << 24) - 1;

using HeaderBlock = std::vector<std::pair<std::string, std::string>>;

// The value of `name` (lower-case) in `headers`, or nullopt.
std::optional<std::string> FindHeader(const HeaderBlock& headers, std::string_view name);

struct Setting {
  uint8_t flags = 0;
  uint32_t id = 0;
  uint32_t value = 0;
};

struct Frame {
  FrameType type = FrameType::kData;
  uint8_t flags = 0;
  // DATA, SYN_STREAM, SYN_REPLY, RST_STREAM, HEADERS, WINDOW_UPDATE (0 = the session); for
  // GOAWAY the last-good-stream-id.
  uint32_t stream_id = 0;
  uint32_t associated_stream_id = 0;  // SYN_STREAM
  uint8_t priority = 0;               // SYN_STREAM: 0 (highest) .. 7
  uint8_t slot = 0;                   // SYN_STREAM
  uint32_t status = 0;                // RST_STREAM, GOAWAY
  uint32_t value = 0;                 // PING: id; WINDOW_UPDATE: delta
  std::vector<Setting> settings;      // SETTINGS
  HeaderBlock headers;                // SYN_STREAM, SYN_REPLY, HEADERS
  std::string data;                   // DATA

  bool fin() const { return (flags & kFlagFin) != 0; }

  static Frame Data(uint32_t stream_id, std::string data, bool fin);
  static Frame SynStream(uint32_t stream_id, HeaderBlock headers, uint8_t flags = 0);
  static Frame SynReply(uint32_t stream_id, HeaderBlock headers, uint8_t flags = 0);
  static Frame RstStream(uint32_t stream_id, uint32_t status);
  static Frame Settings(std::vector<Setting> settings);
  static Frame Ping(uint32_t id);
  static Frame GoAway(uint32_t last_good_stream_id, uint32_t status);
  static Frame WindowUpdate(uint32_t stream_id, uint32_t delta);
};

// Uncompressed header block codec.
std::string EncodeHeaderBlock(const HeaderBlock& headers);
api::Result<HeaderBlock> DecodeHeaderBlock(std::string_view block);

// The deflate side of one connection direction.
class HeaderCompressor {
 public:
  HeaderCompressor();
  ~HeaderCompressor();
  HeaderCompressor(const HeaderCompressor&) = delete;
  HeaderCompressor& operator=(const HeaderCompressor&) = delete;
  api::Result<std::string> Compress(const HeaderBlock& headers);

 private:
  struct Z;
  std::unique_ptr<Z> z_;
};

// The inflate side of one connection direction.
class HeaderDecompressor {
 public:
  HeaderDecompressor();
  ~HeaderDecompressor();
  HeaderDecompressor(const HeaderDecompressor&) = delete;
  HeaderDecompressor& operator=(const HeaderDecompressor&) = delete;
  api::Result<HeaderBlock> Decompress(std::string_view compressed);

 private:
  struct Z;
  std::unique_ptr<Z> z_;
};

// Frames → bytes for one connection's outgoing direction.
class FrameWriter {
 public:
  api::Result<std::string> Encode(const Frame& frame);

 private:
  HeaderCompressor compressor_;
};

// Bytes → frames for one connection's incoming direction. Feed bytes as they arrive and call
// Next until it yields nullopt (more bytes needed). An error is a connection-level protocol
// error: the connection must be closed (the compression state is lost).
class FrameReader {
 public:
  void Feed(std::string_view bytes);
  api::Result<std::optional<Frame>> Next();
  size_t buffered() const { return buf_.size() - pos_; }

 private:
  api::Result<Frame> ParseControl(uint16_t version, uint16_t type, uint8_t flags,
                                  std::string_view payload);

  std::string buf_;
  size_t pos_ = 0;
  HeaderDecompressor decompressor_;
};

}  // namespace kc::streaming::spdy
