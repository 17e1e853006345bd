#include "pkg/streaming/spdy_frame.h"

#include <zlib.h>

#include "pkg/streaming/spdy_dictionary.h"

namespace kc::streaming::spdy {

namespace {

// Limits on what a peer may make us hold: header blocks are small in practice.
constexpr size_t kMaxHeaderBlock = 256 * 1024;
constexpr uint32_t kMaxHeaderPairs = 4096;

void Put32(std::string* out, uint32_t v) {
  out->push_back(static_cast<char>(v >> 24));
  out->push_back(static_cast<char>(v >> 16));
  out->push_back(static_cast<char>(v >> 8));
  out->push_back(static_cast<char>(v));
}

void Put24(std::string* out, uint32_t v) {
  out->push_back(static_cast<char>(v >> 16));
  out->push_back(static_cast<char>(v >> 8));
  out->push_back(static_cast<char>(v));
}

uint32_t Get32(std::string_view s, size_t pos) {
  auto b = [&](size_t i) { return static_cast<uint32_t>(static_cast<unsigned char>(s[pos + i])); };
  return b(0) << 24 | b(1) << 16 | b(2) << 8 | b(3);
}

api::Status ProtocolError(const std::string& what) {
  return api::Status::BadRequest("spdy: " + what);
}

}  // namespace

std::optional<std::string> FindHeader(const HeaderBlock& headers, std::string_view name) {
  for (const auto& [k, v] : headers) {
    if (k == name) return v;
  }
  return std::nullopt;
}

Frame Frame::Data(uint32_t stream_id, std::string data, bool fin) {
  Frame f;
  f.type = FrameType::kData;
  f.stream_id = stream_id;
  f.data = std::move(data);
  f.flags = fin ? kFlagFin : 0;
  return f;
}

Frame Frame::SynStream(uint32_t stream_id, HeaderBlock headers, uint8_t flags) {
  Frame f;
  f.type = FrameType::kSynStream;
  f.stream_id = stream_id;
  f.headers = std::move(headers);
  f.flags = flags;
  return f;
}

Frame Frame::SynReply(uint32_t stream_id, HeaderBlock headers, uint8_t flags) {
  Frame f;
  f.type = FrameType::kSynReply;
  f.stream_id = stream_id;
  f.headers = std::move(headers);
  f.flags = flags;
  return f;
}

Frame Frame::RstStream(uint32_t stream_id, uint32_t status) {
  Frame f;
  f.type = FrameType::kRstStream;
  f.stream_id = stream_id;
  f.status = status;
  return f;
}

Frame Frame::Settings(std::vector<Setting> settings) {
  Frame f;
  f.type = FrameType::kSettings;
  f.settings = std::move(settings);
  return f;
}

Frame Frame::Ping(uint32_t id) {
  Frame f;
  f.type = FrameType::kPing;
  f.value = id;
  return f;
}

Frame Frame::GoAway(uint32_t last_good_stream_id, uint32_t status) {
  Frame f;
  f.type = FrameType::kGoAway;
  f.stream_id = last_good_stream_id;
  f.status = status;
  return f;
}

Frame Frame::WindowUpdate(uint32_t stream_id, uint32_t delta) {
  Frame f;
  f.type = FrameType::kWindowUpdate;
  f.stream_id = stream_id;
  f.value = delta;
  return f;
}

// ---- header blocks ----

std::string EncodeHeaderBlock(const HeaderBlock& headers) {
  std::string out;
  Put32(&out, static_cast<uint32_t>(headers.size()));
  for (const auto& [name, value] : headers) {
    Put32(&out, static_cast<uint32_t>(name.size()));
    out += name;
    Put32(&out, static_cast<uint32_t>(value.size()));
    out += value;
  }
  return out;
}

api::Result<HeaderBlock> DecodeHeaderBlock(std::string_view block) {
  if (block.size() < 4) return ProtocolError("header block too short");
  uint32_t count = Get32(block, 0);
  if (count > kMaxHeaderPairs) return ProtocolError("too many headers");
  size_t pos = 4;
  HeaderBlock headers;
  headers.reserve(count);
  auto read_string = [&](std::string* out) -> bool {
    if (block.size() - pos < 4) return false;
    uint32_t len = Get32(block, pos);
    pos += 4;
    if (block.size() - pos < len) return false;
    out->assign(block.substr(pos, len));
    pos += len;
    return true;
  };
  for (uint32_t i = 0; i < count; ++i) {
    std::string name, value;
    if (!read_string(&name) || !read_string(&value)) {
      return ProtocolError("truncated header block");
    }
    if (name.empty()) return ProtocolError("empty header name");
    headers.emplace_back(std::move(name), std::move(value));
  }
  if (pos != block.size()) return ProtocolError("trailing bytes after header block");
  return headers;
}

struct HeaderCompressor::Z {
  z_stream s{};
  bool ok = false;
};

HeaderCompressor::HeaderCompressor() : z_(std::make_unique<Z>()) {
  if (deflateInit(&z_->s, Z_DEFAULT_COMPRESSION) != Z_OK) return;
  std::string_view dict = HeaderDictionary();
  z_->ok = deflateSetDictionary(&z_->s, reinterpret_cast<const Bytef*>(dict.data()),
                                static_cast<uInt>(dict.size())) == Z_OK;
}

HeaderCompressor::~HeaderCompressor() { deflateEnd(&z_->s); }

api::Result<std::string> HeaderCompressor::Compress(const HeaderBlock& headers) {
  if (!z_->ok) return api::Status::Internal("spdy: zlib deflate unavailable");
  std::string in = EncodeHeaderBlock(headers);
  std::string out;
  z_->s.next_in = reinterpret_cast<Bytef*>(in.data());
  z_->s.avail_in = static_cast<uInt>(in.size());
  char chunk[4096];
  do {
    z_->s.next_out = reinterpret_cast<Bytef*>(chunk);
    z_->s.avail_out = sizeof(chunk);
    int rc = deflate(&z_->s, Z_SYNC_FLUSH);
    if (rc != Z_OK && rc != Z_BUF_ERROR) {
      z_->ok = false;
      return api::Status::Internal("spdy: deflate failed");
    }
    out.append(chunk, sizeof(chunk) - z_->s.avail_out);
  } while (z_->s.avail_out == 0);
  return out;
}

struct HeaderDecompressor::Z {
  z_stream s{};
  bool ok = false;
};

HeaderDecompressor::HeaderDecompressor() : z_(std::make_unique<Z>()) {
  z_->ok = inflateInit(&z_->s) == Z_OK;
}

HeaderDecompressor::~HeaderDecompressor() { inflateEnd(&z_->s); }

api::Result<HeaderBlock> HeaderDecompressor::Decompress(std::string_view compressed) {
  if (!z_->ok) return ProtocolError("header decompression failed earlier");
  if (compressed.empty()) return ProtocolError("empty compressed header block");
  std::string out;
  z_->s.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(compressed.data()));
  z_->s.avail_in = static_cast<uInt>(compressed.size());
  char chunk[4096];
  for (;;) {
    z_->s.next_out = reinterpret_cast<Bytef*>(chunk);
    z_->s.avail_out = sizeof(chunk);
    int rc = inflate(&z_->s, Z_SYNC_FLUSH);
    if (rc == Z_NEED_DICT) {
      std::string_view dict = HeaderDictionary();
      if (inflateSetDictionary(&z_->s, reinterpret_cast<const Bytef*>(dict.data()),
                               static_cast<uInt>(dict.size())) != Z_OK) {
        z_->ok = false;
        return ProtocolError("header block uses an unknown zlib dictionary");
      }
      continue;
    }
    if (rc != Z_OK && rc != Z_BUF_ERROR) {
      z_->ok = false;
      return ProtocolError("corrupt compressed header block");
    }
    out.append(chunk, sizeof(chunk) - z_->s.avail_out);
    if (out.size() > kMaxHeaderBlock) {
      z_->ok = false;
      return ProtocolError("header block too large");
    }
    if (z_->s.avail_in == 0 && z_->s.avail_out != 0) break;
    if (rc == Z_BUF_ERROR && z_->s.avail_out != 0) break;  // no progress possible
  }
  if (z_->s.avail_in != 0) {
    z_->ok = false;
    return ProtocolError("compressed header block not fully consumed");
  }
  return DecodeHeaderBlock(out);
}

// ---- writer ----

api::Result<std::string> FrameWriter::Encode(const Frame& f) {
  std::string out;
  if (f.type == FrameType::kData) {
    if (f.data.size() > kMaxFrameLength) return api::Status::Internal("spdy: data frame too large");
    Put32(&out, f.stream_id & 0x7fffffffu);
    out.push_back(static_cast<char>(f.flags));
    Put24(&out, static_cast<uint32_t>(f.data.size()));
    out += f.data;
    return out;
  }
  std::string payload;
  switch (f.type) {
    case FrameType::kSynStream: {
      auto block = compressor_.Compress(f.headers);
      if (!block.ok()) return block.status();
      Put32(&payload, f.stream_id & 0x7fffffffu);
      Put32(&payload, f.associated_stream_id & 0x7fffffffu);
      payload.push_back(static_cast<char>((f.priority & 0x7) << 5));
      payload.push_back(static_cast<char>(f.slot));
      payload += *block;
      break;
    }
    case FrameType::kSynReply:
    case FrameType::kHeaders: {
      auto block = compressor_.Compress(f.headers);
      if (!block.ok()) return block.status();
      Put32(&payload, f.stream_id & 0x7fffffffu);
      payload += *block;
      break;
    }
    case FrameType::kRstStream:
      Put32(&payload, f.stream_id & 0x7fffffffu);
      Put32(&payload, f.status);
      break;
    case FrameType::kSettings:
      Put32(&payload, static_cast<uint32_t>(f.settings.size()));
      for (const Setting& s : f.settings) {
        Put32(&payload, static_cast<uint32_t>(s.flags) << 24 | (s.id & 0xffffff));
        Put32(&payload, s.value);
      }
      break;
    case FrameType::kPing:
      Put32(&payload, f.value);
      break;
    case FrameType::kGoAway:
      Put32(&payload, f.stream_id & 0x7fffffffu);
      Put32(&payload, f.status);
      break;
    case FrameType::kWindowUpdate:
      Put32(&payload, f.stream_id & 0x7fffffffu);
      Put32(&payload, f.value & 0x7fffffffu);
      break;
    default:
      return api::Status::Internal("spdy: cannot encode frame type " +
                                   std::to_string(static_cast<int>(f.type)));
  }
  if (payload.size() > kMaxFrameLength) return api::Status::Internal("spdy: frame too large");
  out.push_back(static_cast<char>(0x80 | (kVersion >> 8)));
  out.push_back(static_cast<char>(kVersion & 0xff));
  out.push_back(static_cast<char>(static_cast<uint16_t>(f.type) >> 8));
  out.push_back(static_cast<char>(static_cast<uint16_t>(f.type) & 0xff));
  out.push_back(static_cast<char>(f.flags));
  Put24(&out, static_cast<uint32_t>(payload.size()));
  out += payload;
  return out;
}

// ---- reader ----

void FrameReader::Feed(std::string_view bytes) {
  if (pos_ > 0 && pos_ >= buf_.size() / 2) {
    buf_.erase(0, pos_);
    pos_ = 0;
  }
  buf_.append(bytes);
}

api::Result<std::optional<Frame>> FrameReader::Next() {
  std::string_view in(buf_);
  in.remove_prefix(pos_);
  if (in.size() < kFrameHeaderSize) return std::optional<Frame>();
  const uint32_t word0 = Get32(in, 0);
  const uint32_t word1 = Get32(in, 4);
  const uint8_t flags = static_cast<uint8_t>(word1 >> 24);
  const uint32_t length = word1 & 0xffffff;
  if (in.size() - kFrameHeaderSize < length) return std::optional<Frame>();
  std::string_view payload = in.substr(kFrameHeaderSize, length);
  pos_ += kFrameHeaderSize + length;
  if ((word0 & 0x80000000u) == 0) {
    Frame f;
    f.type = FrameType::kData;
    f.stream_id = word0 & 0x7fffffffu;
    f.flags = flags;
    f.data.assign(payload);
    if (f.stream_id == 0) return ProtocolError("data frame for stream 0");
    return std::optional<Frame>(std::move(f));
  }
  auto f = ParseControl(static_cast<uint16_t>((word0 >> 16) & 0x7fff),
                        static_cast<uint16_t>(word0 & 0xffff), flags, payload);
  if (!f.ok()) return f.status();
  return std::optional<Frame>(std::move(*f));
}

api::Result<Frame> FrameReader::ParseControl(uint16_t version, uint16_t type, uint8_t flags,
                                             std::string_view p) {
  if (version != kVersion) {
    return ProtocolError("unsupported version " + std::to_string(version));
  }
  Frame f;
  f.type = static_cast<FrameType>(type);
  f.flags = flags;
  auto need = [&](bool ok) { return ok ? api::Status::Ok() : ProtocolError("bad frame length"); };
  switch (f.type) {
    case FrameType::kSynStream: {
      if (auto st = need(p.size() >= 10); !st.ok()) return st;
      f.stream_id = Get32(p, 0) & 0x7fffffffu;
      f.associated_stream_id = Get32(p, 4) & 0x7fffffffu;
      f.priority = static_cast<uint8_t>(static_cast<unsigned char>(p[8]) >> 5);
      f.slot = static_cast<uint8_t>(p[9]);
      auto h = decompressor_.Decompress(p.substr(10));
      if (!h.ok()) return h.status();
      f.headers = std::move(*h);
      if (f.stream_id == 0) return ProtocolError("SYN_STREAM for stream 0");
      return f;
    }
    case FrameType::kSynReply:
    case FrameType::kHeaders: {
      if (auto st = need(p.size() >= 4); !st.ok()) return st;
      f.stream_id = Get32(p, 0) & 0x7fffffffu;
      auto h = decompressor_.Decompress(p.substr(4));
      if (!h.ok()) return h.status();
      f.headers = std::move(*h);
      return f;
    }
    case FrameType::kRstStream:
      if (auto st = need(p.size() == 8); !st.ok()) return st;
      f.stream_id = Get32(p, 0) & 0x7fffffffu;
      f.status = Get32(p, 4);
      return f;
    case FrameType::kSettings: {
      if (auto st = need(p.size() >= 4); !st.ok()) return st;
      uint32_t n = Get32(p, 0);
      if (auto st = need(static_cast<uint64_t>(n) * 8 + 4 == p.size()); !st.ok()) return st;
      for (uint32_t i = 0; i < n; ++i) {
        uint32_t w = Get32(p, 4 + i * 8);
        f.settings.push_back(
            Setting{static_cast<uint8_t>(w >> 24), w & 0xffffff, Get32(p, 8 + i * 8)});
      }
      return f;
    }
    case FrameType::kPing:
      if (auto st = need(p.size() == 4); !st.ok()) return st;
      f.value = Get32(p, 0);
      return f;
    case FrameType::kGoAway:
      if (auto st = need(p.size() == 8); !st.ok()) return st;
      f.stream_id = Get32(p, 0) & 0x7fffffffu;
      f.status = Get32(p, 4);
      return f;
    case FrameType::kWindowUpdate:
      if (auto st = need(p.size() == 8); !st.ok()) return st;
      f.stream_id = Get32(p, 0) & 0x7fffffffu;
      f.value = Get32(p, 4) & 0x7fffffffu;
      return f;
    default:
      return f;  // unknown control frames are ignored by the session (SPDY/3 §2.2.1)
  }
}

}  // namespace kc::streaming::spdy
