// SPDY/3.1 framing: encode/decode round trips, header compression with the SPDY/3 dictionary,
// frames as another implementation writes them, malformed input, flow-control windows.
#include "pkg/streaming/spdy_frame.h"

#include <doctest/doctest.h>
#include <zlib.h>

#include "pkg/streaming/spdy_dictionary.h"
#include "pkg/streaming/spdy_flow_control.h"

namespace kc::streaming::spdy {
namespace {

Frame RoundTrip(FrameWriter& w, FrameReader& r, const Frame& in) {
  auto bytes = w.Encode(in);
  REQUIRE(bytes.ok());
  r.Feed(*bytes);
  auto out = r.Next();
  REQUIRE(out.ok());
  REQUIRE(out->has_value());
  CHECK(r.buffered() == 0);
  return std::move(**out);
}

TEST_CASE("the SPDY/3 header dictionary is the spec's (length and Adler-32)") {
  std::string_view d = HeaderDictionary();
  CHECK(d.size() == 1423);
  uLong a = adler32(0L, Z_NULL, 0);
  a = adler32(a, reinterpret_cast<const Bytef*>(d.data()), static_cast<uInt>(d.size()));
  CHECK(a == 0xe3c6a7c2UL);
  CHECK(d.substr(0, 11) == std::string_view("\0\0\0\x07options", 11));
  CHECK(d.substr(d.size() - 7) == ",enq=0.");
}

TEST_CASE("control and data frames round-trip") {
  FrameWriter w;
  FrameReader r;
  SUBCASE("SYN_STREAM with headers, priority and flags") {
    Frame in = Frame::SynStream(5, {{"streamtype", "data"}, {"port", "8080"}, {"requestid", "0"}},
                                kFlagFin);
    in.priority = 3;
    in.associated_stream_id = 1;
    Frame out = RoundTrip(w, r, in);
    CHECK(out.type == FrameType::kSynStream);
    CHECK(out.stream_id == 5);
    CHECK(out.associated_stream_id == 1);
    CHECK(out.priority == 3);
    CHECK(out.fin());
    CHECK(out.headers == in.headers);
    CHECK(FindHeader(out.headers, "port") == "8080");
    CHECK_FALSE(FindHeader(out.headers, "nope").has_value());
  }
  SUBCASE("SYN_REPLY and HEADERS") {
    Frame out = RoundTrip(w, r, Frame::SynReply(7, {}));
    CHECK(out.type == FrameType::kSynReply);
    CHECK(out.stream_id == 7);
    CHECK(out.headers.empty());
    Frame h;
    h.type = FrameType::kHeaders;
    h.stream_id = 9;
    h.headers = {{"a", std::string("x\0y", 3)}};
    out = RoundTrip(w, r, h);
    CHECK(out.type == FrameType::kHeaders);
    CHECK(out.headers == h.headers);
  }
  SUBCASE("RST_STREAM, PING, GOAWAY, WINDOW_UPDATE, SETTINGS") {
    Frame out = RoundTrip(w, r, Frame::RstStream(3, kCancel));
    CHECK(out.type == FrameType::kRstStream);
    CHECK(out.stream_id == 3);
    CHECK(out.status == kCancel);
    out = RoundTrip(w, r, Frame::Ping(42));
    CHECK(out.type == FrameType::kPing);
    CHECK(out.value == 42);
    out = RoundTrip(w, r, Frame::GoAway(11, 0));
    CHECK(out.type == FrameType::kGoAway);
    CHECK(out.stream_id == 11);
    out = RoundTrip(w, r, Frame::WindowUpdate(0, 65536));
    CHECK(out.type == FrameType::kWindowUpdate);
    CHECK(out.stream_id == 0);
    CHECK(out.value == 65536);
    out = RoundTrip(w, r, Frame::Settings({{1, kSettingsInitialWindowSize, 1 << 20}, {0, 4, 100}}));
    CHECK(out.type == FrameType::kSettings);
    REQUIRE(out.settings.size() == 2);
    CHECK(out.settings[0].flags == 1);
    CHECK(out.settings[0].id == kSettingsInitialWindowSize);
    CHECK(out.settings[0].value == (1u << 20));
    CHECK(out.settings[1].id == 4);
  }
  SUBCASE("DATA with and without FIN, including binary and empty payloads") {
    std::string payload("\0\x01\xff hello", 9);
    Frame out = RoundTrip(w, r, Frame::Data(3, payload, false));
    CHECK(out.type == FrameType::kData);
    CHECK(out.stream_id == 3);
    CHECK(out.data == payload);
    CHECK_FALSE(out.fin());
    out = RoundTrip(w, r, Frame::Data(3, "", true));
    CHECK(out.data.empty());
    CHECK(out.fin());
  }
}

TEST_CASE("the data frame wire layout is the spec's") {
  FrameWriter w;
  auto bytes = w.Encode(Frame::Data(0x01020304, "ab", true));
  REQUIRE(bytes.ok());
  CHECK(*bytes == std::string("\x01\x02\x03\x04\x01\x00\x00\x02" "ab", 10));
  auto ping = w.Encode(Frame::Ping(7));
  REQUIRE(ping.ok());
  CHECK(*ping == std::string("\x80\x03\x00\x06\x00\x00\x00\x04\x00\x00\x00\x07", 12));
}

TEST_CASE("header blocks share one compression context per direction") {
  FrameWriter w;
  FrameReader r;
  // Many blocks through the same pair of contexts; later ones reference earlier ones.
  for (uint32_t id = 1; id < 40; id += 2) {
    HeaderBlock h = {{"streamtype", id % 4 == 1 ? "stdout" : "stderr"},
                     {"requestid", std::to_string(id)}};
    Frame out = RoundTrip(w, r, Frame::SynStream(id, h));
    CHECK(out.headers == h);
  }
  // A fresh reader cannot decode a later block of an existing stream: the contexts are
  // stateful, which is why a relay must not mix frames of two connections.
  auto bytes = w.Encode(Frame::SynStream(41, {{"streamtype", "error"}}));
  REQUIRE(bytes.ok());
  FrameReader fresh;
  fresh.Feed(*bytes);
  CHECK_FALSE(fresh.Next().ok());
}

TEST_CASE("decodes SYN_STREAM frames compressed by another zlib (Go-style level 9)") {
  // Two consecutive client frames as client-go writes them (stream 1 "error", stream 3
  // "stdin"), produced by an independent deflate with the SPDY/3 dictionary: note the zlib
  // header 78 f9 and dictionary id e3 c6 a7 c2 in the first block only.
  const std::string f1(
      "\x80\x03\x00\x01\x00\x00\x00\x28\x00\x00\x00\x01\x00\x00\x00\x00\x00\x00\x78\xf9\xe3\xc6"
      "\xa7\xc2\x02\xa6\x23\x46\x70\x3a\x2b\x29\x4a\x4d\xcc\x85\x16\x25\xac\xa9\xa0\x80\x06\x00"
      "\x00\x00\xff\xff",
      48);
  const std::string f2(
      "\x80\x03\x00\x01\x00\x00\x00\x17\x00\x00\x00\x03\x00\x00\x00\x00\x00\x00\xc2\x2e\x55\x5c"
      "\x02\xcc\x2e\x00\x00\x00\x00\xff\xff",
      31);
  FrameReader r;
  // Fed byte by byte: frames complete only when all their bytes arrived.
  std::string all = f1 + f2;
  std::vector<Frame> frames;
  for (char c : all) {
    r.Feed(std::string_view(&c, 1));
    for (;;) {
      auto next = r.Next();
      REQUIRE(next.ok());
      if (!next->has_value()) break;
      frames.push_back(std::move(**next));
    }
  }
  REQUIRE(frames.size() == 2);
  CHECK(frames[0].type == FrameType::kSynStream);
  CHECK(frames[0].stream_id == 1);
  CHECK(frames[0].headers == HeaderBlock{{"streamtype", "error"}});
  CHECK(frames[1].stream_id == 3);
  CHECK(frames[1].headers == HeaderBlock{{"streamtype", "stdin"}});
  // And our own encoder starts its first block with a zlib header naming the same dictionary.
  FrameWriter w;
  auto mine = w.Encode(Frame::SynStream(1, {{"streamtype", "error"}}));
  REQUIRE(mine.ok());
  CHECK(mine->substr(20, 4) == std::string("\xe3\xc6\xa7\xc2", 4));
}

TEST_CASE("malformed frames are errors, never crashes") {
  auto decode = [](const std::string& bytes) {
    FrameReader r;
    r.Feed(bytes);
    return r.Next();
  };
  SUBCASE("wrong version") {
    CHECK_FALSE(decode(std::string("\x80\x02\x00\x06\x00\x00\x00\x04\x00\x00\x00\x01", 12)).ok());
  }
  SUBCASE("bad fixed lengths") {
    CHECK_FALSE(decode(std::string("\x80\x03\x00\x06\x00\x00\x00\x03\x00\x00\x00", 11)).ok());
    CHECK_FALSE(decode(std::string("\x80\x03\x00\x03\x00\x00\x00\x04\x00\x00\x00\x01", 12)).ok());
    CHECK_FALSE(
        decode(std::string("\x80\x03\x00\x04\x00\x00\x00\x08\x00\x00\x00\x05\x00\x00\x00\x00", 16))
            .ok());
  }
  SUBCASE("garbage header block") {
    CHECK_FALSE(decode(std::string("\x80\x03\x00\x01\x00\x00\x00\x0e\x00\x00\x00\x01\x00\x00\x00"
                                   "\x00\x00\x00garb",
                                   22))
                    .ok());
  }
  SUBCASE("data for stream 0") {
    CHECK_FALSE(decode(std::string("\x00\x00\x00\x00\x00\x00\x00\x01x", 9)).ok());
  }
  SUBCASE("truncated frames wait for more bytes") {
    auto r = decode(std::string("\x00\x00\x00\x01\x00\x00\x00\x05" "ab", 10));
    REQUIRE(r.ok());
    CHECK_FALSE(r->has_value());
  }
  SUBCASE("unknown control frame types are passed on, to be ignored") {
    auto r = decode(std::string("\x80\x03\x00\x0a\x00\x00\x00\x02zz", 10));
    REQUIRE(r.ok());
    REQUIRE(r->has_value());
    CHECK(static_cast<int>((*r)->type) == 10);
  }
  SUBCASE("uncompressed header block codec") {
    CHECK_FALSE(DecodeHeaderBlock(std::string("\x00\x00\x00\x01\x00\x00\x00\x09" "ab", 10)).ok());
    CHECK_FALSE(DecodeHeaderBlock(std::string("\x00\x00", 2)).ok());
    CHECK_FALSE(DecodeHeaderBlock(EncodeHeaderBlock({{"a", "b"}}) + "x").ok());
    auto ok = DecodeHeaderBlock(EncodeHeaderBlock({{"a", "b"}, {"c", ""}}));
    REQUIRE(ok.ok());
    CHECK(ok->size() == 2);
  }
}

TEST_CASE("flow-control windows") {
  SUBCASE("send window: consume, update, overflow, rebase") {
    SendWindow w;
    CHECK(w.available() == 65536);
    w.Consume(60000);
    CHECK(w.available() == 5536);
    w.Consume(6000);
    CHECK(w.available() == -464);
    CHECK(w.Update(1000));
    CHECK(w.available() == 536);
    CHECK_FALSE(w.Update(0));
    CHECK_FALSE(w.Update(SendWindow::kMaxWindow));
    CHECK(w.available() == 536);
    w.Rebase(65536, 1 << 20);
    CHECK(w.available() == 536 + (1 << 20) - 65536);
  }
  SUBCASE("receive window: updates are batched at half the window") {
    ReceiveWindow r;
    r.OnReceived(20000);
    CHECK(r.window() == 45536);
    CHECK(r.OnConsumed(20000) == 0);  // < 32768 pending
    r.OnReceived(20000);
    CHECK(r.OnConsumed(20000) == 40000);
    CHECK(r.window() == 65536);
    r.OnReceived(100000);  // a peer ignoring windows is tolerated
    CHECK(r.window() < 0);
    CHECK(r.OnConsumed(100000) == 100000);
    CHECK(r.window() == 65536);
  }
}

}  // namespace
}  // namespace kc::streaming::spdy
